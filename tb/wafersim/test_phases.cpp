// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The per-phase timing of wafersim (sim/wafersim phases.hpp): the split of a token into phases
// from synthetic mark hits (boundaries, critical tile, the critical tile's work, malformed
// hits), the tolerance, and the whole path on the RTL: a 1x1 program with two phase marks whose
// PE retires them (act_pc_o) once per token, with the vector work counted in the right phase.
#define BOOST_TEST_MODULE test_wafersim_phases
#include <fmt/format.h>

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "wm/sim/wafersim/phases.hpp"
#include "wm/sim/wafersim/rtl_run.hpp"
#include "wm/sw/asm/assembler.hpp"
#include "wm/sw/mapper/gemv.hpp"

namespace {

namespace mp = wm::sw::mapper;
namespace ws = wm::sim::wafersim;
using wm::sim::MarkHit;
using wm::sim::TileActivity;

MarkHit hit(std::uint64_t cycle, unsigned mark, std::uint64_t elems = 0,
            std::uint64_t running = 0) {
  TileActivity a;
  a.elems = elems;
  a.running = running;
  return MarkHit{cycle, mark, a};
}

}  // namespace

BOOST_AUTO_TEST_CASE(phases_end_when_the_last_tile_enters_the_next) {
  // Two tiles, three phases; tile 1 enters phase 1 last (cycle 130), tile 0 phase 2 (190).
  const std::vector<MarkHit> t0 = {hit(100, 0, 0, 0), hit(120, 1, 15, 20), hit(190, 2, 75, 90)};
  const std::vector<MarkHit> t1 = {hit(101, 0, 0, 0), hit(130, 1, 4, 29), hit(150, 2, 9, 49)};
  const std::vector<std::span<const MarkHit>> hits = {t0, t1};
  const ws::PhaseClock clock(3, 2);
  const auto p = clock.split(hits, 90, 250, 0, 2);
  BOOST_TEST_REQUIRE(p.size() == 3u);
  BOOST_TEST(p[0].begin == 90u);
  BOOST_TEST(p[0].end == 130u);
  BOOST_TEST(p[0].critical == 1u);
  BOOST_TEST(p[0].tile_begin == 101u);
  BOOST_TEST(p[0].tile_end == 130u);
  BOOST_TEST(p[0].work.elems == 4u);
  BOOST_TEST(p[0].work.running == 29u);
  BOOST_TEST(p[1].begin == 130u);
  BOOST_TEST(p[1].end == 190u);
  BOOST_TEST(p[1].critical == 0u);
  BOOST_TEST(p[1].work.elems == 60u);
  BOOST_TEST(p[2].begin == 190u);
  BOOST_TEST(p[2].end == 250u);
  BOOST_TEST(p[2].critical == 0u);
  std::uint64_t sum = 0;
  for (const auto& ph : p) sum += ph.cycles();
  BOOST_TEST(sum == 250u - 90u);  // the phases partition the token
  const std::string why = ws::explain(p[1], 2);
  BOOST_TEST(why.find("critical tile (0, 0)") != std::string::npos, why);
  BOOST_TEST(why.find("60 issued vector elements") != std::string::npos, why);
  BOOST_TEST(why.find("10 task wait") != std::string::npos, why);
}

BOOST_AUTO_TEST_CASE(a_missing_or_out_of_order_mark_is_named) {
  const std::vector<MarkHit> good = {hit(1, 0), hit(2, 1)};
  const std::vector<MarkHit> short_ = {hit(1, 0)};
  const std::vector<MarkHit> swapped = {hit(1, 1), hit(2, 0)};
  const ws::PhaseClock clock(2, 2);
  const auto message = [&](const std::vector<MarkHit>& bad) -> std::string {
    const std::vector<std::span<const MarkHit>> hits = {good, bad};
    try {
      (void)clock.split(hits, 0, 10, 0, 1);
    } catch (const ws::RtlError& e) {
      return e.what();
    }
    return "no error";
  };
  BOOST_TEST(message(short_).find("tile (0, 1) reached 1 of its 2 phase marks") !=
             std::string::npos, message(short_));
  BOOST_TEST(message(swapped).find("tile (0, 1) reached phase mark 1 where mark 0 was due") !=
             std::string::npos, message(swapped));
}

BOOST_AUTO_TEST_CASE(tolerance_is_ratio_plus_slack_both_ways) {
  const ws::Tolerance t{0.25, 10};
  BOOST_TEST(t.holds(100, 135));
  BOOST_TEST(!t.holds(100, 136));
  BOOST_TEST(t.holds(100, 65));
  BOOST_TEST(!t.holds(100, 64));
  BOOST_TEST(ws::phase_label("ffn", 1) == "ffn L1");
  BOOST_TEST(ws::phase_label("classifier", -1) == "classifier");
}

BOOST_AUTO_TEST_CASE(rtl_pe_reports_its_marks_once_per_token) {
  // Phase 0: a 64-element FMAC reduction; phase 1: one word to the host (color 3, P -> W).
  const std::string text =
      "phase_0:\n"
      "  addi r4, r0, 0\n  addi r1, r0, 200\n  addi r2, r0, 64\n  addi r3, r0, 1\n"
      "  dsdm d0, r1, r2, r3\n  fmac r4, d0, d0\n"
      "phase_1:\n"
      "  addi r2, r0, 1\n  dsdfo d5, 3, r2, r0\n  addi r1, r0, 300\n  addi r3, r0, 1\n"
      "  dsdm d6, r1, r2, r3\n  fmov d5, d6\n  exit\n";
  const auto prog = wm::sw::assembler::assemble(text);
  mp::MeshProgram p;
  p.width = 1;
  p.height = 1;
  mp::TileProgram t;
  t.assembly = text;
  t.image = prog.image;
  t.routes = {{mp::color::host, mp::RouteMode::addressed, 0, 0},
              {3, mp::RouteMode::fixed, mp::bit(mp::Dir::p), mp::bit(mp::Dir::w)}};
  t.marks = {prog.symbols.at("phase_0"), prog.symbols.at("phase_1")};
  p.tiles.push_back(t);
  mp::build_setup(p);

  ws::RtlRun run(p, ws::RunOptions{1, 5000, "", 0, UINT64_MAX});
  run.setup();
  ws::PhaseClock clock(2, 1);
  mp::HostStep s;
  s.input.push_back(mp::activate_wavelet(0, 0, mp::color::host, 0));
  s.output_words = 1;
  std::vector<std::uint32_t> out;
  for (int token = 0; token < 2; ++token) {
    const ws::StepCycles c = run.step(s, out);
    const auto ph = clock.token(run.mesh(), c.entry, c.exit, 0);
    BOOST_TEST_REQUIRE(ph.size() == 2u);
    BOOST_TEST(ph[0].begin == c.entry);
    BOOST_TEST(ph[1].end == c.exit);
    BOOST_TEST(ph[0].end > ph[0].begin);
    BOOST_TEST(ph[0].work.elems == 64u);  // the whole reduction, none of phase 1's move
    BOOST_TEST(ph[0].work.macs == 64u);
    BOOST_TEST(ph[0].work.retired == 6u);
    BOOST_TEST(ph[0].cycles() >= 64u);
    BOOST_TEST_MESSAGE(fmt::format("token {}: phase 0 {} cycles, phase 1 {} cycles", token,
                                   ph[0].cycles(), ph[1].cycles()));
  }
  BOOST_TEST(run.mesh().mark_hits(0).size() == 4u);
}
