// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// How a length is cut over the PEs of a mesh axis, how their partial sums are
// combined, and the error raised when a mapping does not fit the machine.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "wm/sw/model/sum_order.hpp"

namespace wm::sw::mapper {

/// The mapping needs more of a resource than the mesh has (SRAM words per PE,
/// colors, ...). `resource()` names it, what() says how much was needed and
/// where.
class DoesNotFit : public std::runtime_error {
 public:
  DoesNotFit(std::string resource, const std::string& what)
      : std::runtime_error(what), resource_(std::move(resource)) {}
  [[nodiscard]] const std::string& resource() const { return resource_; }

 private:
  std::string resource_;
};

/// n cut into `parts` contiguous near-equal pieces, the first n % parts one
/// longer (as model::SumOrder::split): piece p is [bounds[p], bounds[p+1]).
/// Pieces are empty when parts > n; their PEs are padding and contribute +0.
[[nodiscard]] std::vector<std::int64_t> split_bounds(std::int64_t n, int parts);

/// The mesh's streamed chain reduction over `parts` PEs of one row (or column):
/// the partial of the far end travels toward PE 0 and every PE adds its own on
/// the way, so total = p0 + (p1 + (... + (p_{k-2} + p_{k-1}))). Steps {k-2 +=
/// k-1}, ..., {0 += 1}.
[[nodiscard]] model::ReductionTree chain_to_first(int parts);

/// The order of a sum of n terms cut over `parts` PEs and chain-reduced to PE
/// 0.
[[nodiscard]] model::SumOrder mesh_sum_order(std::int64_t n, int parts);

/// The order of a sum over n cached positions dealt over `parts` PEs of a mesh row (position
/// t on PE t % parts, each PE summing its own in position order from +0), chain-reduced to
/// PE 0: the softmax denominator and the attention values.
[[nodiscard]] model::SumOrder mesh_dealt_order(std::int64_t n, int parts);

}  // namespace wm::sw::mapper
