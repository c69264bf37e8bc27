// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// RtlRun's failure paths on a 1x1 mesh with hand-written programs: a PE that waits forever must
// trip the watchdog naming its tile and task (never hang), and a PE error must be named from
// the tile's status bits.
#define BOOST_TEST_MODULE test_wafersim_rtl_run
#include <boost/test/unit_test.hpp>
#include <string>

#include "wm/sim/wafersim/rtl_run.hpp"
#include "wm/sw/asm/assembler.hpp"
#include "wm/sw/mapper/gemv.hpp"

namespace {

namespace mp = wm::sw::mapper;
namespace ws = wm::sim::wafersim;

/// A 1x1 program running `text` as task 0, and a step that activates it and expects one word.
mp::MeshProgram one_tile(const std::string& text) {
  mp::MeshProgram p;
  p.width = 1;
  p.height = 1;
  mp::TileProgram t;
  t.assembly = text;
  t.image = wm::sw::assembler::assemble(text).image;
  t.routes = {{mp::color::host, mp::RouteMode::addressed, 0, 0}};
  p.tiles.push_back(t);
  mp::build_setup(p);
  return p;
}

mp::HostStep activate() {
  mp::HostStep s;
  s.input.push_back(mp::activate_wavelet(0, 0, mp::color::host, 0));
  s.output_words = 1;
  return s;
}

std::string failure(const mp::MeshProgram& p) {
  ws::RtlRun run(p, ws::RunOptions{1, 500, "", 0, UINT64_MAX});
  run.setup();
  std::vector<std::uint32_t> out;
  try {
    (void)run.step(activate(), out);
  } catch (const ws::RtlError& e) {
    BOOST_TEST_MESSAGE(e.what());
    return e.what();
  }
  BOOST_FAIL("the step succeeded");
  return {};
}

}  // namespace

BOOST_AUTO_TEST_CASE(waiting_pe_trips_the_watchdog) {
  const std::string msg = failure(one_tile("  recv r1, 3\n  exit\n"));
  BOOST_TEST(msg.find("watchdog: no progress for 500 cycles") != std::string::npos);
  BOOST_TEST(msg.find("(0, 0) running task 0") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(pe_error_is_named) {
  const std::string msg = failure(one_tile("  li r2, 60000\n  lw r1, 0(r2)\n  exit\n"));
  BOOST_TEST(msg.find("RTL status while the mesh computes") != std::string::npos);
  BOOST_TEST(msg.find("address out of range") != std::string::npos);
  BOOST_TEST(msg.find("(0, 0):") != std::string::npos);
}
