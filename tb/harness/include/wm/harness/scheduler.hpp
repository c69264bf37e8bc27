// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The event loop of one test: runs the Verilated model through cocotb's per-time-step phases
// (Verilator loop of cocotb 2.x) and resumes the coroutines whose triggers fired.
//
//   timed region: NextTimeStep waiters, then clocks toggle and Timers fire (deadline order)
//   active:       eval; value-change/edge waiters resume; repeat until no coroutine ran
//   ReadWrite:    ReadWrite waiters resume, then back to active (same time step)
//   ReadOnly:     ReadOnly waiters resume; settled values; writing the design here is an error
//   trace dump, then time advances to the next clock edge or timer
//
// One scheduler runs at a time per thread (Scheduler::active()); that is how `RisingEdge(sig)`
// finds it without a context argument, as cocotb's module-level scheduler does.

#include <coroutine>
#include <cstdint>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "wm/harness/errors.hpp"
#include "wm/harness/task.hpp"
#include "wm/harness/time.hpp"
#include "wm/harness/waiter.hpp"

namespace wm::harness {

enum class Phase { active, read_write, read_only };

/// A started task: owns its coroutine frame, knows who waits for it.
class TaskState {
 public:
  TaskState() = default;
  TaskState(const TaskState&) = delete;
  TaskState& operator=(const TaskState&) = delete;
  ~TaskState() {
    if (frame) frame.destroy();
  }

  std::coroutine_handle<> frame;
  PromiseBase* promise = nullptr;
  Waiter starter;         ///< in the ready list until the task first runs
  detail::List joiners;   ///< Join waiters
  std::size_t slot = 0;   ///< index in the scheduler's running list
  bool done = false;
  bool cancelled = false;
  bool cancel_pending = false;  ///< cancelled while running: destroyed when it next suspends
};

/// A Timer's waiter: kept in the scheduler's deadline-ordered list.
class TimerWaiter : public Waiter {
 public:
  SimTime deadline = 0;
};

/// The previous value of one watched signal and who waits for it to change.
struct SignalWatch {
  const void* addr = nullptr;
  unsigned bytes = 0;
  std::uint64_t prev = 0;
  detail::List rise;
  detail::List fall;
  detail::List change;
};

/// How the scheduler drives one model; filled in by the test runner (test.hpp), so the
/// scheduler itself does not depend on any Verilated type.
struct ModelHooks {
  void* model = nullptr;
  void (*eval)(void* model) = nullptr;
  void (*set_time)(void* model, SimTime ps) = nullptr;
  void (*dump)(void* model, SimTime ps) = nullptr;  ///< null unless waves are on
  bool (*finished)(void* model) = nullptr;          ///< $finish seen
};

/// Reads a Verilated CData/SData/IData/QData field of `bytes` bytes.
inline std::uint64_t read_signal(const void* addr, unsigned bytes) {
  switch (bytes) {
    case 1: return *static_cast<const std::uint8_t*>(addr);
    case 2: return *static_cast<const std::uint16_t*>(addr);
    case 4: return *static_cast<const std::uint32_t*>(addr);
    default: return *static_cast<const std::uint64_t*>(addr);
  }
}

inline void write_signal(void* addr, unsigned bytes, std::uint64_t v) {
  switch (bytes) {
    case 1: *static_cast<std::uint8_t*>(addr) = static_cast<std::uint8_t>(v); break;
    case 2: *static_cast<std::uint16_t*>(addr) = static_cast<std::uint16_t>(v); break;
    case 4: *static_cast<std::uint32_t*>(addr) = static_cast<std::uint32_t>(v); break;
    default: *static_cast<std::uint64_t*>(addr) = v; break;
  }
}

/// A Verilated port or signal field that triggers can watch: CData, SData, IData or QData.
template <class T>
concept SignalField = std::is_integral_v<T> && std::is_unsigned_v<T> &&
                      (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8);

template <class T>
class TaskHandle;

class Scheduler {
 public:
  /// `check_read_only`: re-evaluate after ReadOnly coroutines ran to catch writes (costs one
  /// evaluation per time step that has ReadOnly waiters).
  explicit Scheduler(ModelHooks hooks, bool check_read_only = true);
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;
  ~Scheduler();

  /// The scheduler running on this thread; throws SchedulerError outside a test.
  static Scheduler& active();
  static Scheduler* active_or_null();

  /// Runs `test` until it returns, fails, or passes `limit` (sim time). Returns the failure
  /// (null when the test passed). Every other task is destroyed before returning.
  std::exception_ptr run(Task<> test, SimTime limit);

  template <class T>
  TaskHandle<T> start_soon(Task<T> task);

  void cancel(TaskState& task);

  SimTime now() const { return now_; }
  Phase phase() const { return phase_; }
  TaskState* current() const { return current_; }

  // Used by triggers to arm their waiters.
  SignalWatch& watch(const void* addr, unsigned bytes);
  void add_timer(TimerWaiter& w);
  detail::List& read_write_waiters() { return read_write_; }
  detail::List& read_only_waiters() { return read_only_; }
  detail::List& next_step_waiters() { return next_step_; }
  void make_ready(Waiter& w) { ready_.push_back(w); }
  /// Fires every waiter of `list` (unlinking each first), in the order they were armed.
  void fire_all(detail::List& list);

  /// Native clocks: toggled by the scheduler itself, no coroutine per edge (cocotb's GPI clock).
  std::uint64_t add_clock(void* addr, unsigned bytes, SimTime high, SimTime low, bool start_high);
  void remove_clock(std::uint64_t id);

  /// Ends the test with `error` (first failure wins).
  void fail(std::exception_ptr error);

 private:
  struct ClockEntry {
    std::uint64_t id;
    void* addr;
    unsigned bytes;
    SimTime high;
    SimTime low;
    SimTime next;
    bool level;
  };

  std::shared_ptr<TaskState> spawn(std::coroutine_handle<> frame, PromiseBase& promise);
  std::size_t drain();
  void resume(TaskState& task, std::coroutine_handle<> h);
  void finish(TaskState& task);
  void kill(TaskState& task);
  void drop(TaskState& task);
  void eval();
  bool fire_watches();
  bool watches_changed() const;
  void settle();
  void read_only_phase();
  bool advance(SimTime limit);
  void teardown();

  ModelHooks hooks_;
  bool check_read_only_;
  SimTime now_ = 0;
  Phase phase_ = Phase::active;
  TaskState* current_ = nullptr;
  TaskState* test_root_ = nullptr;
  bool stop_ = false;
  std::exception_ptr result_;
  Scheduler* outer_ = nullptr;

  std::vector<std::shared_ptr<TaskState>> running_;
  std::vector<std::unique_ptr<SignalWatch>> watches_;
  std::vector<ClockEntry> clocks_;
  std::uint64_t next_clock_id_ = 1;
  detail::List ready_;
  detail::List timers_;
  detail::List read_write_;
  detail::List read_only_;
  detail::List next_step_;
};

/// Common shape of every trigger: a waiter inside the trigger object, armed on suspension.
/// Derived classes provide `void arm(Scheduler&)` and may override `ready_now()`.
template <class Derived, class W = Waiter>
class TriggerBase {
 public:
  bool await_ready() { return self().ready_now(); }
  void await_suspend(std::coroutine_handle<> h) {
    Scheduler& s = Scheduler::active();
    waiter_.handle = h;
    waiter_.owner = s.current();
    self().arm(s);
  }
  void await_resume() {}

  bool ready_now() { return false; }
  W& waiter() { return waiter_; }

 protected:
  W waiter_;

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
};

/// Waits for a started task to end; yields its result (or rethrows its error, or
/// TaskCancelled).
template <class T>
class Join : public TriggerBase<Join<T>> {
 public:
  explicit Join(std::shared_ptr<TaskState> s) : s_(std::move(s)) {}
  bool ready_now() { return s_->done; }
  void arm(Scheduler&) { s_->joiners.push_back(this->waiter_); }
  T await_resume() { return TaskHandle<T>(s_).result(); }

 private:
  std::shared_ptr<TaskState> s_;
};

/// What start_soon returns: await it (`co_await h`), cancel it, ask if it is done.
template <class T = void>
class TaskHandle {
 public:
  TaskHandle() = default;
  explicit TaskHandle(std::shared_ptr<TaskState> s) : s_(std::move(s)) {}

  bool done() const { return s_->done; }
  bool cancelled() const { return s_->cancelled; }
  /// Stops the task now: it never runs again and its awaiters get TaskCancelled.
  void cancel() const {
    if (!s_->done) Scheduler::active().cancel(*s_);
  }
  Join<T> join() const { return Join<T>(s_); }
  Join<T> operator co_await() const { return join(); }

  /// The value the task returned; rethrows its error; TaskCancelled if it was cancelled.
  T result() const {
    if (s_->cancelled) throw TaskCancelled("awaited a task that was cancelled");
    if (!s_->done) throw SchedulerError("result() of a task that has not finished");
    auto& p = static_cast<typename Task<T>::promise_type&>(*s_->promise);
    if (p.error) std::rethrow_exception(p.error);
    if constexpr (!std::is_void_v<T>) {
      if constexpr (std::is_copy_constructible_v<T>) {
        return *p.value;
      } else {
        return std::move(*p.value);
      }
    }
  }

 private:
  std::shared_ptr<TaskState> s_;
};

template <class T>
TaskHandle<T> Scheduler::start_soon(Task<T> task) {
  auto h = task.release();
  return TaskHandle<T>(spawn(h, h.promise()));
}

/// Starts `task` as an independent coroutine; it first runs when the current one yields.
template <class T>
TaskHandle<T> start_soon(Task<T> task) {
  return Scheduler::active().start_soon(std::move(task));
}

}  // namespace wm::harness
