// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Log lines in cocotb's layout, so tools that read cocotb logs read ours:
//   "{sim time in ns, 2 decimals, unit}:>11 {LEVEL:<8} {logger name:<34} {message}"
// Level from COCOTB_LOG_LEVEL (TRACE DEBUG INFO WARNING ERROR CRITICAL; default INFO).
// A message below the level is neither formatted nor printed.

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace wm::harness {

enum class Level { trace, debug, info, warning, error, critical };

/// Parses a cocotb level name (case-insensitive); throws std::invalid_argument otherwise.
Level parse_level(std::string_view name);

class Logger {
 public:
  /// `idle_time_ps`: the time to stamp when no test is running (the regression passes the
  /// sim time its last test reached, as cocotb's regression logs carry the sim time).
  explicit Logger(std::string name, Level threshold = Level::info,
                  const std::uint64_t* idle_time_ps = nullptr)
      : name_(std::move(name)), threshold_(threshold), idle_time_ps_(idle_time_ps) {}

  bool enabled(Level level) const { return level >= threshold_; }
  const std::string& name() const { return name_; }

  template <class... A>
  void log(Level level, fmt::format_string<A...> f, A&&... a) const {
    if (enabled(level)) write(level, fmt::vformat(f, fmt::make_format_args(a...)));
  }
  template <class... A>
  void trace(fmt::format_string<A...> f, A&&... a) const {
    log(Level::trace, f, std::forward<A>(a)...);
  }
  template <class... A>
  void debug(fmt::format_string<A...> f, A&&... a) const {
    log(Level::debug, f, std::forward<A>(a)...);
  }
  template <class... A>
  void info(fmt::format_string<A...> f, A&&... a) const {
    log(Level::info, f, std::forward<A>(a)...);
  }
  template <class... A>
  void warning(fmt::format_string<A...> f, A&&... a) const {
    log(Level::warning, f, std::forward<A>(a)...);
  }
  template <class... A>
  void error(fmt::format_string<A...> f, A&&... a) const {
    log(Level::error, f, std::forward<A>(a)...);
  }
  template <class... A>
  void critical(fmt::format_string<A...> f, A&&... a) const {
    log(Level::critical, f, std::forward<A>(a)...);
  }

  /// Writes one (possibly multi-line) record, stamped with the running test's sim time.
  void write(Level level, std::string_view message) const;

 private:
  std::string name_;
  Level threshold_;
  const std::uint64_t* idle_time_ps_;
};

/// The prefix of a record: exposed for the harness's own tests of the layout.
std::string format_prefix(bool have_time, double time_ns, Level level, std::string_view name);

}  // namespace wm::harness
