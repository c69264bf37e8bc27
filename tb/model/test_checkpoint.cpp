// The llama2.c checkpoint: round trips, the byte layout, and one specific error per way a file
// can be broken.

#include <array>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <map>

#include "test_util.hpp"
#include "wm/sw/model/checkpoint.hpp"
#include "wm/sw/model/generator.hpp"
#include "wm/sw/model/prng.hpp"

namespace wm::tb::model {
namespace {

using namespace wm::sw::model;
using Kind = CheckpointError::Kind;

Config small_config() {
  Config c;
  c.dim = 16;
  c.hidden_dim = 24;
  c.n_layers = 2;
  c.n_heads = 4;
  c.n_kv_heads = 2;
  c.vocab_size = 10;
  c.seq_len = 8;
  c.shared_classifier = false;
  return c;
}

std::vector<std::byte> small_file(bool shared = false) {
  Config c = small_config();
  c.shared_classifier = shared;
  return serialize_checkpoint(generate({c, 7}));
}

// Writes `bytes`, loads them, and checks the error's kind and that its one-line message names
// the file and every fragment in `says`.
void expect_error(const std::vector<std::byte>& bytes, Kind kind,
                  std::initializer_list<std::string_view> says) {
  const TempDir dir;
  const auto path = dir.file("bad.bin");
  write_bytes(path, bytes);
  try {
    (void)load_checkpoint(path);
    BOOST_FAIL("load_checkpoint accepted a malformed file");
  } catch (const CheckpointError& e) {
    const std::string msg = e.what();
    BOOST_TEST_MESSAGE(msg);
    BOOST_TEST(static_cast<int>(e.kind()) == static_cast<int>(kind), "kind of: " << msg);
    BOOST_TEST(msg.find('\n') == std::string::npos);
    BOOST_TEST(msg.find(path.string()) == 0U, "message starts with the file: " << msg);
    for (const std::string_view s : says) {
      BOOST_TEST(msg.find(s) != std::string::npos, "'" << s << "' in: " << msg);
    }
  }
  // The in-memory parser gives the same verdict.
  BOOST_CHECK_EXCEPTION((void)parse_checkpoint(bytes, "mem"), CheckpointError,
                        [&](const CheckpointError& e) { return e.kind() == kind; });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(checkpoint)

BOOST_AUTO_TEST_CASE(round_trip_through_a_file) {
  for (const bool shared : {false, true}) {
    for (const int kv_heads : {4, 2, 1}) {
      Config c = small_config();
      c.shared_classifier = shared;
      c.n_kv_heads = kv_heads;
      const Weights w = generate({c, 99});
      const TempDir dir;
      write_checkpoint(dir.file("sub/m.bin"), w);
      BOOST_TEST(std::filesystem::file_size(dir.file("sub/m.bin")) ==
                 static_cast<std::uintmax_t>(checkpoint_bytes(c)));
      const Weights back = load_checkpoint(dir.file("sub/m.bin"));
      BOOST_TEST((back.config == c));
      BOOST_TEST((back == w));
      BOOST_TEST(back.wcls.empty() == shared);
    }
  }
}

BOOST_AUTO_TEST_CASE(byte_layout_is_llama2c_order) {
  // Offsets worked out by hand from llama2.c's run.c memory_map_weights, not from our layout.
  const Config c = small_config();  // dim 16, hidden 24, 2 layers, kv_dim 8, vocab 10, seq 8
  const Weights w = generate({c, 3});
  const auto b = serialize_checkpoint(w);
  BOOST_TEST(static_cast<std::int32_t>(get_u32(b, 20)) == -10);  // separate classifier
  BOOST_TEST(get_u32(b, 0) == 16U);
  BOOST_TEST(get_u32(b, 24) == 8U);
  const std::int64_t emb = 28;
  const std::int64_t rms_att = emb + 4 * 10 * 16;
  const std::int64_t wq = rms_att + 4 * 2 * 16;
  const std::int64_t wk = wq + 4 * 2 * 16 * 16;
  const std::int64_t wv = wk + 4 * 2 * 8 * 16;
  const std::int64_t wo = wv + 4 * 2 * 8 * 16;
  const std::int64_t rms_ffn = wo + 4 * 2 * 16 * 16;
  const std::int64_t w1 = rms_ffn + 4 * 2 * 16;
  const std::int64_t w2 = w1 + 4 * 2 * 24 * 16;
  const std::int64_t w3 = w2 + 4 * 2 * 16 * 24;
  const std::int64_t rms_final = w3 + 4 * 2 * 24 * 16;
  const std::int64_t freq = rms_final + 4 * 16;
  const std::int64_t wcls = freq + 2 * 4 * 8 * 2;  // two (seq_len, head_size / 2) tables
  BOOST_TEST(static_cast<std::int64_t>(b.size()) == wcls + 4 * 10 * 16);
  BOOST_TEST(get_f32(b, emb + 4 * (3 * 16 + 5)) == w.embedding(3)[5]);
  BOOST_TEST(get_f32(b, wk + 4 * ((1 * 8 + 2) * 16 + 3)) == w.layer(1).wk.row(2)[3]);
  BOOST_TEST(get_f32(b, wv + 4 * ((0 * 8 + 7) * 16 + 15)) == w.layer(0).wv.row(7)[15]);
  BOOST_TEST(get_f32(b, w2 + 4 * ((1 * 16 + 4) * 24 + 23)) == w.layer(1).w2.row(4)[23]);
  BOOST_TEST(get_f32(b, w3 + 4 * ((1 * 24 + 23) * 16 + 0)) == w.layer(1).w3.row(23)[0]);
  BOOST_TEST(get_f32(b, rms_final + 4 * 15) == w.rms_final[15]);
  BOOST_TEST(get_f32(b, wcls + 4 * (9 * 16 + 1)) == w.classifier().row(9)[1]);
  // Legacy table: freq_cis_real[pos 3][pair 1] = cos(3 * 10000^(-2/4)) = cos(0.03).
  BOOST_TEST(get_f32(b, freq + 4 * (3 * 2 + 1)) == static_cast<float>(std::cos(0.03)));
  const auto layout = checkpoint_layout(c);
  BOOST_TEST(layout.at(3).offset == wk);
  BOOST_TEST(layout.back().offset == wcls);
}

BOOST_AUTO_TEST_CASE(sizes_for_the_mapper) {
  const Config c = small_config();
  const Footprint f = footprint(c);
  BOOST_TEST(f.weights_per_layer == 2 * 16 + 2 * 16 * 16 + 2 * 8 * 16 + 3 * 24 * 16);
  BOOST_TEST(f.weights_global == 2 * 10 * 16 + 16);
  BOOST_TEST(f.kv_cache_per_layer == 2 * 8 * 8);
  BOOST_TEST(f.activations == 4 * 16 + 2 * 24 + 4 * 8 + 10);
  // Every weight word is in the file once, beside the header and the legacy tables.
  BOOST_TEST(checkpoint_bytes(c) ==
             28 + 4 * (2 * f.weights_per_layer + f.weights_global) + 2 * 4 * 8 * 2);
}

BOOST_AUTO_TEST_CASE(missing_file) {
  const TempDir dir;
  BOOST_CHECK_EXCEPTION((void)load_checkpoint(dir.file("nope.bin")), CheckpointError,
                        [](const CheckpointError& e) {
                          return e.kind() == Kind::unreadable &&
                                 std::string(e.what()).find("No such file") != std::string::npos;
                        });
}

BOOST_AUTO_TEST_CASE(directory_instead_of_file) {
  const TempDir dir;
  std::filesystem::create_directory(dir.file("d"));
  BOOST_CHECK_EXCEPTION((void)load_checkpoint(dir.file("d")), CheckpointError,
                        [](const CheckpointError& e) {
                          return e.kind() == Kind::unreadable &&
                                 std::string(e.what()).find("directory") != std::string::npos;
                        });
}

BOOST_AUTO_TEST_CASE(shorter_than_the_header) {
  expect_error({}, Kind::short_header, {"only 0 bytes", "28-byte header"});
  auto b = small_file();
  b.resize(27);
  expect_error(b, Kind::short_header, {"only 27 bytes"});
}

BOOST_AUTO_TEST_CASE(non_positive_and_absurd_header_fields) {
  struct Case {
    int field;
    std::int32_t value;
    const char* name;
  };
  for (const Case k :
       {Case{0, 0, "dim = 0"}, Case{1, -5, "hidden_dim = -5"},
        Case{2, 1000000, "n_layers = 1000000"}, Case{3, 0, "n_heads = 0"},
        Case{4, -1, "n_kv_heads = -1"}, Case{5, 0, "vocab_size = 0"},
        Case{5, std::numeric_limits<std::int32_t>::min(), "vocab_size = -2147483648"},
        Case{6, 0, "seq_len = 0"}, Case{0, 1 << 30, "dim = 1073741824"}}) {
    auto b = small_file();
    put_i32(b, 4 * k.field, k.value);
    expect_error(b, Kind::bad_header,
                 {k.name, fmt::format("byte offset {}", 4 * k.field), "out of range"});
  }
}

BOOST_AUTO_TEST_CASE(newer_export_format) {
  auto b = small_file();
  put_u32(b, 0, 0x616b3432);
  expect_error(b, Kind::bad_header, {"ak42", "--version 0"});
}

BOOST_AUTO_TEST_CASE(shapes_that_disagree) {
  auto b = small_file();
  put_i32(b, 12, 3);  // dim 16, 3 heads
  expect_error(b, Kind::bad_shape, {"dim = 16 is not divisible by n_heads = 3", "offset 12"});
  b = small_file();
  put_i32(b, 16, 3);  // 4 heads, 3 kv heads
  expect_error(b, Kind::bad_shape,
               {"n_heads = 4 is not a multiple of n_kv_heads = 3", "offset 16"});
  b = small_file();
  put_i32(b, 16, 8);  // more kv heads than heads
  expect_error(b, Kind::bad_shape, {"n_kv_heads = 8", "n_kv_heads"});
  b = small_file();
  put_i32(b, 0, 12);  // dim 12, 4 heads: head_size 3
  expect_error(b, Kind::bad_shape, {"head_size", "= 3 is odd"});
}

BOOST_AUTO_TEST_CASE(truncated_tensors) {
  const auto full = small_file();
  const Config c = small_config();
  const auto layout = checkpoint_layout(c);
  const TensorInfo& w2 = layout.at(8);
  BOOST_REQUIRE(std::string(w2.name) == "w2");
  auto b = full;
  b.resize(static_cast<std::size_t>(w2.offset + 100));
  expect_error(b, Kind::truncated,
               {"in tensor w2", fmt::format("{} of its bytes are missing", w2.bytes() - 100),
                fmt::format("needs {}", full.size())});
  // Ending exactly where the classifier starts: the header asked for one.
  b = full;
  b.resize(static_cast<std::size_t>(layout.back().offset));
  expect_error(b, Kind::truncated, {"in tensor wcls", fmt::format("{} of its bytes", 4 * 10 * 16)});
  // One byte short.
  b = full;
  b.pop_back();
  expect_error(b, Kind::truncated, {"in tensor wcls", "1 of its bytes are missing"});
  // Header only.
  b.resize(28);
  expect_error(b, Kind::truncated, {"in tensor token_embedding"});
}

BOOST_AUTO_TEST_CASE(huge_header_on_a_tiny_file_allocates_nothing) {
  // The largest header the limits allow needs ~2^50 bytes; the loader must compare sizes,
  // not try to allocate.
  auto b = small_file();
  b.resize(28);
  put_i32(b, 0, ConfigLimits::max_dim);
  put_i32(b, 4, ConfigLimits::max_hidden_dim);
  put_i32(b, 8, ConfigLimits::max_layers);
  put_i32(b, 12, 2);
  put_i32(b, 16, 2);
  put_i32(b, 20, -ConfigLimits::max_vocab);
  put_i32(b, 24, ConfigLimits::max_seq_len);
  expect_error(b, Kind::truncated, {"in tensor token_embedding"});
}

BOOST_AUTO_TEST_CASE(trailing_garbage) {
  auto b = small_file();
  b.push_back(std::byte{0});
  expect_error(b, Kind::trailing_bytes, {"1 trailing bytes"});
  // A separate classifier behind a header that says shared: the message says what to fix.
  const auto separate = small_file(false);
  put_i32(b = separate, 20, 10);
  expect_error(b, Kind::trailing_bytes, {"640 trailing bytes", "negative vocab_size"});
}

BOOST_AUTO_TEST_CASE(non_finite_weights_are_rejected) {
  const Config c = small_config();
  const auto layout = checkpoint_layout(c);
  auto b = small_file();
  const TensorInfo& wq = layout.at(2);
  put_f32(b, wq.offset + 4 * ((1 * 16 + 2) * 16 + 3), std::numeric_limits<float>::quiet_NaN());
  expect_error(b, Kind::non_finite, {"wq[layer 1][row 2][col 3]", "nan"});
  b = small_file();
  const TensorInfo& rms_final = layout.at(10);
  put_f32(b, rms_final.offset + 4 * 5, -std::numeric_limits<float>::infinity());
  expect_error(b, Kind::non_finite, {"rms_final[col 5]", "-inf"});
  // The unused legacy tables are not inspected.
  b = small_file();
  put_f32(b, layout.at(11).offset, std::numeric_limits<float>::quiet_NaN());
  const TempDir dir;
  write_bytes(dir.file("ok.bin"), b);
  BOOST_CHECK_NO_THROW((void)load_checkpoint(dir.file("ok.bin")));
}

BOOST_AUTO_TEST_CASE(random_damage_loads_or_throws_checkpoint_error) {
  // Memory safety on any input: thousands of damaged files (run under ASan/UBSan to see a
  // stray read) either load as a consistent model or throw CheckpointError, nothing else.
  const auto base = small_file();
  SplitMix64 rng(11);
  const auto below = [&](std::uint64_t n) { return rng.next() % n; };
  std::map<Kind, int> seen;
  int loaded = 0;
  for (int iter = 0; iter < 4000; ++iter) {
    auto b = base;
    switch (below(4)) {
      case 0: {  // one header field: small, edge or random
        const std::array<std::int32_t, 6> edge = {0,
                                                  -1,
                                                  1,
                                                  2,
                                                  std::numeric_limits<std::int32_t>::min(),
                                                  std::numeric_limits<std::int32_t>::max()};
        const std::int32_t v =
            below(2) == 0 ? edge.at(below(edge.size())) : static_cast<std::int32_t>(below(70)) - 3;
        put_i32(b, 4 * static_cast<std::int64_t>(below(7)), v);
        break;
      }
      case 1:
        b.resize(below(b.size() + 1));
        break;
      case 2:
        for (std::uint64_t n = 1 + below(64); n > 0; --n) {
          b.push_back(static_cast<std::byte>(rng.next()));
        }
        break;
      default:
        for (std::uint64_t n = 1 + below(8); n > 0; --n) {
          b.at(below(b.size())) = static_cast<std::byte>(rng.next());
        }
        break;
    }
    try {
      const Weights w = parse_checkpoint(b, "fuzz");
      BOOST_REQUIRE(static_cast<std::int64_t>(b.size()) == checkpoint_bytes(w.config));
      BOOST_REQUIRE(w.classifier().data.size() ==
                    static_cast<std::size_t>(w.config.vocab_size) * w.config.dim);
      ++loaded;
    } catch (const CheckpointError& e) {
      ++seen[e.kind()];
    }
  }
  BOOST_TEST_MESSAGE(fmt::format("{} damaged files loaded (weights changed only)", loaded));
  for (const Kind k : {Kind::short_header, Kind::bad_header, Kind::bad_shape, Kind::truncated,
                       Kind::trailing_bytes, Kind::non_finite}) {
    BOOST_TEST(seen[k] > 0, "kind " << static_cast<int>(k) << " never produced");
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace wm::tb::model
