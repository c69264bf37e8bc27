// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sw/mapper/mesh_program.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "wm/sw/fp/fp.hpp"
#include "wm/sw/isa/isa.hpp"

namespace wm::sw::mapper {

namespace {
constexpr std::uint32_t kConfigCmd = 0xFu;
constexpr std::size_t kMaxLoad = 0xFFF;  // LOAD's 12-bit count

std::uint8_t coord(int v) { return static_cast<std::uint8_t>(v); }
}  // namespace

Wavelet config_wavelet(const Route& r, int x, int y, std::uint8_t travel_color) {
  const std::uint32_t data = (kConfigCmd << 28) | (std::uint32_t{r.color} << 23) |
                             (static_cast<std::uint32_t>(r.mode) << 21) |
                             (std::uint32_t{r.rx} << 5) | r.tx;
  return {data, travel_color, true, coord(x), coord(y)};
}

void append_load(std::vector<Wavelet>& out, int x, int y, std::uint8_t color, std::uint32_t addr,
                 std::span<const std::uint32_t> words) {
  for (std::size_t i = 0; i < words.size(); i += kMaxLoad) {
    const std::size_t n = std::min(kMaxLoad, words.size() - i);
    out.push_back(
        {isa::ctrl_load(static_cast<std::uint32_t>(n), addr + static_cast<std::uint32_t>(i)), color,
         true, coord(x), coord(y)});
    for (std::size_t k = 0; k < n; ++k) {
      out.push_back({words[i + k], color, false, coord(x), coord(y)});
    }
  }
}

Wavelet activate_wavelet(int x, int y, std::uint8_t color, unsigned task) {
  return {isa::ctrl_word(isa::CtrlCmd::activate, task), color, true, coord(x), coord(y)};
}

void build_setup(MeshProgram& program) {
  program.setup.clear();
  // Every router first: a LOAD crosses tiles whose host color must already be
  // addressed, and a configuration wavelet overtakes nothing on its own color
  // queue.
  for (const TileProgram& t : program.tiles) {
    for (const Route& r : t.routes) {
      program.setup.push_back(config_wavelet(r, t.x, t.y, program.host_color));
    }
  }
  for (const TileProgram& t : program.tiles) {
    std::vector<std::uint32_t> run;
    std::uint32_t start = 0;
    const auto flush = [&] {
      append_load(program.setup, t.x, t.y, program.host_color, start, run);
      run.clear();
    };
    for (const auto& [addr, word] : t.image.words) {
      if (addr >= program.mem_words) {
        throw std::out_of_range(
            fmt::format("tile ({}, {}): image word at {} is past SRAM ({} words)", t.x, t.y, addr,
                        program.mem_words));
      }
      if (!run.empty() && addr != start + run.size()) {
        flush();
      }
      if (run.empty()) {
        start = addr;
      }
      run.push_back(word);
    }
    if (!run.empty()) {
      flush();
    }
  }
}

std::vector<float> floats(std::span<const Wavelet> words) {
  std::vector<float> out;
  out.reserve(words.size());
  for (const Wavelet& w : words) {
    out.push_back(fp::from_bits(w.data));
  }
  return out;
}

}  // namespace wm::sw::mapper
