// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Operand generators for the FPU tests: the interesting fixed values, and biased random
// distributions that reach the corners uniform bits almost never hit (cancellation,
// subnormals, underflow and overflow of a product, the int32 boundary).

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <span>

#include "fpu_checker.hpp"

namespace wm::tb::fpu {

using Rng = std::mt19937_64;

/// Values every unit is tried on, every pair of them, both signs where a sign matters.
inline constexpr auto kSpecials = std::to_array<std::uint32_t>({
    0x0000'0000, 0x8000'0000,  // +-0
    0x0000'0001, 0x8000'0001,  // +-smallest subnormal
    0x0000'0002, 0x0000'0003,  // 2 and 3 ulps of the subnormal range
    0x007F'FFFF, 0x807F'FFFF,  // +-largest subnormal
    0x0040'0000, 0x0040'0001,  // half the smallest normal, and one ulp above
    0x0080'0000, 0x8080'0000,  // +-smallest normal
    0x0080'0001, 0x00FF'FFFF,  // just above it; just below 2^-125
    0x7F7F'FFFF, 0xFF7F'FFFF,  // +-largest normal
    0x7F7F'FFFE, 0x7F00'0000,  // one ulp below it; 2^127
    0x3F80'0000, 0xBF80'0000,  // +-1
    0x3F80'0001, 0x3F7F'FFFF,  // 1 + ulp, 1 - ulp/2
    0x3F00'0000, 0x4000'0000,  // 0.5, 2
    0x3FC0'0000, 0x4040'0000,  // 1.5, 3
    0x3380'0000, 0x3400'0000,  // 2^-24 (half an ulp of 1), 2^-23
    0x3380'0001, 0x337F'FFFF,  // just above and below half an ulp of 1
    0x4B80'0000, 0x4B80'0001,  // 2^24, 2^24 + 2
    0x4EFF'FFFF, 0x4F00'0000,  // largest float below 2^31, 2^31
    0xCF00'0000, 0xCF00'0001,  // -2^31 (INT32_MIN exactly), just below it
    0x3F7F'FFFF, 0xBF00'0000,  // 1 - 2^-24, -0.5
    0x7F80'0000, 0xFF80'0000,  // +-inf
    0x7FC0'0000, 0xFFC0'0000,  // canonical NaN, x86's default NaN
    0x7F80'0001, 0xFF80'0001,  // signalling NaNs
    0x7FC1'2345, 0x7FFF'FFFF,  // NaNs with payloads
    0x4B7F'FFFF, 0x3EFF'FFFF,  // 2^24 - 1, just below 0.5
});

/// Integers for i2f: the boundaries and the rounding ties of the 24-bit significand.
inline constexpr auto kIntSpecials = std::to_array<std::uint32_t>({
    0x0000'0000, 0x0000'0001, 0xFFFF'FFFF, 0x7FFF'FFFF,  // 0, 1, -1, INT32_MAX
    0x8000'0000, 0x8000'0001, 0x7FFF'FF80, 0x7FFF'FFC0,  // MIN, MIN + 1, 2^31-128, tie
    0x0100'0000, 0x0100'0001, 0x0100'0003, 0x0100'0002,  // 2^24 and ties both ways
    0xFEFF'FFFF, 0xFF00'0000, 0x7FFF'FF7F, 0x7FFF'FFBF,  // -(2^24+1), -2^24, below those
});

namespace detail {

inline std::uint32_t bits(Rng& rng) { return static_cast<std::uint32_t>(rng()); }

inline std::uint32_t make(std::uint32_t sign, std::uint32_t exp, std::uint32_t mant) {
  return (sign << 31) | ((exp & 0xFFu) << 23) | (mant & 0x7F'FFFFu);
}

/// A mantissa with a random number of leading zeros: reaches every normalisation shift.
inline std::uint32_t ragged_mantissa(Rng& rng) {
  return (bits(rng) & 0x7F'FFFFu) >> (rng() % 24);
}

inline std::uint32_t clamp_exp(int e) { return static_cast<std::uint32_t>(std::clamp(e, 0, 255)); }

}  // namespace detail

/// Uniform bit patterns (about 1 in 128 operands is an infinity or a NaN).
inline Operands random_bits(Rng& rng) {
  return {detail::bits(rng), detail::bits(rng), (rng() & 1) != 0};
}

/// b's exponent within 2 of a's, b's mantissa often a small distance from a's: massive
/// cancellation, alignment by 0-2 places, carries into the exponent.
inline Operands near_exponents(Rng& rng) {
  using namespace detail;
  const std::uint32_t a = bits(rng);
  const int ea = static_cast<int>((a >> 23) & 0xFFu);
  const std::uint32_t eb = clamp_exp(ea + static_cast<int>(rng() % 5) - 2);
  const std::uint32_t mb = (rng() & 1) ? a + static_cast<std::uint32_t>(rng() % 9) - 4u
                                       : bits(rng);
  return {a, make(bits(rng) & 1u, eb, mb), (rng() & 1) != 0};
}

/// Mostly subnormal or barely normal operands with ragged mantissas: subnormal results,
/// underflow of products, the subnormal/normal boundary in both directions.
inline Operands subnormal_heavy(Rng& rng) {
  using namespace detail;
  auto one = [&rng]() {
    const std::uint64_t pick = rng() % 8;
    const std::uint32_t exp = pick < 4 ? 0u : pick < 6 ? 1u + static_cast<std::uint32_t>(rng() % 3)
                                                       : static_cast<std::uint32_t>(rng() % 256);
    return make(bits(rng) & 1u, exp, ragged_mantissa(rng));
  };
  const std::uint32_t a = one();
  return {a, one(), (rng() & 1) != 0};
}

/// Factor exponents whose sum puts the product near the bottom of the subnormal range,
/// across the subnormal/normal boundary, or near overflow.
inline Operands product_edges(Rng& rng) {
  using namespace detail;
  // Biased exponent of the product is about ea + eb - 127.
  const int target = (rng() & 1) ? 127 - 30 + static_cast<int>(rng() % 34)   // -30 .. 3
                                 : 127 + 250 + static_cast<int>(rng() % 8);  // 250 .. 257
  const int ea = 1 + static_cast<int>(rng() % 254);
  return {make(bits(rng) & 1u, clamp_exp(ea), bits(rng)),
          make(bits(rng) & 1u, clamp_exp(target - ea), ragged_mantissa(rng)), false};
}

/// Pairs made to compare equal, nearly equal, as zeros of either sign, or with a NaN.
inline Operands compare_heavy(Rng& rng) {
  using namespace detail;
  const std::uint32_t a = (rng() % 4 == 0) ? kSpecials[rng() % kSpecials.size()] : bits(rng);
  std::uint32_t b = a;
  switch (rng() % 4) {
    case 0: break;                                          // identical
    case 1: b = a ^ 0x8000'0000u; break;                    // opposite sign
    case 2: b = a + static_cast<std::uint32_t>(rng() % 3) - 1u; break;  // one ulp apart
    default: b = kSpecials[rng() % kSpecials.size()]; break;
  }
  return {a, b, false};
}

/// a as an integer of every bit length (i2f), or as a float around the int32 range (f2i).
inline Operands convert_edges(Rng& rng) {
  using namespace detail;
  std::uint32_t a = 0;
  if (rng() & 1) {
    a = bits(rng) >> (rng() % 32);
    if (rng() & 1) a = ~a + 1u;
  } else {
    a = make(bits(rng) & 1u, 120 + static_cast<std::uint32_t>(rng() % 42), bits(rng));
  }
  return {a, bits(rng), false};
}

using Generator = Operands (*)(Rng&);

/// Runs `pairs` vectors, spread evenly over `gens` (rounded up so none gets fewer).
template <class Checker>
void run_random(Checker& checker, Rng& rng, std::span<const Generator> gens,
                std::uint64_t pairs) {
  const std::uint64_t each = (pairs + gens.size() - 1) / gens.size();
  for (const Generator gen : gens) {
    for (std::uint64_t i = 0; i < each; ++i) checker.check(gen(rng));
  }
}

/// Every pair of kSpecials (both orders, add and subtract) and every kIntSpecials integer.
template <class Checker>
void run_specials(Checker& checker) {
  for (const std::uint32_t a : kSpecials) {
    for (const std::uint32_t b : kSpecials) {
      checker.check({a, b, false});
      checker.check({a, b, true});
    }
  }
  for (const std::uint32_t v : kIntSpecials) checker.check({v, v, false});
}

}  // namespace wm::tb::fpu
