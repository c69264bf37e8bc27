// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Cycle model of rtl/sram/wm_sram_bank.sv, the scoreboard of its tests: the grants it gives for
// a cycle's requests, its outputs in a cycle, and its state after the clock edge that ends the
// cycle. Written from the documented rules (fixed priority per bank: injection write-back,
// injection read, write, read ports in order; out-of-range requests granted without a bank),
// not from the RTL's structure.

#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "secded.hpp"

namespace wm::tb::sram {

inline constexpr unsigned kMaxReadPorts = 8;

struct SramConfig {
  unsigned size_bytes = 49152;
  unsigned num_banks = 8;
  unsigned num_read_ports = 2;
  unsigned addr_width = 16;
  bool ecc = false;
  unsigned ecc_cnt_width = 16;

  unsigned num_words() const { return size_bytes / 4; }
  unsigned stored_bits() const { return ecc ? Secded::kCodeBits : Secded::kDataBits; }
  std::uint64_t addr_space() const { return std::uint64_t{1} << addr_width; }
  bool in_range(std::uint32_t addr) const { return addr < num_words(); }
  unsigned bank(std::uint32_t addr) const { return addr % num_banks; }

  /// The RTL's elaboration checks, so a test built with bad parameters says why.
  void validate() const {
    const bool pow2 = num_banks >= 2 && num_banks <= 64 && (num_banks & (num_banks - 1)) == 0;
    if (!pow2 || size_bytes % (4 * num_banks) != 0 || num_words() / num_banks < 2 ||
        num_read_ports < 1 || num_read_ports > kMaxReadPorts || addr_width > 31 ||
        num_words() > addr_space() || ecc_cnt_width < 1 || ecc_cnt_width > 63) {
      throw std::invalid_argument(fmt::format(
          "SRAM config size_bytes={} num_banks={} num_read_ports={} addr_width={} "
          "ecc_cnt_width={}: banks must be a power of two in 2..64 dividing size_bytes / 4 "
          "into >= 2 words each, 1..{} read ports, and addr_width must reach every word",
          size_bytes, num_banks, num_read_ports, addr_width, ecc_cnt_width, kMaxReadPorts));
    }
  }
};

/// One cycle's inputs (read ports beyond num_read_ports are ignored).
struct SramInputs {
  std::array<bool, kMaxReadPorts> rd_req{};
  std::array<std::uint32_t, kMaxReadPorts> rd_addr{};
  bool wr_req = false;
  std::uint32_t wr_addr = 0;
  std::uint32_t wr_data = 0;
  bool err_clear = false;
  bool ecc_cnt_clear = false;
  bool inj_req = false;
  std::uint32_t inj_addr = 0;
  std::uint64_t inj_mask = 0;
};

/// The combinational grants for one cycle's inputs.
struct SramGrants {
  std::array<bool, kMaxReadPorts> rd{};
  bool wr = false;
  bool inj = false;
};

/// The registered outputs of one cycle (responses to the previous cycle's grants).
struct SramOutputs {
  std::array<bool, kMaxReadPorts> rd_valid{};
  std::array<std::uint32_t, kMaxReadPorts> rd_data{};  ///< meaningful only when rd_valid
  std::array<bool, kMaxReadPorts> rd_err{};
  std::array<bool, kMaxReadPorts> rd_ecc_corr{};
  std::array<bool, kMaxReadPorts> rd_ecc_uncorr{};
  bool wr_err = false;
  bool err = false;
  std::uint64_t ecc_corr_cnt = 0;
  std::uint64_t ecc_uncorr_cnt = 0;
};

class SramModel {
 public:
  explicit SramModel(const SramConfig& cfg)
      : cfg_(cfg), stored_(cfg.num_words(), 0), written_(cfg.num_words(), false) {
    cfg_.validate();
  }

  const SramConfig& config() const { return cfg_; }

  SramGrants grants(const SramInputs& in) const {
    SramGrants g;
    std::array<bool, 64> taken{};
    if (injwb_.pending) taken[cfg_.bank(injwb_.addr)] = true;
    // Each requester takes its bank unless one before it in priority order already did.
    auto claim = [&](bool req, std::uint32_t addr) {
      if (!req) return false;
      if (!cfg_.in_range(addr)) return true;
      bool& t = taken[cfg_.bank(addr)];
      if (t) return false;
      t = true;
      return true;
    };
    g.inj = claim(in.inj_req && !injwb_.pending, in.inj_addr);
    g.wr = claim(in.wr_req, in.wr_addr);
    for (unsigned p = 0; p < cfg_.num_read_ports; ++p) g.rd[p] = claim(in.rd_req[p], in.rd_addr[p]);
    return g;
  }

  SramOutputs outputs() const {
    SramOutputs o;
    for (unsigned p = 0; p < cfg_.num_read_ports; ++p) {
      const Response& r = resp_[p];
      o.rd_valid[p] = r.valid;
      o.rd_err[p] = r.valid && r.err;
      if (!r.valid) continue;
      if (r.err) {
        o.rd_data[p] = 0;
      } else if (cfg_.ecc) {
        const Secded::Decoded d = Secded::decode(r.raw);
        o.rd_data[p] = d.data;
        o.rd_ecc_corr[p] = d.corrected;
        o.rd_ecc_uncorr[p] = d.uncorrectable;
      } else {
        o.rd_data[p] = static_cast<std::uint32_t>(r.raw);
      }
    }
    o.wr_err = wr_err_;
    o.err = err_;
    o.ecc_corr_cnt = corr_cnt_;
    o.ecc_uncorr_cnt = uncorr_cnt_;
    return o;
  }

  /// The clock edge that ends a cycle with inputs `in`.
  void clock(const SramInputs& in) {
    const SramGrants g = grants(in);
    const SramOutputs o = outputs();
    bool new_err = false;
    // Reads see the memory before this edge's writes; a write granted in the same cycle is in
    // another bank, so the order only matters for the model's own bookkeeping.
    for (unsigned p = 0; p < cfg_.num_read_ports; ++p) {
      Response& r = resp_[p];
      r.valid = g.rd[p];
      r.err = g.rd[p] && !cfg_.in_range(in.rd_addr[p]);
      r.raw = 0;
      if (r.valid && !r.err) r.raw = read(in.rd_addr[p], "read port");
      new_err = new_err || r.err;
    }
    if (injwb_.pending) stored_[injwb_.addr] ^= injwb_.mask;
    wr_err_ = g.wr && !cfg_.in_range(in.wr_addr);
    if (g.wr && !wr_err_) {
      stored_[in.wr_addr] = store_form(in.wr_data);
      written_[in.wr_addr] = true;
    }
    const bool inj_oor = g.inj && !cfg_.in_range(in.inj_addr);
    if (g.inj && !inj_oor) read(in.inj_addr, "fault injection");
    injwb_ = {g.inj && !inj_oor, in.inj_addr, in.inj_mask & stored_mask()};
    err_ = (err_ && !in.err_clear) || new_err || wr_err_ || inj_oor;
    if (cfg_.ecc) {
      std::uint64_t corr = 0, uncorr = 0;
      for (unsigned p = 0; p < cfg_.num_read_ports; ++p) {
        corr += o.rd_ecc_corr[p];
        uncorr += o.rd_ecc_uncorr[p];
      }
      corr_cnt_ = saturate((in.ecc_cnt_clear ? 0 : corr_cnt_) + corr);
      uncorr_cnt_ = saturate((in.ecc_cnt_clear ? 0 : uncorr_cnt_) + uncorr);
    }
  }

  /// Asynchronous reset: every control register, not the storage.
  void reset() {
    resp_ = {};
    injwb_ = {};
    wr_err_ = false;
    err_ = false;
    corr_cnt_ = 0;
    uncorr_cnt_ = 0;
  }

  /// A word as a preload file puts it there.
  void preload(std::uint32_t addr, std::uint32_t data) {
    stored_.at(addr) = store_form(data);
    written_.at(addr) = true;
  }

  /// The stored word (with check bits when ECC is on), for tests that reason about faults.
  std::uint64_t stored(std::uint32_t addr) const { return stored_.at(addr); }
  std::uint64_t store_form(std::uint32_t data) const {
    return cfg_.ecc ? Secded::encode(data) : data;
  }
  std::uint64_t stored_mask() const { return (std::uint64_t{1} << cfg_.stored_bits()) - 1; }

 private:
  struct Response {
    bool valid = false;
    bool err = false;
    std::uint64_t raw = 0;
  };
  struct InjWriteBack {
    bool pending = false;
    std::uint32_t addr = 0;
    std::uint64_t mask = 0;
  };

  // The RTL's storage has no reset; a test must write (or preload) a word before reading it,
  // or its value is whatever the simulator started with.
  std::uint64_t read(std::uint32_t addr, const char* who) const {
    if (!written_[addr]) {
      throw std::logic_error(
          fmt::format("test bug: {} of word {:#x}, never written or preloaded", who, addr));
    }
    return stored_[addr];
  }

  std::uint64_t saturate(std::uint64_t v) const {
    const std::uint64_t max = (std::uint64_t{1} << cfg_.ecc_cnt_width) - 1;
    return v > max ? max : v;
  }

  SramConfig cfg_;
  std::vector<std::uint64_t> stored_;
  std::vector<bool> written_;
  std::array<Response, kMaxReadPorts> resp_{};
  InjWriteBack injwb_;
  bool wr_err_ = false;
  bool err_ = false;
  std::uint64_t corr_cnt_ = 0;
  std::uint64_t uncorr_cnt_ = 0;
};

}  // namespace wm::tb::sram
