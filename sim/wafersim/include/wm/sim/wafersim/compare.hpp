// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Bit-for-bit comparison of the RTL's logits with the golden decoder's.
#pragma once

#include <bit>
#include <cstdint>
#include <optional>
#include <span>

namespace wm::sim::wafersim {

struct Mismatch {
  std::size_t index = 0;  ///< the first differing logit
  std::uint32_t expected = 0;
  std::uint32_t got = 0;
  std::size_t count = 0;  ///< differing logits in all (a length difference counts as one)
};

/// The first logit whose bits differ (NaN payloads and signed zeros included), or none.
[[nodiscard]] inline std::optional<Mismatch> compare_bits(std::span<const std::uint32_t> got,
                                                          std::span<const float> expected) {
  std::optional<Mismatch> m;
  const std::size_t n = got.size() < expected.size() ? got.size() : expected.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto e = std::bit_cast<std::uint32_t>(expected[i]);
    if (got[i] == e) continue;
    if (!m) m = Mismatch{i, e, got[i], 0};
    ++m->count;
  }
  if (got.size() != expected.size()) {
    if (!m) m = Mismatch{n, n < expected.size() ? std::bit_cast<std::uint32_t>(expected[n]) : 0,
                         n < got.size() ? got[n] : 0, 0};
    ++m->count;
  }
  return m;
}

}  // namespace wm::sim::wafersim
