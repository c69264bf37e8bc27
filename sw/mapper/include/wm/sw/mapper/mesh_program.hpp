// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// MeshProgram: everything the host needs to run a mapped computation on a W x H
// mesh, as plain data (docs/mapping.md). The functional mesh
// (sw/mapper/meshsim) and the RTL run (wafersim) replay the same host schedule,
// so nothing here depends on either.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wm/sw/asm/image.hpp"
#include "wm/sw/ref/pe.hpp"

namespace wm::sw::mapper {

using Wavelet = ref::Wavelet;

/// Router ports, bit d of a port set (wm_pkg::dir_e order).
enum class Dir : std::uint8_t { p = 0, w = 1, e = 2, n = 3, s = 4 };
[[nodiscard]] constexpr std::uint8_t bit(Dir d) {
  return static_cast<std::uint8_t>(1u << static_cast<unsigned>(d));
}

/// The router's routing mode of a color (configuration wavelet data[22:21]).
enum class RouteMode : std::uint8_t { off = 0, fixed = 1, addressed = 2 };

/// One color's routing table entry at one tile: a static route sends every
/// wavelet arriving on a port of `rx` to every port of `tx`; an addressed route
/// goes X then Y to the ramp at (dst_x, dst_y).
struct Route {
  std::uint8_t color = 0;
  RouteMode mode = RouteMode::off;
  std::uint8_t rx = 0;  ///< port set, bit d = Dir d
  std::uint8_t tx = 0;
  friend bool operator==(const Route&, const Route&) = default;
};

/// The router's configuration command (rtl/router/wm_router.sv header): ctrl =
/// 1, data = 0xF << 28 | color << 23 | mode << 21 | rx << 5 | tx, routed X then
/// Y on `travel_color` to tile (x, y) and consumed by its router.
[[nodiscard]] Wavelet config_wavelet(const Route& r, int x, int y, std::uint8_t travel_color);

/// One tile: its PE memory image (program, constants, weights, buffers), the
/// assembly it was built from (for listings and debugging), and its router's
/// routes.
struct TileProgram {
  int x = 0;
  int y = 0;
  std::string assembly;
  assembler::Image image;
  std::vector<Route> routes;
  /// Phase marks: the pc of the first instruction of every phase of one host step, in the
  /// order of the mapping's phase list (MeshDecoder::estimate). Empty: no phases.
  std::vector<std::uint32_t> marks;
};

/// The host's part of one invocation (a token): send `input` in order through
/// the host port (router (0, 0), port W), then receive exactly `output_words`
/// data wavelets from it before sending anything else. The output is a float
/// vector, in order.
struct HostStep {
  std::vector<Wavelet> input;
  std::size_t output_words = 0;
};

struct MeshProgram {
  int width = 0;
  int height = 0;
  unsigned num_colors = 8;
  unsigned mem_words = 12288;
  /// The color every host wavelet travels on (addressed everywhere).
  std::uint8_t host_color = 0;
  std::vector<TileProgram> tiles;  ///< tile (x, y) at y * width + x
  /// Sent once before the first HostStep: every router configuration, then
  /// every tile's image as LOAD control wavelets plus data. Nothing comes back.
  std::vector<Wavelet> setup;

  [[nodiscard]] const TileProgram& tile(int x, int y) const {
    return tiles.at(static_cast<std::size_t>(y * width + x));
  }
};

/// Host wavelets that write `words` to mem[addr..] of tile (x, y): LOAD control
/// wavelets (at most 4095 words each) followed by their data, addressed on
/// `color`.
void append_load(std::vector<Wavelet>& out, int x, int y, std::uint8_t color, std::uint32_t addr,
                 std::span<const std::uint32_t> words);
/// An ACTIVATE control wavelet for task `task` of tile (x, y).
[[nodiscard]] Wavelet activate_wavelet(int x, int y, std::uint8_t color, unsigned task);
/// Fills `program.setup`: configuration of every route, then every image as
/// LOADs.
void build_setup(MeshProgram& program);

/// The float payloads of host output wavelets.
[[nodiscard]] std::vector<float> floats(std::span<const Wavelet> words);

}  // namespace wm::sw::mapper
