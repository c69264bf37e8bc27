// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "traffic.hpp"

namespace wm::tb::router {

std::string_view name(Pattern p) {
  switch (p) {
    case Pattern::Uniform: return "uniform";
    case Pattern::Transpose: return "transpose";
    case Pattern::BitComplement: return "bit-complement";
    case Pattern::Hotspot: return "hotspot";
    case Pattern::Neighbour: return "neighbour";
  }
  return "?";
}

unsigned destination(Pattern p, unsigned src, unsigned width, unsigned height,
                     std::mt19937_64& rng) {
  const unsigned tiles = width * height, x = src % width, y = src / width;
  switch (p) {
    case Pattern::Uniform:
      // Every tile, the source included: the pattern the 0.5 bisection bound is stated for.
      return std::uniform_int_distribution<unsigned>(0, tiles - 1)(rng);
    case Pattern::Transpose:
      // (x, y) -> (y, x); a non-square mesh folds the coordinates back inside.
      return (x % height) * width + (y % width);
    case Pattern::BitComplement:
      return (height - 1 - y) * width + (width - 1 - x);
    case Pattern::Hotspot:
      // A quarter of the traffic to the centre tile, the rest uniform.
      if (std::uniform_int_distribution<unsigned>(0, 3)(rng) == 0) {
        return (height / 2) * width + width / 2;
      }
      return std::uniform_int_distribution<unsigned>(0, tiles - 1)(rng);
    case Pattern::Neighbour: {
      // One of the (up to four) adjacent tiles, or itself on a 1 x 1 mesh.
      unsigned cand[4], n = 0;
      if (x > 0) cand[n++] = src - 1;
      if (x + 1 < width) cand[n++] = src + 1;
      if (y > 0) cand[n++] = src - width;
      if (y + 1 < height) cand[n++] = src + width;
      if (n == 0) return src;
      return cand[std::uniform_int_distribution<unsigned>(0, n - 1)(rng)];
    }
  }
  return src;
}

}  // namespace wm::tb::router
