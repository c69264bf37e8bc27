#include "wm/sw/model/sum_order.hpp"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

namespace wm::sw::model {

ReductionTree::ReductionTree(int leaves, std::vector<Step> steps)
    : leaves_(leaves), steps_(std::move(steps)) {
  if (leaves < 1) {
    throw std::invalid_argument(
        fmt::format("reduction tree needs at least 1 leaf, not {}", leaves));
  }
  std::vector<bool> consumed(static_cast<std::size_t>(leaves), false);
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    const Step s = steps_[i];
    const auto bad = [&](const char* why) {
      return std::invalid_argument(
          fmt::format("reduction tree step {} (slot {} += slot {}): {}", i, s.dst, s.src, why));
    };
    if (s.dst < 0 || s.dst >= leaves || s.src < 0 || s.src >= leaves) {
      throw bad("slot out of range");
    }
    if (s.dst == s.src) {
      throw bad("adds a slot to itself");
    }
    if (consumed[static_cast<std::size_t>(s.src)] || consumed[static_cast<std::size_t>(s.dst)]) {
      throw bad("uses a slot already added into another");
    }
    if (s.src == 0) {
      throw bad("consumes slot 0, which must hold the result");
    }
    consumed[static_cast<std::size_t>(s.src)] = true;
  }
  for (int l = 1; l < leaves; ++l) {
    if (!consumed[static_cast<std::size_t>(l)]) {
      throw std::invalid_argument(
          fmt::format("reduction tree over {} leaves never adds in slot {}", leaves, l));
    }
  }
}

ReductionTree ReductionTree::chain(int leaves) {
  std::vector<Step> s;
  for (int l = 1; l < leaves; ++l) {
    s.push_back({0, l});
  }
  return {leaves, std::move(s)};
}

ReductionTree ReductionTree::binary(int leaves) {
  std::vector<Step> s;
  for (int stride = 1; stride < leaves; stride *= 2) {
    for (int i = 0; i + stride < leaves; i += 2 * stride) {
      s.push_back({i, i + stride});
    }
  }
  return {leaves, std::move(s)};
}

ReductionTree ReductionTree::grouped(int leaves, int group) {
  if (group < 1) {
    throw std::invalid_argument(fmt::format("reduction group size {} must be >= 1", group));
  }
  std::vector<Step> s;
  for (int lead = 0; lead < leaves; lead += group) {
    for (int l = lead + 1; l < std::min(leaves, lead + group); ++l) {
      s.push_back({lead, l});
    }
  }
  for (int lead = group; lead < leaves; lead += group) {
    s.push_back({0, lead});
  }
  return {leaves, std::move(s)};
}

SumOrder SumOrder::split(std::int64_t n, int parts, ReductionTree tree) {
  if (parts < 1 || tree.leaves() != parts) {
    throw std::invalid_argument(fmt::format(
        "split into {} parts needs a tree of as many leaves, not {}", parts, tree.leaves()));
  }
  SumOrder o;
  o.bounds.push_back(0);
  for (int p = 0; p < parts; ++p) {
    o.bounds.push_back(o.bounds.back() + n / parts + (p < n % parts ? 1 : 0));
  }
  o.tree = std::move(tree);
  return o;
}

SumOrder SumOrder::deal(std::int64_t n, int parts, ReductionTree tree) {
  SumOrder o = split(n, parts, std::move(tree));
  o.dealt = true;
  return o;
}

void SumOrder::check(std::int64_t n) const {
  if (bounds.empty()) {
    if (tree.leaves() != 1) {
      throw std::invalid_argument("a single-chunk sum order needs a 1-leaf tree");
    }
    return;
  }
  if (bounds.front() != 0 || bounds.back() != n) {
    throw std::invalid_argument(
        fmt::format("sum order covers terms [{}, {}) but the sum has {} terms", bounds.front(),
                    bounds.back(), n));
  }
  for (std::size_t i = 1; i < bounds.size(); ++i) {
    if (bounds[i] < bounds[i - 1]) {
      throw std::invalid_argument(
          fmt::format("sum order chunk bounds decrease at chunk {}", i - 1));
    }
  }
  if (static_cast<std::size_t>(tree.leaves()) != bounds.size() - 1) {
    throw std::invalid_argument(fmt::format("sum order has {} chunks but its tree {} leaves",
                                            bounds.size() - 1, tree.leaves()));
  }
  if (dealt) {
    // Dealing round robin gives chunk c exactly ceil((n - c) / k) terms; other counts name
    // terms that do not exist or leave some out.
    const auto k = static_cast<std::int64_t>(bounds.size() - 1);
    for (std::int64_t c = 0; c < k; ++c) {
      const std::int64_t want = n / k + (c < n % k ? 1 : 0);
      if (bounds[c + 1] - bounds[c] != want) {
        throw std::invalid_argument(fmt::format(
            "dealt sum order: chunk {} counts {} terms, dealing {} over {} gives it {}", c,
            bounds[c + 1] - bounds[c], n, k, want));
      }
    }
  }
}

float ordered_sum(std::span<const float> terms, const SumOrder& order, std::span<float> scratch) {
  const auto n = static_cast<std::int64_t>(terms.size());
  order.check(n);
  const auto chunk_sum = [&](std::int64_t begin, std::int64_t end) {
    float acc = 0.0F;
    for (std::int64_t i = begin; i < end; ++i) {
      acc = acc + terms[static_cast<std::size_t>(i)];
    }
    return acc;
  };
  if (order.bounds.empty()) {
    return chunk_sum(0, n);
  }
  const std::size_t chunks = order.bounds.size() - 1;
  if (scratch.size() < chunks) {
    throw std::invalid_argument(
        fmt::format("ordered_sum needs {} scratch floats, got {}", chunks, scratch.size()));
  }
  for (std::size_t c = 0; c < chunks; ++c) {
    if (order.dealt) {
      float acc = 0.0F;
      for (auto i = static_cast<std::int64_t>(c); i < n; i += static_cast<std::int64_t>(chunks)) {
        acc = acc + terms[static_cast<std::size_t>(i)];
      }
      scratch[c] = acc;
    } else {
      scratch[c] = chunk_sum(order.bounds[c], order.bounds[c + 1]);
    }
  }
  for (const ReductionTree::Step s : order.tree.steps()) {
    scratch[static_cast<std::size_t>(s.dst)] =
        scratch[static_cast<std::size_t>(s.dst)] + scratch[static_cast<std::size_t>(s.src)];
  }
  return scratch[0];
}

const OrderPolicy& sequential_order() {
  static const SequentialOrder order;
  return order;
}

const char* stage_name(Stage s) {
  static constexpr std::array<const char*, 14> names = {
      "rms_att", "wq",      "wk", "wv", "attn_score", "softmax_sum", "attn_value",
      "wo",      "rms_ffn", "w1", "w3", "w2",         "rms_final",   "classifier"};
  return names.at(static_cast<std::size_t>(s));
}

}  // namespace wm::sw::model
