// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sw/mapper/decoder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "wm/sw/asm/assembler.hpp"
#include "wm/sw/fp/fp.hpp"
#include "wm/sw/mapper/asm_builder.hpp"
#include "wm/sw/mapper/partition.hpp"
#include "wm/sw/model/float_decoder.hpp"
#include "wm/sw/ref/pe.hpp"
#include "wm/sw/ref/special.hpp"

#ifndef WM_ASM_LIB_DIR
#error "WM_ASM_LIB_DIR must name sw/asm/lib"
#endif

namespace wm::sw::mapper {

namespace {

constexpr float kRmsEps = 1e-5F;  // FloatDecoder's
constexpr std::array<const char*, 5> kLibFiles = {"exp.s", "recip.s", "rsqrt.s", "silu.s",
                                                  "rope.s"};
constexpr unsigned kNeededColors = 7;
constexpr const char* kNormSlice = "rmsnorm_slice";

/// SRAM banks (rtl/sram: bank = word address mod kBanks). Two reads of one vector instruction
/// in one bank in one cycle serialise, so the layout places the buffers an instruction reads
/// together at different residues mod kBanks (docs/mapping.md, "SRAM banks").
constexpr unsigned kBanks = 8;
/// The input a GEMV block is read with (the broadcast scratch, (0, 0)'s xb and hb) starts at
/// this residue; a block's first row one above its input slice's (block_residue).
constexpr unsigned kInputBank = 0;

std::uint8_t reduce_color(int c) { return c % 2 == 0 ? color::reduce0 : color::reduce1; }
std::uint8_t gather_color(int r) { return r % 2 == 0 ? color::gather0 : color::gather1; }
std::uint32_t u32(std::int64_t v) { return static_cast<std::uint32_t>(v); }
std::uint32_t bits(float f) { return fp::to_bits(f); }

/// One GEMV of the decode, in program order, and how it is cut over the mesh.
struct Gemv {
  model::Stage stage;
  int layer;
  model::MatrixView m;
  std::vector<std::int64_t> rb;  ///< row bounds over mesh rows
  std::vector<std::int64_t> cb;  ///< column bounds over mesh columns
};

/// GEMV output rows over the mesh rows. PE (0, 0) also holds the residual stream, runs the
/// residual adds and every broadcast, and holds the KV cache, so its whole row gets a smaller
/// share: one for every kRowShare of the other rows on meshes of fewer than kFreeRow0 rows,
/// none at all from kFreeRow0 rows on (the others then have room, and (0, 0) the most room
/// for positions).
constexpr std::int64_t kRowShare = 4;
constexpr int kFreeRow0 = 4;
std::vector<std::int64_t> row_bounds(std::int64_t n, int height) {
  if (height == 1) return split_bounds(n, 1);
  const std::int64_t first = height >= kFreeRow0 ? 0 : 1;
  const std::int64_t total = first + kRowShare * (height - 1);
  std::vector<std::int64_t> b{0};
  for (int r = 1; r <= height; ++r) {
    b.push_back(n * (first + kRowShare * (r - 1)) / total);
  }
  return b;
}

/// KV heads over the mesh rows, near-equal: mesh row r runs attention for kv heads
/// [b[r], b[r+1]) and their query heads, so Q, K and V rows are cut at head boundaries. With
/// more mesh rows than kv heads, row 0 gets none: PE (0, 0) holds the residual stream and the
/// FFN's buffers, and a head would add its Q, K, V rows, KV cache share and RoPE table there.
std::vector<std::int64_t> kv_head_bounds(const model::Config& c, int height) {
  if (height <= c.n_kv_heads) return split_bounds(c.n_kv_heads, height);
  std::vector<std::int64_t> b{0};
  for (const std::int64_t e : split_bounds(c.n_kv_heads, height - 1)) b.push_back(e);
  return b;
}

std::vector<Gemv> decode_gemvs(const model::Weights& w, int width, int height) {
  std::vector<Gemv> g;
  const auto add = [&](model::Stage s, int l, const model::MatrixView& m) {
    g.push_back({s, l, m, row_bounds(m.rows, height), split_bounds(m.cols, width)});
  };
  const auto kvb = kv_head_bounds(w.config, height);
  const auto add_heads = [&](model::Stage s, int l, const model::MatrixView& m, int per_kv) {
    std::vector<std::int64_t> rb;
    for (const std::int64_t b : kvb) rb.push_back(b * per_kv * w.config.head_size());
    g.push_back({s, l, m, std::move(rb), split_bounds(m.cols, width)});
  };
  for (int l = 0; l < w.config.n_layers; ++l) {
    const model::LayerView L = w.layer(l);
    add_heads(model::Stage::wq, l, L.wq, w.config.kv_mul());
    add_heads(model::Stage::wk, l, L.wk, 1);
    add_heads(model::Stage::wv, l, L.wv, 1);
    add(model::Stage::wo, l, L.wo);
    add(model::Stage::w1, l, L.w1);
    add(model::Stage::w3, l, L.w3);
    add(model::Stage::w2, l, L.w2);
  }
  add(model::Stage::classifier, -1, w.classifier());
  return g;
}

/// How a tile's data is laid out, most SRAM first: a tile takes the first that fits, so the
/// bank placement never costs a shape that fits without it.
enum class Packing : std::uint8_t {
  even_rows,  ///< banked, and GEMV rows padded to an even stride (block_stride)
  banked,     ///< buffers read together start in different banks (Layout::alloc(words, bank))
  dense,      ///< no padding at all
};

/// A GEMV block's row stride: with Packing::even_rows, k rounded up to even. An even stride
/// keeps every row start at an even offset from the block, so a block one bank above its input
/// slice (an odd offset) never shares a bank with it on any row; an odd k meets it on every
/// 8th row. Costs one word per row, only for odd k.
std::uint32_t block_stride(std::uint32_t k, std::uint32_t n, Packing p) {
  return p == Packing::even_rows && k % 2 == 1 && n > 1 ? k + 1 : k;
}

/// Data of one tile, allocated upward from the end of its code. `bank` places a buffer's first
/// word in that bank (skipping at most kBanks - 1 words) unless the packing is dense.
class Layout {
 public:
  Layout(std::uint32_t base, Packing p) : next_(base), banked_(p != Packing::dense) {}
  std::uint32_t alloc(std::int64_t words) {
    const std::uint32_t a = next_;
    next_ += u32(words);
    return a;
  }
  std::uint32_t alloc(std::int64_t words, unsigned bank) {
    to_bank(bank);
    return alloc(words);
  }
  std::uint32_t put(std::span<const float> v) {
    const std::uint32_t a = alloc(static_cast<std::int64_t>(v.size()));
    for (std::size_t i = 0; i < v.size(); ++i)
      data_[a + u32(static_cast<std::int64_t>(i))] = bits(v[i]);
    return a;
  }
  std::uint32_t put(std::span<const float> v, unsigned bank) {
    to_bank(bank);
    return put(v);
  }
  [[nodiscard]] std::uint32_t end() const { return next_; }
  [[nodiscard]] const std::map<std::uint32_t, std::uint32_t>& data() const { return data_; }

 private:
  void to_bank(unsigned bank) {
    if (banked_) next_ += (bank % kBanks + kBanks - next_ % kBanks) % kBanks;
  }

  std::uint32_t next_;
  bool banked_;
  std::map<std::uint32_t, std::uint32_t> data_;
};

struct Built {
  std::string text;
  assembler::Image image;
  std::uint32_t end = 0;
  std::uint32_t code_end = 0;
  std::uint32_t x_addr = 0;
  std::uint32_t pos_addr = 0;
  std::vector<std::uint32_t> marks;  // pc of each phase start, in MeshDecoder::estimate order
};

class TileGen {
 public:
  TileGen(const model::Weights& w, const std::vector<Gemv>& gemvs, const MeshShape& s, int c, int r,
          int positions, Packing packing)
      : w_(w), gemvs_(gemvs), s_(s), c_(c), r_(r), positions_(positions), packing_(packing) {}

  Built build(std::uint32_t code_base) {
    Layout mem(code_base, packing_);
    AsmBuilder a;
    marks_ = 0;
    labels_ = 0;
    a.comment(fmt::format("decode tile ({}, {})", c_, r_));
    a.label("boot");
    // Weight blocks, one per GEMV, in program order, rows block_stride apart.
    std::vector<std::uint32_t> blocks;
    std::int64_t max_rows = 1;
    std::int64_t ffn_rows = 0;  // this mesh row's rows of W1 (and W3): what SwiGLU works on
    std::vector<float> block;
    for (const Gemv& g : gemvs_) {
      const auto n = u32(g.rb[r_ + 1] - g.rb[r_]);
      const auto k = u32(g.cb[c_ + 1] - g.cb[c_]);
      const std::uint32_t stride = block_stride(k, n, packing_);
      block.clear();
      for (std::int64_t i = g.rb[r_]; i < g.rb[r_ + 1]; ++i) {
        const auto row = g.m.row(i);
        block.insert(block.end(), row.begin() + g.cb[c_], row.begin() + g.cb[c_ + 1]);
        if (i + 1 < g.rb[r_ + 1]) block.resize(block.size() + stride - k, 0.0F);
      }
      blocks.push_back(mem.put(block, block_residue(g)));
      max_rows = std::max(max_rows, g.rb[r_ + 1] - g.rb[r_]);
      if (g.stage == model::Stage::w1) ffn_rows = g.rb[r_ + 1] - g.rb[r_];
    }
    Built b;
    const model::Config& cfg = w_.config;
    if (c_ != 0 || r_ != 0) {
      scratch_ = mem.alloc(std::max(cfg.dim, cfg.hidden_dim), kInputBank);
      ybuf_ = mem.alloc(max_rows);
      std::uint32_t h1 = 0;
      std::uint32_t h3 = 0;
      std::array<std::uint32_t, 4> tmp{};
      if (c_ == 0) {
        // SwiGLU reads pairs of h1, h3 and the four temporaries (wm_silu, wm_exp, wm_recip):
        // six banks, no two alike. Six buffers on the tiles that limit the positions, so
        // sized for this row's W1 rows, not for the largest GEMV's (the classifier's).
        h1 = mem.alloc(ffn_rows, 2);
        h3 = mem.alloc(ffn_rows, 3);
        unsigned bank = 4;
        for (auto& t : tmp) t = mem.alloc(ffn_rows, bank++);
      }
      const Norms norms = norm_slices(mem);
      Attn at;
      if (c_ == 0 || heads()) at = attn_layout(mem);
      b.pos_addr = at.pos;
      mark(a);  // rms_att of layer 0
      for (std::size_t i = 0; i < gemvs_.size(); ++i) {
        const model::Stage st = gemvs_[i].stage;
        const auto l = static_cast<std::size_t>(std::max(gemvs_[i].layer, 0));
        if (st == model::Stage::wq) {
          if (gemvs_[i].layer > 0) mark(a);  // rms_att
          rmsnorm(a, scratch_, norms.att[l], gemvs_[i]);  // and the qkv mark
        }
        if (c_ == 0 && st == model::Stage::wq) {
          qkv_attention(a, i, blocks, 0, at, at.out);
          i += 2;
        } else if (st == model::Stage::w1) {
          mark(a);  // rms_ffn
          rmsnorm(a, scratch_, norms.ffn[l], gemvs_[i]);  // and the ffn mark
          a.li(10, h1);
          gemv(a, gemvs_[i], blocks[i], 0, 10, false, true);
        } else if (st == model::Stage::w3) {
          a.li(10, h3);
          gemv(a, gemvs_[i], blocks[i], 0, 10, false, true);
          if (c_ == 0) swiglu_gather(a, gemvs_[i], h1, h3, tmp, 0);
        } else if (st == model::Stage::wk || st == model::Stage::wv) {
          gemv(a, gemvs_[i], blocks[i], 0, 0, false);  // Q's input slice serves K and V
          if (st == model::Stage::wv) {
            mark(a);  // rope: column 0 only
            mark(a);  // attention: with column 0 when the row has heads
            if (heads()) column_attention(a, at, gemvs_[i].layer);
          }
        } else {
          if (st == model::Stage::wo) mark(a);
          if (st == model::Stage::classifier) {
            mark(a);  // rms_final
            rmsnorm(a, scratch_, norms.final, gemvs_[i]);  // and the classifier mark
          }
          // Wo and W2 take the broadcast of what the gathers left in (0, 0); Q and the
          // classifier read the slice their norm left in the scratch.
          const bool bcast = st == model::Stage::wo || st == model::Stage::w2;
          gemv(a, gemvs_[i], blocks[i], 0, 0, bcast);
        }
      }
      a.op("exit");
      rmsnorm_slice(a, scratch_, scratch_);
      b.text = a.text();
    } else {
      coordinator(a, mem, blocks, b);
    }
    assembler::Program prog = assembler::assemble(sources(b.text), {s_.num_colors});
    b.image = std::move(prog.image);
    for (int i = 0; i < marks_; ++i) b.marks.push_back(prog.symbols.at(mark_name(i)));
    b.code_end = b.image.words.empty() ? 0 : b.image.words.rbegin()->first + 1;
    for (const auto& [addr, word] : mem.data()) b.image.words[addr] = word;
    b.end = mem.end();
    return b;
  }

 private:
  [[nodiscard]] bool coord() const { return c_ == 0 && r_ == 0; }

  /// The bank of g's block: one above the first word of its input slice (the input buffer
  /// starts in kInputBank; the slice at column offset cb), so with block_stride no row of
  /// `fdotv` reads a weight and an input word in one bank.
  [[nodiscard]] unsigned block_residue(const Gemv& g) const {
    return (kInputBank + static_cast<unsigned>(g.cb[c_] % kBanks) + 1) % kBanks;
  }

  // Phase marks: a label at the first instruction of every phase, in the order of
  // MeshDecoder::estimate, in every tile's program (a phase this tile takes no part in is
  // empty: its mark shares the next one's pc). The testbench sees the PE retire them.
  static std::string mark_name(int i) { return fmt::format("phase_{}", i); }
  void mark(AsmBuilder& a) { a.label(mark_name(marks_++)); }
  [[nodiscard]] bool multi() const { return s_.width * s_.height > 1; }

  std::vector<assembler::Source> sources(const std::string& main) const {
    std::vector<assembler::Source> src{{fmt::format("decode_{}_{}.s", c_, r_), main}};
    // Column 0 runs every special function; the other PEs of a row with heads their
    // attention's exps.
    const auto lib = [&](const char* f) {
      const std::string path = std::string(WM_ASM_LIB_DIR) + "/" + f;
      src.push_back({path, assembler::read_text_file(path)});
    };
    if (c_ == 0) {
      for (const char* f : kLibFiles) lib(f);
    } else if (heads()) {
      lib("exp.s");
    }
    return src;
  }

  /// One MeshGEMV step of this tile. At (0, 0): broadcast the input at `src`,
  /// write the result at the address held in register `rdst`.
  /// `bcast` = false: every PE already holds its slice of the input (a norm's output, or the
  /// previous GEMV's input: W3 after W1).
  /// `keep`: column 0 keeps its rows at the address in `rdst` (for SwiGLU or attention) instead
  /// of gathering them.
  void gemv(AsmBuilder& a, const Gemv& g, std::uint32_t wblk, std::uint32_t src, unsigned rdst,
            bool bcast = true, bool keep = false) {
    const auto K = u32(g.m.cols);
    const auto n = u32(g.rb[r_ + 1] - g.rb[r_]);
    const auto k = u32(g.cb[c_ + 1] - g.cb[c_]);
    const auto below = u32(g.m.rows - g.rb[r_ + 1]);
    a.comment(fmt::format("{} layer {}: {} rows x {} cols here", model::stage_name(g.stage),
                          g.layer, n, k));
    std::uint32_t x = src;
    if (coord()) {
      if (multi() && bcast) {
        a.fout(6, kBroadcastColor, K);
        a.mem(7, src, K);
        a.op("fmov d6, d7");
      }
    } else {
      if (multi() && bcast) {
        a.fin(6, kBroadcastColor, K);
        a.mem(7, scratch_, K);
        a.op("fmov d7, d6");
      }
      x = scratch_ + u32(g.cb[c_]);
    }
    if (n > 0) {
      if (coord()) {
        a.mem_r(2, rdst, n);
      } else {
        if (keep && c_ == 0) {
          a.mem_r(2, rdst, n);
        } else {
          a.mem(2, ybuf_, n);
        }
      }
      if (k > 0) {
        a.mem(0, wblk, k, 1, n, static_cast<std::int32_t>(block_stride(k, n, packing_)));
        a.mem(1, x, k, 1, n, 0);
        a.op("fdotv d2, d0, d1");
      } else {
        a.op("fmov d2, r0");  // a padding column adds +0 to every row
      }
      if (s_.width > 1) row_chain(a, "fadd", "fadd", "d2", n);
    }
    if (c_ != 0 || keep) return;
    gather(a, n, below, ybuf_, rdst);
  }

  /// One word or vector at `d` (a DSD or register) down this mesh row's chain to column 0 on
  /// colors 1-2 (a GEMV's rows, a norm's sum of squares, the attention's max, sum and value
  /// sums), so every sum follows the same order: the far end sends it, every PE on the way
  /// combines the stream with it by `op`, column 0 folds the stream into `d` by `op0` (a
  /// register: the reduction of the stream into it; a DSD: the element-wise op in place).
  /// Only on meshes of several columns; uses d3 and d4.
  void row_chain(AsmBuilder& a, const char* op, const char* op0, const std::string& d,
                 std::uint32_t len) {
    if (c_ == s_.width - 1) {
      a.fout(3, reduce_color(c_), len);
      a.op("fmov d3, {}", d);
      return;
    }
    a.fin(4, reduce_color(c_ + 1), len);
    if (c_ > 0) {
      a.fout(3, reduce_color(c_), len);
      a.op("{} d3, d4, {}", op, d);
    } else if (d[0] == 'r') {
      a.op("{} {}, d4", op0, d);
    } else {
      a.op("{} {}, d4, {}", op0, d, d);
    }
  }

  /// Column 0 streams register r east along the row on color 6 (a norm's scale, the
  /// attention's max and 1/sum); every other PE takes it into r. Only on meshes of several
  /// columns; uses d5.
  void row_stream(AsmBuilder& a, unsigned r) {
    if (c_ == 0) {
      a.fout(5, kScaleColor, 1);
      a.op("fmov d5, r{}", r);
    } else {
      a.li(r, bits(-0.0F));  // -0 + x is x for every x, +0 and NaN included: r = the word
      a.fin(5, kScaleColor, 1);
      a.op("frsum r{}, d5", r);
    }
  }

  /// Column 0: PE (0, r > 0) streams its n rows at `own` north, then forwards the `below` rows
  /// of the rows under it; (0, 0) receives them after its own, at rdst + n.
  void gather(AsmBuilder& a, std::uint32_t n, std::uint32_t below, std::uint32_t own,
              unsigned rdst) {
    if (coord()) {
      if (below == 0) return;
      a.fin(4, gather_color(1), below);
      a.op("addi r1, r{}, {}", rdst, n);
      a.mem_r(5, 1, below);
      a.op("fmov d5, d4");
      return;
    }
    if (n > 0) {
      a.fout(5, gather_color(r_), n);
      a.mem(2, own, n);
      a.op("fmov d5, d2");
    }
    if (below > 0) {
      a.fin(6, gather_color(r_ + 1), below);
      a.fout(5, gather_color(r_), below);
      a.op("fmov d5, d6");
    }
  }

  /// SwiGLU on this column-0 PE's rows of W1 and W3 (h1 = silu(h1) * h3, in place in h1), then
  /// the gather of h: SiLU runs on every mesh row at once, not on (0, 0) alone.
  void swiglu_gather(AsmBuilder& a, const Gemv& g, std::uint32_t h1, std::uint32_t h3,
                     const std::array<std::uint32_t, 4>& tmp, unsigned rdst) {
    const auto n = u32(g.rb[r_ + 1] - g.rb[r_]);
    const auto below = u32(g.m.rows - g.rb[r_ + 1]);
    if (n > 0) {
      a.comment("swiglu on this PE's rows");
      a.mem(1, h1, n);
      a.mem(2, tmp[0], n);
      a.mem(3, tmp[1], n);
      a.mem(4, tmp[2], n);
      a.mem(5, tmp[3], n);
      a.op("call wm_silu");
      a.mem(0, h1, n);
      a.mem(1, tmp[0], n);
      a.mem(2, h3, n);
      a.op("fmul d0, d1, d2");
    }
    gather(a, n, below, h1, rdst);
  }

  /// Does this tile's mesh row run attention (has kv heads)?
  [[nodiscard]] bool heads() const {
    const auto kvb = kv_head_bounds(w_.config, s_.height);
    return kvb[static_cast<std::size_t>(r_) + 1] > kvb[static_cast<std::size_t>(r_)];
  }

  /// The cache slots of this column: position p lives on column p % W, in slot p / W
  /// (docs/mapping.md, "Attention over the mesh row"), so every column's share grows by one
  /// every W tokens.
  [[nodiscard]] std::int64_t slots() const {
    return positions_ > c_ ? (positions_ - c_ + s_.width - 1) / s_.width : 0;
  }

  /// A PE's attention state on a mesh row with kv heads [kv0, kv1): its slots of their KV
  /// cache, the row's query rows (column 0: from the Q GEMV; the others: from column 0's
  /// stream), its scores. Column 0 also holds the RoPE table, the attention output and, on a
  /// mesh of several columns, the staging of the k and v it sends to the column owning pos.
  struct Attn {
    int kv0 = 0, kv1 = 0;
    std::uint32_t q = 0, kc = 0, vc = 0, att = 0, out = 0, pos = 0, rope_c = 0, rope_s = 0;
    std::uint32_t spare = 0;  ///< column 0: k, v staging; others: k, v not theirs, value partials
    std::array<std::uint32_t, 3> t{};
  };

  Attn attn_layout(Layout& mem) {
    const model::Config& cfg = w_.config;
    const int hs = cfg.head_size();
    const auto kvb = kv_head_bounds(cfg, s_.height);
    Attn m;
    m.kv0 = static_cast<int>(kvb[r_]);
    m.kv1 = static_cast<int>(kvb[r_ + 1]);
    const std::int64_t nkv = m.kv1 - m.kv0;
    const std::int64_t kvd = nkv * hs;
    const std::int64_t nq = kvd * cfg.kv_mul();
    const std::int64_t P = slots();
    // Column 0: pos, pos / W, pos % W (the host LOADs them); the others: the last two, from
    // column 0's stream.
    m.pos = mem.alloc(c_ == 0 ? 3 : 2);
    if (nkv == 0) return m;
    // Scores read q against the K cache: every offset between them is even (head_size is) but
    // kc - q, which is odd. The exps (wm_exp) read pairs of att and its temporaries: four
    // banks. RoPE's stride-2 reads against the table rows meet a bank now and then whatever
    // the layout; so do the values' reads down the V cache against att.
    m.q = mem.alloc(nq, 0);
    m.out = coord() || c_ > 0 ? 0 : mem.alloc(nq);
    m.att = mem.alloc(std::max<std::int64_t>(P, 1), 2);
    const std::int64_t tl = std::max<std::int64_t>({P, c_ == 0 ? nq / 2 : 0, 1});
    unsigned bank = 3;
    for (auto& t : m.t) t = mem.alloc(tl, bank++);
    if (c_ == 0) {
      std::vector<float> rc;
      std::vector<float> rs;
      for (int p = 0; p < positions_; ++p) {
        for (int j = 0; j < hs / 2; ++j) {
          const auto cs = ref::special::rope_cos_sin(p, j, hs);
          rc.push_back(cs.c);
          rs.push_back(cs.s);
        }
      }
      m.rope_c = mem.put(rc);
      m.rope_s = mem.put(rs);
      if (s_.width > 1) m.spare = mem.alloc(2 * kvd);
    } else {
      m.spare = mem.alloc(kvd);
    }
    m.kc = mem.alloc(P * kvd * cfg.n_layers, 1);
    m.vc = mem.alloc(P * kvd * cfg.n_layers);
    return m;
  }

  [[nodiscard]] std::string local_label() { return fmt::format("attn_{}", labels_++); }

  /// r8, r9 = the K and V cache rows of slot r5 (this PE's slots of the row's heads) in layer l.
  void cache_slot(AsmBuilder& a, const Attn& m, int l) {
    const auto kvd = u32((m.kv1 - m.kv0) * w_.config.head_size());
    const std::uint32_t cache = u32(slots()) * kvd;
    a.li(1, kvd);
    a.op("mul r8, r5, r1");
    a.op("addi r9, r8, 0");
    a.li(1, m.kc + u32(l) * cache);
    a.op("add r8, r8, r1");
    a.li(1, m.vc + u32(l) * cache);
    a.op("add r9, r9, r1");
  }

  /// Q, K, V GEMVs (on the slice rms_att left, rows kept at column 0), then on this column-0
  /// PE RoPE of its heads' q and k, the stream of pos, q, k and v east along its row (which
  /// every PE takes: q for its scores, k and v into its cache if it owns pos), the attention
  /// over the row (row_attention) into `out` (at (0, 0): xb), and the gather of the attention
  /// output up column 0 into (0, 0)'s xb.
  void qkv_attention(AsmBuilder& a, std::size_t gi, const std::vector<std::uint32_t>& blocks,
                     std::uint32_t src, const Attn& m, std::uint32_t out) {
    const model::Config& cfg = w_.config;
    const int hs = cfg.head_size();
    const int half = hs / 2;
    const int nkv = m.kv1 - m.kv0;
    const int nheads = nkv * cfg.kv_mul();
    const auto kvd = u32(nkv * hs);
    const int l = gemvs_[gi].layer;
    if (nkv > 0) {
      // Column 0 holds positions 0, W, 2W, ...: slot pos / W, so pos / W + 1 of them after this
      // token. k and v go into that slot when pos % W is 0, else into the staging buffer, and
      // from there to their column.
      a.op("lw r7, {}(r0)", m.pos);
      a.op("lw r5, {}(r0)", m.pos + 1);
      a.op("addi r12, r5, 1");
      cache_slot(a, m, l);
      if (s_.width > 1) {
        const std::string own = local_label();
        a.op("lw r5, {}(r0)", m.pos + 2);
        a.op("beq r5, r0, {}", own);
        a.li(8, m.spare);
        a.li(9, m.spare + kvd);
        a.label(own);
      }
    }
    a.li(10, m.q);
    gemv(a, gemvs_[gi], blocks[gi], src, 10, false, true);
    gemv(a, gemvs_[gi + 1], blocks[gi + 1], src, 8, false, true);
    gemv(a, gemvs_[gi + 2], blocks[gi + 2], src, 9, false, true);
    mark(a);  // rope
    if (nkv == 0) mark(a);  // attention: only the gather passes through
    if (nkv > 0) {
      a.comment(fmt::format("rope, query heads {}..{}", m.kv0 * cfg.kv_mul(),
                            m.kv1 * cfg.kv_mul() - 1));
      a.li(1, u32(half));
      a.op("mul r11, r7, r1");
      const auto rope = [&](unsigned rbase, int heads) {
        a.mem_r(1, rbase, u32(half), 2, u32(heads), hs);
        a.op("addi r1, r{}, 1", rbase);
        a.mem_r(2, 1, u32(half), 2, u32(heads), hs);
        a.li(1, m.rope_c);
        a.op("add r1, r1, r11");
        a.mem_r(3, 1, u32(half), 1, u32(heads), 0);
        a.li(1, m.rope_s);
        a.op("add r1, r1, r11");
        a.mem_r(4, 1, u32(half), 1, u32(heads), 0);
        a.mem(5, m.t[0], u32(half * heads));
        a.mem(6, m.t[1], u32(half * heads));
        a.op("call wm_rope");
      };
      rope(10, nheads);
      rope(8, nkv);
      mark(a);  // attention
      if (s_.width > 1) {
        a.comment("pos / W, pos % W, q, k, v east along the row");
        const auto send = [&](unsigned d, std::uint32_t len) {
          a.fout(5, kScaleColor, len);
          a.op("fmov d5, d{}", d);
        };
        a.mem(6, m.pos + 1, 2);
        send(6, 2);
        a.mem(6, m.q, u32(nheads * hs));
        send(6, u32(nheads * hs));
        a.mem_r(6, 8, kvd);
        send(6, kvd);
        a.mem_r(6, 9, kvd);
        send(6, kvd);
      }
      row_attention(a, m, l, out);
    }
    const Gemv& q = gemvs_[gi];
    const auto n = u32(q.rb[r_ + 1] - q.rb[r_]);
    a.li(10, out);
    gather(a, n, u32(q.m.rows - q.rb[r_ + 1]), out, 10);
  }

  /// A PE (c > 0) of a mesh row with heads: takes pos / W and pos % W, q, k and v from column
  /// 0's stream, k and v into its cache slot if it owns pos (pos % W == c), else into the
  /// spare buffer, then its part of the attention.
  void column_attention(AsmBuilder& a, const Attn& m, int l) {
    const model::Config& cfg = w_.config;
    const auto kvd = u32((m.kv1 - m.kv0) * cfg.head_size());
    const auto nq = kvd * u32(cfg.kv_mul());
    const auto take = [&](std::uint32_t len) {
      a.fin(5, kScaleColor, len);
      a.op("fmov d6, d5");
    };
    a.comment("attention: pos / W, pos % W, q, k, v from column 0");
    a.mem(6, m.pos, 2);
    take(2);
    a.op("lw r5, {}(r0)", m.pos);
    a.op("lw r6, {}(r0)", m.pos + 1);
    // This column holds slots 0 .. pos / W - 1, and slot pos / W too unless pos % W < c.
    a.op("slti r1, r6, {}", c_);
    a.op("addi r12, r5, 1");
    a.op("sub r12, r12, r1");
    const std::string other = local_label();
    a.li(8, m.spare);
    a.li(9, m.spare);
    a.op("addi r4, r0, {}", c_);
    a.op("bne r6, r4, {}", other);
    cache_slot(a, m, l);
    a.label(other);
    a.mem(6, m.q, nq);
    take(nq);
    a.mem_r(6, 8, kvd);
    take(kvd);
    a.mem_r(6, 9, kvd);
    take(kvd);
    row_attention(a, m, l, 0);
  }

  /// One row's attention, the part of this PE (r12 = its positions, at least 1 on column 0,
  /// 0 on a column before the first W tokens have reached it): per query head its scores over
  /// its own positions, their max chained to column 0 (fmax: exact in any order) and streamed
  /// back east, its exps and their sum from +0, the sums chained to column 0, which streams
  /// 1/sum back, then its value sums from +0 over its positions, chained to column 0 into
  /// `out` (column 0 only). The chains are the GEMV's (colors 1-2, so the sums follow
  /// mesh_dealt_order), the streams back the norm's scale (color 6).
  void row_attention(AsmBuilder& a, const Attn& m, int l, std::uint32_t out) {
    const model::Config& cfg = w_.config;
    const int hs = cfg.head_size();
    const int nkv = m.kv1 - m.kv0;
    const int nheads = nkv * cfg.kv_mul();
    const auto kvd = u32(nkv * hs);
    const std::uint32_t cache = u32(slots()) * kvd;
    const std::uint32_t kc_l = m.kc + u32(l) * cache;
    const std::uint32_t vc_l = m.vc + u32(l) * cache;
    const bool chain = s_.width > 1;
    // Skips `body` on a column holding no positions yet (column 0 always holds pos 0).
    const auto local = [&](const auto& body) {
      if (c_ == 0) {
        body();
        return;
      }
      const std::string skip = local_label();
      a.op("beq r12, r0, {}", skip);
      body();
      a.label(skip);
    };
    for (int i = 0; i < nheads; ++i) {
      const int kvh = i / cfg.kv_mul();  // local kv head
      a.comment(fmt::format("query head {}", m.kv0 * cfg.kv_mul() + i));
      a.li(6, bits(-std::numeric_limits<float>::infinity()));
      local([&] {
        a.mem(0, kc_l + u32(kvh * hs), u32(hs));
        a.li(3, kvd);
        a.op("dsd2 d0, r12, r3");
        a.mem(1, m.q + u32(i * hs), u32(hs));
        a.op("dsd2 d1, r12, r0");
        a.mem_len_r(2, m.att, 12);
        a.op("fdotv d2, d0, d1");
        a.li(4, bits(model::inv_sqrt_head_size(hs)));
        a.op("fmul d2, d2, r4");
        a.op("frmax r6, d2");
      });
      if (chain) {
        row_chain(a, "fmax", "frmax", "r6", 1);
        row_stream(a, 6);
      }
      a.li(4, 0);
      local([&] {
        a.mem_len_r(2, m.att, 12);
        a.op("fsub d2, d2, r6");
        a.mem_len_r(3, m.t[0], 12);
        a.mem_len_r(4, m.t[1], 12);
        a.mem_len_r(5, m.t[2], 12);
        a.op("call wm_exp");
        a.op("frsum r4, d2");
      });
      if (chain) row_chain(a, "fadd", "frsum", "r4", 1);
      if (c_ == 0) a.op("call wm_recip_s");
      if (chain) row_stream(a, 4);
      const std::uint32_t dst = c_ == 0 ? out + u32(i * hs) : m.spare;
      const std::string zero = c_ > 0 ? local_label() : "";
      const std::string done = c_ > 0 ? local_label() : "";
      if (c_ > 0) a.op("beq r12, r0, {}", zero);
      a.mem_len_r(2, m.att, 12);
      a.op("fmul d2, d2, r4");
      a.li(1, vc_l + u32(kvh * hs));
      a.li(3, kvd);
      a.op("dsdm d0, r1, r12, r3");
      a.li(2, u32(hs));
      a.li(3, 1);
      a.op("dsd2 d0, r2, r3");
      a.mem_len_r(1, m.att, 12);
      a.li(2, u32(hs));
      a.op("dsd2 d1, r2, r0");
      a.mem(2, dst, u32(hs));
      a.op("fdotv d2, d0, d1");
      if (c_ > 0) {
        a.op("j {}", done);
        a.label(zero);
        a.mem(2, dst, u32(hs));
        a.op("fmov d2, r0");  // no positions here yet: +0 to every value sum
        a.label(done);
      }
      if (chain) row_chain(a, "fadd", "fadd", "d2", u32(hs));  // d2 still walks this PE's value sums
    }
  }

  /// This tile's columns of every norm: the K split of the GEMVs that read the norm's output.
  [[nodiscard]] std::pair<std::int64_t, std::int64_t> norm_cols() const {
    const auto cb = split_bounds(w_.config.dim, s_.width);
    return {cb[static_cast<std::size_t>(c_)], cb[static_cast<std::size_t>(c_) + 1]};
  }

  /// This tile's slice of every norm's weights.
  struct Norms {
    std::vector<std::uint32_t> att, ffn;  ///< per layer
    std::uint32_t final = 0;
  };
  /// Each slice starts one bank above the slice of the norm's output it multiplies (the
  /// output starts in kInputBank, like every GEMV input), so `xb * w` never reads two words
  /// of one bank in a cycle.
  Norms norm_slices(Layout& mem) const {
    const auto [b, e] = norm_cols();
    const auto dim = static_cast<std::size_t>(w_.config.dim);
    const unsigned bank = (kInputBank + static_cast<unsigned>(b % kBanks) + 1) % kBanks;
    const auto put = [&](std::span<const float> all, int l) {
      return mem.put(all.subspan(static_cast<std::size_t>(l) * dim + static_cast<std::size_t>(b),
                                 static_cast<std::size_t>(e - b)),
                     bank);
    };
    Norms n;
    for (int l = 0; l < w_.config.n_layers; ++l) n.att.push_back(put(w_.rms_att, l));
    for (int l = 0; l < w_.config.n_layers; ++l) n.ffn.push_back(put(w_.rms_ffn, l));
    n.final = put(w_.rms_final, 0);
    return n;
  }

  /// RMSNorm of the residual over the mesh (docs/mapping.md, "Decode"), then the mark of
  /// `next`, the GEMV that reads it: (0, 0) broadcasts x from `x`, every other PE copies it to
  /// `x` (its scratch), and every PE runs rmsnorm_slice (below) with its slice of the norm's
  /// weights at `wn`. A mesh row without rows of `next` skips the norm and takes the broadcast
  /// only to pass it on, after entering `next`, as it took a GEMV's input: so it never enters
  /// `next` last with nothing to do there (the bound's assumption, docs/mapping.md "Lower
  /// bound"), and `next` never starts at its `exit`, which does not retire.
  void rmsnorm(AsmBuilder& a, std::uint32_t x, std::uint32_t wn, const Gemv& next) {
    const auto dim = u32(w_.config.dim);
    const bool skip = next.rb[r_ + 1] == next.rb[r_];
    a.comment("rmsnorm");
    if (coord()) {
      if (multi()) {
        a.fout(6, kBroadcastColor, dim);
        a.mem(7, x, dim);
        a.op("fmov d6, d7");
      }
    } else {
      if (skip) mark(a);
      a.fin(6, kBroadcastColor, dim);
      a.mem(7, x, dim);
      a.op("fmov d7, d6");
    }
    if (!skip) {
      a.li(6, wn);
      a.op("call {}", kNormSlice);
    }
    if (coord() || !skip) mark(a);
  }

  /// The body of every norm, one subroutine per tile (five copies would cost column 0 KV cache
  /// positions): this PE squares and sums its column slice of x (at `x`) from +0, the partials
  /// chain to column 0 as a GEMV's do (so the total is summed in mesh_sum_order), PE (0, r)
  /// turns the total into the scale r and streams it east, and every PE writes its slice of
  /// (x * r) * w at `out`, w at r6. Every mesh row sums on its own: no total travels down
  /// column 0.
  void rmsnorm_slice(AsmBuilder& a, std::uint32_t x, std::uint32_t out) {
    const auto dim = u32(w_.config.dim);
    const auto [b, e] = norm_cols();
    const auto k = u32(e - b);
    a.label(kNormSlice);
    if (c_ == 0) a.op("mv r13, ra");  // wm_rsqrt_s's call overwrites ra
    a.li(4, 0);
    if (k > 0) {
      a.mem(0, x + u32(b), k);
      a.op("fmac r4, d0, d0");
    }
    if (s_.width > 1) row_chain(a, "fadd", "frsum", "r4", 1);
    if (c_ == 0) {
      a.li(1, bits(model::inverse_length(dim)));
      a.op("fmul r4, r4, r1");
      a.li(1, bits(kRmsEps));
      a.op("fadd r4, r4, r1");
      a.op("call wm_rsqrt_s");
    }
    if (s_.width > 1) row_stream(a, 4);
    if (k > 0) {
      a.mem(1, out + u32(b), k);
      a.op("fmul d1, d0, r4");  // d0 still walks the x slice
      a.mem_r(2, 6, k);
      a.op("fmul d1, d1, d2");
    }
    a.op("jalr r0, {}, 0", c_ == 0 ? "r13" : "ra");
  }

  void coordinator(AsmBuilder& a, Layout& mem, const std::vector<std::uint32_t>& blocks, Built& b) {
    const model::Config& cfg = w_.config;
    const std::int64_t tmp_len = std::max<std::int64_t>(cfg.dim, cfg.hidden_dim);
    // Banks of the vectors read together: xb and hb are GEMV inputs (kInputBank, the blocks
    // one above); the residuals read x with xb2 and xb; the norm xb with its weights
    // (norm_slices); SwiGLU (wm_silu, wm_exp, wm_recip, then * hb2) pairs of hb, sy, hb2 and
    // t[0..2].
    const std::uint32_t x = mem.alloc(cfg.dim, 2);
    const std::uint32_t xb = mem.alloc(cfg.dim, kInputBank);
    const std::uint32_t xb2 = mem.alloc(cfg.dim, 4);
    const std::uint32_t hb = mem.alloc(cfg.hidden_dim, kInputBank);
    const std::uint32_t hb2 = mem.alloc(cfg.hidden_dim, 5);
    const std::uint32_t sy = mem.alloc(cfg.hidden_dim, 1);
    // The temporaries of SiLU are dead by the classifier: the logits reuse their words.
    const std::int64_t tmp_step = packing_ == Packing::dense
                                      ? tmp_len
                                      : (tmp_len + kBanks - 1) / kBanks * kBanks + 1;
    const std::uint32_t shared =
        mem.alloc(std::max<std::int64_t>(3 * tmp_step, cfg.vocab_size), 2);
    const std::uint32_t logits = shared;
    const std::array<std::uint32_t, 3> t = {shared, shared + u32(tmp_step),
                                            shared + u32(2 * tmp_step)};
    const Norms norms = norm_slices(mem);
    const Attn at = attn_layout(mem);
    b.x_addr = x;
    b.pos_addr = at.pos;

    std::size_t gi = 0;
    const auto next_gemv = [&](std::uint32_t src, unsigned rdst, bool bcast = true,
                               bool keep = false) {
      gemv(a, gemvs_[gi], blocks[gi], src, rdst, bcast, keep);
      ++gi;
    };
    for (int l = 0; l < cfg.n_layers; ++l) {
      const std::uint32_t dim = u32(cfg.dim);
      mark(a);  // rms_att
      rmsnorm(a, x, norms.att[static_cast<std::size_t>(l)], gemvs_[gi]);  // and the qkv mark
      qkv_attention(a, gi, blocks, xb, at, xb);
      gi += 3;
      mark(a);  // wo
      a.li(10, xb2);
      next_gemv(xb, 10);
      a.comment("residual");
      a.mem(0, x, dim);
      a.mem(1, xb2, dim);
      a.op("fadd d0, d0, d1");
      mark(a);  // rms_ffn
      rmsnorm(a, x, norms.ffn[static_cast<std::size_t>(l)], gemvs_[gi]);  // and the ffn mark
      a.li(10, hb);
      next_gemv(xb, 10, false, true);
      a.li(10, hb2);
      next_gemv(xb, 10, false, true);
      a.li(10, hb);
      swiglu_gather(a, gemvs_[gi - 1], hb, hb2, {sy, t[0], t[1], t[2]}, 10);
      a.li(10, xb);
      next_gemv(hb, 10);
      a.comment("residual");
      a.mem(0, x, dim);
      a.mem(1, xb, dim);
      a.op("fadd d0, d0, d1");
    }
    mark(a);  // rms_final
    rmsnorm(a, x, norms.final, gemvs_[gi]);  // and the classifier mark
    a.li(10, logits);
    next_gemv(xb, 10, false);
    a.comment("logits to the host");
    a.fout(5, gather_color(0), u32(cfg.vocab_size));
    a.mem(6, logits, u32(cfg.vocab_size));
    a.op("fmov d5, d6");
    a.op("exit");
    rmsnorm_slice(a, x, xb);
    b.text = a.text();
  }

  const model::Weights& w_;
  const std::vector<Gemv>& gemvs_;
  MeshShape s_;
  int c_;
  int r_;
  int positions_;
  Packing packing_;
  std::uint32_t scratch_ = 0;
  std::uint32_t ybuf_ = 0;
  int marks_ = 0;
  int labels_ = 0;
};

std::vector<Route> decode_routes(int c, int r, int width, int height) {
  std::vector<Route> routes{{color::host, RouteMode::addressed, 0, 0}};
  if (c > 0) {
    routes.push_back({reduce_color(c), RouteMode::fixed, bit(Dir::p), bit(Dir::w)});
  }
  if (c + 1 < width) {
    routes.push_back({reduce_color(c + 1), RouteMode::fixed, bit(Dir::e), bit(Dir::p)});
  }
  if (c == 0) {
    routes.push_back(
        {gather_color(r), RouteMode::fixed, bit(Dir::p), r == 0 ? bit(Dir::w) : bit(Dir::n)});
    if (r + 1 < height) {
      routes.push_back({gather_color(r + 1), RouteMode::fixed, bit(Dir::s), bit(Dir::p)});
    }
  }
  // The broadcast tree: east along row 0, south down every column.
  std::uint8_t rx = 0;
  std::uint8_t tx = 0;
  if (c == 0 && r == 0) {
    rx = bit(Dir::p);
  } else {
    rx = r == 0 ? bit(Dir::w) : bit(Dir::n);
    tx = bit(Dir::p);
  }
  if (r == 0 && c + 1 < width) tx |= bit(Dir::e);
  if (r + 1 < height) tx |= bit(Dir::s);
  if (tx != 0) {
    routes.push_back({kBroadcastColor, RouteMode::fixed, rx, tx});
  }
  // A norm's scale, from PE (0, r) east along its row, a copy to every ramp on the way.
  if (width > 1) {
    const std::uint8_t east = c + 1 < width ? bit(Dir::e) : 0;
    routes.push_back(c == 0 ? Route{kScaleColor, RouteMode::fixed, bit(Dir::p), bit(Dir::e)}
                            : Route{kScaleColor, RouteMode::fixed, bit(Dir::w),
                                    static_cast<std::uint8_t>(bit(Dir::p) | east)});
  }
  return routes;
}

}  // namespace

const model::SumOrder& MeshOrderPolicy::order(const model::SumSite& site, std::int64_t n) const {
  switch (site.stage) {
    case model::Stage::wq:
    case model::Stage::wk:
    case model::Stage::wv:
    case model::Stage::wo:
    case model::Stage::w1:
    case model::Stage::w2:
    case model::Stage::w3:
    case model::Stage::classifier:
    case model::Stage::rms_att:
    case model::Stage::rms_ffn:
    case model::Stage::rms_final: {
      auto it = split_.find(n);
      if (it == split_.end()) it = split_.emplace(n, mesh_sum_order(n, width_)).first;
      return it->second;
    }
    case model::Stage::softmax_sum:
    case model::Stage::attn_value: {
      auto it = dealt_.find(n);
      if (it == dealt_.end()) it = dealt_.emplace(n, mesh_dealt_order(n, width_)).first;
      return it->second;
    }
    default:
      return sequential_;
  }
}

MeshDecoder::MeshDecoder(const model::Weights& w, const MeshShape& shape, const DecodeOptions& opt)
    : w_(w),
      shape_(shape),
      positions_(opt.max_positions > 0 ? opt.max_positions : w.config.seq_len),
      order_(shape.width) {
  model::validate(w.config);
  if (positions_ > w.config.seq_len) {
    throw DoesNotFit("positions", fmt::format("{} positions asked, the model's seq_len is {}",
                                              positions_, w.config.seq_len));
  }
  if (shape.num_colors < kNeededColors) {
    throw DoesNotFit("colors",
                     fmt::format("the decode mapping needs {} colors, the routers have {}",
                                 kNeededColors, shape.num_colors));
  }
  if (shape.width < 1 || shape.height < 1 || shape.width > 32 || shape.height > 32) {
    throw std::invalid_argument(
        fmt::format("mesh {}x{}: each side must be 1..32", shape.width, shape.height));
  }
  program_.width = shape.width;
  program_.height = shape.height;
  program_.num_colors = shape.num_colors;
  program_.mem_words = shape.mem_words;
  program_.host_color = color::host;
  const auto gemvs = decode_gemvs(w, shape.width, shape.height);
  for (int r = 0; r < shape.height; ++r) {
    for (int c = 0; c < shape.width; ++c) {
      // Code size does not depend on the data addresses (AsmBuilder::li): measure, then place,
      // with the most bank-friendly packing that fits.
      const std::uint32_t code_words =
          TileGen(w, gemvs, shape, c, r, positions_, Packing::dense).build(0).code_end;
      Built b;
      for (const Packing p : {Packing::even_rows, Packing::banked, Packing::dense}) {
        b = TileGen(w, gemvs, shape, c, r, positions_, p).build(code_words);
        if (b.end <= shape.mem_words) break;
      }
      if (b.end > shape.mem_words) {
        throw DoesNotFit(
            "SRAM words per PE",
            fmt::format("decode of {} on {}x{} with {} positions: "
                        "tile ({}, {}) needs {} SRAM "
                        "words ({} code + {} data), a PE has {}",
                        model::describe(w.config), shape.width, shape.height, positions_, c, r,
                        b.end, code_words, b.end - code_words, shape.mem_words));
      }
      if (c == 0 && r == 0) x_addr_ = b.x_addr;
      if (c == 0) pos_addr_.push_back(b.pos_addr);
      TileProgram t;
      t.x = c;
      t.y = r;
      t.assembly = std::move(b.text);
      t.image = std::move(b.image);
      t.routes = decode_routes(c, r, shape.width, shape.height);
      if (b.marks.size() != static_cast<std::size_t>(7 * w.config.n_layers + 2)) {
        throw std::logic_error(fmt::format("tile ({}, {}): {} phase marks, the estimate has {}",
                                           c, r, b.marks.size(), 7 * w.config.n_layers + 2));
      }
      t.marks = std::move(b.marks);
      program_.tiles.push_back(std::move(t));
    }
  }
  build_setup(program_);
}

HostStep MeshDecoder::step(int token, int pos) const {
  if (token < 0 || token >= w_.config.vocab_size) {
    throw std::invalid_argument(
        fmt::format("token {} is outside the vocabulary 0..{}", token, w_.config.vocab_size - 1));
  }
  if (pos < 0 || pos >= positions_) {
    throw std::out_of_range(
        fmt::format("position {} is outside the mapped 0..{}", pos, positions_ - 1));
  }
  HostStep s;
  std::vector<std::uint32_t> emb;
  for (const float f : w_.embedding(token)) emb.push_back(bits(f));
  append_load(s.input, 0, 0, color::host, x_addr_, emb);
  // Column 0 of each mesh row: pos (RoPE's table row), and where pos lives in the KV cache
  // dealt over the row: slot pos / W of column pos % W.
  const std::array<std::uint32_t, 3> p = {u32(pos), u32(pos / shape_.width),
                                          u32(pos % shape_.width)};
  for (int r = 0; r < shape_.height; ++r) {
    append_load(s.input, 0, r, color::host, pos_addr_[static_cast<std::size_t>(r)], p);
  }
  for (int r = 0; r < shape_.height; ++r) {
    for (int c = 0; c < shape_.width; ++c) {
      s.input.push_back(activate_wavelet(c, r, color::host, 0));
    }
  }
  s.output_words = static_cast<std::size_t>(w_.config.vocab_size);
  return s;
}

// ---- The schedule model (docs/mapping.md, "Cycle estimate": prediction) ----------------------

namespace {

/// PE and fabric timing, measured on the RTL with the 1x1 and Wx1 microbenchmarks of
/// tb/mapper/bench_timing.cpp (docs/mapping.md, "Cycle estimate", the table of costs).
namespace pe_time {
constexpr std::int64_t kScalar = 1;    // an instruction retires every cycle while fetch is granted
constexpr std::int64_t kLoadStore = 2; // lw / sw: the SRAM access takes the next cycle
constexpr std::int64_t kIssue = 2;     // launch (execute) to the first element's issue
constexpr std::int64_t kDrainMem = 3;  // last issue to retire, result written or sent
constexpr std::int64_t kDrainReg = 2;  // ... result in a register (frsum, frmax, dot fmac)
constexpr std::int64_t kHopBase = 4;   // issue at the sender to issue at the receiver: 4 + 2/hop
constexpr std::int64_t kSlackBase = 6; // a sender may run 6 + 2/hop cycles ahead (queues)
constexpr std::int64_t kSlackHop = 2;
constexpr std::int64_t kActivate = 3;  // ACTIVATE into the port of (0, 0) to the task's start
}  // namespace pe_time

struct Operand {
  enum class Kind : std::uint8_t { none, mem, fin, fout, reg } kind = Kind::none;
  ref::Dsd dsd;
  [[nodiscard]] bool mem() const { return kind == Kind::mem; }
  [[nodiscard]] std::uint32_t length() const {
    return kind == Kind::mem ? std::uint32_t{dsd.len0} * dsd.len1 : dsd.len;
  }
  [[nodiscard]] std::uint32_t address(std::uint32_t i) const {
    const auto s0 = static_cast<std::int16_t>(dsd.stride0);
    const auto s1 = static_cast<std::int16_t>(dsd.stride1);
    const std::uint32_t l0 = std::max<std::uint32_t>(dsd.len0, 1);
    return static_cast<std::uint32_t>(dsd.base + static_cast<std::int64_t>(i % l0) * s0 +
                                      static_cast<std::int64_t>(i / l0) * s1);
  }
};

/// One instruction of a tile's run for one token, as the program executes it.
struct Item {
  bool vector = false;
  std::int64_t cost = 0;  ///< scalar: its cycles
  isa::Vop vop = isa::Vop::fmov;
  Operand dst, a, b;
  std::uint32_t n = 0;     ///< elements
  std::uint32_t rows = 0;  ///< fdotv rows
  std::vector<int> marks;  ///< phase marks reached when it retires
};

Operand operand(const ref::Pe& pe, std::uint8_t raw) {
  Operand o;
  if (isa::operand_is_reg(raw)) {
    o.kind = Operand::Kind::reg;
    return o;
  }
  o.dsd = pe.dsd(raw & 0x7u);
  switch (o.dsd.kind) {
    case isa::DsdKind::mem: o.kind = Operand::Kind::mem; break;
    case isa::DsdKind::fin: o.kind = Operand::Kind::fin; break;
    case isa::DsdKind::fout: o.kind = Operand::Kind::fout; break;
    default: o.kind = Operand::Kind::none; break;
  }
  return o;
}

/// Where the stream a tile sends on a static color is delivered: every tile whose route hands
/// it to the ramp, with the hops it took (the host, off the W edge of (0, 0), is not a tile).
struct Sink {
  int tile;
  int hops;
};

std::vector<Sink> stream_sinks(const MeshProgram& p, int from, std::uint8_t c) {
  const auto route = [&](int t) -> const Route* {
    for (const Route& r : p.tiles[static_cast<std::size_t>(t)].routes) {
      if (r.color == c && r.mode == RouteMode::fixed) return &r;
    }
    return nullptr;
  };
  std::vector<Sink> out;
  std::vector<std::pair<int, int>> todo = {{from, 0}};
  while (!todo.empty()) {
    const auto [t, hops] = todo.back();
    todo.pop_back();
    const Route* r = route(t);
    if (r == nullptr) continue;
    const int x = t % p.width;
    const int y = t / p.width;
    if (hops > 0 && (r->tx & bit(Dir::p)) != 0) out.push_back({t, hops});
    const std::array<std::tuple<Dir, int, int>, 4> step = {
        std::tuple{Dir::w, -1, 0}, {Dir::e, 1, 0}, {Dir::n, 0, -1}, {Dir::s, 0, 1}};
    for (const auto& [d, dx, dy] : step) {
      if ((r->tx & bit(d)) == 0) continue;
      const int nx = x + dx;
      const int ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= p.width || ny >= p.height) continue;  // the host
      todo.push_back({ny * p.width + nx, hops + 1});
    }
  }
  return out;
}

/// Runs every tile's program for one token on reference PEs (eager engines), fed their own
/// LOADs and ACTIVATE from `step`, and lists the instructions each executes, with the operands
/// of every vector instruction as launched and the phase marks each one reaches. The tiles'
/// streams are delivered along the routes (unbounded queues: nothing holds a sender back), so
/// the words that steer a program's lengths and branches (where the attention's position
/// lives on the row) are the real ones; a color no tile sends on (a benchmark's host input) is
/// fed zeros as it is asked for. Times are not modelled here: only the order of each tile's
/// own instructions.
constexpr std::uint64_t kTraceSteps = 50'000'000;
constexpr std::size_t kTraceColors = 32;
std::vector<std::vector<Item>> trace_all(const MeshProgram& p, const HostStep& step) {
  const std::size_t tiles = p.tiles.size();
  std::vector<std::vector<int>> sinks(tiles * kTraceColors);  // [tile * colors + color]
  std::vector<bool> has_source(tiles * kTraceColors, false);
  for (std::size_t t = 0; t < tiles; ++t) {
    for (const Route& r : p.tiles[t].routes) {
      if (r.mode != RouteMode::fixed || (r.rx & bit(Dir::p)) == 0) continue;
      for (const Sink& s : stream_sinks(p, static_cast<int>(t), r.color)) {
        sinks[t * kTraceColors + r.color].push_back(s.tile);
        has_source[static_cast<std::size_t>(s.tile) * kTraceColors + r.color] = true;
      }
    }
  }
  std::vector<std::deque<std::uint32_t>> queued(tiles * kTraceColors);
  std::vector<std::vector<Item>> items(tiles);
  std::vector<std::unique_ptr<ref::Pe>> pes;
  std::vector<std::size_t> next_mark(tiles, 0);
  std::vector<std::uint64_t> steps(tiles, 0);
  std::vector<bool> done(tiles, false);
  for (const TileProgram& t : p.tiles) {
    auto pe = std::make_unique<ref::Pe>(ref::Config{p.mem_words, p.num_colors,
                                                    ref::EngineTiming::eager});
    pe->load(t.image.words);
    for (const Wavelet& w : step.input) {  // its LOADs (the token, the position) and ACTIVATE
      if (w.dst_x == t.x && w.dst_y == t.y) pe->push_input(w);
    }
    pes.push_back(std::move(pe));
  }
  // Runs tile t until it ends or waits for a word not sent yet; false if it did nothing.
  const auto advance = [&](std::size_t t) {
    const TileProgram& tp = p.tiles[t];
    ref::Pe& pe = *pes[t];
    bool moved = false;
    for (;;) {
      if (++steps[t] > kTraceSteps) {
        throw std::logic_error(
            fmt::format("trace ({}, {}): no end after {} steps", tp.x, tp.y, kTraceSteps));
      }
      const std::uint16_t pc = pe.pc();
      const bool was_running = pe.running();
      const std::uint32_t word = was_running ? pe.read_mem(pc) : 0;
      const ref::Step s = pe.step();
      while (const auto out = pe.pop_output()) {
        for (const int sink : sinks[t * kTraceColors + out->color]) {
          queued[static_cast<std::size_t>(sink) * kTraceColors + out->color].push_back(out->data);
        }
      }
      if (s.kind == ref::StepKind::started) {
        moved = true;
        continue;
      }
      if (s.kind == ref::StepKind::waiting) {
        // A synchronous operation waits for its fabric input (the launch has already moved
        // the pc on): hand it the next word of a color it reads, if one has been sent.
        bool fed = false;
        for (const Operand* o : {&items[t].back().a, &items[t].back().b}) {
          if (o->kind != Operand::Kind::fin) continue;
          const std::size_t q = t * kTraceColors + o->dsd.color;
          if (!has_source[q]) {
            pe.push_input(ref::Wavelet{0, o->dsd.color, false, 0, 0});
            fed = true;
          } else if (!queued[q].empty()) {
            pe.push_input(ref::Wavelet{queued[q].front(), o->dsd.color, false, 0, 0});
            queued[q].pop_front();
            fed = true;
          }
        }
        if (!fed) return moved;
        moved = true;
        continue;
      }
      if (s.kind != ref::StepKind::executed) {
        throw std::logic_error(fmt::format("trace ({}, {}): the PE stopped at pc {} ({})", tp.x,
                                           tp.y, pe.pc(), static_cast<int>(pe.error())));
      }
      moved = true;
      if (s.task_ended) {
        done[t] = true;
        return moved;
      }
      const isa::Fields f = isa::fields(word);
      Item it;
      if (f.vector) {
        it.vector = true;
        it.vop = static_cast<isa::Vop>(f.vop);
        it.dst = operand(pe, f.vdst);
        it.a = operand(pe, f.va);
        const isa::VopClass cls = isa::vop_class(it.vop);
        if (cls != isa::VopClass::unary && cls != isa::VopClass::reduce) it.b = operand(pe, f.vb);
        if (it.vop == isa::Vop::fdotv) {
          it.n = std::uint32_t{it.a.dsd.len0} * it.a.dsd.len1;
          it.rows = it.a.dsd.len1;
        } else {
          it.n = it.a.kind != Operand::Kind::reg ? it.a.length() : it.b.length();
          if (it.dst.kind != Operand::Kind::reg) it.n = it.dst.length();
        }
      } else {
        const auto op = static_cast<isa::Op>(f.op);
        it.cost = op == isa::Op::lw || op == isa::Op::sw ? pe_time::kLoadStore : pe_time::kScalar;
      }
      while (next_mark[t] < tp.marks.size() && tp.marks[next_mark[t]] == pc) {
        it.marks.push_back(static_cast<int>(next_mark[t]++));
      }
      items[t].push_back(std::move(it));
    }
  };
  for (std::size_t left = tiles; left > 0;) {
    bool moved = false;
    left = 0;
    for (std::size_t t = 0; t < tiles; ++t) {
      if (done[t]) continue;
      moved = advance(t) || moved;
      if (!done[t]) ++left;
    }
    if (left > 0 && !moved) throw std::logic_error("trace: the tiles wait on each other");
  }
  for (std::size_t t = 0; t < tiles; ++t) {
    if (next_mark[t] != p.tiles[t].marks.size()) {
      throw std::logic_error(fmt::format("trace ({}, {}): {} of {} marks reached", p.tiles[t].x,
                                         p.tiles[t].y, next_mark[t], p.tiles[t].marks.size()));
    }
  }
  return items;
}

/// Per tile and phase mark: the cycle the mark's instruction retires, counted from the token's
/// first input wavelet; and the cycles the tile spent on its own work in each phase.
struct Timeline {
  std::vector<std::vector<std::int64_t>> mark;  // [tile][mark]
  std::vector<std::vector<std::int64_t>> own;   // [tile][phase]
  std::int64_t exit = 0;
  std::vector<std::int64_t> end;  // per tile: the cycle its last timed instruction retired
};

/// The lower-bound mode of ScheduleModel: phase `phase` alone, entered last by tile `last`.
struct Window {
  std::size_t phase;
  std::size_t last;
};

constexpr std::int64_t kFar = std::int64_t{1} << 40;  // "long before": never on a critical path

class ScheduleModel {
 public:
  ScheduleModel(const MeshProgram& p, std::vector<std::vector<Item>> items,
                std::vector<std::int64_t> start, int hop)
      : items_(std::move(items)), start_(std::move(start)), hop_(hop) {
    const std::size_t tiles = items_.size();
    source_.assign(tiles * kColors, {-1, 0});
    for (std::size_t t = 0; t < tiles; ++t) {
      for (const Route& r : p.tiles[t].routes) {
        if (r.mode != RouteMode::fixed || (r.rx & bit(Dir::p)) == 0) continue;
        for (const Sink& s : stream_sinks(p, static_cast<int>(t), r.color)) {
          source_[static_cast<std::size_t>(s.tile) * kColors + r.color] = {static_cast<int>(t),
                                                                            s.hops};
          sinks_[t * kColors + r.color].push_back(s);
        }
      }
    }
  }

  /// The lower bound of `w.phase` if `w.last` is the tile that enters it last: the latest
  /// retire of the phase's last instruction over the tiles it can reach.
  std::int64_t window(const Window& w) {
    const Timeline tl = pass(&w);
    std::int64_t e = w.phase == 0 ? 0 : -kFar;
    const bool last_phase = w.phase + 1 >= marks();
    for (std::size_t t = 0; t < tl.end.size(); ++t) {
      if (last_phase && t != 0) continue;  // the token ends when (0, 0)'s output has left
      e = std::max(e, tl.end[t]);
    }
    return std::max<std::int64_t>(e, 0);
  }
  [[nodiscard]] std::size_t marks() const {
    std::size_t n = 0;
    for (const Item& it : items_[0]) n += it.marks.size();
    return n;
  }

  /// Times the whole token. A sender's credits depend on its receivers' times, which depend
  /// on the senders': each pass uses the receivers' times of the one before. Times only grow
  /// from pass to pass, so this settles (8x8: about 30 passes); the cap only guards a bug.
  Timeline run() {
    const std::size_t tiles = items_.size();
    taken_.assign(tiles * kColors, {});
    for (int iter = 0; iter < kMaxPasses; ++iter) {
      std::vector<std::vector<std::int64_t>> before = taken_;
      Timeline tl = pass();
      if (taken_ == before) return tl;
    }
    throw std::logic_error(
        fmt::format("schedule model: the credit times still change after {} passes", kMaxPasses));
  }

 private:
  static constexpr std::size_t kColors = 32;
  static constexpr int kMaxPasses = 1000;

  [[nodiscard]] std::int64_t latency(int hops) const {
    return pe_time::kHopBase + static_cast<std::int64_t>(hop_) * hops;
  }
  [[nodiscard]] static std::int64_t slack(int hops) {
    return pe_time::kSlackBase + pe_time::kSlackHop * hops;
  }

  /// One pass over every tile's instructions in dependency order; the senders' credits come
  /// from the receivers' element times of the previous pass (none in the first).
  Timeline pass(const Window* win = nullptr) {
    const std::size_t tiles = items_.size();
    std::vector<std::vector<std::int64_t>> sent(tiles * kColors);
    std::vector<std::vector<std::int64_t>> taken(tiles * kColors);
    std::vector<std::size_t> cursor(tiles, 0);
    std::vector<std::int64_t> now = start_;
    // Lower-bound window: instructions before the phase cost nothing and their words are
    // there at once; the tile that enters last starts at 0, every other tile long before.
    std::vector<std::size_t> lo(tiles, 0);
    std::vector<std::size_t> hi(tiles, 0);
    if (win != nullptr) {
      for (std::size_t t = 0; t < tiles; ++t) {
        lo[t] = win->phase == 0 ? 0 : carrier(t, win->phase) + 1;
        hi[t] = carrier(t, win->phase + 1);
        if (win->phase > 0) now[t] = t == win->last ? 0 : -kFar;
      }
    }
    done_.assign(tiles, false);
    Timeline tl;
    tl.mark.assign(tiles, {});
    tl.own.assign(tiles, {});
    bool progress = true;
    std::size_t done = 0;
    while (done < tiles) {
      if (!progress) throw std::logic_error("schedule model: the tiles wait on each other");
      progress = false;
      done = 0;
      for (std::size_t t = 0; t < tiles; ++t) {
        auto& items = items_[t];
        const std::size_t end = win != nullptr ? std::min(hi[t] + 1, items.size()) : items.size();
        while (cursor[t] < end) {
          const Item& it = items[cursor[t]];
          std::int64_t own = 0;
          if (win != nullptr && cursor[t] < lo[t]) {
            if (it.vector) skip(t, it, sent, taken);
          } else if (!it.vector) {
            now[t] += it.cost;
            own = it.cost;
          } else if (!vector(t, it, now[t], own, sent, taken, win != nullptr)) {
            break;
          }
          // Its cycles belong to the phase it ran in; its marks are reached as it retires.
          if (!tl.mark[t].empty()) tl.own[t][tl.mark[t].size() - 1] += own;
          for (std::size_t m = 0; m < it.marks.size(); ++m) {
            tl.mark[t].push_back(now[t]);
            tl.own[t].push_back(0);
          }
          ++cursor[t];
          progress = true;
        }
        if (cursor[t] == end) {
          ++done;
          done_[t] = true;
        }
      }
    }
    if (win == nullptr) taken_ = std::move(taken);
    tl.exit = now[0];
    tl.end = now;
    return tl;
  }

  /// The index of the instruction of tile t that reaches phase mark m as it retires (the
  /// last instruction for the mark past the last).
  [[nodiscard]] std::size_t carrier(std::size_t t, std::size_t m) const {
    const auto& items = items_[t];
    for (std::size_t i = 0; i < items.size(); ++i) {
      for (const int k : items[i].marks) {
        if (static_cast<std::size_t>(k) == m) return i;
      }
    }
    return items.size() - 1;
  }

  /// An instruction before the lower-bound window: its words are sent and taken at once.
  void skip(std::size_t t, const Item& it, std::vector<std::vector<std::int64_t>>& sent,
            std::vector<std::vector<std::int64_t>>& taken) const {
    for (const Operand* o : {&it.a, &it.b}) {
      if (o->kind != Operand::Kind::fin) continue;
      auto& tk = taken[t * kColors + o->dsd.color];
      tk.insert(tk.end(), it.n, -kFar);
    }
    if (it.dst.kind == Operand::Kind::fout) {
      auto& out = sent[t * kColors + it.dst.dsd.color];
      out.insert(out.end(), it.n, -kFar);
    }
  }

  /// Times one vector instruction of tile t retiring after `now`; false when a sender it
  /// reads from has not been timed yet. `minimal` (the lower bound) takes the least the RTL can
  /// spend: the launch cycle, one element per cycle, one cycle from the last issue to the
  /// retire, a fabric element no earlier than its sender's issue plus the router's zero-load
  /// latency (1 + hop per hop); nothing for receivers holding a sender back, bank collisions or
  /// pipeline depth. Words a sender outside the window never sends are there at once.
  bool vector(std::size_t t, const Item& it, std::int64_t& now, std::int64_t& own,
              std::vector<std::vector<std::int64_t>>& sent,
              std::vector<std::vector<std::int64_t>>& taken, bool minimal = false) {
    const Operand* fin = nullptr;
    for (const Operand* o : {&it.a, &it.b}) {
      if (o->kind == Operand::Kind::fin) fin = o;
    }
    const std::vector<std::int64_t>* in = nullptr;
    std::int64_t in_lat = 0;
    std::size_t in0 = 0;
    if (fin != nullptr) {
      const auto [src, hops] = source_[t * kColors + fin->dsd.color];
      if (src < 0) throw std::logic_error("schedule model: a stream without a sender");
      in = &sent[static_cast<std::size_t>(src) * kColors + fin->dsd.color];
      in0 = taken[t * kColors + fin->dsd.color].size();
      if (in->size() < in0 + it.n && !(minimal && done_[static_cast<std::size_t>(src)])) {
        return false;
      }
      in_lat = minimal ? 1 + static_cast<std::int64_t>(hop_) * hops : latency(hops);
    }
    std::vector<std::int64_t>* out = nullptr;
    const std::vector<Sink>* sinks = nullptr;
    std::size_t out0 = 0;
    if (it.dst.kind == Operand::Kind::fout) {
      out = &sent[t * kColors + it.dst.dsd.color];
      out0 = out->size();
      const auto s = sinks_.find(t * kColors + it.dst.dsd.color);
      if (s != sinks_.end()) sinks = &s->second;
    }
    std::vector<const Operand*> reads;
    for (const Operand* o : {&it.a, &it.b}) {
      if (o->mem()) reads.push_back(o);
    }
    if (it.vop == isa::Vop::fmac && it.dst.mem()) reads.push_back(&it.dst);
    const std::int64_t to_issue = minimal ? 1 : pe_time::kIssue;
    std::int64_t t_issue = now + 1 + to_issue;
    std::int64_t work = 1 + to_issue;
    std::int64_t last = t_issue;
    for (std::uint32_t i = 0; i < it.n; ++i) {
      std::int64_t ready = t_issue;
      if (in != nullptr && in0 + i < in->size()) ready = std::max(ready, (*in)[in0 + i] + in_lat);
      if (sinks != nullptr && !minimal) {
        for (const Sink& s : *sinks) {
          const auto& prev = taken_[static_cast<std::size_t>(s.tile) * kColors + it.dst.dsd.color];
          if (out0 + i < prev.size()) ready = std::max(ready, prev[out0 + i] - slack(s.hops));
        }
      }
      std::int64_t cost = (static_cast<std::int64_t>(reads.size()) + 1) / 2;
      if (reads.size() == 2 &&
          reads[0]->address(i) % kBanks == reads[1]->address(i) % kBanks) {
        cost = 2;
      }
      cost = minimal ? 1 : std::max<std::int64_t>(cost, 1);
      if (in != nullptr) taken[t * kColors + fin->dsd.color].push_back(ready);
      if (out != nullptr) out->push_back(ready);
      last = ready + cost - 1;
      t_issue = ready + cost;
      work += cost;
    }
    if (it.vop == isa::Vop::fdotv && !minimal) {
      // Row-end writes collide with the reads now and then: 2 cycles per 8 rows (measured).
      const std::int64_t extra = 2 * ((static_cast<std::int64_t>(it.rows) + 6) / 8);
      last += extra;
      work += extra;
    }
    const std::int64_t drain = minimal                            ? 1
                               : it.dst.kind == Operand::Kind::reg ? pe_time::kDrainReg
                                                                   : pe_time::kDrainMem;
    now = last + drain;
    own = work + drain - 1;
    return true;
  }

  std::vector<std::vector<Item>> items_;
  std::vector<std::int64_t> start_;
  int hop_;
  std::vector<std::pair<int, int>> source_;  // [tile * kColors + color]: sender tile, hops
  std::map<std::size_t, std::vector<Sink>> sinks_;
  std::vector<std::vector<std::int64_t>> taken_;  // previous pass: receivers' element times
  std::vector<bool> done_;                         // tiles past their window
};

}  // namespace


std::vector<MeshDecoder::Phase> MeshDecoder::phases() const {
  std::vector<Phase> out;
  for (int l = 0; l < w_.config.n_layers; ++l) {
    for (const char* n : {"rms_att", "qkv", "rope", "attention", "wo", "rms_ffn", "ffn"}) {
      out.push_back({n, l, {}});
    }
  }
  out.push_back({"rms_final", -1, {}});
  out.push_back({"classifier", -1, {}});
  return out;
}

namespace {

/// Per tile: the index of its ACTIVATE in the host step's input (it cannot start earlier: the
/// port takes one wavelet per cycle).
std::vector<std::int64_t> activations(const HostStep& s, std::size_t tiles, int width) {
  std::vector<std::int64_t> at(tiles, 0);
  for (std::size_t i = 0; i < s.input.size(); ++i) {
    const Wavelet& w = s.input[i];
    if (!w.ctrl || w.data != activate_wavelet(w.dst_x, w.dst_y, color::host, 0).data) continue;
    at[static_cast<std::size_t>(w.dst_y) * static_cast<std::size_t>(width) + w.dst_x] =
        static_cast<std::int64_t>(i);
  }
  return at;
}

}  // namespace

MarkSchedule schedule_marks(const MeshProgram& program, const HostStep& step, int hop_latency) {
  std::vector<std::int64_t> start = activations(step, program.tiles.size(), program.width);
  // A tile's task starts 3 cycles after its ACTIVATE entered the host port, 2 more per hop
  // (measured): the wavelet crosses the port, the routers and the ramp, then the task starts
  // and fetches its first instruction.
  for (std::size_t t = 0; t < start.size(); ++t) {
    const auto x = static_cast<std::int64_t>(t % static_cast<std::size_t>(program.width));
    const auto y = static_cast<std::int64_t>(t / static_cast<std::size_t>(program.width));
    start[t] += pe_time::kActivate + hop_latency * (x + y);
  }
  ScheduleModel model(program, trace_all(program, step), std::move(start), hop_latency);
  const Timeline tl = model.run();
  return {tl.mark, tl.own, tl.exit};
}

std::vector<MeshDecoder::Phase> MeshDecoder::bound(int pos, int hop_latency) const {
  const HostStep s = step(0, pos);
  std::vector<Phase> out = phases();
  // Which tiles can enter a phase last (docs/mapping.md, "Lower bound"): (0, 0) for every
  // phase it enters after a gather into it (wo, and the norms after the residual add); for
  // rope and attention, which each column-0 PE enters on its own, any column-0 PE with heads.
  // The GEMV phases after a norm (qkv, ffn, classifier) are entered as each PE has its slice
  // of the norm; a mesh row ends its norm 2 cycles (a hop of the broadcast) after the row
  // above, and the row's last PE takes its scale last, so the last-column PE of the last mesh
  // row that has rows of the GEMV (the rows without skip the norm and enter early).
  const auto column = [&](const std::vector<std::int64_t>& rb, std::size_t c) {
    std::vector<std::size_t> tiles;
    for (std::size_t r = 0; r + 1 < rb.size(); ++r) {
      if (rb[r + 1] > rb[r]) tiles.push_back(r * static_cast<std::size_t>(shape_.width) + c);
    }
    return tiles;
  };
  const auto last_row = [&](const std::vector<std::int64_t>& rb) {
    return std::vector<std::size_t>{column(rb, static_cast<std::size_t>(shape_.width) - 1).back()};
  };
  const model::Config& c = w_.config;
  const auto kvb = kv_head_bounds(c, shape_.height);
  const std::map<std::string, std::vector<std::size_t>> candidates = {
      {"rope", column(kvb, 0)},
      {"attention", column(kvb, 0)},
      {"qkv", last_row(kvb)},
      {"ffn", last_row(row_bounds(c.hidden_dim, shape_.height))},
      {"classifier", last_row(row_bounds(c.vocab_size, shape_.height))}};
  ScheduleModel model(program_, trace_all(program_, s),
                      activations(s, program_.tiles.size(), shape_.width), hop_latency);
  for (std::size_t p = 0; p < out.size(); ++p) {
    const auto own = candidates.find(out[p].name);
    std::int64_t b = -1;
    for (const std::size_t t :
         own != candidates.end() ? own->second : std::vector<std::size_t>{0}) {
      const std::int64_t e = model.window({p, t});
      b = b < 0 ? e : std::min(b, e);
    }
    out[p].cycles = {std::max<std::int64_t>(b, 1), 0};
  }
  return out;
}

std::vector<MeshDecoder::Phase> MeshDecoder::predict(int pos, int hop_latency) const {
  const MarkSchedule m = schedule_marks(program_, step(0, pos), hop_latency);
  std::vector<Phase> out = phases();
  std::int64_t begin = 0;
  for (std::size_t p = 0; p < out.size(); ++p) {
    // As the testbench measures it: a phase ends when the last tile reaches the next mark.
    std::int64_t end = m.exit;
    std::size_t critical = 0;
    if (p + 1 < out.size()) {
      end = 0;
      for (std::size_t t = 0; t < m.marks.size(); ++t) {
        if (m.marks[t][p + 1] >= end) {
          end = m.marks[t][p + 1];
          critical = t;
        }
      }
    }
    const std::int64_t total = std::max<std::int64_t>(end - begin, 1);
    const std::int64_t own = std::min(total, m.own[critical][p]);
    out[p].cycles = {own, total - own};
    begin = std::max(begin, end);
  }
  return out;
}

}  // namespace wm::sw::mapper

