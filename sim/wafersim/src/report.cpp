// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sim/wafersim/report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>
#include <stdexcept>

#include "wm/sim/wafersim/json.hpp"

namespace wm::sim::wafersim {

namespace {

struct Totals {
  std::uint64_t span = 0;       // first entry to last exit
  std::uint64_t latency = 0;    // sum of exit - entry
  std::int64_t bound = 0;       // sums over the tokens
  std::int64_t predicted = 0;
};

Totals totals(const Report& r) {
  Totals t;
  if (r.tokens.empty()) return t;
  t.span = r.tokens.back().exit - r.tokens.front().entry;
  for (const TokenRecord& k : r.tokens) {
    t.latency += k.exit - k.entry;
    t.bound += k.bound;
    t.predicted += k.predicted;
  }
  return t;
}

std::uint64_t between(const Report& r, std::size_t i) {
  const TokenRecord& k = r.tokens[i];
  return i == 0 ? k.exit - k.entry : k.exit - r.tokens[i - 1].exit;
}

double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

std::string json_util(const Utilisation& u) {
  return fmt::format(R"({{"mean": {:.6f}, "max": {:.6f}, "max_at": {}}})", u.mean, u.max,
                     json_string(u.max_at));
}

constexpr std::size_t kMaxDeviationsShown = 12;

}  // namespace

void print_text(std::FILE* f, const Report& r) {
  const Totals t = totals(r);
  const std::size_t n = r.tokens.size();
  fmt::print(f, "model: {} ({})\nmesh: {}x{} RTL tiles, {} thread(s)\nprompt: {}\n", r.model,
             r.config, r.width, r.height, r.threads, fmt::join(r.prompt, " "));
  fmt::print(f, "generated: {}\n", fmt::join(r.generated, " "));
  fmt::print(f, "verified: {} logits over {} tokens bit-exact against the golden float decoder\n",
             r.logits_checked, n);
  fmt::print(f, "setup: {} wavelets (routes and SRAM images) in {} cycles\n", r.setup_wavelets,
             r.setup_cycles);
  fmt::print(f, "\n{:>4} {:>5} {:>5} {:>10} {:>10} {:>8} {:>8} {:>8} {:>6} {:>9} {:>6}\n",
             "pos", "in", "out", "entry", "exit", "latency", "between", "bound", "ratio",
             "predicted", "ratio");
  for (std::size_t i = 0; i < n; ++i) {
    const TokenRecord& k = r.tokens[i];
    const auto latency = static_cast<double>(k.exit - k.entry);
    fmt::print(f, "{:>4} {:>5} {:>5}{} {:>10} {:>10} {:>8} {:>8} {:>8} {:>6.3f} {:>9} {:>6.3f}\n",
               k.pos, k.input, k.output, k.generated ? ' ' : 'p', k.entry, k.exit,
               k.exit - k.entry, between(r, i), k.bound,
               ratio(latency, static_cast<double>(k.bound)), k.predicted,
               ratio(latency, static_cast<double>(k.predicted)));
  }
  if (n > 0) {
    const double per_token = static_cast<double>(t.span) / static_cast<double>(n);
    fmt::print(f, "\ncycles/token: {:.1f} (first entry to last exit over {} tokens)\n", per_token,
               n);
    fmt::print(f, "tokens/s at {:.1f} GHz: {:.0f}\n", kClockHz / 1e9, kClockHz / per_token);
    fmt::print(f,
               "analytic lower bound of the mapping (hop latency {}): {:.1f} cycles/token; "
               "measured/bound {:.3f}\n",
               r.hop_latency, static_cast<double>(t.bound) / static_cast<double>(n),
               ratio(static_cast<double>(t.latency), static_cast<double>(t.bound)));
    fmt::print(f, "the mapper's schedule prediction: {:.1f} cycles/token; measured/predicted "
                  "{:.3f}\n",
               static_cast<double>(t.predicted) / static_cast<double>(n),
               ratio(static_cast<double>(t.latency), static_cast<double>(t.predicted)));
  }
  fmt::print(f, "tile busy: mean {:.3f} max {:.3f} at {}\n", r.busy.mean, r.busy.max,
             r.busy.max_at);
  fmt::print(f, "tile MAC:  mean {:.3f} max {:.3f} at {}\n", r.mac.mean, r.mac.max, r.mac.max_at);
  fmt::print(f, "link:      mean {:.3f} max {:.3f} at {}\n", r.link.mean, r.link.max,
             r.link.max_at);
  fmt::print(f,
             "\nphases of the last token, measured on the RTL (a phase ends when the last tile "
             "enters the next; that tile is its critical tile) against the mapper's prediction "
             "(compute + network) and the lower bound; ratios are measured/predicted:\n");
  fmt::print(f, "  {:<14} {:>7} {:>9} {:>8} {:>9} {:>6} {:>6} {:>10} {:>6}  {}\n", "phase",
             "bound", "compute", "network", "measured", "share", "ratio", "mean ratio", "max",
             "critical tile");
  std::uint64_t sum = 0;
  for (const PhaseRecord& p : r.phases) sum += p.measured;
  for (const PhaseRecord& p : r.phases) {
    const auto predicted = static_cast<double>(p.compute + p.network);
    fmt::print(f, "  {:<14} {:>7} {:>9} {:>8} {:>9} {:>5.1f}% {:>6.3f} {:>10.3f} {:>6.3f}  {}\n",
               phase_label(p.name, p.layer), p.bound, p.compute, p.network, p.measured,
               100.0 * ratio(static_cast<double>(p.measured), static_cast<double>(sum)),
               ratio(static_cast<double>(p.measured), predicted), p.mean_ratio, p.max_ratio,
               p.critical);
  }
  const std::size_t checked = r.phases.size() * n;
  if (r.deviations.empty()) {
    fmt::print(f,
               "timing check: all {} phases of {} tokens within the prediction (tolerance "
               "{:.0f}% + {} cycles)\n",
               checked, n, 100 * r.tolerance.ratio, r.tolerance.slack);
  } else {
    fmt::print(f,
               "timing check: {} of {} phases outside the prediction (tolerance {:.0f}% + {} "
               "cycles):\n",
               r.deviations.size(), checked, 100 * r.tolerance.ratio, r.tolerance.slack);
    for (std::size_t i = 0; i < r.deviations.size() && i < kMaxDeviationsShown; ++i) {
      const Deviation& d = r.deviations[i];
      fmt::print(f, "  pos {} {}: predicted {}, measured {} ({:+.1f}%); {}\n", d.pos, d.phase,
                 d.predicted, d.measured,
                 100.0 * (ratio(static_cast<double>(d.measured),
                                static_cast<double>(d.predicted)) - 1.0),
                 d.where);
    }
    if (r.deviations.size() > kMaxDeviationsShown) {
      fmt::print(f, "  ... and {} more (all in --report)\n",
                 r.deviations.size() - kMaxDeviationsShown);
    }
  }
  fmt::print(f, "\nwall: {:.2f} s ({:.0f} tile-cycles/s)\n", r.wall_seconds,
             r.tile_cycles_per_second);
}

void write_json(const std::string& path, const Report& r) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "w"),
                                                             &std::fclose);
  if (!file) throw std::runtime_error(fmt::format("--report {}: cannot open for writing", path));
  std::FILE* f = file.get();
  const Totals t = totals(r);
  const std::size_t n = r.tokens.size();
  const double per_token = n > 0 ? static_cast<double>(t.span) / static_cast<double>(n) : 0.0;
  fmt::print(f, "{{\n  \"model\": {},\n  \"config\": {},\n", json_string(r.model),
             json_string(r.config));
  fmt::print(f, "  \"mesh\": {{\"width\": {}, \"height\": {}}},\n  \"threads\": {},\n", r.width,
             r.height, r.threads);
  fmt::print(f, "  \"prompt\": [{}],\n  \"generated\": [{}],\n", fmt::join(r.prompt, ", "),
             fmt::join(r.generated, ", "));
  fmt::print(f, "  \"logits_checked\": {},\n  \"bit_exact\": true,\n", r.logits_checked);
  fmt::print(f, "  \"setup\": {{\"wavelets\": {}, \"cycles\": {}}},\n", r.setup_wavelets,
             r.setup_cycles);
  fmt::print(f, "  \"tokens\": [\n");
  for (std::size_t i = 0; i < n; ++i) {
    const TokenRecord& k = r.tokens[i];
    fmt::print(f,
               "    {{\"pos\": {}, \"input\": {}, \"output\": {}, \"generated\": {}, "
               "\"entry_cycle\": {}, \"exit_cycle\": {}, \"latency\": {}, \"between\": {}, "
               "\"bound\": {}, \"predicted\": {}, \"phases\": [{}]}}{}\n",
               k.pos, k.input, k.output, k.generated, k.entry, k.exit, k.exit - k.entry,
               between(r, i), k.bound, k.predicted, fmt::join(k.phases, ", "),
               i + 1 < n ? "," : "");
  }
  fmt::print(f, "  ],\n  \"cycles_per_token\": {:.3f},\n", per_token);
  fmt::print(f, "  \"clock_hz\": {:.0f},\n  \"tokens_per_second\": {:.3f},\n", kClockHz,
             per_token > 0 ? kClockHz / per_token : 0.0);
  fmt::print(f,
             "  \"bound\": {{\"hop_latency\": {}, \"cycles_per_token\": {:.3f}, "
             "\"measured_over_bound\": {:.6f}}},\n",
             r.hop_latency, n > 0 ? static_cast<double>(t.bound) / static_cast<double>(n) : 0.0,
             ratio(static_cast<double>(t.latency), static_cast<double>(t.bound)));
  fmt::print(f,
             "  \"prediction\": {{\"cycles_per_token\": {:.3f}, "
             "\"measured_over_predicted\": {:.6f}}},\n",
             n > 0 ? static_cast<double>(t.predicted) / static_cast<double>(n) : 0.0,
             ratio(static_cast<double>(t.latency), static_cast<double>(t.predicted)));
  fmt::print(f, "  \"utilisation\": {{\"busy\": {}, \"mac\": {}, \"link\": {}}},\n",
             json_util(r.busy), json_util(r.mac), json_util(r.link));
  fmt::print(f, "  \"phases\": [\n");
  for (std::size_t i = 0; i < r.phases.size(); ++i) {
    const PhaseRecord& p = r.phases[i];
    fmt::print(f,
               "    {{\"name\": {}, \"layer\": {}, \"bound\": {}, \"predicted_compute\": {}, "
               "\"predicted_network\": {}, \"measured_last_token\": {}, \"critical_tile\": "
               "{}, \"mean_ratio\": {:.6f}, \"max_ratio\": {:.6f}}}{}\n",
               json_string(p.name), p.layer, p.bound, p.compute, p.network, p.measured,
               json_string(p.critical), p.mean_ratio, p.max_ratio,
               i + 1 < r.phases.size() ? "," : "");
  }
  fmt::print(f, "  ],\n  \"timing_check\": {{\"tolerance_ratio\": {:.3f}, "
                "\"tolerance_cycles\": {}, \"deviations\": [\n",
             r.tolerance.ratio, r.tolerance.slack);
  for (std::size_t i = 0; i < r.deviations.size(); ++i) {
    const Deviation& d = r.deviations[i];
    fmt::print(f,
               "    {{\"pos\": {}, \"phase\": {}, \"predicted\": {}, \"measured\": {}, "
               "\"where\": {}}}{}\n",
               d.pos, json_string(d.phase), d.predicted, d.measured, json_string(d.where),
               i + 1 < r.deviations.size() ? "," : "");
  }
  fmt::print(f, "  ]}},\n  \"wall_seconds\": {:.3f},\n  \"tile_cycles_per_second\": {:.0f}\n}}\n",
             r.wall_seconds, r.tile_cycles_per_second);
  if (std::ferror(f) != 0) throw std::runtime_error(fmt::format("--report {}: write failed", path));
}

}  // namespace wm::sim::wafersim
