// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "scoreboard.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace wm::tb::router {

Scoreboard::Scoreboard(unsigned tiles, unsigned colors)
    : tiles_(tiles), colors_(colors), streams_((tiles + 1) * (tiles + 1) * colors) {}

std::string Scoreboard::endpoint(unsigned e) const {
  return e == tiles_ ? std::string("host") : fmt::format("tile {}", e);
}

std::deque<Scoreboard::Expected>& Scoreboard::stream(unsigned dst, unsigned src, unsigned color) {
  return streams_[(dst * (tiles_ + 1) + src) * colors_ + color];
}

void Scoreboard::expect(unsigned dst, const Wavelet& w, std::uint64_t sent) {
  const unsigned src = Tag::src(w.data);
  if (dst > tiles_ || src > tiles_ || w.color >= colors_) {
    throw std::logic_error(fmt::format("expect: endpoint {}, source {} or color {} out of range",
                                       dst, src, w.color));
  }
  stream(dst, src, w.color).push_back({w.data, sent});
  ++outstanding_;
}

std::uint64_t Scoreboard::received(unsigned dst, const Wavelet& w, std::uint64_t cycle) {
  const unsigned src = Tag::src(w.data);
  if (src > tiles_ || w.color >= colors_) {
    throw std::runtime_error(fmt::format(
        "cycle {}: endpoint {} got a wavelet from unknown source {} color {} (data {:#010x})",
        cycle, dst, src, w.color, w.data));
  }
  auto& s = stream(dst, src, w.color);
  if (s.empty()) {
    throw std::runtime_error(fmt::format(
        "cycle {}: {} got seq {} from {} color {} that it should not (duplicate or misrouted)",
        cycle, endpoint(dst), Tag::seq(w.data), endpoint(src), w.color));
  }
  if (s.front().data != w.data) {
    throw std::runtime_error(fmt::format(
        "cycle {}: {} got seq {} from {} color {}, expected seq {} (out of order or lost)",
        cycle, endpoint(dst), Tag::seq(w.data), endpoint(src), w.color,
        Tag::seq(s.front().data)));
  }
  const std::uint64_t latency = cycle - s.front().sent;
  s.pop_front();
  --outstanding_;
  ++delivered_;
  return latency;
}

std::uint64_t Scoreboard::outstanding(unsigned color) const {
  std::uint64_t n = 0;
  for (std::size_t i = color; i < streams_.size(); i += colors_) n += streams_[i].size();
  return n;
}

std::string Scoreboard::describe_outstanding(unsigned max) const {
  std::string out;
  unsigned shown = 0;
  for (unsigned dst = 0; dst <= tiles_; ++dst) {
    for (unsigned src = 0; src <= tiles_; ++src) {
      for (unsigned c = 0; c < colors_; ++c) {
        const auto& s = streams_[(dst * (tiles_ + 1) + src) * colors_ + c];
        if (s.empty()) continue;
        if (shown++ == max) return out + "; ...";
        out += fmt::format("{}{} waiting at {} from {} color {} (next seq {})",
                           out.empty() ? "" : "; ", s.size(), endpoint(dst), endpoint(src), c,
                           Tag::seq(s.front().data));
      }
    }
  }
  return out;
}

}  // namespace wm::tb::router
