// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/harness/clock.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "wm/harness/triggers.hpp"

namespace wm::harness {

namespace {
// Keeps the clock registered exactly as long as the task's frame exists.
class ClockRegistration {
 public:
  ClockRegistration(Scheduler& s, std::uint64_t id) : s_(s), id_(id) {}
  ClockRegistration(const ClockRegistration&) = delete;
  ClockRegistration& operator=(const ClockRegistration&) = delete;
  ~ClockRegistration() { s_.remove_clock(id_); }

 private:
  Scheduler& s_;
  std::uint64_t id_;
};

Task<> drive(void* addr, unsigned bytes, SimTime high, SimTime low, bool start_high) {
  Scheduler& s = Scheduler::active();
  ClockRegistration reg(s, s.add_clock(addr, bytes, high, low, start_high));
  co_await Forever{};
}
}  // namespace

void Clock::check_period() const {
  if (period_ < 2) {
    throw std::invalid_argument(
        fmt::format("Clock period of {} ps is too short: it needs a high and a low half", period_));
  }
}

Task<> Clock::start(bool start_high) const {
  SimTime high = period_ / 2;
  return drive(addr_, bytes_, high, period_ - high, start_high);
}

}  // namespace wm::harness
