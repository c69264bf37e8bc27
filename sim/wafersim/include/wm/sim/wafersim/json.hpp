// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The one JSON string escaper of wafersim's outputs (--report, --report-dir's timeline).
#pragma once

#include <string>
#include <string_view>

namespace wm::sim::wafersim {

/// `s` as the inside of a JSON string: quote and backslash escaped, control characters as
/// spaces. Not `\u00XX`: Perfetto's JSON reader rejects \u escapes, and no name, path or
/// explanation these files carry has a control character worth keeping.
[[nodiscard]] inline std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
  }
  return out;
}

/// `s` as a quoted JSON string.
[[nodiscard]] inline std::string json_string(std::string_view s) {
  return '"' + json_escape(s) + '"';
}

}  // namespace wm::sim::wafersim
