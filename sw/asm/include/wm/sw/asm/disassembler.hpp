// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The WM-ISA disassembler. Its text assembles back to the same word at the same address for
// every 32-bit word: illegal words become `.word 0x...  ; illegal`.

#include <cstdint>
#include <string>

#include "wm/sw/asm/image.hpp"
#include "wm/sw/isa/isa.hpp"

namespace wm::sw::assembler {

/// One instruction as assembly text; `pc` turns branch offsets into absolute targets.
[[nodiscard]] std::string disassemble(std::uint32_t word, std::uint16_t pc,
                                      unsigned num_colors = isa::kDefaultNumColors);

/// A whole image as a source file that re-assembles to the same image (`.org` per run,
/// the address and word of each line in a comment).
[[nodiscard]] std::string disassemble(const Image& image,
                                      unsigned num_colors = isa::kDefaultNumColors);

}  // namespace wm::sw::assembler
