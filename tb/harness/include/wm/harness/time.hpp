// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Simulated time: one fixed precision (picoseconds) held as an integer, as cocotb's sim steps.

#include <cstdint>
#include <string_view>

namespace wm::harness {

/// Time units as cocotb spells them; `step` is the harness precision (1 ps).
enum class Unit { fs, ps, ns, us, ms, sec, step };

/// Simulation time in picoseconds (the harness precision).
using SimTime = std::uint64_t;

/// Converts `t` in `unit` to picoseconds; throws std::invalid_argument when `t` is negative or
/// is not a whole number of picoseconds (cocotb refuses such times too).
SimTime to_ps(double t, Unit unit);

/// Picoseconds to `unit`, as a double (for logs and reports).
double from_ps(SimTime ps, Unit unit);

std::string_view unit_name(Unit unit);

}  // namespace wm::harness
