#pragma once
// The order in which a float32 sum is added up. Float addition is not associative, so the
// golden model must add in exactly the order the mesh does; the mapper describes that order
// with these types and the float decoder follows it.

#include <cstdint>
#include <span>
#include <vector>

namespace wm::sw::model {

/// How k partial sums (slots 0..k-1) are combined: each step does slot[dst] += slot[src], in
/// list order; slot 0 ends up holding the total. Every slot but 0 is consumed exactly once.
class ReductionTree {
 public:
  struct Step {
    int dst;
    int src;
  };

  /// Validates: throws std::invalid_argument naming the first bad step.
  ReductionTree(int leaves, std::vector<Step> steps);

  /// ((p0 + p1) + p2) + ...: a chain, as one PE accumulating its neighbours' partials in turn.
  static ReductionTree chain(int leaves);
  /// Pairwise with doubling stride (p0+p1, p2+p3, then (p0+p1)+(p2+p3), ...).
  static ReductionTree binary(int leaves);
  /// WaferLLM's two-phase K-tree: chains within groups of `group` consecutive slots into the
  /// group's first slot, then a chain over the group leaders.
  static ReductionTree grouped(int leaves, int group);

  [[nodiscard]] int leaves() const { return leaves_; }
  [[nodiscard]] std::span<const Step> steps() const { return steps_; }

 private:
  int leaves_;
  std::vector<Step> steps_;
};

/// The order of one sum of n terms: the terms are split into chunks (one PE's share each),
/// every chunk is summed in term order starting from +0.0f (a zeroed accumulator), and the
/// chunk sums are combined by `tree`. No bounds means a single chunk: the plain left-to-right
/// sum of llama2.c's loops.
struct SumOrder {
  std::vector<std::int64_t> bounds;  ///< chunk c is terms [bounds[c], bounds[c+1]); empty: one
  ReductionTree tree = ReductionTree::chain(1);
  /// The terms are dealt round robin instead: with k chunks, chunk c holds terms c, c + k,
  /// c + 2k, ... (a KV cache whose positions are dealt over the PEs of a mesh row). `bounds`
  /// then only counts them: chunk c holds bounds[c+1] - bounds[c] terms, as `split` cuts them.
  bool dealt = false;

  static SumOrder sequential() { return {}; }
  /// `parts` near-equal chunks (the first n % parts one longer), combined by `tree`, which must
  /// have `parts` leaves. Chunks may be empty when parts > n (padding PEs contribute +0).
  static SumOrder split(std::int64_t n, int parts, ReductionTree tree);
  /// The n terms dealt round robin into `parts` chunks (term t into chunk t % parts), combined
  /// by `tree`; the chunks hold as many terms as `split`'s. Empty chunks contribute +0.
  static SumOrder deal(std::int64_t n, int parts, ReductionTree tree);

  /// Throws std::invalid_argument unless this order sums exactly n terms.
  void check(std::int64_t n) const;
};

/// Sums `terms` in `order` (checked against terms.size()). `scratch` needs one float per
/// chunk; passing it keeps the hot loop free of allocation.
[[nodiscard]] float ordered_sum(std::span<const float> terms, const SumOrder& order,
                                std::span<float> scratch);

/// Where in the forward pass a sum happens, so a policy can give each its own order.
enum class Stage {
  rms_att,
  wq,
  wk,
  wv,
  attn_score,
  softmax_sum,
  attn_value,
  wo,
  rms_ffn,
  w1,
  w3,
  w2,
  rms_final,
  classifier
};
[[nodiscard]] const char* stage_name(Stage s);

struct SumSite {
  Stage stage;
  int layer = 0;  ///< -1 for rms_final and classifier
  int head = 0;   ///< query head for attention sums, else 0
  /// GEMV: the output row; attn_score: the key position; attn_value: the element of the
  /// head's output; otherwise 0.
  std::int64_t index = 0;
};

/// Picks the order of every sum. The mapper implements it to make the float decoder follow
/// the mesh; the returned order must stay valid until the next call.
class OrderPolicy {
 public:
  virtual ~OrderPolicy() = default;
  [[nodiscard]] virtual const SumOrder& order(const SumSite& site, std::int64_t n) const = 0;
};

/// llama2.c's order everywhere: every sum left to right from +0.0f.
class SequentialOrder final : public OrderPolicy {
 public:
  [[nodiscard]] const SumOrder& order(const SumSite& /*site*/, std::int64_t /*n*/) const override {
    return order_;
  }

 private:
  SumOrder order_ = SumOrder::sequential();
};

/// A shared immutable SequentialOrder.
[[nodiscard]] const OrderPolicy& sequential_order();

}  // namespace wm::sw::model
