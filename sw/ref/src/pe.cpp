// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sw/ref/pe.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "wm/sw/fp/fp.hpp"

namespace wm::sw::ref {

namespace {

using isa::ErrorCode;
using isa::Op;
using isa::Vop;

float f32(std::uint32_t u) { return fp::from_bits(u); }
std::uint32_t u32(float f) { return fp::to_bits(f); }
std::int32_t s16(std::uint16_t v) { return static_cast<std::int16_t>(v); }

std::uint32_t dsd_length(const Dsd& d) {
  if (d.kind == isa::DsdKind::mem) return std::uint32_t{d.len0} * d.len1;
  return d.len;
}

}  // namespace

Pe::Pe(const Config& config) : config_(config) {
  if (config.mem_words == 0 || config.mem_words > 0x10000) {
    throw std::invalid_argument(
        fmt::format("mem_words = {}: must be 1..65536 (the pc is 16 bits)", config.mem_words));
  }
  if (config.num_colors == 0 || config.num_colors > 32) {
    throw std::invalid_argument(
        fmt::format("num_colors = {}: must be 1..32 (5-bit color field)", config.num_colors));
  }
  mem_.assign(config.mem_words, 0);
  input_.resize(config.num_colors);
}

// ---- memory and fabric -------------------------------------------------------------------------

void Pe::write_mem(std::uint32_t addr, std::uint32_t word) {
  if (addr >= mem_.size()) {
    throw std::out_of_range(
        fmt::format("address 0x{:x} is past the PE's {} words of SRAM", addr, mem_.size()));
  }
  mem_[addr] = word;
}

std::uint32_t Pe::read_mem(std::uint32_t addr) const {
  if (addr >= mem_.size()) {
    throw std::out_of_range(
        fmt::format("address 0x{:x} is past the PE's {} words of SRAM", addr, mem_.size()));
  }
  return mem_[addr];
}

void Pe::load(const std::map<std::uint32_t, std::uint32_t>& words) {
  for (const auto& [addr, word] : words) write_mem(addr, word);
}

void Pe::set_reg(unsigned r, std::uint32_t v) { write_reg(r, v); }

void Pe::push_input(const Wavelet& w) {
  if (w.color >= config_.num_colors) {
    throw std::invalid_argument(
        fmt::format("wavelet on color {}, the PE has {} colors", w.color, config_.num_colors));
  }
  input_[w.color].push_back(w);
  drain(w.color);
}

void Pe::drain(unsigned color) {
  auto& q = input_[color];
  while (!q.empty()) {
    const Wavelet w = q.front();
    if (w.ctrl) {
      q.pop_front();
      control(w);
    } else if (load_ && load_->color == color) {
      q.pop_front();
      if (load_->addr >= mem_.size()) {
        fail(ErrorCode::addr, isa::kErrPcCtrl);
      } else {
        mem_[load_->addr] = w.data;
      }
      ++load_->addr;
      if (--load_->remaining == 0) load_.reset();
    } else {
      break;  // a data wavelet for a task, recv or DSD: it waits, and so does what follows
    }
  }
}

std::optional<Wavelet> Pe::pop_output() {
  if (output_.empty()) return std::nullopt;
  Wavelet w = output_.front();
  output_.pop_front();
  return w;
}

void Pe::control(const Wavelet& w) {
  const std::uint32_t cmd = w.data >> 28;
  const std::uint32_t payload = w.data & 0x0FFF'FFFFu;
  switch (cmd) {
    case static_cast<std::uint32_t>(isa::CtrlCmd::activate):
    case static_cast<std::uint32_t>(isa::CtrlCmd::block):
    case static_cast<std::uint32_t>(isa::CtrlCmd::unblock): {
      if (payload > 0xFu) break;
      Task& t = tasks_[payload];
      if (cmd == static_cast<std::uint32_t>(isa::CtrlCmd::activate)) {
        t.active = true;
      } else {
        t.blocked = cmd == static_cast<std::uint32_t>(isa::CtrlCmd::block);
      }
      return;
    }
    case static_cast<std::uint32_t>(isa::CtrlCmd::load): {
      if (load_) break;
      const std::uint32_t count = (payload >> 16) & 0xFFFu;
      if (count != 0) load_ = Load{w.color, count, payload & 0xFFFFu};
      return;
    }
    default: break;
  }
  fail(ErrorCode::ctrl, isa::kErrPcCtrl);
}

// ---- scheduler ----------------------------------------------------------------------------------

bool Pe::task_owned(unsigned color) const {
  for (const Task& t : tasks_) {
    if (t.bound && t.color == color) return true;
  }
  return false;
}

std::optional<unsigned> Pe::runnable_task() const {
  for (unsigned i = 0; i < isa::kNumTasks; ++i) {
    const Task& t = tasks_[i];
    if (t.blocked) continue;
    // Slots bound to one color: the lowest runnable takes the wavelet (as wm_pe_sched does).
    if (t.active || (t.bound && !input_[t.color].empty())) return i;
  }
  return std::nullopt;
}

std::optional<unsigned> Pe::current_task() const {
  return running_ ? std::optional<unsigned>(current_) : std::nullopt;
}

bool Pe::engines_idle() const {
  for (const Engine& e : engines_) {
    if (e.busy) return false;
  }
  return true;
}

void Pe::fail(ErrorCode code, std::uint16_t pc) {
  halted_ = true;
  if (code_ == ErrorCode::none) {  // the first error is latched
    code_ = code;
    err_pc_ = pc;
  }
}

// ---- stepping -----------------------------------------------------------------------------------

Step Pe::step() {
  if (halted_) return {StepKind::halted};
  const bool eager = config_.timing == EngineTiming::eager;
  if (eager) advance_engines();
  if (halted_) return {StepKind::halted};
  if (wait_engine_) {
    advance_engines();
    if (halted_) return {StepKind::halted};
    if (engines_[*wait_engine_].busy) return {StepKind::waiting};
    wait_engine_.reset();
    return {StepKind::executed};
  }
  if (!running_) {
    auto t = runnable_task();
    if (!t) {
      advance_engines();
      if (halted_) return {StepKind::halted};
      t = runnable_task();
    }
    if (!t) return {engines_idle() ? StepKind::idle : StepKind::waiting};
    Task& task = tasks_[*t];
    if (task.active) {
      task.active = false;
    } else {
      auto& q = input_[task.color];
      regs_[isa::kRegWavelet] = q.front().data;
      q.pop_front();
      drain(task.color);
    }
    pc_ = task.entry;
    running_ = true;
    current_ = *t;
    return {StepKind::started};
  }
  if (pc_ >= mem_.size()) {
    fail(ErrorCode::addr, pc_);
    return {StepKind::halted};
  }
  const std::uint64_t before = instructions_;
  execute(mem_[pc_]);
  if (halted_) return {StepKind::halted};
  if (instructions_ == before) return {StepKind::waiting};
  if (eager) advance_engines();
  if (halted_) return {StepKind::halted};
  return {StepKind::executed, !running_};  // only exit stops a running task
}

RunEnd Pe::run(std::uint64_t max_steps) {
  for (std::uint64_t i = 0; i < max_steps; ++i) {
    switch (step().kind) {
      case StepKind::halted: return RunEnd::halted;
      case StepKind::idle: return RunEnd::idle;
      case StepKind::waiting: return RunEnd::waiting;
      default: break;
    }
  }
  return RunEnd::step_limit;
}

// ---- scalar instructions ------------------------------------------------------------------------

void Pe::execute(std::uint32_t word) {
  const std::uint16_t pc = pc_;
  if (!isa::is_legal(word, config_.num_colors)) {
    fail(ErrorCode::illegal, pc);
    return;
  }
  const isa::Fields f = isa::fields(word);
  if (f.vector) {
    execute_vector(f);
    return;
  }
  const std::uint32_t rs1 = regs_[f.rs1];
  const std::uint32_t rs2 = regs_[f.rs2];
  const std::uint32_t rs3 = regs_[f.rs3];
  const std::uint32_t uimm = f.uimm18;
  const auto simm = static_cast<std::uint32_t>(f.imm18);
  std::uint16_t next = static_cast<std::uint16_t>(pc + 1);
  auto mem_addr = [&](std::uint32_t a) -> bool {
    if (a < mem_.size()) return true;
    fail(ErrorCode::addr, pc);
    return false;
  };
  auto branch = [&](bool taken) {
    if (taken) next = static_cast<std::uint16_t>(pc + f.imm18);
  };
  switch (static_cast<Op>(f.op)) {
    case Op::alu: {
      std::uint32_t v = 0;
      const unsigned sh = rs2 & 31u;
      switch (static_cast<isa::AluFn>(f.sub)) {
        case isa::AluFn::add: v = rs1 + rs2; break;
        case isa::AluFn::sub: v = rs1 - rs2; break;
        case isa::AluFn::and_: v = rs1 & rs2; break;
        case isa::AluFn::or_: v = rs1 | rs2; break;
        case isa::AluFn::xor_: v = rs1 ^ rs2; break;
        case isa::AluFn::sll: v = rs1 << sh; break;
        case isa::AluFn::srl: v = rs1 >> sh; break;
        case isa::AluFn::sra: v = static_cast<std::uint32_t>(static_cast<std::int32_t>(rs1) >> sh);
          break;
        case isa::AluFn::slt:
          v = static_cast<std::int32_t>(rs1) < static_cast<std::int32_t>(rs2) ? 1 : 0;
          break;
        case isa::AluFn::sltu: v = rs1 < rs2 ? 1 : 0; break;
        case isa::AluFn::mul: v = rs1 * rs2; break;
      }
      write_reg(f.a, v);
      break;
    }
    case Op::fpu: {
      const float a = f32(rs1), b = f32(rs2);
      std::uint32_t v = 0;
      switch (static_cast<isa::FpuFn>(f.sub)) {
        case isa::FpuFn::add: v = u32(fp::add(a, b)); break;
        case isa::FpuFn::sub: v = u32(fp::sub(a, b)); break;
        case isa::FpuFn::mul: v = u32(fp::mul(a, b)); break;
        case isa::FpuFn::max: v = u32(fp::max(a, b)); break;
        case isa::FpuFn::min: v = u32(fp::min(a, b)); break;
        case isa::FpuFn::i2f: v = u32(fp::i2f(static_cast<std::int32_t>(rs1))); break;
        case isa::FpuFn::f2i: v = static_cast<std::uint32_t>(fp::f2i(a)); break;
        case isa::FpuFn::lt: v = fp::lt(a, b) ? 1 : 0; break;
        case isa::FpuFn::le: v = fp::le(a, b) ? 1 : 0; break;
        case isa::FpuFn::eq: v = fp::eq(a, b) ? 1 : 0; break;
      }
      write_reg(f.a, v);
      break;
    }
    case Op::addi: write_reg(f.a, rs1 + simm); break;
    case Op::andi: write_reg(f.a, rs1 & uimm); break;
    case Op::ori: write_reg(f.a, rs1 | uimm); break;
    case Op::xori: write_reg(f.a, rs1 ^ uimm); break;
    case Op::slti: write_reg(f.a, static_cast<std::int32_t>(rs1) < f.imm18 ? 1 : 0); break;
    case Op::slli: write_reg(f.a, rs1 << (uimm & 31u)); break;
    case Op::srli: write_reg(f.a, rs1 >> (uimm & 31u)); break;
    case Op::srai:
      write_reg(f.a, static_cast<std::uint32_t>(static_cast<std::int32_t>(rs1) >> (uimm & 31u)));
      break;
    case Op::lui: write_reg(f.a, f.imm16 << 16); break;
    case Op::lw:
      if (!mem_addr(rs1 + simm)) return;
      write_reg(f.a, mem_[rs1 + simm]);
      break;
    case Op::sw:
      if (!mem_addr(rs1 + simm)) return;
      mem_[rs1 + simm] = regs_[f.a];
      break;
    case Op::beq: branch(regs_[f.a] == rs1); break;
    case Op::bne: branch(regs_[f.a] != rs1); break;
    case Op::blt:
      branch(static_cast<std::int32_t>(regs_[f.a]) < static_cast<std::int32_t>(rs1));
      break;
    case Op::bge:
      branch(static_cast<std::int32_t>(regs_[f.a]) >= static_cast<std::int32_t>(rs1));
      break;
    case Op::bltu: branch(regs_[f.a] < rs1); break;
    case Op::bgeu: branch(regs_[f.a] >= rs1); break;
    case Op::jal:
      write_reg(f.a, std::uint32_t{pc} + 1);  // 32-bit, as wm_pe
      next = static_cast<std::uint16_t>(pc + f.off22);
      break;
    case Op::jalr: {
      const auto t = static_cast<std::uint16_t>(rs1 + simm);
      write_reg(f.a, std::uint32_t{pc} + 1);  // 32-bit, as wm_pe
      next = t;
      break;
    }
    case Op::tentry: tasks_[f.a].entry = static_cast<std::uint16_t>(rs1 + simm); break;
    case Op::dsdm: {
      Dsd d;
      d.kind = isa::DsdKind::mem;
      d.base = static_cast<std::uint16_t>(rs1);
      d.len0 = static_cast<std::uint16_t>(rs2);
      d.stride0 = static_cast<std::uint16_t>(rs3);
      dsds_[f.a] = d;
      break;
    }
    case Op::dsd2:
      if (dsds_[f.a].kind != isa::DsdKind::mem) {
        fail(ErrorCode::dsd, pc);
        return;
      }
      dsds_[f.a].len1 = static_cast<std::uint16_t>(rs2);
      dsds_[f.a].stride1 = static_cast<std::uint16_t>(rs3);
      break;
    case Op::dsdfi: case Op::dsdfo: {
      Dsd d;
      d.kind = static_cast<Op>(f.op) == Op::dsdfi ? isa::DsdKind::fin : isa::DsdKind::fout;
      d.color = f.color;
      d.len = static_cast<std::uint16_t>(rs2);
      if (d.kind == isa::DsdKind::fout) {
        d.dst_x = static_cast<std::uint8_t>(rs3 & 31u);
        d.dst_y = static_cast<std::uint8_t>((rs3 >> 5) & 31u);
      }
      dsds_[f.a] = d;
      break;
    }
    case Op::dsdadd:
      if (dsds_[f.a].kind != isa::DsdKind::mem) {
        fail(ErrorCode::dsd, pc);
        return;
      }
      dsds_[f.a].base = static_cast<std::uint16_t>(dsds_[f.a].base + rs1);
      break;
    case Op::send:
      output_.push_back({rs1, f.color, (f.sub & 1u) != 0, static_cast<std::uint8_t>(rs2 & 31u),
                         static_cast<std::uint8_t>((rs2 >> 5) & 31u)});
      break;
    case Op::recv: {
      if (task_owned(f.color)) {
        fail(ErrorCode::dsd, pc);
        return;
      }
      auto& q = input_[f.color];
      if (q.empty()) {
        advance_engines();  // the core waits: engines run meanwhile
        return;
      }
      write_reg(f.a, q.front().data);
      q.pop_front();
      drain(f.color);
      break;
    }
    case Op::sys:
      switch (static_cast<isa::SysFn>(f.sub)) {
        case isa::SysFn::nop: break;
        case isa::SysFn::exit:  // pc stays on the exit until the next task starts
          ++instructions_;
          running_ = false;
          return;
        case isa::SysFn::halt:  // stops the PE; err_pc is for errors only
          ++instructions_;
          halted_ = true;
          return;
        case isa::SysFn::tact: tasks_[f.a].active = true; break;
        case isa::SysFn::tblock: tasks_[f.a].blocked = true; break;
        case isa::SysFn::tunblock: tasks_[f.a].blocked = false; break;
        case isa::SysFn::tbind:
          tasks_[f.a].bound = true;
          tasks_[f.a].color = f.color;
          break;
        case isa::SysFn::tunbind: tasks_[f.a].bound = false; break;
        case isa::SysFn::ewait:
          if (engines_[f.a].busy) advance_engines();
          if (halted_ || engines_[f.a].busy) return;
          break;
        case isa::SysFn::estat: {
          std::uint32_t v = 0;
          for (unsigned e = 0; e < isa::kNumEngines; ++e) {
            v |= (engines_[e].busy ? 1u : 0u) << e;
            v |= (engines_[e].done ? 1u : 0u) << (e + 4);
          }
          write_reg(f.a, v);
          break;
        }
      }
      break;
    case Op::illegal: fail(ErrorCode::illegal, pc); return;
  }
  ++instructions_;
  pc_ = next;
}

// ---- vector instructions and engines ------------------------------------------------------------

void Pe::execute_vector(const isa::Fields& f) {
  const unsigned e = f.engine;
  if (engines_[e].busy) {
    advance_engines();
    if (halted_ || engines_[e].busy) return;  // still busy: the core waits
  }
  if (!launch(f)) return;
  ++instructions_;
  pc_ = static_cast<std::uint16_t>(pc_ + 1);
  if (!f.async) {
    advance_engines();
    if (!halted_ && engines_[e].busy) wait_engine_ = e;
  }
}

std::uint32_t Pe::Walk::address(std::uint32_t n) const {
  std::uint32_t i0 = n, i1 = 0;
  if (dsd.len0 != 0) {
    i0 = n % dsd.len0;
    i1 = n / dsd.len0;
  }
  return dsd.base + i1 * static_cast<std::uint32_t>(s16(dsd.stride1)) +
         i0 * static_cast<std::uint32_t>(s16(dsd.stride0));
}

bool Pe::launch(const isa::Fields& f) {
  const auto vop = static_cast<Vop>(f.vop);
  const auto cls = isa::vop_class(vop);
  const std::uint16_t pc = pc_;
  const bool has_b = cls == isa::VopClass::binary || cls == isa::VopClass::mac ||
                     cls == isa::VopClass::rows;
  bool ok = true;
  auto capture = [&](std::uint8_t raw, bool source) {
    Walk w;
    if (isa::operand_is_reg(raw)) {
      w.kind = Walk::Kind::reg;
      w.value = regs_[raw & 0xFu];
      return w;
    }
    w.dsd = dsds_[raw & 0x7u];
    switch (w.dsd.kind) {
      case isa::DsdKind::none: ok = false; break;
      case isa::DsdKind::mem: w.kind = Walk::Kind::mem; break;
      case isa::DsdKind::fin:
        w.kind = Walk::Kind::fin;
        if (!source || task_owned(w.dsd.color)) ok = false;
        break;
      case isa::DsdKind::fout:
        w.kind = Walk::Kind::fout;
        if (source) ok = false;
        break;
    }
    return w;
  };
  Engine& en = engines_[f.engine];
  const bool reg_dst = isa::operand_is_reg(f.vdst);
  // An element-wise fmac reads its destination, so a FOUT there is a source (DSD error).
  const bool dst_read = vop == Vop::fmac && !reg_dst;
  Engine next;
  next.dst = capture(f.vdst, dst_read);
  next.a = capture(f.va, true);
  if (has_b) next.b = capture(f.vb, true);
  if (ok && has_b && next.a.kind == Walk::Kind::fin && next.b.kind == Walk::Kind::fin &&
      next.a.dsd.color == next.b.dsd.color) {
    ok = false;
  }
  if (ok && vop == Vop::fdotv && next.a.kind != Walk::Kind::mem) ok = false;
  if (!ok) {
    fail(ErrorCode::dsd, pc);
    return false;
  }
  next.vop = vop;
  next.pc = pc;
  next.has_b = has_b;
  next.reg_dst = reg_dst;
  next.rd = f.vdst & 0xFu;
  next.notify = f.notify;
  next.task = f.task;
  if (cls == isa::VopClass::reduce || cls == isa::VopClass::rows || reg_dst) {
    next.count = f.va < 0x10 ? dsd_length(next.a.dsd) : dsd_length(next.b.dsd);
  } else {
    next.count = dsd_length(next.dst.dsd);
  }
  if (reg_dst) next.acc = regs_[next.rd];
  if (vop == Vop::fdotv) next.row_len = next.a.dsd.len0;
  next.busy = true;
  next.done = false;
  en = next;
  if (en.count == 0) complete(f.engine);
  return true;
}

void Pe::advance_engines() {
  for (unsigned e = 0; e < isa::kNumEngines; ++e) advance(e);
}

void Pe::advance(unsigned e) {
  Engine& en = engines_[e];
  while (en.busy && !halted_ && element(en)) {
    if (en.n == en.count) complete(e);
  }
}

bool Pe::element(Engine& en) {
  const std::uint32_t n = en.n;
  const bool rows = en.vop == Vop::fdotv;
  const std::uint32_t k = rows ? n % en.row_len : 0;
  const bool writes = !en.reg_dst && (!rows || k + 1 == en.row_len);
  const std::uint32_t dst_index = rows ? n / en.row_len : n;
  // Every address of the element is checked before any of its effects.
  std::uint32_t addr_a = 0, addr_b = 0, addr_d = 0;
  bool bad = false;
  if (en.a.kind == Walk::Kind::mem) bad |= (addr_a = en.a.address(n)) >= mem_.size();
  if (en.has_b && en.b.kind == Walk::Kind::mem) bad |= (addr_b = en.b.address(n)) >= mem_.size();
  if (writes && en.dst.kind == Walk::Kind::mem) {
    bad |= (addr_d = en.dst.address(dst_index)) >= mem_.size();
  }
  if (bad) {  // raised even before the element's fabric inputs arrive
    fail(ErrorCode::addr, en.pc);
    return false;
  }
  if (en.a.kind == Walk::Kind::fin && input_[en.a.dsd.color].empty()) return false;
  if (en.has_b && en.b.kind == Walk::Kind::fin && input_[en.b.dsd.color].empty()) return false;
  auto read = [&](const Walk& w, std::uint32_t addr) -> std::uint32_t {
    switch (w.kind) {
      case Walk::Kind::mem: return mem_[addr];
      case Walk::Kind::fin: {
        auto& q = input_[w.dsd.color];
        const std::uint32_t v = q.front().data;
        q.pop_front();
        drain(w.dsd.color);
        return v;
      }
      case Walk::Kind::reg: return w.value;
      case Walk::Kind::fout: break;
    }
    return 0;
  };
  const std::uint32_t a = read(en.a, addr_a);
  const std::uint32_t b = en.has_b ? read(en.b, addr_b) : 0;
  const float fa = f32(a), fb = f32(b);
  std::uint32_t r = 0;
  switch (en.vop) {
    case Vop::fmov: r = a; break;
    case Vop::fadd: r = u32(fp::add(fa, fb)); break;
    case Vop::fsub: r = u32(fp::sub(fa, fb)); break;
    case Vop::fmul: r = u32(fp::mul(fa, fb)); break;
    case Vop::fmac:
      if (en.reg_dst) {
        en.acc = u32(fp::add(f32(en.acc), fp::mul(fa, fb)));
      } else {
        r = u32(fp::add(f32(mem_[addr_d]), fp::mul(fa, fb)));
      }
      break;
    case Vop::fmax: r = u32(fp::max(fa, fb)); break;
    case Vop::fmin: r = u32(fp::min(fa, fb)); break;
    case Vop::frsum: en.acc = u32(fp::add(f32(en.acc), fa)); break;
    case Vop::frmax: en.acc = u32(fp::max(f32(en.acc), fa)); break;
    case Vop::fdotv:
      if (k == 0) en.acc = 0;
      en.acc = u32(fp::add(f32(en.acc), fp::mul(fa, fb)));
      r = en.acc;
      break;
    case Vop::iadd: r = a + b; break;
    case Vop::isub: r = a - b; break;
    case Vop::ishl: r = a << (b & 31u); break;
    case Vop::ishr: r = a >> (b & 31u); break;
    case Vop::vi2f: r = u32(fp::i2f(static_cast<std::int32_t>(a))); break;
    case Vop::vf2i: r = static_cast<std::uint32_t>(fp::f2i(fa)); break;
  }
  if (writes) {
    if (en.dst.kind == Walk::Kind::mem) {
      mem_[addr_d] = r;
    } else {
      output_.push_back({r, en.dst.dsd.color, false, en.dst.dsd.dst_x, en.dst.dsd.dst_y});
    }
  }
  en.n = n + 1;
  return true;
}

void Pe::complete(unsigned e) {
  Engine& en = engines_[e];
  if (en.reg_dst) write_reg(en.rd, en.acc);
  en.busy = false;
  en.done = true;
  if (en.notify) tasks_[en.task].active = true;
}

// ---- state --------------------------------------------------------------------------------------

ArchState Pe::state() const {
  ArchState s;
  s.regs = regs_;
  s.pc = pc_;
  s.dsds = dsds_;
  s.tasks = tasks_;
  for (unsigned e = 0; e < isa::kNumEngines; ++e) {
    s.busy |= static_cast<std::uint8_t>((engines_[e].busy ? 1u : 0u) << e);
    s.done |= static_cast<std::uint8_t>((engines_[e].done ? 1u : 0u) << e);
  }
  s.halted = halted_;
  s.code = code_;
  s.err_pc = err_pc_;
  s.mem = mem_;
  return s;
}

}  // namespace wm::sw::ref
