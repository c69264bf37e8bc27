// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Simulation speed of the composed mesh (wm::sim): an 8 x 8 mesh with the real PE loads a GEMV
// kernel through the host port, runs it (each tile repeats its fdotv to stay busy) and reduces
// over the links; simulated tile-cycles per wall second, in 1 and 2 threads (which must agree
// on every result and on the cycle count). Built twice: over wm_sim's tile model (FST tracing
// compiled in, off; plus one run tracing tile (0, 0) throughout) and over a model built
// without tracing (bench_sim_speed_notrace), so the cost of tracing compiled in but off is the
// ratio of the two JSON files. Writes JSON (argument 1) and prints a summary.
//   bench_sim_speed [out.json] [width] [height] [repeat]
#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fmt/format.h>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <Vwm_tile.h>
#include <Vwm_tile___024root.h>

#include <filesystem>
#include <wm/sim/host.hpp>
#include <wm/sim/mesh.hpp>

#include "gemv_kernel.hpp"

namespace {

using Mesh = wm::sim::BasicMesh<Vwm_tile>;

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);  // every thread of the process
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

struct Result {
  unsigned threads = 0;
  std::uint64_t cycles = 0;
  double seconds = 0;
  // The compute phase alone: the mesh runs in chunks (threaded), no host step per cycle.
  std::uint64_t compute_cycles = 0;
  double compute_seconds = 0, compute_cpu_seconds = 0;
  std::vector<std::uint32_t> y;
  [[nodiscard]] double rate(unsigned tiles) const {
    return static_cast<double>(cycles) * tiles / seconds;
  }
};

Result run(const wm::tb::mesh::Gemv& g, const std::vector<wm::sim::Wavelet>& stream,
           unsigned threads, const std::string& trace_dir = {}) {
  wm::sim::MeshOptions opt;
  opt.width = g.width;
  opt.height = g.height;
  opt.threads = threads;
  if (!trace_dir.empty()) {
    opt.trace.tiles = {0};
    opt.trace.begin = 0;
    opt.trace.end = UINT64_MAX;
    opt.trace.directory = trace_dir;
  }
  Mesh mesh(opt);
  wm::sim::HostLink host;
  for (const auto& w : stream) host.send(w);
  const auto t0 = std::chrono::steady_clock::now();
  mesh.run(3);
  mesh.set_reset(false);
  // The host feeds wavelets cycle by cycle while it has some; then the mesh runs in chunks
  // and sinks the results itself.
  while (!host.idle()) wm::sim::host_step(mesh, host);
  wm::sim::host_step(mesh, host);  // the host's last credit returns
  if (!host.received().empty()) throw std::runtime_error("results before the load ended");
  mesh.set_host_sink(true);
  const auto tc = std::chrono::steady_clock::now();
  const double cpu0 = cpu_seconds();
  const std::uint64_t c0 = mesh.cycle();
  while (!(mesh.all_halted() && mesh.sunk().size() >= g.n())) {
    if (mesh.cycle() > 5'000'000) throw std::runtime_error("the kernel did not finish");
    mesh.run(256);
  }
  const auto t1 = std::chrono::steady_clock::now();
  Result r;
  r.threads = threads;
  r.cycles = mesh.cycle();
  r.seconds = std::chrono::duration<double>(t1 - t0).count();
  r.compute_cycles = mesh.cycle() - c0;
  r.compute_seconds = std::chrono::duration<double>(t1 - tc).count();
  r.compute_cpu_seconds = cpu_seconds() - cpu0;
  r.y = g.collect(mesh.sunk());
  return r;
}

double load_average() {
  double l[1] = {0};
  return getloadavg(l, 1) == 1 ? l[0] : 0.0;
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string out = argc > 1 ? argv[1] : "sim_speed.json";
  wm::tb::mesh::Gemv g;
  g.width = argc > 2 ? static_cast<unsigned>(std::stoul(argv[2])) : 8;
  g.height = argc > 3 ? static_cast<unsigned>(std::stoul(argv[3])) : 8;
  g.rows_per_tile = 8;
  g.cols_per_tile = 16;
  g.repeat = argc > 4 ? static_cast<unsigned>(std::stoul(argv[4])) : 40;
  std::mt19937_64 rng(1);
  const auto a = wm::tb::mesh::random_floats(rng, std::size_t{g.n()} * g.k());
  const auto xv = wm::tb::mesh::random_floats(rng, g.k());
  const auto stream = g.host_stream(a, xv);
  const auto want = g.expected(a, xv);
  const unsigned tiles = g.width * g.height;

  std::vector<Result> results;
  for (unsigned threads : {1u, 2u}) {
    results.push_back(run(g, stream, threads));
    const auto& r = results.back();
    if (r.y != want) throw std::runtime_error(fmt::format("{} thread(s): wrong y", threads));
    if (r.cycles != results.front().cycles) {
      throw std::runtime_error("1 and 2 threads simulated different cycle counts");
    }
    fmt::print("sim_speed {}x{} {} thread(s): {} cycles in {:.2f} s = {:.3f} M tile-cycles/s; "
               "compute phase {} cycles in {:.2f} s wall ({:.3f} M/s), {:.2f} s CPU "
               "({:.3f} M tile-cycles per CPU-second)\n",
               g.width, g.height, threads, r.cycles, r.seconds, r.rate(tiles) / 1e6,
               r.compute_cycles, r.compute_seconds,
               static_cast<double>(r.compute_cycles) * tiles / r.compute_seconds / 1e6,
               r.compute_cpu_seconds,
               static_cast<double>(r.compute_cycles) * tiles / r.compute_cpu_seconds / 1e6);
  }
  // Tracing on, scoped to one tile (issue #6: scope matters), one thread, the whole run.
  double traced_rate = 0;
  double traced_bytes = 0;
  if constexpr (Mesh::kTraceable) {
    const std::string dir = out + ".waves";
    std::filesystem::create_directories(dir);
    const Result r = run(g, stream, 1, dir);
    if (r.y != want || r.cycles != results.front().cycles) {
      throw std::runtime_error("tracing changed the result or the cycle count");
    }
    traced_rate = static_cast<double>(r.compute_cycles) * tiles / r.compute_cpu_seconds;
    traced_bytes = static_cast<double>(std::filesystem::file_size(dir + "/tile_0_0.fst"));
    std::filesystem::remove_all(dir);
    fmt::print("sim_speed {}x{} 1 thread, tile (0, 0) traced: {:.3f} M tile-cycles per "
               "CPU-second in the compute phase ({:.2f}x untraced); FST {:.1f} kB per 1k cycles\n",
               g.width, g.height, traced_rate / 1e6,
               traced_rate / (static_cast<double>(results[0].compute_cycles) * tiles /
                              results[0].compute_cpu_seconds),
               traced_bytes / 1e3 / (static_cast<double>(r.cycles) / 1e3));
  }
  std::ofstream f(out);
  f << fmt::format(
      "{{\n  \"mesh\": \"{}x{}\",\n  \"workload\": \"GEMV {}x{}, fdotv x{} per tile, tree "
      "reduction\",\n  \"cycles\": {},\n  \"tile_cycles_per_s_1_thread\": {:.0f},\n"
      "  \"tile_cycles_per_s_2_threads\": {:.0f},\n  \"speedup_2_threads\": {:.3f},\n"
      "  \"compute_phase_cycles\": {},\n"
      "  \"compute_tile_cycles_per_s_1_thread\": {:.0f},\n"
      "  \"compute_tile_cycles_per_s_2_threads\": {:.0f},\n"
      "  \"compute_tile_cycles_per_cpu_s_1_thread\": {:.0f},\n"
      "  \"compute_tile_cycles_per_cpu_s_2_threads\": {:.0f},\n"
      "  \"trace_compiled_in\": {},\n"
      "  \"one_eval_per_cycle\": {},\n"
      "  \"compute_tile_cycles_per_cpu_s_tile0_traced\": {:.0f},\n"
      "  \"fst_bytes_tile0\": {:.0f},\n"
      "  \"load_average_1min\": {:.2f},\n"
      "  \"hardware_threads\": {}\n}}\n",
      g.width, g.height, g.n(), g.k(), g.repeat, results[0].cycles, results[0].rate(tiles),
      results[1].rate(tiles), results[1].rate(tiles) / results[0].rate(tiles),
      results[0].compute_cycles,
      static_cast<double>(results[0].compute_cycles) * tiles / results[0].compute_seconds,
      static_cast<double>(results[1].compute_cycles) * tiles / results[1].compute_seconds,
      static_cast<double>(results[0].compute_cycles) * tiles / results[0].compute_cpu_seconds,
      static_cast<double>(results[1].compute_cycles) * tiles / results[1].compute_cpu_seconds,
      Mesh::kTraceable, Mesh::one_eval_per_cycle(), traced_rate, traced_bytes, load_average(),
      std::thread::hardware_concurrency());
  fmt::print("sim_speed: wrote {}\n", out);
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "bench_sim_speed: {}\n", e.what());
  return 1;
}
