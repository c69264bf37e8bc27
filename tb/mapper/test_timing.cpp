// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The decode's two per-phase cycle models (docs/mapping.md, "Cycle estimate"): the lower bound
// and the schedule prediction, on their own (ordering, growth with the position, the phase
// list) and the schedule model on hand-written one-PE programs against cycle counts measured
// on the RTL (bench_mapper_timing re-measures them all).
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "mesh_fixture.hpp"
#include "wm/sw/asm/assembler.hpp"
#include "wm/sw/mapper/decoder.hpp"
#include "wm/sw/model/generator.hpp"

namespace wm::tb::mapper {
namespace {

namespace model = wm::sw::model;
using Phases = std::vector<mp::MeshDecoder::Phase>;

model::Weights gqa_model() {
  model::GenParams p;
  p.config.dim = 24;
  p.config.hidden_dim = 40;
  p.config.n_layers = 2;
  p.config.n_heads = 4;
  p.config.n_kv_heads = 2;
  p.config.vocab_size = 37;
  p.config.seq_len = 16;
  p.config.shared_classifier = true;
  return model::generate(p);
}

std::int64_t total(const Phases& ph) {
  std::int64_t t = 0;
  for (const auto& p : ph) t += p.cycles.total();
  return t;
}

/// Every phase: 0 < bound <= prediction, same names and layers as phases().
void check_ordered(const mp::MeshDecoder& d, int pos) {
  const Phases names = d.phases();
  const Phases b = d.bound(pos);
  const Phases p = d.predict(pos);
  BOOST_TEST_REQUIRE(b.size() == names.size());
  BOOST_TEST_REQUIRE(p.size() == names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    BOOST_TEST(b[i].name == names[i].name);
    BOOST_TEST(p[i].layer == names[i].layer);
    BOOST_TEST(b[i].cycles.total() > 0);
    BOOST_TEST(b[i].cycles.total() <= p[i].cycles.total(), names[i].name << " L" << names[i].layer);
    BOOST_TEST(p[i].cycles.compute >= 0);
    BOOST_TEST(p[i].cycles.network >= 0);
  }
}

BOOST_AUTO_TEST_SUITE(timing)

BOOST_AUTO_TEST_CASE(phase_list_follows_the_marks) {
  const auto w = model::builtin_model();
  const mp::MeshDecoder d(w, {4, 4}, {8});
  const Phases ph = d.phases();
  BOOST_TEST_REQUIRE(ph.size() == 7u * 2 + 2);
  for (const auto& t : d.program().tiles) BOOST_TEST(t.marks.size() == ph.size());
  BOOST_TEST(ph[3].name == "attention");
  BOOST_TEST(ph[3].layer == 0);
  BOOST_TEST(ph.back().name == "classifier");
  BOOST_TEST(ph.back().layer == -1);
  // estimate() is the prediction (wafersim checks the phases against it).
  const Phases e = d.estimate(5);
  const Phases p = d.predict(5);
  for (std::size_t i = 0; i < ph.size(); ++i)
    BOOST_TEST(e[i].cycles.total() == p[i].cycles.total());
}

BOOST_AUTO_TEST_CASE(bound_below_prediction) {
  const auto w = model::builtin_model();
  check_ordered(mp::MeshDecoder(w, {4, 4}, {8}), 0);
  check_ordered(mp::MeshDecoder(w, {4, 4}, {8}), 7);
  check_ordered(mp::MeshDecoder(w, {5, 4}, {4}), 3);
  const auto g = gqa_model();
  check_ordered(mp::MeshDecoder(g, {3, 2}, {4}), 3);
  check_ordered(mp::MeshDecoder(g, {2, 3}, {4}), 2);  // a mesh row without heads
  check_ordered(mp::MeshDecoder(g, {1, 1}, {4}), 1);
}

BOOST_AUTO_TEST_CASE(one_pe_bound_counts_every_element) {
  // On one PE nothing overlaps: Q (24 x 24), K and V (12 x 24 each: 2 kv heads of size 6) are
  // 1,152 fdotv elements at one per cycle, plus a few instructions.
  const auto g = gqa_model();
  const mp::MeshDecoder d(g, {1, 1}, {4});
  const Phases b = d.bound(0);
  constexpr std::int64_t kElements = (24 + 2 * 12) * 24;
  BOOST_TEST(b[1].name == "qkv");
  BOOST_TEST(b[1].cycles.total() >= kElements);
  BOOST_TEST(b[1].cycles.total() < kElements + 200);
  const Phases p = d.predict(0);
  BOOST_TEST(p[1].cycles.network < p[1].cycles.compute);  // no fabric to wait for
}

BOOST_AUTO_TEST_CASE(only_attention_grows_with_the_position) {
  const auto w = model::builtin_model();
  const mp::MeshDecoder d(w, {4, 4}, {8});
  const Phases b0 = d.bound(0);
  const Phases b7 = d.bound(7);
  const Phases p0 = d.predict(0);
  const Phases p7 = d.predict(7);
  for (std::size_t i = 0; i < b0.size(); ++i) {
    if (b0[i].name == "attention") {
      BOOST_TEST(b7[i].cycles.total() > b0[i].cycles.total());
      BOOST_TEST(p7[i].cycles.total() > p0[i].cycles.total());
    } else {
      BOOST_TEST(b7[i].cycles.total() == b0[i].cycles.total(), b0[i].name);
      // The cache slot and RoPE table row move with the position, and with them which SRAM
      // banks two operands share: a few cycles either way, nothing more.
      const std::int64_t diff = p7[i].cycles.total() - p0[i].cycles.total();
      BOOST_TEST(std::abs(diff) <= 16, b0[i].name << " L" << b0[i].layer << ": " << diff);
    }
  }
  BOOST_TEST(total(p7) > total(p0));
  BOOST_TEST_MESSAGE("4x4 pos 7: bound " << total(b7) << ", prediction " << total(p7));
}

// The bank-aware layout (docs/mapping.md, "SRAM banks"): no GEMV, norm, residual, SwiGLU,
// softmax or attention score reads its two operands from one bank, so the prediction (which
// counts same-bank reads at 2 cycles) stays near the bound (which counts none). Packed densely,
// as before the layout, the ratios were 1.26 (4x4) and 1.50 (3x2).
BOOST_AUTO_TEST_CASE(bank_aware_layout_keeps_prediction_near_bound) {
  const auto w = model::builtin_model();
  const auto g = gqa_model();
  const mp::MeshDecoder d44(w, {4, 4}, {3});
  const mp::MeshDecoder d32(g, {3, 2}, {4});
  for (const auto& [d, pos] : {std::pair{&d44, 2}, std::pair{&d32, 3}}) {
    const std::int64_t p = total(d->predict(pos));
    const std::int64_t b = total(d->bound(pos));
    BOOST_TEST(p * 10 <= b * 12, "prediction " << p << ", bound " << b);
  }
}

/// The schedule model of a one-PE program with marks m0, m1, ... (started by ACTIVATE).
mp::MarkSchedule one_pe(const std::string& text) {
  const auto prog = sw::assembler::assemble(text);
  mp::MeshProgram p;
  p.width = 1;
  p.height = 1;
  mp::TileProgram t;
  t.image = prog.image;
  for (int i = 0; prog.symbols.contains("m" + std::to_string(i)); ++i) {
    t.marks.push_back(prog.symbols.at("m" + std::to_string(i)));
  }
  p.tiles.push_back(t);
  mp::HostStep s;
  s.input.push_back(mp::activate_wavelet(0, 0, mp::color::host, 0));
  return mp::schedule_marks(p, s);
}

BOOST_AUTO_TEST_CASE(one_pe_programs_as_measured_on_the_rtl) {
  // Cycle counts from the RTL (bench_mapper_timing, tb/mapper/bench_timing.cpp): ten addi take
  // ten cycles; a 64-element fmov memory to memory retires 69 cycles after the instruction
  // before it, a dot fmac of one DSD with itself (both reads in one bank) 132, a frsum 68.
  const std::string setup =
      "    addi r1, r0, 1000\n    addi r2, r0, 64\n    addi r3, r0, 1\n"
      "    dsdm d0, r1, r2, r3\n    addi r1, r0, 2001\n    dsdm d1, r1, r2, r3\n"
      "    addi r4, r0, 0\n";
  const auto m = one_pe("m0:\n" + setup +
                        "m1:\n    addi r5, r0, 1\n    addi r5, r0, 1\n    addi r5, r0, 1\n"
                        "    addi r5, r0, 1\n    addi r5, r0, 1\n    addi r5, r0, 1\n"
                        "    addi r5, r0, 1\n    addi r5, r0, 1\n    addi r5, r0, 1\n"
                        "    addi r5, r0, 1\nm2:\n    fmov d1, d0\nm3:\n    fmac r4, d0, d0\n"
                        "m4:\n    frsum r4, d0\nm5:\n    addi r5, r0, 0\n    exit\n");
  BOOST_TEST_REQUIRE(m.marks.size() == 1u);
  const auto& t = m.marks[0];
  BOOST_TEST_REQUIRE(t.size() == 6u);
  // A mark is reached when its instruction retires.
  BOOST_TEST(t[0] == 4);  // the first instruction retires 4 cycles after ACTIVATE enters
  BOOST_TEST(t[2] - t[1] == 9 + 69);
  BOOST_TEST(t[3] - t[2] == 132);
  BOOST_TEST(t[4] - t[3] == 68);
  BOOST_TEST(t[5] - t[4] == 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace wm::tb::mapper
