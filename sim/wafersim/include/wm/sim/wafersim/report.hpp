// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// What a verified run measured, as text for the terminal and as JSON (--report).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "wm/sim/wafersim/phases.hpp"

namespace wm::sim::wafersim {

inline constexpr double kClockHz = 1.1e9;  ///< BRIEF section 2's nominal clock

struct TokenRecord {
  int pos = 0;
  int input = 0;         ///< the token fed at this position
  int output = 0;        ///< argmax of its logits
  bool generated = false;  ///< past the prompt: `output` is a generated token
  std::uint64_t entry = 0;
  std::uint64_t exit = 0;
  std::int64_t bound = 0;      ///< the mapping's analytic lower bound for this position
  std::int64_t predicted = 0;  ///< the mapper's schedule prediction for this position
  std::vector<std::uint64_t> phases;  ///< measured cycles per phase (PhaseClock)
};

/// One phase: the prediction and the measurement of the last token, and over all tokens.
struct PhaseRecord {
  std::string name;
  int layer = -1;
  std::int64_t compute = 0;  ///< predicted, at the last position
  std::int64_t network = 0;
  std::int64_t bound = 0;    ///< the lower bound, at the last position
  std::uint64_t measured = 0;  ///< the last token
  std::string critical;        ///< the last token's critical tile
  double mean_ratio = 0;       ///< measured / predicted, averaged over the tokens
  double max_ratio = 0;
};

struct Utilisation {
  double mean = 0;
  double max = 0;
  std::string max_at;  ///< the tile (or link) of the max
};

struct Report {
  std::string model;
  std::string config;  ///< model::describe
  unsigned width = 0;
  unsigned height = 0;
  unsigned threads = 1;
  std::vector<int> prompt;
  std::vector<int> generated;
  std::uint64_t setup_cycles = 0;
  std::uint64_t setup_wavelets = 0;
  std::vector<TokenRecord> tokens;
  int hop_latency = 0;                ///< of the bound and the prediction
  std::vector<PhaseRecord> phases;    ///< per phase, in program order
  Tolerance tolerance;                ///< of the per-token phase check
  std::vector<Deviation> deviations;  ///< phases outside it, every token
  Utilisation busy, mac, link;        ///< over the token cycles (setup excluded)
  std::uint64_t logits_checked = 0;
  double wall_seconds = 0;
  double tile_cycles_per_second = 0;
};

/// The human report (stdout).
void print_text(std::FILE* f, const Report& r);
/// The same content as JSON.
void write_json(const std::string& path, const Report& r);

}  // namespace wm::sim::wafersim
