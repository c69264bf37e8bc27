// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// A reusable barrier for a few threads that meet every simulated cycle.
#pragma once

#include <atomic>
#include <thread>

namespace wm::sim {

/// Spins briefly, then yields: a cycle of an 8 x 8 mesh is tens of microseconds, too short to
/// sleep on a futex each time, but the machine may have fewer free cores than threads, and a
/// thread spinning on a core its partner needs would stall both.
class SpinBarrier {
 public:
  explicit SpinBarrier(unsigned parties) : parties_(parties) {}

  void arrive_and_wait() {
    const unsigned gen = generation_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == parties_) {
      arrived_.store(0, std::memory_order_relaxed);
      generation_.store(gen + 1, std::memory_order_release);
      return;
    }
    for (unsigned spins = 0; generation_.load(std::memory_order_acquire) == gen; ++spins) {
      if (spins >= kSpins) std::this_thread::yield();
    }
  }

 private:
  static constexpr unsigned kSpins = 2000;
  const unsigned parties_;
  std::atomic<unsigned> arrived_{0};
  std::atomic<unsigned> generation_{0};
};

}  // namespace wm::sim
