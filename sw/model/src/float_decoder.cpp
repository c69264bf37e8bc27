#include "wm/sw/model/float_decoder.hpp"

#include <algorithm>
#include <cmath>

#include "wm/sw/model/decode.hpp"

namespace wm::sw::model {

namespace {
constexpr float rms_eps = 1e-5F;
}

float inv_sqrt_head_size(int head_size) {
  return static_cast<float>(1.0 / std::sqrt(static_cast<double>(head_size)));
}

float inverse_length(std::int64_t n) { return static_cast<float>(1.0 / static_cast<double>(n)); }

FloatDecoder::FloatDecoder(const Weights& w, const OrderPolicy& order, const SpecialFunctions& fn)
    : w_(w), order_(order), fn_(fn) {
  const Config& c = w.config;
  const auto n = [](std::int64_t v) { return static_cast<std::size_t>(v); };
  const int hs = c.head_size();
  inv_sqrt_hs_ = inv_sqrt_head_size(hs);
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
  terms_.resize(n(std::max({c.dim, c.hidden_dim, c.seq_len})));
}

float FloatDecoder::sum(std::span<const float> terms, const SumSite& site) {
  const SumOrder& o = order_.order(site, static_cast<std::int64_t>(terms.size()));
  if (!o.bounds.empty() && partials_.size() < o.bounds.size()) {
    partials_.resize(o.bounds.size());  // grows once per new chunk count, never in steady state
  }
  return ordered_sum(terms, o, partials_);
}

void FloatDecoder::rmsnorm(std::span<float> out, std::span<const float> x, std::span<const float> w,
                           const SumSite& site) {
  const std::span<float> p(terms_.data(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    p[i] = x[i] * x[i];
  }
  const float ss = sum(p, site);
  float m = ss * inverse_length(static_cast<std::int64_t>(x.size()));
  m = m + rms_eps;
  const float r = fn_.rsqrt(m);
  for (std::size_t i = 0; i < x.size(); ++i) {
    out[i] = w[i] * (r * x[i]);
  }
  observe(site.stage, site.layer, out);
}

void FloatDecoder::gemv(std::span<float> y, const MatrixView& m, std::span<const float> x,
                        Stage stage, int layer) {
  const std::span<float> p(terms_.data(), static_cast<std::size_t>(m.cols));
  for (std::int64_t r = 0; r < m.rows; ++r) {
    const auto row = m.row(r);
    for (std::size_t c = 0; c < p.size(); ++c) {
      p[c] = row[c] * x[c];
    }
    y[static_cast<std::size_t>(r)] = sum(p, {stage, layer, 0, r});
  }
  observe(stage, layer, y);
}

std::span<const float> FloatDecoder::forward(int token, int pos) {
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
    const std::span<float> k(key_cache_.data() + layer_off + pos * kv_dim, kv_dim);
    const std::span<float> v(value_cache_.data() + layer_off + pos * kv_dim, kv_dim);

    rmsnorm(xb_, x_, L.rms_att, {Stage::rms_att, l});
    gemv(q_, L.wq, xb_, Stage::wq, l);
    gemv(k, L.wk, xb_, Stage::wk, l);
    gemv(v, L.wv, xb_, Stage::wv, l);

    for (std::size_t i = 0; i < dim; i += 2) {
      const RopeCosSin cs = fn_.rope(pos, static_cast<int>((i % hs) / 2), c.head_size());
      const auto rotate = [&](std::span<float> vec) {
        const float v0 = vec[i];
        const float v1 = vec[i + 1];
        vec[i] = v0 * cs.c - v1 * cs.s;
        vec[i + 1] = v0 * cs.s + v1 * cs.c;
      };
      rotate(q_);
      if (i < kv_dim) {
        rotate(k);
      }
    }

    const auto positions = static_cast<std::size_t>(pos) + 1;
    for (int h = 0; h < c.n_heads; ++h) {
      const float* qh = q_.data() + h * hs;
      const std::size_t kv_off = static_cast<std::size_t>(h / c.kv_mul()) * hs;
      const std::span<float> p_hs(terms_.data(), hs);
      for (std::size_t t = 0; t < positions; ++t) {
        const float* kt = key_cache_.data() + layer_off + t * kv_dim + kv_off;
        for (std::size_t i = 0; i < hs; ++i) {
          p_hs[i] = qh[i] * kt[i];
        }
        att_[t] = sum(p_hs, {Stage::attn_score, l, h, static_cast<std::int64_t>(t)}) * inv_sqrt_hs_;
      }
      float max = att_[0];
      for (std::size_t t = 1; t < positions; ++t) {
        max = std::max(max, att_[t]);
      }
      for (std::size_t t = 0; t < positions; ++t) {
        att_[t] = fn_.exp(att_[t] - max);
      }
      const float r = fn_.reciprocal(
          sum(std::span<const float>(att_.data(), positions), {Stage::softmax_sum, l, h}));
      for (std::size_t t = 0; t < positions; ++t) {
        att_[t] = att_[t] * r;
      }
      const std::span<float> p_t(terms_.data(), positions);
      for (std::size_t i = 0; i < hs; ++i) {
        for (std::size_t t = 0; t < positions; ++t) {
          p_t[t] = att_[t] * value_cache_[layer_off + t * kv_dim + kv_off + i];
        }
        xb_[h * hs + i] = sum(p_t, {Stage::attn_value, l, h, static_cast<std::int64_t>(i)});
      }
    }
    observe(Stage::attn_value, l, xb_);
    gemv(xb2_, L.wo, xb_, Stage::wo, l);
    for (std::size_t i = 0; i < dim; ++i) {
      x_[i] = x_[i] + xb2_[i];
    }

    rmsnorm(xb_, x_, L.rms_ffn, {Stage::rms_ffn, l});
    gemv(hb_, L.w1, xb_, Stage::w1, l);
    gemv(hb2_, L.w3, xb_, Stage::w3, l);
    for (std::size_t i = 0; i < hb_.size(); ++i) {
      hb_[i] = fn_.silu(hb_[i]) * hb2_[i];
    }
    gemv(xb_, L.w2, hb_, Stage::w2, l);
    for (std::size_t i = 0; i < dim; ++i) {
      x_[i] = x_[i] + xb_[i];
    }
  }

  rmsnorm(xb_, x_, w_.rms_final, {Stage::rms_final, -1});
  gemv(logits_, w_.classifier(), xb_, Stage::classifier, -1);
  filled_ = pos + 1;
  return logits_;
}

}  // namespace wm::sw::model
