// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sw/ref/state.hpp"

#include <fmt/format.h>

namespace wm::sw::ref {

namespace {

template <typename T>
std::optional<std::string> differ(const std::string& what, T a, T b) {
  if (a == b) return std::nullopt;
  return fmt::format("{}: 0x{:x} (this) != 0x{:x} (other)", what,
                     static_cast<std::uint64_t>(a), static_cast<std::uint64_t>(b));
}

std::optional<std::string> dsd_diff(unsigned i, const Dsd& a, const Dsd& b) {
  const std::string n = fmt::format("d{}.", i);
  if (auto d = differ(n + "kind", static_cast<unsigned>(a.kind), static_cast<unsigned>(b.kind))) {
    return d;
  }
  std::optional<std::string> d;
  switch (a.kind) {
    case isa::DsdKind::none: break;
    case isa::DsdKind::mem:
      if ((d = differ(n + "base", a.base, b.base)) || (d = differ(n + "len0", a.len0, b.len0)) ||
          (d = differ(n + "stride0", a.stride0, b.stride0)) ||
          (d = differ(n + "len1", a.len1, b.len1)) ||
          (d = differ(n + "stride1", a.stride1, b.stride1))) {
        return d;
      }
      break;
    case isa::DsdKind::fout:
      if ((d = differ(n + "dst_x", a.dst_x, b.dst_x)) ||
          (d = differ(n + "dst_y", a.dst_y, b.dst_y))) {
        return d;
      }
      [[fallthrough]];
    case isa::DsdKind::fin:
      if ((d = differ(n + "color", a.color, b.color)) || (d = differ(n + "len", a.len, b.len))) {
        return d;
      }
      break;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ArchState::diff(const ArchState& o) const {
  std::optional<std::string> d;
  if ((d = differ("halted", halted, o.halted)) ||
      (d = differ("error code", static_cast<unsigned>(code), static_cast<unsigned>(o.code))) ||
      (d = differ("err_pc", err_pc, o.err_pc)) || (d = differ("pc", pc, o.pc))) {
    return d;
  }
  for (unsigned i = 0; i < regs.size(); ++i) {
    if ((d = differ(fmt::format("r{}", i), regs[i], o.regs[i]))) return d;
  }
  for (unsigned i = 0; i < dsds.size(); ++i) {
    if ((d = dsd_diff(i, dsds[i], o.dsds[i]))) return d;
  }
  for (unsigned i = 0; i < tasks.size(); ++i) {
    const Task& a = tasks[i];
    const Task& b = o.tasks[i];
    const std::string n = fmt::format("task[{}].", i);
    if ((d = differ(n + "entry", a.entry, b.entry)) ||
        (d = differ(n + "bound", a.bound, b.bound)) ||
        (a.bound && (d = differ(n + "color", a.color, b.color))) ||
        (d = differ(n + "active", a.active, b.active)) ||
        (d = differ(n + "blocked", a.blocked, b.blocked))) {
      return d;
    }
  }
  for (unsigned e = 0; e < isa::kNumEngines; ++e) {
    if ((d = differ(fmt::format("engine[{}].busy", e), (busy >> e) & 1u, (o.busy >> e) & 1u)) ||
        (d = differ(fmt::format("engine[{}].done", e), (done >> e) & 1u, (o.done >> e) & 1u))) {
      return d;
    }
  }
  if ((d = differ("mem size", mem.size(), o.mem.size()))) return d;
  for (std::size_t a = 0; a < mem.size(); ++a) {
    if (mem[a] != o.mem[a]) return differ(fmt::format("mem[0x{:04x}]", a), mem[a], o.mem[a]);
  }
  return std::nullopt;
}

}  // namespace wm::sw::ref
