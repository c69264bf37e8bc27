#pragma once
// A small command-line parser for the sw tools: --name value, --name=value and --flag.

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wm::sw::tools {

/// A bad command line; main prints it with the usage hint and exits with status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  /// Options in `valued` take a value, those in `flags` do not; anything else is an error.
  Args(int argc, const char* const* argv, const std::set<std::string>& valued,
       const std::set<std::string>& flags) {
    for (int i = 1; i < argc; ++i) {
      std::string_view a = argv[i];
      if (!a.starts_with("--")) {
        throw UsageError(fmt::format("unexpected argument '{}'", a));
      }
      std::string name(a.substr(2));
      std::optional<std::string> value;
      if (const auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
      }
      if (flags.contains(name)) {
        if (value) {
          throw UsageError(fmt::format("--{} takes no value", name));
        }
        value = "";
      } else if (valued.contains(name)) {
        if (!value) {
          if (i + 1 >= argc) {
            throw UsageError(fmt::format("--{} needs a value", name));
          }
          value = argv[++i];
        }
      } else {
        throw UsageError(fmt::format("unknown option --{}", name));
      }
      if (!values_.emplace(name, *value).second) {
        throw UsageError(fmt::format("--{} given twice", name));
      }
    }
  }

  [[nodiscard]] bool has(const std::string& name) const { return values_.contains(name); }

  [[nodiscard]] std::string get(const std::string& name, const std::string& fallback) const {
    const auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }

  /// The option as an integer in [lo, hi], or `fallback` when absent.
  [[nodiscard]] std::int64_t get_int(const std::string& name, std::int64_t fallback,
                                     std::int64_t lo, std::int64_t hi) const {
    const auto it = values_.find(name);
    if (it == values_.end()) {
      return fallback;
    }
    const std::int64_t v = parse_int(it->second, "--" + name);
    if (v < lo || v > hi) {
      throw UsageError(fmt::format("--{} {} is out of range {}..{}", name, v, lo, hi));
    }
    return v;
  }

  static std::int64_t parse_int(std::string_view s, const std::string& what) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
      throw UsageError(fmt::format("{}: '{}' is not an integer", what, s));
    }
    return v;
  }

 private:
  std::map<std::string, std::string> values_;
};

/// "1,2,3" (or space separated) as token ids; at least one.
inline std::vector<int> parse_token_list(std::string_view s, const std::string& what) {
  std::vector<int> ids;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t end = s.find_first_of(", ", i);
    const std::string_view item =
        s.substr(i, end == std::string_view::npos ? s.size() - i : end - i);
    if (!item.empty()) {
      const std::int64_t v = Args::parse_int(item, what);
      if (v < 0 || v > INT32_MAX) {
        throw UsageError(fmt::format("{}: token id {} is negative or too large", what, v));
      }
      ids.push_back(static_cast<int>(v));
    }
    if (end == std::string_view::npos) {
      break;
    }
    i = end + 1;
  }
  if (ids.empty()) {
    throw UsageError(fmt::format("{}: no token ids in '{}'", what, s));
  }
  return ids;
}

}  // namespace wm::sw::tools
