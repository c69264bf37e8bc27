// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Helpers of the reference-model tests: assemble a program, load it, activate task 0.

#include <boost/test/unit_test.hpp>

#include <string>

#include "wm/sw/asm/assembler.hpp"
#include "wm/sw/fp/fp.hpp"
#include "wm/sw/ref/pe.hpp"

namespace wm::tb::sw_ref {

namespace as = wm::sw::assembler;
namespace isa = wm::sw::isa;
namespace fp = wm::sw::fp;
namespace ref = wm::sw::ref;

inline ref::Wavelet ctrl(isa::CtrlCmd cmd, std::uint32_t payload, unsigned color = 0) {
  return {isa::ctrl_word(cmd, payload), static_cast<std::uint8_t>(color), true, 0, 0};
}
inline ref::Wavelet data(std::uint32_t value, unsigned color) {
  return {value, static_cast<std::uint8_t>(color), false, 0, 0};
}

/// A PE holding `src` whose task 0 (entry 0) has been activated by the host.
inline ref::Pe boot(const std::string& src, const ref::Config& cfg = {}) {
  ref::Pe pe(cfg);
  pe.load(as::assemble(src, "test.s", {cfg.num_colors}).image.words);
  pe.push_input(ctrl(isa::CtrlCmd::activate, 0));
  return pe;
}

/// Runs `src` to its halt and checks that nothing went wrong on the way.
inline ref::Pe run_to_halt(const std::string& src, const ref::Config& cfg = {}) {
  ref::Pe pe = boot(src, cfg);
  BOOST_TEST_REQUIRE((pe.run() == ref::RunEnd::halted));
  BOOST_TEST_REQUIRE((pe.error() == isa::ErrorCode::none), "error " << int(pe.error())
                                                               << " at 0x" << std::hex
                                                               << pe.err_pc());
  return pe;
}

inline std::uint32_t fb(float f) { return fp::to_bits(f); }
inline float bf(std::uint32_t u) { return fp::from_bits(u); }

}  // namespace wm::tb::sw_ref
