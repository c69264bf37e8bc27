// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/harness/regression.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <stdexcept>

#include "wm/harness/errors.hpp"

namespace wm::harness {

namespace {
const char* env(const char* name) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? v : nullptr;
}

std::uint64_t parse_u64(const char* var, const char* text) {
  std::uint64_t v = 0;
  std::string_view s(text);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    throw std::invalid_argument(fmt::format("{}='{}' is not a non-negative integer", var, text));
  }
  return v;
}

std::string describe(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const TestFailure& x) {
    return x.what();
  } catch (const TestSkipped& x) {
    return x.what();
  } catch (const SimTimeoutError& x) {
    return fmt::format("SimTimeoutError: {}", x.what());
  } catch (const TaskCancelled& x) {
    return fmt::format("TaskCancelled: {}", x.what());
  } catch (const SchedulerError& x) {
    return fmt::format("SchedulerError: {}", x.what());
  } catch (const std::exception& x) {
    return fmt::format("unexpected exception: {}", x.what());
  } catch (...) {
    return "unexpected exception of a non-std type";
  }
}

bool is_skip(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const TestSkipped&) {
    return true;
  } catch (...) {
    return false;
  }
}
}  // namespace

std::vector<TestInfo>& registry() {
  static std::vector<TestInfo> tests;
  return tests;
}

Registration::Registration(const char* name, const char* file, int line, TestOptions options,
                           RunFn run) {
  registry().push_back(TestInfo{name, file, line, options, run});
}

RegressionConfig RegressionConfig::from_env(bool waves_flag) {
  RegressionConfig c;
  std::error_code ec;
  c.exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  c.suite = c.exe.filename().string();
  if (const char* s = env("COCOTB_RANDOM_SEED")) {
    c.seed = parse_u64("COCOTB_RANDOM_SEED", s);
  } else if (const char* s1 = env("RANDOM_SEED")) {
    c.seed = parse_u64("RANDOM_SEED", s1);
  } else {
    // cocotb's default: the wall-clock time in seconds, printed so a failure can be rerun.
    c.seed = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count());
  }
  if (const char* f = env("COCOTB_TEST_FILTER")) {
    c.filter = f;
  } else if (const char* tc = env("TESTCASE")) {
    std::string_view list(tc);
    while (!list.empty()) {
      auto comma = list.find(',');
      std::string_view item = list.substr(0, comma);
      if (!item.empty()) c.testcases.emplace_back(item);
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  // Default beside the executable, not in the cwd: ctest runs many executables in parallel
  // and each must keep its own results.
  if (const char* r = env("COCOTB_RESULTS_FILE")) {
    c.results_file = r;
  } else {
    c.results_file = c.exe.parent_path() / (c.suite + ".results.xml");
  }
  const char* w = env("WAVES");
  c.waves = waves_flag || (w != nullptr && std::string_view(w) != "0");
  if (const char* l = env("COCOTB_LOG_LEVEL")) c.level = parse_level(l);
  if (const char* ro = env("WM_HARNESS_READONLY_CHECK")) {
    c.check_read_only = std::string_view(ro) != "0";
  }
  if (const char* lim = env("WM_TEST_SIM_LIMIT_NS")) {
    c.default_limit_ns = static_cast<double>(parse_u64("WM_TEST_SIM_LIMIT_NS", lim));
  }
  return c;
}

Regression::Regression(RegressionConfig config)
    : config_(std::move(config)),
      log_("cocotb.regression", config_.level, &last_time_),
      start_(std::chrono::steady_clock::now()) {
  report_.suite = config_.suite;
  report_.seed = config_.seed;
  if (!config_.filter.empty()) {
    try {
      std::regex check(config_.filter);
    } catch (const std::regex_error& e) {
      throw std::invalid_argument(
          fmt::format("COCOTB_TEST_FILTER='{}' is not a valid regex: {}", config_.filter, e.what()));
    }
  }
  log_.info("Seeding test RNGs with COCOTB_RANDOM_SEED={}", config_.seed);
}

std::vector<const TestInfo*> Regression::selected() const {
  std::vector<const TestInfo*> out;
  std::optional<std::regex> re;
  if (!config_.filter.empty()) re.emplace(config_.filter);
  for (const TestInfo& t : registry()) {
    bool take = true;
    if (re) {
      take = std::regex_search(t.name, *re);
    } else if (!config_.testcases.empty()) {
      take = std::find(config_.testcases.begin(), config_.testcases.end(), t.name) !=
             config_.testcases.end();
    }
    if (take) out.push_back(&t);
  }
  return out;
}

std::string Regression::run(const TestInfo& test) {
  if (total_ == 0) total_ = selected().size();
  const std::size_t index = report_.tests.size() + 1;
  const std::string full = fmt::format("{}.{}", config_.suite, test.name);
  TestRecord rec{test.name, test.file, test.line, Outcome::pass, 0, 0, {}};

  if (test.options.skip) {
    rec.outcome = Outcome::skip;
    rec.message = "skipped by its options";
    log_.info("{} skipped ({}/{})", full, index, total_);
    report_.tests.push_back(rec);
    return {};
  }

  last_time_ = 0;  // every test starts a fresh model at time 0
  log_.info("running {} ({}/{})", full, index, total_);
  TestContext ctx(test.name, test_seed(config_.seed, test.name), config_.level);
  double limit_ns = test.options.sim_time_limit_ns > 0 ? test.options.sim_time_limit_ns
                                                       : config_.default_limit_ns;
  SimTime end_time = 0;
  RunEnv run_env{ctx,
                 to_ps(limit_ns, Unit::ns),
                 config_.waves,
                 config_.check_read_only,
                 config_.exe.parent_path() / fmt::format("{}.{}.fst", config_.suite, test.name),
                 log_,
                 &end_time};
  auto t0 = std::chrono::steady_clock::now();
  std::exception_ptr err;
  try {
    err = test.run(run_env);
  } catch (...) {
    err = std::current_exception();  // e.g. the model's constructor
  }
  rec.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rec.sim_ns = from_ps(end_time, Unit::ns);
  last_time_ = end_time;
  report_.sim_ns += rec.sim_ns;

  std::string report;
  if (err && is_skip(err)) {
    rec.outcome = Outcome::skip;
    rec.message = describe(err);
    log_.info("{} skipped: {}", full, rec.message);
  } else if (test.options.expect_fail) {
    if (err) {
      log_.info("{} passed: failed as expected: {}", full, describe(err));
    } else {
      rec.outcome = Outcome::fail;
      rec.message = "the test was expected to fail but passed";
    }
  } else if (err) {
    rec.outcome = Outcome::fail;
    rec.message = describe(err);
  } else {
    log_.info("{} passed", full);
  }
  if (rec.outcome == Outcome::fail) {
    report = fmt::format(
        "{} failed (COCOTB_RANDOM_SEED={}): {}\nreproduce: COCOTB_RANDOM_SEED={} "
        "COCOTB_TEST_FILTER='^{}$' {}",
        test.name, config_.seed, rec.message, config_.seed, test.name, config_.exe.string());
    log_.error("{}", report);
  }
  report_.tests.push_back(std::move(rec));
  return report;
}

std::size_t Regression::finish() {
  report_.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::size_t pass = 0, fail = 0;
  for (const TestRecord& t : report_.tests) {
    pass += t.outcome == Outcome::pass;
    fail += t.outcome == Outcome::fail;
  }
  if (!report_.tests.empty()) log_.write(Level::info, format_summary(report_));
  write_results_xml(report_, config_.results_file);
  log_.info("results: {}", config_.results_file.string());
  for (const TestRecord& t : report_.tests) {
    if (t.outcome != Outcome::fail) continue;
    fmt::print(stdout,
               "harness: FAILED {} (seed {}): reproduce: COCOTB_RANDOM_SEED={} "
               "COCOTB_TEST_FILTER='^{}$' {}\n",
               t.name, config_.seed, config_.seed, t.name, config_.exe.string());
  }
  fmt::print(stdout, "harness: {} passed, {} failed\n", pass, fail);
  std::fflush(stdout);
  return fail;
}

}  // namespace wm::harness
