// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Per-test services: the reseeded RNG, the "test" logger, check/fail/skip, sim time.
// Free functions reach the running test's context, so helper coroutines outside the test body
// can use them too (inside WM_TEST bodies the fixture's members of the same names are used).

#include <fmt/format.h>

#include <cstdint>
#include <random>
#include <string>

#include "wm/harness/errors.hpp"
#include "wm/harness/log.hpp"

namespace wm::harness {

class TestContext {
 public:
  TestContext(std::string name, std::uint64_t seed, Level level);
  TestContext(const TestContext&) = delete;
  TestContext& operator=(const TestContext&) = delete;
  ~TestContext();

  /// The running test's context; throws SchedulerError outside a test.
  static TestContext& current();

  const std::string& name() const { return name_; }
  std::uint64_t seed() const { return seed_; }
  std::mt19937_64& random() { return rng_; }
  const Logger& log() const { return log_; }

 private:
  std::string name_;
  std::uint64_t seed_;
  std::mt19937_64 rng_;
  Logger log_;
  TestContext* outer_;
};

/// This test's seed: the regression seed combined with the test's name.
inline std::uint64_t seed() { return TestContext::current().seed(); }
/// This test's generator, seeded with seed() when the test starts.
inline std::mt19937_64& random() { return TestContext::current().random(); }
/// The "test" logger (cocotb's `cocotb.log`).
inline const Logger& log() { return TestContext::current().log(); }
/// Current simulation time in ns.
double sim_time_ns();

/// Fails the test with the formatted message when `cond` is false (formats only then).
template <class... A>
void check(bool cond, fmt::format_string<A...> f, A&&... a) {
  if (!cond) throw TestFailure(fmt::format(f, std::forward<A>(a)...));
}
/// Fails the test now.
template <class... A>
[[noreturn]] void fail(fmt::format_string<A...> f, A&&... a) {
  throw TestFailure(fmt::format(f, std::forward<A>(a)...));
}
/// Ends the test as skipped.
template <class... A>
[[noreturn]] void skip(fmt::format_string<A...> f, A&&... a) {
  throw TestSkipped(fmt::format(f, std::forward<A>(a)...));
}

/// The per-test seed: `regression_seed` mixed with a stable hash (FNV-1a) of the test name,
/// so adding or reordering tests never changes another test's stimulus.
std::uint64_t test_seed(std::uint64_t regression_seed, std::string_view test_name);

}  // namespace wm::harness
