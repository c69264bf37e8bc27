// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// What the composed mesh records about each tile's work (activity counters, task spans, phase
// marks), apart from the mesh itself so that reports and pictures need no Verilator header.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "wm/sim/wavelet.hpp"

namespace wm::sim {

/// Cycles with each activity bit, summed while MeshOptions::count_activity is on.
struct TileActivity {
  std::uint64_t busy = 0, running = 0, task_starts = 0, retired = 0, elems = 0, macs = 0;
  std::uint64_t ramp_rx = 0, ramp_tx = 0;
  std::array<std::uint64_t, kNumDirs> link{};  ///< wavelets sent on port d

  /// The activity between two snapshots of the same tile (later - earlier).
  friend TileActivity operator-(const TileActivity& a, const TileActivity& b) {
    TileActivity d;
    d.busy = a.busy - b.busy;
    d.running = a.running - b.running;
    d.task_starts = a.task_starts - b.task_starts;
    d.retired = a.retired - b.retired;
    d.elems = a.elems - b.elems;
    d.macs = a.macs - b.macs;
    d.ramp_rx = a.ramp_rx - b.ramp_rx;
    d.ramp_tx = a.ramp_tx - b.ramp_tx;
    for (std::size_t i = 0; i < d.link.size(); ++i) d.link[i] = a.link[i] - b.link[i];
    return d;
  }
};

/// One task's run on one PE: running from cycle `begin` up to, not including, `end`.
struct TaskSpan {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  unsigned task = 0;
};

/// A PE retired the instruction at one of its marks (set_marks): when, which mark, and the
/// tile's activity counters as they stood then, so the work between two marks is a difference.
struct MarkHit {
  std::uint64_t cycle = 0;
  unsigned mark = 0;
  TileActivity at;
};

}  // namespace wm::sim
