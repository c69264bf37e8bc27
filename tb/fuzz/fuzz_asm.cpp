// libFuzzer target: the WM-ISA assembler on arbitrary text. Bad source must end in AsmError
// (anything else escaping is a bug), and a program it accepts must disassemble to text that
// assembles back to the same image (the disassembler's documented promise).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <fmt/core.h>

#include "wm/sw/asm/assembler.hpp"
#include "wm/sw/asm/disassembler.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace a = wm::sw::assembler;
  const std::string text(reinterpret_cast<const char*>(data), size);
  a::Program program;
  try {
    program = a::assemble(text, "<fuzz>");
  } catch (const a::AsmError&) {
    return 0;
  }
  const std::string listing = a::disassemble(program.image);
  try {
    if (a::assemble(listing, "<disassembly>").image == program.image) return 0;
    fmt::print(stderr, "fuzz_asm: the disassembly assembles to another image:\n{}\n", listing);
  } catch (const a::AsmError& e) {
    fmt::print(stderr, "fuzz_asm: the disassembly does not assemble: {}\n{}\n", e.what(),
               listing);
  }
  std::abort();
}
