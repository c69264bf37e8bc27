// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Random programs that obey the race rules of docs/isa.md section 5 end in the same state
// whether the engines complete as early (eager) or as late (lazy) as possible: the property
// the reference model promises the RTL lock-step tests.
#include <fmt/format.h>

#include <boost/test/unit_test.hpp>
#include <random>

#include "ref_fixture.hpp"

using namespace wm::tb::sw_ref;

namespace {

constexpr std::uint32_t kSrc = 0x2000; // read-only inputs, 256 words
constexpr std::uint32_t kDst = 0x2100; // engine e owns 64 words at kDst + 64 e
constexpr std::uint32_t kLog = 0x2300; // notified task t writes kLog + t

/// A random race-free program: scalar ALU/FPU work on r4..r8 interleaved with vector
/// operations (any engine, sync or async, with or without notify) whose destinations are
/// private to their engine (memory) or its register r9+e, read only after an ewait.
std::string random_program(std::mt19937& rng) {
  auto u = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
  std::string s;
  std::string tasks;
  for (unsigned t = 1; t < 16; ++t) {
    s += fmt::format("tentry {}, r0, task{}\n", t, t);
    tasks += fmt::format("task{}: li r13, {}\nsw r13, {}(r0)\nexit\n", t, 1000 + t, kLog + t);
  }
  for (unsigned r = 4; r <= 12; ++r) s += fmt::format("lif r{}, {}\n", r, 0.25f * (r - 3));
  const char* alu[] = {"add", "sub", "xor", "mul", "fadd", "fsub", "fmul", "fmax", "fmin"};
  const char* binary[] = {"fadd", "fsub", "fmul", "fmax", "fmin", "iadd", "isub", "ishl", "ishr"};
  for (unsigned i = 0, n = 20 + u(40); i < n; ++i) {
    if (u(3) == 0) {
      s += fmt::format("{} r{}, r{}, r{}\n", alu[u(9)], 4 + u(5), 4 + u(5), 4 + u(5));
      continue;
    }
    if (u(6) == 0) {
      s += fmt::format("ewait {}\n", u(4));
      continue;
    }
    const unsigned e = u(4);
    auto mem_dsd = [&](unsigned d, std::uint32_t base, int s0, unsigned l0, unsigned l1, int s1) {
      s += fmt::format("li r1, {}\nli r2, {}\nli r3, {}\ndsdm d{}, r1, r2, r3\n", base, l0,
                       static_cast<std::uint32_t>(s0) & 0xFFFF, d);
      s += fmt::format("li r2, {}\nli r3, {}\ndsd2 d{}, r2, r3\n", l1,
                       static_cast<std::uint32_t>(s1) & 0xFFFF, d);
    };
    const unsigned l0 = 1 + u(8), l1 = 1 + u(3);
    auto src = [&](unsigned d) {
      // Up to 24 elements with |strides| <= 2 stay within +-60 words of the base, so inside
      // the read-only area even when an operand is walked past its own length.
      mem_dsd(d, kSrc + 0x40 + u(0x80), static_cast<int>(u(5)) - 2, 1 + u(8), 1 + u(3),
              static_cast<int>(u(5)) - 2);
    };
    auto operand = [&](unsigned d) -> std::string {
      if (u(4) == 0) return fmt::format("r{}", 4 + u(5));  // broadcast
      src(d);
      return fmt::format("d{}", d);
    };
    mem_dsd(0, kDst + 64 * e + u(17), 1 + static_cast<int>(u(2)), l0, l1, 16);
    std::string flags = fmt::format(", e={}", e);
    if (u(2)) flags += ", async";
    if (u(3) == 0) flags += fmt::format(", notify={}", 1 + u(15));
    const unsigned r = 9 + e;
    switch (u(7)) {
      case 0: {
        const auto a = operand(1);
        s += fmt::format("{} d0, {}{}\n", u(2) ? "fmov" : "vf2i", a, flags);
        break;
      }
      case 1: case 2: {
        const auto a = operand(1);
        const auto b = operand(2);
        s += fmt::format("{} d0, {}, {}{}\n", binary[u(9)], a, b, flags);
        break;
      }
      case 3: {
        const auto a = operand(1);
        const auto b = operand(2);
        s += fmt::format("fmac d0, {}, {}{}\n", a, b, flags);
        break;
      }
      case 4:
        src(1);
        s += fmt::format("{} r{}, d1{}\n", u(2) ? "frsum" : "frmax", r, flags);
        break;
      case 5: {
        src(1);
        const auto b = operand(2);
        s += fmt::format("fmac r{}, d1, {}{}\n", r, b, flags);
        break;
      }
      default: {
        src(1);
        const auto b = operand(2);
        s += fmt::format("fdotv d0, d1, {}{}\n", b, flags);
        break;
      }
    }
  }
  s += "ewait 0\newait 1\newait 2\newait 3\n";
  for (unsigned r = 4; r <= 12; ++r) s += fmt::format("sw r{}, {}(r0)\n", r, 0x2380 + r);
  s += "exit\n" + tasks;
  s += fmt::format(".org {}\n", kSrc);
  for (unsigned i = 0; i < 256; ++i) {
    // Mostly ordinary floats, some special values; ints land on the integer ops.
    const std::uint32_t specials[] = {0, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 1};
    const std::uint32_t w = u(16) == 0 ? specials[u(6)]
                                       : fb(static_cast<float>(static_cast<int>(u(2001)) - 1000) /
                                            static_cast<float>(1 + u(64)));
    s += fmt::format(".word {}\n", w);
  }
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(race_free_programs_do_not_depend_on_engine_timing) {
  std::mt19937 rng(4242);
  unsigned instructions = 0;
  for (int p = 0; p < 150; ++p) {
    const std::string src = random_program(rng);
    ref::ArchState states[2];
    int k = 0;
    for (const auto timing : {ref::EngineTiming::eager, ref::EngineTiming::lazy}) {
      ref::Config cfg;
      cfg.timing = timing;
      ref::Pe pe = boot(src, cfg);
      BOOST_TEST_REQUIRE((pe.run() == ref::RunEnd::idle), "program " << p << ":\n" << src);
      states[k] = pe.state();
      // Which notified task ran last (its r13, its exit pc) is timing by design.
      states[k].regs[13] = 0;
      states[k].pc = 0;
      ++k;
      instructions += static_cast<unsigned>(pe.instructions());
    }
    const auto d = states[0].diff(states[1]);
    BOOST_TEST_REQUIRE(!d, "program " << p << ": eager vs lazy differ at " << *d << "\n" << src);
  }
  BOOST_TEST(instructions > 10000u);
}
