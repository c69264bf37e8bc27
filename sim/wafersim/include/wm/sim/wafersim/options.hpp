// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// wafersim's command line: parsed strictly, so a typo is an error (exit 2), never a default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wm::sim::wafersim {

struct Options {
  std::string model = "builtin";
  std::optional<std::uint64_t> seed;  ///< generator seed of the builtin model
  unsigned width = 8;
  unsigned height = 8;
  std::vector<int> prompt = {1, 7, 42};
  int tokens = 32;
  unsigned threads = 1;
  std::uint64_t watchdog = 100'000;  ///< cycles without any progress before the run fails
  std::string report;                ///< JSON path; empty: none
  std::string report_dir;            ///< pictures of the run (pictures.hpp); empty: none
  std::string waves;                 ///< FST path (per tile when several); empty: none
  /// --waves-tiles: the traced tiles as indices y * width + x, in the order given, no repeats.
  std::vector<unsigned> waves_tiles = {0};
  std::uint64_t waves_from = 0;
  std::uint64_t waves_to = UINT64_MAX;
  bool help = false;
};

/// The usage text (--help).
[[nodiscard]] const char* usage();

/// Parses argv; throws wm::sw::tools::UsageError with a one-line reason. The prompt ids are
/// checked against the model later (the vocabulary is not known here). --report-dir is created
/// here when missing, so an unusable directory fails before the run rather than after it.
[[nodiscard]] Options parse_options(int argc, const char* const* argv);

}  // namespace wm::sim::wafersim
