// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/harness/results.hpp"

#include <fmt/format.h>
#include <fmt/os.h>

#include <algorithm>
#include <stdexcept>

namespace wm::harness {

namespace {
std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\n': out += "&#10;"; break;
      default:
        // XML 1.0 cannot carry most control characters; show them as cocotb does (#xNN).
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\r') {
          out += fmt::format("#x{:02X}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  return out;
}

double ratio(double sim_ns, double wall_s) { return wall_s > 0 ? sim_ns / wall_s : 0.0; }
}  // namespace

void write_results_xml(const RegressionReport& r, const std::filesystem::path& path) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  auto failures = std::count_if(r.tests.begin(), r.tests.end(),
                                [](const TestRecord& t) { return t.outcome == Outcome::fail; });
  auto skipped = std::count_if(r.tests.begin(), r.tests.end(),
                               [](const TestRecord& t) { return t.outcome == Outcome::skip; });
  std::string x = "<?xml version='1.0' encoding='utf-8'?>\n<testsuites name=\"results\">\n";
  x += fmt::format(
      "  <testsuite name=\"{}\" package=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" "
      "errors=\"0\" time=\"{:.3f}\">\n",
      xml_escape(r.suite), xml_escape(r.suite), r.tests.size(), failures, skipped, r.wall_s);
  x += fmt::format("    <property name=\"random_seed\" value=\"{}\" />\n", r.seed);
  for (const TestRecord& t : r.tests) {
    x += fmt::format(
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" lineno=\"{}\" time=\"{:.6f}\" "
        "sim_time_ns=\"{:.3f}\" ratio_time=\"{:.2f}\"",
        xml_escape(t.name), xml_escape(r.suite), xml_escape(t.file), t.line, t.wall_s, t.sim_ns,
        ratio(t.sim_ns, t.wall_s));
    switch (t.outcome) {
      case Outcome::pass: x += " />\n"; break;
      case Outcome::fail:
        x += fmt::format(">\n      <failure message=\"{}\" />\n    </testcase>\n",
                         xml_escape(t.message));
        break;
      case Outcome::skip:
        x += fmt::format(">\n      <skipped message=\"{}\" />\n    </testcase>\n",
                         xml_escape(t.message));
        break;
    }
  }
  x += "  </testsuite>\n</testsuites>\n";
  auto out = fmt::output_file(path.string());
  out.print("{}", x);
}

std::string format_summary(const RegressionReport& r) {
  const std::string test_h = "TEST", status_h = "STATUS", sim_h = "SIM TIME (ns)",
                    real_h = "REAL TIME (s)", ratio_h = "RATIO (ns/s)";
  std::size_t pass = 0, fail = 0, skip = 0;
  std::size_t a = test_h.size();
  for (const TestRecord& t : r.tests) {
    pass += t.outcome == Outcome::pass;
    fail += t.outcome == Outcome::fail;
    skip += t.outcome == Outcome::skip;
    a = std::max(a, r.suite.size() + 1 + t.name.size());
  }
  std::string total =
      fmt::format("TESTS={} PASS={} FAIL={} SKIP={}", r.tests.size(), pass, fail, skip);
  a = std::max(a, total.size());
  const std::size_t b = status_h.size(), c = sim_h.size(), d = real_h.size(), e = ratio_h.size();
  const std::string sep(3 + a + 2 + b + 2 + c + 2 + d + 2 + e + 3, '*');

  std::string s = sep + "\n";
  s += fmt::format("** {:<{}}  {:^{}}  {:>{}}  {:>{}}  {:>{}} **\n", test_h, a, status_h, b, sim_h,
                   c, real_h, d, ratio_h, e);
  s += sep + "\n";
  auto row = [&](std::string_view name, std::string_view status, double sim, double wall,
                 std::string_view rat) {
    return fmt::format("** {:<{}}  {:^{}}  {:>{}.2f}   {:>{}.2f}   {:>{}}  **\n", name, a, status,
                       b, sim, c - 1, wall, d - 1, rat, e - 1);
  };
  for (const TestRecord& t : r.tests) {
    std::string status = t.outcome == Outcome::pass   ? "PASS"
                         : t.outcome == Outcome::fail ? "FAIL"
                                                      : "SKIP";
    std::string rat = t.outcome == Outcome::skip ? std::string("-.--")
                                                 : fmt::format("{:.2f}", ratio(t.sim_ns, t.wall_s));
    s += row(fmt::format("{}.{}", r.suite, t.name), status, t.sim_ns, t.wall_s, rat);
  }
  s += sep + "\n";
  s += row(total, "", r.sim_ns, r.wall_s, fmt::format("{:.2f}", ratio(r.sim_ns, r.wall_s)));
  s += sep;
  return s;
}

}  // namespace wm::harness
