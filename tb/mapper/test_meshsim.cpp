// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The functional mesh's router model: configuration, static multicast,
// addressed delivery, and every routing error the RTL router flags is a
// MeshError here.
#include <boost/test/unit_test.hpp>

#include "mesh_fixture.hpp"
#include "wm/sw/asm/assembler.hpp"
#include "wm/sw/isa/isa.hpp"

namespace wm::tb::mapper {
namespace {

namespace as = wm::sw::assembler;
namespace isa = wm::sw::isa;
using mp::bit;
using mp::Dir;

BOOST_AUTO_TEST_SUITE(meshsim)

// Host -> PE (1, 1) by addressed LOAD + ACTIVATE; the PE streams 3 words on a
// static color that runs west along row 1, north up column 0 and out to the
// host.
BOOST_AUTO_TEST_CASE(addressed_load_and_static_multicast) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    ms::Options o;
    o.seed = seed;
    ms::MeshSim sim(3, 2, o);
    std::vector<mp::Wavelet> host;
    for (int y = 0; y < 2; ++y) {
      for (int x = 0; x < 3; ++x) {
        host.push_back(mp::config_wavelet({0, mp::RouteMode::addressed, 0, 0}, x, y, 0));
      }
    }
    // color 5: PE (1,1) -> W; (0,1) -> N; (0,0) -> host W.
    host.push_back(
        mp::config_wavelet({5, mp::RouteMode::fixed, bit(Dir::p), bit(Dir::w)}, 1, 1, 0));
    host.push_back(
        mp::config_wavelet({5, mp::RouteMode::fixed, bit(Dir::e), bit(Dir::n)}, 0, 1, 0));
    host.push_back(
        mp::config_wavelet({5, mp::RouteMode::fixed, bit(Dir::s), bit(Dir::w)}, 0, 0, 0));
    host.push_back(
        mp::config_wavelet({6, mp::RouteMode::fixed, bit(Dir::w), bit(Dir::p)}, 0, 0, 0));
    const auto prog = as::assemble(
        "    li r1, 3\n    li r2, 0x100\n    li r3, 1\n"
        "    dsdm d0, r2, r1, r3\n    dsdfo d1, 5, r1, r0\n    "
        "fmov d1, d0\n    exit\n");
    std::vector<std::uint32_t> code;
    for (const auto& [a, w] : prog.image.words) code.push_back(w);
    mp::append_load(host, 1, 1, 0, 0, code);
    const std::vector<std::uint32_t> data{fp::to_bits(1.5F), fp::to_bits(-2.0F), fp::to_bits(3.0F)};
    mp::append_load(host, 1, 1, 0, 0x100, data);
    host.push_back(mp::activate_wavelet(1, 1, 0, 0));
    sim.host_send(host);
    const auto out = mp::floats(sim.run());
    BOOST_TEST_REQUIRE(out.size() == 3u);
    BOOST_TEST(out[0] == 1.5F);
    BOOST_TEST(out[1] == -2.0F);
    BOOST_TEST(out[2] == 3.0F);
  }
}

BOOST_AUTO_TEST_CASE(unconfigured_color_is_an_error) {
  ms::MeshSim sim(2, 2);
  const mp::Wavelet w{42, 3, false, 1, 1};
  sim.host_send(std::span(&w, 1));
  try {
    (void)sim.run();
    BOOST_FAIL("an unconfigured color must not route");
  } catch (const ms::MeshError& e) {
    BOOST_TEST(std::string(e.what()).find("unconfigured") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(off_edge_is_an_error) {
  ms::MeshSim sim(2, 1);
  std::vector<mp::Wavelet> host{
      mp::config_wavelet({2, mp::RouteMode::fixed, bit(Dir::w), bit(Dir::n)}, 0, 0, 0),
      {7, 2, false, 0, 0}};
  sim.host_send(host);
  try {
    (void)sim.run();
    BOOST_FAIL("a route north of row 0 leaves the mesh");
  } catch (const ms::MeshError& e) {
    BOOST_TEST(std::string(e.what()).find("off the mesh edge") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(static_route_echo_to_host) {
  // Host data on color 2 enters (0,0) from W and is multicast back to W: the
  // host gets it.
  ms::MeshSim sim(1, 1);
  std::vector<mp::Wavelet> host{
      mp::config_wavelet({2, mp::RouteMode::fixed, bit(Dir::w), bit(Dir::w)}, 0, 0, 0)};
  for (std::uint32_t i = 0; i < 10; ++i) host.push_back({i, 2, false, 0, 0});
  sim.host_send(host);
  const auto out = sim.run();
  BOOST_TEST_REQUIRE(out.size() == 10u);
  for (std::uint32_t i = 0; i < 10; ++i) BOOST_TEST(out[i].data == i);
  BOOST_TEST(sim.hops() == 10u);  // one hop each, router to host; the configuration is consumed
}

BOOST_AUTO_TEST_CASE(stuck_task_is_a_deadlock) {
  ms::MeshSim sim(1, 1);
  std::vector<mp::Wavelet> host{mp::config_wavelet({0, mp::RouteMode::addressed, 0, 0}, 0, 0, 0)};
  const auto prog = as::assemble("    recv r1, 3\n    exit\n");
  std::vector<std::uint32_t> code;
  for (const auto& [a, w] : prog.image.words) code.push_back(w);
  mp::append_load(host, 0, 0, 0, 0, code);
  host.push_back(mp::activate_wavelet(0, 0, 0, 0));
  sim.host_send(host);
  try {
    (void)sim.run();
    BOOST_FAIL("recv on a color nobody sends must be reported");
  } catch (const ms::MeshError& e) {
    BOOST_TEST(std::string(e.what()).find("deadlock") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace wm::tb::mapper
