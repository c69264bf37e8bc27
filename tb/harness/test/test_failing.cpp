// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Deliberately failing tests. ctest expects this executable to fail (WILL_FAIL); the CLI test
// (test_cli.cpp) runs it and checks each failure's name, seed, message and reproduce line.
#include <Vwm_nonsynth_harness_dut.h>

#include <stdexcept>
#include <wm/harness/harness.hpp>

using namespace wm::harness;

WM_TEST_DUT(Vwm_nonsynth_harness_dut);

WM_TEST(passes) { co_await Timer(1, Unit::ns); }

WM_TEST(check_fails) {
  co_await Timer(4, Unit::ns);
  check(dut.sum_o == 3, "deliberate: sum_o is {} at {} ns", dut.sum_o, sim_time_ns());
}

WM_TEST(write_in_read_only) {
  co_await Timer(2, Unit::ns);
  co_await ReadOnly();
  dut.a_i = 5;  // sum_o is watched below, so the write shows
  co_await ValueChange(dut.sum_o);
}

WM_TEST_WITH(watchdog_sim_limit, .sim_time_limit_ns = 100) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await ClockCycles(dut.clk_i, 1000);
}

WM_TEST(everything_waits_forever) {
  co_await Timer(6, Unit::ns);
  co_await RisingEdge(dut.en_i);  // nothing drives en_i and no clock runs
}

WM_TEST(unjoined_task_error) {
  start_soon([]() -> Task<> {
    co_await Timer(3, Unit::ns);
    throw std::runtime_error("boom in a background task");
  }());
  co_await Timer(50, Unit::ns);
}

WM_TEST_WITH(expected_failure_that_passes, .expect_fail = true) { co_await Timer(1, Unit::ns); }
