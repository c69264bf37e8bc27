// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// wmdis: disassemble a $readmemh hex image into source that wmasm turns back into the same
// image.   wmdis [--colors N] image.hex
#include <fmt/format.h>

#include <exception>
#include <string>

#include "wm/sw/asm/disassembler.hpp"

int main(int argc, char** argv) {
  namespace as = wm::sw::assembler;
  unsigned colors = wm::sw::isa::kDefaultNumColors;
  std::string path;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--colors" && i + 1 < argc) {
        colors = static_cast<unsigned>(std::stoul(argv[++i]));
      } else if (path.empty() && !a.starts_with("-")) {
        path = a;
      } else {
        fmt::print(stderr, "usage: wmdis [--colors N] image.hex\n");
        return 2;
      }
    }
    if (path.empty()) {
      fmt::print(stderr, "usage: wmdis [--colors N] image.hex\n");
      return 2;
    }
    fmt::print("{}", as::disassemble(as::read_hex(path), colors));
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 1;
  }
  return 0;
}
