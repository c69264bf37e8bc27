// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sim/wafersim/phases.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "wm/sim/wafersim/rtl_run.hpp"

namespace wm::sim::wafersim {

std::string phase_label(const std::string& name, int layer) {
  return layer < 0 ? name : fmt::format("{} L{}", name, layer);
}

std::string tile_name(unsigned t, unsigned width) {
  return fmt::format("({}, {})", t % width, t / width);
}

std::vector<PhaseTiming> PhaseClock::split(std::span<const std::span<const MarkHit>> hits,
                                           std::uint64_t entry, std::uint64_t exit,
                                           unsigned last_tile, unsigned width) const {
  for (unsigned t = 0; t < hits.size(); ++t) {
    if (hits[t].size() != phases_) {
      throw RtlError(fmt::format(
          "tile {} reached {} of its {} phase marks in this token (a program that skipped or "
          "repeated a phase)",
          tile_name(t, width), hits[t].size(), phases_));
    }
    for (std::size_t p = 0; p < phases_; ++p) {
      if (hits[t][p].mark != p) {
        throw RtlError(fmt::format("tile {} reached phase mark {} where mark {} was due",
                                   tile_name(t, width), hits[t][p].mark, p));
      }
    }
  }
  std::vector<PhaseTiming> out(phases_);
  std::uint64_t begin = entry;
  for (std::size_t p = 0; p < phases_; ++p) {
    PhaseTiming& ph = out[p];
    ph.begin = begin;
    const bool last = p + 1 == phases_;
    if (last) {
      ph.end = exit;
      ph.critical = last_tile;
    } else {
      for (unsigned t = 0; t < hits.size(); ++t) {
        if (hits[t][p + 1].cycle >= ph.end) {
          ph.end = hits[t][p + 1].cycle;
          ph.critical = t;
        }
      }
      ph.end = std::max(ph.end, begin);
    }
    const auto& h = hits[ph.critical];
    ph.tile_begin = h[p].cycle;
    ph.tile_end = last ? exit : h[p + 1].cycle;
    if (!last) ph.work = h[p + 1].at - h[p].at;
    begin = ph.end;
  }
  return out;
}

bool Tolerance::holds(std::int64_t predicted, std::uint64_t measured) const {
  const double diff = std::abs(static_cast<double>(measured) - static_cast<double>(predicted));
  return diff <= ratio * static_cast<double>(predicted) + static_cast<double>(slack);
}

std::string explain(const PhaseTiming& p, unsigned width) {
  const std::string tile = tile_name(p.critical, width);
  const std::uint64_t late = p.tile_begin > p.begin ? p.tile_begin - p.begin : 0;
  if (p.tile_end <= p.tile_begin || p.work.running == 0) {
    return fmt::format("critical tile {}: no instruction of this phase ran there before cycle "
                       "{} (it waited for its task or for the previous phase)",
                       tile, p.end);
  }
  const std::uint64_t window = p.tile_end - p.tile_begin;
  const std::uint64_t doing = p.work.elems + p.work.retired;
  const std::uint64_t wait = p.work.running > doing ? p.work.running - doing : 0;
  const std::uint64_t idle = window > p.work.running ? window - p.work.running : 0;
  return fmt::format(
      "critical tile {} (entered the phase {} cycles after it began): of its {} cycles, {} "
      "issued vector elements ({} FMAC), {} retired instructions, {} task wait (running, "
      "neither issuing nor retiring: fabric input, output credit or SRAM bank conflict), {} "
      "idle (no task running); ramp {} in / {} out",
      tile, late, window, p.work.elems, p.work.macs, p.work.retired, wait, idle, p.work.ramp_rx,
      p.work.ramp_tx);
}

}  // namespace wm::sim::wafersim
