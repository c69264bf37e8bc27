// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Every FP32 unit against the golden wm::sw::fp primitives, bit for bit. The units are
// combinational, so each test drives the model directly in a tight loop (set operands, eval,
// compare) instead of awaiting clock edges; every vector checks all nine outputs.
//
// WM_FP_PAIRS sets the random pairs per operation (default 1 M, split over the generators); the
// regress entry runs 10 M.
#include <Vwm_nonsynth_fpu_top.h>

#include <wm/harness/harness.hpp>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "fpu_checker.hpp"
#include "fpu_vectors.hpp"

using namespace wm::harness;
namespace fpu = wm::tb::fpu;

WM_TEST_DUT(Vwm_nonsynth_fpu_top);

namespace {

std::uint64_t pairs_per_operation() {
  const char* env = std::getenv("WM_FP_PAIRS");
  if (env == nullptr) return 1'000'000;
  try {
    std::size_t used = 0;
    const unsigned long long n = std::stoull(env, &used);
    if (used == std::string(env).size() && n > 0) return n;
  } catch (const std::exception&) {
  }
  throw std::invalid_argument(
      fmt::format("WM_FP_PAIRS='{}': expected a positive count of random pairs", env));
}

template <class Checker>
void verdict(const Checker& checker) {
  check(checker.mismatches() == 0, "{}", checker.report());
  log().info("{} vectors, every output bit-exact", checker.vectors());
}

template <std::size_t N>
void run_random(Vwm_nonsynth_fpu_top& dut, fpu::Rng& rng,
                const std::array<fpu::Generator, N>& gens) {
  fpu::FpuChecker checker(dut);
  fpu::run_random(checker, rng, std::span<const fpu::Generator>(gens),
                  pairs_per_operation());
  verdict(checker);
}

}  // namespace

// Every pair of the edge values: +-0, +-inf, quiet/signalling/payload NaNs, subnormals,
// smallest/largest normals, ties both ways (1 + 2^-24, (1 + ulp) + 2^-24, 3 ulps * 0.5),
// carries into the exponent, overflow, underflow, x - x = +0, and the int32 boundaries.
WM_TEST(fp_edge_values_all_pairs) {
  fpu::FpuChecker checker(dut);
  fpu::run_specials(checker);
  verdict(checker);
  co_return;
}

WM_TEST(fp_add_random) {
  run_random(dut, random(), std::to_array<fpu::Generator>(
                      {fpu::random_bits, fpu::near_exponents, fpu::subnormal_heavy}));
  co_return;
}

WM_TEST(fp_mul_random) {
  run_random(dut, random(), std::to_array<fpu::Generator>(
                      {fpu::random_bits, fpu::product_edges, fpu::subnormal_heavy}));
  co_return;
}

WM_TEST(fp_minmax_compare_random) {
  run_random(dut, random(), std::to_array<fpu::Generator>(
                      {fpu::random_bits, fpu::compare_heavy, fpu::subnormal_heavy}));
  co_return;
}

WM_TEST(fp_convert_random) {
  run_random(dut, random(), std::to_array<fpu::Generator>({fpu::random_bits, fpu::convert_edges}));
  co_return;
}
