// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The assembler and disassembler: hand-checked encodings, every form round-trips, random words
// (legal ones made by the isa.hpp encoders, and raw ones) survive decode -> text -> encode,
// the hex format, and the line-numbered errors of bad sources.
#define BOOST_TEST_MODULE sw_asm
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <random>
#include <set>
#include <string>

#include "wm/sw/asm/assembler.hpp"
#include "wm/sw/asm/disassembler.hpp"
#include "wm/sw/asm/image.hpp"

namespace as = wm::sw::assembler;
namespace isa = wm::sw::isa;

namespace {

std::vector<std::uint32_t> words_of(const std::string& src) {
  const auto p = as::assemble(src);
  std::vector<std::uint32_t> out;
  for (const auto& [a, w] : p.image.words) out.push_back(w);
  return out;
}

std::uint32_t one(const std::string& line) {
  const auto w = words_of(line);
  BOOST_REQUIRE_EQUAL(w.size(), 1u);
  return w[0];
}

/// Every instruction form (and pseudo, directive, flag) at least once.
const char* kEveryForm = R"(
        .equ    BASE, 0x100
start:  add r1, r2, r3
        sub r4, r5, r6
        and r7, r8, r9
        or r10, r11, r12
        xor r13, ra, wv
        sll r1, r1, r2
        srl r1, r1, r2
        sra r1, r1, r2
        slt r1, r1, r2
        sltu r1, r1, r2
        mul r1, r1, r2
        fadd r1, r2, r3
        fsub r1, r2, r3
        fmul r1, r2, r3
        fmax r1, r2, r3
        fmin r1, r2, r3
        fi2f r1, r2
        ff2i r1, r2
        flt r1, r2, r3
        fle r1, r2, r3
        feq r1, r2, r3
        addi r1, r2, -131072
        andi r1, r2, 0x3ffff
        ori r1, r2, 0
        xori r1, r2, 255
        slti r1, r2, 131071
        slli r1, r2, 31
        srli r1, r2, 1
        srai r1, r2, 7
        lui r1, 0xffff
        lw r1, -4(r2)
        sw r3, BASE+2(r4)
        lw r1, (r2)
back:   beq r1, r2, back
        bne r1, r2, fwd
        blt r1, r2, .+3
        bge r1, r2, .-3
        bltu r1, r2, start
        bgeu r1, r2, fwd
fwd:    jal ra, start
        jalr r0, ra, 0
        dsdm d0, r1, r2, r3
        dsd2 d7, r4, r5
        dsdfi d1, 7, r2
        dsdfo d2, 3, r4, r5
        dsdadd d3, r6
        send r1, r2, 5
        sendc r1, r2, 0
        recv r1, 6
        nop
        exit
        halt
        tact 15
        tblock 3
        tunblock 3
        tbind 2, 7
        tunbind 2
        ewait 3
        estat r9
        tentry 4, r1, fwd
        fmov d1, d2
        fadd d1, d2, r3, e=1
        fsub d1, r2, d3, async
        fmul d1, d2, d3, notify=9
        fmac d1, d2, d3, e=3, async, notify=15
        fmac r4, d2, r3
        fmax d1, d2, d3, task=5
        fmin d1, d2, d3
        frsum r1, d2
        frmax r1, d2, e=2
        fdotv d1, d2, d3
        iadd d1, d2, r3
        isub d1, r2, d3
        ishl d1, d2, d3
        ishr d1, d2, d3
        vi2f d1, d2
        vf2i d1, d2
        li r1, 0xdeadbeef
        li r2, -1
        lif r3, 1.5
        mv r1, r2
        j start
        call fwd
        ret
        .org 0x200
        .word 0x12345678, -1, start
        .float 1.0, -0.0, inf, -inf, nan, 0x1p-149
)";

/// Random legal words made by the encoders, one family at a time.
std::uint32_t random_legal(std::mt19937& rng) {
  auto u = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
  auto imm = [&](unsigned bits) {
    return static_cast<std::int32_t>(rng() & ((1u << bits) - 1)) - (1 << (bits - 1));
  };
  using Op = isa::Op;
  switch (u(16)) {
    case 0:
      return isa::encode_alu(static_cast<isa::AluFn>(u(isa::kNumAluFns)), u(16), u(16), u(16));
    case 1: {
      const auto fn = static_cast<isa::FpuFn>(u(isa::kNumFpuFns));
      const bool unary = fn == isa::FpuFn::i2f || fn == isa::FpuFn::f2i;
      return isa::encode_fpu(fn, u(16), u(16), unary ? 0 : u(16));
    }
    case 2: {
      const Op ops[] = {Op::addi, Op::andi, Op::ori, Op::xori, Op::slti, Op::lw, Op::jalr,
                        Op::tentry};
      return isa::encode_i(ops[u(8)], u(16), u(16), imm(18));
    }
    case 3: {
      const Op ops[] = {Op::slli, Op::srli, Op::srai};
      return isa::encode_i(ops[u(3)], u(16), u(16), static_cast<std::int32_t>(u(32)));
    }
    case 4: return isa::encode_sw(u(16), u(16), imm(18));
    case 5: return isa::encode_b(static_cast<Op>(static_cast<unsigned>(Op::beq) + u(6)), u(16),
                                 u(16), imm(18));
    case 6: return isa::encode_lui(u(16), u(0x10000));
    case 7: return isa::encode_jal(u(16), imm(22));
    case 8: return isa::encode_d(Op::dsdm, u(8), u(16), u(16), u(16), 0, 0);
    case 9: {
      switch (u(4)) {
        case 0: return isa::encode_d(Op::dsd2, u(8), 0, u(16), u(16), 0, 0);
        case 1: return isa::encode_d(Op::dsdfi, u(8), 0, u(16), 0, u(8), 0);
        case 2: return isa::encode_d(Op::dsdfo, u(8), 0, u(16), u(16), u(8), 0);
        default: return isa::encode_d(Op::dsdadd, u(8), u(16), 0, 0, 0, 0);
      }
    }
    case 10: return isa::encode_d(Op::send, 0, u(16), u(16), 0, u(8), u(2));
    case 11: return isa::encode_d(Op::recv, u(16), 0, 0, 0, u(8), 0);
    case 12: {
      const auto fn = static_cast<isa::SysFn>(u(isa::kNumSysFns));
      switch (fn) {
        case isa::SysFn::nop: case isa::SysFn::exit: case isa::SysFn::halt:
          return isa::encode_sys(fn);
        case isa::SysFn::ewait: return isa::encode_sys(fn, u(4));
        case isa::SysFn::tbind: return isa::encode_sys(fn, u(16), u(8));
        default: return isa::encode_sys(fn, u(16));
      }
    }
    default: {
      isa::VecInstr v;
      v.vop = static_cast<isa::Vop>(u(isa::kNumVops));
      auto opnd = [&] { return u(2) ? isa::dsd(u(8)) : isa::reg(u(16)); };
      v.dst = opnd();
      v.a = opnd();
      v.b = opnd();
      const auto cls = isa::vop_class(v.vop);
      if (cls == isa::VopClass::reduce) {
        v.dst = isa::reg(u(16));
        v.a = isa::dsd(u(8));
      } else if (cls != isa::VopClass::mac) {
        v.dst = isa::dsd(u(8));
      } else if (v.dst.is_reg && v.a.is_reg && v.b.is_reg) {
        v.b = isa::dsd(u(8));
      }
      if (cls == isa::VopClass::unary || cls == isa::VopClass::reduce) v.b = isa::dsd(0);
      v.engine = static_cast<std::uint8_t>(u(4));
      v.async = u(2) != 0;
      v.notify = u(2) != 0;
      v.task = static_cast<std::uint8_t>(u(16));
      return isa::encode_v(v);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(hand_checked_encodings) {
  BOOST_TEST(one("add r1, r2, r3") == 0x0448C000u);   // op 1, rd 1, rs1 2, rs2 3
  BOOST_TEST(one("addi r2, r1, -5") == 0x0C87FFFBu);  // op 3, imm18 0x3fffb
  BOOST_TEST(one("lui r1, 0x1234") == 0x2C401234u);   // op 0x0B
  BOOST_TEST(one("halt") == 0x74000002u);             // op 0x1D, sub 2
  BOOST_TEST(one("tbind 2, 7") == 0x748000E6u);       // t 2, color 7, sub 6
  BOOST_TEST(one("loop: beq r1, r2, loop") == 0x38480000u);
  BOOST_TEST(one("jal r0, .-14") == 0x503FFFF2u);
  // fadd d1, d2, r3 on E2, async, notify task 4: 1 00001 00001 00010 10011 10 1 1 0100 000
  BOOST_TEST(one("fadd d1, d2, r3, e=2, async, notify=4") == 0x84229DA0u);
  BOOST_TEST(one(".float 1.5") == 0x3FC00000u);
  BOOST_TEST(one(".word -1") == 0xFFFFFFFFu);
  const auto li = words_of("li r1, 0x12345678");
  BOOST_TEST(li == (std::vector<std::uint32_t>{0x2C401234u, 0x14445678u}));
}

BOOST_AUTO_TEST_CASE(every_form_round_trips) {
  const auto program = as::assemble(kEveryForm, "every_form.s");
  std::set<std::string> mnemonics;
  for (const auto& [addr, word] : program.image.words) {
    const std::string text = as::disassemble(word, static_cast<std::uint16_t>(addr));
    mnemonics.insert(text.substr(0, text.find(' ')));
    const auto back = as::assemble(fmt::format(".org {}\n{}\n", addr, text));
    BOOST_TEST_REQUIRE(back.image.words.size() == 1u);
    BOOST_TEST(back.image.words.begin()->second == word, text);
  }
  // Every mnemonic of docs/isa.md shows up in the disassembly (pseudos expand to these).
  for (const char* m : {"add", "sub", "and", "or", "xor", "sll", "srl", "sra", "slt", "sltu",
                        "mul", "fadd", "fsub", "fmul", "fmax", "fmin", "fi2f", "ff2i", "flt",
                        "fle", "feq", "addi", "andi", "ori", "xori", "slti", "slli", "srli",
                        "srai", "lui", "lw", "sw", "beq", "bne", "blt", "bge", "bltu", "bgeu",
                        "jal", "jalr", "dsdm", "dsd2", "dsdfi", "dsdfo", "dsdadd", "send",
                        "sendc", "recv", "nop", "exit", "halt", "tact", "tblock", "tunblock",
                        "tbind", "tunbind", "ewait", "estat", "tentry", "fmov", "fmac", "frsum",
                        "frmax", "fdotv", "iadd", "isub", "ishl", "ishr", "vi2f", "vf2i"}) {
    BOOST_TEST(mnemonics.count(m) == 1u, m);
  }
  // The whole image as one listing (wmdis) re-assembles to the same image.
  BOOST_TEST((as::assemble(as::disassemble(program.image)).image == program.image));
}

BOOST_AUTO_TEST_CASE(random_words_round_trip) {
  std::mt19937 rng(20261125);
  std::uint64_t legal = 0;
  for (int batch = 0; batch < 6; ++batch) {
    as::Image image;
    for (std::uint32_t a = 0; a < 0x10000; ++a) {
      // Half made by the encoders (all must be legal), half raw random words.
      std::uint32_t w = 0;
      if (a & 1) {
        w = random_legal(rng);
        BOOST_TEST_REQUIRE(isa::is_legal(w), fmt::format("generator made {:08x}", w));
      } else {
        w = rng();
      }
      legal += isa::is_legal(w) ? 1 : 0;
      image.words[a] = w;
    }
    const auto back = as::assemble(as::disassemble(image), "random.s");
    BOOST_TEST_REQUIRE((back.image == image));
  }
  BOOST_TEST_MESSAGE(fmt::format("{} words, {} legal", 6 * 0x10000, legal));
  BOOST_TEST(legal > 3u * 0x10000);
}

BOOST_AUTO_TEST_CASE(illegal_words_disassemble_as_data) {
  BOOST_TEST(as::disassemble(0u, 0) == ".word 0x00000000  ; illegal");
  BOOST_TEST(as::disassemble(0x7C000000u, 0) == ".word 0x7c000000  ; illegal");  // op 0x1F
  // recv on color 8 is illegal with 8 colors and legal with 24.
  const std::uint32_t recv8 = isa::encode_d(isa::Op::recv, 1, 0, 0, 0, 8, 0);
  BOOST_TEST(as::disassemble(recv8, 0).starts_with(".word"));
  BOOST_TEST(as::disassemble(recv8, 0, 24) == "recv r1, 8");
}

BOOST_AUTO_TEST_CASE(branch_targets_out_of_the_pc_space_use_offsets) {
  const std::uint32_t w = isa::encode_b(isa::Op::beq, 1, 2, 100000);
  const std::string text = as::disassemble(w, 0x10);
  BOOST_TEST(text == "beq r1, r2, .+100000");
  BOOST_TEST(as::assemble(".org 0x10\n" + text).image.words.at(0x10) == w);
}

BOOST_AUTO_TEST_CASE(labels_symbols_and_layout) {
  const auto p = as::assemble(R"(
      .equ N, 3
      j skip            ; forward reference
      .word N, N+1, end-skip
skip: nop
      .org 0x40
end:  li r1, end
      call sub
sub:  ret
)");
  BOOST_TEST(p.symbols.at("skip") == 4u);
  BOOST_TEST(p.symbols.at("end") == 0x40u);
  BOOST_TEST(p.symbols.at("sub") == 0x43u);
  BOOST_TEST(p.image.words.at(0) == isa::encode_jal(0, 4));
  BOOST_TEST(p.image.words.at(3) == 0x3Cu);
  BOOST_TEST(p.image.words.at(0x41) == isa::encode_i(isa::Op::ori, 1, 1, 0x40));
  BOOST_TEST(p.image.words.at(0x42) == isa::encode_jal(isa::kRegLink, 1));
  BOOST_TEST(p.image.words.at(0x43) == isa::encode_i(isa::Op::jalr, 0, isa::kRegLink, 0));
}

BOOST_AUTO_TEST_CASE(hex_format_round_trips) {
  as::Image image;
  image.words = {{0, 1}, {1, 0xFFFFFFFF}, {0x100, 0xDEADBEEF}, {0x2FFF, 7}};
  const std::string hex = as::to_hex(image);
  BOOST_TEST(hex == "@0000\n00000001\nffffffff\n@0100\ndeadbeef\n@2fff\n00000007\n");
  BOOST_TEST((as::parse_hex(hex) == image));
  BOOST_TEST((as::parse_hex("// a comment\n@10 1 2 // two words\n3\n").words.size() == 3u));
  BOOST_CHECK_THROW((void)as::parse_hex("@10\nxyz\n"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(every_error_is_reported_with_its_line) {
  const std::string src =
      "ok:   add r1, r2, r3\n"          // 1
      "      frob r1, r2\n"             // 2 unknown mnemonic
      "      add r1, r2, r16\n"         // 3 bad register
      "      addi r1, r2, 131072\n"     // 4 immediate out of range
      "      beq r1, r2, nowhere\n"     // 5 undefined label
      "ok:   nop\n"                     // 6 duplicate label
      "      add r1, r2, r3 r4\n"       // 7 trailing junk
      "      dsdm r1, r2, r3, r4\n"     // 8 operand kind: register for a DSD
      "      fadd d1, d2\n"             // 9 operand count
      "      frsum d1, d2\n"            // 10 illegal operand kinds
      "      recv r1, 8\n"              // 11 color out of range
      "      fmul d1, d2, d3, e=4\n"    // 12 engine out of range
      "      nop extra\n"               // 13 trailing junk
      "      .float 1.5x\n"             // 14 bad float
      "      slli r1, r1, 32\n"         // 15 shift out of range
      "      lw r1, 4(r2) junk\n"       // 16 trailing junk after memory operand
      "      fmac d1, d2, d3, fast\n";  // 17 unknown flag
  try {
    (void)as::assemble(src, "bad.s");
    BOOST_FAIL("bad source assembled");
  } catch (const as::AsmError& e) {
    const auto& d = e.diagnostics();
    std::vector<unsigned> lines;
    for (const auto& x : d) lines.push_back(x.line);
    BOOST_TEST(lines == (std::vector<unsigned>{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                                               16, 17}),
               boost::test_tools::per_element());
    const std::string what = e.what();
    for (const char* m : {"bad.s:2: unknown mnemonic 'frob'", "bad.s:3: bad register 'r16'",
                          "bad.s:4: immediate 131072 out of range [-131072, 131071]",
                          "bad.s:5: undefined symbol 'nowhere'",
                          "bad.s:6: duplicate label 'ok' (first defined at bad.s:1)",
                          "bad.s:7: trailing junk 'r4' after 'r3'",
                          "bad.s:8: scalar register 'r1' where a DSD is expected",
                          "bad.s:9: 'fadd' takes 3 operands, got 2",
                          "bad.s:10: illegal operand kinds for 'frsum'",
                          "bad.s:11: color 8 out of range [0, 7]",
                          "bad.s:12: engine 4 out of range [0, 3]",
                          "bad.s:13: trailing junk 'extra' after 'nop'",
                          "bad.s:14: bad float literal '1.5x'",
                          "bad.s:15: shift amount 32 out of range [0, 31]",
                          "bad.s:16: trailing junk 'junk' after '4(r2)'",
                          "bad.s:17: unknown vector flag 'fast'"}) {
      BOOST_TEST(what.find(m) != std::string::npos, m << "\n--- got:\n" << what);
    }
  }
}

BOOST_AUTO_TEST_CASE(errors_name_their_file_across_sources) {
  try {
    (void)as::assemble({{"a.s", "call lib\nhalt\n"}, {"b.s", "lib: ret\n  .org 1\n  nop\n"}});
    BOOST_FAIL("overlap assembled");
  } catch (const as::AsmError& e) {
    BOOST_TEST(std::string(e.what()) ==
               "b.s:3: address 0x0001 is written twice (overlapping .org)");
  }
  const auto p = as::assemble({{"a.s", "call lib\nhalt\n"}, {"b.s", "lib: ret\n"}});
  BOOST_TEST(p.symbols.at("lib") == 2u);
}
