#include "wm/sw/model/reference_decoder.hpp"

#include <cmath>

#include "wm/sw/model/decode.hpp"

namespace wm::sw::model {

namespace {
constexpr double rms_eps = 1e-5;
}

ReferenceDecoder::ReferenceDecoder(const Weights& w) : w_(w) {
  const Config& c = w.config;
  const auto n = [](std::int64_t v) { return static_cast<std::size_t>(v); };
  x_.resize(n(c.dim));
  xb_.resize(n(c.dim));
  xb2_.resize(n(c.dim));
  q_.resize(n(c.dim));
  hb_.resize(n(c.hidden_dim));
  hb2_.resize(n(c.hidden_dim));
  att_.resize(n(c.seq_len));
  logits_.resize(n(c.vocab_size));
  const std::int64_t cache = checked_mul(checked_mul(c.n_layers, c.seq_len), c.kv_dim());
  key_cache_.resize(n(cache));
  value_cache_.resize(n(cache));
}

void ReferenceDecoder::rmsnorm(std::span<double> out, std::span<const double> x,
                               std::span<const float> w) const {
  double ss = 0.0;
  for (const double v : x) {
    ss += v * v;
  }
  const double r = 1.0 / std::sqrt(ss / static_cast<double>(x.size()) + rms_eps);
  for (std::size_t i = 0; i < x.size(); ++i) {
    out[i] = w[i] * (r * x[i]);
  }
}

void ReferenceDecoder::gemv(std::span<double> y, const MatrixView& m, std::span<const double> x) {
  for (std::int64_t r = 0; r < m.rows; ++r) {
    const auto row = m.row(r);
    double acc = 0.0;
    for (std::size_t c = 0; c < row.size(); ++c) {
      acc += row[c] * x[c];
    }
    y[static_cast<std::size_t>(r)] = acc;
  }
}

std::span<const double> ReferenceDecoder::forward(int token, int pos) {
  const Config& c = w_.config;
  check_position(c, pos, filled_);
  const auto emb = w_.embedding(token);
  std::copy(emb.begin(), emb.end(), x_.begin());
  const auto hs = static_cast<std::size_t>(c.head_size());
  const auto kv_dim = static_cast<std::size_t>(c.kv_dim());
  const auto dim = static_cast<std::size_t>(c.dim);

  for (int l = 0; l < c.n_layers; ++l) {
    const LayerView L = w_.layer(l);
    const std::size_t layer_off = static_cast<std::size_t>(l) * c.seq_len * kv_dim;
    const std::span<double> k(key_cache_.data() + layer_off + pos * kv_dim, kv_dim);
    const std::span<double> v(value_cache_.data() + layer_off + pos * kv_dim, kv_dim);

    rmsnorm(xb_, x_, L.rms_att);
    gemv(q_, L.wq, xb_);
    gemv(k, L.wk, xb_);
    gemv(v, L.wv, xb_);

    for (std::size_t i = 0; i < dim; i += 2) {
      const double freq = std::pow(10000.0, -static_cast<double>(i % hs) / static_cast<double>(hs));
      const double theta = pos * freq;
      const double cr = std::cos(theta);
      const double ci = std::sin(theta);
      const auto rotate = [&](std::span<double> vec) {
        const double v0 = vec[i];
        const double v1 = vec[i + 1];
        vec[i] = v0 * cr - v1 * ci;
        vec[i + 1] = v0 * ci + v1 * cr;
      };
      rotate(q_);
      if (i < kv_dim) {
        rotate(k);
      }
    }

    for (int h = 0; h < c.n_heads; ++h) {
      const double* qh = q_.data() + h * hs;
      const std::size_t kv_off = static_cast<std::size_t>(h / c.kv_mul()) * hs;
      double max = -INFINITY;
      for (int t = 0; t <= pos; ++t) {
        const double* kt = key_cache_.data() + layer_off + t * kv_dim + kv_off;
        double score = 0.0;
        for (std::size_t i = 0; i < hs; ++i) {
          score += qh[i] * kt[i];
        }
        att_[t] = score / std::sqrt(static_cast<double>(hs));
        max = std::max(max, att_[t]);
      }
      double sum = 0.0;
      for (int t = 0; t <= pos; ++t) {
        att_[t] = std::exp(att_[t] - max);
        sum += att_[t];
      }
      double* out = xb_.data() + h * hs;
      std::fill(out, out + hs, 0.0);
      for (int t = 0; t <= pos; ++t) {
        const double a = att_[t] / sum;
        const double* vt = value_cache_.data() + layer_off + t * kv_dim + kv_off;
        for (std::size_t i = 0; i < hs; ++i) {
          out[i] += a * vt[i];
        }
      }
    }
    gemv(xb2_, L.wo, xb_);
    for (std::size_t i = 0; i < dim; ++i) {
      x_[i] += xb2_[i];
    }

    rmsnorm(xb_, x_, L.rms_ffn);
    gemv(hb_, L.w1, xb_);
    gemv(hb2_, L.w3, xb_);
    for (std::size_t i = 0; i < hb_.size(); ++i) {
      hb_[i] = hb_[i] / (1.0 + std::exp(-hb_[i])) * hb2_[i];
    }
    gemv(xb_, L.w2, hb_);
    for (std::size_t i = 0; i < dim; ++i) {
      x_[i] += xb_[i];
    }
  }

  rmsnorm(xb_, x_, w_.rms_final);
  gemv(logits_, w_.classifier(), xb_);
  filled_ = pos + 1;
  return logits_;
}

}  // namespace wm::sw::model
