// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// wafersim: the greedy decode of a llama2.c model on the composed RTL mesh, every logit
// verified against the golden float decoder, and the throughput report (issue #5).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <span>

#include "args.hpp"
#include "wm/sim/wafersim/compare.hpp"
#include "wm/sim/wafersim/options.hpp"
#include "wm/sim/wafersim/phases.hpp"
#include "wm/sim/wafersim/pictures.hpp"
#include "wm/sim/wafersim/report.hpp"
#include "wm/sim/wafersim/rtl_run.hpp"
#include "wm/sw/mapper/decoder.hpp"
#include "wm/sw/mapper/partition.hpp"
#include "wm/sw/model/decode.hpp"
#include "wm/sw/model/float_decoder.hpp"
#include "wm/sw/model/model_source.hpp"

namespace {

namespace ws = wm::sim::wafersim;
namespace model = wm::sw::model;
namespace mapper = wm::sw::mapper;
using wm::sw::tools::UsageError;

/// A failure with its own exit status and one-line message.
struct Failure {
  int status;
  std::string message;
};

/// The bound's and the prediction's hop latency: a wavelet crosses one router and one
/// registered link per hop.
constexpr int kHopLatency = 2;

model::Weights load(const ws::Options& o) {
  try {
    if (o.seed) {
      model::GenParams p;
      p.seed = *o.seed;
      return model::generate(p);
    }
    return model::load_model(o.model);
  } catch (const std::exception& e) {
    throw Failure{1, fmt::format("model {}: {}", o.model, e.what())};
  }
}

/// A progress line on stderr, only when it is a terminal (logs and ctest stay clean).
class Progress {
 public:
  explicit Progress(std::size_t total) : total_(total), on_(isatty(STDERR_FILENO) == 1) {}
  ~Progress() {
    if (on_) fmt::print(stderr, "\r{:60}\r", "");
  }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void update(std::size_t done, std::uint64_t cycle) const {
    if (!on_) return;
    constexpr std::size_t kWidth = 30;
    const std::size_t fill = total_ == 0 ? kWidth : done * kWidth / total_;
    fmt::print(stderr, "\r[{:#<{}}{:<{}}] {}/{} tokens, cycle {}", "", fill, "", kWidth - fill,
               done, total_, cycle);
    std::fflush(stderr);
  }

 private:
  std::size_t total_;
  bool on_;
};

/// Busy, MAC and link utilisation between two activity snapshots over `cycles`.
void utilisation(const wm::sim::Mesh& mesh, const std::vector<wm::sim::TileActivity>& before,
                 std::uint64_t cycles, ws::Report& r) {
  const auto cyc = static_cast<double>(cycles);
  const unsigned w = mesh.width(), h = mesh.height();
  std::size_t links = 0;
  double busy_sum = 0, mac_sum = 0, link_sum = 0;
  for (unsigned t = 0; t < mesh.tiles(); ++t) {
    const wm::sim::TileActivity a = mesh.activity(t) - before[t];
    const unsigned x = t % w, y = t / w;
    const std::string tile = ws::tile_name(t, w);
    const double busy = static_cast<double>(a.busy) / cyc;
    const double mac = static_cast<double>(a.macs) / cyc;
    busy_sum += busy;
    mac_sum += mac;
    if (busy >= r.busy.max) r.busy = {0, busy, tile};
    if (mac >= r.mac.max) r.mac = {0, mac, tile};
    const bool exists[] = {false, x > 0 || t == 0, x + 1 < w, y > 0, y + 1 < h};
    constexpr const char* kDir[] = {"P", "W", "E", "N", "S"};
    for (unsigned d = 1; d < wm::sim::kNumDirs; ++d) {
      if (!exists[d]) continue;
      ++links;
      const double u = static_cast<double>(a.link[d]) / cyc;
      link_sum += u;
      if (u >= r.link.max) r.link = {0, u, fmt::format("{} {}", tile, kDir[d])};
    }
  }
  r.busy.mean = busy_sum / mesh.tiles();
  r.mac.mean = mac_sum / mesh.tiles();
  r.link.mean = links > 0 ? link_sum / static_cast<double>(links) : 0.0;
}

/// --report-dir: the task timeline and the heatmaps over the token cycles. Each tile's phases
/// come from its own mark hits: hit i starts phase i % P of token i / P (PhaseClock checked
/// the counts), and a token's last phase ends at its exit.
void write_pictures(const ws::Options& o, const ws::Report& r, const wm::sim::Mesh& mesh,
                    const std::vector<wm::sim::TileActivity>& before,
                    const std::vector<mapper::MeshDecoder::Phase>& names,
                    std::vector<ws::PhaseSpan> phases) {
  ws::PictureInput pic;
  pic.width = o.width;
  pic.height = o.height;
  pic.first_cycle = r.tokens.front().entry;
  pic.last_cycle = r.tokens.back().exit;
  pic.phases = std::move(phases);
  pic.title = fmt::format("{} on a {}x{} mesh, prompt {}, {} tokens", r.model, o.width, o.height,
                          fmt::join(o.prompt, ","), o.tokens);
  const std::size_t n = names.size();
  pic.tile_phases.resize(mesh.tiles());
  for (unsigned t = 0; t < mesh.tiles(); ++t) {
    pic.spans.push_back(mesh.task_spans(t));
    pic.activity.push_back(mesh.activity(t) - before[t]);
    const auto& hits = mesh.mark_hits(t);
    for (std::size_t i = 0; i < hits.size(); ++i) {
      const std::size_t k = i / n, p = i % n;
      const std::uint64_t end =
          p + 1 < n && i + 1 < hits.size() ? hits[i + 1].cycle : r.tokens.at(k).exit;
      pic.tile_phases[t].push_back(
          {names[p].name, names[p].layer, static_cast<int>(k), hits[i].cycle, end});
    }
  }
  ws::write_report_dir(o.report_dir, pic);
}

int run(const ws::Options& o) {
  const auto wall0 = std::chrono::steady_clock::now();
  const model::Weights w = load(o);
  try {
    model::check_decode_request(w.config, o.prompt, o.tokens);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  const int positions = static_cast<int>(o.prompt.size()) + o.tokens - 1;
  std::unique_ptr<mapper::MeshDecoder> dec;
  try {
    dec = std::make_unique<mapper::MeshDecoder>(
        w, mapper::MeshShape{static_cast<int>(o.width), static_cast<int>(o.height)},
        mapper::DecodeOptions{positions});
  } catch (const std::exception& e) {
    throw Failure{1, fmt::format("mapper: {}", e.what())};
  }
  model::FloatDecoder golden(w, dec->order());

  ws::Report r;
  r.model = o.seed ? fmt::format("builtin (seed {})", *o.seed) : o.model;
  r.config = model::describe(w.config);
  r.width = o.width;
  r.height = o.height;
  r.threads = o.threads;
  r.prompt = o.prompt;
  r.hop_latency = kHopLatency;
  r.setup_wavelets = dec->program().setup.size();

  ws::RunOptions run_opt{o.threads, o.watchdog, o.waves, o.waves_from, o.waves_to, false,
                         o.waves_tiles};
  run_opt.record_tasks = !o.report_dir.empty();
  ws::RtlRun rtl(dec->program(), run_opt);
  r.setup_cycles = rtl.setup();
  std::vector<wm::sim::TileActivity> before;
  for (unsigned t = 0; t < rtl.mesh().tiles(); ++t) before.push_back(rtl.mesh().activity(t));

  const Progress progress(static_cast<std::size_t>(positions));
  std::vector<std::uint32_t> got;
  int token = o.prompt[0];
  const std::size_t n_phases = dec->phases().size();
  ws::PhaseClock clock(n_phases, rtl.mesh().tiles());
  std::vector<ws::PhaseRecord> phases(n_phases);
  std::vector<ws::PhaseSpan> phase_spans;  // every token's, for --report-dir
  for (int pos = 0; pos < positions; ++pos) {
    const ws::StepCycles c = rtl.step(dec->step(token, pos), got);
    const std::span<const float> want = golden.forward(token, pos);
    if (const auto m = ws::compare_bits(got, want)) {
      throw Failure{1, fmt::format("mismatch at token {} (position {}, input id {}): logit {} "
                                   "expected {:#010x} got {:#010x} ({} of {} logits differ)",
                                   pos, pos, token, m->index, m->expected, m->got, m->count,
                                   want.size())};
    }
    r.logits_checked += want.size();
    const int next = model::argmax(want);
    const bool generated = pos + 1 >= static_cast<int>(o.prompt.size());
    // The logits leave through (0, 0): it is charged with the last phase.
    const std::vector<ws::PhaseTiming> timing = clock.token(rtl.mesh(), c.entry, c.exit, 0);
    const auto predicted = dec->predict(pos, kHopLatency);
    const auto bound = dec->bound(pos, kHopLatency);
    std::int64_t token_predicted = 0;
    std::int64_t token_bound = 0;
    std::vector<std::uint64_t> measured;
    for (std::size_t p = 0; p < n_phases; ++p) {
      const std::int64_t want = predicted[p].cycles.total();
      const std::uint64_t took = timing[p].cycles();
      token_predicted += want;
      token_bound += bound[p].cycles.total();
      measured.push_back(took);
      const double ratio =
          static_cast<double>(took) / static_cast<double>(std::max<std::int64_t>(want, 1));
      phase_spans.push_back(
          {predicted[p].name, predicted[p].layer, pos, timing[p].begin, timing[p].end});
      ws::PhaseRecord& rec = phases[p];
      rec.name = predicted[p].name;
      rec.layer = predicted[p].layer;
      rec.compute = predicted[p].cycles.compute;
      rec.network = predicted[p].cycles.network;
      rec.bound = bound[p].cycles.total();
      rec.measured = took;
      rec.critical = ws::tile_name(timing[p].critical, o.width);
      rec.mean_ratio += ratio;  // divided by the token count at the end
      rec.max_ratio = std::max(rec.max_ratio, ratio);
      if (!r.tolerance.holds(want, took)) {
        r.deviations.push_back({pos, ws::phase_label(predicted[p].name, predicted[p].layer), want,
                                took, ws::explain(timing[p], o.width)});
      }
    }
    r.tokens.push_back(
        {pos, token, next, generated, c.entry, c.exit, token_bound, token_predicted, measured});
    if (generated) r.generated.push_back(next);
    token = generated ? next : o.prompt[static_cast<std::size_t>(pos) + 1];
    progress.update(static_cast<std::size_t>(pos) + 1, c.exit);
  }
  for (ws::PhaseRecord& p : phases) p.mean_ratio /= positions;
  r.phases = std::move(phases);
  const std::uint64_t token_cycles = r.tokens.back().exit - r.tokens.front().entry;
  utilisation(rtl.mesh(), before, token_cycles, r);
  if (!o.report_dir.empty()) {
    write_pictures(o, r, rtl.mesh(), before, dec->phases(),
                   std::move(phase_spans));
  }
  const std::uint64_t total_cycles = rtl.mesh().cycle();
  const unsigned tiles = rtl.mesh().tiles();
  const std::vector<std::string> waves = rtl.finish_waves();
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  r.tile_cycles_per_second =
      static_cast<double>(total_cycles) * tiles / std::max(r.wall_seconds, 1e-9);
  ws::print_text(stdout, r);
  for (std::size_t i = 0; i < waves.size(); ++i) {
    const unsigned t = o.waves_tiles[i];
    fmt::print("waves: {} (tile ({}, {}))\n", waves[i], t % o.width, t / o.width);
  }
  if (!o.report.empty()) {
    ws::write_json(o.report, r);
    fmt::print("report: {}\n", o.report);
  }
  if (!o.report_dir.empty()) fmt::print("pictures: {}/index.html\n", o.report_dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const ws::Options o = ws::parse_options(argc, argv);
    if (o.help) {
      fmt::print("{}", ws::usage());
      return 0;
    }
    return run(o);
  } catch (const UsageError& e) {
    fmt::print(stderr, "wafersim: {} (see wafersim --help)\n", e.what());
    return 2;
  } catch (const Failure& f) {
    fmt::print(stderr, "wafersim: {}\n", f.message);
    return f.status;
  } catch (const std::exception& e) {
    fmt::print(stderr, "wafersim: {}\n", e.what());
    return 1;
  }
}
