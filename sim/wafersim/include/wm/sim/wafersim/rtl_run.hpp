// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// A MeshProgram on the composed RTL mesh: the host schedule replayed through the host port of
// tile (0, 0), cycle by cycle while the host sends, in chunks (and threads) while the mesh
// computes; a watchdog instead of a hang; the tiles' status bits checked after every step.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "wm/sim/tile_mesh.hpp"
#include "wm/sw/mapper/mesh_program.hpp"

namespace wm::sim::wafersim {

/// The RTL did something the program does not allow: a PE/router/SRAM error, a stall past
/// the watchdog, more or fewer output words. The message names the tiles.
class RtlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunOptions {
  unsigned threads = 1;
  std::uint64_t watchdog = 100'000;
  std::string waves;  ///< FST path (waves_path() per tile); empty: none
  std::uint64_t waves_from = 0;
  std::uint64_t waves_to = UINT64_MAX;
  bool record_tasks = false;  ///< keep every PE's task spans (Mesh::task_spans)
  std::vector<unsigned> waves_tiles = {0};  ///< traced tiles, y * width + x
};

/// Where tile (x, y)'s FST goes: `file` itself when it is the only traced tile, else `file`
/// with _tile_X_Y appended to its stem (decode.fst -> decode_tile_3_1.fst).
[[nodiscard]] std::string waves_path(const std::string& file, unsigned x, unsigned y,
                                     bool several);

/// The cycles of one host step: `entry` is the cycle its first wavelet entered the host port,
/// `exit` the cycle after which its last output word had left it.
struct StepCycles {
  std::uint64_t entry = 0;
  std::uint64_t exit = 0;
};

class RtlRun {
 public:
  /// Builds the mesh of `program`'s shape (borrowed: must outlive this) and holds it in reset
  /// for a few cycles.
  RtlRun(const sw::mapper::MeshProgram& program, const RunOptions& opt);
  ~RtlRun();
  RtlRun(const RtlRun&) = delete;
  RtlRun& operator=(const RtlRun&) = delete;

  /// Sends the program's setup (routes, then every SRAM image) and waits until the port has
  /// taken all of it; returns the cycles it took. Nothing may come back.
  std::uint64_t setup();
  /// One host step: sends its input, runs until its output words came back, stores them in
  /// `out` (as floats' bits) and checks every tile's status bits.
  StepCycles step(const sw::mapper::HostStep& s, std::vector<std::uint32_t>& out);

  [[nodiscard]] const Mesh& mesh() const { return *mesh_; }
  /// Ends the mesh (closing its waves) and moves each traced tile's FST to its waves_path();
  /// returns those paths in RunOptions::waves_tiles' order; throws when the window was never
  /// reached. The mesh is gone afterwards.
  std::vector<std::string> finish_waves();

 private:
  void feed(std::span<const sw::mapper::Wavelet> in);
  void cycle();  // one cycle while the host sends or waits for credits
  void progress_check(std::uint64_t& signature, std::uint64_t& since, const char* what);
  [[nodiscard]] std::uint64_t activity_signature() const;
  void check_status(const char* when) const;
  [[noreturn]] void stuck(const char* what) const;

  const sw::mapper::MeshProgram& program_;
  RunOptions opt_;
  std::string wave_dir_;  // BasicMesh writes <dir>/tile_<x>_<y>.fst
  std::unique_ptr<Mesh> mesh_;
  std::array<unsigned, kColors> credits_{};
  std::size_t sent_ = 0;  // wavelets sent in the current feed
};

}  // namespace wm::sim::wafersim
