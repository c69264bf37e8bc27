// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The phases of one token as the RTL ran them, read off the PEs' phase marks (the mapper puts a
// label at the first instruction of every phase of every tile's program; BasicMesh records the
// cycle each PE retires it), and their check against the mapper's per-phase prediction.
//
// A phase of the mesh ends when the last tile enters the next one: phase p spans
// [E(p-1), E(p)) with E(p) = max over tiles of the cycle the tile reached mark p+1, E(-1) the
// token's entry and E(last) its exit. So the phases partition the token's cycles exactly, and
// the tile that set E(p) (the critical tile) is where phase p's time went.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wm/sim/activity.hpp"

namespace wm::sim::wafersim {

/// One phase of one token on the mesh.
struct PhaseTiming {
  std::uint64_t begin = 0;  ///< the previous phase's end (the token's entry for the first)
  std::uint64_t end = 0;    ///< the cycle the last tile entered the next phase (or the exit)
  unsigned critical = 0;    ///< the tile that entered the next phase last
  /// The critical tile's own window in this phase (from its mark to its next mark) and what its
  /// PE did in it: cycles = tile_end - tile_begin.
  std::uint64_t tile_begin = 0;
  std::uint64_t tile_end = 0;
  TileActivity work;
  [[nodiscard]] std::uint64_t cycles() const { return end - begin; }
};

/// Reads each token's phases from the mesh's mark hits as they accumulate.
class PhaseClock {
 public:
  /// `phases`: marks per tile and token (every tile has the same number).
  PhaseClock(std::size_t phases, unsigned tiles) : phases_(phases), seen_(tiles, 0) {}

  /// The token that entered at `entry` and left at `exit`: every tile must have reached each
  /// of its marks once more since the previous token. `last_tile` is charged with the last
  /// phase (the one whose output leaves the mesh). Throws RtlError naming a tile that did not.
  template <class MeshT>
  std::vector<PhaseTiming> token(const MeshT& mesh, std::uint64_t entry, std::uint64_t exit,
                                 unsigned last_tile) {
    hits_.resize(mesh.tiles());
    for (unsigned t = 0; t < mesh.tiles(); ++t) {
      const auto& h = mesh.mark_hits(t);
      hits_[t] = std::span<const MarkHit>(h).subspan(seen_[t]);
      seen_[t] = h.size();
    }
    return split(hits_, entry, exit, last_tile, mesh.width());
  }

  /// The same from the hits alone (one span per tile, exactly `phases` hits each): the part
  /// that is pure arithmetic, tested on its own.
  [[nodiscard]] std::vector<PhaseTiming> split(std::span<const std::span<const MarkHit>> hits,
                                               std::uint64_t entry, std::uint64_t exit,
                                               unsigned last_tile, unsigned width) const;

 private:
  std::size_t phases_;
  std::vector<std::size_t> seen_;
  std::vector<std::span<const MarkHit>> hits_;
};

/// How far a phase may run from its prediction: |measured - predicted| <= ratio * predicted +
/// slack (the slack covers the few cycles of control no estimate counts).
struct Tolerance {
  double ratio = 0.25;
  std::int64_t slack = 64;
  [[nodiscard]] bool holds(std::int64_t predicted, std::uint64_t measured) const;
};

/// A phase of a token outside its tolerance, with its explanation.
struct Deviation {
  int pos = 0;
  std::string phase;  ///< "ffn L1"
  std::int64_t predicted = 0;
  std::uint64_t measured = 0;
  std::string where;  ///< the critical tile and what its PE did, e.g. a task wait
};

/// "ffn L1", or "classifier" for a phase outside the layers (layer -1).
[[nodiscard]] std::string phase_label(const std::string& name, int layer);

/// "(x, y)" of tile t.
[[nodiscard]] std::string tile_name(unsigned t, unsigned width);

/// Why phase `p` took as long as it did, from its critical tile's work: issuing vector
/// elements, retiring instructions, or waiting (a task that runs but neither issues nor
/// retires: input from the fabric, output credits, or SRAM bank conflicts), and how late the
/// tile entered the phase.
[[nodiscard]] std::string explain(const PhaseTiming& p, unsigned width);

}  // namespace wm::sim::wafersim
