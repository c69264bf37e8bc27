// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// What each way of waiting costs against a bare eval loop on a tiny design (where the harness's
// share is largest). The mesh-sized overhead target (BRIEF §3) is tb/perf's bench_harness.
// Writes harness_trigger_costs.json under build/bench/.
#include <Vwm_nonsynth_harness_dut.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fmt/os.h>
#include <wm/harness/harness.hpp>

using namespace wm::harness;

WM_TEST_DUT(Vwm_nonsynth_harness_dut);

namespace {
using Clk = std::chrono::steady_clock;

double seconds_since(Clk::time_point t0) {
  return std::chrono::duration<double>(Clk::now() - t0).count();
}

// What a hand-written Verilator main does per cycle: two half periods, each an eval.
double bare_loop(std::uint64_t cycles) {
  VerilatedContext ctx;
  Vwm_nonsynth_harness_dut m(&ctx, "TOP");
  m.rst_ni = 1;
  m.en_i = 1;
  m.clk_i = 0;
  m.eval();  // initial evaluation, so the first rising edge counts
  std::uint64_t t = 0;
  auto t0 = Clk::now();
  for (std::uint64_t c = 0; c < cycles; ++c) {
    m.clk_i = 1;
    ctx.time(t += 5000);
    m.eval();
    m.clk_i = 0;
    ctx.time(t += 5000);
    m.eval();
  }
  double s = seconds_since(t0);
  if (m.count_o != static_cast<std::uint16_t>(cycles)) throw std::runtime_error("bare loop miscounted");
  return s;
}
}  // namespace

WM_TEST_WITH(trigger_costs, .sim_time_limit_ns = 1e12) {
  const char* env_cycles = std::getenv("WM_BENCH_CYCLES");
  const std::uint64_t cycles = env_cycles != nullptr ? std::stoull(env_cycles) : 2000000;
  dut.rst_ni = 1;
  dut.en_i = 1;
  start_soon(Clock(dut.clk_i, 10, Unit::ns).start());
  co_await RisingEdge(dut.clk_i);

  double bare = bare_loop(cycles);

  // Clock plus one ClockCycles: the scheduler counts edges itself.
  auto t0 = Clk::now();
  co_await ClockCycles(dut.clk_i, cycles);
  double counted = seconds_since(t0);

  // A typical testbench: the test coroutine wakes on every edge and drives an input.
  t0 = Clk::now();
  for (std::uint64_t c = 0; c < cycles; ++c) {
    co_await RisingEdge(dut.clk_i);
    dut.a_i = static_cast<std::uint8_t>(c);
  }
  double per_edge = seconds_since(t0);

  // The same plus a ReadOnly look at settled outputs every cycle.
  std::uint64_t sum = 0;
  t0 = Clk::now();
  for (std::uint64_t c = 0; c < cycles; ++c) {
    co_await RisingEdge(dut.clk_i);
    dut.a_i = static_cast<std::uint8_t>(c);
    co_await ReadOnly();
    sum += dut.sum_o;
  }
  double read_only = seconds_since(t0);
  check(sum > 0, "no outputs read");

  double r_counted = bare / counted;
  double r_edge = bare / per_edge;
  double r_ro = bare / read_only;
  log().info("{} cycles: bare {:.1f} ns/cycle; ClockCycles {:.1f} ns/cycle (ratio {:.3f}); "
             "RisingEdge+write {:.1f} (ratio {:.3f}); RisingEdge+write+ReadOnly {:.1f} "
             "(ratio {:.3f})",
             cycles, bare * 1e9 / cycles, counted * 1e9 / cycles, r_counted,
             per_edge * 1e9 / cycles, r_edge, read_only * 1e9 / cycles, r_ro);
  std::filesystem::create_directories(WM_BENCH_DIR);
  auto out = fmt::output_file(std::string(WM_BENCH_DIR) + "/harness_trigger_costs.json");
  out.print(
      "{{\"bench\": \"harness_trigger_costs\", \"cycles\": {}, \"bare_ns_per_cycle\": {:.2f}, "
      "\"clockcycles_ns_per_cycle\": {:.2f}, \"risingedge_ns_per_cycle\": {:.2f}, "
      "\"readonly_ns_per_cycle\": {:.2f}, \"ratio_clockcycles\": {:.3f}, "
      "\"ratio_risingedge\": {:.3f}, \"ratio_readonly\": {:.3f}, \"target_ratio\": 0.95}}\n",
      cycles, bare * 1e9 / cycles, counted * 1e9 / cycles, per_edge * 1e9 / cycles,
      read_only * 1e9 / cycles, r_counted, r_edge, r_ro);
}
