// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The instruction-accurate reference model of one PE, exactly docs/isa.md (frozen v1).
//
// Functional, not timed: an instruction is one step(); a vector operation processes its
// elements inside the model's engine pass (each element's effects applied as it is processed,
// the register result, done flag and notify at completion). Programs that obey the race rules
// of section 5 give the same results whatever the timing; EngineTiming picks one of two legal
// timings so tests can show that. The deterministic orders are recorded in
// docs/architecture.md ("PE software").
//
// Lock-step use: call step() until it reports `task_ended` (or halted) and compare state()
// with the RTL's snapshot; ArchState::diff names the first difference.

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>

#include "wm/sw/isa/isa.hpp"
#include "wm/sw/ref/state.hpp"

namespace wm::sw::ref {

/// One wavelet as the PE sees it at its ramp (wm_pkg::wavelet_t).
struct Wavelet {
  std::uint32_t data = 0;
  std::uint8_t color = 0;
  bool ctrl = false;
  std::uint8_t dst_x = 0;
  std::uint8_t dst_y = 0;
  friend bool operator==(const Wavelet&, const Wavelet&) = default;
};

enum class EngineTiming : std::uint8_t {
  /// Engines run as far as their inputs allow before and after every instruction: an async
  /// operation completes as early as possible.
  eager,
  /// Engines run only when the core waits for them (sync op, ewait, launch on a busy engine,
  /// recv) or has nothing to run: an async operation completes as late as possible.
  lazy,
};

struct Config {
  unsigned mem_words = isa::kDefaultMemWords;
  unsigned num_colors = isa::kDefaultNumColors;
  EngineTiming timing = EngineTiming::eager;
};

enum class StepKind : std::uint8_t {
  executed,  ///< one instruction ran (or a waiting instruction finished)
  started,   ///< the scheduler started a task (pc = its entry, r15 = its wavelet)
  waiting,   ///< the core waits for fabric input (recv, a FIN operand): nothing changed
  idle,      ///< no task runs or is runnable, every engine is idle
  halted,    ///< halt or an error stopped the PE
};

struct Step {
  StepKind kind = StepKind::idle;
  bool task_ended = false;  ///< this step executed `exit`
};

enum class RunEnd : std::uint8_t { idle, halted, waiting, step_limit };

class Pe {
 public:
  explicit Pe(const Config& config = {});

  // ---- memory and images --------------------------------------------------------------------
  /// Writes words at their addresses (an assembler image); throws std::out_of_range past
  /// MemWords.
  void load(const std::map<std::uint32_t, std::uint32_t>& words);
  void write_mem(std::uint32_t addr, std::uint32_t word);
  [[nodiscard]] std::uint32_t read_mem(std::uint32_t addr) const;

  // ---- fabric -------------------------------------------------------------------------------
  /// A wavelet arrives on its color's queue, which keeps arrival order for data and control
  /// alike (as the RTL's per-color FIFO does). Whatever reaches the head is consumed at once
  /// if it can be, even while halted: a control wavelet is executed, a data wavelet of a LOAD
  /// in progress is written to SRAM; a data wavelet for a task, recv or DSD waits at the head
  /// (and holds up what follows it) until it is taken.
  void push_input(const Wavelet& w);
  /// The oldest wavelet the PE has sent, if any.
  [[nodiscard]] std::optional<Wavelet> pop_output();
  [[nodiscard]] std::size_t output_size() const { return output_.size(); }
  [[nodiscard]] std::size_t input_size(unsigned color) const { return input_.at(color).size(); }

  // ---- execution ----------------------------------------------------------------------------
  Step step();
  /// Steps until idle, halted, waiting for input, or `max_steps`.
  RunEnd run(std::uint64_t max_steps = 10'000'000);

  // ---- state --------------------------------------------------------------------------------
  [[nodiscard]] ArchState state() const;
  [[nodiscard]] std::uint32_t reg(unsigned r) const { return regs_.at(r); }
  void set_reg(unsigned r, std::uint32_t v);
  [[nodiscard]] std::uint16_t pc() const { return pc_; }
  [[nodiscard]] const Dsd& dsd(unsigned d) const { return dsds_.at(d); }
  [[nodiscard]] const Task& task(unsigned t) const { return tasks_.at(t); }
  [[nodiscard]] bool engine_busy(unsigned e) const { return engines_.at(e).busy; }
  [[nodiscard]] bool engine_done(unsigned e) const { return engines_.at(e).done; }
  [[nodiscard]] bool halted() const { return halted_; }
  [[nodiscard]] isa::ErrorCode error() const { return code_; }
  [[nodiscard]] std::uint16_t err_pc() const { return err_pc_; }
  [[nodiscard]] bool running() const { return running_; }
  [[nodiscard]] std::optional<unsigned> current_task() const;
  [[nodiscard]] const Config& config() const { return config_; }
  /// Instructions executed since construction (for tests and throughput reports).
  [[nodiscard]] std::uint64_t instructions() const { return instructions_; }

 private:
  /// One vector operand captured at launch.
  struct Walk {
    enum class Kind : std::uint8_t { mem, fin, fout, reg } kind = Kind::reg;
    Dsd dsd;
    std::uint32_t value = 0;  ///< a broadcast register
    [[nodiscard]] std::uint32_t address(std::uint32_t n) const;
  };
  struct Engine {
    bool busy = false;
    bool done = false;
    isa::Vop vop = isa::Vop::fmov;
    std::uint16_t pc = 0;  ///< of the launching instruction, for element errors
    Walk dst, a, b;
    bool has_b = false;
    bool reg_dst = false;
    unsigned rd = 0;
    std::uint32_t acc = 0;
    std::uint32_t count = 0;
    std::uint32_t n = 0;
    std::uint32_t row_len = 0;  ///< fdotv: elements per row
    bool notify = false;
    unsigned task = 0;
  };
  struct Load {
    unsigned color = 0;
    std::uint32_t remaining = 0;
    std::uint32_t addr = 0;
  };

  void fail(isa::ErrorCode code, std::uint16_t pc);
  void execute(std::uint32_t word);
  void execute_vector(const isa::Fields& f);
  bool launch(const isa::Fields& f);
  void advance_engines();
  void advance(unsigned e);
  bool element(Engine& en);
  void complete(unsigned e);
  void control(const Wavelet& w);
  void drain(unsigned color);
  [[nodiscard]] std::optional<unsigned> runnable_task() const;
  [[nodiscard]] bool task_owned(unsigned color) const;
  [[nodiscard]] bool engines_idle() const;
  void write_reg(unsigned r, std::uint32_t v) {
    if (r != 0) regs_[r] = v;
  }

  Config config_;
  std::vector<std::uint32_t> mem_;
  std::array<std::uint32_t, isa::kNumRegs> regs_{};
  std::uint16_t pc_ = 0;
  std::array<Dsd, isa::kNumDsds> dsds_{};
  std::array<Task, isa::kNumTasks> tasks_{};
  std::array<Engine, isa::kNumEngines> engines_{};
  bool halted_ = false;
  isa::ErrorCode code_ = isa::ErrorCode::none;
  std::uint16_t err_pc_ = 0;
  bool running_ = false;
  unsigned current_ = 0;
  std::optional<unsigned> wait_engine_;  ///< the core waits for this engine (sync op)
  std::vector<std::deque<Wavelet>> input_;
  std::deque<Wavelet> output_;
  std::optional<Load> load_;
  std::uint64_t instructions_ = 0;
};

}  // namespace wm::sw::ref
