// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The reference model instruction by instruction against hand-computed values (floats through
// wm::sw::fp), then the scheduler, engines, fabric streams and control wavelets.
#include <fmt/format.h>

#include <boost/test/unit_test.hpp>

#include "ref_fixture.hpp"

using namespace wm::tb::sw_ref;

namespace {

/// `li r1, a; li r2, b; <op> r3, r1, r2; halt` and the result r3.
std::uint32_t rr(const std::string& op, std::uint32_t a, std::uint32_t b) {
  const ref::Pe pe =
      run_to_halt(fmt::format("li r1, {}\nli r2, {}\n{} r3, r1, r2\nhalt\n", a, b, op));
  return pe.reg(3);
}
/// `li r1, a; <op> r3, r1, imm; halt` and the result r3.
std::uint32_t ri(const std::string& op, std::uint32_t a, std::int64_t imm) {
  return run_to_halt(fmt::format("li r1, {}\n{} r3, r1, {}\nhalt\n", a, op, imm)).reg(3);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scalar)

BOOST_AUTO_TEST_CASE(alu) {
  BOOST_TEST(rr("add", 0x80000005, 3) == 0x80000008u);
  BOOST_TEST(rr("add", 0xFFFFFFFF, 2) == 1u);
  BOOST_TEST(rr("sub", 3, 5) == 0xFFFFFFFEu);
  BOOST_TEST(rr("and", 0xF0F0, 0xFF00) == 0xF000u);
  BOOST_TEST(rr("or", 0xF0F0, 0xFF00) == 0xFFF0u);
  BOOST_TEST(rr("xor", 0xF0F0, 0xFF00) == 0x0FF0u);
  BOOST_TEST(rr("sll", 1, 35) == 8u);  // by rs2[4:0]
  BOOST_TEST(rr("srl", 0x80000000, 33) == 0x40000000u);
  BOOST_TEST(rr("sra", 0x80000000, 4) == 0xF8000000u);
  BOOST_TEST(rr("slt", 0xFFFFFFFF, 1) == 1u);
  BOOST_TEST(rr("slt", 1, 0xFFFFFFFF) == 0u);
  BOOST_TEST(rr("sltu", 0xFFFFFFFF, 1) == 0u);
  BOOST_TEST(rr("sltu", 1, 0xFFFFFFFF) == 1u);
  BOOST_TEST(rr("mul", 0x10001, 0x10001) == 0x00020001u);
  BOOST_TEST(rr("mul", 0xFFFFFFFF, 3) == 0xFFFFFFFDu);
}

BOOST_AUTO_TEST_CASE(fpu) {
  BOOST_TEST(rr("fadd", fb(1.5f), fb(2.25f)) == fb(3.75f));
  BOOST_TEST(rr("fsub", fb(1.5f), fb(2.25f)) == fb(-0.75f));
  BOOST_TEST(rr("fmul", fb(1.5f), fb(-4.0f)) == fb(-6.0f));
  BOOST_TEST(rr("fadd", 0x7F800000, 0xFF800000) == fp::kCanonicalNan);  // inf - inf
  BOOST_TEST(rr("fmax", 0x7FC12345, fb(2.0f)) == fb(2.0f));              // NaN ignored
  BOOST_TEST(rr("fmax", fb(-0.0f), fb(0.0f)) == 0u);
  BOOST_TEST(rr("fmin", fb(0.0f), fb(-0.0f)) == 0x80000000u);
  BOOST_TEST(rr("fmin", fb(3.0f), fb(-1.0f)) == fb(-1.0f));
  BOOST_TEST(run_to_halt("li r1, -7\nfi2f r3, r1\nhalt").reg(3) == 0xC0E00000u);
  BOOST_TEST(run_to_halt("lif r1, -7.9\nff2i r3, r1\nhalt").reg(3) == 0xFFFFFFF9u);
  BOOST_TEST(run_to_halt("lif r1, 3e9\nff2i r3, r1\nhalt").reg(3) == 0x7FFFFFFFu);
  BOOST_TEST(run_to_halt("li r1, 0x7FC00000\nff2i r3, r1\nhalt").reg(3) == 0u);
  BOOST_TEST(rr("flt", fb(1.0f), fb(2.0f)) == 1u);
  BOOST_TEST(rr("flt", fb(2.0f), fb(2.0f)) == 0u);
  BOOST_TEST(rr("fle", fb(2.0f), fb(2.0f)) == 1u);
  BOOST_TEST(rr("feq", fb(0.0f), fb(-0.0f)) == 1u);
  BOOST_TEST(rr("feq", fp::kCanonicalNan, fp::kCanonicalNan) == 0u);
  BOOST_TEST(rr("fle", fp::kCanonicalNan, fb(1.0f)) == 0u);
}

BOOST_AUTO_TEST_CASE(immediates) {
  BOOST_TEST(ri("addi", 10, -131072) == static_cast<std::uint32_t>(10 - 131072));
  BOOST_TEST(ri("andi", 0xFFFFFFFF, 0x3FFFF) == 0x3FFFFu);  // zero-extended
  BOOST_TEST(ri("ori", 0x80000000, 0x20001) == 0x80020001u);
  BOOST_TEST(ri("xori", 0xFFFFFFFF, 0x3FFFF) == 0xFFFC0000u);
  BOOST_TEST(ri("slti", 0xFFFFFFFB, -4) == 1u);
  BOOST_TEST(ri("slti", 5, -4) == 0u);
  BOOST_TEST(ri("slli", 3, 30) == 0xC0000000u);
  BOOST_TEST(ri("srli", 0x80000000, 31) == 1u);
  BOOST_TEST(ri("srai", 0x80000000, 31) == 0xFFFFFFFFu);
  BOOST_TEST(run_to_halt("lui r3, 0xBEEF\nhalt").reg(3) == 0xBEEF0000u);
  BOOST_TEST(run_to_halt("addi r0, r0, 5\nmv r3, r0\nhalt").reg(3) == 0u);  // r0 stays 0
}

BOOST_AUTO_TEST_CASE(loads_and_stores) {
  const ref::Pe pe = run_to_halt(R"(
      li   r1, 0x200
      li   r2, 0xCAFEF00D
      sw   r2, -3(r1)
      lw   r3, 0x1FD(r0)
      li   r4, 0xFFFFFFFF
      sw   r3, 0x301(r4)     ; address arithmetic is modulo 2^32: 0x300
      halt
  )");
  BOOST_TEST(pe.read_mem(0x1FD) == 0xCAFEF00Du);
  BOOST_TEST(pe.reg(3) == 0xCAFEF00Du);
  BOOST_TEST(pe.read_mem(0x300) == 0xCAFEF00Du);
}

BOOST_AUTO_TEST_CASE(branches) {
  struct Case {
    const char* op;
    std::uint32_t a, b;
    bool taken;
  };
  const Case cases[] = {
      {"beq", 5, 5, true},  {"beq", 5, 6, false},          {"bne", 5, 6, true},
      {"bne", 5, 5, false}, {"blt", 0xFFFFFFFF, 0, true},  {"blt", 0, 0xFFFFFFFF, false},
      {"bge", 0, 0xFFFFFFFF, true}, {"bge", 3, 3, true},   {"bge", 0xFFFFFFFF, 0, false},
      {"bltu", 0, 0xFFFFFFFF, true}, {"bltu", 0xFFFFFFFF, 0, false},
      {"bgeu", 0xFFFFFFFF, 0, true}, {"bgeu", 0, 1, false}, {"bgeu", 7, 7, true}};
  for (const auto& c : cases) {
    const auto pe = run_to_halt(fmt::format(
        "li r1, {}\nli r2, {}\n{} r1, r2, yes\naddi r3, r0, 1\nhalt\nyes: addi r3, r0, 2\nhalt\n",
        c.a, c.b, c.op));
    BOOST_TEST(pe.reg(3) == (c.taken ? 2u : 1u), c.op << " " << c.a << " " << c.b);
  }
  // Backward branch: a counted loop.
  BOOST_TEST(run_to_halt("addi r1, r0, 10\nl: addi r2, r2, 3\naddi r1, r1, -1\nbne r1, r0, l\n"
                         "halt").reg(2) == 30u);
}

BOOST_AUTO_TEST_CASE(jumps_link_pc_plus_one) {
  const ref::Pe pe = run_to_halt(R"(
      jal  ra, f          ; 0
      addi r5, r0, 7      ; 1: returns here
      li   r6, g          ; 2, 3
      jalr r7, r6, 1      ; 4: to g+1, r7 = 5
      halt                ; 5
f:    mv   r4, ra         ; 6
      ret                 ; 7
g:    halt                ; 8 (skipped)
      addi r8, r0, 9      ; 9
      jalr r0, r7, 0      ; 10: back to 5
  )");
  BOOST_TEST(pe.reg(4) == 1u);
  BOOST_TEST(pe.reg(5) == 7u);
  BOOST_TEST(pe.reg(7) == 5u);
  BOOST_TEST(pe.reg(8) == 9u);
  BOOST_TEST(pe.pc() == 5u);
}

BOOST_AUTO_TEST_CASE(dsd_registers) {
  const ref::Pe pe = run_to_halt(R"(
      li   r1, 0x12340100    ; base: low 16 bits
      li   r2, 0x0005000A    ; len0 = 10
      li   r3, 0xFFFFFFFE    ; stride0 = -2
      dsdm d1, r1, r2, r3
      addi r4, r0, 3
      addi r5, r0, 64
      dsd2 d1, r4, r5
      li   r6, 0x1FFFF
      dsdadd d1, r6          ; base = (0x100 + 0x1FFFF) mod 2^16 = 0x00FF
      dsdfi d2, 5, r4
      li   r7, 0x3E3         ; x = 3, y = 31
      dsdfo d3, 6, r5, r7
      halt
  )");
  const auto& d1 = pe.dsd(1);
  BOOST_TEST((d1.kind == isa::DsdKind::mem));
  BOOST_TEST(d1.base == 0x00FFu);
  BOOST_TEST(d1.len0 == 10u);
  BOOST_TEST(d1.stride0 == 0xFFFEu);
  BOOST_TEST(d1.len1 == 3u);
  BOOST_TEST(d1.stride1 == 64u);
  BOOST_TEST((pe.dsd(2).kind == isa::DsdKind::fin));
  BOOST_TEST(pe.dsd(2).color == 5u);
  BOOST_TEST(pe.dsd(2).len == 3u);
  BOOST_TEST((pe.dsd(3).kind == isa::DsdKind::fout));
  BOOST_TEST(pe.dsd(3).color == 6u);
  BOOST_TEST(pe.dsd(3).len == 64u);
  BOOST_TEST(pe.dsd(3).dst_x == 3u);
  BOOST_TEST(pe.dsd(3).dst_y == 31u);
  BOOST_TEST((pe.dsd(0).kind == isa::DsdKind::none));
}

BOOST_AUTO_TEST_CASE(send_and_recv) {
  ref::Pe pe = boot(R"(
      li    r1, 0xABCD0123
      li    r2, 0x2A5          ; x = 5, y = 21
      send  r1, r2, 4
      sendc r1, r0, 7
      recv  r3, 2
      recv  r4, 2
      halt
  )");
  pe.push_input(data(11, 2));
  BOOST_TEST((pe.run() == ref::RunEnd::waiting));  // the second recv waits
  BOOST_TEST(pe.reg(3) == 11u);
  BOOST_TEST(pe.pc() == 7u);  // li, li (2 words each), send, sendc, recv
  pe.push_input(data(22, 2));
  BOOST_TEST((pe.run() == ref::RunEnd::halted));
  BOOST_TEST(pe.reg(4) == 22u);
  const auto w1 = pe.pop_output();
  const auto w2 = pe.pop_output();
  BOOST_TEST_REQUIRE((w1 && w2 && !pe.pop_output()));
  BOOST_TEST((*w1 == ref::Wavelet{0xABCD0123, 4, false, 5, 21}));
  BOOST_TEST((*w2 == ref::Wavelet{0xABCD0123, 7, true, 0, 0}));
}

BOOST_AUTO_TEST_CASE(sys_task_table) {
  const ref::Pe pe = run_to_halt(R"(
      tact 3
      tblock 4
      tblock 5
      tunblock 5
      tbind 6, 7
      tbind 8, 2
      tunbind 8
      li r1, 0x10005
      tentry 9, r1, -2       ; (0x10005 - 2) mod 2^16 = 3
      nop
      estat r2
      halt
  )");
  BOOST_TEST(pe.task(3).active);
  BOOST_TEST(pe.task(4).blocked);
  BOOST_TEST(!pe.task(5).blocked);
  BOOST_TEST(pe.task(6).bound);
  BOOST_TEST(pe.task(6).color == 7u);
  BOOST_TEST(!pe.task(8).bound);
  BOOST_TEST(pe.task(9).entry == 3u);
  BOOST_TEST(pe.reg(2) == 0u);
  BOOST_TEST(!pe.task(0).active);  // the boot activation was consumed
}

BOOST_AUTO_TEST_SUITE_END()

// ---- vector operations -------------------------------------------------------------------------

namespace {

constexpr std::uint32_t kA = 0x100, kB = 0x140, kD = 0x180;
const float kAv[] = {1.5f, -2.0f, 0.1f, 3.0e38f, -0.0f, 7.25f, 1e-40f, -5.5f};
const float kBv[] = {0.5f, 4.0f, 0.2f, 10.0f, 0.0f, -7.25f, 1e-40f, 2.0f};

/// Runs `body` with d1 = A (8 floats), d2 = B (8 floats), d3 = D (8 words), r9 = 2.5f.
ref::Pe vec(const std::string& body, const ref::Config& cfg = {}) {
  std::string src = fmt::format(
      "li r1, {}\nli r2, 8\naddi r3, r0, 1\ndsdm d1, r1, r2, r3\nli r1, {}\ndsdm d2, r1, r2, r3\n"
      "li r1, {}\ndsdm d3, r1, r2, r3\nlif r9, 2.5\n{}\nhalt\n.org {}\n.word",
      kA, kB, kD, body, kA);
  for (int i = 0; i < 8; ++i) src += fmt::format("{} {}", i ? "," : "", fb(kAv[i]));
  src += fmt::format("\n.org {}\n.word", kB);
  for (int i = 0; i < 8; ++i) src += fmt::format("{} {}", i ? "," : "", fb(kBv[i]));
  src += fmt::format("\n.org {}\n.word", kD);
  for (int i = 0; i < 8; ++i) src += fmt::format("{} {}", i ? "," : "", fb(100.0f + i));
  return run_to_halt(src + "\n", cfg);
}

template <typename F>
void check_d(const ref::Pe& pe, F expect, const char* what) {
  for (unsigned i = 0; i < 8; ++i) {
    BOOST_TEST(pe.read_mem(kD + i) == expect(i), what << " element " << i);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(vector)

BOOST_AUTO_TEST_CASE(element_wise) {
  auto ab = [](auto f) { return [f](unsigned i) { return fb(f(kAv[i], kBv[i])); }; };
  check_d(vec("fmov d3, d1"), [](unsigned i) { return fb(kAv[i]); }, "fmov");
  check_d(vec("fadd d3, d1, d2"), ab(fp::add), "fadd");
  check_d(vec("fsub d3, d1, d2"), ab(fp::sub), "fsub");
  check_d(vec("fmul d3, d1, d2"), ab(fp::mul), "fmul");
  check_d(vec("fmax d3, d1, d2"), ab(fp::max), "fmax");
  check_d(vec("fmin d3, d1, d2"), ab(fp::min), "fmin");
  check_d(vec("fmac d3, d1, d2"),
          [](unsigned i) { return fb(fp::add(100.0f + i, fp::mul(kAv[i], kBv[i]))); }, "fmac");
  // A scalar register source is broadcast, on either side.
  check_d(vec("fsub d3, r9, d1"), [](unsigned i) { return fb(fp::sub(2.5f, kAv[i])); }, "bcast");
  check_d(vec("fmul d3, d1, r9"), [](unsigned i) { return fb(fp::mul(kAv[i], 2.5f)); }, "bcast");
  check_d(vec("iadd d3, d1, d2"), [](unsigned i) { return fb(kAv[i]) + fb(kBv[i]); }, "iadd");
  check_d(vec("isub d3, d1, d2"), [](unsigned i) { return fb(kAv[i]) - fb(kBv[i]); }, "isub");
  check_d(vec("addi r4, r0, 35\nishl d3, d1, r4"), [](unsigned i) { return fb(kAv[i]) << 3; },
          "ishl masks the count to 5 bits");
  check_d(vec("addi r4, r0, 33\nishr d3, d1, r4"), [](unsigned i) { return fb(kAv[i]) >> 1; },
          "ishr is logical");
  check_d(vec("vi2f d3, d1"),
          [](unsigned i) { return fb(fp::i2f(static_cast<std::int32_t>(fb(kAv[i])))); }, "vi2f");
  check_d(vec("vf2i d3, d1"),
          [](unsigned i) { return static_cast<std::uint32_t>(fp::f2i(kAv[i])); }, "vf2i");
}

BOOST_AUTO_TEST_CASE(reductions_and_dot_products) {
  // The register is the initial value and the result; elements in index order.
  const auto pe = vec(R"(
      lif r4, 1.0
      frsum r4, d1
      lif r5, -1e30
      frmax r5, d2
      lif r6, 0.5
      fmac r6, d1, d2
      lif r7, 0.0
      fmac r7, r9, d2   ; broadcast times a vector
  )");
  float sum = 1.0f, mx = -1e30f, dot = 0.5f, bdot = 0.0f;
  for (int i = 0; i < 8; ++i) {
    sum = fp::add(sum, kAv[i]);
    mx = fp::max(mx, kBv[i]);
    dot = fp::add(dot, fp::mul(kAv[i], kBv[i]));
    bdot = fp::add(bdot, fp::mul(2.5f, kBv[i]));
  }
  BOOST_TEST(pe.reg(4) == fb(sum));
  BOOST_TEST(pe.reg(5) == fb(mx));
  BOOST_TEST(pe.reg(6) == fb(dot));
  BOOST_TEST(pe.reg(7) == fb(bdot));
}

BOOST_AUTO_TEST_CASE(two_dimensional_walks_and_fdotv) {
  // W is 3 x 4 row-major at 0x200, x (4) at 0x240, y (3) at 0x260: y = W x by fdotv with x
  // repeated per row (stride1 = 0); then the transpose walk W^T x' with len0 = 3, stride0 = 4.
  std::string src = R"(
      li r1, 0x200
      addi r2, r0, 4
      addi r3, r0, 1
      dsdm d1, r1, r2, r3
      addi r4, r0, 3
      dsd2 d1, r4, r2           ; 3 rows of 4, stride1 = 4
      li r1, 0x240
      dsdm d2, r1, r2, r3
      dsd2 d2, r4, r0           ; x for every row
      li r1, 0x260
      dsdm d3, r1, r4, r3
      fdotv d3, d1, d2
      li r1, 0x200
      dsdm d4, r1, r4, r2       ; column walk: len0 = 3, stride0 = 4
      dsd2 d4, r2, r3           ; 4 columns, stride1 = 1
      li r1, 0x270
      li r5, 12
      dsdm d5, r1, r5, r3
      fmov d5, d4               ; W^T, row-major, into 0x270
      halt
      .org 0x200
  )";
  float w[12], x[4] = {0.5f, -1.25f, 3.0f, 0.1f};
  for (int i = 0; i < 12; ++i) {
    w[i] = 0.3f * static_cast<float>(i) - 1.0f;
    src += fmt::format(".word {}\n", fb(w[i]));
  }
  src += ".org 0x240\n";
  for (float v : x) src += fmt::format(".word {}\n", fb(v));
  const auto pe = run_to_halt(src);
  for (int r = 0; r < 3; ++r) {
    float acc = 0.0f;
    for (int k = 0; k < 4; ++k) acc = fp::add(acc, fp::mul(w[r * 4 + k], x[k]));
    BOOST_TEST(pe.read_mem(0x260 + r) == fb(acc), "row " << r);
  }
  for (int c = 0; c < 4; ++c) {
    for (int r = 0; r < 3; ++r) {
      BOOST_TEST(pe.read_mem(0x270 + c * 3 + r) == fb(w[r * 4 + c]));
    }
  }
}

BOOST_AUTO_TEST_CASE(operands_walk_count_elements_whatever_their_length) {
  // dst has 4 elements; srcA has len0 = 0 (never wraps: base + n*stride0), srcB is a 2 x 1
  // walk that continues its 2-D pattern past its own length (rows at stride1 = 10).
  const auto pe = run_to_halt(R"(
      li r1, 0x300
      addi r2, r0, 4
      addi r3, r0, 1
      dsdm d1, r1, r2, r3
      li r1, 0x100
      addi r4, r0, 2
      dsdm d2, r1, r0, r4       ; len0 = 0, stride0 = 2
      li r1, 0x200
      dsdm d3, r1, r4, r3       ; len0 = 2, stride0 = 1
      addi r5, r0, 10
      dsd2 d3, r3, r5           ; len1 = 1, stride1 = 10
      iadd d1, d2, d3
      halt
      .org 0x100
      .word 1, 0, 2, 0, 3, 0, 4
      .org 0x200
      .word 10, 20
      .org 0x20A
      .word 30, 40
  )");
  BOOST_TEST(pe.read_mem(0x300) == 11u);
  BOOST_TEST(pe.read_mem(0x301) == 22u);
  BOOST_TEST(pe.read_mem(0x302) == 33u);
  BOOST_TEST(pe.read_mem(0x303) == 44u);
}

BOOST_AUTO_TEST_CASE(count_zero_does_nothing) {
  const auto pe = run_to_halt(R"(
      li r1, 0x100
      dsdm d1, r1, r0, r0
      lif r4, 3.0
      frsum r4, d1, notify=7
      fmov d1, r4
      halt
  )");
  BOOST_TEST(pe.reg(4) == fb(3.0f));
  BOOST_TEST(pe.read_mem(0x100) == 0u);
  BOOST_TEST(pe.engine_done(0));
  BOOST_TEST(pe.task(7).active);  // even an empty operation completes and notifies
}

BOOST_AUTO_TEST_CASE(fabric_streams) {
  // dOut (FOUT color 3, to x=2 y=1) = dIn (FIN color 1) + mem; the FIN data arrive in two
  // parts, so the synchronous fadd waits in between.
  ref::Pe pe = boot(R"(
      li r1, 0x100
      addi r2, r0, 4
      addi r3, r0, 1
      dsdm d1, r1, r2, r3
      dsdfi d2, 1, r2
      addi r4, r0, 0x22       ; x = 2, y = 1
      dsdfo d3, 3, r2, r4
      fadd d3, d2, d1
      halt
      .org 0x100
      .float 1, 2, 3, 4
  )");
  pe.push_input(data(fb(10.0f), 1));
  pe.push_input(data(fb(20.0f), 1));
  BOOST_TEST((pe.run() == ref::RunEnd::waiting));
  BOOST_TEST(pe.engine_busy(0));
  BOOST_TEST(pe.output_size() == 2u);
  pe.push_input(data(fb(30.0f), 1));
  pe.push_input(data(fb(40.0f), 1));
  BOOST_TEST((pe.run() == ref::RunEnd::halted));
  BOOST_TEST((pe.error() == isa::ErrorCode::none));
  for (int i = 0; i < 4; ++i) {
    const auto w = pe.pop_output();
    BOOST_TEST_REQUIRE(w.has_value());
    BOOST_TEST((*w == ref::Wavelet{fb(11.0f * static_cast<float>(i + 1)), 3, false, 2, 1}));
  }
}

BOOST_AUTO_TEST_SUITE_END()

// ---- engines, scheduler, control wavelets ------------------------------------------------

BOOST_AUTO_TEST_SUITE(engines)

const char* kAsyncProgram = R"(
      li r1, 0x100
      addi r2, r0, 4
      addi r3, r0, 1
      dsdm d1, r1, r2, r3
      li r1, 0x110
      dsdm d2, r1, r2, r3
      tentry 3, r0, done
      fmul d2, d1, d1, e=2, async, notify=3
      estat r5               ; timing-dependent by design: tells whether E2 finished
      ewait 2
      estat r6
      exit
done: lw r7, 0x113(r0)
      halt
      .org 0x100
      .float 1, 2, 3, 4
)";

BOOST_AUTO_TEST_CASE(async_notify_and_ewait_in_both_timings) {
  for (const auto timing : {ref::EngineTiming::eager, ref::EngineTiming::lazy}) {
    ref::Config cfg;
    cfg.timing = timing;
    const auto pe = run_to_halt(kAsyncProgram, cfg);
    BOOST_TEST(pe.reg(7) == fb(16.0f));  // the notified task saw the completed result
    BOOST_TEST(pe.reg(6) == 0x40u);      // after ewait: E2 done, nothing busy
    // eager: E2 completed before estat; lazy: still busy (done was cleared at launch)
    BOOST_TEST(pe.reg(5) == (timing == ref::EngineTiming::eager ? 0x40u : 0x04u));
  }
}

BOOST_AUTO_TEST_CASE(launch_on_a_busy_engine_waits_for_it) {
  // Two async operations on one engine; the second waits for the first (it reads its result).
  ref::Config cfg;
  cfg.timing = ref::EngineTiming::lazy;
  ref::Pe pe = boot(R"(
      li r1, 0x100
      addi r2, r0, 2
      addi r3, r0, 1
      dsdm d1, r1, r2, r3
      dsdfi d2, 0, r2
      fmov d1, d2, e=1, async     ; waits for fabric data
      lif r4, 0.0
      frsum r4, d1, e=1           ; same engine: starts after the fmov completes
      halt
  )", cfg);
  BOOST_TEST((pe.run() == ref::RunEnd::waiting));
  BOOST_TEST(pe.pc() == 9u);  // the frsum waits for E1
  pe.push_input(data(fb(1.5f), 0));
  pe.push_input(data(fb(2.0f), 0));
  BOOST_TEST((pe.run() == ref::RunEnd::halted));
  BOOST_TEST(pe.reg(4) == fb(3.5f));
}

BOOST_AUTO_TEST_CASE(scheduler_runs_lowest_runnable_first) {
  // Task 0 activates 9, 5 and 2 and exits; each appends its number to a log at 0x200.
  const auto pe = boot(R"(
      li r12, 0x200
      tentry 2, r0, t2
      tentry 5, r0, t5
      tentry 9, r0, t9
      tact 9
      tact 5
      tact 2
      tact 2                ; a flag, not a counter
      exit
t2:   addi r1, r0, 2
      j log
t5:   addi r1, r0, 5
      j log
t9:   addi r1, r0, 9
log:  sw r1, 0(r12)
      addi r12, r12, 1
      exit
  )");
  ref::Pe p = pe;
  BOOST_TEST((p.run() == ref::RunEnd::idle));
  BOOST_TEST(p.read_mem(0x200) == 2u);
  BOOST_TEST(p.read_mem(0x201) == 5u);
  BOOST_TEST(p.read_mem(0x202) == 9u);
  BOOST_TEST(p.read_mem(0x203) == 0u);
}

BOOST_AUTO_TEST_CASE(data_tasks_blocking_and_shared_colors) {
  ref::Pe pe = boot(R"(
      li r12, 0x200
      tentry 4, r0, t4
      tentry 6, r0, t6
      tbind 4, 3
      tbind 6, 3            ; same color: the lowest runnable slot takes each wavelet
      tentry 7, r0, t7
      tbind 7, 5
      tblock 7
      exit
t4:   sw wv, 0(r12)
      addi r12, r12, 1
      exit
t6:   addi r1, wv, 1000
      sw r1, 0(r12)
      addi r12, r12, 1
      exit
t7:   sw wv, 0(r12)
      addi r12, r12, 1
      tblock 4
      exit
  )");
  pe.push_input(data(31, 3));
  pe.push_input(data(51, 5));
  pe.push_input(data(32, 3));
  BOOST_TEST((pe.run() == ref::RunEnd::idle));
  BOOST_TEST(pe.read_mem(0x200) == 31u);  // task 4, not 6
  BOOST_TEST(pe.read_mem(0x201) == 32u);
  BOOST_TEST(pe.input_size(5) == 1u);  // task 7 is blocked: its wavelet waits
  pe.push_input(ctrl(isa::CtrlCmd::unblock, 7));
  BOOST_TEST((pe.run() == ref::RunEnd::idle));
  BOOST_TEST(pe.read_mem(0x202) == 51u);
  pe.push_input(data(33, 3));  // task 7 blocked task 4: task 6 takes it
  BOOST_TEST((pe.run() == ref::RunEnd::idle));
  BOOST_TEST(pe.read_mem(0x203) == 1033u);
  pe.push_input(ctrl(isa::CtrlCmd::unblock, 4));
  pe.push_input(data(34, 3));
  BOOST_TEST((pe.run() == ref::RunEnd::idle));
  BOOST_TEST(pe.read_mem(0x204) == 34u);
  BOOST_TEST(!pe.halted());
}

BOOST_AUTO_TEST_CASE(an_active_bound_task_takes_no_wavelet) {
  ref::Pe pe = boot(R"(
      tentry 2, r0, t2
      tbind 2, 1
      tact 2
      li wv, 77
      exit
t2:   sw wv, 0x200(r12)
      addi r12, r12, 1
      exit
  )");
  pe.push_input(data(5, 1));
  BOOST_TEST((pe.run() == ref::RunEnd::idle));
  BOOST_TEST(pe.read_mem(0x200) == 77u);  // activation first: r15 untouched
  BOOST_TEST(pe.read_mem(0x201) == 5u);   // then the wavelet
  BOOST_TEST(pe.pc() == 8u);  // pc stays on the last exit
}

BOOST_AUTO_TEST_CASE(control_wavelets_and_load) {
  ref::Pe pe;
  // LOAD a program while halted-free and idle, then data for a task, all through the fabric.
  const auto prog = as::assemble(R"(
      tentry 1, r0, t1
      tbind 1, 2
      exit
t1:   lw r1, 0x300(r0)
      add r1, r1, wv
      sw r1, 0x300(r0)
      exit
  )");
  const auto& words = prog.image.words;
  pe.push_input(ctrl(isa::CtrlCmd::load, (static_cast<std::uint32_t>(words.size()) << 16) | 0, 2));
  for (const auto& [a, w] : words) pe.push_input(data(w, 2));
  BOOST_TEST(pe.input_size(2) == 0u);  // LOAD data never reach the queue
  BOOST_TEST(pe.read_mem(3) == words.at(3));
  pe.push_input(ctrl(isa::CtrlCmd::load, (1u << 16) | 0x300, 2));
  pe.push_input(data(1000, 2));
  pe.push_input(ctrl(isa::CtrlCmd::block, 1, 6));
  pe.push_input(ctrl(isa::CtrlCmd::activate, 0, 5));
  pe.push_input(data(7, 2));
  BOOST_TEST((pe.run() == ref::RunEnd::idle));
  BOOST_TEST(pe.read_mem(0x300) == 1000u);  // task 1 blocked: 7 waits
  pe.push_input(ctrl(isa::CtrlCmd::unblock, 1, 0));
  BOOST_TEST((pe.run() == ref::RunEnd::idle));
  BOOST_TEST(pe.read_mem(0x300) == 1007u);
  // Control wavelets still work on a halted PE.
  ref::Pe h = run_to_halt("halt");
  h.push_input(ctrl(isa::CtrlCmd::load, (2u << 16) | 0x40, 1));
  h.push_input(data(0xAA, 1));
  h.push_input(data(0xBB, 1));
  h.push_input(ctrl(isa::CtrlCmd::activate, 3, 1));
  BOOST_TEST(h.read_mem(0x41) == 0xBBu);
  BOOST_TEST(h.task(3).active);
  BOOST_TEST((h.error() == isa::ErrorCode::none));
}

BOOST_AUTO_TEST_CASE(control_wavelets_keep_arrival_order_with_data) {
  // A control wavelet behind a data wavelet of its color acts only once that data is taken.
  ref::Pe pe = boot(R"(
      tentry 1, r0, t1
      tentry 2, r0, t2
      tbind 1, 3
      tblock 1
      exit
t1:   sw wv, 0x200(r0)
      exit
t2:   addi r1, r0, 22
      sw r1, 0x201(r0)
      exit
  )");
  pe.push_input(data(5, 3));
  pe.push_input(ctrl(isa::CtrlCmd::activate, 2, 3));
  BOOST_TEST((pe.run() == ref::RunEnd::idle));
  BOOST_TEST(!pe.task(2).active);
  BOOST_TEST(pe.input_size(3) == 2u);
  pe.push_input(ctrl(isa::CtrlCmd::unblock, 1, 0));
  BOOST_TEST((pe.run() == ref::RunEnd::idle));
  BOOST_TEST(pe.read_mem(0x200) == 5u);
  BOOST_TEST(pe.read_mem(0x201) == 22u);  // the ACTIVATE ran after task 1 took its wavelet
  BOOST_TEST(pe.input_size(3) == 0u);
  // A LOAD takes the data queued behind it, not the data queued before it.
  ref::Pe q = boot("tblock 1\ntbind 1, 4\nexit");
  BOOST_TEST((q.run() == ref::RunEnd::idle));
  q.push_input(data(10, 4));
  q.push_input(ctrl(isa::CtrlCmd::load, (2u << 16) | 0x300, 4));
  q.push_input(data(11, 4));
  q.push_input(data(12, 4));
  BOOST_TEST(q.read_mem(0x300) == 0u);  // still behind 10
  q.push_input(ctrl(isa::CtrlCmd::unblock, 1, 0));
  q.write_mem(0, isa::encode_sys(isa::SysFn::exit));  // task 1's entry 0: just exit
  BOOST_TEST((q.run() == ref::RunEnd::idle));
  BOOST_TEST(q.reg(15) == 10u);
  BOOST_TEST(q.read_mem(0x300) == 11u);
  BOOST_TEST(q.read_mem(0x301) == 12u);
}

BOOST_AUTO_TEST_CASE(arch_state_names_the_first_difference) {
  ref::Pe a = run_to_halt("addi r3, r0, 1\nhalt");
  ref::Pe b = run_to_halt("addi r3, r0, 2\nhalt");
  BOOST_TEST(!(a.state() == b.state()));
  BOOST_TEST(*a.state().diff(b.state()) == "r3: 0x1 (this) != 0x2 (other)");
  ref::Pe c = run_to_halt("addi r3, r0, 1\nhalt");
  BOOST_TEST(!a.state().diff(c.state()));
  b = run_to_halt("addi r3, r0, 1\nhalt");
  b.write_mem(0x2FF0, 9);
  BOOST_TEST(*a.state().diff(b.state()) == "mem[0x2ff0]: 0x0 (this) != 0x9 (other)");
  // Fields outside a DSD's kind, and the color of an unbound task, are not compared.
  const ref::Pe d = run_to_halt("addi r1, r0, 5\ndsdfi d1, 2, r1\ntbind 3, 4\ntunbind 3\nhalt");
  ref::ArchState s = d.state();
  ref::ArchState t = s;
  t.dsds[1].base = 0x99;
  t.tasks[3].color = 1;
  BOOST_TEST(!s.diff(t));
  t.dsds[1].len = 6;
  BOOST_TEST(*s.diff(t) == "d1.len: 0x5 (this) != 0x6 (other)");
}

BOOST_AUTO_TEST_SUITE_END()
