// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Lock-step of the RTL PE with the instruction-accurate reference model (sw/ref), one task at
// a time: at every task end on the RTL (PeBench reports it), the model steps to its own next
// task end; the same task must have ended, after the same instructions (the pcs retired, in
// order), leaving the same architectural state (registers, pc, DSDs, task table, engine
// flags, error latch and the whole SRAM). Tasks are the unit because the model is not
// timed: within a task the RTL's engines overlap the core, between tasks a race-free program's
// state is a function of the program alone (docs/architecture.md, "PE lock-step").

#include <algorithm>
#include <cstdint>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>
#include <wm/sw/ref/pe.hpp>

#include "pe/pe_bench.hpp"
#include "pe/pe_state.hpp"

namespace wm::tb::pe {

/// The first difference: which task end, which task, what differs (RTL value, model value).
class LockStepError : public std::runtime_error {
 public:
  LockStepError(const std::string& context, unsigned task_end, std::optional<unsigned> task,
                std::uint64_t cycle, std::string what)
      : std::runtime_error(fmt::format("{}: task end #{} (task {}, RTL cycle {}): {}", context,
                                       task_end, task ? fmt::format("{}", *task) : "none",
                                       cycle, what)),
        task_end_(task_end), task_(task), what_(std::move(what)) {}
  [[nodiscard]] unsigned task_end() const { return task_end_; }
  [[nodiscard]] std::optional<unsigned> task() const { return task_; }
  /// The difference alone, e.g. "r13: 0x3e9 (RTL) != 0x1092 (model)".
  [[nodiscard]] const std::string& difference() const { return what_; }

 private:
  unsigned task_end_;
  std::optional<unsigned> task_;
  std::string what_;
};

/// A model starting from the RTL's SRAM as it is now (whatever earlier runs left), with
/// `image` written over it and the wavelets `pe` has queued for the ramp: give the RTL the
/// same image and the whole SRAM is comparable word for word.
inline std::unique_ptr<sw::ref::Pe> model_like(
    const PeBench& pe, const std::map<std::uint32_t, std::uint32_t>& image) {
  auto model = std::make_unique<sw::ref::Pe>();
  std::vector<std::uint32_t> mem;
  read_sram(pe.dut(), mem);
  for (std::uint32_t a = 0; a < mem.size(); ++a) model->write_mem(a, mem[a]);
  model->load(image);
  for (const auto& w : pe.queued()) {
    model->push_input({w.data, static_cast<std::uint8_t>(w.color), w.ctrl,
                       static_cast<std::uint8_t>(w.dst_x), static_cast<std::uint8_t>(w.dst_y)});
  }
  return model;
}

class LockStep final : public TaskObserver {
 public:
  /// `model` holds the same program and inputs as the RTL; `context` prefixes every message
  /// (the program's seed, say).
  LockStep(const Vwm_nonsynth_pe_tb_top& dut, sw::ref::Pe& model, std::string context)
      : dut_(dut), model_(model), context_(std::move(context)) {}

  void retired(std::uint16_t pc) override { rtl_pcs_.push_back(pc); }

  void task_ended(unsigned task, std::uint64_t cycle) override {
    ++ends_;
    model_pcs_.clear();
    const auto model_task = advance();
    if (!model_task) {
      throw LockStepError(context_, ends_, task, cycle,
                          fmt::format("the RTL ended task {}, the model ran no task ({})", task,
                                      why_));
    }
    if (*model_task != task) {
      throw LockStepError(context_, ends_, task, cycle,
                          fmt::format("task: {} (RTL) != {} (model)", task, *model_task));
    }
    if (auto d = trace_diff()) throw LockStepError(context_, ends_, task, cycle, *d);
    rtl_pcs_.clear();
    auto rtl = arch_state(dut_);
    const auto model = model_.state();
    // After an error isa.md defines err_pc, not pc: a fetch past the end leaves the RTL's pc
    // on the jump and the model's on the target. Both record the fault the same way.
    if (rtl.code != sw::isa::ErrorCode::none && rtl.code == model.code) rtl.pc = model.pc;
    if (auto d = rtl.diff(model)) throw LockStepError(context_, ends_, task, cycle, relabel(*d));
  }

  /// After the RTL's run: the model must have no further task to run either.
  void finish(std::uint64_t cycle) {
    if (const auto t = advance()) {
      throw LockStepError(context_, ends_ + 1, t, cycle,
                          fmt::format("the model ran task {} after the RTL's last", *t));
    }
  }

  /// Task ends compared so far.
  [[nodiscard]] unsigned task_ends() const { return ends_; }

 private:
  // Steps the model to the end of its next task, recording the pcs it retires as the RTL
  // counts them (exit and halt excluded); the task, or nothing if it started none.
  std::optional<unsigned> advance() {
    std::optional<unsigned> task;
    for (std::uint64_t i = 0; i < kMaxSteps; ++i) {
      const std::uint16_t pc = model_.pc();
      const std::uint64_t before = model_.instructions();
      const auto s = model_.step();
      if (model_.instructions() != before && !s.task_ended &&
          s.kind != sw::ref::StepKind::halted) {
        model_pcs_.push_back(pc);
      }
      switch (s.kind) {
        case sw::ref::StepKind::started: task = model_.current_task(); break;
        case sw::ref::StepKind::executed:
          if (s.task_ended) return task;
          break;
        case sw::ref::StepKind::halted:
          why_ = "halted";
          return task;
        case sw::ref::StepKind::idle: why_ = "idle"; return std::nullopt;
        case sw::ref::StepKind::waiting: why_ = "waiting for fabric input"; return std::nullopt;
      }
    }
    why_ = fmt::format("no task end within {} steps", kMaxSteps);
    return std::nullopt;
  }

  // The first retired instruction where the RTL and the model part, if any.
  [[nodiscard]] std::optional<std::string> trace_diff() const {
    const std::size_t n = std::min(rtl_pcs_.size(), model_pcs_.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (rtl_pcs_[i] != model_pcs_[i]) {
        return fmt::format("instruction {} of the task: pc 0x{:04x} (RTL) != 0x{:04x} (model)",
                           i, rtl_pcs_[i], model_pcs_[i]);
      }
    }
    if (rtl_pcs_.size() == model_pcs_.size()) return std::nullopt;
    return fmt::format("instructions retired: {} (RTL) != {} (model), the same first {}",
                       rtl_pcs_.size(), model_pcs_.size(), n);
  }

  // ArchState::diff says "this" and "other"; here they are the RTL and the model.
  static std::string relabel(std::string d) {
    for (const auto& [from, to] : {std::pair<std::string, std::string>{"(this)", "(RTL)"},
                                   {"(other)", "(model)"}}) {
      if (const auto at = d.find(from); at != std::string::npos) d.replace(at, from.size(), to);
    }
    return d;
  }

  static constexpr std::uint64_t kMaxSteps = 10'000'000;
  const Vwm_nonsynth_pe_tb_top& dut_;
  sw::ref::Pe& model_;
  std::string context_;
  unsigned ends_ = 0;
  std::string why_;
  // This task's retired pcs; cleared, never shrunk, so a run allocates only while they grow.
  std::vector<std::uint16_t> rtl_pcs_, model_pcs_;
};

}  // namespace wm::tb::pe
