// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The whole decode on the functional mesh: every logit of every token bit-exact
// against the float decoder in the mapping's order, under several
// interleavings.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>
#include <tuple>

#include "mesh_fixture.hpp"
#include "wm/sw/mapper/decoder.hpp"
#include "wm/sw/mapper/partition.hpp"
#include "wm/sw/model/decode.hpp"
#include "wm/sw/model/float_decoder.hpp"
#include "wm/sw/model/generator.hpp"
#include "wm/sw/model/reference_decoder.hpp"

namespace wm::tb::mapper {
namespace {

namespace model = wm::sw::model;

/// Greedy decode of `prompt` + `n_new` tokens on the mesh and in the golden
/// model; every logit must agree bit for bit. Returns the generated ids.
std::vector<int> check_decode(const model::Weights& w, int width, int height,
                              const std::vector<int>& prompt, int n_new, std::uint64_t seed,
                              unsigned queue_depth = 4, unsigned max_burst = 8,
                              int positions = 0) {
  if (positions == 0) positions = static_cast<int>(prompt.size()) + n_new;
  const mp::MeshDecoder dec(w, {width, height}, {positions});
  model::FloatDecoder golden(w, dec.order());
  auto sim = make_mesh(dec.program(), seed, queue_depth, max_burst);
  std::vector<int> out;
  int token = prompt[0];
  for (int pos = 0; static_cast<int>(out.size()) < n_new; ++pos) {
    const auto mesh = run_step(sim, dec.step(token, pos));
    const auto want = golden.forward(token, pos);
    BOOST_TEST_CONTEXT("mesh " << width << "x" << height << " seed " << seed << " pos " << pos) {
      require_bits(mesh, want, "logit");
    }
    if (pos + 1 < static_cast<int>(prompt.size())) {
      token = prompt[static_cast<std::size_t>(pos) + 1];
    } else {
      token = model::argmax(std::span<const float>(mesh));
      out.push_back(token);
    }
  }
  return out;
}

BOOST_AUTO_TEST_SUITE(decode)

BOOST_AUTO_TEST_CASE(default_model_4x4) {
  const auto w = model::builtin_model();
  const auto a = check_decode(w, 4, 4, {1, 7, 42}, 3, 1);
  const auto b = check_decode(w, 4, 4, {1, 7, 42}, 3, 2, 1, 1);  // tightest backpressure
  BOOST_TEST(a == b);
}

// make sim's shape: every position of seq_len fits; two tokens decode bit-exact.
BOOST_AUTO_TEST_CASE(default_model_8x8) {
  const auto w = model::builtin_model();
  const mp::MeshDecoder dec(w, {8, 8});
  BOOST_TEST(dec.max_positions() == w.config.seq_len);
  (void)check_decode(w, 8, 8, {1, 5}, 1, 11);
}

// The documented capacity (docs/mapping.md): a tile whose bank-aware layout does not fit
// falls back to a denser packing, so the shapes that fit densely still fit, and decode
// bit-exact with tiles of different packings.
BOOST_AUTO_TEST_CASE(capacity_with_the_bank_aware_layout) {
  const auto w = model::builtin_model();
  (void)check_decode(w, 4, 4, {1}, 2, 4, 4, 8, 35);
  BOOST_CHECK_THROW(mp::MeshDecoder(w, {4, 4}, {36}), mp::DoesNotFit);
}

/// The default model's weights with a longer context, so the KV cache, not seq_len, limits
/// the positions.
model::Weights long_context_model() {
  model::GenParams p;
  p.config.seq_len = 1024;
  return model::generate(p);
}

// The KV cache is dealt over the mesh row (docs/mapping.md, "Attention over the mesh row"),
// so the positions grow with the width; DoesNotFit stays exact at each limit.
BOOST_AUTO_TEST_CASE(kv_cache_dealt_over_the_row) {
  const auto w = long_context_model();
  for (const auto& [width, height, most] :
       {std::tuple{4, 4, 35}, std::tuple{5, 4, 97}, std::tuple{8, 8, 336}}) {
    BOOST_TEST_CONTEXT(width << "x" << height) {
      BOOST_CHECK_NO_THROW(mp::MeshDecoder(w, {width, height}, {most}));
      BOOST_CHECK_THROW(mp::MeshDecoder(w, {width, height}, {most + 1}), mp::DoesNotFit);
    }
  }
  // Mapped at the limit (4x4 held 15 positions when a head's cache was on one PE), the
  // decode stays bit-exact.
  (void)check_decode(w, 4, 4, {1, 2}, 1, 12, 4, 8, 35);
}

// The benchmark model: one head's cache (2 * 4 layers * 64 positions * 32 = 16,384
// words) is more than a PE's SRAM, so before the cache was dealt over the row no mesh could
// hold it. It maps onto 32x32; on 16x16 its weights alone are more than the mesh's SRAM.
BOOST_AUTO_TEST_CASE(dim256_model_maps_onto_32x32) {
  model::GenParams p;
  p.config.dim = 256;
  p.config.hidden_dim = 688;
  p.config.n_layers = 4;
  p.config.n_heads = 8;
  p.config.n_kv_heads = 8;
  p.config.vocab_size = 512;
  p.config.seq_len = 64;
  const auto w = model::generate(p);
  const mp::MeshShape big{32, 32};
  const auto c = w.config;
  BOOST_TEST(2 * c.n_layers * c.seq_len * c.head_size() > static_cast<int>(big.mem_words));
  const mp::MeshDecoder dec(w, big);
  BOOST_TEST(dec.max_positions() == c.seq_len);
  const std::int64_t weights = c.n_layers * (2 * c.dim * c.dim + 2 * c.dim * c.kv_dim() +
                                             3 * c.dim * c.hidden_dim) +
                               c.vocab_size * c.dim;
  BOOST_TEST(weights > std::int64_t{16} * 16 * big.mem_words);
  BOOST_CHECK_THROW(mp::MeshDecoder(w, {16, 16}), mp::DoesNotFit);
}

BOOST_AUTO_TEST_CASE(default_model_non_square) {
  const auto w = model::builtin_model();
  (void)check_decode(w, 5, 4, {3, 9}, 2, 3);
}

model::Weights small_model(int dim, int hidden, int heads, int kv_heads, int vocab, bool shared) {
  model::GenParams p;
  p.config.dim = dim;
  p.config.hidden_dim = hidden;
  p.config.n_layers = 2;
  p.config.n_heads = heads;
  p.config.n_kv_heads = kv_heads;
  p.config.vocab_size = vocab;
  p.config.seq_len = 16;
  p.config.shared_classifier = shared;
  return model::generate(p);
}

// GQA (3 query heads per kv head) and MQA, with dims no mesh side divides.
BOOST_AUTO_TEST_CASE(gqa_and_ragged_dims) {
  const auto gqa = small_model(48, 100, 6, 2, 97, false);
  (void)check_decode(gqa, 4, 3, {5, 1}, 2, 5);
  (void)check_decode(gqa, 5, 3, {5}, 2, 6);
  const auto mqa = small_model(40, 70, 4, 1, 50, true);
  (void)check_decode(mqa, 3, 3, {2, 4, 6}, 1, 7);
}

BOOST_AUTO_TEST_CASE(single_pe_and_single_row) {
  const auto w = small_model(16, 24, 2, 2, 20, false);
  (void)check_decode(w, 1, 1, {1, 2}, 2, 8);
  (void)check_decode(w, 4, 1, {1, 2}, 2, 9);
  (void)check_decode(w, 1, 3, {1, 2}, 2, 10);
}

BOOST_AUTO_TEST_CASE(does_not_fit) {
  const auto w = model::builtin_model();
  const auto expect = [&](int width, int height, mp::MeshShape shape, int positions,
                          const std::string& resource) {
    shape.width = width;
    shape.height = height;
    try {
      const mp::MeshDecoder d(w, shape, {positions});
      BOOST_FAIL("expected DoesNotFit(" << resource << ")");
    } catch (const mp::DoesNotFit& e) {
      BOOST_TEST(e.resource() == resource, e.what());
    }
  };
  expect(4, 2, {}, 8, "SRAM words per PE");  // 115200 weight words > 8 x 12288
  expect(4, 4, {}, 64, "SRAM words per PE");  // 16 of 64 positions per PE of a row
  expect(4, 4, {4, 4, 12288, 5}, 8, "colors");
  expect(4, 4, {}, 65, "positions");
}

// The mesh's logits stay within the stated tolerance of llama2.c's math in
// double.
BOOST_AUTO_TEST_CASE(tolerance_to_double) {
  const auto w = model::builtin_model();
  const mp::MeshDecoder dec(w, {4, 4}, {6});
  model::FloatDecoder golden(w, dec.order());
  model::ReferenceDecoder ref(w);
  model::FloatDecoder plain(w);  // llama2.c's left-to-right sums: not the mesh's order
  int differ = 0;
  double worst = 0;
  int token = 1;
  for (int pos = 0; pos < 6; ++pos) {
    const auto f = golden.forward(token, pos);
    const auto d = ref.forward(token, pos);
    const auto p = plain.forward(token, pos);
    for (std::size_t i = 0; i < f.size(); ++i) differ += fp::to_bits(f[i]) != fp::to_bits(p[i]);
    for (std::size_t i = 0; i < f.size(); ++i) {
      worst = std::max(worst, std::abs(static_cast<double>(f[i]) - d[i]));
    }
    BOOST_TEST(model::argmax(f) == model::argmax(d));
    token = model::argmax(f);
  }
  BOOST_TEST_MESSAGE("max |mesh - double| over 6 tokens: " << worst);
  BOOST_TEST(worst <= 5e-5 * w.config.n_layers);
  // The order is visible in the bits, so the bit-exact tests above do test the
  // mapping's order.
  BOOST_TEST(differ > 0);
}

/// The mapping's order except the norms' sums of squares, left to right as on one PE.
class SequentialNorms final : public model::OrderPolicy {
 public:
  explicit SequentialNorms(const model::OrderPolicy& mesh) : mesh_(mesh) {}
  [[nodiscard]] const model::SumOrder& order(const model::SumSite& site,
                                             std::int64_t n) const override {
    const bool norm = site.stage == model::Stage::rms_att || site.stage == model::Stage::rms_ffn ||
                      site.stage == model::Stage::rms_final;
    return norm ? sequential_ : mesh_.order(site, n);
  }

 private:
  const model::OrderPolicy& mesh_;
  model::SumOrder sequential_ = model::SumOrder::sequential();
};

// The norms' sums of squares are reduced over the mesh row (docs/mapping.md, "Decode"), and
// that order shows in the logits' bits: the bit-exact tests test it too.
BOOST_AUTO_TEST_CASE(norm_sums_follow_the_mesh_row) {
  const auto w = model::builtin_model();
  const mp::MeshDecoder dec(w, {8, 8}, {4});
  const SequentialNorms one_pe(dec.order());
  model::FloatDecoder mesh(w, dec.order());
  model::FloatDecoder sequential(w, one_pe);
  int differ = 0;
  for (int pos = 0; pos < 4; ++pos) {
    const auto a = mesh.forward(1, pos);
    const auto b = sequential.forward(1, pos);
    for (std::size_t i = 0; i < a.size(); ++i) differ += fp::to_bits(a[i]) != fp::to_bits(b[i]);
  }
  BOOST_TEST(differ > 0);
}

/// The mapping's order except the softmax denominator and the attention values, left to right
/// as when a head's whole cache was on one PE.
class SequentialAttention final : public model::OrderPolicy {
 public:
  explicit SequentialAttention(const model::OrderPolicy& mesh) : mesh_(mesh) {}
  [[nodiscard]] const model::SumOrder& order(const model::SumSite& site,
                                             std::int64_t n) const override {
    const bool attn =
        site.stage == model::Stage::softmax_sum || site.stage == model::Stage::attn_value;
    return attn ? sequential_ : mesh_.order(site, n);
  }

 private:
  const model::OrderPolicy& mesh_;
  model::SumOrder sequential_ = model::SumOrder::sequential();
};

// The softmax denominator and the value sums are dealt over the mesh row and chain-reduced
// (docs/mapping.md, "Attention over the mesh row"); that order shows in the logits' bits, so
// the bit-exact tests test it too.
BOOST_AUTO_TEST_CASE(attention_sums_follow_the_mesh_row) {
  const auto w = model::builtin_model();
  const mp::MeshDecoder dec(w, {4, 4}, {12});
  const SequentialAttention one_pe(dec.order());
  model::FloatDecoder mesh(w, dec.order());
  model::FloatDecoder sequential(w, one_pe);
  int differ = 0;
  for (int pos = 0; pos < 12; ++pos) {
    const auto a = mesh.forward(1 + pos, pos);
    const auto b = sequential.forward(1 + pos, pos);
    for (std::size_t i = 0; i < a.size(); ++i) differ += fp::to_bits(a[i]) != fp::to_bits(b[i]);
  }
  BOOST_TEST(differ > 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace wm::tb::mapper
