// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// wm_rr_arb against RrArbModel, every cycle; fairness and advance semantics. Built once per N
// (CMakeLists.txt passes WM_ARB_MODEL, WM_ARB_N and force-includes the model's header).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>
#include <wm/harness/harness.hpp>

#include "rr_arb_model.hpp"

using namespace wm::harness;
using wm::tb::RrArbModel;

WM_TEST_DUT(WM_ARB_MODEL);

namespace {
using Dut = WM_ARB_MODEL;
constexpr unsigned kN = WM_ARB_N;
constexpr std::uint64_t kAll = (std::uint64_t{1} << kN) - 1;

std::uint64_t cycles_from_env(std::uint64_t fallback) {
  const char* v = std::getenv("WM_ARB_CYCLES");  // regress runs set a larger number
  return v != nullptr ? std::stoull(v) : fallback;
}

Task<> clock_and_reset(Dut& dut) {
  start_soon(Clock(dut.clk_i, 10, Unit::ns).start());
  dut.rst_ni = 0;
  dut.req_i = 0;
  dut.advance_i = 0;
  co_await ClockCycles(dut.clk_i, 2);
  dut.rst_ni = 1;
}

void check_grant(const Dut& dut, const RrArbModel& m, std::uint64_t req, std::uint64_t cycle) {
  auto g = m.grant(req);
  std::uint64_t want = g ? (std::uint64_t{1} << *g) : std::uint64_t{0};
  check(dut.gnt_o == want, "cycle {}: req {:#x} gnt_o {:#x} expected {:#x}", cycle, req,
        dut.gnt_o, want);
  check(dut.gnt_valid_o == g.has_value(), "cycle {}: gnt_valid_o {}", cycle, dut.gnt_valid_o);
  if (g) check(dut.gnt_idx_o == *g, "cycle {}: gnt_idx_o {} expected {}", cycle, dut.gnt_idx_o, *g);
  // One-hot (or zero) whatever the model says.
  check((dut.gnt_o & (dut.gnt_o - 1)) == 0 && (dut.gnt_o & ~req) == 0,
        "cycle {}: gnt_o {:#x} not one-hot within req {:#x}", cycle, dut.gnt_o, req);
}
}  // namespace

WM_TEST(random_requests_match_model) {
  co_await clock_and_reset(dut);
  RrArbModel model(kN);
  auto& rng = random();
  const std::uint64_t cycles = cycles_from_env(100000);
  std::vector<std::uint64_t> grants(kN, 0);
  for (std::uint64_t c = 0; c < cycles; ++c) {
    std::uint64_t req = static_cast<std::uint64_t>(rng()) & kAll;
    if (c % 512 < 64) req &= static_cast<std::uint64_t>(rng()) & kAll;  // sparse phases
    bool advance = std::bernoulli_distribution(0.8)(rng);
    dut.req_i = req;
    dut.advance_i = advance;
    co_await ReadOnly();
    check_grant(dut, model, req, c);
    if (auto g = model.grant(req)) ++grants[*g];
    model.clock(req, advance);
    co_await RisingEdge(dut.clk_i);
  }
  for (unsigned i = 0; i < kN; ++i) check(grants[i] > cycles / (4 * kN), "requester {} starved", i);
}

WM_TEST(persistent_requests_are_served_within_n_grants) {
  co_await clock_and_reset(dut);
  auto& rng = random();
  const std::uint64_t cycles = cycles_from_env(100000);
  std::uint64_t req = 0;
  std::vector<std::uint64_t> waiting(kN, 0);
  std::uint64_t worst = 0;
  dut.advance_i = 1;
  for (std::uint64_t c = 0; c < cycles; ++c) {
    // A requester that is not requesting raises its request at random; once raised it holds
    // it until granted.
    req |= static_cast<std::uint64_t>(rng()) & kAll;
    dut.req_i = req;
    co_await ReadOnly();
    check(dut.gnt_valid_o == (req != 0), "cycle {}: requests {:#x}, gnt_valid_o {}", c, req,
          dut.gnt_valid_o);
    if (req == 0) {
      co_await RisingEdge(dut.clk_i);
      continue;
    }
    unsigned g = dut.gnt_idx_o;
    for (unsigned i = 0; i < kN; ++i) {
      if (((req >> i) & 1) == 0) continue;
      if (i == g) {
        worst = std::max(worst, waiting[i]);
        waiting[i] = 0;
      } else {
        ++waiting[i];
        check(waiting[i] < kN, "cycle {}: requester {} waited {} cycles with N = {}", c, i,
              waiting[i], kN);
      }
    }
    req &= ~(std::uint64_t{1} << g);
    co_await RisingEdge(dut.clk_i);
  }
  if (kN > 1) check(worst == kN - 1, "worst wait {} never reached N-1 = {}", worst, kN - 1);
}

WM_TEST(advance_low_holds_priority) {
  co_await clock_and_reset(dut);
  dut.req_i = kAll;
  dut.advance_i = 0;
  for (int k = 0; k < 5; ++k) {
    co_await ReadOnly();
    check(dut.gnt_idx_o == 0, "without advance the grant moved to {}", dut.gnt_idx_o);
    co_await RisingEdge(dut.clk_i);
  }
  dut.advance_i = 1;
  for (unsigned k = 0; k < 2 * kN; ++k) {
    co_await ReadOnly();
    check(dut.gnt_idx_o == k % kN, "rotation step {}: grant {}", k, dut.gnt_idx_o);
    co_await RisingEdge(dut.clk_i);
  }
  // Priority moves past the grant, not past the pointer: with only the last requester active
  // and advance set, the next grant (all requesting) goes to requester 0.
  dut.req_i = std::uint64_t{1} << (kN - 1);
  co_await RisingEdge(dut.clk_i);
  dut.req_i = kAll;
  co_await ReadOnly();
  check(dut.gnt_idx_o == 0, "after serving {} the grant went to {}", kN - 1, dut.gnt_idx_o);
}
