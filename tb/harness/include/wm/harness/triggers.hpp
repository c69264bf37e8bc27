// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// cocotb's triggers. Each is a small object awaited once: `co_await RisingEdge(dut.clk_i)`.
// Signals are Verilated fields (CData/SData/IData/QData) watched by address; an edge is a
// change of bit 0 seen after an evaluation of the model.

#include <fmt/format.h>

#include <cstddef>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "wm/harness/scheduler.hpp"

namespace wm::harness {

namespace detail {
template <class D>
class SignalTrigger : public TriggerBase<D> {
 public:
  template <SignalField T>
  explicit SignalTrigger(const T& sig) : addr_(&sig), bytes_(sizeof(T)) {}

 protected:
  SignalWatch& watch(Scheduler& s) const { return s.watch(addr_, bytes_); }
  const void* addr_;
  unsigned bytes_;
};
}  // namespace detail

/// Bit 0 of `sig` goes 0 -> 1.
class RisingEdge : public detail::SignalTrigger<RisingEdge> {
 public:
  using SignalTrigger::SignalTrigger;
  void arm(Scheduler& s) { watch(s).rise.push_back(waiter_); }
};

/// Bit 0 of `sig` goes 1 -> 0.
class FallingEdge : public detail::SignalTrigger<FallingEdge> {
 public:
  using SignalTrigger::SignalTrigger;
  void arm(Scheduler& s) { watch(s).fall.push_back(waiter_); }
};

/// Any bit of `sig` changes (cocotb's ValueChange, formerly Edge).
class ValueChange : public detail::SignalTrigger<ValueChange> {
 public:
  using SignalTrigger::SignalTrigger;
  void arm(Scheduler& s) { watch(s).change.push_back(waiter_); }
};

namespace detail {
// Counts edges inside the scheduler: the awaiting coroutine resumes once, after the last one.
class CountingWaiter : public Waiter {
 public:
  void fired(Scheduler& s) override {
    if (--remaining > 0) {
      list->push_back(*this);
    } else {
      Waiter::fired(s);
    }
  }
  std::uint64_t remaining = 0;
  List* list = nullptr;
};
}  // namespace detail

/// `n` rising (or, with rising = false, falling) edges of `sig`.
class ClockCycles : public TriggerBase<ClockCycles, detail::CountingWaiter> {
 public:
  template <SignalField T>
  ClockCycles(const T& sig, std::uint64_t n, bool rising = true)
      : addr_(&sig), bytes_(sizeof(T)), n_(n), rising_(rising) {}
  bool ready_now() const { return n_ == 0; }
  void arm(Scheduler& s) {
    SignalWatch& w = s.watch(addr_, bytes_);
    waiter_.remaining = n_;
    waiter_.list = rising_ ? &w.rise : &w.fall;
    waiter_.list->push_back(waiter_);
  }

 private:
  const void* addr_;
  unsigned bytes_;
  std::uint64_t n_;
  bool rising_;
};

/// `t` `unit` of simulated time from now. Must be a positive whole number of picoseconds.
class Timer : public TriggerBase<Timer, TimerWaiter> {
 public:
  explicit Timer(double t, Unit unit = Unit::step) : ps_(to_ps(t, unit)) {
    if (ps_ == 0) throw std::invalid_argument("Timer of zero time: use ReadWrite or NextTimeStep");
  }
  void arm(Scheduler& s) {
    waiter_.deadline = s.now() + ps_;
    s.add_timer(waiter_);
  }

 private:
  SimTime ps_;
};

/// The end of the current time step, when every signal has settled. Writing is an error here.
class ReadOnly : public TriggerBase<ReadOnly> {
 public:
  bool ready_now() const {
    if (Scheduler::active().phase() == Phase::read_only) {
      throw SchedulerError("ReadOnly awaited while already in the ReadOnly phase");
    }
    return false;
  }
  void arm(Scheduler& s) { s.read_only_waiters().push_back(waiter_); }
};

/// Later in the current time step, after the design has evaluated: writes here still land in
/// this time step.
class ReadWrite : public TriggerBase<ReadWrite> {
 public:
  bool ready_now() const {
    if (Scheduler::active().phase() == Phase::read_only) {
      throw SchedulerError("ReadWrite awaited in the ReadOnly phase: time step is already over");
    }
    return false;
  }
  void arm(Scheduler& s) { s.read_write_waiters().push_back(waiter_); }
};

/// The start of the next time step that has any activity.
class NextTimeStep : public TriggerBase<NextTimeStep> {
 public:
  void arm(Scheduler& s) { s.next_step_waiters().push_back(waiter_); }
};

/// Never fires; the awaiting task waits until it is cancelled.
class Forever : public TriggerBase<Forever> {
 public:
  void arm(Scheduler&) {}
};

namespace detail {
template <class A>
decltype(auto) as_trigger(A&& a) {
  return std::forward<A>(a);
}
template <class T>
Join<T> as_trigger(const TaskHandle<T>& h) {
  return h.join();
}
template <class T>
Join<T> as_trigger(TaskHandle<T>& h) {
  return h.join();
}
template <class T>
Join<T> as_trigger(TaskHandle<T>&& h) {
  return h.join();
}
template <class A>
using trigger_t = std::remove_cvref_t<decltype(as_trigger(std::declval<A>()))>;
}  // namespace detail

/// Waits for the first of several triggers; `co_await` yields its index (0-based).
template <class... Ts>
class FirstOf final : public Group {
 public:
  explicit FirstOf(Ts... ts) : triggers_(std::move(ts)...) {}

  bool await_ready() {
    return ready_any(std::index_sequence_for<Ts...>{});
  }
  void await_suspend(std::coroutine_handle<> h) {
    Scheduler& s = Scheduler::active();
    self_.handle = h;
    self_.owner = s.current();
    arm_all(s, std::index_sequence_for<Ts...>{});
  }
  std::size_t await_resume() const { return fired_; }

  void child_fired(Scheduler& s, std::size_t index) override {
    fired_ = index;
    std::apply([](auto&... t) { (t.waiter().unlink(), ...); }, triggers_);
    s.make_ready(self_);
  }

 private:
  template <std::size_t... I>
  bool ready_any(std::index_sequence<I...>) {
    return ((std::get<I>(triggers_).ready_now() ? (fired_ = I, true) : false) || ...);
  }
  template <std::size_t... I>
  void arm_all(Scheduler& s, std::index_sequence<I...>) {
    auto arm_one = [&](auto& t, std::size_t i) {
      t.waiter().group = this;
      t.waiter().index = i;
      t.waiter().owner = self_.owner;
      t.arm(s);
    };
    (arm_one(std::get<I>(triggers_), I), ...);
  }

  std::tuple<Ts...> triggers_;
  Waiter self_;
  std::size_t fired_ = 0;
};

/// Waits for every one of several triggers.
template <class... Ts>
class CombineOf final : public Group {
 public:
  explicit CombineOf(Ts... ts) : triggers_(std::move(ts)...) {}

  bool await_ready() {
    check_all(std::index_sequence_for<Ts...>{});
    remaining_ = 0;
    for (bool d : done_) remaining_ += d ? 0 : 1;
    return remaining_ == 0;
  }
  void await_suspend(std::coroutine_handle<> h) {
    Scheduler& s = Scheduler::active();
    self_.handle = h;
    self_.owner = s.current();
    arm_all(s, std::index_sequence_for<Ts...>{});
  }
  void await_resume() const {}

  void child_fired(Scheduler& s, std::size_t) override {
    if (--remaining_ == 0) s.make_ready(self_);
  }

 private:
  template <std::size_t... I>
  void check_all(std::index_sequence<I...>) {
    ((done_[I] = std::get<I>(triggers_).ready_now()), ...);
  }
  template <std::size_t... I>
  void arm_all(Scheduler& s, std::index_sequence<I...>) {
    auto arm_one = [&](auto& t, std::size_t i) {
      if (done_[i]) return;
      t.waiter().group = this;
      t.waiter().index = i;
      t.waiter().owner = self_.owner;
      t.arm(s);
    };
    (arm_one(std::get<I>(triggers_), I), ...);
  }

  std::tuple<Ts...> triggers_;
  bool done_[sizeof...(Ts)] = {};
  std::size_t remaining_ = 0;
  Waiter self_;
};

/// cocotb's First: `std::size_t i = co_await First(RisingEdge(a), Timer(5, Unit::ns));`
/// Arguments are triggers or task handles (which fire when the task ends).
template <class... A>
auto First(A&&... a) {
  return FirstOf<detail::trigger_t<A>...>(detail::as_trigger(std::forward<A>(a))...);
}

/// cocotb's Combine: resumes when every argument has fired.
template <class... A>
auto Combine(A&&... a) {
  return CombineOf<detail::trigger_t<A>...>(detail::as_trigger(std::forward<A>(a))...);
}

/// Awaits `trigger`, throwing SimTimeoutError if `t` `unit` pass first.
template <class Trig>
Task<> with_timeout(Trig trigger, double t, Unit unit) {
  std::size_t i = co_await First(std::move(trigger), Timer(t, unit));
  if (i == 1) throw SimTimeoutError(fmt::format("timed out after {} {}", t, unit_name(unit)));
}

/// Awaits a started task; on timeout cancels it and throws SimTimeoutError.
template <class T>
Task<T> with_timeout(TaskHandle<T> task, double t, Unit unit) {
  std::size_t i = co_await First(task, Timer(t, unit));
  if (i == 1) {
    task.cancel();
    throw SimTimeoutError(fmt::format("task timed out after {} {}", t, unit_name(unit)));
  }
  co_return task.result();
}

/// Starts `task` and awaits it; on timeout cancels it and throws SimTimeoutError.
template <class T>
Task<T> with_timeout(Task<T> task, double t, Unit unit) {
  return with_timeout(start_soon(std::move(task)), t, unit);
}

}  // namespace wm::harness
