#pragma once
// The PE instruction set (docs/isa.md, frozen v1) as C++ values: opcodes, field layout,
// encoders and a decoder that applies the document's legality rules. The RTL twin is
// rtl/pkg/wm_isa_pkg.sv; the assembler, the reference model and the PE tests all build on
// this header so the encoding exists once on the software side.

#include <cstdint>

namespace wm::sw::isa {

inline constexpr unsigned kNumRegs = 16;
inline constexpr unsigned kRegWavelet = 15;  ///< a data task's wavelet lands here
inline constexpr unsigned kRegLink = 14;     ///< software convention for jal/jalr
inline constexpr unsigned kNumDsds = 8;
inline constexpr unsigned kNumTasks = 16;
inline constexpr unsigned kNumEngines = 4;
inline constexpr unsigned kDefaultNumColors = 8;
inline constexpr unsigned kDefaultMemWords = 12288;

enum class Op : std::uint8_t {
  illegal = 0x00, alu = 0x01, fpu = 0x02, addi = 0x03, andi = 0x04, ori = 0x05, xori = 0x06,
  slti = 0x07, slli = 0x08, srli = 0x09, srai = 0x0A, lui = 0x0B, lw = 0x0C, sw = 0x0D,
  beq = 0x0E, bne = 0x0F, blt = 0x10, bge = 0x11, bltu = 0x12, bgeu = 0x13, jal = 0x14,
  jalr = 0x15, dsdm = 0x16, dsd2 = 0x17, dsdfi = 0x18, dsdfo = 0x19, dsdadd = 0x1A,
  send = 0x1B, recv = 0x1C, sys = 0x1D, tentry = 0x1E,
};

enum class AluFn : std::uint8_t { add, sub, and_, or_, xor_, sll, srl, sra, slt, sltu, mul };
inline constexpr unsigned kNumAluFns = 11;

enum class FpuFn : std::uint8_t { add, sub, mul, max, min, i2f, f2i, lt, le, eq };
inline constexpr unsigned kNumFpuFns = 10;

enum class SysFn : std::uint8_t {
  nop, exit, halt, tact, tblock, tunblock, tbind, tunbind, ewait, estat
};
inline constexpr unsigned kNumSysFns = 10;

enum class Vop : std::uint8_t {
  fmov, fadd, fsub, fmul, fmac, fmax, fmin, frsum, frmax, fdotv, iadd, isub, ishl, ishr,
  vi2f, vf2i
};
inline constexpr unsigned kNumVops = 16;

enum class DsdKind : std::uint8_t { none, mem, fin, fout };

enum class ErrorCode : std::uint8_t { none, illegal, addr, dsd, ctrl };
inline constexpr std::uint16_t kErrPcCtrl = 0xFFFF;

enum class CtrlCmd : std::uint8_t { activate = 0x1, block = 0x2, unblock = 0x3, load = 0x4 };

/// How the fields of a scalar word are laid out (docs/isa.md section 2).
enum class Format : std::uint8_t { none, r, i, s, b, u, j, d, v };

[[nodiscard]] constexpr Format format_of(Op op) {
  switch (op) {
    case Op::alu: case Op::fpu: return Format::r;
    case Op::addi: case Op::andi: case Op::ori: case Op::xori: case Op::slti: case Op::slli:
    case Op::srli: case Op::srai: case Op::lw: case Op::jalr: case Op::tentry: return Format::i;
    case Op::sw: return Format::s;
    case Op::beq: case Op::bne: case Op::blt: case Op::bge: case Op::bltu: case Op::bgeu:
      return Format::b;
    case Op::lui: return Format::u;
    case Op::jal: return Format::j;
    case Op::dsdm: case Op::dsd2: case Op::dsdfi: case Op::dsdfo: case Op::dsdadd:
    case Op::send: case Op::recv: case Op::sys: return Format::d;
    case Op::illegal: return Format::none;
  }
  return Format::none;
}

// ---- bit helpers -------------------------------------------------------------------------
[[nodiscard]] constexpr std::uint32_t bits(std::uint32_t w, unsigned hi, unsigned lo) {
  return (w >> lo) & ((hi - lo == 31) ? 0xFFFFFFFFu : ((1u << (hi - lo + 1)) - 1u));
}
[[nodiscard]] constexpr std::int32_t sext(std::uint32_t v, unsigned width) {
  const std::uint32_t m = 1u << (width - 1);
  return static_cast<std::int32_t>((v ^ m) - m);
}

// ---- vector operands ----------------------------------------------------------------------
/// A 5-bit vector operand: DSD d0..d7 (00ddd) or scalar register r0..r15 (1rrrr).
struct Operand {
  bool is_reg = false;
  std::uint8_t index = 0;
  [[nodiscard]] constexpr std::uint32_t encode() const {
    return is_reg ? (0x10u | (index & 0xFu)) : (index & 0x7u);
  }
  friend constexpr bool operator==(const Operand&, const Operand&) = default;
};
[[nodiscard]] constexpr Operand dsd(unsigned d) { return {false, static_cast<std::uint8_t>(d)}; }
[[nodiscard]] constexpr Operand reg(unsigned r) { return {true, static_cast<std::uint8_t>(r)}; }

// ---- encoders (no range checks beyond masking: the assembler validates its input) ---------
[[nodiscard]] constexpr std::uint32_t encode_r(Op op, unsigned rd, unsigned rs1, unsigned rs2,
                                               unsigned funct) {
  return (static_cast<std::uint32_t>(op) << 26) | ((rd & 0xFu) << 22) | ((rs1 & 0xFu) << 18) |
         ((rs2 & 0xFu) << 14) | (funct & 0xFu);
}
[[nodiscard]] constexpr std::uint32_t encode_alu(AluFn fn, unsigned rd, unsigned rs1,
                                                 unsigned rs2) {
  return encode_r(Op::alu, rd, rs1, rs2, static_cast<unsigned>(fn));
}
[[nodiscard]] constexpr std::uint32_t encode_fpu(FpuFn fn, unsigned rd, unsigned rs1,
                                                 unsigned rs2) {
  return encode_r(Op::fpu, rd, rs1, rs2, static_cast<unsigned>(fn));
}
/// I format (also S with rd = data register, B with rd = rs1 and rs1 = rs2).
[[nodiscard]] constexpr std::uint32_t encode_i(Op op, unsigned rd, unsigned rs1,
                                               std::int32_t imm18) {
  return (static_cast<std::uint32_t>(op) << 26) | ((rd & 0xFu) << 22) | ((rs1 & 0xFu) << 18) |
         (static_cast<std::uint32_t>(imm18) & 0x3FFFFu);
}
[[nodiscard]] constexpr std::uint32_t encode_sw(unsigned rs2, unsigned rs1, std::int32_t imm) {
  return encode_i(Op::sw, rs2, rs1, imm);
}
[[nodiscard]] constexpr std::uint32_t encode_b(Op op, unsigned rs1, unsigned rs2,
                                               std::int32_t off18) {
  return encode_i(op, rs1, rs2, off18);
}
[[nodiscard]] constexpr std::uint32_t encode_lui(unsigned rd, std::uint32_t imm16) {
  return (static_cast<std::uint32_t>(Op::lui) << 26) | ((rd & 0xFu) << 22) | (imm16 & 0xFFFFu);
}
[[nodiscard]] constexpr std::uint32_t encode_jal(unsigned rd, std::int32_t off22) {
  return (static_cast<std::uint32_t>(Op::jal) << 26) | ((rd & 0xFu) << 22) |
         (static_cast<std::uint32_t>(off22) & 0x3FFFFFu);
}
/// D format: a = d / t / e / rd field [25:22].
[[nodiscard]] constexpr std::uint32_t encode_d(Op op, unsigned a, unsigned rs1, unsigned rs2,
                                               unsigned rs3, unsigned color, unsigned sub) {
  return (static_cast<std::uint32_t>(op) << 26) | ((a & 0xFu) << 22) | ((rs1 & 0xFu) << 18) |
         ((rs2 & 0xFu) << 14) | ((rs3 & 0xFu) << 10) | ((color & 0x1Fu) << 5) | (sub & 0x1Fu);
}
[[nodiscard]] constexpr std::uint32_t encode_sys(SysFn fn, unsigned a = 0, unsigned color = 0) {
  return encode_d(Op::sys, a, 0, 0, 0, color, static_cast<unsigned>(fn));
}

/// One vector instruction (format V).
struct VecInstr {
  Vop vop = Vop::fmov;
  Operand dst;
  Operand a;
  Operand b;
  std::uint8_t engine = 0;
  bool async = false;
  bool notify = false;
  std::uint8_t task = 0;
  friend constexpr bool operator==(const VecInstr&, const VecInstr&) = default;
};
[[nodiscard]] constexpr std::uint32_t encode_v(const VecInstr& v) {
  return 0x80000000u | (static_cast<std::uint32_t>(v.vop) << 26) | (v.dst.encode() << 21) |
         (v.a.encode() << 16) | (v.b.encode() << 11) | ((v.engine & 0x3u) << 9) |
         (static_cast<std::uint32_t>(v.async) << 8) | (static_cast<std::uint32_t>(v.notify) << 7) |
         ((v.task & 0xFu) << 3);
}

// ---- decoding -----------------------------------------------------------------------------
/// Every field of a word, extracted by position, whatever the format (the decoder's view).
struct Fields {
  std::uint32_t word = 0;
  bool vector = false;
  std::uint8_t op = 0;     ///< [31:26] for scalar words
  std::uint8_t vop = 0;    ///< [30:26] for vector words
  std::uint8_t a = 0;      ///< [25:22]: rd, rs2 of sw, rs1 of branches, d / t / e
  std::uint8_t rs1 = 0;    ///< [21:18]
  std::uint8_t rs2 = 0;    ///< [17:14]
  std::uint8_t rs3 = 0;    ///< [13:10]
  std::uint8_t color = 0;  ///< [9:5]
  std::uint8_t sub = 0;    ///< [4:0]
  std::int32_t imm18 = 0;  ///< sext([17:0])
  std::uint32_t uimm18 = 0;
  std::uint32_t imm16 = 0;  ///< [15:0]
  std::int32_t off22 = 0;   ///< sext([21:0])
  std::uint8_t vdst = 0, va = 0, vb = 0;  ///< raw 5-bit vector operands
  std::uint8_t engine = 0;
  bool async = false, notify = false;
  std::uint8_t task = 0;
};

[[nodiscard]] constexpr Fields fields(std::uint32_t w) {
  Fields f;
  f.word = w;
  f.vector = (w >> 31) != 0;
  f.op = static_cast<std::uint8_t>(bits(w, 31, 26));
  f.vop = static_cast<std::uint8_t>(bits(w, 30, 26));
  f.a = static_cast<std::uint8_t>(bits(w, 25, 22));
  f.rs1 = static_cast<std::uint8_t>(bits(w, 21, 18));
  f.rs2 = static_cast<std::uint8_t>(bits(w, 17, 14));
  f.rs3 = static_cast<std::uint8_t>(bits(w, 13, 10));
  f.color = static_cast<std::uint8_t>(bits(w, 9, 5));
  f.sub = static_cast<std::uint8_t>(bits(w, 4, 0));
  f.uimm18 = bits(w, 17, 0);
  f.imm18 = sext(f.uimm18, 18);
  f.imm16 = bits(w, 15, 0);
  f.off22 = sext(bits(w, 21, 0), 22);
  f.vdst = static_cast<std::uint8_t>(bits(w, 25, 21));
  f.va = static_cast<std::uint8_t>(bits(w, 20, 16));
  f.vb = static_cast<std::uint8_t>(bits(w, 15, 11));
  f.engine = static_cast<std::uint8_t>(bits(w, 10, 9));
  f.async = bits(w, 8, 8) != 0;
  f.notify = bits(w, 7, 7) != 0;
  f.task = static_cast<std::uint8_t>(bits(w, 6, 3));
  return f;
}

[[nodiscard]] constexpr bool operand_is_reg(std::uint8_t raw) { return (raw & 0x10u) != 0; }
[[nodiscard]] constexpr bool operand_legal(std::uint8_t raw) { return (raw & 0x18u) != 0x08u; }

/// Vector-op classes (docs/isa.md section 2.2) that drive the operand rules.
enum class VopClass : std::uint8_t { unary, binary, mac, reduce, rows };
[[nodiscard]] constexpr VopClass vop_class(Vop v) {
  switch (v) {
    case Vop::fmov: case Vop::vi2f: case Vop::vf2i: return VopClass::unary;
    case Vop::fmac: return VopClass::mac;
    case Vop::frsum: case Vop::frmax: return VopClass::reduce;
    case Vop::fdotv: return VopClass::rows;
    default: return VopClass::binary;
  }
}

/// The decode-time ILLEGAL rules of docs/isa.md (sections 2, 4, 8). Launch-time DSD errors
/// depend on register contents and are the reference model's job.
[[nodiscard]] constexpr bool is_legal(std::uint32_t w, unsigned num_colors = kDefaultNumColors) {
  const Fields f = fields(w);
  if (f.vector) {
    if (f.vop >= kNumVops || bits(w, 2, 0) != 0) return false;
    if (!operand_legal(f.vdst) || !operand_legal(f.va) || !operand_legal(f.vb)) return false;
    const VopClass c = vop_class(static_cast<Vop>(f.vop));
    const bool dst_reg = operand_is_reg(f.vdst);
    switch (c) {
      case VopClass::unary: return !dst_reg && f.vb == 0;
      case VopClass::binary: case VopClass::rows: return !dst_reg;
      case VopClass::reduce: return dst_reg && !operand_is_reg(f.va) && f.vb == 0;
      case VopClass::mac:
        return !dst_reg || !operand_is_reg(f.va) || !operand_is_reg(f.vb);
    }
    return false;
  }
  const auto op = static_cast<Op>(f.op);
  const bool color_ok = f.color < num_colors;
  switch (op) {
    case Op::alu: return bits(w, 13, 4) == 0 && f.sub < kNumAluFns;
    case Op::fpu: {
      if (bits(w, 13, 4) != 0 || f.sub >= kNumFpuFns) return false;
      const auto fn = static_cast<FpuFn>(f.sub);
      return (fn != FpuFn::i2f && fn != FpuFn::f2i) || f.rs2 == 0;
    }
    case Op::addi: case Op::andi: case Op::ori: case Op::xori: case Op::slti: case Op::lw:
    case Op::sw: case Op::beq: case Op::bne: case Op::blt: case Op::bge: case Op::bltu:
    case Op::bgeu: case Op::jal: case Op::jalr: case Op::tentry: return true;
    case Op::slli: case Op::srli: case Op::srai: return bits(w, 17, 5) == 0;
    case Op::lui: return bits(w, 21, 16) == 0;
    case Op::dsdm: return f.a < kNumDsds && bits(w, 9, 0) == 0;
    case Op::dsd2: return f.a < kNumDsds && f.rs1 == 0 && bits(w, 9, 0) == 0;
    case Op::dsdfi: return f.a < kNumDsds && f.rs1 == 0 && f.rs3 == 0 && f.sub == 0 && color_ok;
    case Op::dsdfo: return f.a < kNumDsds && f.rs1 == 0 && f.sub == 0 && color_ok;
    case Op::dsdadd: return f.a < kNumDsds && bits(w, 17, 0) == 0;
    case Op::send: return f.a == 0 && f.rs3 == 0 && bits(w, 4, 1) == 0 && color_ok;
    case Op::recv: return bits(w, 21, 10) == 0 && f.sub == 0 && color_ok;
    case Op::sys: {
      if (bits(w, 21, 10) != 0 || f.sub >= kNumSysFns) return false;
      const auto fn = static_cast<SysFn>(f.sub);
      const bool uses_a = fn != SysFn::nop && fn != SysFn::exit && fn != SysFn::halt;
      if (!uses_a && f.a != 0) return false;
      if (fn == SysFn::tbind) return color_ok;
      if (f.color != 0) return false;
      if (fn == SysFn::ewait) return f.a < kNumEngines;
      return true;
    }
    case Op::illegal: return false;
  }
  return false;  // 0x1F and anything above
}

/// A control wavelet's data word (docs/isa.md section 6).
[[nodiscard]] constexpr std::uint32_t ctrl_word(CtrlCmd cmd, std::uint32_t payload) {
  return (static_cast<std::uint32_t>(cmd) << 28) | (payload & 0x0FFFFFFFu);
}
[[nodiscard]] constexpr std::uint32_t ctrl_load(std::uint32_t count, std::uint32_t addr) {
  return ctrl_word(CtrlCmd::load, ((count & 0xFFFu) << 16) | (addr & 0xFFFFu));
}

}  // namespace wm::sw::isa
