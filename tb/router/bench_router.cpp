// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Router benchmark on one mesh shape (WM_MESH_W x WM_MESH_H): zero-load latency per hop, then
// latency and accepted throughput against offered load for uniform random single-wavelet
// traffic over every color (addressed). Every delivery is still checked by the scoreboard.
// Prints a table and writes JSON to the path given as argv[1].
#include WM_MODEL_HEADER

#include <fmt/format.h>
#include <fmt/os.h>

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "fabric_driver.hpp"
#include "fabric_setup.hpp"
#include "traffic.hpp"

namespace {

using namespace wm::tb::router;
using Dut = WM_MODEL;

constexpr unsigned kW = WM_MESH_W, kH = WM_MESH_H, kColors = WM_COLORS;
constexpr unsigned kDepth = WM_QUEUE_DEPTH;
// Cycles per hop (1 in the router + 1 on the registered link + extra link stages) and the
// ramp's own queue.
constexpr unsigned kHopCycles = 2 + WM_HOP_LATENCY, kRampCycles = 1;

// One simulation: reset, load every color addressed, then the caller's traffic.
class Bench {
 public:
  explicit Bench(std::uint64_t seed) : dut_(&ctx_), drv_(dut_, routes_, kDepth, WM_HOP_LATENCY, seed, opts()) {
    for (unsigned c = 0; c < kColors; ++c) set_addressed(routes_, c);
    // Reset held over two clock edges: the flops see it whatever their initial values.
    dut_.rst_ni = 0;
    for (int i = 0; i < 2; ++i) {
      dut_.clk_i = 0;
      dut_.eval();
      dut_.clk_i = 1;
      dut_.eval();
    }
    dut_.clk_i = 0;
    dut_.rst_ni = 1;
    dut_.eval();
    std::vector<unsigned> all;
    for (unsigned c = 0; c < kColors; ++c) all.push_back(c);
    send_config(drv_, routes_, all);
    drain();
  }

  FabricDriver<Dut>& driver() { return drv_; }

  void cycle() {
    drv_.drive();
    dut_.eval();
    drv_.sample();
    dut_.clk_i = 1;
    dut_.eval();
    dut_.clk_i = 0;
  }
  void drain() {
    while (!drv_.drained()) cycle();
  }

 private:
  static DriverOptions opts() {
    DriverOptions o;
    o.watchdog = 20000;
    return o;
  }
  VerilatedContext ctx_;
  Dut dut_;
  MeshRoutes routes_{kW, kH, kColors};
  FabricDriver<Dut> drv_;
};

unsigned hops(unsigned a, unsigned b) {
  const int dx = static_cast<int>(a % kW) - static_cast<int>(b % kW);
  const int dy = static_cast<int>(a / kW) - static_cast<int>(b / kW);
  return static_cast<unsigned>(std::abs(dx) + std::abs(dy));
}

struct LoadPoint {
  double offered, accepted, avg_latency;
  std::uint64_t max_latency;
};

LoadPoint run_load(double load, std::uint64_t seed, unsigned warmup, unsigned window) {
  Bench b(seed);
  auto& drv = b.driver();
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution inject(load);
  std::uniform_int_distribution<unsigned> color(0, kColors - 1);
  // Source queues are capped so an overloaded run measures accepted throughput, not memory.
  constexpr std::size_t kMaxPending = 64;
  auto traffic = [&] {
    for (unsigned t = 0; t < kW * kH; ++t) {
      if (inject(rng) && drv.pending(t) < kMaxPending) {
        drv.send(t, color(rng), destination(Pattern::Uniform, t, kW, kH, rng));
      }
    }
  };
  for (unsigned i = 0; i < warmup; ++i) {
    traffic();
    b.cycle();
  }
  const std::uint64_t before = drv.scoreboard().delivered();
  drv.reset_latency();
  for (unsigned i = 0; i < window; ++i) {
    traffic();
    b.cycle();
  }
  const std::uint64_t got = drv.scoreboard().delivered() - before;
  LoadPoint p{load, static_cast<double>(got) / (kW * kH * window),
              got ? static_cast<double>(drv.latency_sum()) / static_cast<double>(got) : 0.0,
              drv.latency_max()};
  b.drain();  // every wavelet still checked, none lost
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string out = argc > 1 ? argv[1] : fmt::format("router_{}x{}.json", kW, kH);
    const char* iters_env = std::getenv("WM_ITERS");
    const unsigned scale = iters_env ? static_cast<unsigned>(std::stoul(iters_env)) : 1;

    // Zero-load latency: one wavelet at a time from (0, 0) to every tile.
    std::vector<std::uint64_t> zero_load(kW + kH - 1, 0);
    {
      Bench b(1);
      for (unsigned dst = 0; dst < kW * kH; ++dst) {
        b.driver().reset_latency();
        b.driver().send(0, dst % kColors, dst);
        b.drain();
        const std::uint64_t lat = b.driver().latency_max();
        const unsigned h = hops(0, dst);
        if (lat != kRampCycles + kHopCycles * h) {
          throw std::runtime_error(fmt::format(
              "zero-load latency to tile {} ({} hops) is {} cycles, expected {}", dst, h, lat,
              kRampCycles + kHopCycles * h));
        }
        zero_load[h] = lat;
      }
    }

    const std::vector<double> loads{0.05, 0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.8, 1.0};
    std::vector<LoadPoint> curve;
    double saturation = 0;
    const unsigned warmup = 1000 * scale, window = 3000 * scale;
    for (std::size_t i = 0; i < loads.size(); ++i) {
      curve.push_back(run_load(loads[i], 100 + i, warmup, window));
      saturation = std::max(saturation, curve.back().accepted);
    }

    fmt::print("router {}x{}, {} colors, queue depth {}: uniform random, single wavelets\n", kW,
               kH, kColors, kDepth);
    fmt::print("zero-load latency: {} cycles per hop + {} (ramp); measured", kHopCycles,
               kRampCycles);
    for (std::size_t h = 0; h < zero_load.size(); ++h) fmt::print(" {}:{}", h, zero_load[h]);
    fmt::print("\n{:>8} {:>9} {:>12} {:>12}\n", "offered", "accepted", "avg latency",
               "max latency");
    for (const auto& p : curve) {
      fmt::print("{:>8.2f} {:>9.3f} {:>12.1f} {:>12}\n", p.offered, p.accepted, p.avg_latency,
                 p.max_latency);
    }
    fmt::print("saturation throughput {:.3f} wavelets/node/cycle (bisection bound {:.3f})\n",
               saturation, std::min(1.0, 4.0 / std::max(kW, kH)));

    const std::filesystem::path out_path(out);
    if (out_path.has_parent_path()) std::filesystem::create_directories(out_path.parent_path());
    auto f = fmt::output_file(out);
    f.print("{{\"mesh\": \"{}x{}\", \"colors\": {}, \"queue_depth\": {}, ", kW, kH, kColors,
            kDepth);
    f.print("\"hop_cycles\": {}, \"ramp_cycles\": {}, \"zero_load_latency\": [", kHopCycles,
            kRampCycles);
    for (std::size_t h = 0; h < zero_load.size(); ++h) {
      f.print("{}{{\"hops\": {}, \"cycles\": {}}}", h ? ", " : "", h, zero_load[h]);
    }
    f.print("], \"uniform_random\": [");
    for (std::size_t i = 0; i < curve.size(); ++i) {
      const auto& p = curve[i];
      f.print("{}{{\"offered\": {}, \"accepted\": {:.4f}, \"avg_latency\": {:.2f}, "
              "\"max_latency\": {}}}",
              i ? ", " : "", p.offered, p.accepted, p.avg_latency, p.max_latency);
    }
    f.print("], \"saturation\": {:.4f}}}\n", saturation);
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench_router: {}\n", e.what());
    return 1;
  }
}
