// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sw/meshsim/mesh_sim.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>

namespace wm::sw::meshsim {

namespace {
constexpr unsigned kNumPorts = 5;
constexpr unsigned kP = 0, kW = 1, kE = 2, kN = 3, kS = 4;
constexpr std::array<const char*, kNumPorts> kPortName = {"P", "W", "E", "N", "S"};
constexpr std::array<unsigned, kNumPorts> kOpposite = {kP, kE, kW, kS, kN};
constexpr std::array<int, kNumPorts> kDx = {0, -1, 1, 0, 0};
constexpr std::array<int, kNumPorts> kDy = {0, 0, 0, -1, 1};
constexpr std::uint32_t kConfigCmd = 0xF;
constexpr std::uint8_t kModeStatic = 1;
constexpr std::uint8_t kModeAddressed = 2;
}  // namespace

MeshSim::MeshSim(int width, int height, const Options& options)
    : width_(width), height_(height), opt_(options), rng_(options.seed) {
  if (width < 1 || height < 1 || width > 32 || height > 32) {
    throw std::invalid_argument(fmt::format("mesh {}x{}: each side must be 1..32", width, height));
  }
  if (opt_.queue_depth < 1 || opt_.max_burst < 1) {
    throw std::invalid_argument("meshsim: queue_depth and max_burst must be >= 1");
  }
  const auto n = static_cast<std::size_t>(width * height);
  tiles_.reserve(n);
  for (std::size_t t = 0; t < n; ++t) {
    ref::Config c{opt_.mem_words, opt_.num_colors, ref::EngineTiming::eager};
    if (opt_.mix_engine_timing && (rng_() & 1) != 0) {
      c.timing = ref::EngineTiming::lazy;
    }
    tiles_.emplace_back(c);
    tiles_.back().queues.resize(kNumPorts * opt_.num_colors);
    tiles_.back().routes.resize(opt_.num_colors);
  }
  order_.resize(n + 1);
}

void MeshSim::host_send(std::span<const Wavelet> wavelets) {
  host_in_.insert(host_in_.end(), wavelets.begin(), wavelets.end());
}

void MeshSim::error(std::size_t t, unsigned port, unsigned color, const char* what) const {
  throw MeshError(fmt::format("tile ({}, {}) input {} color {}: {}", static_cast<int>(t) % width_,
                              static_cast<int>(t) / width_, kPortName.at(port), color, what));
}

bool MeshSim::has_room(std::size_t t, unsigned port, unsigned color) const {
  const Tile& tile = tiles_[t];
  if (port == kP) {
    return tile.pe.input_size(color) < opt_.queue_depth;
  }
  if (t == 0 && port == kW) {
    return true;  // the host takes whatever arrives
  }
  const int x = static_cast<int>(t) % width_ + kDx.at(port);
  const int y = static_cast<int>(t) / width_ + kDy.at(port);
  return tiles_[index(x, y)].queues[kOpposite.at(port) * opt_.num_colors + color].q.size() <
         opt_.queue_depth;
}

bool MeshSim::deliver(std::size_t t, unsigned port, const Wavelet& w) {
  ++hops_;
  if (port == kP) {
    tiles_[t].pe.push_input(w);
    return true;
  }
  if (t == 0 && port == kW) {
    if (w.ctrl) {
      error(t, port, w.color, "a control wavelet left through the host port");
    }
    host_out_.push_back(w);
    return true;
  }
  const int x = static_cast<int>(t) % width_ + kDx.at(port);
  const int y = static_cast<int>(t) / width_ + kDy.at(port);
  tiles_[index(x, y)].queues[kOpposite.at(port) * opt_.num_colors + w.color].q.push_back(w);
  return true;
}

bool MeshSim::forward(std::size_t t, unsigned port, unsigned color) {
  Tile& tile = tiles_[t];
  Queue& queue = tile.queues[port * opt_.num_colors + color];
  const Wavelet w = queue.q.front();
  const int x = static_cast<int>(t) % width_;
  const int y = static_cast<int>(t) / width_;
  unsigned xy = kP;
  if (w.dst_x > x) {
    xy = kE;
  } else if (w.dst_x < x) {
    xy = kW;
  } else if (w.dst_y > y) {
    xy = kS;
  } else if (w.dst_y < y) {
    xy = kN;
  }
  const bool is_cfg = w.ctrl && (w.data >> 28) == kConfigCmd;
  const RouteEntry& entry = tile.routes[color];
  std::uint8_t route = 0;
  if (is_cfg || entry.mode == kModeAddressed) {
    if (is_cfg && xy == kP) {
      const unsigned set = (w.data >> 23) & 0x1F;
      if (set >= opt_.num_colors) {
        error(t, port, color, "configuration of a color the router does not have");
      }
      tile.routes[set] = {static_cast<std::uint8_t>((w.data >> 21) & 3),
                          static_cast<std::uint8_t>((w.data >> 5) & 0x1F),
                          static_cast<std::uint8_t>(w.data & 0x1F)};
      queue.q.pop_front();
      return true;
    }
    route = static_cast<std::uint8_t>(1u << xy);
  } else if (entry.mode == kModeStatic) {
    if ((entry.rx & (1u << port)) == 0 || entry.tx == 0) {
      error(t, port, color,
            "no static route (port outside the receive set, or empty transmit "
            "set)");
    }
    route = entry.tx;
  } else {
    error(t, port, color, "unconfigured color");
  }
  std::uint8_t off_edge = 0;
  if (x == 0 && t != 0) off_edge |= 1u << kW;
  if (x == width_ - 1) off_edge |= 1u << kE;
  if (y == 0) off_edge |= 1u << kN;
  if (y == height_ - 1) off_edge |= 1u << kS;
  if ((route & off_edge) != 0) {
    error(t, port, color, "route off the mesh edge");
  }
  bool moved = false;
  for (unsigned d = 0; d < kNumPorts; ++d) {
    const auto b = static_cast<std::uint8_t>(1u << d);
    if ((route & b) != 0 && (queue.sent & b) == 0 && has_room(t, d, color)) {
      deliver(t, d, w);
      queue.sent |= b;
      moved = true;
    }
  }
  if (queue.sent == route) {
    queue.q.pop_front();
    queue.sent = 0;
  }
  return moved;
}

bool MeshSim::turn_router(std::size_t t) {
  Tile& tile = tiles_[t];
  const std::size_t n = tile.queues.size();
  const std::size_t start = rng_() % n;
  bool moved = false;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t q = (start + k) % n;
    if (!tile.queues[q].q.empty()) {
      moved |= forward(t, static_cast<unsigned>(q / opt_.num_colors),
                       static_cast<unsigned>(q % opt_.num_colors));
    }
  }
  return moved;
}

bool MeshSim::turn_pe(std::size_t t, unsigned burst) {
  Tile& tile = tiles_[t];
  bool moved = false;
  const auto flush_out = [&] {
    for (;;) {
      if (!tile.pe_out && tile.pe.output_size() > 0) {
        tile.pe_out = tile.pe.pop_output();
      }
      if (!tile.pe_out) return;
      const unsigned c = tile.pe_out->color;
      if (c >= opt_.num_colors) error(t, kP, c, "PE sent on a color the router does not have");
      Queue& q = tile.queues[kP * opt_.num_colors + c];
      if (q.q.size() >= opt_.queue_depth) return;
      q.q.push_back(*tile.pe_out);
      tile.pe_out.reset();
      moved = true;
    }
  };
  for (unsigned i = 0; i < burst; ++i) {
    flush_out();
    // A PE whose sends are not taken stalls, as the RTL's would on a full ramp.
    if (tile.pe.output_size() >= opt_.queue_depth) break;
    std::size_t in_before = 0;
    for (unsigned c = 0; c < opt_.num_colors; ++c) in_before += tile.pe.input_size(c);
    const std::size_t out_before = tile.pe.output_size();
    const ref::Step s = tile.pe.step();
    if (tile.pe.error() != isa::ErrorCode::none) {
      throw MeshError(fmt::format("tile ({}, {}): PE error {} at pc {:#06x}",
                                  static_cast<int>(t) % width_, static_cast<int>(t) / width_,
                                  static_cast<int>(tile.pe.error()), tile.pe.err_pc()));
    }
    std::size_t in_after = 0;
    for (unsigned c = 0; c < opt_.num_colors; ++c) in_after += tile.pe.input_size(c);
    const bool stepped = s.kind == ref::StepKind::executed || s.kind == ref::StepKind::started ||
                         in_after != in_before || tile.pe.output_size() != out_before;
    if (!stepped) break;
    moved = true;
  }
  flush_out();
  return moved;
}

bool MeshSim::turn_host() {
  bool moved = false;
  while (!host_in_.empty()) {
    const Wavelet& w = host_in_.front();
    if (w.color >= opt_.num_colors) error(0, kW, w.color, "host sent on a color out of range");
    Queue& q = tiles_[0].queues[kW * opt_.num_colors + w.color];
    if (q.q.size() >= opt_.queue_depth) break;
    q.q.push_back(w);
    host_in_.pop_front();
    moved = true;
  }
  return moved;
}

std::vector<Wavelet> MeshSim::run(std::uint64_t max_moves) {
  std::uint64_t moves = 0;
  for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
  for (;;) {
    std::shuffle(order_.begin(), order_.end(), rng_);
    bool moved = false;
    for (const std::size_t a : order_) {
      if (a == tiles_.size()) {
        moved |= turn_host();
        continue;
      }
      const auto burst = static_cast<unsigned>(1 + rng_() % opt_.max_burst);
      if ((rng_() & 1) != 0) {
        moved |= turn_pe(a, burst);
        moved |= turn_router(a);
      } else {
        moved |= turn_router(a);
        moved |= turn_pe(a, burst);
      }
    }
    if (moved) {
      if (++moves > max_moves) throw MeshError("meshsim: move limit reached (livelock?)");
      continue;
    }
    // Nothing moves: a finished run leaves no wavelet anywhere and no task
    // running. A stuck one is reported with every waiting task, to show the
    // cycle of waits.
    std::string stuck;
    for (std::size_t t = 0; t < tiles_.size(); ++t) {
      const Tile& tile = tiles_[t];
      const int x = static_cast<int>(t) % width_;
      const int y = static_cast<int>(t) / width_;
      for (std::size_t q = 0; q < tile.queues.size(); ++q) {
        if (!tile.queues[q].q.empty()) {
          stuck += fmt::format(" [tile ({}, {}) input {} color {}: {} wavelets queued]", x, y,
                               kPortName.at(q / opt_.num_colors), q % opt_.num_colors,
                               tile.queues[q].q.size());
        }
      }
      if (tile.pe.running()) {
        stuck += fmt::format(" [tile ({}, {}) task {} waits at pc {:#06x}]", x, y,
                             tile.pe.current_task().value_or(99), tile.pe.pc());
      }
      for (unsigned c = 0; c < opt_.num_colors; ++c) {
        if (tile.pe.input_size(c) != 0) {
          stuck += fmt::format(" [tile ({}, {}): {} wavelets of color {} never taken]", x, y,
                               tile.pe.input_size(c), c);
        }
      }
    }
    if (!stuck.empty()) {
      throw MeshError("deadlock:" + stuck);
    }
    if (!host_in_.empty()) {
      throw MeshError(
          fmt::format("deadlock: the host still has {} wavelets to send", host_in_.size()));
    }
    std::vector<Wavelet> out;
    out.swap(host_out_);
    return out;
  }
}

}  // namespace wm::sw::meshsim
