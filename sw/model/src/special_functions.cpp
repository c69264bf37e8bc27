#include "wm/sw/model/special_functions.hpp"

#include <cmath>

namespace wm::sw::model {

float LibmFunctions::exp(float x) const { return std::exp(x); }
float LibmFunctions::rsqrt(float x) const { return 1.0F / std::sqrt(x); }
float LibmFunctions::reciprocal(float x) const { return 1.0F / x; }
float LibmFunctions::silu(float x) const { return x * (1.0F / (1.0F + std::exp(-x))); }
float LibmFunctions::sin(float x) const { return std::sin(x); }
float LibmFunctions::cos(float x) const { return std::cos(x); }

const SpecialFunctions& libm_functions() {
  static const LibmFunctions fn;
  return fn;
}

}  // namespace wm::sw::model
