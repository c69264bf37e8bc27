// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// What a regression reports: cocotb's results.xml (xUnit) and its closing summary table.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace wm::harness {

enum class Outcome { pass, fail, skip };

struct TestRecord {
  std::string name;
  std::string file;
  int line = 0;
  Outcome outcome = Outcome::pass;
  double wall_s = 0;
  double sim_ns = 0;
  std::string message;  ///< failure or skip reason
};

struct RegressionReport {
  std::string suite;  ///< the executable's name: cocotb's test module
  std::uint64_t seed = 0;
  double wall_s = 0;
  double sim_ns = 0;
  std::vector<TestRecord> tests;
};

/// cocotb 1.x's results.xml layout, which cocotb 2's tools and CI xUnit readers accept:
/// testsuites > testsuite(name) > property(random_seed), testcase(name classname file lineno
/// time sim_time_ns ratio_time) > failure | skipped.
void write_results_xml(const RegressionReport& report, const std::filesystem::path& path);

/// cocotb's closing table: TEST / STATUS / SIM TIME (ns) / REAL TIME (s) / RATIO (ns/s), then
/// TESTS=n PASS=n FAIL=n SKIP=n with the totals.
std::string format_summary(const RegressionReport& report);

}  // namespace wm::harness
