#pragma once
// The float32 forward pass with every operation explicit and in a stated order: the golden
// model of the mesh once the mapper supplies its sum orders (special functions: sw/ref's).

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "wm/sw/model/pe_functions.hpp"
#include "wm/sw/model/special_functions.hpp"
#include "wm/sw/model/sum_order.hpp"
#include "wm/sw/model/weights.hpp"

namespace wm::sw::model {

/// The host-computed float32 constants of the forward pass. The mapper must put exactly these
/// bits into the SRAM images, so they are computed in one place.
/// float(1 / sqrt(head_size)): scales attention scores.
[[nodiscard]] float inv_sqrt_head_size(int head_size);
/// float(1 / n): turns RMSNorm's sum of squares into a mean.
[[nodiscard]] float inverse_length(std::int64_t n);

/// Operation by operation (each line one float rounding, no fused multiply-add):
///   rmsnorm:  p_i = x_i * x_i; ss = sum(p) [order]; m = ss * inverse_length(n);
///             m = m + 1e-5f; r = rsqrt(m); out_i = w_i * (r * x_i)
///   gemv:     p_j = W_rj * x_j; y_r = sum(p) [order per row]
///   rope:     (c, s) = rope(pos, j, head_size) for the pair j = (2j, 2j+1) of a head;
///             (v0, v1) -> (v0 * c - v1 * s, v0 * s + v1 * c)
///   score:    p_i = q_i * k_i; s = sum(p) [order]; s = s * inv_sqrt_head_size(head_size)
///   softmax:  m = max_t s_t (exact in any order); e_t = exp(s_t - m); z = sum(e) [order];
///             r = reciprocal(z); a_t = e_t * r
///   value:    p_t = a_t * v_t,i; out_i = sum(p) [order]
///   residual: x_i = x_i + y_i
///   swiglu:   h_i = silu(h1_i) * h3_i
/// Sums follow the OrderPolicy, special functions the SpecialFunctions, both borrowed.
class FloatDecoder {
 public:
  /// Borrows all three, which must outlive the decoder.
  FloatDecoder(const Weights& w, const OrderPolicy& order = sequential_order(),
               const SpecialFunctions& fn = pe_functions());

  /// Runs `token` at position `pos`; returns the logits (valid until the next call).
  /// Positions run in order as for ReferenceDecoder.
  std::span<const float> forward(int token, int pos);

  /// One intermediate vector of a forward pass, to find where a mismatch against the mesh
  /// starts: the result of `stage` in `layer` (-1 for rms_final and classifier), before any
  /// later operation touches it (q and k before RoPE, w1 before SiLU; attn_value is every
  /// head's attention output, the input of Wo).
  struct Observation {
    Stage stage;
    int layer;
    std::span<const float> values;
  };
  using Observer = std::function<void(const Observation&)>;
  /// Called after every norm, GEMV and attention of each forward; an empty one stops it.
  void set_observer(Observer o) { observer_ = std::move(o); }

  [[nodiscard]] const Config& config() const { return w_.config; }
  [[nodiscard]] std::span<const float> residual() const { return x_; }

 private:
  float sum(std::span<const float> terms, const SumSite& site);
  void rmsnorm(std::span<float> out, std::span<const float> x, std::span<const float> w,
               const SumSite& site);
  void gemv(std::span<float> y, const MatrixView& m, std::span<const float> x, Stage stage,
            int layer);

  const Weights& w_;
  const OrderPolicy& order_;
  const SpecialFunctions& fn_;
  void observe(Stage stage, int layer, std::span<const float> values) const {
    if (observer_) {
      observer_({stage, layer, values});
    }
  }

  Observer observer_;
  int filled_ = 0;
  float inv_sqrt_hs_;
  std::vector<float> x_, xb_, xb2_, q_, hb_, hb2_, att_, logits_;
  std::vector<float> key_cache_, value_cache_;  // (layer, seq_len, kv_dim)
  std::vector<float> terms_, partials_;         // scratch of every sum
};

}  // namespace wm::sw::model
