// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "route_model.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace wm::tb::router {

Wavelet config_wavelet(unsigned x, unsigned y, unsigned via, unsigned color, const Route& route) {
  const std::uint32_t data = (0xFu << 28) | ((color & 31u) << 23) |
                             ((static_cast<unsigned>(route.mode) & 3u) << 21) |
                             ((route.rx & 31u) << 5) | (route.tx & 31u);
  return Wavelet{true, x, y, via, data};
}

MeshRoutes::MeshRoutes(unsigned width, unsigned height, unsigned colors)
    : width_(width), height_(height), colors_(colors), table_(width * height * colors) {
  if (width < 1 || height < 1 || width > 32 || height > 32 || colors < 1 || colors > 24) {
    throw std::invalid_argument(
        fmt::format("mesh {}x{} with {} colors: the RTL supports 1..32 x 1..32, 1..24 colors",
                    width, height, colors));
  }
}

unsigned MeshRoutes::off_edge(unsigned tile) const {
  const unsigned x = tile % width_, y = tile / width_;
  unsigned off = 0;
  if (x == 0 && y != 0) off |= bit(Dir::W);  // (0, 0) W is the host port
  if (x == width_ - 1) off |= bit(Dir::E);
  if (y == 0) off |= bit(Dir::N);
  if (y == height_ - 1) off |= bit(Dir::S);
  return off;
}

namespace {

bool is_config(const Wavelet& w) { return w.ctrl && (w.data >> 28) == 0xFu; }

// Dimension-ordered: X first, then Y (row 0 is north).
Dir xy_route(unsigned x, unsigned y, const Wavelet& w) {
  if (w.dst_x > x) return Dir::E;
  if (w.dst_x < x) return Dir::W;
  if (w.dst_y > y) return Dir::S;
  if (w.dst_y < y) return Dir::N;
  return Dir::P;
}

Dir opposite(Dir d) {
  switch (d) {
    case Dir::W: return Dir::E;
    case Dir::E: return Dir::W;
    case Dir::N: return Dir::S;
    case Dir::S: return Dir::N;
    default: return Dir::P;
  }
}

}  // namespace

void MeshRoutes::trace(unsigned src, const Wavelet& w, Dir in, Outcome& out) const {
  out.delivered.clear();
  out.drops.clear();
  out.to_host = 0;
  if (w.color >= colors_) {
    out.drops.push_back({src, Err::Unconfigured});
    return;
  }
  // Every (tile, input port) the wavelet reaches; a tree visits each at most once, so more
  // visits than that means the static routes loop.
  auto& frontier = out.frontier;
  frontier.assign(1, {src, in});
  unsigned visits = 0;
  while (!frontier.empty()) {
    const auto [t, from] = frontier.back();
    frontier.pop_back();
    if (++visits > tiles() * kNumDirs) {
      throw std::runtime_error(fmt::format(
          "static routes of color {} loop: the wavelet from tile {} never settles", w.color, src));
    }
    const unsigned x = t % width_, y = t / width_;
    const Route& r = at(t, w.color);
    unsigned route = 0;
    if (is_config(w) || r.mode == Mode::Addressed) {
      const Dir d = xy_route(x, y, w);
      if (is_config(w) && d == Dir::P) {  // consumed by this router
        if (((w.data >> 23) & 31u) >= colors_) out.drops.push_back({t, Err::Unconfigured});
        continue;
      }
      route = bit(d);
    } else if (r.mode == Mode::Static) {
      if ((r.rx & bit(from)) == 0 || r.tx == 0) {
        out.drops.push_back({t, Err::NoRoute});
        continue;
      }
      route = r.tx;
    } else {
      out.drops.push_back({t, Err::Unconfigured});
      continue;
    }
    if (route & off_edge(t)) {
      out.drops.push_back({t, Err::OffEdge});
      continue;
    }
    for (unsigned d = 0; d < kNumDirs; ++d) {
      if (!(route & (1u << d))) continue;
      const Dir dir = static_cast<Dir>(d);
      switch (dir) {
        case Dir::P: out.delivered.push_back(t); break;
        case Dir::W:
          if (x == 0) {
            ++out.to_host;
          } else {
            frontier.emplace_back(t - 1, opposite(dir));
          }
          break;
        case Dir::E: frontier.emplace_back(t + 1, opposite(dir)); break;
        case Dir::N: frontier.emplace_back(t - width_, opposite(dir)); break;
        case Dir::S: frontier.emplace_back(t + width_, opposite(dir)); break;
      }
    }
  }
}

}  // namespace wm::tb::router
