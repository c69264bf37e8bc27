// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// A functional W x H mesh: one wm::sw::ref::Pe per tile, joined by a functional
// model of the router (rtl/router/wm_router.sv): per-color routes (static
// multicast rx -> tx set, addressed X then Y to the ramp, configuration
// wavelets consumed at their destination), one bounded FIFO per input port and
// color, a host port on router (0, 0) port W. No cycles: a seeded pseudo-random
// scheduler interleaves PE steps and wavelet hops, so running a program under
// several seeds shows that its result does not depend on timing.

#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include "wm/sw/ref/pe.hpp"

namespace wm::sw::meshsim {

using Wavelet = ref::Wavelet;

struct Options {
  unsigned num_colors = 8;
  unsigned mem_words = 12288;
  unsigned queue_depth = 4;  ///< wavelets per router input queue and color (and PE input color)
  std::uint64_t seed = 1;    ///< the interleaving; every seed is a legal timing
  /// Largest number of PE steps or hops taken in one turn of an agent
  /// (drawn 1..max_burst): larger bursts let one tile run far ahead of its
  /// neighbours.
  unsigned max_burst = 8;
  /// Mix eager and lazy engine timing across PEs (drawn from the seed) instead
  /// of all eager.
  bool mix_engine_timing = true;
};

/// A routing error (the router would drop the wavelet and set an error bit), a
/// PE error, or a deadlock; the message names the tile, port and color.
class MeshError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class MeshSim {
 public:
  MeshSim(int width, int height, const Options& options = {});

  /// Queues wavelets for the host port (router (0, 0), input W), sent in order
  /// as room allows.
  void host_send(std::span<const Wavelet> wavelets);
  /// Runs until nothing can move and the host has nothing left to send, then
  /// returns the data wavelets that reached the host since the last call.
  /// Throws MeshError on a routing or PE error, on a deadlock (host input left,
  /// nothing moves), or past `max_moves`.
  std::vector<Wavelet> run(std::uint64_t max_moves = 2'000'000'000);

  [[nodiscard]] const ref::Pe& pe(int x, int y) const { return tiles_.at(index(x, y)).pe; }
  [[nodiscard]] int width() const { return width_; }
  [[nodiscard]] int height() const { return height_; }
  /// Wavelet hops between routers (and ramps) so far: a rough traffic count for
  /// reports.
  [[nodiscard]] std::uint64_t hops() const { return hops_; }

 private:
  struct Queue {
    std::deque<Wavelet> q;
    std::uint8_t sent = 0;  ///< ports the head has already left on (multicast progress)
  };
  struct RouteEntry {
    std::uint8_t mode = 0;
    std::uint8_t rx = 0;
    std::uint8_t tx = 0;
  };
  struct Tile {
    explicit Tile(const ref::Config& c) : pe(c) {}
    ref::Pe pe;
    std::vector<Queue> queues;  ///< port d, color c at d * num_colors + c
    std::vector<RouteEntry> routes;
    std::optional<Wavelet> pe_out;  ///< popped from the PE, waiting for ramp room
  };

  [[nodiscard]] std::size_t index(int x, int y) const {
    return static_cast<std::size_t>(y * width_ + x);
  }
  bool turn_pe(std::size_t t, unsigned burst);
  bool turn_router(std::size_t t);
  bool forward(std::size_t t, unsigned port, unsigned color);
  bool deliver(std::size_t t, unsigned port, const Wavelet& w);
  [[nodiscard]] bool has_room(std::size_t t, unsigned port, unsigned color) const;
  bool turn_host();
  [[noreturn]] void error(std::size_t t, unsigned port, unsigned color, const char* what) const;

  int width_;
  int height_;
  Options opt_;
  std::mt19937_64 rng_;
  std::vector<Tile> tiles_;
  std::deque<Wavelet> host_in_;
  std::vector<Wavelet> host_out_;
  std::vector<std::size_t> order_;
  std::uint64_t hops_ = 0;
};

}  // namespace wm::sw::meshsim
