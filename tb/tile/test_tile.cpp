// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// wm_tile alone (a 1 x 1 wm::sim::Mesh): the host configures the router through the host port,
// LOADs a program and its data through the router's ramp into the real SRAM, ACTIVATEs task 0,
// and the program's results come back as wavelets. The same image, data and activation run on
// wm::sw::ref::Pe (the instruction-accurate reference); every wavelet must match.
#define BOOST_TEST_MODULE test_tile
#include <boost/test/unit_test.hpp>
#include <bit>
#include <cstdint>
#include <fmt/format.h>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <wm/sim/host.hpp>
#include <wm/sim/tile_mesh.hpp>
#include <wm/sw/asm/assembler.hpp>
#include <wm/sw/isa/isa.hpp>
#include <wm/sw/ref/pe.hpp>

namespace {

using wm::sim::bit;
using wm::sim::Dir;
using wm::sim::Wavelet;
namespace isa = wm::sw::isa;

constexpr unsigned kLoad = 0, kOut = 6;
constexpr std::uint32_t kData = 0x200;
constexpr unsigned kN = 24;

// Vector ops over SRAM (fmul, fadd, fmax, dot-product fmac, frsum on two engines, one of them
// async), a scalar integer loop with lw/sw, and results streamed out by a FOUT DSD and send.
const char* kProgram = R"(
    li r1, 0x200        ; a
    li r2, 24
    li r3, 1
    dsdm d0, r1, r2, r3
    li r1, 0x218        ; b
    dsdm d1, r1, r2, r3
    li r1, 0x230        ; c = a * b + a, max(c, b)
    dsdm d2, r1, r2, r3
    fmul d2, d0, d1, e=1, async
    ewait 1
    fadd d2, d2, d0
    fmax d2, d2, d1
    li r5, 0
    fmac r5, d0, d1      ; dot(a, b)
    li r6, 0
    frsum r6, d2, e=2
    li r7, 0             ; integer sum of the raw bits of a, scalar loop
    li r8, 0x200
    li r9, 24
  loop:
    lw r10, 0(r8)
    add r7, r7, r10
    addi r8, r8, 1
    addi r9, r9, -1
    bne r9, r0, loop
    sw r7, 0x260(r0)
    lw r11, 0x260(r0)
    dsdfo d3, 6, r2, r0
    fmov d3, d2          ; c out, 24 wavelets
    li r12, 0x21         ; dest header (1, 1) on the last three
    send r5, r12, 6
    send r6, r12, 6
    send r11, r12, 6
    halt
)";

}  // namespace

BOOST_AUTO_TEST_CASE(program_loaded_through_the_ramp_matches_reference) {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<float> u(-3.0F, 3.0F);
  std::vector<std::uint32_t> data(2 * kN);
  for (auto& d : data) d = std::bit_cast<std::uint32_t>(u(rng));
  const auto prog = wm::sw::assembler::assemble(kProgram, "tile_test");

  // Reference: the image and the data in SRAM, task 0 activated.
  wm::sw::ref::Pe ref;
  ref.load(prog.image.words);
  for (unsigned i = 0; i < data.size(); ++i) ref.write_mem(kData + i, data[i]);
  ref.push_input({isa::ctrl_word(isa::CtrlCmd::activate, 0), 0, true});
  BOOST_TEST_REQUIRE((ref.run() == wm::sw::ref::RunEnd::halted));
  std::vector<Wavelet> want;
  while (auto w = ref.pop_output()) {
    want.push_back({w->ctrl, w->dst_x, w->dst_y, w->color, w->data});
  }
  BOOST_TEST_REQUIRE(want.size() == kN + 3);

  // The tile: everything through the host port and the router.
  wm::sim::MeshOptions opt;
  opt.width = 1;
  opt.height = 1;
  opt.count_activity = true;
  wm::sim::Mesh mesh(opt);
  mesh.run(3);
  mesh.set_reset(false);
  wm::sim::HostLink host;
  host.send(wm::sim::config_wavelet(0, 0, kLoad, wm::sim::RouteMode::Addressed));
  host.send(wm::sim::config_wavelet(0, 0, kOut, wm::sim::RouteMode::Static, bit(Dir::P),
                                    bit(Dir::W)));
  std::vector<std::uint32_t> code;
  for (const auto& [addr, word] : prog.image.words) {
    BOOST_TEST_REQUIRE(addr == code.size());
    code.push_back(word);
  }
  host.send({true, 0, 0, kLoad, isa::ctrl_load(static_cast<std::uint32_t>(code.size()), 0)});
  for (auto w : code) host.send({false, 0, 0, kLoad, w});
  host.send({true, 0, 0, kLoad, isa::ctrl_load(static_cast<std::uint32_t>(data.size()), kData)});
  for (auto w : data) host.send({false, 0, 0, kLoad, w});
  host.send({true, 0, 0, kLoad, isa::ctrl_word(isa::CtrlCmd::activate, 0)});
  while (mesh.cycle() < 50'000 && !(mesh.all_halted() && host.received().size() >= want.size())) {
    wm::sim::host_step(mesh, host);
  }
  mesh.run(20);  // nothing more may arrive
  host.observe(mesh.host_out());
  const auto s = mesh.status(0);
  BOOST_TEST_REQUIRE(s.halted);
  BOOST_TEST(s.err_code == static_cast<unsigned>(ref.error()));
  BOOST_TEST(s.router_err == 0u);
  BOOST_TEST(s.drops == 0u);
  BOOST_TEST(!s.sram_err);
  const auto& got = host.received();
  BOOST_TEST_REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    BOOST_TEST((got[i] == want[i]),
               fmt::format("wavelet {}: data {:#010x} dst ({}, {}) color {}, reference {:#010x} "
                           "({}, {}) {}", i, got[i].data, got[i].dst_x, got[i].dst_y,
                           got[i].color, want[i].data, want[i].dst_x, want[i].dst_y,
                           want[i].color));
  }
  const auto& act = mesh.activity(0);
  BOOST_TEST(act.macs >= kN);  // the dot product, at least
  BOOST_TEST(act.ramp_rx == 1 + code.size() + 1 + data.size() + 1);
  BOOST_TEST(act.ramp_tx == want.size());
  BOOST_TEST_MESSAGE(fmt::format("tile: {} cycles, {} instructions retired, {} elements",
                                 mesh.cycle(), act.retired, act.elems));
}

// Waves of chosen tiles over a cycle window: the file appears when the window opens, is
// closed when it ends, and holds the tile's signals.
BOOST_AUTO_TEST_CASE(fst_window_of_one_tile) {
  const std::string dir = ".";
  wm::sim::MeshOptions opt;
  opt.width = 2;
  opt.height = 1;
  opt.trace.tiles = {1};
  opt.trace.begin = 5;
  opt.trace.end = 25;
  opt.trace.directory = dir;
  const std::string path = dir + "/tile_1_0.fst";
  std::remove(path.c_str());
  wm::sim::Mesh mesh(opt);
  mesh.run(4);
  BOOST_TEST(!std::ifstream(path).good());  // not open before the window
  mesh.run(40);
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  BOOST_TEST_REQUIRE(f.good());
  BOOST_TEST(f.tellg() > 100);
  BOOST_TEST(!std::ifstream(dir + "/tile_0_0.fst").good());  // only the chosen tile
}
