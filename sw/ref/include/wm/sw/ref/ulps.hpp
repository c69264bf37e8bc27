// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Accuracy of the special functions against libm: double-precision libm rounded to float is
// the truth, the error is the distance in representable floats (ulps).

#include <cstdint>
#include <string>
#include <vector>

namespace wm::sw::ref {

struct UlpReport {
  std::string function;
  std::string domain;
  std::uint64_t samples = 0;
  double max_ulps = 0;
  double mean_ulps = 0;
  float worst_input = 0;  ///< for RoPE: x0 of the worst pair
};

/// Distance between two finite floats in units in the last place (0 when equal, including
/// +0/-0), via their position on the ordered line of binary32 values.
[[nodiscard]] double ulp_distance(float a, float b);

/// Sweeps exp, recip, rsqrt, silu and the RoPE rotation over their documented domains:
/// `random` uniformly random points (log-uniform where the domain spans exponents) plus
/// `dense` evenly spaced points, from `seed`; `exhaustive` adds every float of a few binades
/// (about 40 M evaluations).
[[nodiscard]] std::vector<UlpReport> measure_ulps(std::uint64_t random, std::uint64_t dense,
                                                  std::uint64_t seed, bool exhaustive = false);

}  // namespace wm::sw::ref
