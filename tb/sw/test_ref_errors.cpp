// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Every error of docs/isa.md section 8: the code, err_pc, and that the PE stops.
#include <fmt/format.h>

#include <boost/test/unit_test.hpp>

#include "ref_fixture.hpp"

using namespace wm::tb::sw_ref;

namespace {

/// Runs `src` (task 0 activated) and expects it to stop with `code` at `pc`.
void expect_error(const std::string& src, isa::ErrorCode code, std::uint16_t pc,
                  const std::vector<ref::Wavelet>& inputs = {}) {
  ref::Pe pe = boot(src);
  for (const auto& w : inputs) pe.push_input(w);
  BOOST_TEST_REQUIRE((pe.run() == ref::RunEnd::halted), src);
  BOOST_TEST(static_cast<int>(pe.error()) == static_cast<int>(code), src);
  BOOST_TEST(pe.err_pc() == pc, src);
  // Nothing runs after an error.
  const auto before = pe.state();
  pe.push_input(ctrl(isa::CtrlCmd::activate, 0));
  BOOST_TEST((pe.step().kind == ref::StepKind::halted));
  BOOST_TEST(pe.state().regs == before.regs);
}

constexpr auto kIllegal = isa::ErrorCode::illegal;
constexpr auto kAddr = isa::ErrorCode::addr;
constexpr auto kDsd = isa::ErrorCode::dsd;

/// d1 = MEM 4 words at 0x100, d2 = FIN color 1 (4), d3 = FOUT color 2 (4); then `body`.
std::string with_dsds(const std::string& body) {
  return "li r1, 0x100\naddi r2, r0, 4\naddi r3, r0, 1\ndsdm d1, r1, r2, r3\n"
         "dsdfi d2, 1, r2\ndsdfo d3, 2, r2, r0\n" + body + "\nhalt\n";
}
constexpr std::uint16_t kBody = 7;  // address of the first body instruction

}  // namespace

BOOST_AUTO_TEST_CASE(illegal_instructions) {
  expect_error("nop\n.word 0", kIllegal, 1);                       // the all-zero word
  expect_error("nop\nnop\n.word 0x7C000000", kIllegal, 2);         // opcode 0x1F
  expect_error(".word 0x0448C010", kIllegal, 0);                   // add with a reserved bit
  expect_error(".word 0x0448C00B", kIllegal, 0);                   // ALU funct 11
  expect_error(".word 0x7400000A", kIllegal, 0);                   // SYS sub 10
  expect_error(fmt::format(".word {}", isa::encode_d(isa::Op::recv, 1, 0, 0, 0, 8, 0)),
               kIllegal, 0);                                       // color 8 of 8
  expect_error(fmt::format(".word {}", 0x80000000u | (0x08u << 21)), kIllegal, 0);  // 01xxx
  expect_error(fmt::format(".word {}", 0x80000000u | (16u << 26)), kIllegal, 0);    // vop 16
  // A DSD index above 7 (d field 8).
  expect_error(fmt::format(".word {}", isa::encode_d(isa::Op::dsdm, 8, 0, 0, 0, 0, 0)),
               kIllegal, 0);
}

BOOST_AUTO_TEST_CASE(address_errors) {
  expect_error("li r1, 12288\nlw r2, 0(r1)", kAddr, 2);
  expect_error("li r1, 12287\nsw r2, 1(r1)", kAddr, 2);
  expect_error("lw r2, -1(r0)", kAddr, 0);                         // wraps to 0xFFFFFFFF
  expect_error("li r1, 0x3000\njalr r0, r1, 0", kAddr, 0x3000);    // fetch at MemWords
  expect_error("j 12287\n.org 12287\nnop", kAddr, 12288);                   // fall through the end
  // A vector element past the end: err_pc is the vector instruction; earlier elements done.
  ref::Pe pe = boot("li r1, 12286\naddi r2, r0, 4\naddi r3, r0, 1\ndsdm d1, r1, r2, r3\n"
                    "lif r4, 2.0\nfmov d1, r4\nhalt");
  BOOST_TEST((pe.run() == ref::RunEnd::halted));
  BOOST_TEST((pe.error() == kAddr));
  BOOST_TEST(pe.err_pc() == 7u);
  BOOST_TEST(pe.read_mem(12287) == fb(2.0f));
  // The address error comes even though the element's FIN wavelet has not arrived.
  expect_error("li r1, 12288\naddi r2, r0, 2\naddi r3, r0, 1\ndsdm d1, r1, r2, r3\n"
               "dsdfi d2, 1, r2\nfmov d1, d2", kAddr, 6);
  // A LOAD past the end: err_pc is 0xFFFF.
  ref::Pe l;
  l.push_input(ctrl(isa::CtrlCmd::load, (2u << 16) | 12287, 0));
  l.push_input(data(1, 0));
  BOOST_TEST(!l.halted());
  l.push_input(data(2, 0));
  BOOST_TEST(l.halted());
  BOOST_TEST((l.error() == kAddr));
  BOOST_TEST(l.err_pc() == 0xFFFFu);
  BOOST_TEST(l.read_mem(12287) == 1u);
}

BOOST_AUTO_TEST_CASE(dsd_errors) {
  expect_error(with_dsds("fmov d1, d4"), kDsd, kBody);              // NONE source
  expect_error(with_dsds("fmov d5, d1"), kDsd, kBody);              // NONE destination
  expect_error(with_dsds("fmov d2, d1"), kDsd, kBody);              // FIN as dst
  expect_error(with_dsds("fadd d1, d1, d3"), kDsd, kBody);          // FOUT as a source
  expect_error(with_dsds("fmac d3, d1, d1"), kDsd, kBody);          // element-wise fmac to FOUT
  expect_error(with_dsds("fdotv d1, d2, d1"), kDsd, kBody);         // fdotv srcA not MEM
  expect_error(with_dsds("fadd d1, d2, d2"), kDsd, kBody);          // both FIN on one color
  expect_error(with_dsds("tbind 5, 1\nfmov d1, d2"), kDsd, kBody + 1);  // task-owned FIN
  expect_error(with_dsds("tbind 5, 1\ntblock 5\nrecv r4, 1"), kDsd, kBody + 2);  // recv owned
  expect_error(with_dsds("dsd2 d2, r1, r1"), kDsd, kBody);          // dsd2 on FIN
  expect_error(with_dsds("dsdadd d3, r1"), kDsd, kBody);            // dsdadd on FOUT
  expect_error(with_dsds("dsdadd d6, r1"), kDsd, kBody);            // dsdadd on NONE
  // A unary op's srcB field is 00000 = d0, which is never read: d0 NONE is fine.
  BOOST_TEST((run_to_halt(with_dsds("fmov d1, r3")).read_mem(0x100) == 1u));
}

BOOST_AUTO_TEST_CASE(ctrl_errors) {
  auto expect_ctrl = [](std::uint32_t word) {
    ref::Pe pe;
    pe.push_input({word, 0, true, 0, 0});
    BOOST_TEST(pe.halted(), fmt::format("{:08x}", word));
    BOOST_TEST((pe.error() == isa::ErrorCode::ctrl));
    BOOST_TEST(pe.err_pc() == 0xFFFFu);
    BOOST_TEST(!pe.task(0).active);
  };
  expect_ctrl(0x00000000);  // command 0
  expect_ctrl(0x50000000);  // command 5
  expect_ctrl(0xF0000000);  // the router's command never reaches a PE
  expect_ctrl(0x10000010);  // ACTIVATE with a payload bit beyond [3:0]
  expect_ctrl(0x38000001);  // UNBLOCK with bit 27 set
  ref::Pe pe;
  pe.push_input(ctrl(isa::CtrlCmd::load, (2u << 16) | 0x100, 1));
  pe.push_input(ctrl(isa::CtrlCmd::load, (2u << 16) | 0x200, 3));  // LOAD while loading
  BOOST_TEST((pe.error() == isa::ErrorCode::ctrl));
  // The first error is latched; control wavelets still act on a halted PE.
  pe.push_input({0x70000000, 0, true, 0, 0});
  pe.push_input(data(5, 1));
  BOOST_TEST((pe.error() == isa::ErrorCode::ctrl));
  BOOST_TEST(pe.read_mem(0x100) == 5u);
}

BOOST_AUTO_TEST_CASE(halt_is_not_an_error) {
  const ref::Pe pe = run_to_halt("nop\nhalt");
  BOOST_TEST(pe.halted());
  BOOST_TEST((pe.error() == isa::ErrorCode::none));
  BOOST_TEST(pe.err_pc() == 0u);  // err_pc is for errors only
}
