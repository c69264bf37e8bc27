// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/harness/time.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace wm::harness {

namespace {
double ps_per(Unit unit) {
  switch (unit) {
    case Unit::fs: return 1e-3;
    case Unit::ps: return 1.0;
    case Unit::ns: return 1e3;
    case Unit::us: return 1e6;
    case Unit::ms: return 1e9;
    case Unit::sec: return 1e12;
    case Unit::step: return 1.0;
  }
  return 1.0;
}
}  // namespace

std::string_view unit_name(Unit unit) {
  switch (unit) {
    case Unit::fs: return "fs";
    case Unit::ps: return "ps";
    case Unit::ns: return "ns";
    case Unit::us: return "us";
    case Unit::ms: return "ms";
    case Unit::sec: return "sec";
    case Unit::step: return "step";
  }
  return "?";
}

SimTime to_ps(double t, Unit unit) {
  double ps = t * ps_per(unit);
  double whole = std::round(ps);
  if (!(t >= 0) || std::abs(ps - whole) > 1e-6 * std::max(1.0, whole)) {
    throw std::invalid_argument(fmt::format(
        "{} {} is not a whole number of picoseconds (the harness precision) or is negative", t,
        unit_name(unit)));
  }
  return static_cast<SimTime>(whole);
}

double from_ps(SimTime ps, Unit unit) { return static_cast<double>(ps) / ps_per(unit); }

}  // namespace wm::harness
