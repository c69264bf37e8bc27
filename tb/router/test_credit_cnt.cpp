// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// wm_credit_cnt (N = 2 channels, Max = 3) against a C++ model: random sends and returns per
// channel, the avail flags, and the sticky error on a send without credit or a credit beyond Max.
#include <Vwm_credit_cnt.h>

#include <wm/harness/harness.hpp>

#include <array>

using namespace wm::harness;

WM_TEST_DUT(Vwm_credit_cnt);

namespace {
constexpr unsigned kN = 2, kMax = 3, kCntWidth = 2;

unsigned count(const Vwm_credit_cnt& dut, unsigned n) {
  return (dut.count_o >> (n * kCntWidth)) & ((1u << kCntWidth) - 1);
}

Task<> reset(Vwm_credit_cnt& dut) {
  dut.inc_i = 0;
  dut.dec_i = 0;
  dut.rst_ni = 0;
  co_await ClockCycles(dut.clk_i, 2);
  dut.rst_ni = 1;
}
}  // namespace

WM_TEST(credit_cnt_follows_model) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await reset(dut);
  auto& rng = random();
  std::array<unsigned, kN> model{kMax, kMax};
  unsigned sends = 0, returns = 0;
  for (int i = 0; i < 4000; ++i) {
    co_await RisingEdge(dut.clk_i);
    co_await ReadOnly();
    for (unsigned n = 0; n < kN; ++n) {
      check(count(dut, n) == model[n], "cycle {}: channel {} holds {}, the model {}", i, n,
            count(dut, n), model[n]);
      check(((dut.avail_o >> n) & 1u) == (model[n] > 0), "cycle {}: channel {} avail wrong", i,
            n);
    }
    check(!dut.err_o, "cycle {}: error raised by legal traffic", i);
    co_await FallingEdge(dut.clk_i);
    // Legal traffic only: send while avail, return only credits that are out.
    unsigned inc = 0, dec = 0;
    for (unsigned n = 0; n < kN; ++n) {
      const bool d = model[n] > 0 && (rng() & 1);
      const bool c = model[n] < kMax && (rng() % 3 == 0);
      dec |= unsigned{d} << n;
      inc |= unsigned{c} << n;
      model[n] = model[n] - d + c;
      sends += d;
      returns += c;
    }
    dut.dec_i = dec;
    dut.inc_i = inc;
  }
  check(sends > 1000 && returns > 1000, "traffic too thin: {} sends, {} returns", sends,
        returns);
}

WM_TEST(credit_cnt_flags_protocol_errors) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await reset(dut);
  // A credit back while full: error, count stays at Max.
  co_await FallingEdge(dut.clk_i);
  dut.inc_i = 1;
  co_await FallingEdge(dut.clk_i);
  dut.inc_i = 0;
  check(dut.err_o && count(dut, 0) == kMax, "credit beyond Max: err {} count {}", dut.err_o,
        count(dut, 0));
  co_await reset(dut);
  check(!dut.err_o, "reset clears the error");
  // Spend every credit of channel 1, then one more: error, count stays at 0, channel 0 intact.
  for (unsigned i = 0; i <= kMax; ++i) {
    co_await FallingEdge(dut.clk_i);
    dut.dec_i = 2;
  }
  co_await FallingEdge(dut.clk_i);
  dut.dec_i = 0;
  check(dut.err_o && count(dut, 1) == 0 && dut.avail_o == 1,
        "send without credit: err {} count {} avail {}", dut.err_o, count(dut, 1), dut.avail_o);
  check(count(dut, 0) == kMax, "channel 0 disturbed: {}", count(dut, 0));
  // Both in one cycle leave the count alone.
  co_await reset(dut);
  co_await FallingEdge(dut.clk_i);
  dut.dec_i = 3;
  dut.inc_i = 3;
  co_await FallingEdge(dut.clk_i);
  dut.dec_i = 0;
  dut.inc_i = 0;
  check(count(dut, 0) == kMax && count(dut, 1) == kMax && !dut.err_o,
        "send and return together: counts {} {}", count(dut, 0), count(dut, 1));
}
