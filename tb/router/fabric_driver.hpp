// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Drives a Verilated wm_fabric_mesh: a source queue per ramp, the host port (credit link), random
// backpressure at the ramps and the host, and a monitor that checks every delivery against the
// Scoreboard and every drop against the routing model. Used once per cycle in two halves:
//   drive()  right after the rising edge: set this cycle's inputs;
//   sample() once the design has settled (before the next edge): record this cycle's
//            handshakes and deliveries.
// so it serves a harness coroutine (RisingEdge / ReadOnly) and a bare eval loop alike.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <deque>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <wm/harness/port_bits.hpp>
#include "route_model.hpp"
#include "scoreboard.hpp"
#include "wavelet.hpp"

namespace wm::tb::router {

using wm::harness::get_bits;
using wm::harness::set_bits;

struct DriverOptions {
  double ramp_ready = 1.0;   // chance a ramp takes a color in a cycle (1: no backpressure)
  double host_credit = 1.0;  // chance the host frees a slot of a color in a cycle
  std::uint64_t watchdog = 5000;  // cycles without progress before the test fails
};

template <class Dut>
class FabricDriver {
 public:
  // `hop_latency` is the fabric's HopLatency: drained() needs it to see past the link stages.
  FabricDriver(Dut& dut, const MeshRoutes& routes, unsigned queue_depth, unsigned hop_latency,
               std::uint64_t seed, DriverOptions opt = {})
      : dut_(dut),
        routes_(routes),
        depth_(queue_depth),
        hop_latency_(hop_latency),
        opt_(opt),
        rng_(seed),
        score_(routes.tiles(), routes.colors()),
        sources_(routes.tiles() * (routes.colors() + 1)),
        pending_(routes.tiles(), 0),
        lane_(routes.tiles(), 0),
        offered_(routes.tiles(), kNone),
        seq_((routes.tiles() + 1) * routes.colors(), 0),
        host_credits_(routes.colors(), queue_depth),
        host_held_(routes.colors(), 0),
        drops_(routes.tiles() * kNumErrs, 0),
        link_use_(routes.tiles() * kNumDirs, 0),
        blocked_(routes.tiles(), 0) {}

  const Scoreboard& scoreboard() const { return score_; }
  std::uint64_t cycle() const { return cycle_; }

  // Queues a tagged wavelet of `color` at tile `src`'s ramp, addressed to tile `dst` (the header
  // only matters to addressed colors), and records what the routing model says becomes of it.
  void send(unsigned src, unsigned color, unsigned dst, bool ctrl = false) {
    const unsigned idx = src * routes_.colors() + color % routes_.colors();
    Wavelet w{ctrl, dst % routes_.width(), dst / routes_.width(), color,
              Tag::make(src, seq_[idx]++)};
    enqueue(src, w);
  }
  // A raw wavelet at a ramp (bad colors, off-edge headers) with the model's verdict recorded.
  void send_raw(unsigned src, const Wavelet& w) {
    enqueue(src, w);
  }
  // A wavelet from the host into (0, 0) port W as it is (configuration wavelets).
  void send_from_host(const Wavelet& w) {
    expect(0, w, Dir::W);
    host_queue_.push_back(w.pack());
  }
  // A tagged data wavelet from the host (for static routes that take port W at (0, 0)).
  void send_host_data(unsigned color, unsigned dst) {
    const unsigned host = routes_.tiles();
    Wavelet w{false, dst % routes_.width(), dst / routes_.width(), color,
              Tag::make(host, seq_[host * routes_.colors() + color]++)};
    send_from_host(w);
  }

  // The PE at `tile` refuses `color` (its task is busy) until unblocked.
  void block(unsigned tile, unsigned color, bool on) {
    const std::uint64_t m = std::uint64_t{1} << color;
    blocked_[tile] = on ? (blocked_[tile] | m) : (blocked_[tile] & ~m);
  }
  void set_ramp_ready(double p) { opt_.ramp_ready = p; }
  void set_host_credit(double p) { opt_.host_credit = p; }
  bool idle_sources() const {
    return host_queue_.empty() &&
           std::all_of(pending_.begin(), pending_.end(), [](std::size_t n) { return n == 0; });
  }
  std::size_t pending(unsigned src) const { return pending_[src]; }

  void drive() {
    const unsigned tiles = routes_.tiles(), colors = routes_.colors();
    for (unsigned t = 0; t < tiles; ++t) {
      // Like a PE with one stream per color: offer, round-robin, a color the router can take
      // now (its ready comes from registers), so one full color never holds up the others.
      // The last lane carries colors beyond the router's, which it takes at once.
      offered_[t] = kNone;
      if (pending_[t] > 0) {
        const std::uint64_t ready = get_bits(dut_.ramp_in_ready_o, t * colors, colors);
        for (unsigned k = 1; k <= colors + 1 && offered_[t] == kNone; ++k) {
          const unsigned lane = (lane_[t] + k) % (colors + 1);
          if (!sources_[t * (colors + 1) + lane].empty() &&
              (lane == colors || ((ready >> lane) & 1u))) {
            offered_[t] = lane;
          }
        }
      }
      set_bits(dut_.ramp_in_valid_i, t, 1, offered_[t] != kNone);
      if (offered_[t] != kNone) {
        lane_[t] = offered_[t];
        set_bits(dut_.ramp_in_wavelet_i, t * kWaveletWidth, kWaveletWidth,
                 sources_[t * (colors + 1) + offered_[t]].front());
      }
      std::uint64_t ready = (std::uint64_t{1} << colors) - 1;
      if (opt_.ramp_ready < 1.0) {
        ready = 0;
        for (unsigned c = 0; c < colors; ++c) ready |= std::uint64_t{coin(opt_.ramp_ready)} << c;
      }
      set_bits(dut_.ramp_out_ready_i, t * colors, colors, ready & ~blocked_[t]);
    }
    // Host in: a credit link, so send only with a credit for the color.
    host_sent_ = false;
    if (!host_queue_.empty()) {
      const Wavelet w = Wavelet::unpack(host_queue_.front());
      if (w.color >= colors || host_credits_[w.color] > 0) {
        if (w.color < colors) --host_credits_[w.color];
        dut_.host_in_wavelet_i = host_queue_.front();
        host_queue_.pop_front();
        host_sent_ = true;
      }
    }
    dut_.host_in_valid_i = host_sent_;
    // Host out: hand back credits for the slots the host has emptied.
    std::uint64_t credits = 0;
    for (unsigned c = 0; c < colors; ++c) {
      if (host_held_[c] > 0 && coin(opt_.host_credit)) {
        --host_held_[c];
        credits |= std::uint64_t{1} << c;
      }
    }
    set_bits(dut_.host_out_credit_i, 0, colors, credits);
  }

  void sample() {
    const unsigned tiles = routes_.tiles(), colors = routes_.colors();
    bool progress = false;
    took_in_ = host_sent_;
    for (unsigned t = 0; t < tiles; ++t) {
      if (offered_[t] != kNone) {
        took_in_ = true;
        const unsigned lane = offered_[t];
        if (lane < colors && !get_bits(dut_.ramp_in_ready_o, t * colors + lane, 1)) {
          throw std::runtime_error(fmt::format(
              "cycle {}: tile {} ramp dropped its ready for color {} within the cycle", cycle_,
              t, lane));
        }
        sources_[t * (colors + 1) + lane].pop_front();
        --pending_[t];
        progress = true;
      }
      if (get_bits(dut_.ramp_out_valid_o, t, 1)) {
        const Wavelet w =
            Wavelet::unpack(get_bits(dut_.ramp_out_wavelet_o, t * kWaveletWidth, kWaveletWidth));
        if (w.color >= colors || !get_bits(dut_.ramp_out_ready_i, t * colors + w.color, 1)) {
          throw std::runtime_error(fmt::format(
              "cycle {}: tile {} ramp offered color {} while its consumer was not ready", cycle_,
              t, w.color));
        }
        const std::uint64_t lat = score_.received(t, w, cycle_);
        latency_sum_ += lat;
        latency_max_ = std::max(latency_max_, lat);
        progress = true;
      }
    }
    if (dut_.host_out_valid_o) {
      const Wavelet w = Wavelet::unpack(dut_.host_out_wavelet_o);
      if (w.color >= colors || ++host_held_[w.color] > depth_) {
        throw std::runtime_error(fmt::format(
            "cycle {}: router (0, 0) sent color {} to the host without a credit", cycle_,
            w.color));
      }
      const std::uint64_t lat = score_.received(score_.host(), w, cycle_);
      latency_sum_ += lat;
      latency_max_ = std::max(latency_max_, lat);
      progress = true;
    }
    const std::uint64_t returned = get_bits(dut_.host_in_credit_o, 0, colors);
    for (unsigned c = 0; c < colors; ++c) {
      if ((returned >> c) & 1u) {
        if (++host_credits_[c] > depth_) {
          throw std::runtime_error(fmt::format(
              "cycle {}: router (0, 0) returned a credit for color {} the host never spent",
              cycle_, c));
        }
        progress = true;
      }
    }
    if (count_links_) {
      for (unsigned i = 0; i < tiles * kNumDirs; i += 64) {
        const unsigned n = std::min(64u, tiles * kNumDirs - i);
        std::uint64_t bits = get_bits(dut_.link_valid_o, i, n);
        while (bits) {
          ++link_use_[i + static_cast<unsigned>(std::countr_zero(bits))];
          bits &= bits - 1;
        }
      }
    }
    if (host_sent_) progress = true;
    quiet_ = nothing_visible() ? quiet_ + 1 : 0;
    if (progress || (score_.outstanding() == 0 && idle_sources())) {
      last_progress_ = cycle_;
    } else if (cycle_ - last_progress_ > opt_.watchdog) {
      throw std::runtime_error(fmt::format(
          "watchdog: no progress for {} cycles at cycle {}. Busy queues: {}. Outstanding: {}",
          opt_.watchdog, cycle_, busy_queues(16), score_.describe_outstanding(16)));
    }
    ++cycle_;
  }

  // Nothing left anywhere, as of the last sample: sources empty, every expected wavelet
  // delivered, and nothing seen in a queue or on a link for hop_latency + 1 cycles in a row.
  // Two places hold a wavelet out of sight: a ramp or the host port that took it this cycle
  // (it reaches a queue at the next edge), and a router's output register and all but the last
  // of its link stages (link_valid_o shows the last stage only), for up to HopLatency cycles.
  bool drained() const {
    return quiet_ > hop_latency_ && idle_sources() && score_.outstanding() == 0;
  }

  // The non-empty router queues, as "tile (x, y) in D color c".
  std::string busy_queues(unsigned max) const {
    static constexpr std::array<char, kNumDirs> kDirName{'P', 'W', 'E', 'N', 'S'};
    const unsigned colors = routes_.colors();
    std::string out;
    unsigned shown = 0;
    for (unsigned t = 0; t < routes_.tiles(); ++t) {
      for (unsigned d = 0; d < kNumDirs; ++d) {
        for (unsigned c = 0; c < colors; ++c) {
          if (!get_bits(dut_.busy_o, (t * kNumDirs + d) * colors + c, 1)) continue;
          if (shown++ == max) return out + ", ...";
          out += fmt::format("{}tile ({}, {}) in {} color {}", out.empty() ? "" : ", ",
                             t % routes_.width(), t / routes_.width(), kDirName[d], c);
        }
      }
    }
    return out;
  }

  // Compares every router's sticky error bits and drop counter with the model's drops.
  void check_errors() const {
    for (unsigned t = 0; t < routes_.tiles(); ++t) {
      unsigned want_bits = 0;
      std::uint64_t want_drops = 0;
      for (unsigned e = 0; e < kNumErrs; ++e) {
        if (drops_[t * kNumErrs + e]) want_bits |= 1u << e;
        want_drops += drops_[t * kNumErrs + e];
      }
      const auto bits = static_cast<unsigned>(get_bits(dut_.err_o, t * 4, 4));
      const auto drops = get_bits(dut_.drop_count_o, t * 16, 16);
      if (bits != want_bits || drops != std::min<std::uint64_t>(want_drops, 0xffff)) {
        throw std::runtime_error(fmt::format(
            "tile ({}, {}): error bits {:#06b} and {} drops, the model says {:#06b} and {}",
            t % routes_.width(), t / routes_.width(), bits, drops, want_bits, want_drops));
      }
    }
  }

  // Statistics for benchmarks.
  void count_links(bool on) { count_links_ = on; }
  std::uint64_t link_use(unsigned tile, Dir d) const {
    return link_use_[tile * kNumDirs + static_cast<unsigned>(d)];
  }
  std::uint64_t latency_sum() const { return latency_sum_; }
  std::uint64_t latency_max() const { return latency_max_; }
  void reset_latency() { latency_sum_ = latency_max_ = 0; }

 private:
  // Nothing in any queue or on any link this cycle, and nothing taken in.
  bool nothing_visible() const {
    if (took_in_) return false;
    const unsigned tiles = routes_.tiles();
    const unsigned qbits = tiles * kNumDirs * routes_.colors();
    for (unsigned i = 0; i < qbits; i += 64) {
      if (get_bits(dut_.busy_o, i, std::min(64u, qbits - i))) return false;
    }
    for (unsigned i = 0; i < tiles * kNumDirs; i += 64) {
      if (get_bits(dut_.link_valid_o, i, std::min(64u, tiles * kNumDirs - i))) return false;
    }
    return !dut_.host_out_valid_o;
  }

  void enqueue(unsigned src, const Wavelet& w) {
    expect(src, w, Dir::P);
    const unsigned lane = std::min(w.color, routes_.colors());
    sources_[src * (routes_.colors() + 1) + lane].push_back(w.pack());
    ++pending_[src];
  }

  void expect(unsigned src, const Wavelet& w, Dir in) {
    Outcome& o = outcome_;
    routes_.trace(src, w, in, o);
    for (unsigned t : o.delivered) score_.expect(t, w, cycle_);
    for (unsigned i = 0; i < o.to_host; ++i) score_.expect(score_.host(), w, cycle_);
    for (const Drop& d : o.drops) ++drops_[d.tile * kNumErrs + static_cast<unsigned>(d.why)];
  }

  bool coin(double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p; }

  Dut& dut_;
  const MeshRoutes& routes_;
  unsigned depth_;
  unsigned hop_latency_;
  DriverOptions opt_;
  std::mt19937_64 rng_;
  Scoreboard score_;
  static constexpr unsigned kNone = ~0u;
  // Per (ramp, color lane), the packed wavelets not yet taken. Latency counts from the cycle a
  // wavelet was queued, so source queueing is included, as in the usual latency-load curves.
  std::vector<std::deque<std::uint64_t>> sources_;
  std::vector<std::size_t> pending_;         // per ramp, over all lanes
  std::vector<unsigned> lane_;               // per ramp, the lane offered last (round-robin)
  std::vector<unsigned> offered_;            // per ramp, the lane offered this cycle, or kNone
  std::vector<std::uint32_t> seq_;           // next sequence number per (source, color)
  std::deque<std::uint64_t> host_queue_;
  std::vector<unsigned> host_credits_;       // host -> (0, 0) W, per color
  std::vector<unsigned> host_held_;          // slots the host holds, not yet credited back
  std::vector<std::uint64_t> drops_;         // expected per (tile, Err)
  std::vector<std::uint64_t> link_use_;      // wavelets per (tile, output port)
  Outcome outcome_;                          // reused by every trace
  std::vector<std::uint64_t> blocked_;       // colors each ramp refuses, by block()
  bool host_sent_ = false, count_links_ = false, took_in_ = false;
  unsigned quiet_ = 0;  // samples in a row with nothing_visible()
  std::uint64_t cycle_ = 0, last_progress_ = 0, latency_sum_ = 0, latency_max_ = 0;
};

}  // namespace wm::tb::router
