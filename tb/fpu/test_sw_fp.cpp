// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The golden FP32 primitives against hand-computed bit patterns: the rules wafermesh adds to
// host float (canonical NaN, min/max, saturating f2i, unfused FMAC), and a check that the
// host itself keeps subnormals and rounds to nearest even, which the golden model assumes.
#define BOOST_TEST_MODULE wm_sw_fp
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

#include "wm/sw/fp/fp.hpp"

namespace fp = wm::sw::fp;

namespace {

float f(std::uint32_t bits) { return fp::from_bits(bits); }
std::uint32_t b(float x) { return fp::to_bits(x); }

constexpr std::uint32_t kInf = 0x7F80'0000;
constexpr std::uint32_t kNegInf = 0xFF80'0000;
constexpr std::uint32_t kNan = fp::kCanonicalNan;

}  // namespace

BOOST_AUTO_TEST_CASE(every_nan_result_is_canonical) {
  BOOST_TEST(b(fp::add(f(kInf), f(kNegInf))) == kNan);   // x86 makes 0xFFC00000
  BOOST_TEST(b(fp::sub(f(kInf), f(kInf))) == kNan);
  BOOST_TEST(b(fp::mul(f(0), f(kNegInf))) == kNan);
  BOOST_TEST(b(fp::add(f(0xFFC1'2345), f(0x3F80'0000))) == kNan);  // payload dropped
  BOOST_TEST(b(fp::mul(f(0x7F80'0001), f(0x3F80'0000))) == kNan);  // signalling, quieted
  BOOST_TEST(b(fp::fmac(f(0x7FFF'FFFF), f(0), f(0))) == kNan);
}

BOOST_AUTO_TEST_CASE(host_keeps_subnormals_and_rounds_to_even) {
  BOOST_TEST(b(fp::mul(f(0x0080'0000), f(0x3F00'0000))) == 0x0040'0000u);  // no flush to zero
  BOOST_TEST(b(fp::mul(f(0x0000'0001), f(0x3F00'0000))) == 0x0000'0000u);  // tie to even: 0
  BOOST_TEST(b(fp::mul(f(0x0000'0003), f(0x3F00'0000))) == 0x0000'0002u);  // tie to even: 2
  BOOST_TEST(b(fp::add(f(0x3F80'0000), f(0x3380'0000))) == 0x3F80'0000u);  // 1 + 2^-24: down
  BOOST_TEST(b(fp::add(f(0x3F80'0001), f(0x3380'0000))) == 0x3F80'0002u);  // odd: up
  BOOST_TEST(b(fp::add(f(0x3F7F'FFFF), f(0x3380'0000))) == 0x3F80'0000u);  // carry to exponent
  BOOST_TEST(b(fp::add(f(0x7F7F'FFFF), f(0x7F7F'FFFF))) == kInf);          // overflow
  BOOST_TEST(b(fp::sub(f(0x4040'0000), f(0x4040'0000))) == 0x0000'0000u);  // exact: +0
  BOOST_TEST(b(fp::add(f(0x8000'0000), f(0x8000'0000))) == 0x8000'0000u);  // -0 + -0 = -0
}

BOOST_AUTO_TEST_CASE(fmac_rounds_twice) {
  // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 rounds (tie, to even) to 1 + 2^-11, so subtracting
  // 1 + 2^-11 leaves 0; a fused FMA would keep the 2^-24.
  const float a = f(0x3F80'0800);
  const float c = f(0xBF80'1000);
  BOOST_TEST(b(fp::fmac(a, a, c)) == 0x0000'0000u);
  BOOST_TEST(b(std::fma(a, a, c)) == 0x3380'0000u);
}

BOOST_AUTO_TEST_CASE(min_max_ignore_nan_and_order_zeros) {
  const float one = 1.0f;
  const float nan = f(0xFFC1'2345);
  BOOST_TEST(b(fp::min(nan, one)) == b(one));
  BOOST_TEST(b(fp::max(one, nan)) == b(one));
  BOOST_TEST(b(fp::max(nan, f(0x7F80'0001))) == kNan);
  BOOST_TEST(b(fp::min(f(0), f(0x8000'0000))) == 0x8000'0000u);
  BOOST_TEST(b(fp::min(f(0x8000'0000), f(0))) == 0x8000'0000u);
  BOOST_TEST(b(fp::max(f(0x8000'0000), f(0))) == 0x0000'0000u);
  BOOST_TEST(b(fp::max(f(0), f(0x8000'0000))) == 0x0000'0000u);
  BOOST_TEST(b(fp::min(f(kNegInf), one)) == kNegInf);
  BOOST_TEST(b(fp::max(f(0x0000'0001), f(0x8000'0001))) == 0x0000'0001u);
}

BOOST_AUTO_TEST_CASE(comparisons_are_ieee_quiet_predicates) {
  BOOST_TEST(fp::eq(f(0), f(0x8000'0000)));
  BOOST_TEST(!fp::lt(f(0x8000'0000), f(0)));
  BOOST_TEST(fp::le(f(0x8000'0000), f(0)));
  BOOST_TEST(!fp::eq(f(kNan), f(kNan)));
  BOOST_TEST(!fp::le(f(kNan), 1.0f));
  BOOST_TEST(fp::lt(f(kNegInf), f(0xFF7F'FFFF)));
}

BOOST_AUTO_TEST_CASE(f2i_truncates_and_saturates) {
  constexpr std::int32_t kMax = std::numeric_limits<std::int32_t>::max();
  constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
  BOOST_TEST(fp::f2i(-1.75f) == -1);
  BOOST_TEST(fp::f2i(2.9999998f) == 2);
  BOOST_TEST(fp::f2i(f(0x4EFF'FFFF)) == 2147483520);
  BOOST_TEST(fp::f2i(f(0x4F00'0000)) == kMax);   // 2^31
  BOOST_TEST(fp::f2i(f(0xCF00'0000)) == kMin);   // -2^31 is in range
  BOOST_TEST(fp::f2i(f(0xCF00'0001)) == kMin);
  BOOST_TEST(fp::f2i(f(kInf)) == kMax);
  BOOST_TEST(fp::f2i(f(kNegInf)) == kMin);
  BOOST_TEST(fp::f2i(f(0xFFC0'0000)) == 0);
  BOOST_TEST(fp::f2i(f(0x8000'0001)) == 0);
}

BOOST_AUTO_TEST_CASE(i2f_rounds_to_nearest_even) {
  BOOST_TEST(b(fp::i2f(16777217)) == 0x4B80'0000u);   // 2^24 + 1: tie, down to even
  BOOST_TEST(b(fp::i2f(16777219)) == 0x4B80'0002u);   // 2^24 + 3: tie, up to even
  BOOST_TEST(b(fp::i2f(std::numeric_limits<std::int32_t>::max())) == 0x4F00'0000u);
  BOOST_TEST(b(fp::i2f(std::numeric_limits<std::int32_t>::min())) == 0xCF00'0000u);
  BOOST_TEST(b(fp::i2f(0)) == 0x0000'0000u);
  BOOST_TEST(b(fp::i2f(-1)) == 0xBF80'0000u);
}
