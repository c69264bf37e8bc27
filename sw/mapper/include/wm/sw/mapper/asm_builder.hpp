// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Emits WM-ISA assembly text (docs/asm.md) for the mapper's per-PE programs. r1..r3 are its
// scratch registers. A program's size depends only on its constants, not on its data
// addresses (see li), so the mapper measures the code once and places the data after it.

#include <fmt/format.h>

#include <cstdint>
#include <string>

namespace wm::sw::mapper {

class AsmBuilder {
 public:
  template <class... Args>
  void op(fmt::format_string<Args...> f, Args&&... args) {
    text_ += "    ";
    text_ += fmt::format(f, std::forward<Args>(args)...);
    text_ += '\n';
  }
  void label(const std::string& name) { text_ += name + ":\n"; }
  void comment(const std::string& c) { text_ += "; " + c + '\n'; }

  /// r = v: one `addi` when v fits its immediate (every address, length and stride does, as
  /// SRAM has at most 2^16 words), else the two-word `li`. So code size depends only on the
  /// constants, never on where the data lands.
  void li(unsigned r, std::uint32_t v) {
    if (v < kAddiLimit) {
      op("addi r{}, r0, {}", r, v);
    } else {
      op("li r{}, {:#x}", r, v);
    }
  }
  /// d = MEM walk base, len0, stride0 (then len1 rows of stride1 when len1 !=
  /// 1).
  void mem(unsigned d, std::uint32_t base, std::uint32_t len0, std::int32_t stride0 = 1,
           std::uint32_t len1 = 1, std::int32_t stride1 = 0) {
    li(1, base);
    mem_r(d, 1, len0, stride0, len1, stride1);
  }
  /// The same with the base in register `rbase` (an address computed at run
  /// time).
  void mem_r(unsigned d, unsigned rbase, std::uint32_t len0, std::int32_t stride0 = 1,
             std::uint32_t len1 = 1, std::int32_t stride1 = 0) {
    li(2, len0);
    li(3, static_cast<std::uint32_t>(stride0) & 0xFFFFu);
    op("dsdm d{}, r{}, r2, r3", d, rbase);
    if (len1 != 1 || stride1 != 0) {
      li(2, len1);
      li(3, static_cast<std::uint32_t>(stride1) & 0xFFFFu);
      op("dsd2 d{}, r2, r3", d);
    }
  }
  /// d = MEM walk base, stride 1, with its length in register `rlen` (e.g. the
  /// positions).
  void mem_len_r(unsigned d, std::uint32_t base, unsigned rlen) {
    li(1, base);
    li(3, 1);
    op("dsdm d{}, r1, r{}, r3", d, rlen);
  }
  void fin(unsigned d, unsigned color, std::uint32_t len) {
    li(2, len);
    op("dsdfi d{}, {}, r2", d, color);
  }
  void fout(unsigned d, unsigned color, std::uint32_t len) {
    li(2, len);
    op("dsdfo d{}, {}, r2, r0", d, color);
  }

  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  static constexpr std::uint32_t kAddiLimit = 1u << 17;  // imm18 is sign-extended
  std::string text_;
};

}  // namespace wm::sw::mapper
