// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Preload images for wm_sram_bank's InitFile: one $readmemh file per bank,
// <prefix>_bankBB.hex, holding the stored words (39-bit codewords with ECC) of word addresses
// b, b + NumBanks, ... in row order. The loader that fills a tile's SRAM from a linear image
// of data words writes them this way.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <stdexcept>
#include <string>

#include <fmt/format.h>
#include <fmt/os.h>

#include "sram_model.hpp"

namespace wm::tb::sram {

inline std::filesystem::path bank_image_path(const std::filesystem::path& prefix, unsigned bank) {
  return fmt::format("{}_bank{:02d}.hex", prefix.string(), bank);
}

/// Writes every bank's file from `image` (data words by word address, at most num_words).
inline void write_bank_images(const std::filesystem::path& prefix, const SramConfig& cfg,
                              std::span<const std::uint32_t> image) {
  if (image.size() > cfg.num_words()) {
    throw std::invalid_argument(fmt::format("SRAM image of {} words exceeds the {} words of a "
                                            "{}-byte SRAM", image.size(), cfg.num_words(),
                                            cfg.size_bytes));
  }
  const unsigned digits = (cfg.stored_bits() + 3) / 4;
  for (unsigned b = 0; b < cfg.num_banks; ++b) {
    const auto path = bank_image_path(prefix, b);
    std::ofstream out(path);
    if (!out) throw std::runtime_error(fmt::format("cannot write SRAM image {}", path.string()));
    out << fmt::format("// bank {} of {}: word addresses {} + {} * row{}\n@0\n", b, cfg.num_banks,
                       b, cfg.num_banks, cfg.ecc ? ", (39,32) SECDED codewords" : "");
    for (std::size_t a = b; a < image.size(); a += cfg.num_banks) {
      const std::uint64_t word = cfg.ecc ? Secded::encode(image[a]) : image[a];
      out << fmt::format("{:0{}x}\n", word, digits);
    }
    if (!out) throw std::runtime_error(fmt::format("writing SRAM image {} failed", path.string()));
  }
}

/// The test image: a fixed scramble of the address, so every word differs and a misplaced
/// word (wrong bank or row) cannot read back right.
constexpr std::uint32_t preload_pattern(std::uint32_t addr) {
  std::uint64_t z = addr + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<std::uint32_t>(z ^ (z >> 31));
}

}  // namespace wm::tb::sram
