// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The C++ model of wm_router's routing function over a whole mesh: the per-tile, per-color
// route tables, the configuration wavelets that load them, and where a wavelet injected at a
// tile ends up (ramps it is delivered to, the host, or the tile that drops it and why).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "wavelet.hpp"

namespace wm::tb::router {

enum class Mode : unsigned { Off = 0, Static = 1, Addressed = 2 };

struct Route {
  Mode mode = Mode::Off;
  unsigned rx = 0;  // receive set, bit d = Dir d (static colors)
  unsigned tx = 0;  // transmit set (static colors)
};

// The configuration wavelet that sets `route` for `color` at tile (x, y), travelling on color
// `via` (wm_router's header comment defines the layout).
Wavelet config_wavelet(unsigned x, unsigned y, unsigned via, unsigned color, const Route& route);

// Where one wavelet goes.
struct Drop {
  unsigned tile;
  Err why;
  friend bool operator==(const Drop&, const Drop&) = default;
};
struct Outcome {
  std::vector<unsigned> delivered;  // tiles whose ramp gets a copy (once per copy)
  unsigned to_host = 0;             // copies leaving (0, 0) westward to the host
  std::vector<Drop> drops;
  // Scratch for trace(): kept here so a reused Outcome makes tracing allocation-free.
  std::vector<std::pair<unsigned, Dir>> frontier;
};

class MeshRoutes {
 public:
  MeshRoutes(unsigned width, unsigned height, unsigned colors);

  unsigned width() const { return width_; }
  unsigned height() const { return height_; }
  unsigned tiles() const { return width_ * height_; }
  unsigned colors() const { return colors_; }
  unsigned tile(unsigned x, unsigned y) const { return y * width_ + x; }

  Route& at(unsigned tile, unsigned color) { return table_.at(tile * colors_ + color); }
  const Route& at(unsigned tile, unsigned color) const {
    return table_.at(tile * colors_ + color);
  }

  // Follows `w` from tile `src`, arriving there on port `in` (Dir::P: from the PE, Dir::W at
  // tile 0: from the host). Throws if static routes make the wavelet loop.
  // `out` is overwritten; reusing one Outcome keeps its buffers.
  void trace(unsigned src, const Wavelet& w, Dir in, Outcome& out) const;

  // Ports of `tile` that lead off the mesh (the host port at (0, 0) does not).
  unsigned off_edge(unsigned tile) const;

 private:
  unsigned width_, height_, colors_;
  std::vector<Route> table_;
};

}  // namespace wm::tb::router
