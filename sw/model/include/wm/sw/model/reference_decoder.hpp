#pragma once
// The double-precision reference: llama2.c's forward pass in double, the yardstick for the
// float32 golden model's rounding error.

#include <span>
#include <vector>

#include "wm/sw/model/weights.hpp"

namespace wm::sw::model {

class ReferenceDecoder {
 public:
  /// Borrows `w`, which must outlive the decoder.
  explicit ReferenceDecoder(const Weights& w);

  /// Runs `token` at position `pos` and returns the logits (valid until the next call).
  /// Positions must be fed in order: pos may be at most one past the last one run (a smaller
  /// pos rewinds the KV cache).
  std::span<const double> forward(int token, int pos);

  [[nodiscard]] const Config& config() const { return w_.config; }
  /// The residual stream after the last layer of the last forward (before the final norm).
  [[nodiscard]] std::span<const double> residual() const { return x_; }

 private:
  void rmsnorm(std::span<double> out, std::span<const double> x, std::span<const float> w) const;
  static void gemv(std::span<double> y, const MatrixView& m, std::span<const double> x);

  const Weights& w_;
  int filled_ = 0;  // positions with a valid KV cache entry
  std::vector<double> x_, xb_, xb2_, q_, hb_, hb2_, att_, logits_;
  std::vector<double> key_cache_, value_cache_;  // (layer, seq_len, kv_dim)
};

}  // namespace wm::sw::model
