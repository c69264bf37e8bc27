// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Integer <-> binary32 conversions. wm_fp_i2f and wm_fp_f2i match these bit for bit.

#include <cstdint>
#include <limits>

#include "wm/sw/fp/bits.hpp"

namespace wm::sw::fp {

/// Nearest binary32 to v, ties to even: static_cast<float> under the default rounding mode.
inline float i2f(std::int32_t v) noexcept { return static_cast<float>(v); }

/// Truncation toward zero, static_cast<int32_t> wherever C++ defines it (|x| < 2^31 after
/// truncation). C++ leaves the rest undefined (x86 returns 0x80000000 for all of it); the
/// machine saturates, as Arm's FCVTZS and Java do: x >= 2^31 and +inf give INT32_MAX,
/// x < -2^31 and -inf give INT32_MIN, NaN gives 0.
inline std::int32_t f2i(float x) noexcept {
  constexpr float kTwo31 = 2147483648.0f;
  if (is_nan(x)) return 0;
  if (x >= kTwo31) return std::numeric_limits<std::int32_t>::max();
  if (x < -kTwo31) return std::numeric_limits<std::int32_t>::min();
  return static_cast<std::int32_t>(x);
}

}  // namespace wm::sw::fp
