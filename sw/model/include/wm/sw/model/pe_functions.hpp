#pragma once
// The PE's special functions (sw/ref's exact instruction sequences) behind the golden model's
// SpecialFunctions interface: with these the float decoder rounds as the mesh does.

#include "wm/sw/model/special_functions.hpp"

namespace wm::sw::model {

/// wm::sw::ref::special: exp, recip, rsqrt, silu as the PE's sequences, and its host-computed
/// RoPE table entries (the mapper writes the same entries into SRAM).
class PeFunctions final : public SpecialFunctions {
 public:
  [[nodiscard]] float exp(float x) const override;
  [[nodiscard]] float rsqrt(float x) const override;
  [[nodiscard]] float reciprocal(float x) const override;
  [[nodiscard]] float silu(float x) const override;
  [[nodiscard]] RopeCosSin rope(int pos, int pair, int head_size) const override;
};

/// A shared immutable PeFunctions: the float decoder's default.
[[nodiscard]] const SpecialFunctions& pe_functions();

}  // namespace wm::sw::model
