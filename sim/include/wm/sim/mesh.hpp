// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The composed mesh: W x H instances of one Verilated wm_tile, wired in C++ the way
// rtl/mesh/wm_mesh.sv wires them, with the mesh shape chosen at run time.
//
// Cycle semantics. Every signal that crosses a tile boundary leaves a register, and no tile
// output depends combinationally on a link input (wm_tile's header). So a cycle is: give every
// tile the link outputs its neighbours had after the previous edge, clock it (eval at clk 1,
// then at clk 0), record its new link outputs. Tiles never read each other during a cycle, so
// their order does not matter and they may be evaluated in several threads; the outputs are
// double-buffered (cycle k reads buffer k % 2 and writes the other), which leaves one barrier
// per cycle. tb/mesh proves this equal to the Verilog wm_mesh cycle by cycle.
#pragma once

#include <verilated.h>
#include <verilated_fst_c.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <fmt/format.h>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "wm/sim/activity.hpp"
#include "wm/sim/barrier.hpp"
#include "wm/sim/wavelet.hpp"

namespace wm::sim {

/// FST waves of chosen tiles over a window of cycles [begin, end): one file per tile,
/// `<directory>/tile_<x>_<y>.fst`. Empty `tiles`: no tracing.
struct TraceOptions {
  std::vector<unsigned> tiles;
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  std::string directory = ".";
};

struct MeshOptions {
  unsigned width = 8;
  unsigned height = 8;
  unsigned threads = 1;         ///< tiles are evaluated in this many threads (contiguous slices)
  /// Runs shorter than this stay in the calling thread: waking the workers costs more than a
  /// few cycles (a host stepping cycle by cycle), and the result is the same either way.
  std::uint64_t min_parallel_cycles = 64;
  bool count_activity = false;  ///< accumulate TileActivity every cycle
  /// With count_activity: keep every PE's task spans (task_spans()), for timelines.
  bool record_tasks = false;
  TraceOptions trace;
};

/// The host port of tile (0, 0), west side: what the host drives into the next cycle.
/// run() consumes it in the first cycle it simulates and then clears it, so a credit pulse or
/// a wavelet is never repeated.
struct HostIn {
  bool valid = false;
  std::uint64_t wavelet = 0;     ///< Wavelet::pack()
  std::uint32_t out_credit = 0;  ///< bit c: the host freed a slot of color c
};
/// What the host port showed after the last cycle.
struct HostOut {
  std::uint32_t in_credit = 0;  ///< bit c: a slot of color c at (0, 0) port W was freed
  bool valid = false;
  std::uint64_t wavelet = 0;
};

/// One tile's link outputs after a cycle (wm_tile out_valid_o, out_wavelet_o, in_credit_o).
struct LinkOut {
  std::uint8_t valid = 0;                         ///< bit d: a wavelet left on port d
  std::array<std::uint64_t, kNumDirs> wavelet{};  ///< port d's wavelet (P: unused)
  std::uint64_t credit = 0;                       ///< bit d*kColors+c: credit pulse
};

struct TileStatus {
  bool halted = false;
  unsigned err_code = 0;
  unsigned err_pc = 0;
  unsigned router_err = 0;
  unsigned drops = 0;
  bool sram_err = false;
  unsigned ecc_corr = 0;
  unsigned ecc_uncorr = 0;
  friend bool operator==(const TileStatus&, const TileStatus&) = default;
};

namespace detail {

// A 48-bit field of a Verilated wide port (VlWide of 32-bit words).
template <class Wide>
std::uint64_t get_field(const Wide& w, unsigned lsb) {
  const unsigned word = lsb / 32, off = lsb % 32;
  std::uint64_t v = (std::uint64_t{w[word + 1]} << 32 | w[word]) >> off;
  if (off > 64 - kWaveletBits) v |= std::uint64_t{w[word + 2]} << (64 - off);
  return v & ((std::uint64_t{1} << kWaveletBits) - 1);
}
template <class Wide>
void set_field(Wide& w, unsigned lsb, std::uint64_t v) {
  for (unsigned i = 0; i < kWaveletBits;) {
    const unsigned b = lsb + i, off = b % 32, n = std::min(32 - off, kWaveletBits - i);
    const std::uint32_t mask = static_cast<std::uint32_t>(((std::uint64_t{1} << n) - 1) << off);
    w[b / 32] = (w[b / 32] & ~mask) | (static_cast<std::uint32_t>((v >> i) << off) & mask);
    i += n;
  }
}

// Stands in for VerilatedFstC when the tile model was built without TRACE, so a mesh over such
// a model links without Verilator's FST writer.
struct NoFst {
  void open(const char*) {}
  [[nodiscard]] bool isOpen() const { return false; }
  void close() {}
  void dump(std::uint64_t) {}
};

}  // namespace detail

/// `Tile` is the Verilated wm_tile class (Vwm_tile). wm_sim instantiates it once
/// (tile_mesh.hpp); tb/mesh instantiates it again for its own copy of the model.
template <class Tile>
class BasicMesh {
 public:
  /// The model was built with TRACE (wm_verilated_model ... TRACE): FST waves are available.
  static constexpr bool kTraceable = requires(Tile& tile, VerilatedFstC* f) {
    tile.trace(f, 99);
  };

  explicit BasicMesh(MeshOptions opt) : opt_(std::move(opt)) {
    if (opt_.width < 1 || opt_.width > 32 || opt_.height < 1 || opt_.height > 32) {
      throw std::invalid_argument(fmt::format(
          "mesh {}x{}: width and height must be 1 to 32 (5-bit coordinates)", opt_.width,
          opt_.height));
    }
    const unsigned n = tiles();
    if (opt_.threads < 1 || opt_.threads > n) {
      throw std::invalid_argument(fmt::format(
          "mesh {}x{}: {} threads; use 1 to {} (one tile at least per thread)", opt_.width,
          opt_.height, opt_.threads, n));
    }
    traced_.assign(n, nullptr);
    for (unsigned t : opt_.trace.tiles) {
      if (t >= n) {
        throw std::invalid_argument(
            fmt::format("trace: tile {} is outside the {}x{} mesh", t, opt_.width, opt_.height));
      }
    }
    if (!opt_.trace.tiles.empty() && opt_.trace.begin >= opt_.trace.end) {
      throw std::invalid_argument(fmt::format("trace: empty cycle window [{}, {})",
                                              opt_.trace.begin, opt_.trace.end));
    }
    contexts_.reserve(n);
    tiles_.reserve(n);
    for (unsigned t = 0; t < n; ++t) {
      const unsigned x = t % opt_.width, y = t / opt_.width;
      // One context per tile: tiles in different threads then share no Verilator state.
      auto& ctx = contexts_.emplace_back(std::make_unique<VerilatedContext>());
      const bool traced = std::find(opt_.trace.tiles.begin(), opt_.trace.tiles.end(), t) !=
                          opt_.trace.tiles.end();
      if (traced) ctx->traceEverOn(true);
      auto& m = *tiles_.emplace_back(
          std::make_unique<Tile>(ctx.get(), fmt::format("tile_{}_{}", x, y).c_str()));
      m.clk_i = 0;
      m.rst_ni = 0;
      m.x_i = static_cast<std::uint8_t>(x);
      m.y_i = static_cast<std::uint8_t>(y);
      m.max_x_i = static_cast<std::uint8_t>(opt_.width - 1);
      m.max_y_i = static_cast<std::uint8_t>(opt_.height - 1);
      m.edge_open_i = static_cast<std::uint8_t>(t == 0 ? bit(Dir::W) : 0);
      m.in_valid_i = 0;
      m.out_credit_i = 0;
      if (traced) {
        if constexpr (kTraceable) {
          traces_.push_back(std::make_unique<Fst>());
          m.trace(traces_.back().get(), 99);
          traced_[t] = traces_.back().get();
        } else {
          throw std::invalid_argument("trace: this wm_tile model was built without TRACE");
        }
      }
      m.eval();  // time 0: clock low, reset asserted
    }
    // Neighbour of each port, as wm_mesh wires them; the host at (0, 0) port W.
    nbr_.assign(std::size_t{n} * kNumDirs, kNone);
    for (unsigned t = 0; t < n; ++t) {
      const unsigned x = t % opt_.width, y = t / opt_.width;
      if (x > 0) nbr_[t * kNumDirs + 1] = t - 1;
      else if (y == 0) nbr_[t * kNumDirs + 1] = kHost;
      if (x + 1 < opt_.width) nbr_[t * kNumDirs + 2] = t + 1;
      if (y > 0) nbr_[t * kNumDirs + 3] = t - opt_.width;
      if (y + 1 < opt_.height) nbr_[t * kNumDirs + 4] = t + opt_.width;
    }
    for (auto& buf : out_) buf.assign(n, LinkOut{});
    for (unsigned t = 0; t < n; ++t) push(t, out_[0][t]);
    activity_.assign(n, TileActivity{});
    marks_.assign(n, {});
    next_mark_.assign(n, 0);
    hits_.assign(n, {});
    spans_.assign(n, {});
    open_.assign(n, OpenSpan{});
    if (opt_.record_tasks) {
      for (auto& s : spans_) s.reserve(kRecordReserve);
    }
    // Contiguous slices; the host port's tile 0 is in slice 0, the calling thread's.
    for (unsigned i = 0; i <= opt_.threads; ++i) bounds_.push_back(n * i / opt_.threads);
    if (opt_.threads > 1) {
      barrier_ = std::make_unique<SpinBarrier>(opt_.threads);
      for (unsigned i = 1; i < opt_.threads; ++i) workers_.emplace_back([this, i] { work(i); });
    }
  }

  BasicMesh(const BasicMesh&) = delete;
  BasicMesh& operator=(const BasicMesh&) = delete;

  ~BasicMesh() {
    stop_.store(true, std::memory_order_release);
    job_.fetch_add(1, std::memory_order_acq_rel);
    job_.notify_all();
    for (auto& w : workers_) w.join();
    // Runs the tiles' final blocks, as Verilator expects before a model is destroyed; in the
    // regression's coverage build that is what writes each tile's counts.
    for (auto& m : tiles_) m->final();
    for (auto* f : traced_) {
      if (f != nullptr && f->isOpen()) f->close();
    }
  }

  [[nodiscard]] unsigned width() const { return opt_.width; }
  [[nodiscard]] unsigned height() const { return opt_.height; }
  [[nodiscard]] unsigned tiles() const { return opt_.width * opt_.height; }
  [[nodiscard]] unsigned threads() const { return opt_.threads; }
  /// Each cycle costs one eval() per tile, not two (see kOneEvalPerCycle).
  [[nodiscard]] static constexpr bool one_eval_per_cycle() { return kOneEvalPerCycle; }
  /// Cycles simulated since construction.
  [[nodiscard]] std::uint64_t cycle() const { return cycle_; }

  /// Drives rst_ni of every tile (as wm_mesh's one rst_ni) from the next cycle on.
  void set_reset(bool asserted) {
    for (auto& m : tiles_) m->rst_ni = asserted ? 0 : 1;
  }

  HostIn& host_in() { return host_in_; }

  /// While on, the mesh is its own always-ready host sink: every wavelet leaving tile (0, 0)
  /// westward is appended to sunk() and its credit returned the next cycle, so long runs need
  /// no host step per cycle. HostIn::out_credit is then the mesh's to drive.
  void set_host_sink(bool on) {
    sink_on_ = on;
    if (on) sunk_.reserve(sunk_.size() + kSinkReserve);
  }
  [[nodiscard]] const std::vector<Wavelet>& sunk() const { return sunk_; }
  void clear_sunk() { sunk_.clear(); }
  [[nodiscard]] HostOut host_out() const {
    const LinkOut& o = out_[cycle_ & 1][0];
    constexpr unsigned w = static_cast<unsigned>(Dir::W);
    return HostOut{static_cast<std::uint32_t>((o.credit >> (w * kColors)) & kColorMask),
                   ((o.valid >> w) & 1u) != 0, o.wavelet[w]};
  }

  /// Simulates `cycles` clock cycles.
  void run(std::uint64_t cycles) {
    const auto& tr = opt_.trace;
    while (cycles > 0) {
      std::uint64_t chunk = cycles;
      if (!traces_.empty()) {
        if (cycle_ < tr.begin) chunk = std::min(chunk, tr.begin - cycle_);
        else if (cycle_ < tr.end) chunk = std::min(chunk, tr.end - cycle_);
        if (cycle_ == tr.begin) open_traces();
      }
      run_chunk(chunk);
      cycles -= chunk;
      if (!traces_.empty() && cycle_ == tr.end) close_traces();
    }
  }
  void step() { run(1); }

  [[nodiscard]] Tile& tile(unsigned t) { return *tiles_.at(t); }
  [[nodiscard]] const Tile& tile(unsigned t) const { return *tiles_.at(t); }
  [[nodiscard]] unsigned index(unsigned x, unsigned y) const { return y * opt_.width + x; }
  /// Link outputs of tile t after the last cycle.
  [[nodiscard]] const LinkOut& link_out(unsigned t) const { return out_[cycle_ & 1].at(t); }

  [[nodiscard]] TileStatus status(unsigned t) const {
    const Tile& m = *tiles_.at(t);
    return TileStatus{m.pe_halted_o != 0, m.pe_err_code_o,  m.pe_err_pc_o,
                      m.router_err_o,     m.drop_count_o,   m.sram_err_o != 0,
                      m.ecc_corr_cnt_o,   m.ecc_uncorr_cnt_o};
  }
  [[nodiscard]] bool all_halted() const {
    return std::all_of(tiles_.begin(), tiles_.end(), [](const auto& m) { return m->pe_halted_o; });
  }
  [[nodiscard]] const TileActivity& activity(unsigned t) const { return activity_.at(t); }

  /// Watches tile t's PE for the instructions at `pcs`, expected in that order and then again
  /// from the first (a program that runs once per host step); consecutive equal pcs are all
  /// reached by one retire. Counted with count_activity.
  void set_marks(unsigned t, std::vector<std::uint16_t> pcs) {
    marks_.at(t) = std::move(pcs);
    next_mark_.at(t) = 0;
    hits_.at(t).reserve(kRecordReserve);
  }
  [[nodiscard]] const std::vector<MarkHit>& mark_hits(unsigned t) const { return hits_.at(t); }
  /// Spans of tasks that have ended (MeshOptions::record_tasks), in order.
  [[nodiscard]] const std::vector<TaskSpan>& task_spans(unsigned t) const {
    return spans_.at(t);
  }
  /// Forgets mark hits and task spans (a task still running keeps its begin).
  void clear_records() {
    for (auto& h : hits_) h.clear();
    for (auto& s : spans_) s.clear();
  }

 private:
  using Fst = std::conditional_t<kTraceable, VerilatedFstC, detail::NoFst>;
  static constexpr unsigned kNone = ~0u;
  static constexpr unsigned kHost = ~0u - 1;
  static constexpr std::uint64_t kColorMask = (std::uint64_t{1} << kColors) - 1;

  // One eval() per cycle instead of two. Verilator 5 re-runs all input-dependent combinational
  // logic on every eval() call, and the falling-edge eval does nothing else here (wm_tile has
  // no negedge logic and its inputs do not change between the two evals), so it cost about a
  // third of the run time. Without it the clock stays high, and the model would see no rising
  // edge next cycle: its edge detector compares clk_i with the value it sampled at the last
  // eval, which is Verilator-internal state (5.006's name below). When that member is not
  // there (another Verilator), the mesh falls back to two evals. tb/mesh's cycle-equivalence
  // test against the Verilog wm_mesh runs this path.
  static constexpr bool kOneEvalPerCycle = requires(Tile& tile) {
    tile.rootp->__Vtrigrprev__TOP__clk_i = 0;
  };
  static void rising_edge(Tile& m) {
    if constexpr (kOneEvalPerCycle) m.rootp->__Vtrigrprev__TOP__clk_i = 0;
    m.clk_i = 1;
    m.eval();
  }

  // Inputs of tile t from its neighbours' outputs of the previous cycle.
  void pull(unsigned t, const std::vector<LinkOut>& prev) {
    Tile& m = *tiles_[t];
    unsigned valid = 0;
    std::uint64_t credit = 0;
    for (unsigned d = 1; d < kNumDirs; ++d) {
      const unsigned n = nbr_[t * kNumDirs + d];
      std::uint64_t w = 0, c = 0;
      unsigned v = 0;
      if (n < kHost) {
        const LinkOut& o = prev[n];
        const unsigned od = static_cast<unsigned>(opposite(static_cast<Dir>(d)));
        v = (o.valid >> od) & 1u;
        w = o.wavelet[od];
        c = (o.credit >> (od * kColors)) & kColorMask;
      } else if (n == kHost) {
        v = host_in_.valid ? 1u : 0u;
        w = host_in_.wavelet;
        c = host_in_.out_credit & kColorMask;
        host_in_ = HostIn{};  // one cycle only
      }
      valid |= v << d;
      credit |= c << (d * kColors);
      detail::set_field(m.in_wavelet_i, d * kWaveletBits, w);
    }
    m.in_valid_i = static_cast<std::uint8_t>(valid);
    m.out_credit_i = credit;
  }

  void push(unsigned t, LinkOut& o) const {
    const Tile& m = *tiles_[t];
    o.valid = m.out_valid_o;
    for (unsigned d = 1; d < kNumDirs; ++d) {
      o.wavelet[d] = detail::get_field(m.out_wavelet_o, d * kWaveletBits);
    }
    o.credit = m.in_credit_o;
  }

  void record_task(unsigned t, const Tile& m, std::uint64_t now) {
    OpenSpan& o = open_[t];
    const bool running = m.act_running_o != 0;
    if (o.open && (!running || m.act_task_start_o)) {
      spans_[t].push_back(TaskSpan{o.begin, now, o.task});
      o.open = false;
    }
    if (running && !o.open) o = OpenSpan{now, m.act_task_o, true};
  }

  void sink(const LinkOut& o) {
    constexpr unsigned w = static_cast<unsigned>(Dir::W);
    if (((o.valid >> w) & 1u) == 0) return;
    const Wavelet wv = Wavelet::unpack(o.wavelet[w]);
    sunk_.push_back(wv);  // reserved: allocates only past kSinkReserve wavelets
    host_in_.out_credit |= 1u << (wv.color % kColors);
  }

  void count(unsigned t, std::uint64_t now) {
    const Tile& m = *tiles_[t];
    TileActivity& a = activity_[t];
    if (opt_.record_tasks) record_task(t, m, now);
    if (m.act_retire_o && !marks_[t].empty() && m.act_pc_o == marks_[t][next_mark_[t]]) {
      // Consecutive marks may share a pc (a phase empty on this tile): all are reached here.
      const auto n = static_cast<unsigned>(marks_[t].size());
      for (unsigned i = 0; i < n && marks_[t][next_mark_[t]] == m.act_pc_o; ++i) {
        hits_[t].push_back(MarkHit{now, next_mark_[t], a});  // reserved; grows rarely
        next_mark_[t] = (next_mark_[t] + 1) % n;
      }
    }
    a.busy += m.act_busy_o;
    a.running += m.act_running_o;
    a.task_starts += m.act_task_start_o;
    a.retired += m.act_retire_o;
    a.elems += m.act_elem_o;
    a.macs += m.act_mac_o;
    a.ramp_rx += m.act_ramp_rx_o;
    a.ramp_tx += m.act_ramp_tx_o;
    for (unsigned d = 1; d < kNumDirs; ++d) a.link[d] += (m.out_valid_o >> d) & 1u;
  }

  // Cycle k of tiles [lo, hi).
  void cycle_slice(unsigned lo, unsigned hi, std::uint64_t k, bool tracing) {
    const auto& prev = out_[k & 1];
    auto& next = out_[(k + 1) & 1];
    for (unsigned t = lo; t < hi; ++t) {
      pull(t, prev);
      Tile& m = *tiles_[t];
      if (tracing && traced_[t] != nullptr) {
        rising_edge(m);
        traced_[t]->dump(2 * k + 1);
        m.clk_i = 0;
        m.eval();
        traced_[t]->dump(2 * k + 2);
      } else if constexpr (kOneEvalPerCycle) {
        rising_edge(m);
      } else {
        rising_edge(m);
        m.clk_i = 0;
        m.eval();
      }
      push(t, next[t]);
      if (t == 0 && sink_on_) sink(next[0]);
      if (opt_.count_activity) count(t, k + 1);
    }
  }

  void run_chunk(std::uint64_t n) {
    const bool tracing = tracing_;
    if (opt_.threads == 1 || n < opt_.min_parallel_cycles) {
      for (std::uint64_t i = 0; i < n; ++i) cycle_slice(0, tiles(), cycle_ + i, tracing);
    } else {
      job_cycles_ = n;
      job_first_ = cycle_;
      job_tracing_ = tracing;
      job_.fetch_add(1, std::memory_order_acq_rel);
      job_.notify_all();
      slice_cycles(0, n, cycle_, tracing);
    }
    cycle_ += n;
  }

  void slice_cycles(unsigned i, std::uint64_t n, std::uint64_t first, bool tracing) {
    for (std::uint64_t c = 0; c < n; ++c) {
      cycle_slice(bounds_[i], bounds_[i + 1], first + c, tracing);
      barrier_->arrive_and_wait();
    }
  }

  // A worker thread: waits for a job (a run of cycles), simulates its slice, repeats.
  void work(unsigned i) {
    std::uint64_t seen = 0;
    for (;;) {
      job_.wait(seen, std::memory_order_acquire);
      seen = job_.load(std::memory_order_acquire);
      if (stop_.load(std::memory_order_acquire)) return;
      slice_cycles(i, job_cycles_, job_first_, job_tracing_);
    }
  }

  void open_traces() {
    for (unsigned t = 0; t < tiles(); ++t) {
      if (traced_[t] == nullptr) continue;
      const std::string path = fmt::format("{}/tile_{}_{}.fst", opt_.trace.directory,
                                           t % opt_.width, t / opt_.width);
      traced_[t]->open(path.c_str());
      if (!traced_[t]->isOpen()) {
        throw std::runtime_error(fmt::format("trace: cannot open {} for writing", path));
      }
    }
    tracing_ = true;
  }
  void close_traces() {
    for (auto* f : traced_) {
      if (f != nullptr) f->close();
    }
    tracing_ = false;
  }

  MeshOptions opt_;
  std::vector<std::unique_ptr<VerilatedContext>> contexts_;
  std::vector<std::unique_ptr<Tile>> tiles_;
  std::vector<std::unique_ptr<Fst>> traces_;
  std::vector<Fst*> traced_;  // per tile, null when not traced
  bool tracing_ = false;
  std::vector<unsigned> nbr_;           // tile t, port d at [t*kNumDirs + d]
  std::array<std::vector<LinkOut>, 2> out_;
  std::vector<TileActivity> activity_;
  struct OpenSpan {
    std::uint64_t begin = 0;
    unsigned task = 0;
    bool open = false;
  };
  static constexpr std::size_t kRecordReserve = 4096;
  std::vector<std::vector<std::uint16_t>> marks_;
  std::vector<unsigned> next_mark_;
  std::vector<std::vector<MarkHit>> hits_;
  std::vector<std::vector<TaskSpan>> spans_;
  std::vector<OpenSpan> open_;
  HostIn host_in_;
  static constexpr std::size_t kSinkReserve = 1 << 16;
  bool sink_on_ = false;
  std::vector<Wavelet> sunk_;
  std::uint64_t cycle_ = 0;

  std::vector<unsigned> bounds_;  // slice i = tiles [bounds_[i], bounds_[i+1])
  std::unique_ptr<SpinBarrier> barrier_;
  std::vector<std::jthread> workers_;
  std::atomic<std::uint64_t> job_{0};
  std::atomic<bool> stop_{false};
  std::uint64_t job_cycles_ = 0, job_first_ = 0;  // published by job_'s release
  bool job_tracing_ = false;
};

}  // namespace wm::sim
