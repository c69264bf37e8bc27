// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Add, subtract, multiply and the (unfused) multiply-accumulate, as the machine computes them.
//
// Each is the host's IEEE binary32 operation (round to nearest even, subnormals kept; the
// project compiles with -ffp-contract=off so nothing fuses) with a NaN result replaced by
// the canonical NaN. The RTL units wm_fp_add and wm_fp_mul match these bit for bit.

#include "wm/sw/fp/bits.hpp"

namespace wm::sw::fp {

inline float add(float a, float b) noexcept { return canonical(a + b); }
inline float sub(float a, float b) noexcept { return canonical(a - b); }
inline float mul(float a, float b) noexcept { return canonical(a * b); }

/// a * b + c with TWO roundings, round(round(a * b) + c): the machine's FMAC is a multiplier
/// feeding an adder, not a fused unit, so it equals host `a * b + c` without contraction.
inline float fmac(float a, float b, float c) noexcept { return add(mul(a, b), c); }

}  // namespace wm::sw::fp
