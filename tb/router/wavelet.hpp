// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The wavelet as C++ sees it: wm_pkg::wavelet_t packed into 48 bits, and the router's ports.
#pragma once

#include <cstdint>

namespace wm::tb::router {

// wm_pkg::dir_e: every per-port array in the RTL is indexed in this order.
enum class Dir : unsigned { P = 0, W = 1, E = 2, N = 3, S = 4 };
inline constexpr unsigned kNumDirs = 5;
inline constexpr unsigned kWaveletWidth = 48;
inline constexpr unsigned kCoordWidth = 5;
inline constexpr unsigned kColorWidth = 5;

constexpr unsigned bit(Dir d) { return 1u << static_cast<unsigned>(d); }

struct Wavelet {
  bool ctrl = false;
  unsigned dst_x = 0;
  unsigned dst_y = 0;
  unsigned color = 0;
  std::uint32_t data = 0;

  // Layout of wm_pkg::wavelet_t: {ctrl, dst_x, dst_y, color, data}, data in the low bits.
  constexpr std::uint64_t pack() const {
    return (std::uint64_t{ctrl} << 47) | (std::uint64_t{dst_x & 31u} << 42) |
           (std::uint64_t{dst_y & 31u} << 37) | (std::uint64_t{color & 31u} << 32) | data;
  }
  static constexpr Wavelet unpack(std::uint64_t v) {
    return Wavelet{((v >> 47) & 1u) != 0, static_cast<unsigned>((v >> 42) & 31u),
                   static_cast<unsigned>((v >> 37) & 31u), static_cast<unsigned>((v >> 32) & 31u),
                   static_cast<std::uint32_t>(v)};
  }
  friend constexpr bool operator==(const Wavelet&, const Wavelet&) = default;
};

// The router's sticky error bits (wm_router err_o).
enum class Err : unsigned { Unconfigured = 0, NoRoute = 1, OffEdge = 2, Link = 3 };
inline constexpr unsigned kNumErrs = 4;

}  // namespace wm::tb::router
