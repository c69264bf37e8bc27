// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Random WM-ISA programs that obey the race rules of docs/isa.md section 5, for tests that
// run the same program on the reference model and on the RTL (or under both engine timings).
//
// Guarantees: the program is task 0's (entry 0; activate it to start) and runs to `idle`;
// the final SRAM and r1..r12 do not depend on engine timing. Layout: code from 0; read-only
// inputs at kRandomSrc (256 words, in the program); engine e's results at kRandomDst + 64 e;
// notified task t (1..15) writes 1000 + t to kRandomLog + t (the only use of r13, which is
// therefore timing-dependent, as is the order the notified tasks run in); task 0 stores
// r4..r12 at kRandomRegs + 4.. before its exit.
//
// With `segments` = S > 1, task 0's operations are cut into S tasks run one after the other:
// each but the last waits for every engine, activates the next (tasks 17 - S .. 15, in
// order) and exits, so the state at every task end is timing-free too (for lock-step
// comparison after every task); notify then targets tasks 1 .. 16 - S only. S = 1 is the
// program above, unchanged for every seed.

#include <cstdint>
#include <string>

namespace wm::sw::ref {

inline constexpr std::uint32_t kRandomSrc = 0x2000;
inline constexpr std::uint32_t kRandomDst = 0x2100;
inline constexpr std::uint32_t kRandomLog = 0x2300;
inline constexpr std::uint32_t kRandomRegs = 0x2380;

struct RandomProgramOptions {
  unsigned min_ops = 20;  ///< vector, scalar and ewait operations of task 0
  unsigned max_ops = 60;
  bool async = true;      ///< vector operations may be asynchronous
  bool notify = true;     ///< and may activate tasks 1..15 at completion
  unsigned segments = 1;  ///< tasks task 0's operations are cut into, 1 to 8
};

/// Assembly source (docs/asm.md) of one random program, a pure function of `seed`.
[[nodiscard]] std::string random_program(std::uint64_t seed,
                                         const RandomProgramOptions& options = {});

}  // namespace wm::sw::ref
