// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The bit-for-bit logit comparison of wafersim: it must see every kind of difference.
#define BOOST_TEST_MODULE test_wafersim_compare
#include <bit>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "wm/sim/wafersim/compare.hpp"

namespace {

using wm::sim::wafersim::compare_bits;

std::vector<std::uint32_t> bits_of(const std::vector<float>& v) {
  std::vector<std::uint32_t> b;
  for (const float f : v) b.push_back(std::bit_cast<std::uint32_t>(f));
  return b;
}

}  // namespace

BOOST_AUTO_TEST_CASE(equal_is_none) {
  const std::vector<float> want = {1.5f, -0.0f, std::numeric_limits<float>::quiet_NaN(), 3e-40f};
  BOOST_TEST(!compare_bits(bits_of(want), want).has_value());
}

BOOST_AUTO_TEST_CASE(every_difference_is_seen) {
  const std::vector<float> want = {1.5f, 0.0f, 2.0f, 7.0f};
  auto got = bits_of(want);
  got[1] = std::bit_cast<std::uint32_t>(-0.0f);  // == as floats, not as bits
  got[3] ^= 1u;                                  // one ulp
  const auto m = compare_bits(got, want);
  BOOST_TEST_REQUIRE(m.has_value());
  BOOST_TEST(m->index == 1u);
  BOOST_TEST(m->expected == 0u);
  BOOST_TEST(m->got == 0x80000000u);
  BOOST_TEST(m->count == 2u);
}

BOOST_AUTO_TEST_CASE(length_difference) {
  const std::vector<float> want = {1.0f, 2.0f, 3.0f};
  auto got = bits_of(want);
  got.pop_back();
  const auto m = compare_bits(got, want);
  BOOST_TEST_REQUIRE(m.has_value());
  BOOST_TEST(m->index == 2u);
  BOOST_TEST(m->count == 1u);
}
