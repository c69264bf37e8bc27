// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The whole decode on the functional mesh: every logit of every token bit-exact against the
// float decoder in the mapping's order, under several interleavings.
#include <boost/test/unit_test.hpp>

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

/// Greedy decode of `prompt` + `n_new` tokens on the mesh and in the golden model; every
/// logit must agree bit for bit. Returns the generated ids.
std::vector<int> check_decode(const model::Weights& w, int width, int height,
                              const std::vector<int>& prompt, int n_new, std::uint64_t seed) {
  const int positions = static_cast<int>(prompt.size()) + n_new;
  const mp::MeshDecoder dec(w, {width, height}, {positions});
  model::FloatDecoder golden(w, dec.order());
  auto sim = make_mesh(dec.program(), seed);
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
  const auto b = check_decode(w, 4, 4, {1, 7, 42}, 3, 2);
  BOOST_TEST(a == b);
}

BOOST_AUTO_TEST_CASE(default_model_4x2_and_1x1) {
  const auto w = model::builtin_model();
  (void)check_decode(w, 4, 2, {3, 9}, 2, 3);
  (void)check_decode(w, 2, 3, {3}, 2, 4);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace wm::tb::mapper
