// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// A sweep of interleavings (regress only: disabled in the default run, ctest mapper_stress runs
// it by name): GQA decode on three shapes under 12 seeds each, with queue depths 1-3 and
// bursts 1-16, every logit bit-exact against the golden decoder.
#include <boost/test/unit_test.hpp>

#include "mesh_fixture.hpp"
#include "wm/sw/mapper/decoder.hpp"
#include "wm/sw/model/decode.hpp"
#include "wm/sw/model/float_decoder.hpp"
#include "wm/sw/model/generator.hpp"

namespace wm::tb::mapper {
namespace {

namespace model = wm::sw::model;

BOOST_AUTO_TEST_SUITE(stress, *boost::unit_test::disabled())

BOOST_AUTO_TEST_CASE(interleavings) {
  model::GenParams p;
  p.config.dim = 40;
  p.config.hidden_dim = 70;
  p.config.n_heads = 4;
  p.config.n_kv_heads = 2;
  p.config.vocab_size = 50;
  p.config.seq_len = 16;
  const auto w = model::generate(p);
  for (const auto& [width, height] : {std::pair{3, 3}, {2, 5}, {5, 2}}) {
    const mp::MeshDecoder dec(w, {width, height}, {6});
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
      auto sim = make_mesh(dec.program(), seed * 977, static_cast<unsigned>(1 + seed % 3),
                           static_cast<unsigned>(1 + (seed * 5) % 16));
      model::FloatDecoder golden(w, dec.order());
      int token = 3;
      for (int pos = 0; pos < 5; ++pos) {
        const auto mesh = run_step(sim, dec.step(token, pos));
        const auto want = golden.forward(token, pos);
        BOOST_TEST_CONTEXT(width << "x" << height << " seed " << seed << " pos " << pos) {
          require_bits(mesh, want, "logit");
        }
        token = model::argmax(want);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace wm::tb::mapper
