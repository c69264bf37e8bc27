#pragma once
// The project's own PRNG: results are fixed by this file alone, not by a standard library's
// distributions, so a seed names the same model on every platform.

#include <cstdint>

namespace wm::sw::model {

/// SplitMix64 (Steele, Lea and Flood, 2014; the constants of Vigna's public-domain reference).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  /// Uniform on [-1, 1) in steps of 2^-23: the top 24 bits, so every value is an exact float
  /// and no rounding mode or library is involved.
  float uniform_pm1() {
    const auto u = static_cast<std::int32_t>(next() >> 40);  // 0 .. 2^24 - 1
    return static_cast<float>(u - (1 << 23)) * 0x1p-23F;
  }

 private:
  std::uint64_t state_;
};

}  // namespace wm::sw::model
