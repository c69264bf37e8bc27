#pragma once
// The float32 special functions of the forward pass, behind one interface: the PE defines each
// as an exact instruction sequence (sw/ref), and the golden model must call that sequence.

namespace wm::sw::model {

class SpecialFunctions {
 public:
  virtual ~SpecialFunctions() = default;
  [[nodiscard]] virtual float exp(float x) const = 0;
  [[nodiscard]] virtual float rsqrt(float x) const = 0;       ///< 1 / sqrt(x)
  [[nodiscard]] virtual float reciprocal(float x) const = 0;  ///< 1 / x
  [[nodiscard]] virtual float silu(float x) const = 0;        ///< x / (1 + exp(-x))
  [[nodiscard]] virtual float sin(float x) const = 0;
  [[nodiscard]] virtual float cos(float x) const = 0;
};

/// The host's libm in llama2.c's forms (1.0f / sqrtf(x), x * (1.0f / (1.0f + expf(-x)))):
/// the stand-in until the PE's sequences exist. Results depend on the libm, so nothing
/// bit-exact may be pinned to it.
class LibmFunctions final : public SpecialFunctions {
 public:
  [[nodiscard]] float exp(float x) const override;
  [[nodiscard]] float rsqrt(float x) const override;
  [[nodiscard]] float reciprocal(float x) const override;
  [[nodiscard]] float silu(float x) const override;
  [[nodiscard]] float sin(float x) const override;
  [[nodiscard]] float cos(float x) const override;
};

/// A shared immutable LibmFunctions.
[[nodiscard]] const SpecialFunctions& libm_functions();

}  // namespace wm::sw::model
