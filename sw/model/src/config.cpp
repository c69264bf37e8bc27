#include "wm/sw/model/config.hpp"

#include <fmt/format.h>

#include <array>

namespace wm::sw::model {

const char* field_name(HeaderField f) {
  static constexpr std::array<const char*, header_fields> names = {
      "dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"};
  return names.at(static_cast<std::size_t>(f));
}

namespace {

void check_range(HeaderField f, std::int64_t v, std::int64_t limit) {
  if (v < 1 || v > limit) {
    throw ConfigError(
        ConfigError::Kind::bad_value, f,
        fmt::format("{} = {} is out of range (must be 1..{})", field_name(f), v, limit));
  }
}

}  // namespace

void validate(const Config& c) {
  using F = HeaderField;
  using L = ConfigLimits;
  check_range(F::dim, c.dim, L::max_dim);
  check_range(F::hidden_dim, c.hidden_dim, L::max_hidden_dim);
  check_range(F::n_layers, c.n_layers, L::max_layers);
  check_range(F::n_heads, c.n_heads, c.dim);
  check_range(F::n_kv_heads, c.n_kv_heads, L::max_dim);
  check_range(F::vocab_size, c.vocab_size, L::max_vocab);
  check_range(F::seq_len, c.seq_len, L::max_seq_len);
  const auto shape_error = [](F f, const std::string& what) {
    return ConfigError(ConfigError::Kind::bad_shape, f, what);
  };
  if (c.dim % c.n_heads != 0) {
    throw shape_error(F::n_heads,
                      fmt::format("dim = {} is not divisible by n_heads = {}", c.dim, c.n_heads));
  }
  if (c.n_kv_heads > c.n_heads || c.n_heads % c.n_kv_heads != 0) {
    throw shape_error(
        F::n_kv_heads,
        fmt::format("n_heads = {} is not a multiple of n_kv_heads = {}", c.n_heads, c.n_kv_heads));
  }
  if (c.head_size() % 2 != 0) {
    throw shape_error(F::n_heads,
                      fmt::format("head_size = dim / n_heads = {} / {} = {} is odd; RoPE needs "
                                  "pairs",
                                  c.dim, c.n_heads, c.head_size()));
  }
}

std::string describe(const Config& c) {
  return fmt::format(
      "dim={} hidden_dim={} n_layers={} n_heads={} n_kv_heads={} vocab_size={} seq_len={} {} "
      "classifier",
      c.dim, c.hidden_dim, c.n_layers, c.n_heads, c.n_kv_heads, c.vocab_size, c.seq_len,
      c.shared_classifier ? "shared" : "separate");
}

std::int64_t checked_mul(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) {
    throw std::overflow_error(fmt::format("size {} * {} overflows 64 bits", a, b));
  }
  return r;
}

std::int64_t checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) {
    throw std::overflow_error(fmt::format("size {} + {} overflows 64 bits", a, b));
  }
  return r;
}

std::vector<TensorInfo> checkpoint_layout(const Config& c) {
  validate(c);
  const std::int64_t layers = c.n_layers;
  const std::int64_t dim = c.dim;
  const std::int64_t hidden = c.hidden_dim;
  const std::int64_t kv = c.kv_dim();
  const std::int64_t vocab = c.vocab_size;
  std::vector<TensorInfo> t;
  std::int64_t offset = header_bytes;
  const auto add = [&](const char* name, bool per_layer, std::int64_t rows, std::int64_t cols,
                       bool legacy = false) {
    const std::int64_t n = per_layer ? layers : 1;
    const std::int64_t bytes = checked_mul(4, checked_mul(n, checked_mul(rows, cols)));
    t.push_back({name, n, rows, cols, offset, per_layer, legacy});
    offset = checked_add(offset, bytes);
  };
  add("token_embedding", false, vocab, dim);
  add("rms_att", true, 1, dim);
  add("wq", true, dim, dim);
  add("wk", true, kv, dim);
  add("wv", true, kv, dim);
  add("wo", true, dim, dim);
  add("rms_ffn", true, 1, dim);
  add("w1", true, hidden, dim);
  add("w2", true, dim, hidden);
  add("w3", true, hidden, dim);
  add("rms_final", false, 1, dim);
  add("freq_cis_real", false, c.seq_len, c.head_size() / 2, true);
  add("freq_cis_imag", false, c.seq_len, c.head_size() / 2, true);
  if (!c.shared_classifier) {
    add("wcls", false, vocab, dim);
  }
  return t;
}

std::int64_t checkpoint_bytes(const Config& c) {
  const auto t = checkpoint_layout(c);
  return checked_add(t.back().offset, t.back().bytes());
}

Footprint footprint(const Config& c) {
  validate(c);
  const std::int64_t dim = c.dim;
  const std::int64_t hidden = c.hidden_dim;
  const std::int64_t kv = c.kv_dim();
  const std::int64_t vocab = c.vocab_size;
  Footprint f{};
  f.weights_per_layer = checked_add(
      checked_add(checked_mul(2, dim), checked_mul(2, checked_mul(dim, dim))),
      checked_add(checked_mul(2, checked_mul(kv, dim)), checked_mul(3, checked_mul(hidden, dim))));
  f.weights_global =
      checked_add(checked_mul(c.shared_classifier ? 1 : 2, checked_mul(vocab, dim)), dim);
  f.kv_cache_per_layer = checked_mul(2, checked_mul(c.seq_len, kv));
  f.activations = checked_add(checked_add(checked_mul(4, dim), checked_mul(2, hidden)),
                              checked_add(checked_mul(c.n_heads, c.seq_len), vocab));
  return f;
}

std::int64_t Footprint::total(std::int64_t layers) const {
  return checked_add(
      checked_add(checked_mul(layers, checked_add(weights_per_layer, kv_cache_per_layer)),
                  weights_global),
      activations);
}

}  // namespace wm::sw::model
