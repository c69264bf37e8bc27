// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Where the schedule model's constants come from (docs/mapping.md, "Measured constants"):
// small programs with phase marks run on the RTL mesh (wafersim's RtlRun, 1 to 3 tiles) and
// through mapper::schedule_marks; every mark must retire within kSlack cycles of the model.
// Writes every RTL and model cycle to the JSON file named by argv[1]; exit 1 on a difference.
//
// The programs isolate one cost each: scalar instructions, lw, call/ret; a vector instruction
// memory to memory of 1, 8 and 64 elements (start-up and drain); two reads in one SRAM bank;
// reductions into a register; fdotv row ends; words to the host port; streams between
// neighbours (rate, latency per hop, how far a sender may run ahead of a late receiver) and a
// multicast over two hops.
#include <fmt/format.h>
#include <fmt/os.h>

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "wm/sim/wafersim/rtl_run.hpp"
#include "wm/sw/asm/assembler.hpp"
#include "wm/sw/mapper/decoder.hpp"

namespace {

namespace mp = wm::sw::mapper;
namespace ws = wm::sim::wafersim;

constexpr std::int64_t kSlack = 2;  // cycles a mark may differ from the model

/// Assembly for one tile, with marks m0, m1, ... on chosen instructions.
class Text {
 public:
  Text& op(const std::string& s) {
    text_ += "    " + s + "\n";
    return *this;
  }
  Text& mark() {
    text_ += fmt::format("m{}:\n", marks_++);
    return *this;
  }
  Text& repeat(const std::string& s, int n) {
    for (int i = 0; i < n; ++i) op(s);
    return *this;
  }
  /// d = MEM base, n elements, stride 1 (then rows of stride1 when rows > 1).
  Text& mem(int d, int base, int n, int rows = 1, int stride1 = 0) {
    op(fmt::format("addi r1, r0, {}", base)).op(fmt::format("addi r2, r0, {}", n));
    op("addi r3, r0, 1").op(fmt::format("dsdm d{}, r1, r2, r3", d));
    if (rows > 1 || stride1 != 0) {
      op(fmt::format("addi r2, r0, {}", rows)).op(fmt::format("addi r3, r0, {}", stride1));
      op(fmt::format("dsd2 d{}, r2, r3", d));
    }
    return *this;
  }
  Text& fin(int d, int color, int n) {
    return op(fmt::format("addi r2, r0, {}", n)).op(fmt::format("dsdfi d{}, {}, r2", d, color));
  }
  Text& fout(int d, int color, int n) {
    return op(fmt::format("addi r2, r0, {}", n)).op(fmt::format("dsdfo d{}, {}, r2, r0", d, color));
  }
  /// One word to the host (so the host step ends), then exit.
  Text& finish(bool to_host) {
    if (to_host) fout(7, mp::color::gather0, 1).mem(6, 1000, 1).op("fmov d7, d6");
    return op("exit").op("ret_here: ret");
  }
  [[nodiscard]] const std::string& str() const { return text_; }

 private:
  std::string text_ = "boot:\n";
  int marks_ = 0;
};

struct Case {
  std::string name;
  std::vector<Text> tiles;  // a row of tiles, (0, 0) first
  std::vector<std::vector<mp::Route>> extra_routes;
  std::size_t out_words = 1;
};

mp::MeshProgram build(const Case& c) {
  mp::MeshProgram p;
  p.width = static_cast<int>(c.tiles.size());
  p.height = 1;
  for (int x = 0; x < p.width; ++x) {
    const auto prog = wm::sw::assembler::assemble(c.tiles[static_cast<std::size_t>(x)].str());
    mp::TileProgram t;
    t.x = x;
    t.assembly = c.tiles[static_cast<std::size_t>(x)].str();
    t.image = prog.image;
    t.routes = {{mp::color::host, mp::RouteMode::addressed, 0, 0}};
    if (x == 0) {
      t.routes.push_back(
          {mp::color::gather0, mp::RouteMode::fixed, mp::bit(mp::Dir::p), mp::bit(mp::Dir::w)});
    }
    // The decode's row chain: tile x sends west on reduce(x), receives reduce(x + 1) from E.
    const auto reduce = [](int col) {
      return col % 2 == 0 ? mp::color::reduce0 : mp::color::reduce1;
    };
    if (x > 0) {
      t.routes.push_back(
          {reduce(x), mp::RouteMode::fixed, mp::bit(mp::Dir::p), mp::bit(mp::Dir::w)});
    }
    if (x + 1 < p.width) {
      t.routes.push_back(
          {reduce(x + 1), mp::RouteMode::fixed, mp::bit(mp::Dir::e), mp::bit(mp::Dir::p)});
    }
    if (static_cast<std::size_t>(x) < c.extra_routes.size()) {
      for (const mp::Route& r : c.extra_routes[static_cast<std::size_t>(x)]) t.routes.push_back(r);
    }
    for (int i = 0; prog.symbols.contains(fmt::format("m{}", i)); ++i) {
      t.marks.push_back(prog.symbols.at(fmt::format("m{}", i)));
    }
    p.tiles.push_back(std::move(t));
  }
  mp::build_setup(p);
  return p;
}

std::vector<Case> cases() {
  std::vector<Case> out;
  const auto one = [&](const std::string& name, Text t, std::size_t words = 1) {
    out.push_back({name, {std::move(t)}, {}, words});
  };
  one("scalar_x10",
      Text().mark().repeat("addi r5, r0, 1", 10).mark().op("addi r5, r0, 0").finish(true));
  one("lw_x4", Text().mark().repeat("lw r5, 100(r0)", 4).mark().op("addi r5, r0, 0").finish(true));
  one("call_ret", Text().mark().op("call ret_here").mark().op("addi r5, r0, 0").finish(true));
  for (const int n : {1, 8, 64}) {
    one(fmt::format("fmov_mem_{}", n), Text()
                                           .mem(0, 1000, n)
                                           .mem(1, 2001, n)
                                           .mark()
                                           .op("fmov d1, d0")
                                           .mark()
                                           .op("addi r5, r0, 0")
                                           .finish(true));
  }
  one("fmac_dot_same_dsd_64", Text()
                                  .mem(0, 1000, 64)
                                  .op("addi r4, r0, 0")
                                  .mark()
                                  .op("fmac r4, d0, d0")
                                  .mark()
                                  .op("addi r5, r0, 0")
                                  .finish(true));
  one("fmac_dot_two_banks_64", Text()
                                   .mem(0, 1000, 64)
                                   .mem(1, 2001, 64)
                                   .op("addi r4, r0, 0")
                                   .mark()
                                   .op("fmac r4, d0, d1")
                                   .mark()
                                   .op("addi r5, r0, 0")
                                   .finish(true));
  one("fmul_same_bank_64", Text()
                               .mem(1, 1000, 64)
                               .mem(2, 2000, 64)
                               .mark()
                               .op("fmul d1, d1, d2")
                               .mark()
                               .op("addi r5, r0, 0")
                               .finish(true));
  one("fmul_two_banks_64", Text()
                               .mem(1, 1000, 64)
                               .mem(2, 2001, 64)
                               .mark()
                               .op("fmul d1, d1, d2")
                               .mark()
                               .op("addi r5, r0, 0")
                               .finish(true));
  one("fmul_scalar_64", Text()
                            .mem(1, 1000, 64)
                            .mem(0, 2003, 64)
                            .op("addi r4, r0, 0")
                            .mark()
                            .op("fmul d1, d0, r4")
                            .mark()
                            .op("addi r5, r0, 0")
                            .finish(true));
  one("frsum_64", Text()
                      .mem(2, 1000, 64)
                      .op("addi r4, r0, 0")
                      .mark()
                      .op("frsum r4, d2")
                      .mark()
                      .op("addi r5, r0, 0")
                      .finish(true));
  for (const auto& [rows, k] : {std::pair{1, 64}, {4, 16}, {16, 4}, {16, 16}}) {
    one(fmt::format("fdotv_{}x{}", rows, k), Text()
                                                 .mem(2, 3000, rows)
                                                 .mem(0, 1000, k, rows, k)
                                                 .mem(1, 2001, k, rows, 0)
                                                 .mark()
                                                 .op("fdotv d2, d0, d1")
                                                 .mark()
                                                 .op("addi r5, r0, 0")
                                                 .finish(true));
  }
  one("fout_host_64",
      Text()
          .fout(5, mp::color::gather0, 64)
          .mem(6, 1000, 64)
          .mark()
          .op("fmov d5, d6")
          .mark()
          .op("addi r5, r0, 0")
          .finish(true),
      65);
  // Streams along the row chain: the far tile sends n words, middle tiles add and pass them
  // on, tile 0 stores them; `late` delays tile 0 (the sender runs ahead until it is blocked).
  const auto chain = [&](int width, int n, int late) {
    Case c{fmt::format("chain_{}_tiles_{}_late_{}", width, n, late), {}, {}, 1};
    const auto reduce = [](int col) { return col % 2 == 0 ? 1 : 2; };
    for (int x = 0; x < width; ++x) {
      Text t;
      t.mark();
      if (x == 0) {
        t.repeat("addi r5, r0, 0", late)
            .fin(4, reduce(1), n)
            .mem(5, 2000, n)
            .mark()
            .op("fmov d5, d4")
            .mark()
            .op("addi r5, r0, 0")
            .finish(true);
      } else if (x == width - 1) {
        t.fout(3, reduce(x), n)
            .mem(2, 1000, n)
            .mark()
            .op("fmov d3, d2")
            .mark()
            .op("addi r5, r0, 0")
            .finish(false);
      } else {
        t.fin(4, reduce(x + 1), n)
            .fout(3, reduce(x), n)
            .mem(2, 1000, n)
            .mark()
            .op("fadd d3, d4, d2")
            .mark()
            .op("addi r5, r0, 0")
            .finish(false);
      }
      c.tiles.push_back(std::move(t));
    }
    out.push_back(std::move(c));
  };
  chain(2, 64, 0);
  chain(3, 64, 0);
  chain(4, 64, 0);
  chain(2, 64, 100);
  chain(2, 16, 100);
  // A multicast from (0, 0) east to (1, 0) and (2, 0) (one and two hops), as the decode's
  // broadcast: each receiver stores the stream.
  // `late` delays the far receiver: the sender runs ahead of it by the queues of two hops.
  for (const int late : {0, 100}) {
    constexpr std::uint8_t kColor = 5;
    Case c{fmt::format("multicast_2_hops_64_late_{}", late), {}, {}, 1};
    c.tiles.push_back(std::move(Text()
                                    .mark()
                                    .fout(6, kColor, 64)
                                    .mem(7, 1000, 64)
                                    .mark()
                                    .op("fmov d6, d7")
                                    .mark()
                                    .op("addi r5, r0, 0")
                                    .finish(true)));
    for (int x = 1; x < 3; ++x) {
      c.tiles.push_back(std::move(Text()
                                      .mark()
                                      .repeat("addi r5, r0, 0", x == 2 ? late : 0)
                                      .fin(6, kColor, 64)
                                      .mem(7, 2000, 64)
                                      .mark()
                                      .op("fmov d7, d6")
                                      .mark()
                                      .op("addi r5, r0, 0")
                                      .finish(false)));
    }
    c.extra_routes = {{{kColor, mp::RouteMode::fixed, mp::bit(mp::Dir::p), mp::bit(mp::Dir::e)}},
                      {{kColor, mp::RouteMode::fixed, mp::bit(mp::Dir::w),
                        static_cast<std::uint8_t>(mp::bit(mp::Dir::p) | mp::bit(mp::Dir::e))}},
                      {{kColor, mp::RouteMode::fixed, mp::bit(mp::Dir::w), mp::bit(mp::Dir::p)}}};
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string path = argc > 1 ? argv[1] : "mapper_timing.json";
    int failures = 0;
    std::string json = "{\"slack\": " + std::to_string(kSlack) + ", \"cases\": [";
    bool first = true;
    for (const Case& c : cases()) {
      const mp::MeshProgram p = build(c);
      mp::HostStep s;
      for (int x = 0; x < p.width; ++x) {
        s.input.push_back(mp::activate_wavelet(x, 0, mp::color::host, 0));
      }
      s.output_words = c.out_words;
      ws::RtlRun run(p, ws::RunOptions{1, 20'000, "", 0, UINT64_MAX});
      run.setup();
      std::vector<std::uint32_t> out;
      const ws::StepCycles cyc = run.step(s, out);
      const mp::MarkSchedule model = mp::schedule_marks(p, s);
      for (int x = 0; x < p.width; ++x) {
        std::vector<std::int64_t> rtl;
        for (const auto& h : run.mesh().mark_hits(static_cast<unsigned>(x))) {
          rtl.push_back(static_cast<std::int64_t>(h.cycle - cyc.entry));
        }
        const auto& mod = model.marks[static_cast<std::size_t>(x)];
        bool ok = rtl.size() == mod.size();
        for (std::size_t i = 0; ok && i < rtl.size(); ++i) ok = std::abs(rtl[i] - mod[i]) <= kSlack;
        failures += ok ? 0 : 1;
        fmt::print("{:28} tile {}  rtl {:<24} model {:<24} {}\n", c.name, x,
                   fmt::format("{}", fmt::join(rtl, " ")), fmt::format("{}", fmt::join(mod, " ")),
                   ok ? "ok" : "DIFFERS");
        json +=
            fmt::format("{}\n  {{\"name\": \"{}\", \"tile\": {}, \"rtl\": [{}], \"model\": [{}]}}",
                        first ? "" : ",", c.name, x, fmt::join(rtl, ", "), fmt::join(mod, ", "));
        first = false;
      }
    }
    json += "\n]}\n";
    auto f = fmt::output_file(path);
    f.print("{}", json);
    if (failures > 0) {
      fmt::print(stderr,
                 "bench_mapper_timing: {} tile(s) differ from the schedule model by more "
                 "than {} cycles\n",
                 failures, kSlack);
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench_mapper_timing: {}\n", e.what());
    return 1;
  }
}
