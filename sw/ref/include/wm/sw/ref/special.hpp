// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The special functions of docs/isa.md section 7, line for line as wm::sw::fp primitives and
// 32-bit integer operations on bit patterns. The PE evaluates the same lines as vector
// instructions (sw/asm/lib/*.s), so the reference model, the golden decode and the RTL agree
// bit for bit; do not "simplify" a line, its rounding is the contract.

#include <cmath>
#include <cstdint>
#include <span>
#include <utility>

#include "wm/sw/fp/fp.hpp"

namespace wm::sw::ref::special {

/// The constants of section 7 as bit patterns.
namespace k {
inline constexpr std::uint32_t kExpLo = 0xC2AE0000;  // -87.0
inline constexpr std::uint32_t kExpHi = 0x42B00000;  // 88.0
inline constexpr std::uint32_t kLog2e = 0x3FB8AA3B;
inline constexpr std::uint32_t kShifter = 0x4B400000;  // 1.5 * 2^23
inline constexpr std::uint32_t kLn2Hi = 0x3F317200;
inline constexpr std::uint32_t kLn2Lo = 0x35BFBE8E;
inline constexpr std::uint32_t kExpPoly[] = {  // C7 down to C0
    0x39500D01, 0x3AB60B61, 0x3C088889, 0x3D2AAAAB, 0x3E2AAAAB, 0x3F000000, 0x3F800000,
    0x3F800000};
inline constexpr std::uint32_t kTwo = 0x40000000;
inline constexpr std::uint32_t kOne = 0x3F800000;
inline constexpr std::uint32_t kHalf = 0x3F000000;
inline constexpr std::uint32_t kThreeHalves = 0x3FC00000;
inline constexpr std::uint32_t kMinusOne = 0xBF800000;
inline constexpr std::uint32_t kSiluHi = 0x42AE0000;  // 87.0
inline constexpr std::uint32_t kRecipMagic = 0x7EF311C3;
inline constexpr std::uint32_t kRsqrtMagic = 0x5F3759DF;
}  // namespace k

namespace detail {
inline float c(std::uint32_t bits) noexcept { return fp::from_bits(bits); }
}  // namespace detail

/// e^x for x in [-87, 88]; inputs are clamped to that range and NaN gives exp(-87).
inline float exp(float x) noexcept {
  using detail::c;
  const float a = fp::min(fp::max(x, c(k::kExpLo)), c(k::kExpHi));
  const float t = fp::add(fp::mul(a, c(k::kLog2e)), c(k::kShifter));
  const float nf = fp::sub(t, c(k::kShifter));
  const std::uint32_t ni = fp::to_bits(t) - k::kShifter;
  float r = fp::sub(a, fp::mul(nf, c(k::kLn2Hi)));
  r = fp::sub(r, fp::mul(nf, c(k::kLn2Lo)));
  float p = c(k::kExpPoly[0]);
  for (unsigned i = 1; i < 8; ++i) p = fp::add(fp::mul(p, r), c(k::kExpPoly[i]));
  const float s = fp::from_bits((ni + 127u) << 23);
  return fp::mul(p, s);
}

/// 1/x for x in [2^-126, 2^126]; other inputs give unspecified but deterministic bits.
inline float recip(float x) noexcept {
  using detail::c;
  float y = fp::from_bits(k::kRecipMagic - fp::to_bits(x));
  y = fp::mul(y, fp::sub(c(k::kTwo), fp::mul(x, y)));
  y = fp::mul(y, fp::sub(c(k::kTwo), fp::mul(x, y)));
  const float e = fp::sub(c(k::kOne), fp::mul(x, y));
  return fp::add(y, fp::mul(y, e));
}

/// 1/sqrt(x) for x in [2^-125, 2^126].
inline float rsqrt(float x) noexcept {
  using detail::c;
  const float h = fp::mul(x, c(k::kHalf));
  float y = fp::from_bits(k::kRsqrtMagic - (fp::to_bits(x) >> 1));
  for (int i = 0; i < 3; ++i) {
    float t = fp::mul(y, y);
    t = fp::mul(h, t);
    t = fp::sub(c(k::kThreeHalves), t);
    y = fp::mul(y, t);
  }
  return y;
}

/// x / (1 + e^-x) for x in [-87, 88].
inline float silu(float x) noexcept {
  using detail::c;
  const float u = fp::min(fp::mul(x, c(k::kMinusOne)), c(k::kSiluHi));
  const float e = special::exp(u);
  const float d = fp::add(e, c(k::kOne));
  return fp::mul(x, recip(d));
}

/// The RoPE table entry for position `pos` and pair `j` (head dimensions 2j, 2j+1): llama2.c's
/// host-float formula, computed by the host (mapper) and by the golden model alike.
struct CosSin {
  float c;
  float s;
};
inline CosSin rope_cos_sin(int pos, int j, int head_size) noexcept {
  const float freq = 1.0f / ::powf(10000.0f, static_cast<float>(2 * j) /
                                                   static_cast<float>(head_size));
  const float val = static_cast<float>(pos) * freq;
  return {::cosf(val), ::sinf(val)};
}

/// The rotation of one pair (x0, x1) by the table entry (c, s).
inline std::pair<float, float> rope_rotate(float x0, float x1, CosSin cs) noexcept {
  return {fp::sub(fp::mul(x0, cs.c), fp::mul(x1, cs.s)),
          fp::add(fp::mul(x0, cs.s), fp::mul(x1, cs.c))};
}

/// Softmax of n scores on one PE, in place, in section 7's order: m = frmax(-inf, x);
/// x = x - m; x = exp(x); s = frsum(+0, x); x = x * recip(s).
inline void softmax(std::span<float> x) noexcept {
  float m = fp::from_bits(0xFF800000u);
  for (const float v : x) m = fp::max(m, v);
  for (float& v : x) v = special::exp(fp::sub(v, m));
  float s = 0.0f;
  for (const float v : x) s = fp::add(s, v);
  const float r = recip(s);
  for (float& v : x) v = fp::mul(v, r);
}

}  // namespace wm::sw::ref::special
