#include "wm/sw/model/weights.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace wm::sw::model {

namespace {

std::span<const float> slice(const std::vector<float>& v, std::int64_t index, std::int64_t n) {
  return std::span<const float>(v).subspan(static_cast<std::size_t>(index * n),
                                           static_cast<std::size_t>(n));
}

MatrixView matrix(const std::vector<float>& v, int l, std::int64_t rows, std::int64_t cols) {
  return {slice(v, l, rows * cols), rows, cols};
}

template <class Self>
auto tensors_of(Self& w) {
  using Vec = std::remove_reference_t<decltype((w.wq))>;
  std::vector<Weights::Tensor<Vec>> t = {{"token_embedding", &w.token_embedding},
                                         {"rms_att", &w.rms_att},
                                         {"wq", &w.wq},
                                         {"wk", &w.wk},
                                         {"wv", &w.wv},
                                         {"wo", &w.wo},
                                         {"rms_ffn", &w.rms_ffn},
                                         {"w1", &w.w1},
                                         {"w2", &w.w2},
                                         {"w3", &w.w3},
                                         {"rms_final", &w.rms_final}};
  if (!w.config.shared_classifier) {
    t.push_back({"wcls", &w.wcls});
  }
  return t;
}

}  // namespace

Weights Weights::zeros(const Config& c) {
  Weights w;
  w.config = c;
  const auto list = w.tensors();
  auto dst = list.begin();
  for (const TensorInfo& t : checkpoint_layout(c)) {
    if (!t.legacy) {
      (dst++)->data->assign(static_cast<std::size_t>(t.elements()), 0.0F);
    }
  }
  return w;
}

std::vector<Weights::Tensor<std::vector<float>>> Weights::tensors() { return tensors_of(*this); }

std::vector<Weights::Tensor<const std::vector<float>>> Weights::tensors() const {
  return tensors_of(*this);
}

LayerView Weights::layer(int l) const {
  const Config& c = config;
  if (l < 0 || l >= c.n_layers) {
    throw std::out_of_range(fmt::format("layer {} out of range 0..{}", l, c.n_layers - 1));
  }
  const std::int64_t dim = c.dim;
  const std::int64_t kv = c.kv_dim();
  const std::int64_t hidden = c.hidden_dim;
  return {slice(rms_att, l, dim),     matrix(wq, l, dim, dim),    matrix(wk, l, kv, dim),
          matrix(wv, l, kv, dim),     matrix(wo, l, dim, dim),    slice(rms_ffn, l, dim),
          matrix(w1, l, hidden, dim), matrix(w2, l, dim, hidden), matrix(w3, l, hidden, dim)};
}

std::span<const float> Weights::embedding(int token) const {
  if (token < 0 || token >= config.vocab_size) {
    throw std::out_of_range(
        fmt::format("token {} out of range 0..{}", token, config.vocab_size - 1));
  }
  return slice(token_embedding, token, config.dim);
}

MatrixView Weights::classifier() const {
  const auto& v = config.shared_classifier ? token_embedding : wcls;
  return {std::span<const float>(v), config.vocab_size, config.dim};
}

}  // namespace wm::sw::model
