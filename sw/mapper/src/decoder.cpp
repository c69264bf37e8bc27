// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sw/mapper/decoder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "wm/sw/asm/assembler.hpp"
#include "wm/sw/fp/fp.hpp"
#include "wm/sw/mapper/asm_builder.hpp"
#include "wm/sw/mapper/partition.hpp"
#include "wm/sw/model/float_decoder.hpp"
#include "wm/sw/ref/special.hpp"

#ifndef WM_ASM_LIB_DIR
#error "WM_ASM_LIB_DIR must name sw/asm/lib"
#endif

namespace wm::sw::mapper {

namespace {

constexpr float kRmsEps = 1e-5F;  // FloatDecoder's
constexpr std::array<const char*, 6> kLibFiles = {"exp.s",  "recip.s",   "rsqrt.s",
                                                  "silu.s", "softmax.s", "rope.s"};
constexpr unsigned kNeededColors = 6;

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

/// GEMV output rows over the mesh rows. PE (0, 0) also runs every element-wise phase and holds
/// the KV cache, so its whole row gets a smaller share: one for every kRowShare of the other
/// rows on meshes of fewer than kFreeRow0 rows, none at all from kFreeRow0 rows on (the
/// others then have room, and (0, 0) the most room for positions).
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

/// KV heads over the mesh rows, near-equal (row 0 included: its attention state fits beside
/// PE (0, 0)'s other buffers): mesh row r runs attention for kv heads [b[r], b[r+1]) and their
/// query heads, so Q, K and V rows are cut at head boundaries.
std::vector<std::int64_t> kv_head_bounds(const model::Config& c, int height) {
  return split_bounds(c.n_kv_heads, height);
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

/// Data of one tile, allocated upward from the end of its code.
class Layout {
 public:
  explicit Layout(std::uint32_t base) : next_(base) {}
  std::uint32_t alloc(std::int64_t words) {
    const std::uint32_t a = next_;
    next_ += u32(words);
    return a;
  }
  std::uint32_t put(std::span<const float> v) {
    const std::uint32_t a = alloc(static_cast<std::int64_t>(v.size()));
    for (std::size_t i = 0; i < v.size(); ++i)
      data_[a + u32(static_cast<std::int64_t>(i))] = bits(v[i]);
    return a;
  }
  [[nodiscard]] std::uint32_t end() const { return next_; }
  [[nodiscard]] const std::map<std::uint32_t, std::uint32_t>& data() const { return data_; }

 private:
  std::uint32_t next_;
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
          int positions)
      : w_(w), gemvs_(gemvs), s_(s), c_(c), r_(r), positions_(positions) {}

  Built build(std::uint32_t code_base) {
    Layout mem(code_base);
    AsmBuilder a;
    marks_ = 0;
    a.comment(fmt::format("decode tile ({}, {})", c_, r_));
    a.label("boot");
    // Weight blocks, one per GEMV, in program order.
    std::vector<std::uint32_t> blocks;
    std::int64_t max_rows = 1;
    std::vector<float> block;
    for (const Gemv& g : gemvs_) {
      block.clear();
      for (std::int64_t i = g.rb[r_]; i < g.rb[r_ + 1]; ++i) {
        const auto row = g.m.row(i);
        block.insert(block.end(), row.begin() + g.cb[c_], row.begin() + g.cb[c_ + 1]);
      }
      blocks.push_back(mem.put(block));
      max_rows = std::max(max_rows, g.rb[r_ + 1] - g.rb[r_]);
    }
    Built b;
    const model::Config& cfg = w_.config;
    if (c_ != 0 || r_ != 0) {
      scratch_ = mem.alloc(std::max(cfg.dim, cfg.hidden_dim));
      ybuf_ = mem.alloc(max_rows);
      std::uint32_t h1 = 0;
      std::uint32_t h3 = 0;
      std::array<std::uint32_t, 4> tmp{};
      if (c_ == 0) {
        h1 = mem.alloc(max_rows);
        h3 = mem.alloc(max_rows);
        for (auto& t : tmp) t = mem.alloc(max_rows);
      }
      Attn at;
      mark(a);  // rms_att of layer 0: (0, 0) alone works; the others wait for its broadcast
      if (c_ == 0) {
        at = attn_layout(mem);
        a.op("lw r7, {}(r0)", at.pos);
        a.op("addi r12, r7, 1");
        b.pos_addr = at.pos;
      }
      for (std::size_t i = 0; i < gemvs_.size(); ++i) {
        const model::Stage st = gemvs_[i].stage;
        if (st == model::Stage::wq && gemvs_[i].layer > 0) mark(a);  // rms_att
        if (c_ == 0 && st == model::Stage::wq) {
          qkv_attention(a, i, blocks, 0, at, at.out);
          i += 2;
        } else if (st == model::Stage::w1) {
          mark(a);  // rms_ffn
          mark(a);  // ffn
          a.li(10, h1);
          gemv(a, gemvs_[i], blocks[i], 0, 10, true, true);
        } else if (st == model::Stage::w3) {
          a.li(10, h3);
          gemv(a, gemvs_[i], blocks[i], 0, 10, false, true);
          if (c_ == 0) swiglu_gather(a, gemvs_[i], h1, h3, tmp, 0);
        } else if (st == model::Stage::wk || st == model::Stage::wv) {
          gemv(a, gemvs_[i], blocks[i], 0, 0, false);  // Q's broadcast of xb serves K and V
          if (st == model::Stage::wv) {
            mark(a);  // rope: column 0 only
            mark(a);  // attention: column 0, then the gather (passed through here)
          }
        } else {
          if (st == model::Stage::wq) mark(a);  // qkv
          if (st == model::Stage::wo) mark(a);
          if (st == model::Stage::classifier) {
            mark(a);  // rms_final
            mark(a);  // classifier
          }
          gemv(a, gemvs_[i], blocks[i], 0, 0);
        }
      }
      a.op("exit");
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

  // Phase marks: a label at the first instruction of every phase, in the order of
  // MeshDecoder::estimate, in every tile's program (a phase this tile takes no part in is
  // empty: its mark shares the next one's pc). The testbench sees the PE retire them.
  static std::string mark_name(int i) { return fmt::format("phase_{}", i); }
  void mark(AsmBuilder& a) { a.label(mark_name(marks_++)); }
  [[nodiscard]] bool multi() const { return s_.width * s_.height > 1; }

  std::vector<assembler::Source> sources(const std::string& main) const {
    std::vector<assembler::Source> src{{fmt::format("decode_{}_{}.s", c_, r_), main}};
    if (c_ == 0) {
      for (const char* f : kLibFiles) {
        const std::string path = std::string(WM_ASM_LIB_DIR) + "/" + f;
        src.push_back({path, assembler::read_text_file(path)});
      }
    }
    return src;
  }

  /// One MeshGEMV step of this tile. At (0, 0): broadcast the input at `src`,
  /// write the result at the address held in register `rdst`.
  /// `bcast` = false: the input is the previous GEMV's (W3 after W1), already in every PE.
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
        a.mem(0, wblk, k, 1, n, static_cast<std::int32_t>(k));
        a.mem(1, x, k, 1, n, 0);
        a.op("fdotv d2, d0, d1");
      } else {
        a.op("fmov d2, r0");  // a padding column adds +0 to every row
      }
      if (s_.width > 1) {
        if (c_ == s_.width - 1) {
          a.fout(3, reduce_color(c_), n);
          a.op("fmov d3, d2");
        } else {
          a.fin(4, reduce_color(c_ + 1), n);
          if (c_ > 0) {
            a.fout(3, reduce_color(c_), n);
            a.op("fadd d3, d4, d2");
          } else {
            a.op("fadd d2, d4, d2");
          }
        }
      }
    }
    if (c_ != 0 || keep) return;
    gather(a, n, below, ybuf_, rdst);
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

  /// A column-0 PE's attention state: its kv heads [kv0, kv1), their cache, its query rows.
  struct Attn {
    int kv0 = 0, kv1 = 0;
    std::uint32_t q = 0, kc = 0, vc = 0, att = 0, out = 0, pos = 0, rope_c = 0, rope_s = 0;
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
    const std::int64_t nq = nkv * cfg.kv_mul() * hs;
    const std::int64_t P = positions_;
    m.pos = mem.alloc(1);
    if (nkv == 0) return m;
    m.q = mem.alloc(nq);
    m.out = coord() ? 0 : mem.alloc(nq);
    m.att = mem.alloc(P);
    const std::int64_t tl = std::max<std::int64_t>(P, nq / 2);
    for (auto& t : m.t) t = mem.alloc(tl);
    std::vector<float> rc;
    std::vector<float> rs;
    for (int p = 0; p < P; ++p) {
      for (int j = 0; j < hs / 2; ++j) {
        const auto cs = ref::special::rope_cos_sin(p, j, hs);
        rc.push_back(cs.c);
        rs.push_back(cs.s);
      }
    }
    m.rope_c = mem.put(rc);
    m.rope_s = mem.put(rs);
    m.kc = mem.alloc(P * nkv * hs * cfg.n_layers);
    m.vc = mem.alloc(P * nkv * hs * cfg.n_layers);
    return m;
  }

  /// Q, K, V GEMVs (one broadcast, rows kept at column 0), then on this column-0 PE RoPE and
  /// attention for its heads into `out` (at (0, 0): xb), then the gather of the attention
  /// output up column 0 into (0, 0)'s xb. Needs r7 = pos, r12 = pos + 1.
  void qkv_attention(AsmBuilder& a, std::size_t gi, const std::vector<std::uint32_t>& blocks,
                     std::uint32_t src, const Attn& m, std::uint32_t out) {
    const model::Config& cfg = w_.config;
    const int hs = cfg.head_size();
    const int half = hs / 2;
    const int nkv = m.kv1 - m.kv0;
    const int nheads = nkv * cfg.kv_mul();
    const auto kvd = u32(nkv * hs);
    const int l = gemvs_[gi].layer;
    const std::uint32_t cache = u32(positions_) * kvd;
    const std::uint32_t kc_l = m.kc + u32(l) * cache;
    const std::uint32_t vc_l = m.vc + u32(l) * cache;
    mark(a);  // qkv
    a.li(1, kvd);
    a.op("mul r8, r7, r1");
    a.op("addi r9, r8, 0");
    a.li(1, kc_l);
    a.op("add r8, r8, r1");
    a.li(1, vc_l);
    a.op("add r9, r9, r1");
    a.li(10, m.q);
    gemv(a, gemvs_[gi], blocks[gi], src, 10, true, true);
    gemv(a, gemvs_[gi + 1], blocks[gi + 1], src, 8, false, true);
    gemv(a, gemvs_[gi + 2], blocks[gi + 2], src, 9, false, true);
    mark(a);  // rope
    if (nkv == 0) mark(a);  // attention: only the gather passes through
    if (nkv > 0) {
      a.comment(fmt::format("rope and attention, query heads {}..{}", m.kv0 * cfg.kv_mul(),
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
      for (int i = 0; i < nheads; ++i) {
        const int kvh = i / cfg.kv_mul();  // local kv head
        a.mem(0, kc_l + u32(kvh * hs), u32(hs));
        a.li(3, kvd);
        a.op("dsd2 d0, r12, r3");
        a.mem(1, m.q + u32(i * hs), u32(hs));
        a.op("dsd2 d1, r12, r0");
        a.mem_len_r(2, m.att, 12);
        a.op("fdotv d2, d0, d1");
        a.li(4, bits(model::inv_sqrt_head_size(hs)));
        a.op("fmul d2, d2, r4");
        a.mem_len_r(3, m.t[0], 12);
        a.mem_len_r(4, m.t[1], 12);
        a.mem_len_r(5, m.t[2], 12);
        a.op("call wm_softmax");
        a.li(1, vc_l + u32(kvh * hs));
        a.li(3, kvd);
        a.op("dsdm d0, r1, r12, r3");
        a.li(2, u32(hs));
        a.li(3, 1);
        a.op("dsd2 d0, r2, r3");
        a.mem_len_r(1, m.att, 12);
        a.li(2, u32(hs));
        a.op("dsd2 d1, r2, r0");
        a.mem(2, out + u32(i * hs), u32(hs));
        a.op("fdotv d2, d0, d1");
      }
    }
    const Gemv& q = gemvs_[gi];
    const auto n = u32(q.rb[r_ + 1] - q.rb[r_]);
    a.li(10, out);
    gather(a, n, u32(q.m.rows - q.rb[r_ + 1]), out, 10);
  }

  void rmsnorm(AsmBuilder& a, std::uint32_t x, std::uint32_t wn, std::uint32_t out) {
    const auto dim = u32(w_.config.dim);
    a.comment("rmsnorm");
    a.li(4, 0);
    a.mem(0, x, dim);
    a.op("fmac r4, d0, d0");
    a.li(1, bits(model::inverse_length(dim)));
    a.op("fmul r4, r4, r1");
    a.li(1, bits(kRmsEps));
    a.op("fadd r4, r4, r1");
    a.op("call wm_rsqrt_s");
    a.mem(1, out, dim);
    a.op("fmul d1, d0, r4");
    a.mem(2, wn, dim);
    a.op("fmul d1, d1, d2");
  }

  void coordinator(AsmBuilder& a, Layout& mem, const std::vector<std::uint32_t>& blocks, Built& b) {
    const model::Config& cfg = w_.config;
    const std::int64_t tmp_len = std::max<std::int64_t>(cfg.dim, cfg.hidden_dim);
    const std::uint32_t x = mem.alloc(cfg.dim);
    const std::uint32_t xb = mem.alloc(cfg.dim);
    const std::uint32_t xb2 = mem.alloc(cfg.dim);
    const std::uint32_t hb = mem.alloc(cfg.hidden_dim);
    const std::uint32_t hb2 = mem.alloc(cfg.hidden_dim);
    const std::uint32_t sy = mem.alloc(cfg.hidden_dim);
    // The temporaries of SiLU are dead by the classifier: the logits reuse their words.
    const std::uint32_t shared = mem.alloc(std::max<std::int64_t>(3 * tmp_len, cfg.vocab_size));
    const std::uint32_t logits = shared;
    const std::array<std::uint32_t, 3> t = {shared, shared + u32(tmp_len),
                                            shared + u32(2 * tmp_len)};
    const std::uint32_t rms_att = mem.put(w_.rms_att);
    const std::uint32_t rms_ffn = mem.put(w_.rms_ffn);
    const std::uint32_t rms_final = mem.put(w_.rms_final);
    const Attn at = attn_layout(mem);
    b.x_addr = x;
    b.pos_addr = at.pos;

    a.op("lw r7, {}(r0)", at.pos);
    a.op("addi r12, r7, 1");  // positions in the cache after this token
    std::size_t gi = 0;
    const auto next_gemv = [&](std::uint32_t src, unsigned rdst, bool bcast = true,
                               bool keep = false) {
      gemv(a, gemvs_[gi], blocks[gi], src, rdst, bcast, keep);
      ++gi;
    };
    for (int l = 0; l < cfg.n_layers; ++l) {
      const std::uint32_t dim = u32(cfg.dim);
      mark(a);  // rms_att
      rmsnorm(a, x, rms_att + u32(l) * dim, xb);
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
      rmsnorm(a, x, rms_ffn + u32(l) * dim, xb);
      mark(a);  // ffn
      a.li(10, hb);
      next_gemv(xb, 10, true, true);
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
    rmsnorm(a, x, rms_final, xb);
    mark(a);  // classifier
    a.li(10, logits);
    next_gemv(xb, 10);
    a.comment("logits to the host");
    a.fout(5, gather_color(0), u32(cfg.vocab_size));
    a.mem(6, logits, u32(cfg.vocab_size));
    a.op("fmov d5, d6");
    a.op("exit");
    b.text = a.text();
  }

  const model::Weights& w_;
  const std::vector<Gemv>& gemvs_;
  MeshShape s_;
  int c_;
  int r_;
  int positions_;
  std::uint32_t scratch_ = 0;
  std::uint32_t ybuf_ = 0;
  int marks_ = 0;
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
    case model::Stage::classifier: {
      auto it = gemv_.find(n);
      if (it == gemv_.end()) it = gemv_.emplace(n, mesh_sum_order(n, width_)).first;
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
      TileGen gen(w, gemvs, shape, c, r, positions_);
      // Code size does not depend on the data addresses (AsmBuilder::li): measure, then place.
      const Built probe = gen.build(0);
      const std::uint32_t code_words = probe.code_end;
      Built b = gen.build(code_words);
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
  const std::array<std::uint32_t, 1> p = {u32(pos)};
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

namespace {

// Element passes per element of the library sequences (sw/asm/lib, one vector
// instruction per line of docs/isa.md section 7): exp 27; softmax = frmax,
// fsub, exp, frsum, fmul; silu = 4 + exp + recip (11); rope 7 per pair.
constexpr std::int64_t kSoftmaxPasses = 31;
constexpr std::int64_t kSiluPasses = 42;
constexpr std::int64_t kRopePasses = 7;
constexpr std::int64_t kScalarRsqrt = 30;  // rmsnorm's scalar tail: scale, eps, rsqrt, call
constexpr std::int64_t kScalarRecip = 15;

PhaseEstimate gemv_cycles(const Gemv& g, int width, int height, int hop) {
  std::int64_t max_nk = 0;
  std::int64_t max_n = 0;
  for (int r = 0; r < height; ++r) {
    const std::int64_t n = g.rb[r + 1] - g.rb[r];
    max_n = std::max(max_n, n);
    for (int c = 0; c < width; ++c) max_nk = std::max(max_nk, n * (g.cb[c + 1] - g.cb[c]));
  }
  PhaseEstimate e;
  e.compute = max_nk + (width > 1 ? max_n : 0);  // fdotv, then the chain's add
  if (width * height > 1) {
    e.network += g.m.cols + (width + height - 2) * hop;  // broadcast from (0, 0)
  }
  e.network += (width - 1) * (hop + 1);                    // chain latency to column 0
  e.network += (g.m.rows - g.rb[1]) + (height - 1) * hop;  // gather into (0, 0)
  return e;
}

}  // namespace

std::vector<MeshDecoder::Phase> MeshDecoder::estimate(int pos, int hop_latency) const {
  const model::Config& c = w_.config;
  const auto gemvs = decode_gemvs(w_, shape_.width, shape_.height);
  const std::int64_t positions = pos + 1;
  const std::int64_t hs = c.head_size();
  std::vector<Phase> out;
  std::size_t gi = 0;
  const auto gemv = [&](PhaseEstimate& e) {
    const PhaseEstimate g = gemv_cycles(gemvs[gi++], shape_.width, shape_.height, hop_latency);
    e.compute += g.compute;
    e.network += g.network;
  };
  const PhaseEstimate norm{3 * c.dim + kScalarRsqrt, 0};
  for (int l = 0; l < c.n_layers; ++l) {
    out.push_back({"rms_att", l, norm});
    // Q, K, V: one broadcast, rows kept at column 0 (no gathers); then every column-0 PE runs
    // RoPE and attention for its own heads in parallel and the outputs are gathered.
    PhaseEstimate qkv;
    const Gemv& gq = gemvs[gi];
    gemv(qkv);
    gemv(qkv);
    gemv(qkv);
    const auto kvb = kv_head_bounds(c, shape_.height);
    std::int64_t most_kv = 0;
    for (int r = 0; r < shape_.height; ++r) most_kv = std::max(most_kv, kvb[r + 1] - kvb[r]);
    for (const Gemv* g : {&gemvs[gi - 3], &gemvs[gi - 2], &gemvs[gi - 1]}) {
      qkv.network -= (g->m.rows - g->rb[1]) + (shape_.height - 1) * hop_latency;
    }
    if (shape_.width * shape_.height > 1) {  // K and V reuse Q's broadcast
      qkv.network -= 2 * (c.dim + (shape_.width + shape_.height - 2) * hop_latency);
    }
    out.push_back({"qkv", l, qkv});
    out.push_back({"rope", l, {kRopePasses * most_kv * (c.kv_mul() + 1) * hs / 2, 0}});
    const std::int64_t per_head =
        2 * hs * positions + positions + kSoftmaxPasses * positions + kScalarRecip;
    out.push_back({"attention",
                   l,
                   {most_kv * c.kv_mul() * per_head,
                    (gq.m.rows - gq.rb[1]) + (shape_.height - 1) * hop_latency}});
    PhaseEstimate wo;
    gemv(wo);
    wo.compute += c.dim;  // residual
    out.push_back({"wo", l, wo});
    out.push_back({"rms_ffn", l, norm});
    // W1 keeps its rows at column 0, W3 reuses W1's broadcast, then column 0 runs SwiGLU on
    // its rows in parallel and gathers h (counted once, as W3's gather).
    PhaseEstimate ffn;
    const Gemv& w1 = gemvs[gi];
    PhaseEstimate g1 = gemv_cycles(w1, shape_.width, shape_.height, hop_latency);
    g1.network -= (w1.m.rows - w1.rb[1]) + (shape_.height - 1) * hop_latency;
    ++gi;
    PhaseEstimate g3 = gemv_cycles(gemvs[gi++], shape_.width, shape_.height, hop_latency);
    if (shape_.width * shape_.height > 1) {
      g3.network -= w1.m.cols + (shape_.width + shape_.height - 2) * hop_latency;
    }
    std::int64_t max_rows = 0;
    for (int r = 0; r < shape_.height; ++r) max_rows = std::max(max_rows, w1.rb[r + 1] - w1.rb[r]);
    ffn.compute = g1.compute + g3.compute + (kSiluPasses + 1) * max_rows;
    ffn.network = g1.network + g3.network;
    gemv(ffn);
    ffn.compute += c.dim;  // residual
    out.push_back({"ffn", l, ffn});
  }
  out.push_back({"rms_final", -1, norm});
  PhaseEstimate cls;
  gemv(cls);
  cls.network += c.vocab_size + hop_latency;  // logits out through the host port
  out.push_back({"classifier", -1, cls});
  return out;
}

}  // namespace wm::sw::mapper
