#include "wm/sw/model/special_functions.hpp"

#include <cmath>

namespace wm::sw::model {

float LibmFunctions::exp(float x) const { return std::exp(x); }
float LibmFunctions::rsqrt(float x) const { return 1.0F / std::sqrt(x); }
float LibmFunctions::reciprocal(float x) const { return 1.0F / x; }
float LibmFunctions::silu(float x) const { return x * (1.0F / (1.0F + std::exp(-x))); }

RopeCosSin LibmFunctions::rope(int pos, int pair, int head_size) const {
  // run.c: freq = 1.0f / powf(10000.0f, head_dim / (float)head_size); val = pos * freq.
  const float freq =
      1.0F / std::pow(10000.0F, static_cast<float>(2 * pair) / static_cast<float>(head_size));
  const float val = static_cast<float>(pos) * freq;
  return {std::cos(val), std::sin(val)};
}

const SpecialFunctions& libm_functions() {
  static const LibmFunctions fn;
  return fn;
}

}  // namespace wm::sw::model
