// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The wavelet and the router's port order as the simulator and its host see them.
#pragma once

#include <cstdint>

namespace wm::sim {

/// wm_pkg::dir_e: every per-port array of wm_router and wm_tile is indexed in this order.
enum class Dir : unsigned { P = 0, W = 1, E = 2, N = 3, S = 4 };
inline constexpr unsigned kNumDirs = 5;
inline constexpr unsigned kWaveletBits = 48;  ///< wm_pkg::WaveletWidth
/// Colors and queue depth of the wm_tile the simulator is built from (its defaults).
inline constexpr unsigned kColors = 8;
inline constexpr unsigned kQueueDepth = 4;

constexpr unsigned bit(Dir d) { return 1u << static_cast<unsigned>(d); }
constexpr Dir opposite(Dir d) {
  switch (d) {
    case Dir::W: return Dir::E;
    case Dir::E: return Dir::W;
    case Dir::N: return Dir::S;
    case Dir::S: return Dir::N;
    default: return Dir::P;
  }
}

/// wm_pkg::wavelet_t: {ctrl, dst_x, dst_y, color, data}, data in the low 32 bits.
struct Wavelet {
  bool ctrl = false;
  unsigned dst_x = 0;
  unsigned dst_y = 0;
  unsigned color = 0;
  std::uint32_t data = 0;

  [[nodiscard]] constexpr std::uint64_t pack() const {
    return (std::uint64_t{ctrl} << 47) | (std::uint64_t{dst_x & 31u} << 42) |
           (std::uint64_t{dst_y & 31u} << 37) | (std::uint64_t{color & 31u} << 32) | data;
  }
  [[nodiscard]] static constexpr Wavelet unpack(std::uint64_t v) {
    return Wavelet{((v >> 47) & 1u) != 0, static_cast<unsigned>((v >> 42) & 31u),
                   static_cast<unsigned>((v >> 37) & 31u), static_cast<unsigned>((v >> 32) & 31u),
                   static_cast<std::uint32_t>(v)};
  }
  friend constexpr bool operator==(const Wavelet&, const Wavelet&) = default;
};

/// Routing modes of a router table entry (wm_router header comment).
enum class RouteMode : unsigned { Off = 0, Static = 1, Addressed = 2 };

/// The configuration wavelet that sets `color`'s route at tile (x, y): it travels X then Y on
/// `color` itself and is consumed by that tile's router.
[[nodiscard]] constexpr Wavelet config_wavelet(unsigned x, unsigned y, unsigned color,
                                               RouteMode mode, unsigned rx = 0,
                                               unsigned tx = 0) {
  const std::uint32_t data = (0xFu << 28) | ((color & 31u) << 23) |
                             ((static_cast<unsigned>(mode) & 3u) << 21) | ((rx & 31u) << 5) |
                             (tx & 31u);
  return Wavelet{true, x, y, color, data};
}

}  // namespace wm::sim
