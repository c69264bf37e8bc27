// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Drives wm_nonsynth_pe_tb_top: loads and reads the SRAM through the backdoor, plays the router on the
// ramp (wavelets in per color as the PE is ready, wavelets out with random backpressure),
// withholds SRAM requests at random, runs until the PE halts and counts its activity, and tells
// an observer what retires and when a task ends (the lock-step hook). Everything the PE does is
// observed at the falling edge, between two rising edges.

#include <Vwm_nonsynth_pe_tb_top.h>

#include <cstdint>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>
#include <wm/harness/harness.hpp>
#include <wm/sw/asm/assembler.hpp>
#include <wm/sw/isa/isa.hpp>

#include "router/wavelet.hpp"

namespace wm::tb::pe {

using Dut = Vwm_nonsynth_pe_tb_top;
using router::Wavelet;
namespace isa = wm::sw::isa;

/// What one run observed, cycle by cycle.
struct Activity {
  std::uint64_t cycles = 0;
  std::uint64_t elems = 0;      ///< vector elements issued
  std::uint64_t macs = 0;       ///< ... of fmac/fdotv
  std::uint64_t retired = 0;    ///< instructions completed
  std::uint64_t busy = 0;       ///< cycles with busy_o
  std::uint64_t first_elem = 0; ///< cycle of the first element issued (0: none)
  std::uint64_t last_elem = 0;  ///< ... and of the last
  /// Elements per cycle from the first element to the last.
  [[nodiscard]] double elem_rate() const {
    if (elems == 0) return 0.0;
    return static_cast<double>(elems) / static_cast<double>(last_elem - first_elem + 1);
  }
  std::vector<unsigned> task_starts;      ///< task ids in start order
  std::vector<std::uint32_t> start_wavelets;  ///< r15 of each data-task start
};

/// Receives the retired instructions and task ends PeBench::run sees.
class TaskObserver {
 public:
  virtual ~TaskObserver() = default;
  /// The instruction at `pc` completed (exit and halt do not retire).
  virtual void retired(std::uint16_t pc) = 0;
  /// The RTL task `task` ended (exit, halt or error) `cycle` cycles into the run; the state
  /// is readable now.
  virtual void task_ended(unsigned task, std::uint64_t cycle) = 0;
};

/// Random stalls: the probability of refusing each SRAM grant and each ramp-out color.
struct Stalls {
  double sram = 0.0;
  double tx = 0.0;
};

class PeBench {
 public:
  explicit PeBench(Dut& dut) : dut_(dut) {}

  harness::Task<> reset() {
    dut_.rst_ni = 0;
    dut_.bd_we_i = 0;
    dut_.bd_re_i = 0;
    dut_.deny_i = 0;
    dut_.rx_valid_i = 0;
    dut_.tx_ready_i = 0xFF;
    co_await harness::ClockCycles(dut_.clk_i, 2);
    dut_.rst_ni = 1;
    co_await harness::FallingEdge(dut_.clk_i);
  }

  /// Writes words through the backdoor, one per cycle (the PE must not be running).
  harness::Task<> load(const std::map<std::uint32_t, std::uint32_t>& words) {
    for (const auto& [addr, word] : words) {
      dut_.bd_we_i = 1;
      dut_.bd_addr_i = static_cast<std::uint16_t>(addr);
      dut_.bd_wdata_i = word;
      co_await harness::FallingEdge(dut_.clk_i);
    }
    dut_.bd_we_i = 0;
  }
  harness::Task<> load(std::uint32_t base, const std::vector<std::uint32_t>& words) {
    std::map<std::uint32_t, std::uint32_t> m;
    for (std::size_t i = 0; i < words.size(); ++i) m[base + static_cast<std::uint32_t>(i)] = words[i];
    co_await load(m);
  }

  /// Assembles `text` (docs/asm.md syntax) and loads it.
  harness::Task<> load_program(const std::string& text) {
    const auto prog = sw::assembler::assemble(text, "test");
    co_await load(prog.image.words);
  }

  /// Reads words through the backdoor (SRAM read port 0), one per cycle.
  harness::Task<std::vector<std::uint32_t>> read(std::uint32_t base, std::size_t n) {
    std::vector<std::uint32_t> out(n);
    for (std::size_t i = 0; i < n; ++i) {
      dut_.bd_re_i = 1;
      dut_.bd_addr_i = static_cast<std::uint16_t>(base + i);
      co_await harness::RisingEdge(dut_.clk_i);
      co_await harness::ReadOnly();
      out[i] = dut_.bd_rdata_o;
      co_await harness::FallingEdge(dut_.clk_i);
    }
    dut_.bd_re_i = 0;
    co_return out;
  }

  /// Queues a wavelet for the ramp; it enters when the PE is ready for its color.
  void inject(const Wavelet& w) { rx_[w.color].push_back(w); }
  void activate(unsigned task, unsigned color = 0) {
    inject({true, 0, 0, color, isa::ctrl_word(isa::CtrlCmd::activate, task)});
  }

  /// Runs until the PE halts (or `max_cycles`), or with `until_idle` also until it has been
  /// idle (nothing running or in flight, no task starting) for a few cycles with no input left
  /// to give, returning what it did. Wavelets leaving the ramp are appended to sent(); every
  /// retired instruction and task end is reported to `observer` (if any) as it happens.
  harness::Task<Activity> run(std::uint64_t max_cycles, Stalls stalls = {},
                              std::mt19937_64* rng = nullptr, bool until_idle = false,
                              TaskObserver* observer = nullptr) {
    unsigned idle_cycles = 0;
    Activity act;
    std::bernoulli_distribution deny(stalls.sram), block(stalls.tx);
    unsigned rr = 0;
    bool was_running = false;  // a run starts between tasks
    unsigned task = 0;
    while (act.cycles < max_cycles) {
      // Inputs for the next rising edge, from the outputs settled after the last one.
      dut_.rx_valid_i = 0;
      for (unsigned k = 0; k < kColors; ++k) {
        const unsigned c = (rr + k) % kColors;
        if (!rx_[c].empty() && ((dut_.rx_ready_o >> c) & 1u)) {
          dut_.rx_valid_i = 1;
          dut_.rx_wavelet_i = rx_[c].front().pack();
          rx_[c].pop_front();
          rr = c + 1;
          break;
        }
      }
      unsigned deny_bits = 0, ready = 0xFF;
      if (rng != nullptr) {
        for (unsigned b = 0; b < 3; ++b) deny_bits |= deny(*rng) ? 1u << b : 0u;
        for (unsigned c = 0; c < kColors; ++c) ready &= block(*rng) ? ~(1u << c) : 0xFFu;
      }
      dut_.deny_i = deny_bits;
      dut_.tx_ready_i = ready;
      co_await harness::ReadOnly();
      if (dut_.tx_valid_o) {
        const auto w = Wavelet::unpack(dut_.tx_wavelet_o);
        if ((ready >> w.color) & 1u) sent_.push_back(w);
      }
      if (dut_.act_task_start_o) {
        act.task_starts.push_back(dut_.act_task_o);
        if (dut_.act_start_data_o) act.start_wavelets.push_back(dut_.act_start_wv_o);
      }
      ++act.cycles;
      if (dut_.act_elem_o) {
        if (act.elems == 0) act.first_elem = act.cycles;
        act.last_elem = act.cycles;
        ++act.elems;
      }
      // A task ends when running falls (exit, halt, error); registers and SRAM now hold
      // everything it did, and a task starting in this cycle changes them only at the next
      // edge.
      if (observer != nullptr && dut_.act_retire_o) observer->retired(dut_.act_pc_o);
      if (dut_.act_running_o) {
        task = dut_.act_task_o;
        was_running = true;
      } else if (was_running) {
        was_running = false;
        if (observer != nullptr) observer->task_ended(task, act.cycles);
      }
      act.macs += dut_.act_mac_o;
      act.retired += dut_.act_retire_o;
      act.busy += dut_.busy_o;
      bool inputs_left = false;
      for (const auto& q : rx_) inputs_left = inputs_left || !q.empty();
      idle_cycles = (dut_.busy_o || dut_.act_task_start_o || inputs_left) ? 0 : idle_cycles + 1;
      const bool done = (dut_.halted_o && !dut_.busy_o) || (until_idle && idle_cycles >= 8);
      co_await harness::FallingEdge(dut_.clk_i);
      if (done) break;
    }
    dut_.rx_valid_i = 0;
    dut_.deny_i = 0;
    co_return act;
  }

  [[nodiscard]] const std::vector<Wavelet>& sent() const { return sent_; }
  /// Wavelets queued for the ramp and not yet taken, color by color in arrival order (to give
  /// a reference model the same input).
  [[nodiscard]] std::vector<Wavelet> queued() const {
    std::vector<Wavelet> all;
    for (const auto& q : rx_) all.insert(all.end(), q.begin(), q.end());
    return all;
  }
  [[nodiscard]] const Dut& dut() const { return dut_; }
  [[nodiscard]] unsigned err_code() const { return dut_.err_code_o; }
  [[nodiscard]] unsigned err_pc() const { return dut_.err_pc_o; }
  [[nodiscard]] bool halted() const { return dut_.halted_o; }

  static constexpr unsigned kColors = 8;

 private:
  Dut& dut_;
  std::deque<Wavelet> rx_[kColors];
  std::vector<Wavelet> sent_;
};

}  // namespace wm::tb::pe
