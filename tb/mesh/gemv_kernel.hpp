// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// A small hand-written distributed kernel: y = A x on a W x H mesh (W a power of two), A split
// over both axes (tile (x, y) holds rows [y*Nr, (y+1)*Nr) and columns [x*Kc, (x+1)*Kc)).
// Each tile runs one `fdotv` for its partial sums; each row adds its partials with a binary
// tree over X (stage s: tile x + 2^s streams its vector west to x, which adds it in place);
// column 0 sends each row's result to the host, tagged with the row in the wavelet header.
//
// Everything the host does is a wavelet stream through the host port: route configuration,
// LOAD of program and data into every SRAM, ACTIVATE. The expected y is computed here with
// wm::sw::fp in the same order (fdotv's left-to-right sum from +0, then the tree), so a mesh
// result is checked bit for bit.
#pragma once

#include <bit>
#include <cstdint>
#include <fmt/format.h>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>
#include <wm/sim/wavelet.hpp>
#include <wm/sw/asm/assembler.hpp>
#include <wm/sw/fp/fp.hpp>
#include <wm/sw/isa/isa.hpp>

namespace wm::tb::mesh {

using sim::bit;
using sim::Dir;
using sim::RouteMode;
using sim::Wavelet;

struct Gemv {
  unsigned width = 4, height = 4;  ///< mesh
  unsigned rows_per_tile = 4;      ///< Nr
  unsigned cols_per_tile = 4;      ///< Kc
  unsigned repeat = 1;             ///< fdotv runs this many times (benchmarks keep PEs busy)

  static constexpr unsigned kLoadColor = 0;    ///< addressed: host -> every ramp
  static constexpr unsigned kStageColor0 = 3;  ///< static: tree stage s uses color 3 + s
  static constexpr unsigned kResultColor = 6;  ///< static: column 0 -> host
  static constexpr std::uint32_t kProgram = 0;
  static constexpr std::uint32_t kData = 0x100;

  [[nodiscard]] unsigned stages() const {
    return static_cast<unsigned>(std::countr_zero(width));
  }
  [[nodiscard]] unsigned n() const { return height * rows_per_tile; }
  [[nodiscard]] unsigned k() const { return width * cols_per_tile; }
  [[nodiscard]] std::uint32_t x_base() const { return kData + rows_per_tile * cols_per_tile; }
  [[nodiscard]] std::uint32_t y_base() const { return x_base() + cols_per_tile; }

  void validate() const {
    if (!std::has_single_bit(width) || stages() > kResultColor - kStageColor0) {
      throw std::invalid_argument(fmt::format("gemv: width {} must be a power of two up to 8", width));
    }
  }

  /// The program of tile (x, y).
  [[nodiscard]] std::string program(unsigned x, unsigned y) const {
    std::string s = fmt::format(
        "  li r1, {wb}\n  li r2, {kc}\n  li r3, 1\n  li r4, {nr}\n"
        "  dsdm d0, r1, r2, r3\n  dsd2 d0, r4, r2\n"  // A block: Nr rows of Kc
        "  li r1, {xb}\n  dsdm d1, r1, r2, r3\n  dsd2 d1, r4, r0\n"  // x slice, every row
        "  li r1, {yb}\n  dsdm d2, r1, r4, r3\n"                      // y partials
        "  li r7, {rep}\nagain:\n  fdotv d2, d0, d1\n  addi r7, r7, -1\n  bne r7, r0, again\n",
        fmt::arg("wb", kData), fmt::arg("kc", cols_per_tile), fmt::arg("nr", rows_per_tile),
        fmt::arg("xb", x_base()), fmt::arg("yb", y_base()), fmt::arg("rep", repeat));
    for (unsigned st = 0; st < stages(); ++st) {
      const unsigned span = 1u << st;
      const unsigned color = kStageColor0 + st;
      if (x % (2 * span) == 0) {
        s += fmt::format("  dsdfi d3, {}, r4\n  fadd d2, d2, d3\n", color);
      } else if (x % (2 * span) == span) {
        s += fmt::format("  dsdfo d4, {}, r4, r0\n  fmov d4, d2\n  halt\n", color);
        return s;
      }
    }
    // Column 0: the row's result to the host, the row index in the header's dst_y.
    s += fmt::format("  li r6, {}\n  dsdfo d5, {}, r4, r6\n  fmov d5, d2\n  halt\n", y << 5,
                     kResultColor);
    return s;
  }

  /// Static routes of the tree stages and the result path, as (tile, color, rx, tx).
  struct StaticRoute {
    unsigned x, y, color, rx, tx;
  };
  [[nodiscard]] std::vector<StaticRoute> routes() const {
    std::vector<StaticRoute> r;
    for (unsigned y = 0; y < height; ++y) {
      for (unsigned st = 0; st < stages(); ++st) {
        const unsigned span = 1u << st, color = kStageColor0 + st;
        for (unsigned x = 0; x < width; ++x) {
          const unsigned pos = x % (2 * span);
          if (pos == 0) r.push_back({x, y, color, bit(Dir::E), bit(Dir::P)});
          else if (pos == span) r.push_back({x, y, color, bit(Dir::P), bit(Dir::W)});
          else if (pos < span) r.push_back({x, y, color, bit(Dir::E), bit(Dir::W)});
        }
      }
      r.push_back({0, y, kResultColor, bit(Dir::P) | bit(Dir::S),
                   y == 0 ? bit(Dir::W) : bit(Dir::N)});
    }
    return r;
  }

  /// The whole host stream: routes, then per tile LOAD program + LOAD data, then ACTIVATE.
  [[nodiscard]] std::vector<Wavelet> host_stream(const std::vector<std::uint32_t>& a,
                                                 const std::vector<std::uint32_t>& xv) const {
    validate();
    std::vector<Wavelet> out;
    for (unsigned y = 0; y < height; ++y) {
      for (unsigned x = 0; x < width; ++x) {
        out.push_back(sim::config_wavelet(x, y, kLoadColor, RouteMode::Addressed));
      }
    }
    for (const auto& r : routes()) {
      out.push_back(sim::config_wavelet(r.x, r.y, r.color, RouteMode::Static, r.rx, r.tx));
    }
    auto load = [&](unsigned x, unsigned y, std::uint32_t addr,
                    const std::vector<std::uint32_t>& words) {
      out.push_back({true, x, y, kLoadColor,
                     sw::isa::ctrl_load(static_cast<std::uint32_t>(words.size()), addr)});
      for (auto w : words) out.push_back({false, x, y, kLoadColor, w});
    };
    for (unsigned y = 0; y < height; ++y) {
      for (unsigned x = 0; x < width; ++x) {
        const auto prog = sw::assembler::assemble(program(x, y), fmt::format("tile_{}_{}", x, y));
        std::vector<std::uint32_t> code;
        for (const auto& [addr, word] : prog.image.words) {
          if (addr != kProgram + code.size()) throw std::logic_error("gemv: program has gaps");
          code.push_back(word);
        }
        load(x, y, kProgram, code);
        std::vector<std::uint32_t> data;
        for (unsigned i = 0; i < rows_per_tile; ++i) {
          for (unsigned j = 0; j < cols_per_tile; ++j) {
            data.push_back(a[(y * rows_per_tile + i) * k() + x * cols_per_tile + j]);
          }
        }
        for (unsigned j = 0; j < cols_per_tile; ++j) data.push_back(xv[x * cols_per_tile + j]);
        load(x, y, kData, data);
      }
    }
    for (unsigned y = 0; y < height; ++y) {
      for (unsigned x = 0; x < width; ++x) {
        out.push_back({true, x, y, kLoadColor, sw::isa::ctrl_word(sw::isa::CtrlCmd::activate, 0)});
      }
    }
    return out;
  }

  /// y in the mesh's order: per tile fdotv (from +0, left to right), then the X tree.
  [[nodiscard]] std::vector<std::uint32_t> expected(const std::vector<std::uint32_t>& a,
                                                    const std::vector<std::uint32_t>& xv) const {
    namespace fp = sw::fp;
    std::vector<std::uint32_t> y(n());
    for (unsigned row = 0; row < n(); ++row) {
      std::vector<float> part(width);
      for (unsigned t = 0; t < width; ++t) {
        float acc = 0.0F;
        for (unsigned j = 0; j < cols_per_tile; ++j) {
          const unsigned col = t * cols_per_tile + j;
          acc = fp::add(acc, fp::mul(std::bit_cast<float>(a[row * k() + col]),
                                     std::bit_cast<float>(xv[col])));
        }
        part[t] = acc;
      }
      for (unsigned span = 1; span < width; span *= 2) {
        for (unsigned t = 0; t < width; t += 2 * span) part[t] = fp::add(part[t], part[t + span]);
      }
      y[row] = std::bit_cast<std::uint32_t>(part[0]);
    }
    return y;
  }

  /// The host's received wavelets in row order: row r's Nr results, tagged dst_y = r, keep
  /// their order per row. Throws on anything unexpected.
  [[nodiscard]] std::vector<std::uint32_t> collect(const std::vector<Wavelet>& got) const {
    std::vector<std::vector<std::uint32_t>> rows(height);
    for (const auto& w : got) {
      if (w.color != kResultColor || w.ctrl || w.dst_y >= height) {
        throw std::runtime_error(fmt::format("host got an unexpected wavelet: color {} ctrl {} "
                                             "dst ({}, {}) data {:#x}", w.color, w.ctrl, w.dst_x,
                                             w.dst_y, w.data));
      }
      rows[w.dst_y].push_back(w.data);
    }
    std::vector<std::uint32_t> y;
    for (unsigned r = 0; r < height; ++r) {
      if (rows[r].size() != rows_per_tile) {
        throw std::runtime_error(fmt::format("row {}: {} results, expected {}", r,
                                             rows[r].size(), rows_per_tile));
      }
      y.insert(y.end(), rows[r].begin(), rows[r].end());
    }
    return y;
  }
};

/// Random floats in [-2, 2) with a few exact small integers, as bit patterns.
inline std::vector<std::uint32_t> random_floats(std::mt19937_64& rng, std::size_t n) {
  std::uniform_real_distribution<float> u(-2.0F, 2.0F);
  std::vector<std::uint32_t> v(n);
  for (auto& x : v) x = std::bit_cast<std::uint32_t>(rng() % 8 == 0 ? 1.0F : u(rng));
  return v;
}

}  // namespace wm::tb::mesh
