#pragma once
// The shape of a llama-style decoder and the byte layout of its llama2.c checkpoint.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace wm::sw::model {

/// The 7-int32 llama2.c header, with the classifier's sign pulled out into a flag. The
/// defaults are the embedded default model's shape.
struct Config {
  std::int32_t dim = 64;
  std::int32_t hidden_dim = 172;
  std::int32_t n_layers = 2;
  std::int32_t n_heads = 4;
  std::int32_t n_kv_heads = 4;
  std::int32_t vocab_size = 256;  ///< always positive; the header stores -vocab when !shared
  std::int32_t seq_len = 64;
  /// true: the classifier is the token embedding (no wcls tensor in the file). The default
  /// model has its own classifier: its greedy decode varies more (see generator.cpp).
  bool shared_classifier = false;

  [[nodiscard]] int head_size() const { return dim / n_heads; }
  [[nodiscard]] int kv_dim() const { return head_size() * n_kv_heads; }
  /// Query heads sharing one key/value head (GQA); 1 for plain multi-head attention.
  [[nodiscard]] int kv_mul() const { return n_heads / n_kv_heads; }

  bool operator==(const Config&) const = default;
};

/// Upper bounds past which a header is taken to be garbage rather than a model. They are far
/// above anything a mesh of 32 x 32 tiles can hold; the mapper applies the real capacity check.
struct ConfigLimits {
  static constexpr std::int32_t max_dim = 1 << 16;
  static constexpr std::int32_t max_hidden_dim = 1 << 18;
  static constexpr std::int32_t max_layers = 4096;
  static constexpr std::int32_t max_vocab = 1 << 22;
  static constexpr std::int32_t max_seq_len = 1 << 20;
};

/// The header fields in file order; the byte offset of field f is 4 * f.
enum class HeaderField : int {
  dim,
  hidden_dim,
  n_layers,
  n_heads,
  n_kv_heads,
  vocab_size,
  seq_len
};
inline constexpr int header_fields = 7;
inline constexpr std::int64_t header_bytes = 4 * header_fields;
[[nodiscard]] const char* field_name(HeaderField f);

/// A config that breaks a rule, naming the header field at fault.
class ConfigError : public std::invalid_argument {
 public:
  enum class Kind {
    bad_value,  ///< a field is non-positive or absurdly large
    bad_shape   ///< fields disagree (divisibility, odd head size, n_kv_heads > n_heads)
  };
  ConfigError(Kind kind, HeaderField field, const std::string& what)
      : std::invalid_argument(what), kind_(kind), field_(field) {}
  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] HeaderField field() const { return field_; }

 private:
  Kind kind_;
  HeaderField field_;
};

/// Throws ConfigError for the first broken rule: every field in [1, limit]; dim divisible by
/// n_heads; n_heads a multiple of n_kv_heads; even head_size (RoPE rotates adjacent pairs).
void validate(const Config& c);

/// "dim=64 hidden_dim=172 n_layers=2 n_heads=4 n_kv_heads=4 vocab_size=256 seq_len=64 shared
/// classifier": the form every message and report uses.
[[nodiscard]] std::string describe(const Config& c);

/// One tensor of the checkpoint, in file order. Matrices are (rows = out, cols = in) row-major,
/// `layers` of them back to back; vectors have rows = 1.
struct TensorInfo {
  const char* name;
  std::int64_t layers;
  std::int64_t rows;
  std::int64_t cols;
  std::int64_t offset;  ///< byte offset in the file
  bool per_layer;       ///< one slice per layer (even when n_layers = 1)
  bool legacy;          ///< the unused RoPE tables: in the file, never loaded
  [[nodiscard]] std::int64_t elements() const { return layers * rows * cols; }
  [[nodiscard]] std::int64_t bytes() const { return 4 * elements(); }
};

/// Every tensor of a checkpoint with `c` (validated first), in file order, with byte offsets;
/// all size arithmetic is overflow-checked.
[[nodiscard]] std::vector<TensorInfo> checkpoint_layout(const Config& c);
/// Exact size in bytes of a checkpoint file with `c`.
[[nodiscard]] std::int64_t checkpoint_bytes(const Config& c);

/// The storage a decode needs, in 32-bit words, for the mapper's capacity check.
struct Footprint {
  std::int64_t weights_per_layer;   ///< rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3
  std::int64_t weights_global;      ///< embedding, rms_final and the classifier if separate
  std::int64_t kv_cache_per_layer;  ///< keys and values for seq_len positions: 2 * seq_len * kv_dim
  std::int64_t activations;         ///< x, xb, xb2, q, hb, hb2, att (n_heads * seq_len), logits
  [[nodiscard]] std::int64_t total(std::int64_t layers) const;
};
[[nodiscard]] Footprint footprint(const Config& c);

/// a * b and a + b on sizes; throw std::overflow_error rather than wrap.
[[nodiscard]] std::int64_t checked_mul(std::int64_t a, std::int64_t b);
[[nodiscard]] std::int64_t checked_add(std::int64_t a, std::int64_t b);

}  // namespace wm::sw::model
