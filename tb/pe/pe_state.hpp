// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The RTL PE's architectural state (docs/isa.md section 1) as the reference model's ArchState,
// read straight from the Verilated model: pe_state_public.vlt makes the registers of
// wm_pe_core and wm_pe_sched, wm_pe's engine flags and the SRAM banks public (read-only) for
// this testbench's model only. Reading costs no simulated cycles and leaves the design untouched,
// so the state can be snapshotted at any task boundary, including the whole SRAM.

#include <Vwm_nonsynth_pe_tb_top.h>
#include <Vwm_nonsynth_pe_tb_top___024root.h>

#include <cstdint>
#include <vector>
#include <wm/harness/port_bits.hpp>
#include <wm/sw/isa/isa.hpp>
#include <wm/sw/ref/state.hpp>

namespace wm::tb::pe {

/// The tb top's SRAM geometry (wm_nonsynth_pe_tb_top: MemWords = 12288, 8 word-interleaved
/// banks): word a lives in bank a % 8, row a / 8.
inline constexpr unsigned kSramBanks = 8;
inline constexpr unsigned kSramWords = sw::isa::kDefaultMemWords;

namespace detail {
// wm_pe_core's state_e: SHalt.
inline constexpr unsigned kCoreHalt = 5;
}  // namespace detail

/// Fills `mem` (resized to kSramWords) with the SRAM's words, in address order.
inline void read_sram(const Vwm_nonsynth_pe_tb_top& dut, std::vector<std::uint32_t>& mem) {
  const auto& r = *dut.rootp;
  using Bank = VlUnpacked<IData, kSramWords / kSramBanks>;
  const Bank* banks[kSramBanks] = {
    &r.wm_nonsynth_pe_tb_top__DOT__u_sram__DOT__gen_bank__BRA__0__KET____DOT__u_macro__DOT__mem_q,
    &r.wm_nonsynth_pe_tb_top__DOT__u_sram__DOT__gen_bank__BRA__1__KET____DOT__u_macro__DOT__mem_q,
    &r.wm_nonsynth_pe_tb_top__DOT__u_sram__DOT__gen_bank__BRA__2__KET____DOT__u_macro__DOT__mem_q,
    &r.wm_nonsynth_pe_tb_top__DOT__u_sram__DOT__gen_bank__BRA__3__KET____DOT__u_macro__DOT__mem_q,
    &r.wm_nonsynth_pe_tb_top__DOT__u_sram__DOT__gen_bank__BRA__4__KET____DOT__u_macro__DOT__mem_q,
    &r.wm_nonsynth_pe_tb_top__DOT__u_sram__DOT__gen_bank__BRA__5__KET____DOT__u_macro__DOT__mem_q,
    &r.wm_nonsynth_pe_tb_top__DOT__u_sram__DOT__gen_bank__BRA__6__KET____DOT__u_macro__DOT__mem_q,
    &r.wm_nonsynth_pe_tb_top__DOT__u_sram__DOT__gen_bank__BRA__7__KET____DOT__u_macro__DOT__mem_q,
  };
  mem.resize(kSramWords);
  for (unsigned a = 0; a < kSramWords; ++a) mem[a] = (*banks[a % kSramBanks])[a / kSramBanks];
}

/// The architectural state now (registers as of the last rising edge).
inline sw::ref::ArchState arch_state(const Vwm_nonsynth_pe_tb_top& dut) {
  using harness::get_bits;
  namespace isa = sw::isa;
  const auto& r = *dut.rootp;
  sw::ref::ArchState s;
  for (unsigned i = 0; i < isa::kNumRegs; ++i) {
    s.regs[i] = static_cast<std::uint32_t>(
        get_bits(r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__regs_q, i * 32, 32));
  }
  s.pc = r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__pc_q;
  for (unsigned i = 0; i < isa::kNumDsds; ++i) {
    sw::ref::Dsd& d = s.dsds[i];
    d.kind = static_cast<isa::DsdKind>(
        get_bits(r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__dkind_q, i * 2, 2));
    auto f16 = [i](const auto& v) { return static_cast<std::uint16_t>(get_bits(v, i * 16, 16)); };
    auto f5 = [i](const auto& v) { return static_cast<std::uint8_t>(get_bits(v, i * 5, 5)); };
    const std::uint16_t len0 = f16(r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__dlen0_q);
    // One length register serves MEM's len0 and the fabric kinds' len (as in wm_pe_core).
    d.base = f16(r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__dbase_q);
    d.len0 = len0;
    d.stride0 = f16(r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__dstr0_q);
    d.len1 = f16(r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__dlen1_q);
    d.stride1 = f16(r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__dstr1_q);
    d.color = f5(r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__dcol_q);
    d.len = len0;
    d.dst_x = f5(r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__ddx_q);
    d.dst_y = f5(r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__ddy_q);
  }
  for (unsigned t = 0; t < isa::kNumTasks; ++t) {
    sw::ref::Task& k = s.tasks[t];
    k.entry = static_cast<std::uint16_t>(
        get_bits(r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_sched__DOT__entry_q, t * 16, 16));
    k.color = static_cast<std::uint8_t>(
        get_bits(r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_sched__DOT__color_q, t * 5, 5));
    k.bound = (r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_sched__DOT__bound_q >> t) & 1u;
    k.active = (r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_sched__DOT__active_q >> t) & 1u;
    k.blocked = (r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_sched__DOT__blocked_q >> t) & 1u;
  }
  s.busy = r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__eng_busy;
  s.done = r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__eng_done;
  s.halted = r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__state_q == detail::kCoreHalt;
  s.code = static_cast<isa::ErrorCode>(r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__err_q);
  s.err_pc = r.wm_nonsynth_pe_tb_top__DOT__u_pe__DOT__u_core__DOT__err_pc_q;
  read_sram(dut, s.mem);
  return s;
}

}  // namespace wm::tb::pe
