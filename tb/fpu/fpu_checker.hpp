// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Scoreboard for wm_nonsynth_fpu_top: drives one operand pair, evaluates the model and
// compares every unit's output with the golden primitives of wm::sw::fp.
//
// The loop runs millions of times per test, so a check formats nothing and allocates
// nothing: it keeps the first few mismatches raw and counts the rest.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "wm/sw/fp/fp.hpp"

namespace wm::tb::fpu {

/// One input vector of the FPU top: a, b as bit patterns (a is also the i2f integer).
struct Operands {
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  bool sub = false;
};

enum class Port : std::uint8_t { Add, Mul, Min, Max, Lt, Le, Eq, I2f, F2i };

constexpr std::string_view port_name(Port p) {
  constexpr std::array<std::string_view, 9> kNames = {"add", "mul", "min", "max", "lt",
                                                      "le",  "eq",  "i2f", "f2i"};
  return kNames[static_cast<std::size_t>(p)];
}

/// What every port must show for `in`, from the golden model.
struct Expected {
  std::uint32_t add, mul, min, max, i2f, f2i;
  bool lt, le, eq;
};

inline Expected golden(const Operands& in) {
  namespace fp = wm::sw::fp;
  const float a = fp::from_bits(in.a);
  const float b = fp::from_bits(in.b);
  return Expected{
      .add = fp::to_bits(in.sub ? fp::sub(a, b) : fp::add(a, b)),
      .mul = fp::to_bits(fp::mul(a, b)),
      .min = fp::to_bits(fp::min(a, b)),
      .max = fp::to_bits(fp::max(a, b)),
      .i2f = fp::to_bits(fp::i2f(static_cast<std::int32_t>(in.a))),
      .f2i = static_cast<std::uint32_t>(fp::f2i(a)),
      .lt = fp::lt(a, b),
      .le = fp::le(a, b),
      .eq = fp::eq(a, b),
  };
}

struct Mismatch {
  Port port;
  Operands in;
  std::uint32_t expected;
  std::uint32_t got;
};

/// Model is a Verilated Vwm_nonsynth_fpu_top (a template so this header needs no model).
template <class Model>
class FpuChecker {
 public:
  explicit FpuChecker(Model& model) : model_(model) {}

  void check(const Operands& in) {
    model_.a_i = in.a;
    model_.b_i = in.b;
    model_.sub_i = in.sub;
    model_.eval();
    const Expected e = golden(in);
    compare(Port::Add, in, e.add, model_.add_o);
    compare(Port::Mul, in, e.mul, model_.mul_o);
    compare(Port::Min, in, e.min, model_.min_o);
    compare(Port::Max, in, e.max, model_.max_o);
    compare(Port::Lt, in, e.lt, model_.lt_o);
    compare(Port::Le, in, e.le, model_.le_o);
    compare(Port::Eq, in, e.eq, model_.eq_o);
    compare(Port::I2f, in, e.i2f, model_.i2f_o);
    compare(Port::F2i, in, e.f2i, model_.f2i_o);
    ++vectors_;
  }

  std::uint64_t vectors() const { return vectors_; }
  std::uint64_t mismatches() const { return mismatches_; }

  /// The first mismatches, one per line: port, operands, expected and got, all in hex.
  std::string report() const {
    std::string out =
        fmt::format("{} mismatching outputs in {} vectors (per port:", mismatches_, vectors_);
    for (std::size_t p = 0; p < kPorts; ++p) {
      if (per_port_[p] != 0) {
        out += fmt::format(" {} {}", port_name(static_cast<Port>(p)), per_port_[p]);
      }
    }
    out += ")";
    const std::size_t shown = mismatches_ < kKept ? mismatches_ : kKept;
    for (std::size_t i = 0; i < shown; ++i) {
      const Mismatch& m = kept_[i];
      out += fmt::format("\n  {}: a={:08x} b={:08x}{} expected {:08x} got {:08x}",
                         port_name(m.port), m.in.a, m.in.b, m.in.sub ? " (sub)" : "",
                         m.expected, m.got);
    }
    return out;
  }

 private:
  static constexpr std::size_t kKept = 16;
  static constexpr std::size_t kPorts = 9;

  void compare(Port port, const Operands& in, std::uint32_t expected, std::uint32_t got) {
    if (expected == got) [[likely]] return;
    if (mismatches_ < kKept) kept_[mismatches_] = Mismatch{port, in, expected, got};
    ++mismatches_;
    ++per_port_[static_cast<std::size_t>(port)];
  }

  Model& model_;
  std::uint64_t vectors_ = 0;
  std::uint64_t mismatches_ = 0;
  std::array<std::uint64_t, kPorts> per_port_{};
  std::array<Mismatch, kKept> kept_{};
};

}  // namespace wm::tb::fpu
