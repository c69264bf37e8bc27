// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// tb/cocotb/test_wm_fifo.py's fifo_random_traffic, line for line in the C++ harness: the same
// clock, reset, stimulus probabilities and per-cycle checks against a model, so the two
// results.xml files time the same work and bench_harness.py can compare cycles/s.
// WM_FIFO_CYCLES sets the length, as for the cocotb test.
#include <Vwm_fifo.h>

#include <cstdint>
#include <cstdlib>
#include <deque>
#include <random>
#include <string>
#include <wm/harness/harness.hpp>

using namespace wm::harness;

WM_TEST_DUT(Vwm_fifo);

namespace {
constexpr std::size_t kDepth = 4;  // wm_fifo's default, as in the cocotb run

std::uint64_t cycles_from_env() {
  const char* v = std::getenv("WM_FIFO_CYCLES");
  return v ? std::stoull(v) : 5000;
}
}  // namespace

WM_TEST(fifo_random_traffic) {
  const std::uint64_t cycles = cycles_from_env();
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  dut.rst_ni = 0;
  dut.flush_i = 0;
  dut.wvalid_i = 0;
  dut.wdata_i = 0;
  dut.rready_i = 0;
  co_await ClockCycles(dut.clk_i, 2);
  dut.rst_ni = 1;

  auto& rng = random();
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::deque<std::uint32_t> model;
  std::uint64_t pushes = 0, pops = 0, fulls = 0, empties = 0, flushes = 0;
  for (std::uint64_t c = 0; c < cycles; ++c) {
    co_await RisingEdge(dut.clk_i);
    const bool wvalid = uniform(rng) < 0.6;
    const bool rready = uniform(rng) < 0.5;
    const bool flush = uniform(rng) < 0.01;
    const auto data = static_cast<std::uint32_t>(rng());
    dut.wvalid_i = wvalid;
    dut.wdata_i = data;
    dut.rready_i = rready;
    dut.flush_i = flush;
    co_await ReadOnly();

    const std::size_t held = model.size();
    const bool rvalid = dut.rvalid_o;
    const bool wready = dut.wready_o;
    check(dut.count_o == held, "cycle {}: count_o {}, model holds {}", c, dut.count_o, held);
    check(rvalid == (held > 0), "cycle {}: rvalid_o {} with {} held", c, rvalid, held);
    check(wready == (held < kDepth), "cycle {}: wready_o {}, {} held", c, wready, held);
    if (rvalid) {
      check(dut.rdata_o == model.front(), "cycle {}: rdata_o {:#x}, expected {:#x}", c,
            dut.rdata_o, model.front());
    }
    const bool push = wvalid && wready;
    const bool pop = rready && rvalid;
    if (flush) {
      model.clear();
    } else {
      if (pop) model.pop_front();
      if (push) model.push_back(data);
    }
    pushes += push;
    pops += pop;
    fulls += !wready;
    empties += !rvalid;
    flushes += flush;
  }
  check(pushes && pops && fulls && empties && flushes,
        "stimulus missed a case in {} cycles: {} pushes {} pops {} full {} empty {} flushes",
        cycles, pushes, pops, fulls, empties, flushes);
}
