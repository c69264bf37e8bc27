// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The harness side of the overhead benchmark: the stress mesh clocked by a harness Clock,
// one coroutine awaiting RisingEdge per cycle and making the same cheap check as the bare
// loop (tb/perf/bare_loop.cpp). It prints one JSON line; bench_harness.py divides.
// WM_BENCH_CYCLES sets the length (short by default, so `make test` runs it as a smoke test).
#include <Vwm_nonsynth_stress_mesh.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <string>
#include <wm/harness/harness.hpp>

using namespace wm::harness;

WM_TEST_DUT(Vwm_nonsynth_stress_mesh);

namespace {
std::uint64_t cycles_from_env() {
  const char* v = std::getenv("WM_BENCH_CYCLES");
  return v ? std::stoull(v) : 2000;
}
}  // namespace

WM_TEST(stress_mesh_clocked_by_harness) {
  const std::uint64_t cycles = cycles_from_env();
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  dut.rst_ni = 0;
  co_await ClockCycles(dut.clk_i, 2);
  dut.rst_ni = 1;

  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  std::uint32_t last_ejected = 0;
  for (std::uint64_t c = 0; c < cycles; ++c) {
    co_await RisingEdge(dut.clk_i);
    check(dut.ejected_o >= last_ejected, "ejected_o fell from {} to {} in cycle {}",
          last_ejected, dut.ejected_o, c);
    last_ejected = dut.ejected_o;
  }
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  check(dut.ejected_o > 0, "no word was ejected in {} cycles: the DUT did not run", cycles);
  // The bench driver reads this line; the sum lets it check both loops ran the same cycles.
  fmt::print(R"(WM_BENCH {{"cycles": {}, "seconds": {:.6f}, "cycles_per_s": {:.1f}, )"
             R"("cpu_seconds": {:.6f}, "cycles_per_cpu_s": {:.1f}, "sum": {}, "ejected": {}}})"
             "\n",
             cycles, took.count(), cycles / took.count(), cpu, cycles / cpu, dut.sum_o,
             dut.ejected_o);
}
