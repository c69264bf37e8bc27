// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/harness/context.hpp"

#include "wm/harness/scheduler.hpp"

namespace wm::harness {

namespace {
thread_local TestContext* t_current = nullptr;
}  // namespace

TestContext::TestContext(std::string name, std::uint64_t seed, Level level)
    : name_(std::move(name)), seed_(seed), rng_(seed), log_("test", level), outer_(t_current) {
  t_current = this;
}

TestContext::~TestContext() { t_current = outer_; }

TestContext& TestContext::current() {
  if (t_current == nullptr) throw SchedulerError("no test is running on this thread");
  return *t_current;
}

double sim_time_ns() { return from_ps(Scheduler::active().now(), Unit::ns); }

std::uint64_t test_seed(std::uint64_t regression_seed, std::string_view test_name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : test_name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  // splitmix64 finaliser: nearby seeds give unrelated streams.
  std::uint64_t z = regression_seed + h + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace wm::harness
