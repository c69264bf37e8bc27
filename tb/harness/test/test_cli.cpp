// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The harness seen from outside: runs the trigger and failing test executables as
// subprocesses and checks test selection, seeds, results.xml, failure reports and waves; and
// checks the log and summary layouts against cocotb's.
#include <Vwm_nonsynth_harness_dut.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <wm/harness/harness.hpp>
#include <wm/harness/results.hpp>

using namespace wm::harness;

WM_TEST_DUT(Vwm_nonsynth_harness_dut);

namespace {
struct Run {
  int status;
  std::string out;
};

std::filesystem::path scratch(const std::string& name) {
  auto dir = std::filesystem::current_path() / "cli_scratch";
  std::filesystem::create_directories(dir);
  return dir / name;
}

// Every run gets its own results file (a later COCOTB_RESULTS_FILE in `cmd` wins), so these
// runs never overwrite the results of ctest's own run of the same executable.
Run run(const std::string& cmd) {
  std::string full = "COCOTB_RESULTS_FILE=" + scratch("default.results.xml").string() + " " +
                     cmd + " 2>&1";
  FILE* p = popen(full.c_str(), "r");
  if (p == nullptr) fail("cannot run {}", cmd);
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int st = pclose(p);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}


std::string digest_of(const std::string& out) {
  std::smatch m;
  if (!std::regex_search(out, m, std::regex("stimulus digest ([0-9a-f]{16})"))) {
    fail("no digest in output:\n{}", out);
  }
  return m[1];
}
}  // namespace

WM_TEST(filter_selects_tests) {
  auto r = run("COCOTB_TEST_FILTER='^(clock_cycles_count_edges|lock_is_exclusive_and_fair)$' " +
               std::string(WM_TRIGGERS_EXE));
  check(r.status == 0, "filtered run failed ({}):\n{}", r.status, r.out);
  check(has(r.out, "running test_harness_triggers.clock_cycles_count_edges (1/2)") &&
            has(r.out, "running test_harness_triggers.lock_is_exclusive_and_fair (2/2)"),
        "selected tests did not run:\n{}", r.out);
  check(count(r.out, "running test_harness_triggers.") == 2, "other tests ran:\n{}", r.out);
  check(has(r.out, "\nharness: 2 passed, 0 failed\n"), "closing line missing:\n{}", r.out);

  r = run("COCOTB_TEST_FILTER=queue " + std::string(WM_TRIGGERS_EXE));  // regex search
  check(r.status == 0 && count(r.out, "running ") == 1 &&
            has(r.out, "queue_keeps_order_and_blocks_when_full passed"),
        "regex search filter:\n{}", r.out);

  r = run("TESTCASE=combine_waits_for_all,event_wakes_every_waiter_in_the_same_step " +
          std::string(WM_TRIGGERS_EXE));  // cocotb 1.x list
  check(r.status == 0 && count(r.out, "running ") == 2 && has(r.out, "combine_waits_for_all") &&
            has(r.out, "event_wakes_every_waiter_in_the_same_step passed"),
        "TESTCASE list:\n{}", r.out);

  r = run("COCOTB_TEST_FILTER=no_such_test " + std::string(WM_TRIGGERS_EXE));
  check(r.status != 0 && has(r.out, "no test matches"), "empty selection must fail:\n{}", r.out);
  co_return;
}

WM_TEST(seed_reproduces_stimulus) {
  std::string exe = std::string(WM_TRIGGERS_EXE);
  auto a = run("COCOTB_RANDOM_SEED=1 COCOTB_TEST_FILTER='^stimulus_digest$' " + exe);
  // The 1.x name, with the 2.x one unset: the regression runs this test under its own
  // COCOTB_RANDOM_SEED, which would otherwise win in the child.
  auto b = run("env -u COCOTB_RANDOM_SEED RANDOM_SEED=1 COCOTB_TEST_FILTER='^stimulus_digest$' " +
               exe);
  auto c = run("COCOTB_RANDOM_SEED=2 COCOTB_TEST_FILTER='^stimulus_digest$' " + exe);
  check(a.status == 0 && b.status == 0 && c.status == 0, "runs failed:\n{}\n{}\n{}", a.out, b.out,
        c.out);
  check(digest_of(a.out) == digest_of(b.out), "same seed, different stimulus: {} vs {}",
        digest_of(a.out), digest_of(b.out));
  check(digest_of(a.out) != digest_of(c.out), "different seeds, same stimulus {}",
        digest_of(a.out));
  check(has(a.out, fmt::format("seed {}", test_seed(1, "stimulus_digest"))),
        "per-test seed is not test_seed(1, name):\n{}", a.out);
  check(test_seed(1, "a") != test_seed(1, "b") && test_seed(1, "a") != test_seed(2, "a"),
        "test_seed ignores an input");
  auto none = run("env -u COCOTB_RANDOM_SEED -u RANDOM_SEED "
                  "COCOTB_TEST_FILTER='^stimulus_digest$' " + exe);
  check(has(none.out, "Seeding test RNGs with COCOTB_RANDOM_SEED="), "seed not printed");
  co_return;
}

WM_TEST(results_xml_has_cocotb_layout) {
  auto file = scratch("triggers.results.xml");
  std::filesystem::remove(file);
  auto r = run("COCOTB_RANDOM_SEED=77 COCOTB_RESULTS_FILE=" + file.string() +
               " COCOTB_TEST_FILTER='^(clock_cycles_count_edges|skipped_by_option|"
               "skip_at_run_time)$' " +
               std::string(WM_TRIGGERS_EXE));
  check(r.status == 0, "run failed:\n{}", r.out);
  std::string x = slurp(file);
  check(x.rfind("<?xml version='1.0' encoding='utf-8'?>\n<testsuites name=\"results\">", 0) == 0,
        "header:\n{}", x);
  check(has(x, "<testsuite name=\"test_harness_triggers\" package=\"test_harness_triggers\" "
               "tests=\"3\" failures=\"0\" skipped=\"2\""),
        "testsuite element:\n{}", x);
  check(has(x, "<property name=\"random_seed\" value=\"77\" />"), "seed property:\n{}", x);
  std::regex tc(
      "<testcase name=\"clock_cycles_count_edges\" classname=\"test_harness_triggers\" "
      "file=\"[^\"]*test_triggers.cpp\" lineno=\"[0-9]+\" time=\"[0-9.]+\" "
      "sim_time_ns=\"1035.000\" ratio_time=\"[0-9.]+\" />");
  check(std::regex_search(x, tc), "testcase element:\n{}", x);
  check(count(x, "<skipped message=") == 2 && has(x, "nothing to do at 1 ns"), "skips:\n{}", x);
  check(count(x, "</testsuites>") == 1, "document not closed:\n{}", x);
  co_return;
}

WM_TEST(failing_tests_report_name_seed_and_reproduce_line) {
  std::string exe = std::string(WM_FAILING_EXE);
  auto file = scratch("failing.results.xml");
  auto r = run("COCOTB_RANDOM_SEED=99 COCOTB_RESULTS_FILE=" + file.string() + " " + exe);
  check(r.status != 0, "a failing executable exited 0:\n{}", r.out);
  check(has(r.out, "\nharness: 1 passed, 6 failed\n"), "closing line:\n{}", r.out);
  const char* failing[] = {"check_fails",          "write_in_read_only",
                           "watchdog_sim_limit",   "everything_waits_forever",
                           "unjoined_task_error",  "expected_failure_that_passes"};
  for (const char* name : failing) {
    check(has(r.out, fmt::format("{} failed (COCOTB_RANDOM_SEED=99)", name)),
          "no failure line for {}:\n{}", name, r.out);
    check(has(r.out, fmt::format("reproduce: COCOTB_RANDOM_SEED=99 COCOTB_TEST_FILTER='^{}$' {}",
                                 name, exe)),
          "no reproduce line for {}:\n{}", name, r.out);
  }
  const char* messages[] = {"deliberate: sum_o is 0 at 4 ns",
                            "wrote to the design in the ReadOnly phase at 2000 ps",
                            "SimTimeoutError: the test ran past its sim-time limit of 100 ns",
                            "nothing is left to run at 6000 ps",
                            "unexpected exception: boom in a background task",
                            "the test was expected to fail but passed"};
  std::string x = slurp(file);
  for (const char* m : messages) {
    check(has(r.out, m), "message '{}' missing from the log:\n{}", m, r.out);
    check(has(x, m), "message '{}' missing from results.xml:\n{}", m, x);
  }
  check(has(x, "tests=\"7\" failures=\"6\" skipped=\"0\""), "counts in results.xml:\n{}", x);

  // The reproduce line reruns exactly that test, with the same seed.
  std::smatch m;
  std::string out = r.out;
  check(std::regex_search(out, m, std::regex("reproduce: (COCOTB_RANDOM_SEED=99 "
                                             "COCOTB_TEST_FILTER='\\^check_fails\\$' [^\\n]+)")),
        "reproduce line not found");
  auto again = run("COCOTB_RESULTS_FILE=" + scratch("again.xml").string() + " " + std::string(m[1]));
  check(again.status != 0 && has(again.out, "running test_harness_failing.check_fails (1/1)") &&
            has(again.out, "deliberate: sum_o is 0 at 4 ns"),
        "reproduce line did not rerun the test:\n{}", again.out);

  // With the ReadOnly check off, the write goes unnoticed (the test then dead-ends instead).
  auto unchecked = run("WM_HARNESS_READONLY_CHECK=0 COCOTB_RESULTS_FILE=" +
                       scratch("ro.xml").string() + " COCOTB_TEST_FILTER='^write_in_read_only$' " +
                       exe);
  check(unchecked.status != 0 && !has(unchecked.out, "ReadOnly phase") &&
            has(unchecked.out, "nothing is left to run"),
        "WM_HARNESS_READONLY_CHECK=0 did not turn the check off:\n{}", unchecked.out);
  co_return;
}

WM_TEST(waves_are_written_on_request) {
  auto wave = std::filesystem::path(WM_TRIGGERS_EXE).parent_path() /
              "test_harness_triggers.clock_cycles_count_edges.fst";
  std::filesystem::remove(wave);
  auto r = run("WAVES=1 COCOTB_TEST_FILTER='^clock_cycles_count_edges$' " +
               std::string(WM_TRIGGERS_EXE));
  check(r.status == 0 && has(r.out, "waves: " + wave.string()), "waves run:\n{}", r.out);
  check(std::filesystem::exists(wave) && std::filesystem::file_size(wave) > 100,
        "no wave file at {}", wave.string());
  std::filesystem::remove(wave);
  r = run("COCOTB_TEST_FILTER='^clock_cycles_count_edges$' " + std::string(WM_TRIGGERS_EXE) +
          " --waves");
  check(r.status == 0 && std::filesystem::exists(wave), "--waves wrote no file:\n{}", r.out);
  std::filesystem::remove(wave);
  co_return;
}

WM_TEST(log_and_summary_layout_match_cocotb) {
  check(format_prefix(true, 1010.0, Level::info, "test") ==
            "  1010.00ns INFO     test                               ",
        "prefix '{}'", format_prefix(true, 1010.0, Level::info, "test"));
  check(format_prefix(false, 0, Level::warning, "cocotb.regression") ==
            "     -.--ns WARNING  cocotb.regression                  ",
        "prefix '{}'", format_prefix(false, 0, Level::warning, "cocotb.regression"));
  check(format_prefix(true, 1.5, Level::error, "a.very.long.logger.name.that.goes.on.and.on") ==
            "     1.50ns ERROR    ...logger.name.that.goes.on.and.on ",
        "long name '{}'",
        format_prefix(true, 1.5, Level::error, "a.very.long.logger.name.that.goes.on.and.on"));

  RegressionReport rep;
  rep.suite = "m";
  rep.wall_s = 2.0;
  rep.sim_ns = 1030.0;
  rep.tests = {{"alpha", "f.cpp", 1, Outcome::pass, 0.5, 1010.0, {}},
               {"beta_longer_name", "f.cpp", 2, Outcome::fail, 0.25, 20.0, "x"},
               {"gamma", "f.cpp", 3, Outcome::skip, 0.0, 0.0, "y"}};
  // Produced with cocotb 2.1's own format strings (regression.py, _log_test_summary).
  const std::string expected =
      "**************************************************************************************\n"
      "** TEST                          STATUS  SIM TIME (ns)  REAL TIME (s)  RATIO (ns/s) **\n"
      "**************************************************************************************\n"
      "** m.alpha                        PASS        1010.00           0.50       2020.00  **\n"
      "** m.beta_longer_name             FAIL          20.00           0.25         80.00  **\n"
      "** m.gamma                        SKIP           0.00           0.00          -.--  **\n"
      "**************************************************************************************\n"
      "** TESTS=3 PASS=1 FAIL=1 SKIP=1               1030.00           2.00        515.00  **\n"
      "**************************************************************************************";
  check(format_summary(rep) == expected, "summary:\n{}\nexpected:\n{}", format_summary(rep),
        expected);
  co_return;
}
