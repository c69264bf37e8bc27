// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The WM-ISA assembler (syntax: docs/asm.md). Several sources share one address space and one
// symbol table, so a library file (sw/asm/lib/*.s) can be assembled together with a program.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "wm/sw/asm/image.hpp"
#include "wm/sw/isa/isa.hpp"

namespace wm::sw::assembler {

struct Source {
  std::string name;  ///< used in messages: `name:line: message`
  std::string text;
};

struct Diagnostic {
  std::string file;
  unsigned line = 0;
  std::string message;
};

/// Every error of one assembly, in source order; what() is the `file:line: message` lines.
class AsmError : public std::runtime_error {
 public:
  explicit AsmError(std::vector<Diagnostic> diagnostics);
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

struct Options {
  unsigned num_colors = isa::kDefaultNumColors;  ///< colors at or above are rejected
};

struct Program {
  Image image;
  std::map<std::string, std::uint32_t> symbols;  ///< labels and .equ values
};

/// Assembles the sources in order; throws AsmError listing every error found.
[[nodiscard]] Program assemble(const std::vector<Source>& sources, const Options& options = {});
[[nodiscard]] Program assemble(const std::string& text, const std::string& name = "<asm>",
                               const Options& options = {});
[[nodiscard]] std::string read_text_file(const std::string& path);

}  // namespace wm::sw::assembler
