// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Minimum, maximum and comparisons, defined here rather than borrowed from fminf/fmaxf (whose
// treatment of signed zeros and signalling NaNs varies by C library). wm_fp_minmax matches.
//
// min/max are IEEE 754-2019 minimumNumber/maximumNumber: a NaN operand counts as missing, so
// the result is the other operand (the canonical NaN when both are NaN), and -0 < +0. That
// suits reductions (a NaN does not wipe out a max over a vector) and makes the result
// independent of operand order. The comparisons are IEEE's quiet predicates, which are the
// C++ operators: false when either operand is NaN, and -0 == +0.

#include <cmath>

#include "wm/sw/fp/bits.hpp"

namespace wm::sw::fp {

inline bool lt(float a, float b) noexcept { return a < b; }
inline bool le(float a, float b) noexcept { return a <= b; }
inline bool eq(float a, float b) noexcept { return a == b; }

inline float min(float a, float b) noexcept {
  if (is_nan(a)) return canonical(b);
  if (is_nan(b)) return a;
  if (a < b) return a;
  if (b < a) return b;
  return std::signbit(a) ? a : b;  // equal: a == b bit for bit, or zeros of either sign
}

inline float max(float a, float b) noexcept {
  if (is_nan(a)) return canonical(b);
  if (is_nan(b)) return a;
  if (a > b) return a;
  if (b > a) return b;
  return std::signbit(a) ? b : a;
}

}  // namespace wm::sw::fp
