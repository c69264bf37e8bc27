// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// wm-ulps: the special functions' error against libm (docs/isa.md section 7).
//   wm-ulps [--random N] [--dense N] [--seed S] [--exhaustive] [--json out.json]
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

#include "wm/sw/ref/ulps.hpp"

int main(int argc, char** argv) {
  std::uint64_t random = 2'000'000, dense = 2'000'000, seed = 1;
  std::string json;
  bool exhaustive = false;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      const bool has = i + 1 < argc;
      if (a == "--random" && has) {
        random = std::stoull(argv[++i]);
      } else if (a == "--dense" && has) {
        dense = std::stoull(argv[++i]);
      } else if (a == "--seed" && has) {
        seed = std::stoull(argv[++i]);
      } else if (a == "--exhaustive") {
        exhaustive = true;
      } else if (a == "--json" && has) {
        json = argv[++i];
      } else {
        fmt::print(stderr, "usage: wm-ulps [--random N] [--dense N] [--seed S] [--exhaustive] "
                           "[--json out]\n");
        return 2;
      }
    }
    const auto reports = wm::sw::ref::measure_ulps(random, dense, seed, exhaustive);
    fmt::print("special functions vs libm (double rounded to float), {} random + {} dense "
               "points each, seed {}\n", random, dense, seed);
    fmt::print("{:<6} {:<58} {:>9} {:>9} {:>14}\n", "fn", "domain", "max ulp", "mean ulp",
               "worst at");
    for (const auto& r : reports) {
      fmt::print("{:<6} {:<58} {:>9.2f} {:>9.4f} {:>14.8g}\n", r.function, r.domain, r.max_ulps,
                 r.mean_ulps, r.worst_input);
    }
    if (!json.empty()) {
      const auto parent = std::filesystem::path(json).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent);
      std::string out = fmt::format("{{\n  \"random\": {}, \"dense\": {}, \"seed\": {},\n"
                                    "  \"functions\": [\n", random, dense, seed);
      for (std::size_t i = 0; i < reports.size(); ++i) {
        const auto& r = reports[i];
        out += fmt::format("    {{\"function\": \"{}\", \"domain\": \"{}\", \"samples\": {}, "
                           "\"max_ulps\": {}, \"mean_ulps\": {:.6f}, \"worst_input\": {:.9g}}}{}\n",
                           r.function, r.domain, r.samples, r.max_ulps, r.mean_ulps,
                           r.worst_input, i + 1 < reports.size() ? "," : "");
      }
      out += "  ]\n}\n";
      std::FILE* f = std::fopen(json.c_str(), "w");
      if (!f) throw std::runtime_error("cannot write " + json);
      std::fputs(out.c_str(), f);
      std::fclose(f);
      fmt::print("wrote {}\n", json);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "wm-ulps: {}\n", e.what());
    return 1;
  }
  return 0;
}
