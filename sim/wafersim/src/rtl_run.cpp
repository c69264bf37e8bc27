// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sim/wafersim/rtl_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "wm/sim/wafersim/phases.hpp"

namespace wm::sim::wafersim {

namespace {

constexpr std::uint64_t kResetCycles = 3;
/// Cycles simulated at once while no output is due: long enough to keep threads busy, and
/// never as long as an output (see step()).
constexpr std::uint64_t kChunk = 256;
constexpr std::size_t kMaxNamed = 12;  // tiles named in one message

Wavelet to_sim(const sw::mapper::Wavelet& w) {
  return Wavelet{w.ctrl, w.dst_x, w.dst_y, w.color, w.data};
}

MeshOptions mesh_options(const sw::mapper::MeshProgram& p, const RunOptions& o,
                         const std::string& wave_dir) {
  if (p.num_colors != kColors) {
    throw RtlError(fmt::format("the program needs routers of {} colors; wm_tile has {}",
                               p.num_colors, kColors));
  }
  MeshOptions m;
  m.width = static_cast<unsigned>(p.width);
  m.height = static_cast<unsigned>(p.height);
  m.threads = o.threads;
  m.count_activity = true;
  m.record_tasks = o.record_tasks;
  if (!o.waves.empty()) {
    m.trace.tiles = o.waves_tiles;
    m.trace.begin = o.waves_from;
    m.trace.end = o.waves_to;
    m.trace.directory = wave_dir;
  }
  return m;
}

std::string join_limited(const std::vector<std::string>& items) {
  std::string s;
  for (std::size_t i = 0; i < items.size() && i < kMaxNamed; ++i) {
    s += (i == 0 ? "" : "; ") + items[i];
  }
  if (items.size() > kMaxNamed) s += fmt::format("; and {} more", items.size() - kMaxNamed);
  return s;
}

constexpr const char* kPeErrors[] = {"none", "illegal instruction", "address out of range",
                                     "bad DSD", "bad control wavelet"};
constexpr const char* kRouterErrors[] = {"unconfigured color", "no route", "route off the edge",
                                         "link credit error"};

}  // namespace

RtlRun::RtlRun(const sw::mapper::MeshProgram& program, const RunOptions& opt)
    : program_(program),
      opt_(opt),
      wave_dir_(opt.waves.empty() ? "" : opt.waves + ".tiles") {
  if (!wave_dir_.empty()) std::filesystem::create_directories(wave_dir_);
  mesh_ = std::make_unique<Mesh>(mesh_options(program, opt, wave_dir_));
  for (unsigned t = 0; t < mesh_->tiles(); ++t) {
    const auto& marks = program.tiles.at(t).marks;
    if (marks.empty()) continue;
    std::vector<std::uint16_t> pcs;
    for (const std::uint32_t pc : marks) {
      if (pc > 0xFFFF) throw RtlError(fmt::format("phase mark pc {:#x} is past 16 bits", pc));
      pcs.push_back(static_cast<std::uint16_t>(pc));
    }
    mesh_->set_marks(t, std::move(pcs));
  }
  mesh_->set_host_sink(true);
  mesh_->run(kResetCycles);
  mesh_->set_reset(false);
  credits_.fill(kQueueDepth);
}

RtlRun::~RtlRun() {
  mesh_.reset();
  if (!wave_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(wave_dir_, ec);
  }
}

std::string waves_path(const std::string& file, unsigned x, unsigned y, bool several) {
  if (!several) return file;
  std::filesystem::path p(file);
  const std::string ext = p.extension().string();
  p.replace_filename(fmt::format("{}_tile_{}_{}{}", p.stem().string(), x, y, ext));
  return p.string();
}

std::vector<std::string> RtlRun::finish_waves() {
  if (wave_dir_.empty()) return {};
  const unsigned width = mesh_->width();
  mesh_.reset();  // closes the FSTs
  const bool several = opt_.waves_tiles.size() > 1;
  std::vector<std::string> paths;
  for (const unsigned t : opt_.waves_tiles) {
    const unsigned x = t % width, y = t / width;
    const std::filesystem::path f =
        std::filesystem::path(wave_dir_) / fmt::format("tile_{}_{}.fst", x, y);
    if (!std::filesystem::exists(f)) {
      throw RtlError(fmt::format("--waves {}: the run ended before cycle {} (--waves-from)",
                                 opt_.waves, opt_.waves_from));
    }
    paths.push_back(waves_path(opt_.waves, x, y, several));
    std::filesystem::rename(f, paths.back());
  }
  std::filesystem::remove_all(wave_dir_);
  wave_dir_.clear();
  return paths;
}

void RtlRun::cycle() {
  mesh_->step();
  const std::uint32_t c = mesh_->host_out().in_credit;
  for (unsigned k = 0; k < kColors; ++k) credits_[k] += (c >> k) & 1u;
}

std::uint64_t RtlRun::activity_signature() const {
  std::uint64_t s = mesh_->sunk().size();
  for (unsigned t = 0; t < mesh_->tiles(); ++t) {
    const TileActivity& a = mesh_->activity(t);
    s += a.retired + a.elems + a.ramp_rx + a.ramp_tx + a.task_starts;
    for (const std::uint64_t l : a.link) s += l;
  }
  return s;
}

void RtlRun::progress_check(std::uint64_t& signature, std::uint64_t& since, const char* what) {
  const std::uint64_t now = activity_signature();
  if (now != signature) {
    signature = now;
    since = mesh_->cycle();
  } else if (mesh_->cycle() - since >= opt_.watchdog) {
    stuck(what);
  }
}

void RtlRun::feed(std::span<const sw::mapper::Wavelet> in) {
  sent_ = 0;
  std::uint64_t sig = activity_signature();
  std::uint64_t since = mesh_->cycle();
  while (sent_ < in.size()) {
    const sw::mapper::Wavelet& w = in[sent_];
    if (w.color >= kColors) {
      throw RtlError(fmt::format("host wavelet {} is on color {}; the routers have {}", sent_,
                                 w.color, kColors));
    }
    if (credits_[w.color] > 0) {
      --credits_[w.color];
      HostIn& h = mesh_->host_in();  // keeps the sink's credit return
      h.valid = true;
      h.wavelet = to_sim(w).pack();
      ++sent_;
    }
    cycle();
    if ((mesh_->cycle() & (kChunk - 1)) == 0) progress_check(sig, since, "the host sends");
  }
  // Credits that come back while the mesh runs in chunks would be missed: wait for all.
  while (std::any_of(credits_.begin(), credits_.end(),
                     [](unsigned c) { return c < kQueueDepth; })) {
    cycle();
    progress_check(sig, since, "the host waits for its credits");
  }
}

std::uint64_t RtlRun::setup() {
  const std::uint64_t start = mesh_->cycle();
  feed(program_.setup);
  if (!mesh_->sunk().empty()) {
    throw RtlError(fmt::format("the setup sent {} wavelets back to the host; expected none",
                               mesh_->sunk().size()));
  }
  check_status("after the setup");
  return mesh_->cycle() - start;
}

StepCycles RtlRun::step(const sw::mapper::HostStep& s, std::vector<std::uint32_t>& out) {
  if (!mesh_->sunk().empty()) {
    throw RtlError(fmt::format("{} wavelets reached the host after the previous step's output",
                               mesh_->sunk().size()));
  }
  StepCycles c;
  c.entry = mesh_->cycle();
  feed(s.input);
  std::uint64_t sig = activity_signature();
  std::uint64_t since = mesh_->cycle();
  // Output leaves at most one word per cycle, so a chunk shorter than the output cannot hold
  // both its first and its last word: from the first word on, single cycles give the exact
  // exit cycle.
  const std::uint64_t chunk =
      std::clamp<std::uint64_t>(s.output_words > 1 ? s.output_words - 1 : 1, 1, kChunk);
  while (mesh_->sunk().empty()) {
    mesh_->run(chunk);
    check_status("while the mesh computes");  // an error fails at once, not at the watchdog
    progress_check(sig, since, "the mesh computes");
  }
  while (mesh_->sunk().size() < s.output_words) {
    mesh_->step();
    if ((mesh_->cycle() & (kChunk - 1)) == 0) progress_check(sig, since, "the output streams");
  }
  c.exit = mesh_->cycle();
  const auto& got = mesh_->sunk();
  if (got.size() != s.output_words) {
    throw RtlError(fmt::format("{} output words reached the host; the program sends {}",
                               got.size(), s.output_words));
  }
  out.resize(got.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i].ctrl) {
      throw RtlError(fmt::format("output word {} reached the host as a control wavelet", i));
    }
    out[i] = got[i].data;
  }
  mesh_->clear_sunk();
  check_status("after a token");
  return c;
}

void RtlRun::check_status(const char* when) const {
  std::vector<std::string> bad;
  for (unsigned t = 0; t < mesh_->tiles(); ++t) {
    const TileStatus s = mesh_->status(t);
    std::string what;
    if (s.err_code != 0) {
      what += fmt::format(
          " PE error {} ({}) at pc {:#06x}", s.err_code,
          s.err_code < std::size(kPeErrors) ? kPeErrors[s.err_code] : "unknown", s.err_pc);
    }
    for (unsigned b = 0; b < std::size(kRouterErrors); ++b) {
      if ((s.router_err >> b) & 1u) what += fmt::format(" router: {}", kRouterErrors[b]);
    }
    if (s.drops != 0) what += fmt::format(" router dropped {} wavelets", s.drops);
    if (s.sram_err) what += " SRAM access out of range";
    if (s.ecc_uncorr != 0) what += fmt::format(" {} uncorrectable ECC reads", s.ecc_uncorr);
    if (s.halted && s.err_code == 0) what += " PE halted";
    if (!what.empty()) bad.push_back(tile_name(t, mesh_->width()) + ":" + what);
  }
  if (!bad.empty()) {
    throw RtlError(fmt::format("RTL status {} (cycle {}): {}", when, mesh_->cycle(),
                               join_limited(bad)));
  }
}

void RtlRun::stuck(const char* what) const {
  check_status("at a stall");  // an error bit explains a stall best
  std::vector<std::string> busy;
  for (unsigned t = 0; t < mesh_->tiles(); ++t) {
    const Vwm_tile& m = mesh_->tile(t);
    if (m.act_busy_o != 0 || m.act_running_o != 0) {
      busy.push_back(fmt::format("{} {}task {}", tile_name(t, mesh_->width()),
                                 m.act_running_o != 0 ? "running " : "waiting, last ",
                                 m.act_task_o));
    }
  }
  throw RtlError(fmt::format(
      "watchdog: no progress for {} cycles while {} (cycle {}; host sent {} wavelets, {} output "
      "words received); tiles with work: {}",
      opt_.watchdog, what, mesh_->cycle(), sent_, mesh_->sunk().size(),
      busy.empty() ? std::string("none") : join_limited(busy)));
}

}  // namespace wm::sim::wafersim
