// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The host side of the mesh's host port: a credit-based sender with a queue of wavelets, and a
// sink that takes everything the mesh sends and returns its credits. Independent of the model,
// so one HostLink can drive the composed mesh and another the Verilog wm_mesh identically.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <vector>

#include "wm/sim/mesh.hpp"

namespace wm::sim {

class HostLink {
 public:
  /// Queues a wavelet; it leaves in order as its color has credit at tile (0, 0).
  void send(const Wavelet& w) { queue_.push_back(w); }

  /// The port inputs for the next cycle (call once per cycle, before it).
  [[nodiscard]] HostIn drive() {
    HostIn in;
    in.out_credit = return_;
    return_ = 0;
    if (!queue_.empty() && credits_[queue_.front().color % kColors] > 0) {
      --credits_[queue_.front().color % kColors];
      in.valid = true;
      in.wavelet = queue_.front().pack();
      queue_.pop_front();
    }
    return in;
  }

  /// The port outputs after that cycle.
  void observe(const HostOut& out) {
    for (unsigned c = 0; c < kColors; ++c) credits_[c] += (out.in_credit >> c) & 1u;
    if (out.valid) {
      const Wavelet w = Wavelet::unpack(out.wavelet);
      received_.push_back(w);
      return_ |= 1u << (w.color % kColors);  // the host consumes at once: credit next cycle
    }
  }

  [[nodiscard]] bool idle() const { return queue_.empty(); }
  [[nodiscard]] std::size_t queued() const { return queue_.size(); }
  [[nodiscard]] const std::vector<Wavelet>& received() const { return received_; }
  void clear_received() { received_.clear(); }

 private:
  std::deque<Wavelet> queue_;
  std::array<unsigned, kColors> credits_ = [] {
    std::array<unsigned, kColors> a{};
    a.fill(kQueueDepth);
    return a;
  }();
  std::uint32_t return_ = 0;
  std::vector<Wavelet> received_;
};

/// One cycle of `mesh` with `host` on its host port.
template <class M>
void host_step(M& mesh, HostLink& host) {
  mesh.host_in() = host.drive();
  mesh.step();
  host.observe(mesh.host_out());
}

}  // namespace wm::sim
