// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// Reads and writes bit fields of Verilated ports, whatever C type Verilator chose for them
// (CData ... QData up to 64 bits, VlWide beyond), so one driver serves every parameter set.
#pragma once

#include <verilated.h>

#include <algorithm>
#include <concepts>
#include <cstdint>

namespace wm::harness {

template <std::unsigned_integral T>
std::uint64_t get_bits(const T& port, unsigned lsb, unsigned width) {
  const std::uint64_t v = static_cast<std::uint64_t>(port) >> lsb;
  return width >= 64 ? v : v & ((std::uint64_t{1} << width) - 1);
}

// Wide ports: a field spans at most three 32-bit words; walk them a word at a time.
template <std::size_t N>
std::uint64_t get_bits(const VlWide<N>& port, unsigned lsb, unsigned width) {
  std::uint64_t v = 0;
  for (unsigned i = 0; i < width;) {
    const unsigned b = lsb + i, off = b % 32, n = std::min(32 - off, width - i);
    const std::uint64_t chunk = (std::uint64_t{port.at(b / 32)} >> off) &
                                ((std::uint64_t{1} << n) - 1);
    v |= chunk << i;
    i += n;
  }
  return v;
}

template <std::unsigned_integral T>
void set_bits(T& port, unsigned lsb, unsigned width, std::uint64_t value) {
  const std::uint64_t mask = (width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1)
                             << lsb;
  port = static_cast<T>((static_cast<std::uint64_t>(port) & ~mask) | ((value << lsb) & mask));
}

template <std::size_t N>
void set_bits(VlWide<N>& port, unsigned lsb, unsigned width, std::uint64_t value) {
  for (unsigned i = 0; i < width;) {
    const unsigned b = lsb + i, off = b % 32, n = std::min(32 - off, width - i);
    const EData mask = static_cast<EData>(((std::uint64_t{1} << n) - 1) << off);
    const EData chunk = static_cast<EData>(((value >> i) << off) & mask);
    port.at(b / 32) = (port.at(b / 32) & ~mask) | chunk;
    i += n;
  }
}

}  // namespace wm::harness
