// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// wm_sram_bank against SramModel, every grant and every output compared cycle by cycle, plus
// directed tests that pin the documented rules (priority, errors, ECC, preload) to explicit
// values. Built once per parameter set: CMakeLists.txt passes WM_SRAM_DUT and the parameters
// and force-includes the model's header.
//
// WM_SRAM_CYCLES sets the random-traffic length (default 50000; regress runs 2 M).
#include <wm/harness/harness.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>

#include "sram_dut.hpp"
#include "sram_image.hpp"
#include "sram_model.hpp"

using namespace wm::harness;
using namespace wm::tb::sram;

WM_TEST_DUT(WM_SRAM_DUT);

namespace {
using Dut = WM_SRAM_DUT;

constexpr SramConfig kCfg{WM_SRAM_SIZE_BYTES, WM_SRAM_BANKS, WM_SRAM_READ_PORTS,
                          WM_SRAM_ADDR_WIDTH, WM_SRAM_ECC != 0, WM_SRAM_ECC_CNT_WIDTH};
constexpr unsigned kPorts = WM_SRAM_READ_PORTS;
constexpr double kLongRunNs = 1e12;

std::uint64_t cycles_from_env(std::uint64_t fallback) {
  const char* env = std::getenv("WM_SRAM_CYCLES");
  if (env == nullptr) return fallback;
  try {
    std::size_t used = 0;
    const unsigned long long n = std::stoull(env, &used);
    if (used == std::string(env).size() && n > 0) return n;
  } catch (const std::exception&) {
  }
  throw std::invalid_argument(
      fmt::format("WM_SRAM_CYCLES='{}': expected a positive number of cycles", env));
}

// Compares the DUT with the model in the ReadOnly phase of a cycle, then advances the model
// past the cycle's clock edge. Returns the cycle's grants.
class Scoreboard {
 public:
  Scoreboard(Dut& dut, SramModel& model) : dut_(dut), model_(model) {}

  SramGrants check_cycle(const SramInputs& in) {
    const SramGrants want = model_.grants(in);
    const SramGrants got = sample_grants(dut_, kCfg);
    for (unsigned p = 0; p < kPorts; ++p) {
      check(got.rd[p] == want.rd[p], "cycle {}: rd_gnt_o[{}] {} expected {} (req {} addr {:#x})",
            cycle_, p, got.rd[p], want.rd[p], in.rd_req[p], in.rd_addr[p]);
    }
    check(got.wr == want.wr, "cycle {}: wr_gnt_o {} expected {} (req {} addr {:#x})", cycle_,
          got.wr, want.wr, in.wr_req, in.wr_addr);
    check(got.inj == want.inj, "cycle {}: inj_gnt_o {} expected {}", cycle_, got.inj, want.inj);
    const SramOutputs o = sample_outputs(dut_, kCfg);
    const SramOutputs m = model_.outputs();
    for (unsigned p = 0; p < kPorts; ++p) {
      check(o.rd_valid[p] == m.rd_valid[p], "cycle {}: rd_valid_o[{}] {} expected {}", cycle_, p,
            o.rd_valid[p], m.rd_valid[p]);
      if (!m.rd_valid[p]) continue;
      check(o.rd_data[p] == m.rd_data[p], "cycle {}: rd_data_o[{}] {:#010x} expected {:#010x}",
            cycle_, p, o.rd_data[p], m.rd_data[p]);
      check(o.rd_err[p] == m.rd_err[p] && o.rd_ecc_corr[p] == m.rd_ecc_corr[p] &&
                o.rd_ecc_uncorr[p] == m.rd_ecc_uncorr[p],
            "cycle {}: port {} err/corr/uncorr {}/{}/{} expected {}/{}/{}", cycle_, p,
            o.rd_err[p], o.rd_ecc_corr[p], o.rd_ecc_uncorr[p], m.rd_err[p], m.rd_ecc_corr[p],
            m.rd_ecc_uncorr[p]);
    }
    check(o.wr_err == m.wr_err && o.err == m.err, "cycle {}: wr_err_o/err_o {}/{} expected {}/{}",
          cycle_, o.wr_err, o.err, m.wr_err, m.err);
    check(o.ecc_corr_cnt == m.ecc_corr_cnt && o.ecc_uncorr_cnt == m.ecc_uncorr_cnt,
          "cycle {}: ECC counters corrected {} uncorrectable {}, expected {} {}", cycle_,
          o.ecc_corr_cnt, o.ecc_uncorr_cnt, m.ecc_corr_cnt, m.ecc_uncorr_cnt);
    model_.clock(in);
    ++cycle_;
    return got;
  }

  /// Outputs of the current cycle as the model has them (already checked against the DUT).
  SramOutputs outputs() const { return model_.outputs(); }
  SramModel& model() { return model_; }

 private:
  Dut& dut_;
  SramModel& model_;
  std::uint64_t cycle_ = 0;
};

Task<> clock_and_reset(Dut& dut) {
  start_soon(Clock(dut.clk_i, 2, Unit::ns).start());
  drive(dut, kCfg, SramInputs{});
  dut.rst_ni = 0;
  co_await ClockCycles(dut.clk_i, 2);
  dut.rst_ni = 1;
}

// One cycle of directed stimulus: drive, compare in ReadOnly, move past the edge. Directed
// tests only; the random loop inlines this to keep coroutine frames out of its hot path.
Task<SramGrants> step(Dut& dut, Scoreboard& sb, const SramInputs& in) {
  drive(dut, kCfg, in);
  co_await ReadOnly();
  const SramGrants g = sb.check_cycle(in);
  co_await RisingEdge(dut.clk_i);
  co_return g;
}

// Writes data(addr) to every word through the write port, one per cycle (unit stride, so no
// conflicts), then lets the last write settle.
template <class DataFn>
Task<> fill(Dut& dut, Scoreboard& sb, DataFn data) {
  SramInputs in;
  in.wr_req = true;
  for (std::uint32_t a = 0; a < kCfg.num_words(); ++a) {
    in.wr_addr = a;
    in.wr_data = data(a);
    const SramGrants g = co_await step(dut, sb, in);
    check(g.wr, "fill: write of word {:#x} not granted with nothing else requesting", a);
  }
  co_await step(dut, sb, SramInputs{});
}

SramInputs read_at(unsigned port, std::uint32_t addr) {
  SramInputs in;
  in.rd_req[port] = true;
  in.rd_addr[port] = addr;
  return in;
}

// ---------------------------------------------------------------------------------------------
// Random 2R1W (NR1W) traffic: every requester holds its request until granted, as the PE does.
class Traffic {
 public:
  explicit Traffic(std::mt19937_64& rng) : rng_(rng) { new_phase(); }

  /// The next cycle's inputs, given which of this cycle's requests were granted.
  const SramInputs& next(const SramGrants& g) {
    if (++phase_cycle_ == 512) new_phase();
    for (unsigned p = 0; p < kPorts; ++p) {
      if (in_.rd_req[p] && !g.rd[p]) continue;  // held
      in_.rd_req[p] = chance(rd_rate_);
      in_.rd_addr[p] = address(p);
    }
    if (!(in_.wr_req && !g.wr)) {
      in_.wr_req = chance(wr_rate_);
      in_.wr_addr = address(kPorts);
      in_.wr_data = static_cast<std::uint32_t>(rng_());
    }
    if (!(in_.inj_req && !g.inj)) {
      in_.inj_req = chance(1.0 / 150);
      in_.inj_addr = address(kPorts + 1);
      in_.inj_mask = fault_mask();
    }
    in_.err_clear = chance(1.0 / 100);
    in_.ecc_cnt_clear = chance(1.0 / 700);
    return in_;
  }

  /// All requests dropped (an asynchronous reset): the requesters start over.
  void drop_requests() { in_ = SramInputs{}; }

 private:
  enum class Mode { Random, Streams, HotBanks };

  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  std::uint32_t below(std::uint64_t n) {
    return static_cast<std::uint32_t>(std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_));
  }

  void new_phase() {
    phase_cycle_ = 0;
    mode_ = static_cast<Mode>(below(3));
    static constexpr double kRates[] = {0.3, 0.7, 1.0};
    rd_rate_ = kRates[below(3)];
    wr_rate_ = kRates[below(3)];
    for (auto& s : stream_) {
      s.next = below(kCfg.num_words());
      // Unit stride spreads over the banks; a stride of NumBanks hammers one bank.
      static constexpr std::uint32_t kStrides[] = {1, 2, 3, kCfg.num_banks};
      s.stride = kStrides[below(4)];
    }
    hot_[0] = below(kCfg.num_banks);
    hot_[1] = below(kCfg.num_banks);
  }

  // Requester r: read ports 0..kPorts-1, then the write port, then fault injection.
  std::uint32_t address(unsigned r) {
    if (kCfg.num_words() < kCfg.addr_space() && chance(1.0 / 64)) {
      return kCfg.num_words() + below(kCfg.addr_space() - kCfg.num_words());
    }
    switch (mode_) {
      case Mode::Streams: {
        Stream& s = stream_[r];
        const std::uint32_t a = s.next;
        s.next = (s.next + s.stride) % kCfg.num_words();
        return a;
      }
      case Mode::HotBanks: {
        const std::uint32_t rows = kCfg.num_words() / kCfg.num_banks;
        return below(rows) * kCfg.num_banks + hot_[below(2)];
      }
      case Mode::Random:
        break;
    }
    return below(kCfg.num_words());
  }

  std::uint64_t fault_mask() {
    const unsigned bits = kCfg.stored_bits();
    std::uint64_t m = std::uint64_t{1} << below(bits);
    if (chance(0.3)) m |= std::uint64_t{1} << below(bits);  // often a double flip
    return m;
  }

  struct Stream {
    std::uint32_t next = 0;
    std::uint32_t stride = 1;
  };

  std::mt19937_64& rng_;
  SramInputs in_;
  Mode mode_ = Mode::Random;
  unsigned phase_cycle_ = 0;
  double rd_rate_ = 0.5, wr_rate_ = 0.5;
  std::array<Stream, kMaxReadPorts + 2> stream_{};
  std::array<std::uint32_t, 2> hot_{};
};

// What the random stimulus reached, so a run that never conflicted cannot pass as a proof.
struct Coverage {
  std::uint64_t reads = 0, writes = 0, rd_rd_stalls = 0, rd_wr_stalls = 0, wr_inj_stalls = 0;
  std::uint64_t oor = 0, injections = 0, corrected = 0, uncorrectable = 0;

  void count(const SramInputs& in, const SramGrants& g, const SramOutputs& o) {
    std::array<int, 64> reader{};  // bank -> first in-range requesting read port + 1
    for (unsigned p = 0; p < kPorts; ++p) {
      reads += g.rd[p];
      if (!in.rd_req[p]) continue;
      if (!kCfg.in_range(in.rd_addr[p])) {
        oor += g.rd[p];
        continue;
      }
      const unsigned b = kCfg.bank(in.rd_addr[p]);
      if (!g.rd[p] && reader[b] != 0) ++rd_rd_stalls;
      if (!g.rd[p] && reader[b] == 0 && in.wr_req && kCfg.in_range(in.wr_addr) &&
          kCfg.bank(in.wr_addr) == b) {
        ++rd_wr_stalls;
      }
      if (reader[b] == 0) reader[b] = static_cast<int>(p) + 1;
    }
    writes += g.wr;
    wr_inj_stalls += in.wr_req && !g.wr;
    injections += g.inj;
    for (unsigned p = 0; p < kPorts; ++p) {
      corrected += o.rd_ecc_corr[p];
      uncorrectable += o.rd_ecc_uncorr[p];
    }
  }
};

}  // namespace

WM_TEST_WITH(random_traffic_matches_model, .sim_time_limit_ns = kLongRunNs) {
  co_await clock_and_reset(dut);
  SramModel model(kCfg);
  Scoreboard sb(dut, model);
  auto& rng = random();
  co_await fill(dut, sb, [&](std::uint32_t) { return static_cast<std::uint32_t>(rng()); });

  const std::uint64_t cycles = cycles_from_env(50000);
  Traffic traffic(rng);
  Coverage cov;
  SramGrants g;
  for (std::uint64_t c = 0; c < cycles; ++c) {
    if (c == cycles / 2) {
      // Asynchronous reset mid-traffic: responses and a pending injection vanish, the storage
      // keeps its contents.
      drive(dut, kCfg, SramInputs{});
      dut.rst_ni = 0;
      co_await ReadOnly();
      model.reset();
      traffic.drop_requests();
      g = SramGrants{};
      co_await RisingEdge(dut.clk_i);
      dut.rst_ni = 1;
    }
    const SramInputs& in = traffic.next(g);
    drive(dut, kCfg, in);
    co_await ReadOnly();
    const SramOutputs o = sb.outputs();
    g = sb.check_cycle(in);
    cov.count(in, g, o);
    co_await RisingEdge(dut.clk_i);
  }
  log().info("{} cycles: {} reads, {} writes; stalls: {} read-read, {} read-write, {} write; "
             "{} out of range, {} injections, {} corrected, {} uncorrectable reads",
             cycles, cov.reads, cov.writes, cov.rd_rd_stalls, cov.rd_wr_stalls,
             cov.wr_inj_stalls, cov.oor, cov.injections, cov.corrected, cov.uncorrectable);
  check(cov.reads > cycles / 4 && cov.writes > cycles / 8 && cov.rd_wr_stalls > 0 &&
            cov.wr_inj_stalls > 0 && cov.injections > 0,
        "weak stimulus: reads {} writes {} read-write stalls {} write stalls {} injections {}",
        cov.reads, cov.writes, cov.rd_wr_stalls, cov.wr_inj_stalls, cov.injections);
  if (kPorts > 1) check(cov.rd_rd_stalls > 0, "no read-read bank conflict in {} cycles", cycles);
  if (kCfg.num_words() < kCfg.addr_space()) check(cov.oor > 0, "no out-of-range read");
  if (kCfg.ecc) {
    check(cov.corrected > 0 && cov.uncorrectable > 0, "ECC: {} corrected, {} uncorrectable",
          cov.corrected, cov.uncorrectable);
  }
}

// The documented priority, value for value: injection write-back, injection read, write,
// then read ports in order; the loser waits and is granted the cycle after.
WM_TEST(conflicts_follow_the_fixed_priority) {
  co_await clock_and_reset(dut);
  SramModel model(kCfg);
  Scoreboard sb(dut, model);
  auto value = [](std::uint32_t a) { return 0x5a000000U ^ (a * 0x01010101U); };
  co_await fill(dut, sb, value);
  const std::uint32_t nb = kCfg.num_banks;

  // Every read port on bank 1 (different rows): granted one per cycle, port order.
  SramInputs all_one_bank;
  for (unsigned p = 0; p < kPorts; ++p) {
    all_one_bank.rd_req[p] = true;
    all_one_bank.rd_addr[p] = 1 + nb * p;
  }
  SramInputs in = all_one_bank;
  for (unsigned turn = 0; turn < kPorts; ++turn) {
    const SramGrants g = co_await step(dut, sb, in);
    for (unsigned p = 0; p < kPorts; ++p) {
      check(g.rd[p] == (p == turn), "one bank, turn {}: port {} grant {}", turn, p, g.rd[p]);
    }
    in.rd_req[turn] = false;
    // The model's next outputs, which the next step compares with the DUT's.
    const SramOutputs o = sb.outputs();
    check(o.rd_valid[turn] && o.rd_data[turn] == value(1 + nb * turn), "port {} data {:#x}",
          turn, o.rd_data[turn]);
  }
  co_await step(dut, sb, SramInputs{});

  // Two ports reading the very same word still conflict (one bank, one access).
  if (kPorts > 1) {
    in = read_at(0, 7);
    in.rd_req[1] = true;
    in.rd_addr[1] = 7;
    SramGrants g = co_await step(dut, sb, in);
    check(g.rd[0] && !g.rd[1], "same word: grants {} {}", g.rd[0], g.rd[1]);
    in.rd_req[0] = false;
    g = co_await step(dut, sb, in);
    check(g.rd[1], "same word: port 1 not granted the cycle after");
    co_await step(dut, sb, SramInputs{});
  }

  // Write and read on one bank: the write goes first, so the read, granted a cycle later,
  // returns the new value.
  in = read_at(0, 2 * nb + 3);
  in.wr_req = true;
  in.wr_addr = 2 * nb + 3;
  in.wr_data = 0xcafef00dU;
  SramGrants g = co_await step(dut, sb, in);
  check(g.wr && !g.rd[0], "write+read same bank: grants wr {} rd {}", g.wr, g.rd[0]);
  in.wr_req = false;
  g = co_await step(dut, sb, in);
  check(g.rd[0], "read after the write not granted");
  check(sb.outputs().rd_data[0] == 0xcafef00dU, "read-after-write got {:#x}",
        sb.outputs().rd_data[0]);
  co_await step(dut, sb, SramInputs{});

  // Distinct banks: everyone in the same cycle.
  if (nb >= kPorts + 1) {
    in = SramInputs{};
    for (unsigned p = 0; p < kPorts; ++p) {
      in.rd_req[p] = true;
      in.rd_addr[p] = p + nb * 5;
    }
    in.wr_req = true;
    in.wr_addr = kPorts + nb * 6;
    in.wr_data = 1;
    g = co_await step(dut, sb, in);
    bool all = g.wr;
    for (unsigned p = 0; p < kPorts; ++p) all = all && g.rd[p];
    check(all, "requests to {} distinct banks not all granted in one cycle", kPorts + 1);
    co_await step(dut, sb, SramInputs{});
  }

  // A fault injection holds its bank for two cycles (read, then write-back): a write to that
  // bank waits both, a read of another bank does not wait at all.
  in = SramInputs{};
  in.inj_req = true;
  in.inj_addr = 4;
  in.inj_mask = 1;
  in.wr_req = true;
  in.wr_addr = 4 + nb;
  in.wr_data = 2;
  in.rd_req[0] = true;
  in.rd_addr[0] = 5;
  g = co_await step(dut, sb, in);
  check(g.inj && !g.wr && g.rd[0], "injection cycle 1: inj {} wr {} rd {}", g.inj, g.wr,
        g.rd[0]);
  in.inj_req = true;  // a second injection must wait for the first to finish
  in.inj_addr = 6;
  in.rd_req[0] = false;
  g = co_await step(dut, sb, in);
  check(!g.inj && !g.wr, "injection cycle 2: inj {} wr {}", g.inj, g.wr);
  in.inj_req = false;
  g = co_await step(dut, sb, in);
  check(g.wr, "write not granted after the injection's write-back");
  co_await step(dut, sb, SramInputs{});
}

// Out-of-range requests: granted at once, flagged, not performed, and harmless to the
// accesses beside them.
WM_TEST(out_of_range_is_flagged_and_harmless) {
  if (kCfg.num_words() == kCfg.addr_space()) {
    skip("every {}-bit address is in range", kCfg.addr_width);
  }
  co_await clock_and_reset(dut);
  SramModel model(kCfg);
  Scoreboard sb(dut, model);
  auto value = [](std::uint32_t a) { return preload_pattern(a ^ 0x777); };
  co_await fill(dut, sb, value);
  const std::uint32_t n = kCfg.num_words();
  const std::uint32_t top = static_cast<std::uint32_t>(kCfg.addr_space() - 1);
  // Addresses that would alias a real word if the range check or the row slicing were wrong.
  const std::array<std::uint32_t, 4> bad{n, n + 5, top, (top & ~(n - 1)) | 5};

  for (std::uint32_t oor : bad) {
    if (oor < n) continue;
    SramInputs in = read_at(0, oor);
    if (kPorts > 1) {
      in.rd_req[1] = true;
      in.rd_addr[1] = 5;  // same bank as several of the bad addresses
    }
    in.wr_req = true;
    in.wr_addr = oor;
    in.wr_data = 0xdeadbeefU;
    SramGrants g = co_await step(dut, sb, in);
    check(g.rd[0] && g.wr && (kPorts == 1 || g.rd[1]), "address {:#x}: not all granted", oor);
    SramOutputs o = sb.outputs();
    check(o.rd_valid[0] && o.rd_err[0] && o.rd_data[0] == 0 && o.wr_err && o.err,
          "address {:#x}: rd_err {} data {:#x} wr_err {} err {}", oor, o.rd_err[0],
          o.rd_data[0], o.wr_err, o.err);
    if (kPorts > 1) {
      check(o.rd_valid[1] && !o.rd_err[1] && o.rd_data[1] == value(5),
            "the in-range read beside it: err {} data {:#x}", o.rd_err[1], o.rd_data[1]);
    }
    // Sticky until cleared; a clear in the cycle of a new error keeps it.
    co_await step(dut, sb, SramInputs{});
    check(sb.outputs().err && !sb.outputs().wr_err, "err_o not sticky");
    in = read_at(0, oor);
    in.err_clear = true;
    co_await step(dut, sb, in);
    check(sb.outputs().err, "a clear lost the error of its own cycle");
    in = SramInputs{};
    in.err_clear = true;
    co_await step(dut, sb, in);
    check(!sb.outputs().err, "err_o not cleared");
  }

  // An out-of-range injection is flagged and changes nothing.
  SramInputs in;
  in.inj_req = true;
  in.inj_addr = n;
  in.inj_mask = 1;
  co_await step(dut, sb, in);
  co_await step(dut, sb, SramInputs{});
  check(sb.outputs().err, "out-of-range injection not flagged");

  // Nothing was written anywhere. Unit stride over at most NumBanks ports: distinct banks,
  // all granted at once.
  const unsigned width = std::min(kPorts, kCfg.num_banks);
  for (std::uint32_t a = 0; a < n; a += width) {
    in = SramInputs{};
    for (unsigned p = 0; p < width && a + p < n; ++p) {
      in.rd_req[p] = true;
      in.rd_addr[p] = a + p;
    }
    co_await step(dut, sb, in);
    const SramOutputs o = sb.outputs();
    for (unsigned p = 0; p < width && a + p < n; ++p) {
      check(o.rd_valid[p] && o.rd_data[p] == value(a + p), "word {:#x} changed to {:#x}", a + p,
            o.rd_data[p]);
    }
  }
  co_await step(dut, sb, SramInputs{});
}

// Without ECC a fault injection flips the data bits themselves.
WM_TEST(fault_injection_flips_stored_bits) {
  co_await clock_and_reset(dut);
  SramModel model(kCfg);
  Scoreboard sb(dut, model);
  co_await fill(dut, sb, [](std::uint32_t a) { return a; });
  auto& rng = random();
  for (int k = 0; k < 64; ++k) {
    const auto addr = static_cast<std::uint32_t>(rng() % kCfg.num_words());
    const std::uint64_t mask = rng() & model.stored_mask();
    const std::uint64_t before = model.stored(addr);
    auto in = SramInputs{};
    in.inj_req = true;
    in.inj_addr = addr;
    in.inj_mask = mask;
    co_await step(dut, sb, in);
    co_await step(dut, sb, SramInputs{});  // write-back
    check(model.stored(addr) == (before ^ mask), "model: injection not applied");
    co_await step(dut, sb, read_at(0, addr));
    if (!kCfg.ecc) {
      check(sb.outputs().rd_data[0] == static_cast<std::uint32_t>(before ^ mask),
            "word {:#x} reads {:#x}, expected {:#x}", addr, sb.outputs().rd_data[0],
            before ^ mask);
    }
  }
  co_await step(dut, sb, SramInputs{});
}

#if WM_SRAM_ECC
// Every one of the 39 stored bits, flipped alone, is corrected on every read; the stored word
// keeps its fault (no scrubbing), so each read counts again.
WM_TEST(ecc_corrects_every_single_bit_flip) {
  co_await clock_and_reset(dut);
  SramModel model(kCfg);
  Scoreboard sb(dut, model);
  co_await fill(dut, sb, [](std::uint32_t a) { return ~a; });
  auto& rng = random();
  std::uint64_t corrected = 0;
  for (unsigned bit = 0; bit < Secded::kCodeBits; ++bit) {
    const auto addr = static_cast<std::uint32_t>(rng() % kCfg.num_words());
    const auto data = static_cast<std::uint32_t>(rng());
    auto in = SramInputs{};
    in.wr_req = true;
    in.wr_addr = addr;
    in.wr_data = data;
    co_await step(dut, sb, in);
    in = SramInputs{};
    in.inj_req = true;
    in.inj_addr = addr;
    in.inj_mask = std::uint64_t{1} << bit;
    co_await step(dut, sb, in);
    co_await step(dut, sb, SramInputs{});
    for (int again = 0; again < 2; ++again) {
      co_await step(dut, sb, read_at(0, addr));
      const SramOutputs o = sb.outputs();
      check(o.rd_data[0] == data && o.rd_ecc_corr[0] && !o.rd_ecc_uncorr[0],
            "bit {}: read {:#x} (wrote {:#x}) corr {} uncorr {}", bit, o.rd_data[0], data,
            o.rd_ecc_corr[0], o.rd_ecc_uncorr[0]);
      ++corrected;
    }
  }
  co_await step(dut, sb, SramInputs{});
  const std::uint64_t max = (std::uint64_t{1} << kCfg.ecc_cnt_width) - 1;
  check(sb.outputs().ecc_corr_cnt == std::min(corrected, max) &&
            sb.outputs().ecc_uncorr_cnt == 0,
        "counters {} {} after {} corrected reads", sb.outputs().ecc_corr_cnt,
        sb.outputs().ecc_uncorr_cnt, corrected);
}

// Every pair of flipped bits is detected and counted, never "corrected".
WM_TEST(ecc_detects_every_double_bit_flip) {
  co_await clock_and_reset(dut);
  SramModel model(kCfg);
  Scoreboard sb(dut, model);
  co_await fill(dut, sb, [](std::uint32_t a) { return a * 0x9e3779b9U; });
  std::uint64_t detected = 0;
  std::uint32_t addr = 0;
  for (unsigned i = 0; i < Secded::kCodeBits; ++i) {
    for (unsigned j = i + 1; j < Secded::kCodeBits; ++j) {
      // Each word takes one fault pair; a small SRAM is rewritten clean when they run out.
      addr = (addr + 1) % kCfg.num_words();
      if (addr == 0) co_await fill(dut, sb, [](std::uint32_t a) { return a * 0x9e3779b9U; });
      auto in = SramInputs{};
      in.inj_req = true;
      in.inj_addr = addr;
      in.inj_mask = (std::uint64_t{1} << i) | (std::uint64_t{1} << j);
      co_await step(dut, sb, in);
      SramGrants g = co_await step(dut, sb, read_at(0, addr));
      check(!g.rd[0], "read granted during the injection's write-back to its bank");
      g = co_await step(dut, sb, read_at(0, addr));
      const SramOutputs o = sb.outputs();
      check(g.rd[0] && o.rd_valid[0] && o.rd_ecc_uncorr[0] && !o.rd_ecc_corr[0],
            "bits {},{}: corr {} uncorr {}", i, j, o.rd_ecc_corr[0], o.rd_ecc_uncorr[0]);
      ++detected;
    }
  }
  co_await step(dut, sb, SramInputs{});
  co_await step(dut, sb, SramInputs{});
  const std::uint64_t max = (std::uint64_t{1} << kCfg.ecc_cnt_width) - 1;
  check(sb.outputs().ecc_uncorr_cnt == std::min(detected, max), "uncorrectable count {} of {}",
        sb.outputs().ecc_uncorr_cnt, detected);
}

// The counters saturate rather than wrap, and a clear takes effect before its cycle's events.
WM_TEST_WITH(ecc_counters_saturate_and_clear, .sim_time_limit_ns = kLongRunNs) {
  co_await clock_and_reset(dut);
  SramModel model(kCfg);
  Scoreboard sb(dut, model);
  co_await fill(dut, sb, [](std::uint32_t a) { return a; });
  SramInputs in;
  in.inj_req = true;
  in.inj_addr = 3;
  in.inj_mask = std::uint64_t{1} << 7;
  co_await step(dut, sb, in);
  co_await step(dut, sb, SramInputs{});
  // Every port reads the faulty word, one per cycle (one bank), until past saturation.
  const std::uint64_t max = (std::uint64_t{1} << kCfg.ecc_cnt_width) - 1;
  in = read_at(0, 3);
  for (std::uint64_t k = 0; k < max + 3; ++k) co_await step(dut, sb, in);
  check(sb.outputs().ecc_corr_cnt == max, "corrected count {} not saturated at {}",
        sb.outputs().ecc_corr_cnt, max);
  in.ecc_cnt_clear = true;  // with a corrected read responding this very cycle
  co_await step(dut, sb, in);
  in.ecc_cnt_clear = false;
  co_await step(dut, sb, SramInputs{});
  check(sb.outputs().ecc_corr_cnt == 2, "after a clear in a busy cycle: {} (expected 2)",
        sb.outputs().ecc_corr_cnt);
  co_await step(dut, sb, SramInputs{});
}
#endif

#if WM_SRAM_PRELOAD
// InitFile: every word as the build-time image put it there, through every read port.
WM_TEST(preload_from_file) {
  co_await clock_and_reset(dut);
  SramModel model(kCfg);
  for (std::uint32_t a = 0; a < kCfg.num_words(); ++a) model.preload(a, preload_pattern(a));
  Scoreboard sb(dut, model);
  for (std::uint32_t a = 0; a < kCfg.num_words(); ++a) {
    const unsigned p = a % kPorts;
    co_await step(dut, sb, read_at(p, a));
    const SramOutputs o = sb.outputs();
    check(o.rd_valid[p] && o.rd_data[p] == preload_pattern(a) && !o.rd_ecc_corr[p] &&
              !o.rd_ecc_uncorr[p],
          "word {:#x} on port {}: {:#010x}, image has {:#010x}", a, p, o.rd_data[p],
          preload_pattern(a));
  }
  co_await step(dut, sb, SramInputs{});
}
#endif
