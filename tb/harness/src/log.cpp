// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/harness/log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

#include "wm/harness/scheduler.hpp"

namespace wm::harness {

namespace {
constexpr std::array<std::string_view, 6> kLevelNames = {"TRACE", "DEBUG",   "INFO",
                                                         "WARNING", "ERROR", "CRITICAL"};
// cocotb's column widths: time 11, level 8, logger name 34 (longer names keep their tail).
constexpr std::size_t kTimeWidth = 11;
constexpr std::size_t kNameWidth = 34;

std::string fit_name(std::string_view name) {
  if (name.size() <= kNameWidth) return fmt::format("{:<{}}", name, kNameWidth);
  return fmt::format("..{}", name.substr(name.size() - (kNameWidth - 2)));
}
}  // namespace

Level parse_level(std::string_view name) {
  std::string up(name);
  std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return std::toupper(c); });
  for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
    if (up == kLevelNames[i]) return static_cast<Level>(i);
  }
  throw std::invalid_argument(fmt::format(
      "unknown log level '{}': use TRACE, DEBUG, INFO, WARNING, ERROR or CRITICAL", name));
}

std::string format_prefix(bool have_time, double time_ns, Level level, std::string_view name) {
  std::string t = have_time ? fmt::format("{:.2f}ns", time_ns) : std::string("-.--ns");
  return fmt::format("{:>{}} {:<8} {} ", t, kTimeWidth, kLevelNames[static_cast<int>(level)],
                     fit_name(name));
}

void Logger::write(Level level, std::string_view message) const {
  const Scheduler* s = Scheduler::active_or_null();
  bool have_time = s != nullptr || idle_time_ps_ != nullptr;
  SimTime now = s != nullptr ? s->now() : (idle_time_ps_ != nullptr ? *idle_time_ps_ : 0);
  std::string prefix = format_prefix(have_time, from_ps(now, Unit::ns), level, name_);
  // Continuation lines line up under the first line's message, as cocotb indents them.
  std::string out;
  std::size_t start = 0;
  bool first = true;
  while (start <= message.size()) {
    std::size_t nl = message.find('\n', start);
    std::string_view line =
        message.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (first) {
      out += prefix;
    } else {
      out += '\n';
      out.append(prefix.size(), ' ');
    }
    out += line;
    first = false;
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  out += '\n';
  fmt::print(stdout, "{}", out);
}

}  // namespace wm::harness
