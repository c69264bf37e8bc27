// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The (39,32) SECDED code of rtl/sram/wm_sram_ecc_enc.sv, derived here from its definition
// (data bit i at the i-th non-power-of-two Hamming position from 3; check bit j covers the
// positions with bit j set; bit 38 is overall even parity) rather than from the RTL's masks,
// so a slip in either shows up as a mismatch.

#include <array>
#include <bit>
#include <cstdint>

namespace wm::tb::sram {

/// Hamming position of each data bit: the non-powers-of-two from 3 upward.
constexpr std::array<unsigned, 32> secded_positions() {
  std::array<unsigned, 32> pos{};
  unsigned i = 0;
  for (unsigned p = 3; i < pos.size(); ++p) {
    if (!std::has_single_bit(p)) pos[i++] = p;
  }
  return pos;
}

class Secded {
 public:
  static constexpr unsigned kDataBits = 32;
  static constexpr unsigned kCodeBits = 39;

  struct Decoded {
    std::uint32_t data;  ///< corrected when `corrected`
    bool corrected;      ///< exactly one bit (data, check or parity) was flipped
    bool uncorrectable;  ///< an even number (>= 2) of flips, or an odd one beyond repair
  };

  static constexpr std::uint64_t encode(std::uint32_t data) {
    const std::uint64_t check = check_bits(data);
    const std::uint64_t body = (check << 32) | data;
    const std::uint64_t parity = std::popcount(body) & 1U;
    return (parity << 38) | body;
  }

  static constexpr Decoded decode(std::uint64_t code) {
    const auto data = static_cast<std::uint32_t>(code);
    const unsigned syndrome = check_bits(data) ^ static_cast<unsigned>((code >> 32) & 0x3f);
    const bool parity_err = (std::popcount(code & kCodeMask) & 1U) != 0;
    if (!parity_err) return {data, false, syndrome != 0};
    if (syndrome > 38) return {data, false, true};
    std::uint32_t fixed = data;
    for (unsigned i = 0; i < kDataBits; ++i) {
      if (kPositions[i] == syndrome) fixed ^= std::uint32_t{1} << i;
    }
    return {fixed, true, false};
  }

 private:
  static constexpr std::uint64_t kCodeMask = (std::uint64_t{1} << kCodeBits) - 1;

  static constexpr std::array<unsigned, kDataBits> kPositions = secded_positions();

  // The Hamming check bits are the XOR of the positions of the set data bits.
  static constexpr unsigned check_bits(std::uint32_t data) {
    unsigned c = 0;
    for (unsigned i = 0; i < kDataBits; ++i) {
      if ((data >> i) & 1U) c ^= kPositions[i];
    }
    return c;
  }
};

}  // namespace wm::tb::sram
