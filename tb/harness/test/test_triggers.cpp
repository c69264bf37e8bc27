// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Semantics of each trigger, checked against a small real design.
#include <Vwm_nonsynth_harness_dut.h>

#include <wm/harness/harness.hpp>

using namespace wm::harness;

WM_TEST_DUT(Vwm_nonsynth_harness_dut);

namespace {
Task<> reset(Vwm_nonsynth_harness_dut& dut) {
  dut.rst_ni = 0;
  co_await ClockCycles(dut.clk_i, 2);
  dut.rst_ni = 1;
}
}  // namespace

WM_TEST(clock_cycles_count_edges) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await reset(dut);
  dut.en_i = 1;
  co_await ClockCycles(dut.clk_i, 100);
  co_await ReadOnly();
  check(dut.count_o == 100, "count_o {} after 100 enabled cycles", dut.count_o);
  // Edges at 0 (the clock starts high), 10 (reset), then 20 .. 1010.
  check(sim_time_ns() == 1010, "time {} ns", sim_time_ns());
  log().info("done after {} ns", sim_time_ns());
}
