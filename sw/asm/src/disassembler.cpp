// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sw/asm/disassembler.hpp"

#include <fmt/format.h>

namespace wm::sw::assembler {

namespace {

using isa::Op;

constexpr const char* kAlu[] = {"add", "sub", "and", "or", "xor", "sll", "srl", "sra", "slt",
                                "sltu", "mul"};
constexpr const char* kFpu[] = {"fadd", "fsub", "fmul", "fmax", "fmin", "fi2f", "ff2i", "flt",
                                "fle", "feq"};
constexpr const char* kSys[] = {"nop", "exit", "halt", "tact", "tblock", "tunblock", "tbind",
                                "tunbind", "ewait", "estat"};
constexpr const char* kVop[] = {"fmov", "fadd", "fsub", "fmul", "fmac", "fmax", "fmin", "frsum",
                                "frmax", "fdotv", "iadd", "isub", "ishl", "ishr", "vi2f",
                                "vf2i"};

std::string r(unsigned i) { return fmt::format("r{}", i); }
std::string operand(std::uint8_t raw) {
  return isa::operand_is_reg(raw) ? r(raw & 0xFu) : fmt::format("d{}", raw & 0x7u);
}

/// An absolute target when pc + off stays inside the 16-bit pc space, else `.+off`: the pc
/// wraps, so only the offset itself re-assembles to the same word.
std::string target(std::uint16_t pc, std::int32_t off) {
  const std::int64_t t = std::int64_t{pc} + off;
  if (t >= 0 && t <= 0xFFFF) return fmt::format("0x{:04x}", t);
  return off < 0 ? fmt::format(".-{}", -std::int64_t{off}) : fmt::format(".+{}", off);
}

}  // namespace

std::string disassemble(std::uint32_t word, std::uint16_t pc, unsigned num_colors) {
  if (!isa::is_legal(word, num_colors)) return fmt::format(".word 0x{:08x}  ; illegal", word);
  const isa::Fields f = isa::fields(word);
  if (f.vector) {
    const auto vop = static_cast<isa::Vop>(f.vop);
    const auto cls = isa::vop_class(vop);
    std::string s = fmt::format("{} {}, {}", kVop[f.vop], operand(f.vdst), operand(f.va));
    if (cls != isa::VopClass::unary && cls != isa::VopClass::reduce) {
      s += ", " + operand(f.vb);
    }
    if (f.engine != 0) s += fmt::format(", e={}", f.engine);
    if (f.async) s += ", async";
    if (f.notify) {
      s += fmt::format(", notify={}", f.task);
    } else if (f.task != 0) {
      s += fmt::format(", task={}", f.task);
    }
    return s;
  }
  const auto op = static_cast<Op>(f.op);
  switch (op) {
    case Op::alu: return fmt::format("{} {}, {}, {}", kAlu[f.sub], r(f.a), r(f.rs1), r(f.rs2));
    case Op::fpu:
      if (f.sub == 5 || f.sub == 6) return fmt::format("{} {}, {}", kFpu[f.sub], r(f.a), r(f.rs1));
      return fmt::format("{} {}, {}, {}", kFpu[f.sub], r(f.a), r(f.rs1), r(f.rs2));
    case Op::addi: return fmt::format("addi {}, {}, {}", r(f.a), r(f.rs1), f.imm18);
    case Op::slti: return fmt::format("slti {}, {}, {}", r(f.a), r(f.rs1), f.imm18);
    case Op::andi: return fmt::format("andi {}, {}, 0x{:x}", r(f.a), r(f.rs1), f.uimm18);
    case Op::ori: return fmt::format("ori {}, {}, 0x{:x}", r(f.a), r(f.rs1), f.uimm18);
    case Op::xori: return fmt::format("xori {}, {}, 0x{:x}", r(f.a), r(f.rs1), f.uimm18);
    case Op::slli: return fmt::format("slli {}, {}, {}", r(f.a), r(f.rs1), f.uimm18);
    case Op::srli: return fmt::format("srli {}, {}, {}", r(f.a), r(f.rs1), f.uimm18);
    case Op::srai: return fmt::format("srai {}, {}, {}", r(f.a), r(f.rs1), f.uimm18);
    case Op::lui: return fmt::format("lui {}, 0x{:x}", r(f.a), f.imm16);
    case Op::lw: return fmt::format("lw {}, {}({})", r(f.a), f.imm18, r(f.rs1));
    case Op::sw: return fmt::format("sw {}, {}({})", r(f.a), f.imm18, r(f.rs1));
    case Op::beq: case Op::bne: case Op::blt: case Op::bge: case Op::bltu: case Op::bgeu: {
      constexpr const char* names[] = {"beq", "bne", "blt", "bge", "bltu", "bgeu"};
      return fmt::format("{} {}, {}, {}", names[f.op - static_cast<unsigned>(Op::beq)], r(f.a),
                         r(f.rs1), target(pc, f.imm18));
    }
    case Op::jal: return fmt::format("jal {}, {}", r(f.a), target(pc, f.off22));
    case Op::jalr: return fmt::format("jalr {}, {}, {}", r(f.a), r(f.rs1), f.imm18);
    case Op::tentry: return fmt::format("tentry {}, {}, {}", f.a, r(f.rs1), f.imm18);
    case Op::dsdm:
      return fmt::format("dsdm d{}, {}, {}, {}", f.a, r(f.rs1), r(f.rs2), r(f.rs3));
    case Op::dsd2: return fmt::format("dsd2 d{}, {}, {}", f.a, r(f.rs2), r(f.rs3));
    case Op::dsdfi: return fmt::format("dsdfi d{}, {}, {}", f.a, f.color, r(f.rs2));
    case Op::dsdfo:
      return fmt::format("dsdfo d{}, {}, {}, {}", f.a, f.color, r(f.rs2), r(f.rs3));
    case Op::dsdadd: return fmt::format("dsdadd d{}, {}", f.a, r(f.rs1));
    case Op::send:
      return fmt::format("{} {}, {}, {}", (f.sub & 1) ? "sendc" : "send", r(f.rs1), r(f.rs2),
                         f.color);
    case Op::recv: return fmt::format("recv {}, {}", r(f.a), f.color);
    case Op::sys: {
      const auto fn = static_cast<isa::SysFn>(f.sub);
      switch (fn) {
        case isa::SysFn::nop: case isa::SysFn::exit: case isa::SysFn::halt: return kSys[f.sub];
        case isa::SysFn::tbind: return fmt::format("tbind {}, {}", f.a, f.color);
        case isa::SysFn::estat: return fmt::format("estat {}", r(f.a));
        default: return fmt::format("{} {}", kSys[f.sub], f.a);
      }
    }
    case Op::illegal: break;
  }
  return fmt::format(".word 0x{:08x}  ; illegal", word);
}

std::string disassemble(const Image& image, unsigned num_colors) {
  std::string out;
  std::uint64_t next = ~std::uint64_t{0};
  for (const auto& [addr, word] : image.words) {
    if (addr != next) out += fmt::format(".org 0x{:04x}\n", addr);
    const std::string text = disassemble(word, static_cast<std::uint16_t>(addr), num_colors);
    // The illegal form already carries a comment.
    if (text.find(';') != std::string::npos) {
      out += fmt::format("    {:<40}  [0x{:04x}: {:08x}]\n", text, addr, word);
    } else {
      out += fmt::format("    {:<40}  ; 0x{:04x}: {:08x}\n", text, addr, word);
    }
    next = std::uint64_t{addr} + 1;
  }
  return out;
}

}  // namespace wm::sw::assembler
