// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// wmasm: assemble WM-ISA sources (docs/asm.md) into a $readmemh hex image.
//   wmasm [--colors N] [-o out.hex] [--symbols] file.s [more.s ...]
#include <fmt/format.h>

#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "wm/sw/asm/assembler.hpp"

namespace {

int usage() {
  fmt::print(stderr, "usage: wmasm [--colors N] [-o out.hex] [--symbols] file.s [more.s ...]\n"
                     "  writes the image to out.hex (stdout without -o)\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  namespace as = wm::sw::assembler;
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string out;
  bool symbols = false;
  as::Options options;
  std::vector<as::Source> sources;
  try {
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "-o" && i + 1 < args.size()) {
        out = args[++i];
      } else if (args[i] == "--colors" && i + 1 < args.size()) {
        options.num_colors = static_cast<unsigned>(std::stoul(args[++i]));
      } else if (args[i] == "--symbols") {
        symbols = true;
      } else if (args[i] == "-h" || args[i] == "--help" || args[i].starts_with("-")) {
        return usage();
      } else {
        sources.push_back({args[i], as::read_text_file(args[i])});
      }
    }
    if (sources.empty()) return usage();
    const auto program = as::assemble(sources, options);
    if (out.empty()) {
      fmt::print("{}", as::to_hex(program.image));
    } else {
      as::write_hex(program.image, out);
    }
    if (symbols) {
      for (const auto& [name, value] : program.symbols) {
        fmt::print(stderr, "{:<24} 0x{:08x}\n", name, value);
      }
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 1;
  }
  return 0;
}
