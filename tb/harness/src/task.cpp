// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/harness/task.hpp"

#include <array>
#include <new>

namespace wm::harness::detail {

namespace {
// Coroutine frames recycled by size class (64-byte steps), per thread. Helper coroutines
// called once per cycle then cost a free-list pop instead of a malloc.
constexpr std::size_t kGrain = 64;
constexpr std::size_t kClasses = 32;  // frames up to 2 KiB are pooled

struct FreeNode {
  FreeNode* next;
};

class FramePool {
 public:
  FramePool() = default;
  FramePool(const FramePool&) = delete;
  FramePool& operator=(const FramePool&) = delete;
  ~FramePool() {
    for (FreeNode* head : free_) {
      while (head != nullptr) {
        FreeNode* next = head->next;
        ::operator delete(head);
        head = next;
      }
    }
  }
  void* get(std::size_t cls) {
    if (FreeNode* n = free_[cls]) {
      free_[cls] = n->next;
      return n;
    }
    return ::operator new((cls + 1) * kGrain);
  }
  void put(std::size_t cls, void* p) {
    auto* n = static_cast<FreeNode*>(p);
    n->next = free_[cls];
    free_[cls] = n;
  }

 private:
  std::array<FreeNode*, kClasses> free_{};
};

thread_local FramePool t_pool;

std::size_t size_class(std::size_t size) { return (size - 1) / kGrain; }
}  // namespace

void* frame_alloc(std::size_t size) {
  std::size_t cls = size_class(size);
  if (cls >= kClasses) return ::operator new(size);
  return t_pool.get(cls);
}

void frame_free(void* p, std::size_t size) noexcept {
  std::size_t cls = size_class(size);
  if (cls >= kClasses) {
    ::operator delete(p);
    return;
  }
  t_pool.put(cls, p);
}

}  // namespace wm::harness::detail
