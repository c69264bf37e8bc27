// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The special functions: the vector assembly (sw/asm/lib) run on the reference model gives the
// same bits as the C++ sequences of wm::sw::ref::special, and the sequences stay within a
// generous bound of libm (the full table is the bench_special_ulps benchmark).
#define BOOST_TEST_MODULE sw_special
#include <boost/test/unit_test.hpp>

#include <fmt/format.h>

#include <cmath>
#include <random>

#include "wm/sw/asm/assembler.hpp"
#include "wm/sw/fp/fp.hpp"
#include "wm/sw/ref/pe.hpp"
#include "wm/sw/ref/special.hpp"
#include "wm/sw/ref/ulps.hpp"

namespace as = wm::sw::assembler;
namespace isa = wm::sw::isa;
namespace fp = wm::sw::fp;
namespace ref = wm::sw::ref;
namespace sf = wm::sw::ref::special;

namespace {

constexpr unsigned kN = 256;
constexpr std::uint32_t kX = 0x1000, kY = 0x1200, kT1 = 0x1400, kT2 = 0x1600, kT3 = 0x1800,
                        kT4 = 0x1A00;

std::vector<as::Source> library() {
  std::vector<as::Source> lib;
  for (const char* f : {"exp.s", "recip.s", "rsqrt.s", "silu.s", "rope.s", "softmax.s"}) {
    const std::string path = std::string(WM_ASM_LIB_DIR) + "/" + f;
    lib.push_back({path, as::read_text_file(path)});
  }
  return lib;
}

/// `setup` then `call fn; halt` (just `setup` when `fn` is empty), with the library appended;
/// runs to the halt.
ref::Pe run(const std::string& setup, const std::string& fn,
            const std::vector<std::pair<std::uint32_t, std::vector<float>>>& data) {
  std::vector<as::Source> src{
      {"main.s", fn.empty() ? setup : setup + fmt::format("call {}\nhalt\n", fn)}};
  for (auto& s : library()) src.push_back(std::move(s));
  ref::Pe pe;
  pe.load(as::assemble(src).image.words);
  for (const auto& [base, v] : data) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      pe.write_mem(base + static_cast<std::uint32_t>(i), fp::to_bits(v[i]));
    }
  }
  pe.push_input({isa::ctrl_word(isa::CtrlCmd::activate, 0), 0, true, 0, 0});
  BOOST_TEST_REQUIRE((pe.run() == ref::RunEnd::halted));
  BOOST_TEST_REQUIRE((pe.error() == isa::ErrorCode::none));
  return pe;
}

/// A MEM DSD of kN words at `base` with `stride`.
std::string dsd(unsigned d, std::uint32_t base, unsigned stride = 1, unsigned n = kN) {
  return fmt::format("li r1, {}\nli r2, {}\nli r3, {}\ndsdm d{}, r1, r2, r3\n", base, n, stride,
                     d);
}

/// Edge cases first, then random floats in [lo, hi] (log-uniform when `log`).
std::vector<float> inputs(float lo, float hi, bool log, unsigned seed) {
  std::vector<float> v = {0.0f, -0.0f, INFINITY, -INFINITY, fp::from_bits(fp::kCanonicalNan),
                          fp::from_bits(0xFFC12345), 1e-45f, -1e-45f, 1.0f, -1.0f, lo, hi,
                          std::nextafter(lo, -INFINITY), std::nextafter(hi, INFINITY)};
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  std::uniform_int_distribution<std::uint32_t> b(fp::to_bits(lo), fp::to_bits(hi));
  while (v.size() < kN) v.push_back(log ? fp::from_bits(b(rng)) : u(rng));
  return v;
}

template <typename F>
void check(const ref::Pe& pe, std::uint32_t base, const std::vector<float>& x, F golden,
           const char* what) {
  unsigned bad = 0;
  for (unsigned i = 0; i < kN; ++i) {
    const std::uint32_t want = fp::to_bits(golden(x[i]));
    const std::uint32_t got = pe.read_mem(base + i);
    if (got != want && ++bad <= 5) {
      BOOST_ERROR(fmt::format("{}({:08x}) = {:08x} on the PE, {:08x} in C++", what,
                              fp::to_bits(x[i]), got, want));
    }
  }
  BOOST_TEST(bad == 0u, what);
}

}  // namespace

BOOST_AUTO_TEST_CASE(exp_assembly_matches_the_sequence) {
  const auto x = inputs(-100.0f, 100.0f, false, 1);
  const auto pe = run(dsd(2, kX) + dsd(3, kT1) + dsd(4, kT2) + dsd(5, kT3), "wm_exp", {{kX, x}});
  check(pe, kX, x, sf::exp, "exp");
}

BOOST_AUTO_TEST_CASE(recip_assembly_matches_the_sequence) {
  const auto x = inputs(1e-38f, 1e38f, true, 2);
  const auto pe = run(dsd(2, kX) + dsd(3, kY) + dsd(4, kT1), "wm_recip", {{kX, x}});
  check(pe, kY, x, sf::recip, "recip");
  check(pe, kX, x, [](float v) { return v; }, "recip keeps x");
}

BOOST_AUTO_TEST_CASE(rsqrt_assembly_matches_the_sequence) {
  const auto x = inputs(1e-37f, 1e38f, true, 3);
  const auto pe = run(dsd(2, kX) + dsd(3, kY) + dsd(4, kT1) + dsd(5, kT2), "wm_rsqrt", {{kX, x}});
  check(pe, kY, x, sf::rsqrt, "rsqrt");
}

BOOST_AUTO_TEST_CASE(silu_assembly_matches_the_sequence) {
  const auto x = inputs(-100.0f, 100.0f, false, 4);
  const auto pe = run(dsd(1, kX) + dsd(2, kY) + dsd(3, kT1) + dsd(4, kT2) + dsd(5, kT3),
                      "wm_silu", {{kX, x}});
  check(pe, kY, x, sf::silu, "silu");
}

BOOST_AUTO_TEST_CASE(rope_assembly_matches_the_sequence) {
  // One head of 2 * kN interleaved values, the table for position 17, head size 2 * kN.
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-4.0f, 4.0f);
  std::vector<float> x(2 * kN), c(kN), s(kN);
  for (auto& v : x) v = u(rng);
  for (unsigned j = 0; j < kN; ++j) {
    const auto cs = sf::rope_cos_sin(17, static_cast<int>(j), 2 * kN);
    c[j] = cs.c;
    s[j] = cs.s;
  }
  const auto pe = run(dsd(1, kX, 2) + dsd(2, kX + 1, 2) + dsd(3, kT1) + dsd(4, kT2) +
                          dsd(5, kT3) + dsd(6, kT4),
                      "wm_rope", {{kX, x}, {kT1, c}, {kT2, s}});
  for (unsigned j = 0; j < kN; ++j) {
    const auto [y0, y1] = sf::rope_rotate(x[2 * j], x[2 * j + 1], {c[j], s[j]});
    BOOST_TEST(pe.read_mem(kX + 2 * j) == fp::to_bits(y0), "pair " << j);
    BOOST_TEST(pe.read_mem(kX + 2 * j + 1) == fp::to_bits(y1), "pair " << j);
  }
}

BOOST_AUTO_TEST_CASE(softmax_assembly_matches_the_sequence) {
  std::mt19937 rng(6);
  std::uniform_real_distribution<float> u(-12.0f, 12.0f);
  std::vector<float> x(kN);
  for (auto& v : x) v = u(rng);
  const auto pe = run(dsd(2, kX) + dsd(3, kT1) + dsd(4, kT2) + dsd(5, kT3), "wm_softmax",
                      {{kX, x}});
  std::vector<float> want = x;
  sf::softmax(want);
  float sum = 0.0f;
  for (unsigned i = 0; i < kN; ++i) {
    BOOST_TEST(pe.read_mem(kX + i) == fp::to_bits(want[i]), "element " << i);
    sum += want[i];
  }
  BOOST_TEST(std::fabs(sum - 1.0f) < 1e-5f);
}

BOOST_AUTO_TEST_CASE(scalar_versions_match_the_sequences) {
  // A loop over kN inputs at kX calling the scalar routine, results at kY.
  const std::string loop = fmt::format(
      "li r10, {}\nli r11, {}\nloop: lw r4, 0(r10)\ncall {{}}\nsw r4, {}(r10)\n"
      "addi r10, r10, 1\nbne r10, r11, loop\n", kX, kX + kN, kY - kX);
  struct Case {
    const char* fn;
    float (*golden)(float);
    std::vector<float> x;
  };
  const Case cases[] = {{"wm_exp_s", sf::exp, inputs(-100.0f, 100.0f, false, 11)},
                        {"wm_recip_s", sf::recip, inputs(1e-38f, 1e38f, true, 12)},
                        {"wm_rsqrt_s", sf::rsqrt, inputs(1e-37f, 1e38f, true, 13)}};
  for (const auto& c : cases) {
    const auto pe = run(fmt::format(fmt::runtime(loop), c.fn) + "halt\n", "", {{kX, c.x}});
    check(pe, kY, c.x, c.golden, c.fn);
  }
}

BOOST_AUTO_TEST_CASE(known_values) {
  BOOST_TEST(fp::to_bits(sf::exp(0.0f)) == 0x3F800000u);  // p(0) = C0, 2^0
  BOOST_TEST(fp::to_bits(sf::exp(NAN)) == fp::to_bits(sf::exp(-87.0f)));
  BOOST_TEST(fp::to_bits(sf::exp(1000.0f)) == fp::to_bits(sf::exp(88.0f)));
  BOOST_TEST(fp::to_bits(sf::silu(0.0f)) == 0u);
  BOOST_TEST(ref::ulp_distance(sf::recip(3.0f), 1.0f / 3.0f) <= 1.0);
  BOOST_TEST(ref::ulp_distance(sf::rsqrt(4.0f), 0.5f) <= 1.0);
  BOOST_TEST(ref::ulp_distance(sf::exp(1.0f), static_cast<float>(std::exp(1.0))) <= 1.0);
  const auto cs = sf::rope_cos_sin(0, 5, 64);
  BOOST_TEST(cs.c == 1.0f);
  BOOST_TEST(cs.s == 0.0f);
  BOOST_TEST(ref::ulp_distance(-0.0f, 0.0f) == 0.0);
  BOOST_TEST(ref::ulp_distance(fp::from_bits(0x00000001), fp::from_bits(0x80000001)) == 2.0);
}

BOOST_AUTO_TEST_CASE(error_against_libm_is_bounded) {
  // The generous bound of the unit suite; the measured table is in build/bench.
  for (const auto& r : ref::measure_ulps(40'000, 40'000, 7)) {
    BOOST_TEST_MESSAGE(fmt::format("{} {}: max {} ulp, mean {:.4f}", r.function, r.domain,
                                   r.max_ulps, r.mean_ulps));
    BOOST_TEST(r.max_ulps < 4.0, r.function << " " << r.domain << " max " << r.max_ulps
                                            << " ulp at " << r.worst_input);
  }
}
