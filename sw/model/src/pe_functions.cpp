#include "wm/sw/model/pe_functions.hpp"

#include "wm/sw/ref/special.hpp"

namespace wm::sw::model {

namespace special = wm::sw::ref::special;

float PeFunctions::exp(float x) const { return special::exp(x); }
float PeFunctions::rsqrt(float x) const { return special::rsqrt(x); }
float PeFunctions::reciprocal(float x) const { return special::recip(x); }
float PeFunctions::silu(float x) const { return special::silu(x); }

RopeCosSin PeFunctions::rope(int pos, int pair, int head_size) const {
  const special::CosSin cs = special::rope_cos_sin(pos, pair, head_size);
  return {cs.c, cs.s};
}

const SpecialFunctions& pe_functions() {
  static const PeFunctions fn;
  return fn;
}

}  // namespace wm::sw::model
