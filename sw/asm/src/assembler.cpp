// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Two passes: the first gives every statement its address and defines labels (every
// statement's size is known from its mnemonic alone, so no value is needed for layout except
// `.org`); the second evaluates operands and encodes. Errors are collected, never thrown early.

#include "wm/sw/asm/assembler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "wm/sw/fp/bits.hpp"

namespace wm::sw::assembler {

namespace {

using isa::Op;

enum class Form : std::uint8_t {
  alu, fpu, fpu1, imm_s, imm_z, shift, lui, lw, sw, branch, jal, jalr, dsdm, dsd2, dsdfi, dsdfo,
  dsdadd, send, recv, sys0, sys_t, sys_tbind, sys_e, sys_rd, tentry, vec, li, lif, mv, j, call,
  ret, word, flt, org, equ,
};

struct Spec {
  Form form;
  unsigned code = 0;  ///< opcode, funct, sub, vop or the send control bit
  unsigned size = 1;
};

const std::unordered_map<std::string, Spec>& scalar_specs() {
  static const std::unordered_map<std::string, Spec> specs = [] {
    std::unordered_map<std::string, Spec> m;
    const char* alu[] = {"add", "sub", "and", "or", "xor", "sll", "srl", "sra", "slt", "sltu",
                         "mul"};
    for (unsigned i = 0; i < isa::kNumAluFns; ++i) m[alu[i]] = {Form::alu, i};
    const char* fpu[] = {"fadd", "fsub", "fmul", "fmax", "fmin", "fi2f", "ff2i", "flt", "fle",
                         "feq"};
    for (unsigned i = 0; i < isa::kNumFpuFns; ++i) {
      m[fpu[i]] = {(i == 5 || i == 6) ? Form::fpu1 : Form::fpu, i};
    }
    auto op = [](Op o) { return static_cast<unsigned>(o); };
    m["addi"] = {Form::imm_s, op(Op::addi)};
    m["slti"] = {Form::imm_s, op(Op::slti)};
    m["andi"] = {Form::imm_z, op(Op::andi)};
    m["ori"] = {Form::imm_z, op(Op::ori)};
    m["xori"] = {Form::imm_z, op(Op::xori)};
    m["slli"] = {Form::shift, op(Op::slli)};
    m["srli"] = {Form::shift, op(Op::srli)};
    m["srai"] = {Form::shift, op(Op::srai)};
    m["lui"] = {Form::lui, op(Op::lui)};
    m["lw"] = {Form::lw, op(Op::lw)};
    m["sw"] = {Form::sw, op(Op::sw)};
    m["beq"] = {Form::branch, op(Op::beq)};
    m["bne"] = {Form::branch, op(Op::bne)};
    m["blt"] = {Form::branch, op(Op::blt)};
    m["bge"] = {Form::branch, op(Op::bge)};
    m["bltu"] = {Form::branch, op(Op::bltu)};
    m["bgeu"] = {Form::branch, op(Op::bgeu)};
    m["jal"] = {Form::jal, op(Op::jal)};
    m["jalr"] = {Form::jalr, op(Op::jalr)};
    m["dsdm"] = {Form::dsdm, op(Op::dsdm)};
    m["dsd2"] = {Form::dsd2, op(Op::dsd2)};
    m["dsdfi"] = {Form::dsdfi, op(Op::dsdfi)};
    m["dsdfo"] = {Form::dsdfo, op(Op::dsdfo)};
    m["dsdadd"] = {Form::dsdadd, op(Op::dsdadd)};
    m["send"] = {Form::send, 0};
    m["sendc"] = {Form::send, 1};
    m["recv"] = {Form::recv, op(Op::recv)};
    m["tentry"] = {Form::tentry, op(Op::tentry)};
    auto sys = [](isa::SysFn f) { return static_cast<unsigned>(f); };
    m["nop"] = {Form::sys0, sys(isa::SysFn::nop)};
    m["exit"] = {Form::sys0, sys(isa::SysFn::exit)};
    m["halt"] = {Form::sys0, sys(isa::SysFn::halt)};
    m["tact"] = {Form::sys_t, sys(isa::SysFn::tact)};
    m["tblock"] = {Form::sys_t, sys(isa::SysFn::tblock)};
    m["tunblock"] = {Form::sys_t, sys(isa::SysFn::tunblock)};
    m["tbind"] = {Form::sys_tbind, sys(isa::SysFn::tbind)};
    m["tunbind"] = {Form::sys_t, sys(isa::SysFn::tunbind)};
    m["ewait"] = {Form::sys_e, sys(isa::SysFn::ewait)};
    m["estat"] = {Form::sys_rd, sys(isa::SysFn::estat)};
    m["li"] = {Form::li, 0, 2};
    m["lif"] = {Form::lif, 0, 2};
    m["mv"] = {Form::mv};
    m["j"] = {Form::j};
    m["call"] = {Form::call};
    m["ret"] = {Form::ret};
    m[".word"] = {Form::word, 0, 0};
    m[".float"] = {Form::flt, 0, 0};
    m[".org"] = {Form::org, 0, 0};
    m[".equ"] = {Form::equ, 0, 0};
    return m;
  }();
  return specs;
}

const std::unordered_map<std::string, unsigned>& vector_specs() {
  static const std::unordered_map<std::string, unsigned> specs = [] {
    std::unordered_map<std::string, unsigned> m;
    const char* names[] = {"fmov", "fadd", "fsub", "fmul", "fmac", "fmax", "fmin", "frsum",
                           "frmax", "fdotv", "iadd", "isub", "ishl", "ishr", "vi2f", "vf2i"};
    for (unsigned i = 0; i < isa::kNumVops; ++i) m[names[i]] = i;
    return m;
  }();
  return specs;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

std::optional<unsigned> parse_reg(std::string_view s) {
  if (s == "wv") return isa::kRegWavelet;
  if (s == "ra") return isa::kRegLink;
  if (s.size() < 2 || s.size() > 3 || s[0] != 'r') return std::nullopt;
  unsigned v = 0;
  const auto [p, ec] = std::from_chars(s.data() + 1, s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v >= isa::kNumRegs) return std::nullopt;
  if (s.size() == 3 && s[1] == '0') return std::nullopt;  // r01 is not a register name
  return v;
}

std::optional<unsigned> parse_dsd(std::string_view s) {
  if (s.size() != 2 || s[0] != 'd' || s[1] < '0' || s[1] > '7') return std::nullopt;
  return static_cast<unsigned>(s[1] - '0');
}

bool is_reserved_name(std::string_view s) { return parse_reg(s) || parse_dsd(s); }

struct Stmt {
  std::size_t file = 0;
  unsigned line = 0;
  std::uint32_t addr = 0;
  std::string mnemonic;
  std::vector<std::string> operands;
  Spec spec;
};

/// Splits on commas outside parentheses; an empty operand list stays empty.
std::vector<std::string> split_operands(std::string_view s) {
  std::vector<std::string> out;
  s = trim(s);
  if (s.empty()) return out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || (s[i] == ',' && depth == 0)) {
      out.emplace_back(trim(s.substr(start, i - start)));
      start = i + 1;
    } else if (s[i] == '(') {
      ++depth;
    } else if (s[i] == ')') {
      --depth;
    }
  }
  return out;
}

class Assembler {
 public:
  Assembler(const std::vector<Source>& sources, const Options& options)
      : sources_(sources), options_(options) {}

  Program run() {
    pass1();
    pass2();
    if (!diags_.empty()) {
      std::stable_sort(diags_.begin(), diags_.end(), [this](const auto& a, const auto& b) {
        return std::pair(file_index(a.file), a.line) < std::pair(file_index(b.file), b.line);
      });
      throw AsmError(std::move(diags_));
    }
    return std::move(program_);
  }

 private:
  // ---- diagnostics --------------------------------------------------------------------------
  void error(std::size_t file, unsigned line, std::string msg) {
    diags_.push_back({sources_[file].name, line, std::move(msg)});
  }
  void error(std::string msg) { error(cur_file_, cur_line_, std::move(msg)); }
  std::size_t file_index(const std::string& name) const {
    for (std::size_t i = 0; i < sources_.size(); ++i) {
      if (sources_[i].name == name) return i;
    }
    return 0;
  }

  // ---- pass 1: layout and labels --------------------------------------------------------------
  void pass1() {
    std::uint64_t addr = 0;
    for (std::size_t f = 0; f < sources_.size(); ++f) {
      std::string_view text = sources_[f].text;
      unsigned line_no = 0;
      while (true) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        ++line_no;
        cur_file_ = f;
        cur_line_ = line_no;
        addr = layout_line(line, addr);
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
      }
    }
  }

  std::uint64_t layout_line(std::string_view line, std::uint64_t addr) {
    if (const auto c = line.find_first_of(";#"); c != std::string_view::npos) {
      line = line.substr(0, c);
    }
    line = trim(line);
    // Labels: identifiers followed by ':' at the start of the line.
    while (!line.empty() && is_ident_start(line[0])) {
      std::size_t i = 1;
      while (i < line.size() && is_ident_char(line[i])) ++i;
      if (i >= line.size() || line[i] != ':') break;
      define(std::string(line.substr(0, i)), static_cast<std::uint32_t>(addr), true);
      line = trim(line.substr(i + 1));
    }
    if (line.empty()) return addr;
    std::size_t i = 0;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    std::string mnemonic(line.substr(0, i));
    std::transform(mnemonic.begin(), mnemonic.end(), mnemonic.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    Stmt st{cur_file_, cur_line_, static_cast<std::uint32_t>(addr), mnemonic,
            split_operands(line.substr(i)), {}};
    if (const auto it = scalar_specs().find(mnemonic); it != scalar_specs().end()) {
      st.spec = it->second;
    } else if (const auto v = vector_specs().find(mnemonic); v != vector_specs().end()) {
      st.spec = {Form::vec, v->second};
    } else {
      error(fmt::format("unknown mnemonic '{}'", mnemonic));
      return addr;
    }
    if (st.operands.size() == 1 && st.operands[0].empty()) st.operands.clear();
    // fadd..fmin exist as scalar FPU and vector ops: a DSD destination makes it the vector one.
    if (st.spec.form == Form::fpu && !st.operands.empty() && parse_dsd(st.operands[0])) {
      st.spec = {Form::vec, vector_specs().at(mnemonic)};
    }
    switch (st.spec.form) {
      case Form::org: {
        if (!expect_count(st, 1)) return addr;
        const auto v = eval(st.operands[0], addr);
        if (!v) return addr;
        if (*v < 0 || *v > 0xFFFF) {
          error(fmt::format(".org address {} outside 0..0xffff", *v));
          return addr;
        }
        return static_cast<std::uint64_t>(*v);
      }
      case Form::equ: {
        if (!expect_count(st, 2)) return addr;
        const std::string name = st.operands[0];
        if (name.empty() || !is_ident_start(name[0]) ||
            !std::all_of(name.begin(), name.end(), is_ident_char)) {
          error(fmt::format("bad symbol name '{}'", name));
          return addr;
        }
        if (const auto v = eval(st.operands[1], addr)) {
          define(name, static_cast<std::uint32_t>(*v), false);
        }
        return addr;
      }
      case Form::word: case Form::flt:
        if (st.operands.empty()) error(fmt::format("{} needs at least one value", mnemonic));
        st.spec.size = static_cast<unsigned>(st.operands.size());
        break;
      default: break;
    }
    const std::uint64_t next = addr + st.spec.size;
    if (next > 0x10000) {
      error(fmt::format("address 0x{:x} is past the 16-bit pc space", next - 1));
    }
    stmts_.push_back(std::move(st));
    return next;
  }

  void define(const std::string& name, std::uint32_t value, bool label) {
    if (is_reserved_name(name)) {
      error(fmt::format("'{}' is a register name, not a symbol", name));
      return;
    }
    if (const auto it = defined_at_.find(name); it != defined_at_.end()) {
      error(fmt::format("duplicate {} '{}' (first defined at {}:{})", label ? "label" : "symbol",
                        name, sources_[it->second.first].name, it->second.second));
      return;
    }
    defined_at_[name] = {cur_file_, cur_line_};
    program_.symbols[name] = value;
  }

  bool expect_count(const Stmt& st, std::size_t n) {
    if (st.operands.size() == n) return true;
    if (n == 0) {
      error(fmt::format("trailing junk '{}' after '{}'", st.operands[0], st.mnemonic));
    } else {
      error(fmt::format("'{}' takes {} operand{}, got {}", st.mnemonic, n, n == 1 ? "" : "s",
                        st.operands.size()));
    }
    return false;
  }

  // ---- expressions ----------------------------------------------------------------------------
  /// term {(+|-) term}; term = [-] (number | symbol | '.'). Reports its own errors.
  std::optional<std::int64_t> eval(std::string_view s, std::uint64_t dot) {
    s = trim(s);
    if (s.empty()) {
      error("missing value");
      return std::nullopt;
    }
    std::int64_t total = 0;
    std::size_t i = 0;
    int sign = 1;
    bool want_term = true;
    while (i < s.size()) {
      const char c = s[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
        continue;
      }
      if (want_term) {
        if (c == '-' || c == '+') {
          if (c == '-') sign = -sign;
          ++i;
          continue;
        }
        std::int64_t term = 0;
        if (std::isdigit(static_cast<unsigned char>(c))) {
          std::size_t j = i;
          while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
          const auto tok = s.substr(i, j - i);
          int base = 10;
          auto digits = tok;
          if (tok.size() > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X')) {
            base = 16;
            digits = tok.substr(2);
          } else if (tok.size() > 2 && tok[0] == '0' && (tok[1] == 'b' || tok[1] == 'B')) {
            base = 2;
            digits = tok.substr(2);
          }
          std::uint64_t v = 0;
          const auto [p, ec] =
              std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
          if (ec != std::errc{} || p != digits.data() + digits.size() || v > 0xFFFFFFFFull) {
            error(fmt::format("bad number '{}'", tok));
            return std::nullopt;
          }
          term = static_cast<std::int64_t>(v);
          i = j;
        } else if (c == '.' && (i + 1 == s.size() || !is_ident_char(s[i + 1]))) {
          term = static_cast<std::int64_t>(dot);
          ++i;
        } else if (is_ident_start(c)) {
          std::size_t j = i;
          while (j < s.size() && is_ident_char(s[j])) ++j;
          const std::string name(s.substr(i, j - i));
          const auto it = program_.symbols.find(name);
          if (it == program_.symbols.end()) {
            error(is_reserved_name(name)
                      ? fmt::format("register '{}' where a value is expected", name)
                      : fmt::format("undefined symbol '{}'", name));
            return std::nullopt;
          }
          term = it->second;
          i = j;
        } else {
          error(fmt::format("bad value '{}'", s));
          return std::nullopt;
        }
        total += sign * term;
        sign = 1;
        want_term = false;
      } else {
        if (c != '+' && c != '-') {
          error(fmt::format("trailing junk '{}' in '{}'", s.substr(i), s));
          return std::nullopt;
        }
        sign = c == '-' ? -1 : 1;
        ++i;
        want_term = true;
      }
    }
    if (want_term) {
      error(fmt::format("incomplete expression '{}'", s));
      return std::nullopt;
    }
    return total;
  }

  std::optional<std::int64_t> value_in(std::string_view s, std::int64_t lo, std::int64_t hi,
                                       const char* what) {
    const auto v = eval(s, dot_);
    if (!v) return std::nullopt;
    if (*v < lo || *v > hi) {
      error(fmt::format("{} {} out of range [{}, {}]", what, *v, lo, hi));
      return std::nullopt;
    }
    return v;
  }

  // ---- operands -------------------------------------------------------------------------------
  /// Reports "trailing junk" when a valid name is followed by more text, else `bad <what>`.
  void bad_name(std::string_view s, const char* what, bool (*valid)(std::string_view)) {
    const auto sp = s.find_first_of(" \t");
    if (sp != std::string_view::npos && valid(s.substr(0, sp))) {
      error(fmt::format("trailing junk '{}' after '{}'", trim(s.substr(sp)), s.substr(0, sp)));
    } else {
      error(fmt::format("bad {} '{}'", what, s));
    }
  }
  std::optional<unsigned> reg(std::string_view s) {
    if (const auto r = parse_reg(s)) return r;
    if (parse_dsd(s)) {
      error(fmt::format("DSD '{}' where a scalar register is expected", s));
    } else {
      bad_name(s, "register", [](std::string_view x) { return parse_reg(x).has_value(); });
    }
    return std::nullopt;
  }
  std::optional<unsigned> dsd(std::string_view s) {
    if (const auto d = parse_dsd(s)) return d;
    if (parse_reg(s)) {
      error(fmt::format("scalar register '{}' where a DSD is expected", s));
    } else {
      bad_name(s, "DSD register", [](std::string_view x) { return parse_dsd(x).has_value(); });
    }
    return std::nullopt;
  }
  std::optional<isa::Operand> vec_operand(std::string_view s) {
    if (const auto d = parse_dsd(s)) return isa::dsd(*d);
    if (const auto r = parse_reg(s)) return isa::reg(*r);
    bad_name(s, "vector operand (d0..d7 or r0..r15)",
             [](std::string_view x) { return parse_dsd(x) || parse_reg(x); });
    return std::nullopt;
  }
  std::optional<unsigned> color(std::string_view s) {
    const auto v = value_in(s, 0, options_.num_colors - 1, "color");
    return v ? std::optional<unsigned>(static_cast<unsigned>(*v)) : std::nullopt;
  }
  std::optional<unsigned> small(std::string_view s, unsigned hi, const char* what) {
    const auto v = value_in(s, 0, hi, what);
    return v ? std::optional<unsigned>(static_cast<unsigned>(*v)) : std::nullopt;
  }
  /// `imm(rs1)` or `(rs1)`.
  std::optional<std::pair<std::int32_t, unsigned>> mem_operand(std::string_view s) {
    const auto open = s.rfind('(');
    if (open == std::string_view::npos || s.back() != ')') {
      const auto close = s.rfind(')');
      if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
        error(fmt::format("trailing junk '{}' after '{}'", trim(s.substr(close + 1)),
                          s.substr(0, close + 1)));
      } else {
        error(fmt::format("bad memory operand '{}' (expected imm(rs1))", s));
      }
      return std::nullopt;
    }
    const auto r = reg(trim(s.substr(open + 1, s.size() - open - 2)));
    const auto imm_text = trim(s.substr(0, open));
    std::int64_t imm = 0;
    if (!imm_text.empty()) {
      const auto v = value_in(imm_text, -(1 << 17), (1 << 17) - 1, "offset");
      if (!v) return std::nullopt;
      imm = *v;
    }
    if (!r) return std::nullopt;
    return std::pair(static_cast<std::int32_t>(imm), *r);
  }
  std::optional<std::int32_t> branch_offset(std::string_view s, unsigned bits) {
    const auto v = eval(s, dot_);
    if (!v) return std::nullopt;
    const std::int64_t off = *v - static_cast<std::int64_t>(dot_);
    const std::int64_t lim = std::int64_t{1} << (bits - 1);
    if (off < -lim || off >= lim) {
      error(fmt::format("branch target {} is {} words away, out of range [{}, {}]", s, off, -lim,
                        lim - 1));
      return std::nullopt;
    }
    return static_cast<std::int32_t>(off);
  }

  // ---- pass 2: encoding -------------------------------------------------------------------------
  void pass2() {
    for (const auto& st : stmts_) {
      cur_file_ = st.file;
      cur_line_ = st.line;
      dot_ = st.addr;
      const std::size_t before = diags_.size();
      std::vector<std::uint32_t> words;
      encode(st, words);
      if (diags_.size() != before) continue;
      for (std::size_t k = 0; k < words.size(); ++k) {
        const std::uint32_t a = st.addr + static_cast<std::uint32_t>(k);
        if (!program_.image.words.emplace(a, words[k]).second) {
          error(fmt::format("address 0x{:04x} is written twice (overlapping .org)", a));
          break;
        }
      }
    }
  }

  void encode(const Stmt& st, std::vector<std::uint32_t>& out) {
    const auto& ops = st.operands;
    const Spec& sp = st.spec;
    const auto op = static_cast<Op>(sp.code);
    switch (sp.form) {
      case Form::alu: case Form::fpu: {
        if (!expect_count(st, 3)) return;
        const auto rd = reg(ops[0]), rs1 = reg(ops[1]), rs2 = reg(ops[2]);
        if (rd && rs1 && rs2) {
          out.push_back(isa::encode_r(sp.form == Form::alu ? Op::alu : Op::fpu, *rd, *rs1, *rs2,
                                      sp.code));
        }
        return;
      }
      case Form::fpu1: {
        if (!expect_count(st, 2)) return;
        const auto rd = reg(ops[0]), rs1 = reg(ops[1]);
        if (rd && rs1) out.push_back(isa::encode_r(Op::fpu, *rd, *rs1, 0, sp.code));
        return;
      }
      case Form::imm_s: case Form::imm_z: case Form::shift: {
        if (!expect_count(st, 3)) return;
        const auto rd = reg(ops[0]), rs1 = reg(ops[1]);
        const auto imm = sp.form == Form::imm_s   ? value_in(ops[2], -(1 << 17), (1 << 17) - 1,
                                                             "immediate")
                         : sp.form == Form::imm_z ? value_in(ops[2], 0, (1 << 18) - 1,
                                                             "immediate")
                                                  : value_in(ops[2], 0, 31, "shift amount");
        if (rd && rs1 && imm) {
          out.push_back(isa::encode_i(op, *rd, *rs1, static_cast<std::int32_t>(*imm)));
        }
        return;
      }
      case Form::lui: {
        if (!expect_count(st, 2)) return;
        const auto rd = reg(ops[0]);
        const auto imm = value_in(ops[1], 0, 0xFFFF, "immediate");
        if (rd && imm) out.push_back(isa::encode_lui(*rd, static_cast<std::uint32_t>(*imm)));
        return;
      }
      case Form::lw: case Form::sw: {
        if (!expect_count(st, 2)) return;
        const auto r = reg(ops[0]);
        const auto m = mem_operand(ops[1]);
        if (r && m) out.push_back(isa::encode_i(op, *r, m->second, m->first));
        return;
      }
      case Form::branch: {
        if (!expect_count(st, 3)) return;
        const auto rs1 = reg(ops[0]), rs2 = reg(ops[1]);
        const auto off = branch_offset(ops[2], 18);
        if (rs1 && rs2 && off) out.push_back(isa::encode_b(op, *rs1, *rs2, *off));
        return;
      }
      case Form::jal: {
        if (!expect_count(st, 2)) return;
        const auto rd = reg(ops[0]);
        const auto off = branch_offset(ops[1], 22);
        if (rd && off) out.push_back(isa::encode_jal(*rd, *off));
        return;
      }
      case Form::jalr: case Form::tentry: {
        if (!expect_count(st, 3)) return;
        const auto a = sp.form == Form::jalr ? reg(ops[0])
                                             : small(ops[0], isa::kNumTasks - 1, "task");
        const auto rs1 = reg(ops[1]);
        const auto imm = value_in(ops[2], -(1 << 17), (1 << 17) - 1, "immediate");
        if (a && rs1 && imm) {
          out.push_back(isa::encode_i(op, *a, *rs1, static_cast<std::int32_t>(*imm)));
        }
        return;
      }
      case Form::dsdm: {
        if (!expect_count(st, 4)) return;
        const auto d = dsd(ops[0]);
        const auto r1 = reg(ops[1]), r2 = reg(ops[2]), r3 = reg(ops[3]);
        if (d && r1 && r2 && r3) out.push_back(isa::encode_d(op, *d, *r1, *r2, *r3, 0, 0));
        return;
      }
      case Form::dsd2: {
        if (!expect_count(st, 3)) return;
        const auto d = dsd(ops[0]);
        const auto r2 = reg(ops[1]), r3 = reg(ops[2]);
        if (d && r2 && r3) out.push_back(isa::encode_d(op, *d, 0, *r2, *r3, 0, 0));
        return;
      }
      case Form::dsdfi: {
        if (!expect_count(st, 3)) return;
        const auto d = dsd(ops[0]);
        const auto c = color(ops[1]);
        const auto r2 = reg(ops[2]);
        if (d && c && r2) out.push_back(isa::encode_d(op, *d, 0, *r2, 0, *c, 0));
        return;
      }
      case Form::dsdfo: {
        if (!expect_count(st, 4)) return;
        const auto d = dsd(ops[0]);
        const auto c = color(ops[1]);
        const auto r2 = reg(ops[2]), r3 = reg(ops[3]);
        if (d && c && r2 && r3) out.push_back(isa::encode_d(op, *d, 0, *r2, *r3, *c, 0));
        return;
      }
      case Form::dsdadd: {
        if (!expect_count(st, 2)) return;
        const auto d = dsd(ops[0]);
        const auto r1 = reg(ops[1]);
        if (d && r1) out.push_back(isa::encode_d(op, *d, *r1, 0, 0, 0, 0));
        return;
      }
      case Form::send: {
        if (!expect_count(st, 3)) return;
        const auto r1 = reg(ops[0]), r2 = reg(ops[1]);
        const auto c = color(ops[2]);
        if (r1 && r2 && c) out.push_back(isa::encode_d(Op::send, 0, *r1, *r2, 0, *c, sp.code));
        return;
      }
      case Form::recv: {
        if (!expect_count(st, 2)) return;
        const auto rd = reg(ops[0]);
        const auto c = color(ops[1]);
        if (rd && c) out.push_back(isa::encode_d(Op::recv, *rd, 0, 0, 0, *c, 0));
        return;
      }
      case Form::sys0:
        if (expect_count(st, 0)) out.push_back(isa::encode_sys(static_cast<isa::SysFn>(sp.code)));
        return;
      case Form::sys_t: case Form::sys_e: case Form::sys_rd: {
        if (!expect_count(st, 1)) return;
        const auto a = sp.form == Form::sys_t   ? small(ops[0], isa::kNumTasks - 1, "task")
                       : sp.form == Form::sys_e ? small(ops[0], isa::kNumEngines - 1, "engine")
                                                : reg(ops[0]);
        if (a) out.push_back(isa::encode_sys(static_cast<isa::SysFn>(sp.code), *a));
        return;
      }
      case Form::sys_tbind: {
        if (!expect_count(st, 2)) return;
        const auto t = small(ops[0], isa::kNumTasks - 1, "task");
        const auto c = color(ops[1]);
        if (t && c) out.push_back(isa::encode_sys(isa::SysFn::tbind, *t, *c));
        return;
      }
      case Form::vec: encode_vector(st, out); return;
      case Form::li: case Form::lif: {
        if (!expect_count(st, 2)) return;
        const auto rd = reg(ops[0]);
        std::optional<std::uint32_t> v;
        if (sp.form == Form::li) {
          if (const auto x = value_in(ops[1], INT32_MIN, UINT32_MAX, "immediate")) {
            v = static_cast<std::uint32_t>(*x);
          }
        } else {
          v = float_bits(ops[1]);
        }
        if (rd && v) {
          out.push_back(isa::encode_lui(*rd, *v >> 16));
          out.push_back(isa::encode_i(Op::ori, *rd, *rd, static_cast<std::int32_t>(*v & 0xFFFF)));
        }
        return;
      }
      case Form::mv: {
        if (!expect_count(st, 2)) return;
        const auto rd = reg(ops[0]), rs = reg(ops[1]);
        if (rd && rs) out.push_back(isa::encode_i(Op::addi, *rd, *rs, 0));
        return;
      }
      case Form::j: case Form::call: {
        if (!expect_count(st, 1)) return;
        if (const auto off = branch_offset(ops[0], 22)) {
          out.push_back(isa::encode_jal(sp.form == Form::j ? 0 : isa::kRegLink, *off));
        }
        return;
      }
      case Form::ret:
        if (expect_count(st, 0)) out.push_back(isa::encode_i(Op::jalr, 0, isa::kRegLink, 0));
        return;
      case Form::word:
        for (const auto& o : ops) {
          if (const auto v = value_in(o, INT32_MIN, UINT32_MAX, "word")) {
            out.push_back(static_cast<std::uint32_t>(*v));
          }
        }
        return;
      case Form::flt:
        for (const auto& o : ops) {
          if (const auto v = float_bits(o)) out.push_back(*v);
        }
        return;
      case Form::org: case Form::equ: return;
    }
  }

  std::optional<std::uint32_t> float_bits(const std::string& s) {
    std::string t = s;
    std::transform(t.begin(), t.end(), t.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (t == "nan") return fp::kCanonicalNan;
    if (t == "inf" || t == "+inf") return 0x7F800000u;
    if (t == "-inf") return 0xFF800000u;
    if (!t.empty() && (std::isdigit(static_cast<unsigned char>(t[0])) || t[0] == '-' ||
                       t[0] == '+' || t[0] == '.')) {
      char* end = nullptr;
      const float f = std::strtof(s.c_str(), &end);
      if (end == s.c_str() + s.size() && std::isfinite(f)) return fp::to_bits(f);
      if (end == s.c_str() + s.size()) {
        error(fmt::format("float literal '{}' overflows binary32", s));
        return std::nullopt;
      }
    }
    error(fmt::format("bad float literal '{}'", s));
    return std::nullopt;
  }

  void encode_vector(const Stmt& st, std::vector<std::uint32_t>& out) {
    const auto vop = static_cast<isa::Vop>(st.spec.code);
    const auto cls = isa::vop_class(vop);
    const std::size_t n = (cls == isa::VopClass::unary || cls == isa::VopClass::reduce) ? 2 : 3;
    if (st.operands.size() < n) {
      error(fmt::format("'{}' takes {} operands, got {}", st.mnemonic, n, st.operands.size()));
      return;
    }
    isa::VecInstr v;
    v.vop = vop;
    bool ok = true;
    isa::Operand* slots[] = {&v.dst, &v.a, &v.b};
    for (std::size_t k = 0; k < n; ++k) {
      if (const auto o = vec_operand(st.operands[k])) {
        *slots[k] = *o;
      } else {
        ok = false;
      }
    }
    bool seen_e = false, seen_async = false, seen_task = false;
    for (std::size_t k = n; k < st.operands.size(); ++k) {
      const std::string_view f = st.operands[k];
      const auto eq = f.find('=');
      const auto key = trim(f.substr(0, eq));
      const auto val = eq == std::string_view::npos ? std::string_view{} : f.substr(eq + 1);
      bool dup = false;
      if (key == "async" && eq == std::string_view::npos) {
        dup = std::exchange(seen_async, true);
        v.async = true;
      } else if (key == "e" && eq != std::string_view::npos) {
        dup = std::exchange(seen_e, true);
        if (const auto e = small(val, isa::kNumEngines - 1, "engine")) {
          v.engine = static_cast<std::uint8_t>(*e);
        } else {
          ok = false;
        }
      } else if ((key == "notify" || key == "task") && eq != std::string_view::npos) {
        dup = std::exchange(seen_task, true);
        v.notify = key == "notify";
        if (const auto t = small(val, isa::kNumTasks - 1, "task")) {
          v.task = static_cast<std::uint8_t>(*t);
        } else {
          ok = false;
        }
      } else {
        error(k == n && (parse_dsd(f) || parse_reg(f))
                  ? fmt::format("'{}' takes {} operands, got more", st.mnemonic, n)
                  : fmt::format("unknown vector flag '{}' (expected e=N, async, notify=T, "
                                "task=T)", f));
        ok = false;
      }
      if (dup) {
        error(fmt::format("flag '{}' given twice", key));
        ok = false;
      }
    }
    if (!ok) return;
    const std::uint32_t w = isa::encode_v(v);
    if (!isa::is_legal(w, options_.num_colors)) {
      error(fmt::format("illegal operand kinds for '{}': {}", st.mnemonic, operand_rule(cls)));
      return;
    }
    out.push_back(w);
  }

  static const char* operand_rule(isa::VopClass c) {
    switch (c) {
      case isa::VopClass::unary: case isa::VopClass::binary: case isa::VopClass::rows:
        return "the destination must be a DSD";
      case isa::VopClass::reduce: return "the destination must be a register, the source a DSD";
      case isa::VopClass::mac: return "a register destination needs a DSD source";
    }
    return "";
  }

  const std::vector<Source>& sources_;
  Options options_;
  Program program_;
  std::vector<Stmt> stmts_;
  std::vector<Diagnostic> diags_;
  std::unordered_map<std::string, std::pair<std::size_t, unsigned>> defined_at_;
  std::size_t cur_file_ = 0;
  unsigned cur_line_ = 0;
  std::uint64_t dot_ = 0;
};

std::string join(const std::vector<Diagnostic>& diags) {
  std::string s;
  for (const auto& d : diags) {
    if (!s.empty()) s += '\n';
    s += fmt::format("{}:{}: {}", d.file, d.line, d.message);
  }
  return s;
}

}  // namespace

AsmError::AsmError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

Program assemble(const std::vector<Source>& sources, const Options& options) {
  return Assembler(sources, options).run();
}

Program assemble(const std::string& text, const std::string& name, const Options& options) {
  return assemble(std::vector<Source>{{name, text}}, options);
}

std::string read_text_file(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw std::runtime_error(fmt::format("cannot read {}", path));
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace wm::sw::assembler
