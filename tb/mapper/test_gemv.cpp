// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// MeshGEMV on the functional mesh, bit-exact against the golden order, under
// several seeds.
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "mesh_fixture.hpp"
#include "wm/sw/mapper/gemv.hpp"
#include "wm/sw/mapper/partition.hpp"
#include "wm/sw/model/sum_order.hpp"

namespace wm::tb::mapper {
namespace {

namespace model = wm::sw::model;

struct Case {
  int rows, cols, width, height;
};

void check_gemv(const Case& k, int seeds) {
  const auto wdata = test_vector(static_cast<std::size_t>(k.rows * k.cols), 7);
  const model::MatrixView w{wdata, k.rows, k.cols};
  const mp::MeshGemv g(w, {k.width, k.height});
  for (int seed = 1; seed <= seeds; ++seed) {
    auto sim = make_mesh(g.program(), static_cast<std::uint64_t>(seed));
    for (std::uint64_t t = 0; t < 2; ++t) {  // the program runs again on a new x
      const auto x = test_vector(static_cast<std::size_t>(k.cols), 100 + t);
      const auto y = run_step(sim, g.step(x));
      require_bits(y, g.golden(x), "y");
    }
  }
}

BOOST_AUTO_TEST_SUITE(gemv)

BOOST_AUTO_TEST_CASE(one_gemv_2x2) { check_gemv({16, 16, 2, 2}, 4); }
BOOST_AUTO_TEST_CASE(one_gemv_4x4) { check_gemv({64, 64, 4, 4}, 4); }
BOOST_AUTO_TEST_CASE(non_square_and_ragged) {
  check_gemv({13, 17, 4, 2}, 3);
  check_gemv({13, 17, 2, 4}, 3);
  check_gemv({5, 9, 3, 1}, 2);
  check_gemv({5, 9, 1, 3}, 2);
  check_gemv({7, 7, 1, 1}, 1);
}
BOOST_AUTO_TEST_CASE(padding_pes) { check_gemv({3, 2, 4, 4}, 3); }

// The golden order really is the mesh's: with a plain left-to-right order some
// rows differ, so a mapping that summed in another order could not pass the
// tests above.
BOOST_AUTO_TEST_CASE(order_matters) {
  const auto wdata = test_vector(64 * 64, 7);
  const model::MatrixView w{wdata, 64, 64};
  const mp::MeshGemv g(w, {4, 4});
  const auto x = test_vector(64, 100);
  const auto mesh = g.golden(x);
  int differ = 0;
  std::vector<float> terms(64);
  for (int i = 0; i < 64; ++i) {
    float acc = 0.0F;
    for (int j = 0; j < 64; ++j)
      acc = acc + w.row(i)[static_cast<std::size_t>(j)] * x[static_cast<std::size_t>(j)];
    differ += fp::to_bits(acc) != fp::to_bits(mesh[static_cast<std::size_t>(i)]) ? 1 : 0;
  }
  BOOST_TEST(differ > 0);
}

BOOST_AUTO_TEST_CASE(chain_order) {
  const auto o = mp::mesh_sum_order(10, 4);
  BOOST_TEST((o.bounds == std::vector<std::int64_t>{0, 3, 6, 8, 10}));
  const std::vector<float> t{1e8F, 1, 1, 1, 1, 1, 1, 1, -1e8F, 1};
  std::vector<float> scratch(4);
  // p0 + (p1 + (p2 + p3)) with p0 = 1e8+2 -> 1e8, p1 = 3, p2 = -1e8+1 -> -1e8,
  // p3 = 1
  BOOST_TEST(model::ordered_sum(t, o, scratch) == (1e8F + (3.0F + (-1e8F + 1.0F))));
}

BOOST_AUTO_TEST_CASE(does_not_fit) {
  const std::vector<float> wdata(300 * 300, 0.5F);
  const model::MatrixView w{wdata, 300, 300};
  try {
    const mp::MeshGemv g(w, {2, 2});
    BOOST_FAIL("a 150x150 block per PE cannot fit 12288 words");
  } catch (const mp::DoesNotFit& e) {
    BOOST_TEST(e.resource() == "SRAM words per PE");
    BOOST_TEST(std::string(e.what()).find("tile (0, 0) needs") != std::string::npos, e.what());
  }
  BOOST_CHECK_NO_THROW(mp::MeshGemv(w, {4, 4}));
  BOOST_CHECK_THROW(mp::MeshGemv(w, {4, 4, 12288, 4}), mp::DoesNotFit);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace wm::tb::mapper
