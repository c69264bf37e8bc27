// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// main() of every harness test executable: Boost.Test hosts the WM_TESTs as test cases; the
// Regression runs them and reports as cocotb does.
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "wm/harness/regression.hpp"

namespace {
// Boost.Test's init hook takes no argument, so it finds the regression here. Set once in
// main before Boost runs, never changed.
wm::harness::Regression* g_regression = nullptr;

bool add_tests() {
  auto& suite = boost::unit_test::framework::master_test_suite();
  suite.p_name.value = g_regression->config().suite;
  auto tests = g_regression->selected();
  if (tests.empty()) {
    fmt::print("harness: no test matches the filter (COCOTB_TEST_FILTER='{}', TESTCASE='{}')\n",
               g_regression->config().filter,
               fmt::join(g_regression->config().testcases, ","));
  }
  for (const wm::harness::TestInfo* t : tests) {
    suite.add(boost::unit_test::make_test_case(
        [t] {
          std::string failure = g_regression->run(*t);
          if (!failure.empty()) BOOST_ERROR(failure);
        },
        t->name, t->file, static_cast<std::size_t>(t->line)));
  }
  return true;
}
}  // namespace

int main(int argc, char** argv) {
  try {
    bool waves = false;
    std::vector<char*> args;
    for (int i = 0; i < argc; ++i) {
      if (i > 0 && std::strcmp(argv[i], "--waves") == 0) {
        waves = true;
      } else {
        args.push_back(argv[i]);
      }
    }
    // Plain output unless asked: ctest logs and CI consoles do not render escapes. A crash
    // (SIGSEGV...) ends the process rather than being caught by Boost, which would jump over
    // the running test's destructors and run the next test in a corrupt state.
    bool colour_set = false, signals_set = false;
    for (char* a : args) {
      colour_set |= std::strncmp(a, "--color_output", 14) == 0;
      signals_set |= std::strncmp(a, "--catch_system_errors", 21) == 0;
    }
    std::string no_colour = "--color_output=false";
    std::string no_signals = "--catch_system_errors=no";
    if (!colour_set) args.push_back(no_colour.data());
    if (!signals_set) args.push_back(no_signals.data());
    args.push_back(nullptr);
    wm::harness::Regression regression(wm::harness::RegressionConfig::from_env(waves));
    g_regression = &regression;
    int rc = boost::unit_test::unit_test_main(&add_tests, static_cast<int>(args.size() - 1),
                                              args.data());
    std::size_t failed = regression.finish();
    return (rc != 0 || failed != 0) ? 1 : 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "harness: {}\n", e.what());
    return 2;
  }
}
