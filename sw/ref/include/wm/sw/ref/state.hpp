// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The architectural state of one PE (docs/isa.md section 1) as a comparable value: the RTL
// lock-step test snapshots both sides after every task and reports the first difference.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wm/sw/isa/isa.hpp"

namespace wm::sw::ref {

/// A DSD register. Only the fields of its kind are architectural: MEM has base, len0,
/// stride0, len1, stride1; FIN has color, len; FOUT has color, len, dst_x, dst_y.
struct Dsd {
  isa::DsdKind kind = isa::DsdKind::none;
  std::uint16_t base = 0;
  std::uint16_t len0 = 0;
  std::uint16_t stride0 = 0;  ///< raw 16 bits, sign-extended when walked
  std::uint16_t len1 = 1;
  std::uint16_t stride1 = 0;
  std::uint8_t color = 0;
  std::uint16_t len = 0;
  std::uint8_t dst_x = 0;
  std::uint8_t dst_y = 0;
};

struct Task {
  std::uint16_t entry = 0;
  bool bound = false;
  std::uint8_t color = 0;  ///< architectural only while bound
  bool active = false;
  bool blocked = false;
};

struct ArchState {
  std::array<std::uint32_t, isa::kNumRegs> regs{};
  std::uint16_t pc = 0;
  std::array<Dsd, isa::kNumDsds> dsds{};
  std::array<Task, isa::kNumTasks> tasks{};
  std::uint8_t busy = 0;  ///< engine e = bit e
  std::uint8_t done = 0;
  bool halted = false;
  isa::ErrorCode code = isa::ErrorCode::none;
  std::uint16_t err_pc = 0;
  std::vector<std::uint32_t> mem;

  /// The first difference ("r3: 0x00000001 (this) != 0x00000002 (other)"), or nothing.
  /// Fields that are not architectural for a DSD's kind or an unbound task are ignored.
  [[nodiscard]] std::optional<std::string> diff(const ArchState& other) const;
  [[nodiscard]] bool operator==(const ArchState& other) const { return !diff(other); }
};

}  // namespace wm::sw::ref
