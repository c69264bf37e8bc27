// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Race freedom by construction: scalar work uses r4..r8 only; engine e writes only its own
// 64-word region and its own register r9+e, which nothing reads before the final ewaits;
// every source walk stays inside the read-only inputs (at most 24 elements with |strides|
// <= 2 from a base 0x40..0xBF words in, even when walked past its own length).
#include "wm/sw/ref/random_program.hpp"

#include <fmt/format.h>

#include <random>
#include <stdexcept>

#include "wm/sw/fp/bits.hpp"

namespace wm::sw::ref {

std::string random_program(std::uint64_t seed, const RandomProgramOptions& options) {
  const unsigned segments = options.segments;
  if (segments < 1 || segments > 8) {
    throw std::invalid_argument(
        fmt::format("random_program: segments = {}: must be 1 to 8", segments));
  }
  // Segment k > 0 is task 16 - segments + k; notify keeps to the tasks below them.
  const unsigned notify_tasks = 16 - segments;
  std::mt19937_64 rng(seed);
  auto u = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
  std::string s;
  std::string tasks;
  for (unsigned t = 1; t <= notify_tasks; ++t) {
    s += fmt::format("tentry {}, r0, task{}\n", t, t);
    tasks += fmt::format("task{}: li r13, {}\nsw r13, {}(r0)\nexit\n", t, 1000 + t,
                         kRandomLog + t);
  }
  for (unsigned r = 4; r <= 12; ++r) {
    s += fmt::format("lif r{}, {}\n", r, 0.25f * static_cast<float>(r - 3));
  }
  const char* alu[] = {"add", "sub", "xor", "mul", "fadd", "fsub", "fmul", "fmax", "fmin"};
  const char* binary[] = {"fadd", "fsub", "fmul", "fmax", "fmin", "iadd", "isub", "ishl", "ishr"};
  auto mem_dsd = [&](unsigned d, std::uint32_t base, int s0, unsigned l0, unsigned l1, int s1) {
    s += fmt::format("li r1, {}\nli r2, {}\nli r3, {}\ndsdm d{}, r1, r2, r3\n", base, l0,
                     static_cast<std::uint32_t>(s0) & 0xFFFFu, d);
    s += fmt::format("li r2, {}\nli r3, {}\ndsd2 d{}, r2, r3\n", l1,
                     static_cast<std::uint32_t>(s1) & 0xFFFFu, d);
  };
  auto src = [&](unsigned d) {
    mem_dsd(d, kRandomSrc + 0x40 + u(0x80), static_cast<int>(u(5)) - 2, 1 + u(8), 1 + u(3),
            static_cast<int>(u(5)) - 2);
  };
  auto operand = [&](unsigned d) -> std::string {
    if (u(4) == 0) return fmt::format("r{}", 4 + u(5));  // a broadcast register
    src(d);
    return fmt::format("d{}", d);
  };
  for (unsigned k = 1; k < segments; ++k) {
    s += fmt::format("tentry {}, r0, segment{}\n", notify_tasks + k, k);
  }
  const unsigned span = options.max_ops > options.min_ops ? options.max_ops - options.min_ops : 0;
  // The end of a segment: every engine done, the next segment's task activated.
  unsigned segment = 1;
  auto next_segment = [&] {
    s += fmt::format("ewait 0\newait 1\newait 2\newait 3\ntact {}\nexit\nsegment{}:\n",
                     notify_tasks + segment, segment);
    ++segment;
  };
  for (unsigned i = 0, n = options.min_ops + u(span + 1); i < n; ++i) {
    if (segment < segments && i == n * segment / segments) next_segment();
    if (u(3) == 0) {
      s += fmt::format("{} r{}, r{}, r{}\n", alu[u(9)], 4 + u(5), 4 + u(5), 4 + u(5));
      continue;
    }
    if (u(6) == 0) {
      s += fmt::format("ewait {}\n", u(4));
      continue;
    }
    const unsigned e = u(4);
    // The destination: 16 words of slack, rows of up to 8 at stride 1 or 2, 3 rows 16 apart.
    mem_dsd(0, kRandomDst + 64 * e + u(17), 1 + static_cast<int>(u(2)), 1 + u(8), 1 + u(3), 16);
    std::string flags = fmt::format(", e={}", e);
    if (options.async && u(2)) flags += ", async";
    if (options.notify && u(3) == 0) flags += fmt::format(", notify={}", 1 + u(notify_tasks));
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
  while (segment < segments) next_segment();  // fewer operations than segments
  s += "ewait 0\newait 1\newait 2\newait 3\n";
  for (unsigned r = 4; r <= 12; ++r) s += fmt::format("sw r{}, {}(r0)\n", r, kRandomRegs + r);
  s += "exit\n" + tasks;
  s += fmt::format(".org {}\n", kRandomSrc);
  const std::uint32_t specials[] = {0, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 1};
  for (unsigned i = 0; i < 256; ++i) {
    // Mostly ordinary floats, some special values; the integer ops see their bit patterns.
    const float v = static_cast<float>(static_cast<int>(u(2001)) - 1000) /
                    static_cast<float>(1 + u(64));
    s += fmt::format(".word {}\n", u(16) == 0 ? specials[u(6)] : fp::to_bits(v));
  }
  return s;
}

}  // namespace wm::sw::ref
