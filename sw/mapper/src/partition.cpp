// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sw/mapper/partition.hpp"

namespace wm::sw::mapper {

std::vector<std::int64_t> split_bounds(std::int64_t n, int parts) {
  std::vector<std::int64_t> b{0};
  for (int p = 0; p < parts; ++p) {
    b.push_back(b.back() + n / parts + (p < n % parts ? 1 : 0));
  }
  return b;
}

model::ReductionTree chain_to_first(int parts) {
  std::vector<model::ReductionTree::Step> steps;
  for (int p = parts - 2; p >= 0; --p) {
    steps.push_back({p, p + 1});
  }
  return {parts, std::move(steps)};
}

model::SumOrder mesh_sum_order(std::int64_t n, int parts) {
  model::SumOrder o;
  o.bounds = split_bounds(n, parts);
  o.tree = chain_to_first(parts);
  return o;
}

model::SumOrder mesh_dealt_order(std::int64_t n, int parts) {
  return model::SumOrder::deal(n, parts, chain_to_first(parts));
}

}  // namespace wm::sw::mapper
