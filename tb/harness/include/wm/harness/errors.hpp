// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The exceptions a test can see. Anything else thrown from a test also fails it.

#include <stdexcept>
#include <string>

namespace wm::harness {

/// check()/fail(): the design did something the test says it must not.
class TestFailure : public std::runtime_error {
  using runtime_error::runtime_error;
};

/// skip(): the test decided not to run; reported as SKIP, not a failure.
class TestSkipped : public std::runtime_error {
  using runtime_error::runtime_error;
};

/// with_timeout() expired, or the test ran past its sim-time limit.
class SimTimeoutError : public std::runtime_error {
  using runtime_error::runtime_error;
};

/// Awaiting a task that was cancelled.
class TaskCancelled : public std::runtime_error {
  using runtime_error::runtime_error;
};

/// Misuse of the scheduler (e.g. ReadWrite awaited in the ReadOnly phase, a write in ReadOnly).
class SchedulerError : public std::logic_error {
  using logic_error::logic_error;
};

}  // namespace wm::harness
