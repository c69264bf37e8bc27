#pragma once
// The weights of a llama-style decoder, held in llama2.c order as float32.

#include <cstdint>
#include <span>
#include <vector>

#include "wm/sw/model/config.hpp"

namespace wm::sw::model {

/// A row-major (rows = out, cols = in) float matrix borrowed from Weights.
struct MatrixView {
  std::span<const float> data;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  [[nodiscard]] std::span<const float> row(std::int64_t r) const {
    return data.subspan(static_cast<std::size_t>(r * cols), static_cast<std::size_t>(cols));
  }
};

/// One transformer layer's tensors, borrowed from Weights.
struct LayerView {
  std::span<const float> rms_att;  ///< (dim)
  MatrixView wq;                   ///< (dim, dim)
  MatrixView wk;                   ///< (kv_dim, dim)
  MatrixView wv;                   ///< (kv_dim, dim)
  MatrixView wo;                   ///< (dim, dim)
  std::span<const float> rms_ffn;  ///< (dim)
  MatrixView w1;                   ///< (hidden_dim, dim)
  MatrixView w2;                   ///< (dim, hidden_dim)
  MatrixView w3;                   ///< (hidden_dim, dim)
};

/// Every tensor of a checkpoint except the unused legacy RoPE tables, each flattened in file
/// order (layers outermost). `wcls` is empty when the classifier is shared with the embedding.
struct Weights {
  Config config;
  std::vector<float> token_embedding;
  std::vector<float> rms_att;
  std::vector<float> wq;
  std::vector<float> wk;
  std::vector<float> wv;
  std::vector<float> wo;
  std::vector<float> rms_ffn;
  std::vector<float> w1;
  std::vector<float> w2;
  std::vector<float> w3;
  std::vector<float> rms_final;
  std::vector<float> wcls;

  /// Zero weights of the right sizes for `c` (validated).
  static Weights zeros(const Config& c);

  [[nodiscard]] LayerView layer(int l) const;
  [[nodiscard]] std::span<const float> embedding(int token) const;
  /// The classifier: wcls, or the token embedding when shared.
  [[nodiscard]] MatrixView classifier() const;

  /// The loaded tensors in file order with their llama2.c names (legacy tables excluded),
  /// so loader, writer and generator walk one list.
  template <class Vec>
  struct Tensor {
    const char* name;
    Vec* data;
  };
  [[nodiscard]] std::vector<Tensor<std::vector<float>>> tensors();
  [[nodiscard]] std::vector<Tensor<const std::vector<float>>> tensors() const;

  bool operator==(const Weights&) const = default;
};

}  // namespace wm::sw::model
