// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Task<T>: a lazily started coroutine. `co_await task` runs it as a child of the awaiting
// coroutine (symmetric transfer, no scheduler round trip); start_soon(task) runs it as an
// independent task (scheduler.hpp). Frames come from a per-thread pool, so helper coroutines
// called every cycle do not hit the heap in steady state.

#include <coroutine>
#include <cstddef>
#include <exception>
#include <optional>
#include <utility>

namespace wm::harness {

namespace detail {
void* frame_alloc(std::size_t size);
void frame_free(void* p, std::size_t size) noexcept;
}  // namespace detail

/// What every Task promise has, whatever its result type.
struct PromiseBase {
  std::coroutine_handle<> continuation;  ///< the awaiting coroutine; empty for a started task
  std::exception_ptr error;

  static void* operator new(std::size_t size) { return detail::frame_alloc(size); }
  static void operator delete(void* p, std::size_t size) noexcept { detail::frame_free(p, size); }

  std::suspend_always initial_suspend() noexcept { return {}; }
  auto final_suspend() noexcept {
    struct Final {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) noexcept {
        (void)h;
        return next ? next : std::noop_coroutine();
      }
      void await_resume() noexcept {}
      std::coroutine_handle<> next;
    };
    return Final{continuation};
  }
  void unhandled_exception() noexcept { error = std::current_exception(); }
};

template <class T>
struct Promise : PromiseBase {
  std::optional<T> value;
  template <class U>
  void return_value(U&& v) { value.emplace(std::forward<U>(v)); }
  T take() {
    if (error) std::rethrow_exception(error);
    return std::move(*value);
  }
};

template <>
struct Promise<void> : PromiseBase {
  void return_void() noexcept {}
  void take() {
    if (error) std::rethrow_exception(error);
  }
};

template <class T = void>
class [[nodiscard]] Task {
 public:
  struct promise_type : Promise<T> {
    Task get_return_object() {
      return Task(std::coroutine_handle<promise_type>::from_promise(*this));
    }
  };
  using Handle = std::coroutine_handle<promise_type>;

  Task() = default;
  explicit Task(Handle h) : h_(h) {}
  Task(Task&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Task& operator=(Task&& o) noexcept {
    if (this != &o) {
      reset();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { reset(); }

  // Awaiting a Task runs it to completion as part of the awaiting coroutine.
  bool await_ready() const noexcept { return !h_ || h_.done(); }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
    h_.promise().continuation = caller;
    return h_;
  }
  T await_resume() { return h_.promise().take(); }

  /// Gives up ownership of the frame (start_soon takes it over).
  Handle release() { return std::exchange(h_, {}); }

 private:
  void reset() {
    if (h_) h_.destroy();
    h_ = {};
  }
  Handle h_;
};

}  // namespace wm::harness
