// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/harness/scheduler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace wm::harness {

namespace {
// The scheduler of the test running on this thread. Triggers are created without a context
// argument (cocotb style), so they find their scheduler here.
thread_local Scheduler* t_active = nullptr;

constexpr SimTime kNever = std::numeric_limits<SimTime>::max();
// A design plus coroutines that keep waking each other this many times in one time step is a
// zero-delay loop, not a slow design.
constexpr int kMaxDeltaCycles = 100000;
}  // namespace

void Waiter::fired(Scheduler& sched) {
  if (group != nullptr) {
    group->child_fired(sched, index);
  } else {
    sched.make_ready(*this);
  }
}

Scheduler::Scheduler(ModelHooks hooks, bool check_read_only)
    : hooks_(hooks), check_read_only_(check_read_only) {}

Scheduler::~Scheduler() { teardown(); }

Scheduler& Scheduler::active() {
  if (t_active == nullptr) {
    throw SchedulerError(
        "no test is running on this thread: triggers and start_soon work only inside a "
        "WM_TEST (or a coroutine it started)");
  }
  return *t_active;
}

Scheduler* Scheduler::active_or_null() { return t_active; }

std::shared_ptr<TaskState> Scheduler::spawn(std::coroutine_handle<> frame, PromiseBase& promise) {
  auto s = std::make_shared<TaskState>();
  s->frame = frame;
  s->promise = &promise;
  s->starter.handle = frame;
  s->starter.owner = s.get();
  s->slot = running_.size();
  running_.push_back(s);
  ready_.push_back(s->starter);
  return s;
}

void Scheduler::fire_all(detail::List& list) {
  if (list.empty()) return;  // the common case, every time step
  detail::List batch;
  list.move_all_to(batch);
  while (detail::Link* n = batch.pop_front()) static_cast<Waiter*>(n)->fired(*this);
}

std::size_t Scheduler::drain() {
  std::size_t n = 0;
  while (!stop_) {
    detail::Link* l = ready_.pop_front();
    if (l == nullptr) break;
    auto& w = *static_cast<Waiter*>(l);
    ++n;
    resume(*w.owner, w.handle);
  }
  return n;
}

void Scheduler::resume(TaskState& task, std::coroutine_handle<> h) {
  current_ = &task;
  h.resume();
  current_ = nullptr;
  if (task.frame.done()) {
    finish(task);
  } else if (task.cancel_pending) {
    kill(task);
  }
}

void Scheduler::finish(TaskState& task) {
  task.done = true;
  std::exception_ptr err = task.promise->error;
  if (&task == test_root_) {
    if (!stop_) result_ = err;
    stop_ = true;
  } else if (err && task.joiners.empty()) {
    // Nobody will see this error through an await, so it fails the test (cocotb does too).
    fail(err);
  }
  fire_all(task.joiners);
  drop(task);
}

void Scheduler::kill(TaskState& task) {
  task.starter.unlink();
  if (task.frame) {
    task.frame.destroy();
    task.frame = {};
  }
  task.done = true;
  task.cancelled = true;
  if (&task == test_root_) {
    fail(std::make_exception_ptr(TaskCancelled("the test's own task was cancelled")));
  }
  fire_all(task.joiners);
  drop(task);
}

void Scheduler::drop(TaskState& task) {
  std::size_t slot = task.slot;
  if (slot >= running_.size() || running_[slot].get() != &task) return;
  std::swap(running_[slot], running_.back());
  running_[slot]->slot = slot;
  running_.pop_back();  // may destroy `task`
}

void Scheduler::cancel(TaskState& task) {
  if (task.done) return;
  if (current_ == &task) {
    task.cancel_pending = true;
  } else {
    kill(task);
  }
}

void Scheduler::fail(std::exception_ptr error) {
  if (!stop_) result_ = std::move(error);
  stop_ = true;
}

SignalWatch& Scheduler::watch(const void* addr, unsigned bytes) {
  for (auto& w : watches_) {
    if (w->addr == addr) return *w;
  }
  auto w = std::make_unique<SignalWatch>();
  w->addr = addr;
  w->bytes = bytes;
  w->prev = read_signal(addr, bytes);
  watches_.push_back(std::move(w));
  return *watches_.back();
}

void Scheduler::add_timer(TimerWaiter& w) {
  // Sorted by deadline; equal deadlines keep arming order. Few timers are pending at once (the
  // clocks are native), so a linear walk beats a heap and needs no allocation.
  detail::Link* pos = timers_.front();
  while (pos != nullptr && static_cast<TimerWaiter*>(pos)->deadline <= w.deadline) {
    pos = timers_.next_of(*pos);
  }
  timers_.insert_before(pos != nullptr ? *pos : timers_.end(), w);
}

std::uint64_t Scheduler::add_clock(void* addr, unsigned bytes, SimTime high, SimTime low,
                                   bool start_high) {
  ClockEntry c{next_clock_id_++, addr, bytes, high, low, now_ + (start_high ? high : low),
               start_high};
  write_signal(addr, bytes, start_high ? 1 : 0);
  clocks_.push_back(c);
  return c.id;
}

void Scheduler::remove_clock(std::uint64_t id) {
  std::erase_if(clocks_, [id](const ClockEntry& c) { return c.id == id; });
}

void Scheduler::eval() {
  hooks_.eval(hooks_.model);
  if (hooks_.finished != nullptr && hooks_.finished(hooks_.model)) {
    fail(std::make_exception_ptr(TestFailure("the design called $finish")));
  }
}

bool Scheduler::fire_watches() {
  bool any = false;
  for (auto& wp : watches_) {
    SignalWatch& w = *wp;
    std::uint64_t v = read_signal(w.addr, w.bytes);
    if (v == w.prev) continue;
    bool rose = !(w.prev & 1U) && (v & 1U);
    bool fell = (w.prev & 1U) && !(v & 1U);
    w.prev = v;
    any = true;
    if (rose) fire_all(w.rise);
    if (fell) fire_all(w.fall);
    fire_all(w.change);
  }
  return any;
}

bool Scheduler::watches_changed() const {
  return std::any_of(watches_.begin(), watches_.end(), [](const auto& w) {
    return read_signal(w->addr, w->bytes) != w->prev;
  });
}

void Scheduler::settle() {
  for (int delta = 0; !stop_; ++delta) {
    if (delta == kMaxDeltaCycles) {
      fail(std::make_exception_ptr(SchedulerError(fmt::format(
          "the design and the coroutines did not settle after {} evaluations at {} ps: a "
          "zero-delay loop (a coroutine that writes on every ValueChange of what it writes?)",
          kMaxDeltaCycles, now_))));
      return;
    }
    eval();
    fire_watches();
    if (drain() > 0) continue;
    if (!read_write_.empty()) {
      phase_ = Phase::read_write;
      fire_all(read_write_);
      drain();
      phase_ = Phase::active;
      continue;
    }
    return;
  }
}

void Scheduler::read_only_phase() {
  if (read_only_.empty()) return;
  phase_ = Phase::read_only;
  fire_all(read_only_);
  if (drain() == 0 || stop_ || !check_read_only_) return;
  // cocotb forbids writes in ReadOnly. A plain field assignment cannot be intercepted, so look
  // for its effect: re-evaluate, and any watched signal that moves was caused by a write.
  hooks_.eval(hooks_.model);
  if (watches_changed()) {
    fail(std::make_exception_ptr(SchedulerError(fmt::format(
        "a coroutine wrote to the design in the ReadOnly phase at {} ps; wait for "
        "NextTimeStep, a Timer or an edge before driving signals",
        now_))));
  }
}

bool Scheduler::advance(SimTime limit) {
  SimTime next = kNever;
  if (detail::Link* t = timers_.front()) next = static_cast<TimerWaiter*>(t)->deadline;
  for (const ClockEntry& c : clocks_) next = std::min(next, c.next);
  if (next == kNever) {
    fail(std::make_exception_ptr(TestFailure(fmt::format(
        "the test did not finish, but nothing is left to run at {} ps: no clock or timer is "
        "pending, so every coroutine waits for something that can no longer happen",
        now_))));
    return false;
  }
  if (next > limit) {
    fail(std::make_exception_ptr(SimTimeoutError(fmt::format(
        "the test ran past its sim-time limit of {} ns without finishing (raise it with "
        "WM_TEST_WITH(name, .sim_time_limit_ns = ...) or WM_TEST_SIM_LIMIT_NS)",
        limit / 1000))));
    return false;
  }
  now_ = next;
  phase_ = Phase::active;
  hooks_.set_time(hooks_.model, now_);
  fire_all(next_step_);
  drain();
  for (ClockEntry& c : clocks_) {
    if (c.next != now_) continue;
    c.level = !c.level;
    write_signal(c.addr, c.bytes, c.level ? 1 : 0);
    c.next += c.level ? c.high : c.low;
  }
  while (detail::Link* t = timers_.front()) {
    auto& tw = *static_cast<TimerWaiter*>(t);
    if (tw.deadline != now_) break;
    tw.unlink();
    tw.fired(*this);
  }
  drain();
  return !stop_;
}

std::exception_ptr Scheduler::run(Task<> test, SimTime limit) {
  outer_ = t_active;
  t_active = this;
  auto h = test.release();
  auto root = spawn(h, h.promise());
  test_root_ = root.get();
  hooks_.set_time(hooks_.model, now_);
  try {
    // The design's initial evaluation comes first, so the test starts from settled values
    // and only its own actions cause edges.
    eval();
    drain();
    while (!stop_) {
      settle();
      if (stop_) break;
      read_only_phase();
      if (stop_) break;
      if (hooks_.dump != nullptr) hooks_.dump(hooks_.model, now_);
      if (!advance(limit)) break;
    }
  } catch (...) {
    // Only the scheduler's own machinery can throw here (coroutine errors are captured in
    // their promises); report it as the test's failure rather than losing the other tests.
    fail(std::current_exception());
  }
  if (hooks_.dump != nullptr) hooks_.dump(hooks_.model, now_);
  teardown();
  test_root_ = nullptr;
  t_active = outer_;
  return result_;
}

void Scheduler::teardown() {
  // Destroy frames while the lists their waiters are linked into still exist.
  bool was_active = t_active == this;
  if (!was_active) {
    outer_ = t_active;
    t_active = this;
  }
  for (std::size_t i = 0; i < running_.size(); ++i) {
    TaskState& t = *running_[i];
    t.starter.unlink();
    if (t.frame) {
      auto f = std::exchange(t.frame, {});
      f.destroy();
    }
    t.done = true;
    t.cancelled = true;
  }
  running_.clear();
  clocks_.clear();
  if (!was_active) t_active = outer_;
}

}  // namespace wm::harness
