// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// wm_fabric_mesh (one shape per executable: WM_MESH_W x WM_MESH_H) against the C++ routing
// model and scoreboard: every wavelet delivered exactly once, to the right ramps, in order per
// (source, color); multicast copies all arrive; drops only where the model says, with the right
// error bits; a watchdog names the stuck queues. WM_ITERS (default 1) scales the run lengths.
#include WM_MODEL_HEADER

#include <wm/harness/harness.hpp>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "fabric_driver.hpp"
#include "fabric_setup.hpp"
#include "traffic.hpp"

using namespace wm::harness;
using namespace wm::tb::router;
using Dut = WM_MODEL;

WM_TEST_DUT(WM_MODEL);

namespace {

constexpr unsigned kW = WM_MESH_W, kH = WM_MESH_H, kTiles = kW * kH;
constexpr unsigned kColors = WM_COLORS, kDepth = WM_QUEUE_DEPTH;
// Cycles per hop: 1 in the router, 1 on the registered link, plus the extra link stages.
constexpr unsigned kHopCycles = 2 + WM_HOP_LATENCY;
// The color plan of the mixed tests: addressed colors, two broadcast trees, a row to the host.
constexpr unsigned kAddressed = 5, kBcastA = 5, kBcastB = 6, kToHost = 7;
static_assert(kColors == 8, "the color plan below assumes 8 colors");

unsigned iters() {
  const char* e = std::getenv("WM_ITERS");
  return e ? static_cast<unsigned>(std::stoul(e)) : 1;
}

std::vector<unsigned> colors(unsigned from, unsigned to) {
  std::vector<unsigned> v;
  for (unsigned c = from; c < to; ++c) v.push_back(c);
  return v;
}

// One clock cycle: inputs right after the edge, observations once the design has settled.
Task<> step(Dut& dut, FabricDriver<Dut>& drv) {
  co_await RisingEdge(dut.clk_i);
  drv.drive();
  co_await ReadOnly();
  drv.sample();
}

// Runs until every queue, link and expectation is empty (the watchdog catches a hang). A drop
// is counted at the edge that takes the wavelet out of sight, so the counters are final then.
Task<> drain(Dut& dut, FabricDriver<Dut>& drv) {
  while (!drv.drained()) co_await step(dut, drv);
}

Task<> reset(Dut& dut) {
  dut.rst_ni = 0;
  co_await ClockCycles(dut.clk_i, 2);
  dut.rst_ni = 1;
}

// Offers traffic for `cycles` cycles: each tile, with chance `load` per cycle, asks `pick` for
// a (color, destination) and queues it unless `cap` wavelets already wait there.
template <class Pick>
Task<> offer(Dut& dut, FabricDriver<Dut>& drv, unsigned cycles, double load, std::size_t cap,
             Pick pick) {
  auto& rng = TestContext::current().random();
  std::bernoulli_distribution inject(load);
  for (unsigned i = 0; i < cycles; ++i) {
    for (unsigned t = 0; t < kTiles; ++t) {
      if (inject(rng) && drv.pending(t) < cap) pick(t, rng);
    }
    co_await step(dut, drv);
  }
}

unsigned hops(unsigned a, unsigned b) {
  return static_cast<unsigned>(std::abs(static_cast<int>(a % kW) - static_cast<int>(b % kW)) +
                               std::abs(static_cast<int>(a / kW) - static_cast<int>(b / kW)));
}

}  // namespace

// Addressed routing on every color at once, under random backpressure at every ramp.
WM_TEST(uniform_random_all_colors_with_backpressure) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await reset(dut);
  MeshRoutes routes(kW, kH, kColors);
  for (unsigned c = 0; c < kColors; ++c) set_addressed(routes, c);
  FabricDriver<Dut> drv(dut, routes, kDepth, WM_HOP_LATENCY, seed());
  send_config(drv, routes, colors(0, kColors));
  co_await drain(dut, drv);

  drv.set_ramp_ready(0.6);
  std::uniform_int_distribution<unsigned> color(0, kColors - 1);
  co_await offer(dut, drv, 1500 * iters(), 0.5, 32, [&](unsigned t, std::mt19937_64& rng) {
    drv.send(t, color(rng), destination(Pattern::Uniform, t, kW, kH, rng));
  });
  co_await drain(dut, drv);
  drv.check_errors();
  check(drv.scoreboard().delivered() > 200u * kTiles * iters() / 4,
        "only {} wavelets delivered", drv.scoreboard().delivered());
  log().info("{} wavelets delivered in {} cycles", drv.scoreboard().delivered(), drv.cycle());
}

// Every standard pattern at full offered load (past saturation), with backpressure.
WM_TEST(patterns_past_saturation) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await reset(dut);
  MeshRoutes routes(kW, kH, kColors);
  for (unsigned c = 0; c < kColors; ++c) set_addressed(routes, c);
  FabricDriver<Dut> drv(dut, routes, kDepth, WM_HOP_LATENCY, seed());
  send_config(drv, routes, colors(0, kColors));
  co_await drain(dut, drv);

  drv.set_ramp_ready(0.8);
  std::uniform_int_distribution<unsigned> color(0, kColors - 1);
  for (Pattern p : {Pattern::Transpose, Pattern::BitComplement, Pattern::Hotspot,
                    Pattern::Neighbour, Pattern::Uniform}) {
    const std::uint64_t before = drv.scoreboard().delivered();
    co_await offer(dut, drv, 600 * iters(), 1.0, 16, [&](unsigned t, std::mt19937_64& rng) {
      drv.send(t, color(rng), destination(p, t, kW, kH, rng));
    });
    co_await drain(dut, drv);
    log().info("{}: {} wavelets", name(p), drv.scoreboard().delivered() - before);
  }
  drv.check_errors();
}

// Static multicast trees, a many-to-one route into the host, host-fed broadcasts and
// addressed traffic, all at once with backpressure at the ramps and the host.
WM_TEST(static_multicast_and_host_with_addressed) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await reset(dut);
  MeshRoutes routes(kW, kH, kColors);
  for (unsigned c = 0; c < kAddressed; ++c) set_addressed(routes, c);
  const unsigned root_a = 0, root_b = kTiles - 1;
  set_broadcast(routes, kBcastA, root_a);
  set_broadcast(routes, kBcastB, root_b);
  set_row0_to_host(routes, kToHost);
  FabricDriver<Dut> drv(dut, routes, kDepth, WM_HOP_LATENCY, seed());
  send_config(drv, routes, colors(0, kColors));
  co_await drain(dut, drv);

  drv.set_ramp_ready(0.7);
  drv.set_host_credit(0.5);
  std::uniform_int_distribution<unsigned> kind(0, 9), color(0, kAddressed - 1);
  std::uint64_t bcasts = 0, to_host = 0;
  co_await offer(dut, drv, 1200 * iters(), 0.3, 16, [&](unsigned t, std::mt19937_64& rng) {
    const unsigned k = kind(rng);
    if (k == 0 && t == root_a) {
      drv.send(t, kBcastA, 0);
      ++bcasts;
    } else if (k == 1 && t == root_b) {
      drv.send(t, kBcastB, 0);
      ++bcasts;
    } else if (k == 2 && t < kW) {
      drv.send(t, kToHost, 0);
      ++to_host;
    } else if (k == 3 && t == 0) {
      drv.send_host_data(kBcastA, 0);
      ++bcasts;
    } else {
      drv.send(t, color(rng), destination(Pattern::Uniform, t, kW, kH, rng));
    }
  });
  co_await drain(dut, drv);
  drv.check_errors();
  check(bcasts > 0 && to_host > 0, "no broadcast ({}) or host traffic ({})", bcasts, to_host);
  log().info("{} broadcasts, {} to the host, {} deliveries", bcasts, to_host,
             drv.scoreboard().delivered());
}

// A PE that blocks one color holds up that color only: the others still flow through the same
// ramp and the same links. Unblocking it lets the held color drain.
WM_TEST(blocked_color_does_not_block_others) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await reset(dut);
  MeshRoutes routes(kW, kH, kColors);
  for (unsigned c = 0; c < kColors; ++c) set_addressed(routes, c);
  FabricDriver<Dut> drv(dut, routes, kDepth, WM_HOP_LATENCY, seed());
  send_config(drv, routes, colors(0, kColors));
  co_await drain(dut, drv);

  const unsigned hot = kTiles / 2;
  drv.block(hot, 0, true);
  std::uniform_int_distribution<unsigned> color(0, kColors - 1);
  // Held color-0 wavelets stay bounded: every held one fills a source's window (8 pending), so
  // in a long run (WM_ITERS) every source would end up full of them and no color could be
  // offered at all, which is a stalled test, not a router that lets colors block each other.
  const std::uint64_t max_held = 2 * kTiles;
  co_await offer(dut, drv, 400 * iters(), 0.3, 8, [&](unsigned t, std::mt19937_64& rng) {
    unsigned c = color(rng);
    if (c == 0 && drv.scoreboard().outstanding(0) >= max_held) c = 1 + (c + t) % (kColors - 1);
    drv.send(t, c, rng() % 2 ? hot : destination(Pattern::Uniform, t, kW, kH, rng));
  });
  // Let everything that can arrive arrive; color 0 to `hot` must be all that is left.
  for (unsigned i = 0; i < 200 * (kW + kH); ++i) co_await step(dut, drv);
  const std::uint64_t held = drv.scoreboard().outstanding(0);
  check(held > 0, "nothing of color 0 was held: the test did not exercise blocking");
  check(drv.scoreboard().outstanding() == held,
        "{} wavelets of other colors are stuck behind blocked color 0: {}",
        drv.scoreboard().outstanding() - held, drv.scoreboard().describe_outstanding(8));
  drv.block(hot, 0, false);
  co_await drain(dut, drv);
  drv.check_errors();
}

// Drops happen exactly where the routing model says, with the right sticky bit and count, and
// the good traffic around them is delivered untouched: an unconfigured color, a static color
// entered from outside its receive set, addressed and static routes off the mesh edge, a color
// beyond the router's, and a configuration of a color the router does not have.
WM_TEST(errors_drop_only_the_offenders) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await reset(dut);
  MeshRoutes routes(kW, kH, kColors);
  for (unsigned c = 0; c < kAddressed; ++c) set_addressed(routes, c);
  set_broadcast(routes, kBcastA, 0);
  // kBcastB: one bad static route, at the north-east corner, pointing off the edge; every
  // other tile leaves it unconfigured. kToHost stays unconfigured everywhere.
  const unsigned corner = kW - 1;
  routes.at(corner, kBcastB) = Route{Mode::Static, bit(Dir::P), bit(Dir::P) | bit(Dir::N)};
  FabricDriver<Dut> drv(dut, routes, kDepth, WM_HOP_LATENCY, seed());
  send_config(drv, routes, colors(0, kBcastA + 1));
  drv.send_from_host(config_wavelet(corner % kW, corner / kW, 0, kBcastB,
                                    routes.at(corner, kBcastB)));
  drv.send_from_host(config_wavelet(kW - 1, kH - 1, 1, 30, Route{Mode::Addressed, 0, 0}));
  co_await drain(dut, drv);

  drv.set_ramp_ready(0.7);
  std::uniform_int_distribution<unsigned> kind(0, 11), color(0, kAddressed - 1);
  unsigned bad = 0;
  co_await offer(dut, drv, 800 * iters(), 0.3, 16, [&](unsigned t, std::mt19937_64& rng) {
    const unsigned x = t % kW, y = t / kW;
    switch (kind(rng)) {
      case 0: drv.send(t, kToHost, 0); ++bad; break;                  // unconfigured color
      case 1: drv.send(t, kBcastA, 0); bad += t != 0; break;          // P not in receive set
      case 2: drv.send_raw(t, {false, kW, y, color(rng), 0}); ++bad; break;  // off the east edge
      case 3: drv.send_raw(t, {false, x, kH, color(rng), 0}); ++bad; break;  // off the south edge
      case 4: drv.send(t, kBcastB, 0); ++bad; break;                  // static route off edge
      case 5: drv.send_raw(t, {false, 0, 0, 29, 0}); ++bad; break;    // color beyond NumColors
      default: drv.send(t, color(rng), destination(Pattern::Uniform, t, kW, kH, rng)); break;
    }
  });
  co_await drain(dut, drv);
  drv.check_errors();
  check(bad > 0, "no bad wavelet was sent");
  log().info("{} bad wavelets dropped where the model said, {} good ones delivered", bad,
             drv.scoreboard().delivered());
}

// Zero-load latency is exactly 1 (ramp) + 2 + HopLatency per hop (router, registered link and
// its extra stages), from every tile to every tile on meshes up to 4 x 4 and from the corners
// on bigger ones.
WM_TEST(zero_load_latency_per_hop) {
  Clock clk(dut.clk_i, 10, Unit::ns);
  start_soon(clk.start());
  co_await reset(dut);
  MeshRoutes routes(kW, kH, kColors);
  for (unsigned c = 0; c < kColors; ++c) set_addressed(routes, c);
  FabricDriver<Dut> drv(dut, routes, kDepth, WM_HOP_LATENCY, seed());
  send_config(drv, routes, colors(0, kColors));
  co_await drain(dut, drv);

  std::vector<unsigned> sources;
  for (unsigned s = 0; s < kTiles; ++s) {
    if (kTiles <= 16 || s == 0 || s == kW - 1 || s == kTiles - kW || s == kTiles - 1) {
      sources.push_back(s);
    }
  }
  for (unsigned s : sources) {
    for (unsigned d = 0; d < kTiles; ++d) {
      drv.reset_latency();
      drv.send(s, (s + d) % kColors, d);
      co_await drain(dut, drv);
      const std::uint64_t want = 1 + kHopCycles * hops(s, d);
      check(drv.latency_max() == want, "tile {} to tile {} ({} hops): {} cycles, expected {}",
            s, d, hops(s, d), drv.latency_max(), want);
    }
  }
}
