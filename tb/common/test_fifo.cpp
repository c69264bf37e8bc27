// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// wm_fifo against FifoModel, every cycle, value for value. Built once per depth (CMakeLists.txt
// passes WM_FIFO_MODEL, WM_FIFO_DEPTH and force-includes the model's header).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <wm/harness/harness.hpp>

#include "fifo_model.hpp"

using namespace wm::harness;
using wm::tb::FifoModel;

WM_TEST_DUT(WM_FIFO_MODEL);

namespace {
using Dut = WM_FIFO_MODEL;
constexpr std::size_t kDepth = WM_FIFO_DEPTH;

std::uint64_t cycles_from_env(std::uint64_t fallback) {
  const char* v = std::getenv("WM_FIFO_CYCLES");  // regress runs set a larger number
  return v != nullptr ? std::stoull(v) : fallback;
}

Task<> clock_and_reset(Dut& dut) {
  start_soon(Clock(dut.clk_i, 10, Unit::ns).start());
  dut.rst_ni = 0;
  dut.flush_i = 0;
  dut.wvalid_i = 0;
  dut.rready_i = 0;
  co_await ClockCycles(dut.clk_i, 2);
  dut.rst_ni = 1;
}

void drive(Dut& dut, const FifoModel::Inputs& in) {
  dut.flush_i = in.flush;
  dut.wdata_i = in.wdata;
  dut.wvalid_i = in.wvalid;
  dut.rready_i = in.rready;
}

void check_outputs(const Dut& dut, const FifoModel& m, std::uint64_t cycle) {
  auto o = m.outputs();
  check(dut.wready_o == o.wready, "cycle {}: wready_o {} expected {}", cycle, dut.wready_o,
        int{o.wready});
  check(dut.rvalid_o == o.rvalid, "cycle {}: rvalid_o {} expected {}", cycle, dut.rvalid_o,
        int{o.rvalid});
  check(dut.count_o == o.count, "cycle {}: count_o {} expected {}", cycle, dut.count_o, o.count);
  if (o.rvalid) {
    check(dut.rdata_o == o.rdata, "cycle {}: rdata_o {:#010x} expected {:#010x}", cycle,
          dut.rdata_o, o.rdata);
  }
}
}  // namespace

WM_TEST(random_traffic_matches_model) {
  co_await clock_and_reset(dut);
  FifoModel model(kDepth);
  auto& rng = random();
  const std::uint64_t cycles = cycles_from_env(100000);
  // Phases of different push/pop pressure so the FIFO spends time full, empty and between.
  const double pressure[] = {0.1, 0.5, 0.9};
  double p_push = 0.5, p_pop = 0.5;
  std::uint64_t full = 0, refused = 0, both = 0, flushed_nonempty = 0, popped = 0;
  std::bernoulli_distribution flush_d(1.0 / 128);
  for (std::uint64_t c = 0; c < cycles; ++c) {
    if (c % 256 == 0) {
      p_push = pressure[rng() % 3];
      p_pop = pressure[rng() % 3];
    }
    if (c == cycles / 2) {
      // Asynchronous reset in mid-traffic empties the FIFO at once, without a clock edge.
      dut.rst_ni = 0;
      co_await ReadOnly();
      check(dut.count_o == 0 && !dut.rvalid_o && dut.wready_o, "async reset left count_o {}",
            dut.count_o);
      model.reset();
      co_await RisingEdge(dut.clk_i);
      dut.rst_ni = 1;
    }
    FifoModel::Inputs in;
    in.wvalid = std::bernoulli_distribution(p_push)(rng);
    in.rready = std::bernoulli_distribution(p_pop)(rng);
    in.wdata = static_cast<std::uint32_t>(rng());
    in.flush = flush_d(rng);
    drive(dut, in);
    co_await ReadOnly();
    check_outputs(dut, model, c);
    auto o = model.outputs();
    full += o.count == kDepth;
    refused += in.wvalid && !o.wready;
    both += in.wvalid && o.wready && in.rready && o.rvalid && !in.flush;
    flushed_nonempty += in.flush && o.count > 0;
    popped += in.rready && o.rvalid && !in.flush;
    model.clock(in);
    co_await RisingEdge(dut.clk_i);
  }
  // The stimulus must have reached the interesting states, or the test proved little.
  check(full > 0 && refused > 0 && flushed_nonempty > 0 && popped > cycles / 10,
        "weak stimulus: full {} refused {} flushed {} popped {}", full, refused,
        flushed_nonempty, popped);
  if (kDepth > 1) check(both > 0, "never pushed and popped in one cycle");
  log().info("{} cycles: {} popped, full {}x, {} pushes refused, {} push+pop, {} flushes", cycles,
             popped, full, refused, both, flushed_nonempty);
}

WM_TEST(fill_then_drain_in_order) {
  co_await clock_and_reset(dut);
  // Offer one more word than fits: exactly kDepth are taken.
  std::uint32_t offered = 0, taken = 0;
  for (std::size_t k = 0; k < kDepth + 1; ++k) {
    dut.wvalid_i = 1;
    dut.wdata_i = 0xa000 + offered;
    co_await ReadOnly();
    if (dut.wready_o) ++taken;
    ++offered;
    co_await RisingEdge(dut.clk_i);
  }
  dut.wvalid_i = 0;
  co_await ReadOnly();
  check(taken == kDepth && dut.count_o == kDepth && !dut.wready_o && dut.rvalid_o,
        "after filling: taken {} count_o {} wready_o {}", taken, dut.count_o, dut.wready_o);
  co_await RisingEdge(dut.clk_i);
  dut.rready_i = 1;
  for (std::uint32_t k = 0; k < kDepth; ++k) {
    co_await ReadOnly();
    check(dut.rvalid_o && dut.rdata_o == 0xa000 + k, "pop {}: rvalid_o {} rdata_o {:#x}", k,
          dut.rvalid_o, dut.rdata_o);
    co_await RisingEdge(dut.clk_i);
  }
  co_await ReadOnly();
  check(!dut.rvalid_o && dut.count_o == 0, "not empty after {} pops", kDepth);
}

WM_TEST(flush_beats_a_push_in_the_same_cycle) {
  co_await clock_and_reset(dut);
  dut.wvalid_i = 1;
  dut.wdata_i = 1;
  co_await RisingEdge(dut.clk_i);
  dut.flush_i = 1;  // with wvalid_i still high
  dut.wdata_i = 2;
  co_await RisingEdge(dut.clk_i);
  dut.flush_i = 0;
  dut.wvalid_i = 0;
  co_await ReadOnly();
  check(dut.count_o == 0 && !dut.rvalid_o, "flush kept {} entries", dut.count_o);
  co_await RisingEdge(dut.clk_i);
  dut.wvalid_i = 1;
  dut.wdata_i = 3;
  co_await RisingEdge(dut.clk_i);
  dut.wvalid_i = 0;
  co_await ReadOnly();
  check(dut.count_o == 1 && dut.rvalid_o && dut.rdata_o == 3,
        "after flush, push gives count_o {} rdata_o {}", dut.count_o, dut.rdata_o);
}

WM_TEST(no_fall_through) {
  co_await clock_and_reset(dut);
  dut.wvalid_i = 1;
  dut.wdata_i = 0x55;
  dut.rready_i = 1;
  co_await ReadOnly();
  check(!dut.rvalid_o, "a word pushed this cycle is visible this cycle");
  co_await RisingEdge(dut.clk_i);
  dut.wvalid_i = 0;
  co_await ReadOnly();
  check(dut.rvalid_o && dut.rdata_o == 0x55, "pushed word not readable next cycle");
}
