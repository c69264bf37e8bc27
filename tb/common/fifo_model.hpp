// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Cycle model of rtl/common/wm_fifo.sv: what its outputs are in a cycle, and its state after
// the clock edge that ends the cycle.

#include <cstddef>
#include <cstdint>
#include <deque>

namespace wm::tb {

class FifoModel {
 public:
  struct Inputs {
    bool flush = false;
    std::uint32_t wdata = 0;
    bool wvalid = false;
    bool rready = false;
  };
  struct Outputs {
    bool wready;
    bool rvalid;
    std::uint32_t rdata;  ///< meaningful only when rvalid
    std::size_t count;
  };

  explicit FifoModel(std::size_t depth) : depth_(depth) {}

  Outputs outputs() const {
    return {entries_.size() != depth_, !entries_.empty(),
            entries_.empty() ? 0U : entries_.front(), entries_.size()};
  }

  /// The clock edge that ends a cycle with inputs `in`: flush wins over push and pop; a push
  /// needs room before the edge (a pop in the same cycle does not make room).
  void clock(const Inputs& in) {
    if (in.flush) {
      entries_.clear();
      return;
    }
    Outputs o = outputs();
    bool push = in.wvalid && o.wready;
    bool pop = in.rready && o.rvalid;
    if (pop) entries_.pop_front();
    if (push) entries_.push_back(in.wdata);
  }

  void reset() { entries_.clear(); }
  std::size_t depth() const { return depth_; }

 private:
  std::size_t depth_;
  std::deque<std::uint32_t> entries_;
};

}  // namespace wm::tb
