// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// A small distributed kernel on the composed 4 x 4 mesh (wm::sim::Mesh, the simulator's one
// Verilated wm_tile): y = A x with A split over both axes, per-tile fdotv, a binary reduction
// tree over each row's neighbour links, results to the host; y bit-exact against wm::sw::fp in
// the same order. Run in one and in two threads, which must agree cycle for cycle.
#define BOOST_TEST_MODULE test_mesh_kernel
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <fmt/format.h>
#include <random>
#include <wm/sim/host.hpp>
#include <wm/sim/tile_mesh.hpp>

#include "gemv_kernel.hpp"

namespace {

struct Run {
  std::uint64_t cycles = 0;
  std::vector<wm::sim::Wavelet> received;
  std::vector<wm::sim::TileActivity> activity;
};

Run run_gemv(const wm::tb::mesh::Gemv& g, const std::vector<std::uint32_t>& a,
             const std::vector<std::uint32_t>& xv, unsigned threads) {
  wm::sim::MeshOptions opt;
  opt.width = g.width;
  opt.height = g.height;
  opt.threads = threads;
  opt.count_activity = true;
  wm::sim::Mesh mesh(opt);
  mesh.run(3);
  mesh.set_reset(false);
  wm::sim::HostLink host;
  for (const auto& w : g.host_stream(a, xv)) host.send(w);
  Run r;
  // The host steps cycle by cycle while it feeds the stream; then the mesh runs in chunks (in
  // its threads) as its own host sink.
  while (!host.idle()) wm::sim::host_step(mesh, host);
  wm::sim::host_step(mesh, host);
  BOOST_TEST_REQUIRE(host.received().empty());
  mesh.set_host_sink(true);
  while (mesh.cycle() < 200'000 && !(mesh.all_halted() && mesh.sunk().size() >= g.n())) {
    mesh.run(100);
  }
  r.cycles = mesh.cycle();
  r.received = mesh.sunk();
  for (unsigned t = 0; t < mesh.tiles(); ++t) {
    const auto s = mesh.status(t);
    BOOST_TEST_REQUIRE(s.halted);
    BOOST_TEST(s.err_code == 0u, fmt::format("tile {}: PE error {} at pc {:#x}", t, s.err_code,
                                             s.err_pc));
    BOOST_TEST(s.router_err == 0u);
    BOOST_TEST(s.drops == 0u);
    BOOST_TEST(!s.sram_err);
    r.activity.push_back(mesh.activity(t));
  }
  return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(gemv_tree_4x4_bit_exact) {
  const wm::tb::mesh::Gemv g{4, 4, 4, 8};
  std::mt19937_64 rng(77);
  const auto a = wm::tb::mesh::random_floats(rng, std::size_t{g.n()} * g.k());
  const auto xv = wm::tb::mesh::random_floats(rng, g.k());
  const Run one = run_gemv(g, a, xv, 1);
  const auto y = g.collect(one.received);
  const auto want = g.expected(a, xv);
  for (unsigned i = 0; i < g.n(); ++i) {
    BOOST_TEST(y[i] == want[i], fmt::format("y[{}] = {:#010x}, expected {:#010x}", i, y[i],
                                            want[i]));
  }
  // Each tile issued exactly its block's multiply-adds.
  for (unsigned t = 0; t < g.width * g.height; ++t) {
    BOOST_TEST(one.activity[t].macs == std::uint64_t{g.rows_per_tile} * g.cols_per_tile,
               fmt::format("tile {}: {} MACs", t, one.activity[t].macs));
  }
  const Run two = run_gemv(g, a, xv, 2);
  BOOST_TEST(two.cycles == one.cycles);
  BOOST_TEST(two.received == one.received);
  for (unsigned t = 0; t < g.width * g.height; ++t) {
    BOOST_TEST(two.activity[t].link == one.activity[t].link);
    BOOST_TEST(two.activity[t].busy == one.activity[t].busy);
  }
  BOOST_TEST_MESSAGE(fmt::format("4x4 GEMV {}x{}: {} cycles", g.n(), g.k(), one.cycles));
}
