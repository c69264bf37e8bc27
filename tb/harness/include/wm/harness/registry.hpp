// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The tests of one executable, as WM_TEST registers them (test.hpp), and what a run needs.

#include <exception>
#include <filesystem>
#include <string>
#include <vector>

#include "wm/harness/context.hpp"
#include "wm/harness/log.hpp"
#include "wm/harness/time.hpp"

namespace wm::harness {

struct TestOptions {
  /// Sim-time watchdog in ns; 0 takes WM_TEST_SIM_LIMIT_NS or the default (10 ms).
  double sim_time_limit_ns = 0;
  /// The test must fail (check/fail or any error); it is reported as passing if it does.
  bool expect_fail = false;
  /// Reported as skipped without running.
  bool skip = false;
};

/// What the regression hands one test run.
struct RunEnv {
  const TestContext& context;
  SimTime sim_time_limit;
  bool waves;
  bool check_read_only;
  std::filesystem::path wave_file;
  const Logger& reg_log;
  SimTime* end_time;  ///< out: sim time when the test ended
};

using RunFn = std::exception_ptr (*)(const RunEnv&);

struct TestInfo {
  std::string name;
  std::string file;
  int line;
  TestOptions options;
  RunFn run;
};

/// Every WM_TEST of this executable, in definition order.
std::vector<TestInfo>& registry();

struct Registration {
  Registration(const char* name, const char* file, int line, TestOptions options, RunFn run);
};

}  // namespace wm::harness
