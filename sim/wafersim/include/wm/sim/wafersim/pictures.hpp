// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Pictures of a run (wafersim --report-dir): a timeline of every PE's tasks for ui.perfetto.dev
// or chrome://tracing, SVG heatmaps of tile and link utilisation, and an index.html that shows
// them. The input is a plain value, independent of the mesh, so the pictures can be tested
// with synthetic data and drawn from any run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wm/sim/activity.hpp"

namespace wm::sim::wafersim {

/// One phase of one token on the whole mesh: cycles [begin, end).
struct PhaseSpan {
  std::string name;  ///< "qkv"
  int layer = -1;    ///< shown as "qkv L0"; -1: no layer (final norm, classifier)
  int token = -1;    ///< the position it belongs to; -1: not shown
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

struct PictureInput {
  unsigned width = 0;
  unsigned height = 0;
  /// The window the activity counters cover, [first_cycle, last_cycle): utilisation is a
  /// counter over last_cycle - first_cycle.
  std::uint64_t first_cycle = 0;
  std::uint64_t last_cycle = 0;
  /// Per tile t = y * width + x: its PE's task spans in cycle order (Mesh::task_spans). They
  /// may cover more than the window (e.g. setup); the timeline shows them all.
  std::vector<std::vector<TaskSpan>> spans;
  /// Per tile: the counters over the window (a difference of two Mesh::activity snapshots).
  std::vector<TileActivity> activity;
  /// Optional: the mesh's phases, any order. They get their own track, and each task span is
  /// cut into its parts in each phase, drawn nested under it.
  std::vector<PhaseSpan> phases;
  /// Optional, empty or one list per tile: each tile's own phases (from its phase marks), which
  /// then cut that tile's tasks instead of the mesh's phases.
  std::vector<std::vector<PhaseSpan>> tile_phases;
  double clock_hz = 1.1e9;  ///< for the real-time figures of the index
  std::string title;        ///< one line naming the run, e.g. model and mesh
};

/// The files write_report_dir writes, relative to the directory.
struct ReportFiles {
  static constexpr const char* kTimeline = "timeline.json";
  static constexpr const char* kTileBusy = "tile_busy.svg";
  static constexpr const char* kTileMac = "tile_mac.svg";
  static constexpr const char* kLinkLoad = "link_load.svg";
  static constexpr const char* kIndex = "index.html";
};

/// Writes the timeline, the three heatmaps and index.html into `dir` (which must exist).
/// Timeline time unit: 1 us of the trace is 1 clock cycle, so the viewers' readouts are cycle
/// numbers, exact at any run length (see docs/architecture.md). Throws std::invalid_argument
/// for an inconsistent input and std::runtime_error naming the file that cannot be written.
void write_report_dir(const std::string& dir, const PictureInput& in);

}  // namespace wm::sim::wafersim
