// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Build-time generator of the preload test's bank images (the model reads InitFile when it is
// constructed, so the files must exist before the test runs):
//   make_sram_image <prefix> <size_bytes> <num_banks> <ecc 0|1>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sram_image.hpp"

int main(int argc, char** argv) {
  using namespace wm::tb::sram;
  try {
    if (argc != 5) {
      throw std::invalid_argument("usage: make_sram_image <prefix> <size_bytes> <num_banks> <ecc>");
    }
    SramConfig cfg;
    cfg.size_bytes = static_cast<unsigned>(std::stoul(argv[2]));
    cfg.num_banks = static_cast<unsigned>(std::stoul(argv[3]));
    cfg.ecc = std::stoul(argv[4]) != 0;
    cfg.addr_width = 31;
    cfg.validate();
    std::vector<std::uint32_t> image(cfg.num_words());
    for (std::uint32_t a = 0; a < image.size(); ++a) image[a] = preload_pattern(a);
    write_bank_images(argv[1], cfg, image);
  } catch (const std::exception& e) {
    fmt::print(stderr, "make_sram_image: {}\n", e.what());
    return 1;
  }
  return 0;
}
