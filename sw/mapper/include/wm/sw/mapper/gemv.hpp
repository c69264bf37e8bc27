// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// MeshGEMV y = W x on a W x H mesh (docs/mapping.md, "MeshGEMV"): W's columns
// (the K axis) are cut over the mesh columns, its rows over the mesh rows; PE
// (c, r) holds the block rows_r x cols_c and the slice x[cols_c], computes its
// partials with one fdotv, and the partials of a mesh row are chain-reduced
// westward into PE (0, r), streamed one element per hop. Column 0 then streams
// y to the host in row order.

#include <cstdint>
#include <span>
#include <vector>

#include "wm/sw/mapper/mesh_program.hpp"
#include "wm/sw/model/sum_order.hpp"
#include "wm/sw/model/weights.hpp"

namespace wm::sw::mapper {

/// Colors of the mapped programs (8 per router).
namespace color {
inline constexpr std::uint8_t host = 0;     ///< addressed: configuration, LOAD, ACTIVATE
inline constexpr std::uint8_t reduce0 = 1;  ///< row chain, PEs of even column send on it
inline constexpr std::uint8_t reduce1 = 2;  ///< row chain, PEs of odd column
inline constexpr std::uint8_t gather0 = 3;  ///< column-0 gather, PEs of even row send on it
inline constexpr std::uint8_t gather1 = 4;  ///< column-0 gather, PEs of odd row
}  // namespace color

struct MeshShape {
  int width = 1;
  int height = 1;
  unsigned mem_words = 12288;
  unsigned num_colors = 8;
};

/// The analytic cycle estimate of one phase (docs/mapping.md, "Cycle
/// estimate"): compute at one element per cycle per PE, plus the critical path
/// of the reductions and transfers at the router's hop latency.
struct PhaseEstimate {
  std::int64_t compute = 0;  ///< the busiest PE's elements
  std::int64_t network = 0;  ///< streaming + hop latency on the critical path
  [[nodiscard]] std::int64_t total() const { return compute + network; }
};

class MeshGemv {
 public:
  /// Maps `w` (rows x cols) onto `shape`; throws DoesNotFit naming the resource
  /// and tile.
  MeshGemv(const model::MatrixView& w, const MeshShape& shape);

  [[nodiscard]] const MeshProgram& program() const { return program_; }
  /// The host's wavelets for one product: every PE's x slice as a LOAD, then
  /// ACTIVATE task 0 of every PE; the output is y[0..rows) in order.
  [[nodiscard]] HostStep step(std::span<const float> x) const;
  /// The order in which every row's sum is added on the mesh.
  [[nodiscard]] const model::SumOrder& order() const { return order_; }
  /// y in the mesh's order (the golden model): model::ordered_sum of row[k] *
  /// x[k].
  [[nodiscard]] std::vector<float> golden(std::span<const float> x) const;
  /// Cycle estimate at `hop_latency` cycles per router hop.
  [[nodiscard]] PhaseEstimate estimate(int hop_latency = 2) const;

 private:
  model::MatrixView w_;
  MeshShape shape_;
  std::vector<std::int64_t> row_bounds_;  ///< over mesh rows
  std::vector<std::int64_t> col_bounds_;  ///< over mesh columns
  model::SumOrder order_;
  std::vector<std::uint32_t> x_addr_;  ///< per tile
  MeshProgram program_;
};

}  // namespace wm::sw::mapper
