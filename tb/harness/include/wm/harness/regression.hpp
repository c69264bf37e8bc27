// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The regression manager: picks tests from the environment (cocotb's variables), runs each on
// a fresh model, logs as cocotb does, and writes results.xml and the summary table.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "wm/harness/log.hpp"
#include "wm/harness/results.hpp"
#include "wm/harness/registry.hpp"

namespace wm::harness {

struct RegressionConfig {
  std::filesystem::path exe;  ///< absolute path of this executable (for the reproduce line)
  std::string suite;          ///< its file name: cocotb's "module"
  std::uint64_t seed = 0;
  std::string filter;                  ///< COCOTB_TEST_FILTER (regex), empty: all
  std::vector<std::string> testcases;  ///< TESTCASE (cocotb 1.x comma list), empty: all
  std::filesystem::path results_file;
  bool waves = false;
  bool check_read_only = true;  ///< WM_HARNESS_READONLY_CHECK=0 turns the write check off
  Level level = Level::info;
  double default_limit_ns = 1e7;

  /// Reads COCOTB_RANDOM_SEED/RANDOM_SEED, COCOTB_TEST_FILTER/TESTCASE, COCOTB_RESULTS_FILE,
  /// COCOTB_LOG_LEVEL, WAVES, WM_TEST_SIM_LIMIT_NS, WM_HARNESS_READONLY_CHECK. Throws std::invalid_argument on bad values.
  static RegressionConfig from_env(bool waves_flag);
};

class Regression {
 public:
  explicit Regression(RegressionConfig config);

  /// The registered tests the filter selects, in definition order.
  std::vector<const TestInfo*> selected() const;

  /// Runs one test. Returns the failure report (empty when it passed or was skipped).
  std::string run(const TestInfo& test);

  /// Summary table, results.xml and the closing "harness: N passed, N failed" line. Returns
  /// the number of failed tests.
  std::size_t finish();

  const RegressionConfig& config() const { return config_; }

 private:
  RegressionConfig config_;
  SimTime last_time_ = 0;  ///< sim time the last test reached: the regression log's stamp
  Logger log_;
  RegressionReport report_;
  std::size_t total_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace wm::harness
