// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Cycle model of rtl/common/wm_rr_arb.sv: the grant is the first requester at or after the
// priority pointer (wrapping); the pointer moves just past the grant when `advance` is set.

#include <cstdint>
#include <optional>

namespace wm::tb {

class RrArbModel {
 public:
  explicit RrArbModel(unsigned n) : n_(n) {}

  /// Index granted for request bits `req` this cycle (none when nobody requests).
  std::optional<unsigned> grant(std::uint64_t req) const {
    for (unsigned k = 0; k < n_; ++k) {
      unsigned i = (prio_ + k) % n_;
      if ((req >> i) & 1U) return i;
    }
    return std::nullopt;
  }

  void clock(std::uint64_t req, bool advance) {
    auto g = grant(req);
    if (g && advance) prio_ = (*g + 1) % n_;
  }

  void reset() { prio_ = 0; }
  unsigned n() const { return n_; }

 private:
  unsigned n_;
  unsigned prio_ = 0;
};

}  // namespace wm::tb
