// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The bare eval loop: the fastest way to clock a Verilated model (toggle clk, eval, one cheap
// check per cycle). It is the denominator of the harness-overhead benchmark and the
// cycles/s figure of the Verilator-version comparison. Prints one JSON object.
//
//   bare_loop <cycles>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>

#include <fmt/core.h>

#include "Vwm_nonsynth_stress_mesh.h"
#include "verilated.h"

namespace {

struct Result {
  std::uint64_t cycles;
  double seconds;
  double cpu_seconds;  // this process's CPU time: what to compare on a shared machine
  std::uint32_t sum;
  std::uint32_t ejected;
};

Result run(std::uint64_t cycles) {
  auto ctx = std::make_unique<VerilatedContext>();
  auto dut = std::make_unique<Vwm_nonsynth_stress_mesh>(ctx.get());
  // Same reset as the harness benchmark: two cycles low, released after a rising edge.
  dut->clk_i = 0;
  dut->rst_ni = 0;
  dut->eval();
  for (int i = 0; i < 2; ++i) {
    ctx->timeInc(5);
    dut->clk_i = 1;
    dut->eval();
    ctx->timeInc(5);
    dut->clk_i = 0;
    dut->eval();
  }
  dut->rst_ni = 1;
  dut->eval();

  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  std::uint32_t last_ejected = 0;
  for (std::uint64_t c = 0; c < cycles; ++c) {
    ctx->timeInc(5);
    dut->clk_i = 1;
    dut->eval();
    ctx->timeInc(5);
    dut->clk_i = 0;
    dut->eval();
    // The minimal check: the ejection counter never runs backwards.
    if (dut->ejected_o < last_ejected) {
      throw std::runtime_error(fmt::format("ejected_o fell from {} to {} in cycle {}",
                                           last_ejected, dut->ejected_o, c));
    }
    last_ejected = dut->ejected_o;
  }
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  dut->final();
  return {cycles, took.count(), cpu, dut->sum_o, dut->ejected_o};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc != 2) throw std::invalid_argument("usage: bare_loop <cycles>");
    const std::uint64_t cycles = std::stoull(argv[1]);
    const Result r = run(cycles);
    if (r.ejected == 0) throw std::runtime_error("no word was ejected: the DUT did not run");
    fmt::print(R"({{"verilator": "{}", "cycles": {}, "seconds": {:.6f}, "cycles_per_s": {:.1f}, )"
               R"("cpu_seconds": {:.6f}, "cycles_per_cpu_s": {:.1f}, "sum": {}, "ejected": {}}})"
               "\n",
               Verilated::productVersion(), r.cycles, r.seconds, r.cycles / r.seconds,
               r.cpu_seconds, r.cycles / r.cpu_seconds, r.sum, r.ejected);
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "bare_loop: {}\n", e.what());
    return 1;
  }
}
