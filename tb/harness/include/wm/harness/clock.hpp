// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// cocotb's Clock: `start_soon(Clock(dut.clk_i, 10, Unit::ns).start());`
// The scheduler toggles the signal itself (like cocotb's GPI clock), so a running clock costs
// no coroutine resumption per edge. Cancelling the task returned by start() stops the clock.

#include "wm/harness/scheduler.hpp"
#include "wm/harness/task.hpp"
#include "wm/harness/time.hpp"

namespace wm::harness {

class Clock {
 public:
  /// `period` in `unit`; the high half is period/2 (rounded down to a picosecond).
  template <SignalField T>
  Clock(T& sig, double period, Unit unit = Unit::step)
      : addr_(&sig), bytes_(sizeof(T)), period_(to_ps(period, unit)) {
    check_period();
  }

  /// A task that drives the clock until cancelled (or the test ends). With start_high the
  /// signal goes to 1 at once, as cocotb's default.
  Task<> start(bool start_high = true) const;

  SimTime period_ps() const { return period_; }

 private:
  void check_period() const;

  void* addr_;
  unsigned bytes_;
  SimTime period_;
};

}  // namespace wm::harness
