// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// cocotb's synchronisation primitives: Event, Lock, Queue. Waking is deferred as in cocotb:
// a woken coroutine resumes after the current one yields, in the same time step.

#include <cstddef>
#include <deque>
#include <optional>
#include <stdexcept>
#include <utility>

#include "wm/harness/scheduler.hpp"

namespace wm::harness {

class Event {
 public:
  class Wait : public TriggerBase<Wait> {
   public:
    explicit Wait(Event& e) : e_(&e) {}
    bool ready_now() const { return e_->set_; }
    void arm(Scheduler&) { e_->waiters_.push_back(waiter_); }

   private:
    Event* e_;
  };

  /// Wakes every waiter; later waits return at once until clear().
  void set() {
    set_ = true;
    Scheduler::active().fire_all(waiters_);
  }
  void clear() { set_ = false; }
  bool is_set() const { return set_; }
  Wait wait() { return Wait(*this); }

 private:
  bool set_ = false;
  detail::List waiters_;
};

class Lock {
 public:
  class Acquire : public TriggerBase<Acquire> {
   public:
    explicit Acquire(Lock& l) : l_(&l) {}
    bool ready_now() {
      if (l_->locked_) return false;
      l_->locked_ = true;
      return true;
    }
    void arm(Scheduler&) { l_->waiters_.push_back(waiter_); }

   private:
    Lock* l_;
  };

  /// Awaitable; the lock is held when it resumes. Waiters get it in arrival order.
  Acquire acquire() { return Acquire(*this); }
  void release() {
    if (!locked_) throw SchedulerError("Lock::release() of a lock that is not held");
    // Hand the lock straight to the next waiter so nobody can slip in between.
    if (detail::Link* next = waiters_.pop_front()) {
      static_cast<Waiter*>(next)->fired(Scheduler::active());
    } else {
      locked_ = false;
    }
  }
  bool locked() const { return locked_; }

 private:
  bool locked_ = false;
  detail::List waiters_;
};

class QueueFull : public std::runtime_error {
  using runtime_error::runtime_error;
};
class QueueEmpty : public std::runtime_error {
  using runtime_error::runtime_error;
};

/// FIFO between coroutines; `maxsize` 0 means unbounded. Items are handed directly to a
/// waiting getter, so the order of gets is the order of waiting. get() is not meant for
/// First/Combine (the item would stay inside the trigger).
template <class T>
class Queue {
  class ItemWaiter : public Waiter {
   public:
    std::optional<T> item;
  };

 public:
  class Get : public TriggerBase<Get, ItemWaiter> {
   public:
    explicit Get(Queue& q) : q_(&q) {}
    bool ready_now() {
      if (q_->items_.empty()) return false;
      this->waiter_.item = q_->take_front();
      return true;
    }
    void arm(Scheduler&) { q_->getters_.push_back(this->waiter_); }
    T await_resume() { return std::move(*this->waiter_.item); }

   private:
    Queue* q_;
  };

  class Put : public TriggerBase<Put, ItemWaiter> {
   public:
    Put(Queue& q, T v) : q_(&q) { this->waiter_.item = std::move(v); }
    bool ready_now() {
      if (q_->full()) return false;
      q_->put_nowait(std::move(*this->waiter_.item));
      return true;
    }
    void arm(Scheduler&) { q_->putters_.push_back(this->waiter_); }

   private:
    Queue* q_;
  };

  explicit Queue(std::size_t maxsize = 0) : maxsize_(maxsize) {}

  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  bool full() const { return maxsize_ != 0 && items_.size() >= maxsize_; }

  /// Awaitable put: waits while the queue is full.
  Put put(T v) { return Put(*this, std::move(v)); }
  /// Awaitable get: waits while the queue is empty; yields the item.
  Get get() { return Get(*this); }

  void put_nowait(T v) {
    if (detail::Link* g = getters_.pop_front()) {
      auto& w = static_cast<ItemWaiter&>(*static_cast<Waiter*>(g));
      w.item = std::move(v);
      w.fired(Scheduler::active());
      return;
    }
    if (full()) throw QueueFull("Queue::put_nowait on a full queue");
    items_.push_back(std::move(v));
  }
  T get_nowait() {
    if (items_.empty()) throw QueueEmpty("Queue::get_nowait on an empty queue");
    return take_front();
  }

 private:
  T take_front() {
    T v = std::move(items_.front());
    items_.pop_front();
    // Room now: the longest-waiting putter's item goes in.
    if (detail::Link* p = putters_.pop_front()) {
      auto& w = static_cast<ItemWaiter&>(*static_cast<Waiter*>(p));
      items_.push_back(std::move(*w.item));
      w.fired(Scheduler::active());
    }
    return v;
  }

  std::size_t maxsize_;
  std::deque<T> items_;
  detail::List getters_;
  detail::List putters_;
};

}  // namespace wm::harness
