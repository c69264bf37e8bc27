// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Bit views of binary32 and the canonical NaN, the one rule wafermesh adds to host float.

#include <bit>
#include <cstdint>

namespace wm::sw::fp {

/// The only NaN the machine produces: quiet, positive, zero payload. x86 would otherwise
/// propagate an operand's payload or make the "default NaN" 0xFFC00000, and the RTL would have
/// to model that choice of operand; one canonical value makes every NaN result comparable.
inline constexpr std::uint32_t kCanonicalNan = 0x7FC0'0000u;

constexpr std::uint32_t to_bits(float x) noexcept { return std::bit_cast<std::uint32_t>(x); }
constexpr float from_bits(std::uint32_t bits) noexcept { return std::bit_cast<float>(bits); }

/// True for every NaN encoding, quiet or signalling, whatever its sign and payload.
constexpr bool is_nan(float x) noexcept { return (to_bits(x) & 0x7FFF'FFFFu) > 0x7F80'0000u; }

/// x, or the canonical NaN when x is any NaN.
constexpr float canonical(float x) noexcept { return is_nan(x) ? from_bits(kCanonicalNan) : x; }

}  // namespace wm::sw::fp
