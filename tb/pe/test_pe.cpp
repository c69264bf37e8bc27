// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Directed tests of the PE (docs/isa.md) on wm_nonsynth_pe_tb_top: each program is assembled
// with sw/asm, run to `halt`, and its results in SRAM compared value for value with C++
// (wm::sw::fp for every float); those run through run_program are also run in lock-step with
// the reference model (pe_lockstep.hpp). Random operands, random SRAM grant refusals and
// random ramp backpressure make every check depend on the RTL computing, stalling and
// ordering right.
#include <algorithm>
#include <bit>
#include <cmath>
#include <span>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <wm/sw/fp/fp.hpp>
#include <wm/sw/ref/pe.hpp>
#include <wm/sw/ref/random_program.hpp>
#include <wm/sw/ref/special.hpp>

#include "pe/pe_bench.hpp"
#include "pe/pe_lockstep.hpp"
#include "pe/pe_state.hpp"

using namespace wm::harness;
using wm::tb::pe::Activity;
using wm::tb::pe::LockStep;
using wm::tb::pe::PeBench;
using wm::tb::pe::Stalls;
using wm::tb::pe::Wavelet;
namespace fp = wm::sw::fp;
namespace isa = wm::sw::isa;

WM_TEST_DUT(Vwm_nonsynth_pe_tb_top);

namespace {

constexpr std::uint32_t kData = 0x1000;    // operands
constexpr std::uint32_t kOut = 0x2000;     // results
constexpr std::uint64_t kMaxCycles = 500000;

std::string li(unsigned r, std::uint32_t v) { return fmt::format("  li r{}, {:#x}\n", r, v); }

std::uint32_t bits(float f) { return std::bit_cast<std::uint32_t>(f); }
float flt(std::uint32_t u) { return std::bit_cast<float>(u); }

/// Random floats with the special values mixed in, as bit patterns.
std::vector<std::uint32_t> random_floats(std::mt19937_64& rng, std::size_t n) {
  static constexpr std::uint32_t kSpecial[] = {0x00000000, 0x80000000, 0x7F800000, 0xFF800000,
                                               0x7FC00000, 0x00000001, 0x807FFFFF, 0x7F7FFFFF,
                                               0x3F800000, 0xBF800000};
  std::uniform_real_distribution<float> u(-4.0F, 4.0F);
  std::vector<std::uint32_t> v(n);
  for (auto& x : v) {
    const auto r = rng() % 16;
    if (r == 0) x = kSpecial[rng() % std::size(kSpecial)];
    else if (r == 1) x = static_cast<std::uint32_t>(rng());
    else x = bits(u(rng));
  }
  return v;
}

namespace ref = wm::sw::ref;
using Words = std::map<std::uint32_t, std::uint32_t>;

/// One word of the model's SRAM changed once `after` task ends have compared equal (0: before
/// the run): a divergence injected on purpose, to test the lock-step itself.
struct Patch {
  unsigned after;
  std::uint32_t addr, word;
};

class PatchingLockStep final : public wm::tb::pe::TaskObserver {
 public:
  PatchingLockStep(LockStep& lockstep, ref::Pe& model, std::optional<Patch> patch)
      : lockstep_(lockstep), model_(model), patch_(patch) {}
  void retired(std::uint16_t pc) override { lockstep_.retired(pc); }
  void task_ended(unsigned task, std::uint64_t cycle) override {
    lockstep_.task_ended(task, cycle);
    if (patch_ && lockstep_.task_ends() == patch_->after) {
      model_.write_mem(patch_->addr, patch_->word);
    }
  }

 private:
  LockStep& lockstep_;
  ref::Pe& model_;
  std::optional<Patch> patch_;
};

/// What a lock-step run leaves: the model (for further checks), the RTL's activity, the task
/// ends compared and the first divergence, if any.
struct LockStepRun {
  std::unique_ptr<ref::Pe> model;
  Activity act;
  unsigned task_ends = 0;
  std::optional<wm::tb::pe::LockStepError> diverged;
};

/// Activates task 0, loads `image` and runs the RTL (with the wavelets the test queued) in
/// lock-step with a reference model given the same SRAM, image and input (pe_lockstep.hpp):
/// until it halts, or with `until_idle` until it is idle.
Task<LockStepRun> run_lockstep(PeBench& pe, const Words& image, const std::string& context,
                               Stalls stalls, std::mt19937_64& rng, bool until_idle,
                               std::optional<Patch> patch = {}) {
  pe.activate(0);
  LockStepRun r;
  r.model = wm::tb::pe::model_like(pe, image);  // before the load: the load is checked too
  if (patch && patch->after == 0) r.model->write_mem(patch->addr, patch->word);
  co_await pe.load(image);
  LockStep lockstep(pe.dut(), *r.model, context);
  PatchingLockStep observer(lockstep, *r.model, patch);
  try {
    r.act = co_await pe.run(kMaxCycles, stalls, &rng, until_idle, &observer);
    lockstep.finish(r.act.cycles);
  } catch (const wm::tb::pe::LockStepError& e) {
    r.diverged = e;
  }
  r.task_ends = lockstep.task_ends();
  if (!r.diverged) {
    check(r.task_ends == r.act.task_starts.size() && r.task_ends > 0,
          "{}: {} task ends compared for {} task starts", context, r.task_ends,
          r.act.task_starts.size());
  }
  co_return r;
}

/// How run_program checks the run besides the test's own checks.
enum class Model : std::uint8_t {
  lockstep,  ///< after every task the whole state equals the reference model's
  none,      ///< the program observes engine timing (estat while busy), which the model has not
};

/// Runs `text` from task 0 to `halt`, expecting error `expect_err`.
Task<Activity> run_program(PeBench& pe, const std::string& text, Stalls stalls,
                           std::mt19937_64& rng, unsigned expect_err = 0,
                           Model model = Model::lockstep) {
  const auto prog = wm::sw::assembler::assemble(text, "test");
  Activity act;
  if (model == Model::lockstep) {
    auto r = co_await run_lockstep(pe, prog.image.words, "directed program", stalls, rng,
                                   /*until_idle=*/false);
    check(!r.diverged, "{}", r.diverged ? r.diverged->what() : "");
    act = std::move(r.act);
  } else {
    co_await pe.load(prog.image.words);
    pe.activate(0);
    act = co_await pe.run(kMaxCycles, stalls, &rng);
  }
  check(pe.halted(), "the program did not halt within {} cycles", kMaxCycles);
  check(pe.err_code() == expect_err, "error code {} (pc {:#x}), expected {}", pe.err_code(),
        pe.err_pc(), expect_err);
  co_return act;
}

void check_words(const std::vector<std::uint32_t>& got, const std::vector<std::uint32_t>& want,
                 const std::string& what) {
  check(got.size() == want.size(), "{}: {} words, expected {}", what, got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    check(got[i] == want[i], "{}[{}] = {:#010x}, expected {:#010x}", what, i, got[i], want[i]);
  }
}

// Built outside the coroutine: GCC 12 cannot keep fmt::arg's name arrays in a coroutine frame.
std::string branches_program(std::size_t n) {
  return fmt::format(R"(
    li r1, {data}
    li r2, {n}
    li r3, 0
  loop:
    lw r4, 0(r1)
    add r3, r3, r4
    addi r1, r1, 1
    addi r2, r2, -1
    bne r2, r0, loop
    sw r3, {out}(r0)
    call twice
    sw r3, {out1}(r0)
    li r5, -1
    li r6, 1
    li r7, 0
    blt r5, r6, s1       ; signed: -1 < 1, taken
    addi r7, r7, 1
  s1:
    bltu r5, r6, s2      ; unsigned: 0xffffffff > 1, not taken
    addi r7, r7, 2
  s2:
    bge r6, r5, s3       ; taken
    addi r7, r7, 4
  s3:
    bgeu r6, r5, s4      ; not taken
    addi r7, r7, 8
  s4:
    beq r5, r5, s5       ; taken
    addi r7, r7, 16
  s5:
    sw r7, {out2}(r0)
    halt
  twice:
    add r3, r3, r3
    ret
  )", fmt::arg("data", kData), fmt::arg("n", n), fmt::arg("out", kOut),
      fmt::arg("out1", kOut + 1), fmt::arg("out2", kOut + 2));
}

}  // namespace

WM_TEST(alu_ops_match_cpp) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  co_await pe.reset();
  auto& rng = random();
  const char* names[] = {"add", "sub", "and", "or", "xor", "sll", "srl", "sra", "slt", "sltu",
                         "mul"};
  const std::function<std::uint32_t(std::uint32_t, std::uint32_t)> ops[] = {
      [](auto a, auto b) { return a + b; }, [](auto a, auto b) { return a - b; },
      [](auto a, auto b) { return a & b; }, [](auto a, auto b) { return a | b; },
      [](auto a, auto b) { return a ^ b; }, [](auto a, auto b) { return a << (b & 31); },
      [](auto a, auto b) { return a >> (b & 31); },
      [](auto a, auto b) {
        return static_cast<std::uint32_t>(static_cast<std::int32_t>(a) >> (b & 31));
      },
      [](auto a, auto b) {
        return std::uint32_t{static_cast<std::int32_t>(a) < static_cast<std::int32_t>(b)};
      },
      [](auto a, auto b) { return std::uint32_t{a < b}; },
      [](auto a, auto b) { return a * b; }};
  std::string prog;
  std::vector<std::uint32_t> want;
  for (int round = 0; round < 4; ++round) {
    for (unsigned f = 0; f < std::size(names); ++f) {
      const auto a = static_cast<std::uint32_t>(rng());
      const auto b = static_cast<std::uint32_t>(rng()) >> (rng() % 32);
      prog += li(1, a) + li(2, b);
      prog += fmt::format("  {} r3, r1, r2\n  sw r3, {}(r0)\n", names[f], kOut + want.size());
      want.push_back(ops[f](a, b));
    }
    // Immediate forms (18-bit immediates: sign-extended for addi/slti, zero-extended else).
    const auto a = static_cast<std::uint32_t>(rng());
    const std::int32_t imm = static_cast<std::int32_t>(rng() % (1 << 18)) - (1 << 17);
    const std::uint32_t zimm = static_cast<std::uint32_t>(imm) & 0x3FFFF;
    const unsigned sh = static_cast<unsigned>(rng() % 32);
    prog += li(1, a);
    prog += fmt::format("  addi r3, r1, {}\n  sw r3, {}(r0)\n", imm, kOut + want.size());
    want.push_back(a + static_cast<std::uint32_t>(imm));
    prog += fmt::format("  slti r3, r1, {}\n  sw r3, {}(r0)\n", imm, kOut + want.size());
    want.push_back(static_cast<std::int32_t>(a) < imm);
    prog += fmt::format("  andi r3, r1, {}\n  sw r3, {}(r0)\n", zimm, kOut + want.size());
    want.push_back(a & zimm);
    prog += fmt::format("  ori r3, r1, {}\n  sw r3, {}(r0)\n", zimm, kOut + want.size());
    want.push_back(a | zimm);
    prog += fmt::format("  xori r3, r1, {}\n  sw r3, {}(r0)\n", zimm, kOut + want.size());
    want.push_back(a ^ zimm);
    prog += fmt::format("  slli r3, r1, {}\n  sw r3, {}(r0)\n", sh, kOut + want.size());
    want.push_back(a << sh);
    prog += fmt::format("  srli r3, r1, {}\n  sw r3, {}(r0)\n", sh, kOut + want.size());
    want.push_back(a >> sh);
    prog += fmt::format("  srai r3, r1, {}\n  sw r3, {}(r0)\n", sh, kOut + want.size());
    want.push_back(static_cast<std::uint32_t>(static_cast<std::int32_t>(a) >> sh));
    prog += fmt::format("  lui r3, {}\n  sw r3, {}(r0)\n", a >> 16, kOut + want.size());
    want.push_back(a & 0xFFFF0000u);
  }
  // r0 stays zero.
  prog += fmt::format("  addi r0, r0, 5\n  sw r0, {}(r0)\n", kOut + want.size());
  want.push_back(0);
  prog += "  halt\n";
  co_await run_program(pe, prog, {0.2, 0.0}, rng);
  check_words(co_await pe.read(kOut, want.size()), want, "alu");
}

WM_TEST(branches_loads_and_calls) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  co_await pe.reset();
  auto& rng = random();
  // Sum of a table with a counted loop and lw, a call through jal/jalr, signed vs unsigned
  // branches, and a forward beq/bne skip.
  std::vector<std::uint32_t> table(23);
  for (auto& x : table) x = static_cast<std::uint32_t>(rng());
  co_await pe.load(kData, table);
  const std::string prog = branches_program(table.size());
  co_await run_program(pe, prog, {0.3, 0.0}, rng);
  std::uint32_t sum = 0;
  for (auto x : table) sum += x;
  const std::vector<std::uint32_t> want{sum, sum * 2, 2 + 8};
  check_words(co_await pe.read(kOut, 3), want, "branches");
}

WM_TEST(fpu_scalar_ops_match_sw_fp) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  co_await pe.reset();
  auto& rng = random();
  const char* names[] = {"fadd", "fsub", "fmul", "fmax", "fmin", "flt", "fle", "feq"};
  const std::function<std::uint32_t(float, float)> ops[] = {
      [](float a, float b) { return bits(fp::add(a, b)); },
      [](float a, float b) { return bits(fp::sub(a, b)); },
      [](float a, float b) { return bits(fp::mul(a, b)); },
      [](float a, float b) { return bits(fp::max(a, b)); },
      [](float a, float b) { return bits(fp::min(a, b)); },
      [](float a, float b) { return std::uint32_t{fp::lt(a, b)}; },
      [](float a, float b) { return std::uint32_t{fp::le(a, b)}; },
      [](float a, float b) { return std::uint32_t{fp::eq(a, b)}; }};
  const auto a = random_floats(rng, 24), b = random_floats(rng, 24);
  std::string prog;
  std::vector<std::uint32_t> want;
  for (std::size_t i = 0; i < a.size(); ++i) {
    prog += li(1, a[i]) + li(2, b[i]);
    for (unsigned f = 0; f < std::size(names); ++f) {
      prog += fmt::format("  {} r3, r1, r2\n  sw r3, {}(r0)\n", names[f], kOut + want.size());
      want.push_back(ops[f](flt(a[i]), flt(b[i])));
    }
    const auto n = static_cast<std::int32_t>(rng());
    prog += li(4, static_cast<std::uint32_t>(n));
    prog += fmt::format("  fi2f r3, r4\n  sw r3, {}(r0)\n", kOut + want.size());
    want.push_back(bits(fp::i2f(n)));
    prog += fmt::format("  ff2i r3, r1\n  sw r3, {}(r0)\n", kOut + want.size());
    want.push_back(static_cast<std::uint32_t>(fp::f2i(flt(a[i]))));
  }
  prog += "  halt\n";
  co_await run_program(pe, prog, {}, rng);
  check_words(co_await pe.read(kOut, want.size()), want, "fpu");
}

namespace {

/// `dsdm d, base, len0, stride0` (and `dsd2` when len1 is given) through temporaries r10-r12.
std::string dsd_mem(unsigned d, std::uint32_t base, std::uint32_t len0, std::int32_t stride0,
                    std::uint32_t len1 = 0, std::int32_t stride1 = 0) {
  std::string s = li(10, base) + li(11, len0) + li(12, static_cast<std::uint32_t>(stride0)) +
                  fmt::format("  dsdm d{}, r10, r11, r12\n", d);
  if (len1 != 0) {
    s += li(11, len1) + li(12, static_cast<std::uint32_t>(stride1)) +
         fmt::format("  dsd2 d{}, r11, r12\n", d);
  }
  return s;
}

/// Element n of the 2-D walk of docs/isa.md section 4.
std::uint32_t walk(std::uint32_t base, std::uint32_t len0, std::int32_t s0, std::int32_t s1,
                   std::uint32_t n) {
  return base + static_cast<std::uint32_t>(static_cast<std::int32_t>(n / len0) * s1 +
                                           static_cast<std::int32_t>(n % len0) * s0);
}

struct Mem {
  std::map<std::uint32_t, std::uint32_t> words;
  void put(std::uint32_t base, const std::vector<std::uint32_t>& v) {
    for (std::size_t i = 0; i < v.size(); ++i) words[base + static_cast<std::uint32_t>(i)] = v[i];
  }
  std::uint32_t at(std::uint32_t a) const { return words.at(a); }
};

}  // namespace

WM_TEST(vector_elementwise_ops_match_sw_fp) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  co_await pe.reset();
  auto& rng = random();
  constexpr std::uint32_t n = 37;
  constexpr std::uint32_t kA = kData, kB = kData + 0x101, kC = kData + 0x203;
  Mem m;
  m.put(kA, random_floats(rng, 64));
  m.put(kB, random_floats(rng, 64));
  m.put(kC, random_floats(rng, 64));
  co_await pe.load(m.words);
  const std::uint32_t s = bits(std::uniform_real_distribution<float>(-2, 2)(rng));
  struct Case {
    const char* text;  // d0 = A, d1 = B, d2 = out (n elements); r5 = s
    std::function<std::uint32_t(std::uint32_t, std::uint32_t, std::uint32_t)> f;  // a, b, out0
  };
  const std::vector<Case> cases = {
      {"fmov d2, d0", [](auto a, auto, auto) { return a; }},
      {"fadd d2, d0, d1", [](auto a, auto b, auto) { return bits(fp::add(flt(a), flt(b))); }},
      {"fsub d2, d0, d1", [](auto a, auto b, auto) { return bits(fp::sub(flt(a), flt(b))); }},
      {"fmul d2, d0, d1", [](auto a, auto b, auto) { return bits(fp::mul(flt(a), flt(b))); }},
      {"fmax d2, d0, d1", [](auto a, auto b, auto) { return bits(fp::max(flt(a), flt(b))); }},
      {"fmin d2, d0, d1", [](auto a, auto b, auto) { return bits(fp::min(flt(a), flt(b))); }},
      {"fmul d2, d0, r5", [s](auto a, auto, auto) { return bits(fp::mul(flt(a), flt(s))); }},
      {"fsub d2, r5, d1", [s](auto, auto b, auto) { return bits(fp::sub(flt(s), flt(b))); }},
      {"iadd d2, d0, d1", [](auto a, auto b, auto) { return a + b; }},
      {"isub d2, d0, d1", [](auto a, auto b, auto) { return a - b; }},
      {"ishl d2, d0, d1", [](auto a, auto b, auto) { return a << (b & 31); }},
      {"ishr d2, d0, d1", [](auto a, auto b, auto) { return a >> (b & 31); }},
      {"vi2f d2, d0", [](auto a, auto, auto) { return bits(fp::i2f(static_cast<std::int32_t>(a))); }},
      {"vf2i d2, d0", [](auto a, auto, auto) { return static_cast<std::uint32_t>(fp::f2i(flt(a))); }},
      // Three memory operands (two cycles per element) and a broadcast one.
      {"fmac d2, d0, d1",
       [](auto a, auto b, auto c) { return bits(fp::add(flt(c), fp::mul(flt(a), flt(b)))); }},
      {"fmac d2, d0, r5",
       [s](auto a, auto, auto c) { return bits(fp::add(flt(c), fp::mul(flt(a), flt(s)))); }},
      {"fmov d2, d0, e=2, async\n  ewait 2",
       [](auto a, auto, auto) { return a; }},
  };
  std::string prog = li(5, s) + dsd_mem(0, kA, n, 1) + dsd_mem(1, kB, n, 1);
  std::vector<std::uint32_t> want;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const std::uint32_t out = kOut + static_cast<std::uint32_t>(k) * 64;
    // The destination starts as a copy of C (fmac reads it).
    prog += dsd_mem(3, kC, n, 1) + dsd_mem(2, out, n, 1) + "  fmov d2, d3\n";
    prog += fmt::format("  {}\n", cases[k].text);
    for (std::uint32_t i = 0; i < n; ++i) {
      want.push_back(cases[k].f(m.at(kA + i), m.at(kB + i), m.at(kC + i)));
    }
  }
  // 2-D and negative-stride walks: A read as 4 rows of 5 every other word, rows 11 apart,
  // and B backwards, added into a 20-element result.
  const std::uint32_t out2 = kOut + static_cast<std::uint32_t>(cases.size()) * 64;
  prog += dsd_mem(0, kA, 5, 2, 4, 11) + dsd_mem(1, kB + 40, 20, -1) + dsd_mem(2, out2, 20, 1);
  prog += "  fadd d2, d0, d1\n  halt\n";
  std::vector<std::uint32_t> want2;
  for (std::uint32_t i = 0; i < 20; ++i) {
    want2.push_back(bits(fp::add(flt(m.at(walk(kA, 5, 2, 11, i))), flt(m.at(kB + 40 - i)))));
  }
  co_await run_program(pe, prog, {0.2, 0.0}, rng);
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const auto got = co_await pe.read(kOut + static_cast<std::uint32_t>(k) * 64, n);
    check_words(got, std::vector<std::uint32_t>(want.begin() + static_cast<long>(k * n),
                                                want.begin() + static_cast<long>((k + 1) * n)),
                cases[k].text);
  }
  check_words(co_await pe.read(out2, 20), want2, "2-D walk");
}

WM_TEST(reductions_and_fdotv_follow_the_documented_order) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  co_await pe.reset();
  auto& rng = random();
  constexpr std::uint32_t kN = 8, kK = 13, kP = 11, kD = 6;
  constexpr std::uint32_t kW = kData, kX = kData + 0x201, kV = kData + 0x302, kQ = kData + 0x383;
  std::uniform_real_distribution<float> u(-1, 1);
  auto vec = [&](std::size_t len) {
    std::vector<std::uint32_t> v(len);
    for (auto& x : v) x = bits(u(rng));
    return v;
  };
  Mem m;
  m.put(kW, vec(kN * kK));
  m.put(kX, vec(kK));
  m.put(kV, vec(kP * kD));
  m.put(kQ, vec(kP));
  co_await pe.load(m.words);
  const std::uint32_t init = bits(u(rng));
  std::string prog;
  // Sums and maxima into registers, from a register's initial value, left to right.
  prog += dsd_mem(0, kW, kN * kK, 1) + dsd_mem(1, kX, kK, 1);
  prog += li(5, init) + "  frsum r5, d0\n" + fmt::format("  sw r5, {}(r0)\n", kOut);
  prog += li(5, 0xFF800000) + "  frmax r5, d0\n" + fmt::format("  sw r5, {}(r0)\n", kOut + 1);
  prog += li(5, init) + "  fmac r5, d0, d1\n" + fmt::format("  sw r5, {}(r0)\n", kOut + 2);
  prog += li(6, bits(0.5F)) + li(5, 0) + "  fmac r5, r6, d1, e=3\n" +
          fmt::format("  sw r5, {}(r0)\n", kOut + 3);
  // GEMV y = W x (rows of W, x repeated per row) and the V-transposed walk o = V^T p.
  prog += dsd_mem(0, kW, kK, 1, kN, kK) + dsd_mem(1, kX, kK, 1, kN, 0) +
          dsd_mem(2, kOut + 16, kN, 1) + "  fdotv d2, d0, d1, e=1\n";
  prog += dsd_mem(0, kV, kP, kD, kD, 1) + dsd_mem(1, kQ, kP, 1, kD, 0) +
          dsd_mem(2, kOut + 32, kD, 1) + "  fdotv d2, d0, d1\n  halt\n";
  co_await run_program(pe, prog, {0.25, 0.0}, rng);

  auto f = [&](std::uint32_t a) { return flt(m.at(a)); };
  float sum = flt(init), mx = flt(0xFF800000), dot = flt(init), dot2 = 0.0F;
  for (std::uint32_t i = 0; i < kN * kK; ++i) {
    sum = fp::add(sum, f(kW + i));
    mx = fp::max(mx, f(kW + i));
  }
  for (std::uint32_t i = 0; i < kN * kK; ++i) dot = fp::add(dot, fp::mul(f(kW + i), f(kX + i % kK)));
  for (std::uint32_t i = 0; i < kK; ++i) dot2 = fp::add(dot2, fp::mul(0.5F, f(kX + i)));
  const std::vector<std::uint32_t> want{bits(sum), bits(mx), bits(dot), bits(dot2)};
  check_words(co_await pe.read(kOut, 4), want, "reductions");
  std::vector<std::uint32_t> y, o;
  for (std::uint32_t j = 0; j < kN; ++j) {
    float acc = 0.0F;
    for (std::uint32_t k = 0; k < kK; ++k) acc = fp::add(acc, fp::mul(f(kW + j * kK + k), f(kX + k)));
    y.push_back(bits(acc));
  }
  for (std::uint32_t j = 0; j < kD; ++j) {
    float acc = 0.0F;
    for (std::uint32_t t = 0; t < kP; ++t) acc = fp::add(acc, fp::mul(f(kV + t * kD + j), f(kQ + t)));
    o.push_back(bits(acc));
  }
  check_words(co_await pe.read(kOut + 16, kN), y, "fdotv W x");
  check_words(co_await pe.read(kOut + 32, kD), o, "fdotv V^T p");
}

WM_TEST(fabric_tasks_streams_and_backpressure) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  co_await pe.reset();
  auto& rng = random();
  constexpr std::uint32_t kA = kData, kB = kData + 0x41;
  constexpr unsigned kTaskWavelets = 9, kLen = 12;
  Mem m;
  m.put(kA, random_floats(rng, kLen));
  m.put(kB, random_floats(rng, kLen));
  co_await pe.load(m.words);
  // Task 0 (boot): binds task 1 to color 2, receives a stream on color 3 into memory, sends A on
  // color 4 (header x=3, y=2), sends (color-6 stream + B) on color 5, one recv on color 1 and
  // one send on color 7, then exits. Task 1 stores every color-2 wavelet (wv) in order and halts
  // after the last.
  std::string prog = fmt::format(R"(
    tentry 1, r0, task1
    tbind 1, 2
    li r9, 0
    li r2, {len}
    dsdfi d1, 3, r2
    li r10, {rx}
    li r12, 1
    dsdm d2, r10, r2, r12
    fmov d2, d1
    li r3, 0x43          ; dest x = 3, y = 2
    dsdfo d4, 4, r2, r3
    li r10, {a}
    dsdm d0, r10, r2, r12
    fmov d4, d0, e=1
    dsdfi d6, 6, r2
    dsdfo d5, 5, r2, r0
    li r10, {b}
    dsdm d3, r10, r2, r12
    fadd d5, d6, d3, e=2
    recv r7, 1
    sw r7, {recv_out}(r0)
    li r8, 0x1234
    send r7, r8, 7
    exit
  task1:
    sw wv, {t1_out}(r9)
    addi r9, r9, 1
    li r11, {n}
    beq r9, r11, done
    exit
  done:
    halt
  )", fmt::arg("len", kLen), fmt::arg("rx", kOut + 0x100), fmt::arg("a", kA),
      fmt::arg("b", kB), fmt::arg("recv_out", kOut + 0x200), fmt::arg("t1_out", kOut),
      fmt::arg("n", kTaskWavelets));
  std::vector<std::uint32_t> rx(kLen), in6(kLen), tw(kTaskWavelets);
  for (auto& x : rx) x = static_cast<std::uint32_t>(rng());
  for (auto& x : in6) x = bits(std::uniform_real_distribution<float>(-3, 3)(rng));
  for (auto& x : tw) x = static_cast<std::uint32_t>(rng());
  const std::uint32_t r1 = static_cast<std::uint32_t>(rng());
  for (unsigned i = 0; i < kTaskWavelets; ++i) pe.inject({false, 0, 0, 2, tw[i]});
  for (unsigned i = 0; i < kLen; ++i) {
    pe.inject({false, 0, 0, 3, rx[i]});
    pe.inject({false, 0, 0, 6, in6[i]});
  }
  pe.inject({false, 0, 0, 1, r1});
  const auto act = co_await run_program(pe, prog, {0.2, 0.4}, rng);

  check_words(co_await pe.read(kOut, kTaskWavelets), tw, "data task wavelets");
  check_words(co_await pe.read(kOut + 0x100, kLen), rx, "fabric receive");
  const std::vector<std::uint32_t> recv_want{r1};
  check_words(co_await pe.read(kOut + 0x200, 1), recv_want, "recv");
  // What left the ramp, per color, in order.
  std::map<unsigned, std::vector<Wavelet>> out;
  for (const auto& w : pe.sent()) out[w.color].push_back(w);
  check(out[4].size() == kLen && out[5].size() == kLen && out[7].size() == 1,
        "sent {} / {} / {} wavelets on colors 4 / 5 / 7", out[4].size(), out[5].size(),
        out[7].size());
  for (unsigned i = 0; i < kLen; ++i) {
    const Wavelet w4{false, 3, 2, 4, m.at(kA + i)};
    check(out[4][i] == w4, "color 4 wavelet {}: data {:#x} x {} y {}", i, out[4][i].data,
          out[4][i].dst_x, out[4][i].dst_y);
    const auto sum = bits(fp::add(flt(in6[i]), flt(m.at(kB + i))));
    check(out[5][i].data == sum, "color 5 wavelet {}: {:#x}, expected {:#x}", i, out[5][i].data, sum);
  }
  check(out[7][0].data == r1 && out[7][0].dst_x == (0x1234u & 31u) &&
            out[7][0].dst_y == ((0x1234u >> 5) & 31u),
        "send: {:#x} to ({}, {})", out[7][0].data, out[7][0].dst_x, out[7][0].dst_y);
  // The lock-step hook: the boot task first, then task 1 once per color-2 wavelet, each start
  // carrying its wavelet.
  check(act.task_starts.size() == 1 + kTaskWavelets && act.task_starts[0] == 0,
        "{} task starts", act.task_starts.size());
  check_words(act.start_wavelets, tw, "task-start wavelets");
}

WM_TEST(async_engines_overlap_and_notify) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  co_await pe.reset();
  auto& rng = random();
  constexpr std::uint32_t kN = 16, kK = 24, kW = kData, kX = kData + 0x401, kS = kData + 0x602;
  std::uniform_real_distribution<float> u(-1, 1);
  Mem m;
  std::vector<std::uint32_t> w(kN * kK), x(kK), src(40);
  for (auto& v : w) v = bits(u(rng));
  for (auto& v : x) v = bits(u(rng));
  for (auto& v : src) v = static_cast<std::uint32_t>(rng());
  m.put(kW, w);
  m.put(kX, x);
  m.put(kS, src);
  co_await pe.load(m.words);
  // GEMV async on E1 (task 3 runs when it completes), a copy async on E2 meanwhile, the core
  // waits for E2 only, records the engine status, and exits; task 3 records it again and halts.
  std::string prog = dsd_mem(0, kW, kK, 1, kN, kK) + dsd_mem(1, kX, kK, 1, kN, 0) +
                     dsd_mem(2, kOut + 0x40, kN, 1) + dsd_mem(5, kOut + 0x80, 40, 1) +
                     dsd_mem(6, kS, 40, 1) +
                     fmt::format(R"(
    tentry 3, r0, task3
    fdotv d2, d0, d1, e=1, async, notify=3
    fmov d5, d6, e=2, async
    ewait 2
    estat r8
    sw r8, {o0}(r0)
    exit
  task3:
    estat r8
    sw r8, {o1}(r0)
    halt
  )", fmt::arg("o0", kOut), fmt::arg("o1", kOut + 1));
  const auto act = co_await run_program(pe, prog, {0.1, 0.0}, rng, 0, Model::none);
  const auto st = co_await pe.read(kOut, 2);
  check((st[0] & 0x44u) == 0x40u, "after ewait 2: estat {:#x} (E2 done, not busy)", st[0]);
  check((st[1] & 0x22u) == 0x20u, "in the notified task: estat {:#x} (E1 done)", st[1]);
  std::vector<std::uint32_t> y;
  for (std::uint32_t j = 0; j < kN; ++j) {
    float acc = 0.0F;
    for (std::uint32_t k = 0; k < kK; ++k) acc = fp::add(acc, fp::mul(flt(w[j * kK + k]), flt(x[k])));
    y.push_back(bits(acc));
  }
  check_words(co_await pe.read(kOut + 0x40, kN), y, "async fdotv");
  check_words(co_await pe.read(kOut + 0x80, 40), src, "async fmov");
  check(act.task_starts.size() == 2 && act.task_starts[1] == 3, "task 3 started by notify");
}

namespace {
struct ErrorCase {
  const char* name;
  std::string program;
  unsigned code;
  std::uint32_t pc;  // expected err_pc; 0xFFFFFFFF: the address of label `bad`
  bool bad_ctrl = false;
};
}  // namespace

WM_TEST(errors_stop_the_pe_with_code_and_pc) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  auto& rng = random();
  constexpr auto kLabel = 0xFFFFFFFFu;
  const std::vector<ErrorCase> cases = {
      {"zero word", "  nop\nbad:\n  .word 0\n", 1, kLabel},
      {"reserved bit", "  nop\nbad:\n  .word 0x04000010\n", 1, kLabel},  // add with bit 4 set
      {"lw out of range", "  li r1, 0x3000\nbad:\n  lw r2, 0(r1)\n  halt\n", 2, kLabel},
      {"sw out of range", "  li r1, -1\nbad:\n  sw r2, 0(r1)\n  halt\n", 2, kLabel},
      {"fetch past the end", "  li r1, 0x3000\n  jalr r0, r1, 0\n", 2, 0x3000},
      {"element out of range",
       dsd_mem(0, 0x2FFE, 4, 1) + dsd_mem(1, kOut, 4, 1) + "bad:\n  fmov d1, d0\n  halt\n", 2,
       kLabel},
      {"unset DSD", dsd_mem(1, kOut, 4, 1) + "bad:\n  fmov d1, d7\n  halt\n", 3, kLabel},
      {"FIN as dst", "  li r2, 4\n  dsdfi d1, 1, r2\nbad:\n  fmov d1, r2\n  halt\n", 3, kLabel},
      {"recv on a task's color", "  tbind 2, 5\nbad:\n  recv r1, 5\n  halt\n", 3, kLabel},
      {"bad control wavelet", "  nop\n  exit\n", 4, 0xFFFF, true},
  };
  for (const auto& c : cases) {
    co_await pe.reset();
    const auto prog = wm::sw::assembler::assemble(c.program, c.name);
    const std::uint32_t want_pc = c.pc == kLabel ? prog.symbols.at("bad") : c.pc;
    if (c.bad_ctrl) {
      // When the bad wavelet lands relative to the task is timing: no model for this one.
      co_await pe.load(prog.image.words);
      pe.activate(0);
      pe.inject({true, 0, 0, 3, 0x70000000});
      co_await pe.run(2000, {}, &rng);
    } else {
      const auto r = co_await run_lockstep(pe, prog.image.words, c.name, {}, rng, false);
      check(!r.diverged, "{}", r.diverged ? r.diverged->what() : "");
    }
    check(pe.halted(), "{}: not halted", c.name);
    check(pe.err_code() == c.code && pe.err_pc() == want_pc,
          "{}: error {} at {:#x}, expected {} at {:#x}", c.name, pe.err_code(), pe.err_pc(), c.code,
          want_pc);
  }
}

WM_TEST(load_control_wavelets_write_the_program) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  co_await pe.reset();
  auto& rng = random();
  const auto value = static_cast<std::uint32_t>(rng());
  const auto prog = wm::sw::assembler::assemble(
      fmt::format("  li r1, {:#x}\n  sw r1, {}(r0)\n  halt\n", value, kOut), "loaded");
  // Through the fabric only: LOAD n words at 0 on color 6, the words, then ACTIVATE task 0.
  pe.inject({true, 0, 0, 6, isa::ctrl_load(static_cast<std::uint32_t>(prog.image.words.size()), 0)});
  for (const auto& [addr, word] : prog.image.words) pe.inject({false, 0, 0, 6, word});
  pe.inject({true, 0, 0, 6, isa::ctrl_word(isa::CtrlCmd::activate, 0)});
  co_await pe.run(2000, {0.3, 0.0}, &rng);
  check(pe.halted() && pe.err_code() == 0, "halted {} error {}", pe.halted(), pe.err_code());
  const std::vector<std::uint32_t> want{value};
  check_words(co_await pe.read(kOut, 1), want, "loaded program's store");
}

namespace {
struct RateCase {
  const char* name;
  std::string setup;   // DSDs and registers
  std::string op;      // the measured instruction
  std::uint32_t elems;
  double min_rate;     // what the pipeline guarantees when operands sit in different banks
};

std::string rate_json(const std::vector<std::pair<std::string, double>>& rates) {
  std::string s = "{\n  \"bench\": \"pe_fmac_rate\",\n  \"unit\": \"elements/cycle\",\n";
  for (std::size_t i = 0; i < rates.size(); ++i) {
    s += fmt::format("  \"{}\": {:.4f}{}\n", rates[i].first, rates[i].second,
                     i + 1 < rates.size() ? "," : "");
  }
  return s + "}\n";
}
}  // namespace

// Elements per cycle of the vector FMAC forms, from the first element issued to the last, with
// operands placed in different banks (bases 1 apart modulo 8). Cycle counts are deterministic,
// so the floor is a property of the RTL, not a timing. WM_BENCH_JSON names a file to write.
WM_TEST(fmac_rate) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  auto& rng = random();
  constexpr std::uint32_t kK = 64, kN = 64, kW = 0x0400, kX = 0x1401, kY = 0x2402, kC = 0x2483;
  const std::vector<RateCase> cases = {
      {"fdotv_gemv_64x64", dsd_mem(0, kW, kK, 1, kN, kK) + dsd_mem(1, kX, kK, 1, kN, 0) +
                               dsd_mem(2, kY, kN, 1),
       "  fdotv d2, d0, d1\n", kN * kK, 0.99},
      {"fmac_dot_4096", dsd_mem(0, kW, kN * kK, 1) + dsd_mem(1, kX, kN * kK, 1) + li(5, 0),
       "  fmac r5, d0, d1\n", kN * kK, 0.99},
      {"fmac_axpy_broadcast_2048", dsd_mem(0, kW, 2048, 1) + dsd_mem(2, kC, 2048, 1) +
                                       li(5, bits(0.75F)),
       "  fmac d2, d0, r5\n", 2048, 0.99},
      {"fmac_elementwise_3mem_2048", dsd_mem(0, kW, 2048, 1) + dsd_mem(1, kX, 2048, 1) +
                                         dsd_mem(2, kC, 2048, 1),
       "  fmac d2, d0, d1\n", 2048, 0.49},
  };
  std::vector<std::pair<std::string, double>> rates;
  for (const auto& c : cases) {
    co_await pe.reset();
    co_await pe.load_program(c.setup + c.op + "  halt\n");
    pe.activate(0);
    const auto act = co_await pe.run(50000, {}, &rng);
    check(pe.halted() && pe.err_code() == 0, "{}: halted {} error {}", c.name, pe.halted(),
          pe.err_code());
    check(act.elems == c.elems, "{}: {} elements issued, expected {}", c.name, act.elems, c.elems);
    const double rate = act.elem_rate();
    log().info("{}: {} elements in {} cycles: {:.4f} elements/cycle", c.name, act.elems,
               act.last_elem - act.first_elem + 1, rate);
    check(rate >= c.min_rate, "{}: {:.4f} elements/cycle, below {}", c.name, rate, c.min_rate);
    rates.emplace_back(c.name, rate);
  }
  if (const char* path = std::getenv("WM_BENCH_JSON"); path != nullptr && *path != '\0') {
    std::FILE* f = std::fopen(path, "w");
    check(f != nullptr, "cannot write {}", path);
    fmt::print(f, "{}", rate_json(rates));
    std::fclose(f);
  }
}

namespace {

// The words the random test clears on both sides before a program: the engine results, the
// notify log and the stored registers.
Words random_program_area(Words image) {
  for (std::uint32_t a = ref::kRandomDst; a < ref::kRandomRegs + 16; ++a) image.emplace(a, 0);
  return image;
}

}  // namespace

// Random race-free programs (sw/ref's generator, task 0's work cut into 1 to 8 tasks) on the
// RTL, with random SRAM stalls, in lock-step with the instruction-accurate reference model:
// after every task the registers, pc, DSDs, task table, engine flags, error latch and the
// whole SRAM are equal (pe_lockstep.hpp), and the results read back through the SRAM's port
// equal the model's. WM_PE_RANDOM_PROGRAMS sets how many (make regress runs more).
WM_TEST(random_programs_match_reference_model) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  auto& rng = random();
  const char* env = std::getenv("WM_PE_RANDOM_PROGRAMS");
  const unsigned programs =
      env != nullptr ? static_cast<unsigned>(std::strtoul(env, nullptr, 10)) : 200;
  std::uint64_t task_ends = 0;
  for (unsigned p = 0; p < programs; ++p) {
    const std::uint64_t prog_seed = rng();
    // Task 0's work in 1 to 8 tasks: more task ends to compare at.
    ref::RandomProgramOptions options;
    options.segments = 1 + static_cast<unsigned>(rng() % 8);
    const auto context = fmt::format("program seed {} segments {}", prog_seed, options.segments);
    const auto prog =
        wm::sw::assembler::assemble(ref::random_program(prog_seed, options), context);
    const Words image = random_program_area(prog.image.words);
    co_await pe.reset();
    const auto r = co_await run_lockstep(pe, image, context, {0.15, 0.0}, rng, /*until_idle=*/true);
    check(!r.diverged, "{}", r.diverged ? r.diverged->what() : "");
    task_ends += r.task_ends;
    const auto& model = r.model;
    const auto want_err = static_cast<unsigned>(model->state().code);
    check(pe.err_code() == want_err, "{}: error {} at {:#x}, model {}", context, pe.err_code(),
          pe.err_pc(), want_err);
    struct Region {
      std::uint32_t base, size;
      const char* name;
    };
    for (const Region r : {Region{ref::kRandomDst, 256, "engine results"},
                           Region{ref::kRandomLog, 16, "notify log"},
                           Region{ref::kRandomRegs + 4, 9, "registers"}}) {
      std::vector<std::uint32_t> want(r.size);
      for (std::uint32_t i = 0; i < r.size; ++i) want[i] = model->read_mem(r.base + i);
      check_words(co_await pe.read(r.base, r.size), want, fmt::format("{} {}", context, r.name));
    }
  }
  log().info("{} programs, {} task ends compared in lock-step", programs, task_ends);
}

namespace {

/// The one word where `changed` (the same layout) assembles differently from `text`, as a
/// Patch to apply to the model after `after` task ends.
Patch one_word_change(const std::string& text, const std::string& changed, unsigned after) {
  const auto a = wm::sw::assembler::assemble(text).image.words;
  const auto b = wm::sw::assembler::assemble(changed).image.words;
  std::vector<std::uint32_t> differ;
  for (const auto& [addr, word] : a) {
    if (b.at(addr) != word) differ.push_back(addr);
  }
  check(a.size() == b.size() && differ.size() == 1, "the change alters {} words, not one",
        differ.size());
  return {after, differ[0], b.at(differ[0])};
}

/// Runs the program in lock-step with a model that diverges as `patch` says; the error the
/// lock-step must raise.
Task<wm::tb::pe::LockStepError> expect_divergence(PeBench& pe, const Words& image, Patch patch,
                                                  const std::string& context,
                                                  std::mt19937_64& rng) {
  co_await pe.reset();
  const auto r = co_await run_lockstep(pe, image, context, {0.15, 0.0}, rng, true, patch);
  check(r.diverged.has_value(), "{}: the divergence went unnoticed", context);
  log().info("reported: {}", r.diverged->what());
  co_return *r.diverged;
}

}  // namespace

// The lock-step can fail, and says where. In the model's copy of the program (changed after
// the task before it ended, so every earlier task end compares equal) the last notified task
// loads 77 into r13 instead of 1000 + t: the report names that task and r13 with both
// values. Then it jumps over its store: the report counts the retired instructions. Last, one
// SRAM word the program never touches differs from the start: the first task end names it.
WM_TEST(lockstep_reports_the_first_divergent_task) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  auto& rng = random();
  // A program that notifies at least two tasks (most do; the generator is seeded).
  std::uint64_t prog_seed = 0;
  std::vector<unsigned> notified;
  std::string text;
  while (notified.size() < 2) {
    prog_seed = rng();
    text = ref::random_program(prog_seed);
    ref::Pe probe;
    probe.load(wm::sw::assembler::assemble(text).image.words);
    probe.push_input({isa::ctrl_word(isa::CtrlCmd::activate, 0), 0, true});
    notified.clear();
    while (true) {
      const auto st = probe.step();
      if (st.kind == ref::StepKind::started && *probe.current_task() != 0) {
        notified.push_back(*probe.current_task());
      }
      if (st.kind == ref::StepKind::idle || st.kind == ref::StepKind::halted) break;
    }
  }
  const unsigned last = notified.back();
  const auto context = fmt::format("program seed {}", prog_seed);
  const Words image = random_program_area(wm::sw::assembler::assemble(text).image.words);
  // Task 0 ends first, then the notified tasks in ascending order (all are active by then).
  const auto want_end = static_cast<unsigned>(notified.size()) + 1;
  const std::string li = fmt::format("li r13, {}\n", 1000 + last);
  const auto at = text.find(li);
  check(at != std::string::npos, "{}: no `{}` in the program", context, li);

  std::string changed = text;
  changed.replace(at, li.size(), "li r13, 77\n");
  auto e = co_await expect_divergence(pe, image, one_word_change(text, changed, want_end - 1),
                                      context, rng);
  check(e.task() == last && e.task_end() == want_end,
        "{}: reported task end #{} (task {}), expected #{} (task {})", context, e.task_end(),
        e.task().value_or(99), want_end, last);
  const auto want_r13 = fmt::format("r13: 0x{:x} (RTL) != 0x{:x} (model)", 1000 + last, 77);
  check(e.difference() == want_r13, "{}: reported '{}', expected '{}'", context, e.difference(),
        want_r13);

  // `li r13, v` is `lui r13, 0` + `ori r13, r13, v`; the ori becomes a jump over the store.
  changed = text;
  changed.replace(at, li.size(), "lui r13, 0\njal r0, lockstep_over\n");
  changed.insert(changed.find("exit\n", at), "lockstep_over: ");
  e = co_await expect_divergence(pe, image, one_word_change(text, changed, want_end - 1), context,
                                 rng);
  const std::string want_trace = "instructions retired: 3 (RTL) != 2 (model), the same first 2";
  check(e.task() == last && e.task_end() == want_end && e.difference() == want_trace,
        "{}: reported '{}', expected '{}' at task end #{} (task {})", context, e.what(),
        want_trace, want_end, last);

  constexpr std::uint32_t kUntouched = 0x2FF0;  // past everything the program reads or writes
  std::vector<std::uint32_t> mem;
  wm::tb::pe::read_sram(dut, mem);
  e = co_await expect_divergence(pe, image, Patch{0, kUntouched, mem[kUntouched] ^ 0x10u}, context,
                                 rng);
  check(e.task() == 0u && e.task_end() == 1 &&
            e.difference().starts_with(fmt::format("mem[0x{:04x}]", kUntouched)),
        "{}: reported '{}', expected mem[0x{:04x}] at task end #1 (task 0)", context, e.what(),
        kUntouched);
}

// The special-function library (sw/asm/lib, docs/isa.md section 7) run as vector code on the
// RTL equals the reference sequences (wm/sw/ref/special.hpp) bit for bit.
WM_TEST(special_functions_match_reference_sequences) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  auto& rng = random();
  namespace sf = wm::sw::ref::special;
  constexpr std::uint32_t n = 48, kX = 0x1000, kT3 = 0x1101, kT4 = 0x1202, kT5 = 0x1303,
                          kT1 = 0x1404;
  struct Fn {
    const char* name;
    const char* call;
    float lo, hi;
    bool log_scale;
    std::uint32_t in_dsd, out;  // the input's DSD register, the result's address
    std::function<void(std::vector<float>&)> golden;
  };
  const std::vector<Fn> fns = {
      {"exp", "wm_exp", -87.0F, 88.0F, false, 2, kX,
       [](auto& v) { for (auto& x : v) x = sf::exp(x); }},
      {"recip", "wm_recip", 1e-30F, 1e30F, true, 2, kT3,
       [](auto& v) { for (auto& x : v) x = sf::recip(x); }},
      {"rsqrt", "wm_rsqrt", 1e-30F, 1e30F, true, 2, kT3,
       [](auto& v) { for (auto& x : v) x = sf::rsqrt(x); }},
      {"silu", "wm_silu", -30.0F, 30.0F, false, 1, kX + 0x500,
       [](auto& v) { for (auto& x : v) x = sf::silu(x); }},
      {"softmax", "wm_softmax", -8.0F, 8.0F, false, 2, kX,
       [](auto& v) { sf::softmax(std::span<float>(v)); }},
  };
  std::vector<wm::sw::assembler::Source> lib;
  for (const char* f : {"exp.s", "recip.s", "rsqrt.s", "silu.s", "softmax.s"}) {
    const std::string path = std::string(WM_ASM_LIB_DIR) + "/" + f;
    lib.push_back({path, wm::sw::assembler::read_text_file(path)});
  }
  for (const auto& fn : fns) {
    std::vector<float> x(n);
    std::uniform_real_distribution<float> u(fn.log_scale ? std::log(fn.lo) : fn.lo,
                                            fn.log_scale ? std::log(fn.hi) : fn.hi);
    for (auto& v : x) v = fn.log_scale ? std::exp(u(rng)) : u(rng);
    std::vector<std::uint32_t> xb(n);
    for (std::uint32_t i = 0; i < n; ++i) xb[i] = bits(x[i]);
    // silu reads d1 and writes d2; the others work on d2 (and d3 for recip/rsqrt).
    std::string main = dsd_mem(fn.in_dsd, kX, n, 1) + dsd_mem(fn.in_dsd == 1 ? 2 : 3,
                                                              fn.in_dsd == 1 ? kX + 0x500 : kT3, n, 1);
    if (fn.in_dsd == 1) main += dsd_mem(3, kT3, n, 1);
    main += dsd_mem(4, kT4, n, 1) + dsd_mem(5, kT5, n, 1) + dsd_mem(6, kT1, n, 1);
    main += fmt::format("  call {}\n  halt\n", fn.call);
    std::vector<wm::sw::assembler::Source> sources{{"main", main}};
    sources.insert(sources.end(), lib.begin(), lib.end());
    const auto prog = wm::sw::assembler::assemble(sources);
    co_await pe.reset();
    co_await pe.load(kX, xb);
    const auto r = co_await run_lockstep(pe, prog.image.words, fn.name, {0.1, 0.0}, rng, false);
    check(!r.diverged, "{}", r.diverged ? r.diverged->what() : "");
    check(pe.halted() && pe.err_code() == 0, "{}: halted {} error {} at {:#x}", fn.name,
          pe.halted(), pe.err_code(), pe.err_pc());
    auto want = x;
    fn.golden(want);
    std::vector<std::uint32_t> wb(n);
    for (std::uint32_t i = 0; i < n; ++i) wb[i] = bits(want[i]);
    check_words(co_await pe.read(fn.out, n), wb, fn.name);
  }
}

// Six data tasks bound to six colors (priorities crossing the color order), one of them
// blocked until an UNBLOCK control wavelet arrives, wavelets arriving interleaved at random
// with random SRAM stalls: every task sees exactly its color's wavelets, in arrival order.
WM_TEST(task_scheduling_under_many_colors) {
  Clock clk(dut.clk_i, 1, Unit::ns);
  start_soon(clk.start());
  PeBench pe(dut);
  co_await pe.reset();
  auto& rng = random();
  constexpr unsigned kTasks = 6;
  std::vector<std::vector<std::uint32_t>> per_color(8);
  std::vector<unsigned> order;
  unsigned total = 0;
  for (unsigned t = 1; t <= kTasks; ++t) {
    const unsigned count = 4 + static_cast<unsigned>(rng() % 10);
    for (unsigned i = 0; i < count; ++i) order.push_back(8 - t);  // task t <- color 8 - t
    total += count;
  }
  std::shuffle(order.begin(), order.end(), rng);
  std::string prog;
  for (unsigned t = 1; t <= kTasks; ++t) {
    prog += fmt::format("  tentry {}, r0, task{}\n  tbind {}, {}\n  li r{}, {}\n", t, t, t, 8 - t,
                        t, kOut + 0x40 * t);
  }
  // Task 3 stays blocked until the UNBLOCK queued behind the wavelet this recv takes.
  prog += fmt::format("  tblock 3\n  recv r11, 0\n  li r9, 0\n  li r10, {}\n  exit\n", total);
  for (unsigned t = 1; t <= kTasks; ++t) {
    prog += fmt::format(R"(task{t}:
  sw wv, 0(r{t})
  addi r{t}, r{t}, 1
  addi r9, r9, 1
  beq r9, r10, all_done
  exit
)", fmt::arg("t", t));
  }
  prog += "all_done:\n  halt\n";
  co_await pe.load_program(prog);
  pe.activate(0);
  pe.inject({false, 0, 0, 0, 0x5EED});
  pe.inject({true, 0, 0, 0, isa::ctrl_word(isa::CtrlCmd::unblock, 3)});
  for (const unsigned c : order) {
    const auto v = static_cast<std::uint32_t>(rng());
    per_color[c].push_back(v);
    pe.inject({false, 0, 0, c, v});
  }
  const auto act = co_await pe.run(kMaxCycles, {0.2, 0.0}, &rng);
  check(pe.halted() && pe.err_code() == 0, "halted {} error {} at {:#x}", pe.halted(),
        pe.err_code(), pe.err_pc());
  for (unsigned t = 1; t <= kTasks; ++t) {
    const auto& want = per_color[8 - t];
    check_words(co_await pe.read(kOut + 0x40 * t, want.size()), want, fmt::format("task {}", t));
  }
  check(act.task_starts.size() == 1 + total, "{} task starts for {} wavelets",
        act.task_starts.size(), total);
}
