// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Intrusive wait lists. A waiter lives inside the awaiting coroutine's frame (it is part of the
// trigger object being awaited), so waiting allocates nothing, and destroying a frame (task
// cancelled, test over) unlinks its waiters on the way out.

#include <cassert>
#include <coroutine>
#include <cstddef>

namespace wm::harness {

class Scheduler;
class TaskState;

namespace detail {

class List;

class Link {
 public:
  Link() = default;
  // Only an unlinked node may move (triggers are moved into First/Combine before arming).
  Link([[maybe_unused]] Link&& other) noexcept { assert(!other.linked()); }
  Link& operator=(Link&&) = delete;
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;
  ~Link() { unlink(); }

  bool linked() const { return next_ != nullptr; }
  void unlink() {
    if (next_ != nullptr) {
      prev_->next_ = next_;
      next_->prev_ = prev_;
      next_ = prev_ = nullptr;
    }
  }

 private:
  friend class List;
  Link* prev_ = nullptr;
  Link* next_ = nullptr;
};

/// Circular list with a sentinel; it must not move once nodes are linked.
class List {
 public:
  List() { head_.prev_ = head_.next_ = &head_; }
  List(const List&) = delete;
  List& operator=(const List&) = delete;
  ~List() {
    while (!empty()) head_.next_->unlink();
    head_.prev_ = head_.next_ = nullptr;
  }

  bool empty() const { return head_.next_ == &head_; }
  Link* front() const { return empty() ? nullptr : head_.next_; }

  void push_back(Link& n) { insert_before(head_, n); }

  /// Inserts `n` before `pos` (`pos` may be the end sentinel, see end()).
  void insert_before(Link& pos, Link& n) {
    assert(!n.linked());
    n.prev_ = pos.prev_;
    n.next_ = &pos;
    pos.prev_->next_ = &n;
    pos.prev_ = &n;
  }

  Link* pop_front() {
    Link* n = front();
    if (n != nullptr) n->unlink();
    return n;
  }

  /// Moves every node to the back of `into`, keeping their order.
  void move_all_to(List& into) {
    while (Link* n = pop_front()) into.push_back(*n);
  }

  // Walk, used to keep timers sorted by deadline.
  Link& end() { return head_; }
  Link* next_of(const Link& n) const { return n.next_ == &head_ ? nullptr : n.next_; }

 private:
  Link head_;
};

}  // namespace detail

class Waiter;

/// Something that waits on several triggers at once (First, Combine).
class Group {
 public:
  virtual void child_fired(Scheduler& sched, std::size_t index) = 0;

 protected:
  ~Group() = default;
};

/// One pending wait. When its trigger happens the scheduler unlinks it and calls fired().
class Waiter : public detail::Link {
 public:
  Waiter() = default;
  Waiter(Waiter&&) noexcept = default;
  virtual ~Waiter() = default;

  /// Default: resume the waiting coroutine (or tell the group it belongs to).
  virtual void fired(Scheduler& sched);

  std::coroutine_handle<> handle;
  TaskState* owner = nullptr;  ///< the started task whose coroutine chain this waiter resumes
  Group* group = nullptr;
  std::size_t index = 0;  ///< position inside `group`
};

}  // namespace wm::harness
