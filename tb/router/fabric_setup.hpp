// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Route tables the tests and benchmarks load: every color addressed, broadcast trees, a row
// merging into the host; and the configuration wavelets that load them through the host port.
#pragma once

#include <vector>

#include "route_model.hpp"

namespace wm::tb::router {

inline void set_addressed(MeshRoutes& r, unsigned color) {
  for (unsigned t = 0; t < r.tiles(); ++t) r.at(t, color) = Route{Mode::Addressed, 0, 0};
}

// Static multicast tree of `color` from `root`: along the root's row, then up and down every
// column; every tile's ramp gets a copy. At (0, 0) the host may feed it too.
inline void set_broadcast(MeshRoutes& r, unsigned color, unsigned root) {
  const unsigned rx0 = root % r.width(), ry0 = root / r.width();
  for (unsigned t = 0; t < r.tiles(); ++t) {
    const unsigned x = t % r.width(), y = t / r.width();
    unsigned rx = 0, tx = bit(Dir::P);
    const unsigned north = y > 0 ? bit(Dir::N) : 0, south = y + 1 < r.height() ? bit(Dir::S) : 0;
    if (y == ry0) {
      tx |= north | south;
      if (x == rx0) {
        rx = bit(Dir::P) | (t == 0 ? bit(Dir::W) : 0);
        tx |= (x > 0 ? bit(Dir::W) : 0) | (x + 1 < r.width() ? bit(Dir::E) : 0);
      } else if (x > rx0) {
        rx = bit(Dir::W);
        tx |= x + 1 < r.width() ? bit(Dir::E) : 0;
      } else {
        rx = bit(Dir::E);
        tx |= x > 0 ? bit(Dir::W) : 0;
      }
    } else if (y < ry0) {
      rx = bit(Dir::S);
      tx |= north;
    } else {
      rx = bit(Dir::N);
      tx |= south;
    }
    r.at(t, color) = Route{Mode::Static, rx, tx};
  }
}

// Static many-to-one route of `color`: every ramp of row 0 merges westward into the host.
inline void set_row0_to_host(MeshRoutes& r, unsigned color) {
  for (unsigned x = 0; x < r.width(); ++x) {
    const unsigned rx = bit(Dir::P) | (x + 1 < r.width() ? bit(Dir::E) : 0);
    r.at(x, color) = Route{Mode::Static, rx, bit(Dir::W)};
  }
}

// Queues, through the host port, the configuration of `colors` at every tile as `routes` has
// it. Configuration wavelets ride the color they configure: any color would do (they route X
// then Y whatever the table says), and spreading them over colors spreads the host's credits.
template <class Driver>
void send_config(Driver& drv, const MeshRoutes& routes, const std::vector<unsigned>& colors) {
  for (unsigned t = 0; t < routes.tiles(); ++t) {
    for (unsigned c : colors) {
      drv.send_from_host(config_wavelet(t % routes.width(), t / routes.width(), c, c,
                                        routes.at(t, c)));
    }
  }
}

}  // namespace wm::tb::router
