// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sw/ref/ulps.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include "wm/sw/fp/bits.hpp"
#include "wm/sw/ref/special.hpp"

namespace wm::sw::ref {

namespace {

/// binary32 values in order as integers: -0 and +0 both map to 0.
std::int64_t ordinal(float x) {
  const std::uint32_t u = fp::to_bits(x);
  return (u & 0x8000'0000u) ? -static_cast<std::int64_t>(u & 0x7FFF'FFFFu)
                            : static_cast<std::int64_t>(u);
}

struct Accumulator {
  UlpReport r;
  double sum = 0;
  void add(float input, double err) {
    ++r.samples;
    sum += err;
    if (r.samples == 1 || err > r.max_ulps) {
      r.max_ulps = err;
      r.worst_input = input;
    }
  }
  UlpReport done() {
    r.mean_ulps = r.samples ? sum / static_cast<double>(r.samples) : 0;
    return r;
  }
};

using Fn = std::function<float(float)>;
using Truth = std::function<double(double)>;

/// Random points: uniform in value on [lo, hi] when `log` is false, else uniform in bit
/// pattern (log-uniform) between the positive bounds. Dense points: evenly spaced the same way.
UlpReport sweep(const std::string& name, const std::string& domain, const Fn& fn,
                const Truth& truth, float lo, float hi, bool log, std::uint64_t random,
                std::uint64_t dense, std::mt19937_64& rng) {
  Accumulator acc;
  acc.r.function = name;
  acc.r.domain = domain;
  auto one = [&](float x) {
    const float want = static_cast<float>(truth(static_cast<double>(x)));
    acc.add(x, ulp_distance(fn(x), want));
  };
  const std::uint32_t blo = fp::to_bits(lo), bhi = fp::to_bits(hi);
  std::uniform_real_distribution<double> uval(lo, hi);
  std::uniform_int_distribution<std::uint32_t> ubits(blo, bhi);
  for (std::uint64_t i = 0; i < random; ++i) {
    one(log ? fp::from_bits(ubits(rng)) : static_cast<float>(uval(rng)));
  }
  for (std::uint64_t i = 0; i < dense; ++i) {
    const double t = dense > 1 ? static_cast<double>(i) / static_cast<double>(dense - 1) : 0.0;
    if (log) {
      one(fp::from_bits(blo + static_cast<std::uint32_t>(t * static_cast<double>(bhi - blo))));
    } else {
      one(static_cast<float>(lo + t * (static_cast<double>(hi) - lo)));
    }
  }
  return acc.done();
}

UlpReport merge(UlpReport a, const UlpReport& b) {
  const double total = a.mean_ulps * static_cast<double>(a.samples) +
                       b.mean_ulps * static_cast<double>(b.samples);
  if (b.max_ulps > a.max_ulps) {
    a.max_ulps = b.max_ulps;
    a.worst_input = b.worst_input;
  }
  a.samples += b.samples;
  a.mean_ulps = a.samples ? total / static_cast<double>(a.samples) : 0;
  return a;
}

/// Every float in [lo, hi) (same sign), in bit-pattern order.
UlpReport every_float(const std::string& name, const std::string& domain, const Fn& fn,
                      const Truth& truth, float lo, float hi) {
  Accumulator acc;
  acc.r.function = name;
  acc.r.domain = domain;
  std::uint32_t a = fp::to_bits(lo), b = fp::to_bits(hi);
  if (a > b) std::swap(a, b);
  for (std::uint32_t u = a; u < b; ++u) {
    const float x = fp::from_bits(u);
    acc.add(x, ulp_distance(fn(x), static_cast<float>(truth(static_cast<double>(x)))));
  }
  return acc.done();
}

}  // namespace

double ulp_distance(float a, float b) {
  return static_cast<double>(std::llabs(ordinal(a) - ordinal(b)));
}

std::vector<UlpReport> measure_ulps(std::uint64_t random, std::uint64_t dense,
                                    std::uint64_t seed, bool exhaustive) {
  namespace sf = special;
  std::mt19937_64 rng(seed);
  std::vector<UlpReport> out;
  const float two_m126 = std::ldexp(1.0f, -126), two_m125 = std::ldexp(1.0f, -125);
  const float two_126 = std::ldexp(1.0f, 126);
  out.push_back(sweep("exp", "[-87, 88]", sf::exp, [](double x) { return std::exp(x); }, -87.0f,
                      88.0f, false, random, dense, rng));
  out.push_back(sweep("recip", "[2^-126, 2^126]", sf::recip, [](double x) { return 1.0 / x; },
                      two_m126, two_126, true, random, dense, rng));
  out.push_back(sweep("rsqrt", "[2^-125, 2^126]", sf::rsqrt,
                      [](double x) { return 1.0 / std::sqrt(x); }, two_m125, two_126, true,
                      random, dense, rng));
  out.push_back(sweep("silu", "[-87, 88]", sf::silu,
                      [](double x) { return x / (1.0 + std::exp(-x)); }, -87.0f, 88.0f, false,
                      random, dense, rng));
  // Near zero silu(x) ~ x/2 spans many exponents: sweep it log-uniformly too.
  out.push_back(sweep("silu", "[2^-126, 1]", sf::silu,
                      [](double x) { return x / (1.0 + std::exp(-x)); }, two_m126, 1.0f, true,
                      random, dense, rng));
  out.push_back(sweep("silu", "[-1, -2^-126]", [](float x) { return sf::silu(-x); },
                      [](double x) { return -x / (1.0 + std::exp(x)); }, two_m126, 1.0f, true,
                      random, dense, rng));
  out.back().worst_input = -out.back().worst_input;  // swept as -x
  // RoPE: a rotation of (x0, x1) in [-4, 4]^2 by table entries for pos < 2048, head 64. Its
  // result can cancel to zero, so its error is counted in ulps of the larger product.
  {
    Accumulator acc;
    acc.r.function = "rope";
    acc.r.domain = "x in [-4,4]^2, pos < 2048, head 64 (ulps of max |product|)";
    std::uniform_real_distribution<float> ux(-4.0f, 4.0f);
    std::uniform_int_distribution<int> upos(0, 2047), uj(0, 31);
    for (std::uint64_t i = 0; i < random + dense; ++i) {
      const float x0 = ux(rng), x1 = ux(rng);
      const auto cs = sf::rope_cos_sin(upos(rng), uj(rng), 64);
      const auto [y0, y1] = sf::rope_rotate(x0, x1, cs);
      const double t0 = static_cast<double>(x0) * cs.c - static_cast<double>(x1) * cs.s;
      const double t1 = static_cast<double>(x0) * cs.s + static_cast<double>(x1) * cs.c;
      auto err = [](double got, double want, double scale) {
        const double ulp = std::ldexp(1.0, std::ilogb(std::max(scale, 1e-30)) - 23);
        return std::fabs(got - want) / ulp;
      };
      const double s0 = std::max(std::fabs(x0 * cs.c), std::fabs(x1 * cs.s));
      const double s1 = std::max(std::fabs(x0 * cs.s), std::fabs(x1 * cs.c));
      acc.add(x0, std::max(err(y0, t0, s0), err(y1, t1, s1)));
    }
    out.push_back(acc.done());
  }
  if (exhaustive) {
    // recip's error pattern repeats with each binade and rsqrt's with each pair of binades
    // (the magic-constant seeds shift with the exponent), so these cover their whole domains
    // up to the extreme exponents, which the random sweep above samples.
    out.push_back(every_float("recip", "every float in [1, 4)", sf::recip,
                              [](double x) { return 1.0 / x; }, 1.0f, 4.0f));
    out.push_back(every_float("rsqrt", "every float in [1, 4)", sf::rsqrt,
                              [](double x) { return 1.0 / std::sqrt(x); }, 1.0f, 4.0f));
    out.push_back(every_float("exp", "every float in [-2, -1) and [1, 2)", sf::exp,
                              [](double x) { return std::exp(x); }, -1.0f, -2.0f));
    out.back() = merge(out.back(), every_float("exp", "", sf::exp,
                                               [](double x) { return std::exp(x); }, 1.0f, 2.0f));
    out.push_back(every_float("silu", "every float in [-2, -1) and [1, 2)", sf::silu,
                              [](double x) { return x / (1.0 + std::exp(-x)); }, -1.0f, -2.0f));
    out.back() = merge(out.back(),
                       every_float("silu", "", sf::silu,
                                   [](double x) { return x / (1.0 + std::exp(-x)); }, 1.0f, 2.0f));
  }
  return out;
}

}  // namespace wm::sw::ref
