#pragma once
// The float32 special functions of the forward pass, behind one interface: the PE defines each
// as an exact instruction sequence (sw/ref), and the golden model must call that sequence.

namespace wm::sw::model {

/// RoPE's rotation for one pair of a head: (v0, v1) -> (v0 * c - v1 * s, v0 * s + v1 * c).
struct RopeCosSin {
  float c;
  float s;
};

class SpecialFunctions {
 public:
  virtual ~SpecialFunctions() = default;
  [[nodiscard]] virtual float exp(float x) const = 0;
  [[nodiscard]] virtual float rsqrt(float x) const = 0;       ///< 1 / sqrt(x)
  [[nodiscard]] virtual float reciprocal(float x) const = 0;  ///< 1 / x
  [[nodiscard]] virtual float silu(float x) const = 0;        ///< x / (1 + exp(-x))
  /// cos and sin of pos * 10000^(-2 pair / head_size): a table the host computes for the PE.
  [[nodiscard]] virtual RopeCosSin rope(int pos, int pair, int head_size) const = 0;
};

/// The host's libm in llama2.c's forms (expf, 1.0f / sqrtf(x), x * (1.0f / (1.0f + expf(-x))),
/// run.c's float RoPE formula). Results depend on the libm, so nothing bit-exact may be pinned
/// to it; it is the yardstick for the PE's sequences.
class LibmFunctions final : public SpecialFunctions {
 public:
  [[nodiscard]] float exp(float x) const override;
  [[nodiscard]] float rsqrt(float x) const override;
  [[nodiscard]] float reciprocal(float x) const override;
  [[nodiscard]] float silu(float x) const override;
  [[nodiscard]] RopeCosSin rope(int pos, int pair, int head_size) const override;
};

/// A shared immutable LibmFunctions.
[[nodiscard]] const SpecialFunctions& libm_functions();

}  // namespace wm::sw::model
