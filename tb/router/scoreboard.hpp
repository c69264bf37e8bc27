// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Checks what the fabric delivers: every expected wavelet exactly once, at the right endpoint,
// in order per (source, color), and nothing else.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "wavelet.hpp"

namespace wm::tb::router {

// The payload of a test wavelet names its source (a tile, or the host: number `tiles`) and its
// sequence number within (source, color), so a delivery can be traced back. Bits 31:30 stay 0:
// never a configuration opcode.
struct Tag {
  static constexpr unsigned kSeqBits = 19;
  static constexpr std::uint32_t make(unsigned src, std::uint32_t seq) {
    return (std::uint32_t{src} << kSeqBits) | (seq & ((1u << kSeqBits) - 1));
  }
  static constexpr unsigned src(std::uint32_t data) { return (data >> kSeqBits) & 0x7FFu; }
  static constexpr std::uint32_t seq(std::uint32_t data) {
    return data & ((1u << kSeqBits) - 1);
  }
};

class Scoreboard {
 public:
  // Endpoints (and sources) are the tiles' ramps, 0 .. tiles-1, and the host, `tiles`.
  Scoreboard(unsigned tiles, unsigned colors);

  unsigned host() const { return tiles_; }

  // `w` (carrying a Tag), offered to the fabric in cycle `sent`, will arrive at endpoint `dst`.
  void expect(unsigned dst, const Wavelet& w, std::uint64_t sent);
  // `w` arrived at endpoint `dst` in `cycle`: returns its latency in cycles, or throws
  // std::runtime_error saying what went wrong.
  std::uint64_t received(unsigned dst, const Wavelet& w, std::uint64_t cycle);

  std::uint64_t outstanding() const { return outstanding_; }
  // Expected but not yet delivered, of one color (a scan: not for every cycle).
  std::uint64_t outstanding(unsigned color) const;
  std::uint64_t delivered() const { return delivered_; }
  // The first `max` streams still waiting, for a watchdog's message.
  std::string describe_outstanding(unsigned max) const;

 private:
  struct Expected {
    std::uint32_t data;
    std::uint64_t sent;
  };
  std::deque<Expected>& stream(unsigned dst, unsigned src, unsigned color);
  std::string endpoint(unsigned e) const;

  unsigned tiles_, colors_;
  // Expected payloads per (destination, source, color), oldest first.
  std::vector<std::deque<Expected>> streams_;
  std::uint64_t outstanding_ = 0, delivered_ = 0;
};

}  // namespace wm::tb::router
