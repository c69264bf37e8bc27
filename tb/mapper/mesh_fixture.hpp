// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Helpers of the mapper tests: deterministic data, and one host step run on the
// functional mesh.

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <span>
#include <vector>

#include "wm/sw/fp/fp.hpp"
#include "wm/sw/mapper/mesh_program.hpp"
#include "wm/sw/meshsim/mesh_sim.hpp"

namespace wm::tb::mapper {

namespace mp = wm::sw::mapper;
namespace ms = wm::sw::meshsim;
namespace fp = wm::sw::fp;

/// n floats uniform in [-1, 1) on a 2^-20 grid, from a seeded 64-bit LCG (same
/// on every host).
inline std::vector<float> test_vector(std::size_t n, std::uint64_t seed) {
  std::vector<float> v(n);
  std::uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
  for (float& f : v) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    const auto u = static_cast<std::int32_t>(s >> 43) - (1 << 20);  // -2^20 .. 2^20-1
    f = static_cast<float>(u) * 0x1p-20f;
  }
  return v;
}

/// A mesh with `program`'s shape and its setup already sent. Depth-1 queues and bursts of 1
/// give the tightest backpressure and the finest interleaving.
inline ms::MeshSim make_mesh(const mp::MeshProgram& program, std::uint64_t seed,
                             unsigned queue_depth = 4, unsigned max_burst = 8) {
  ms::Options o;
  o.seed = seed;
  o.queue_depth = queue_depth;
  o.max_burst = max_burst;
  o.num_colors = program.num_colors;
  o.mem_words = program.mem_words;
  ms::MeshSim sim(program.width, program.height, o);
  sim.host_send(program.setup);
  const auto out = sim.run();
  BOOST_TEST_REQUIRE(out.empty(), "the setup sent " << out.size() << " wavelets back");
  return sim;
}

/// Runs one host step and returns its output as floats (checked for the
/// promised count).
inline std::vector<float> run_step(ms::MeshSim& sim, const mp::HostStep& step) {
  sim.host_send(step.input);
  const auto out = sim.run();
  BOOST_TEST_REQUIRE(out.size() == step.output_words);
  return mp::floats(out);
}

/// Every element bit for bit; names the first mismatch.
inline void require_bits(std::span<const float> got, std::span<const float> want,
                         const char* what) {
  BOOST_TEST_REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    BOOST_TEST_REQUIRE(fp::to_bits(got[i]) == fp::to_bits(want[i]),
                       what << "[" << i << "]: mesh " << got[i] << " golden " << want[i]);
  }
}

}  // namespace wm::tb::mapper
