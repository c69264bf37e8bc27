// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The whole llama decode mapped onto a W x H mesh (docs/mapping.md, "Decode"): every GEMV is a
// MeshGEMV over all PEs (input broadcast from PE (0, 0) on a multicast color, partials
// chain-reduced along the mesh rows into column 0). The column-0 PEs keep the Q/K/V rows of
// their heads and run RoPE; each head's attention runs over its whole mesh row (the KV cache
// dealt over the row's PEs by position, the softmax and the value sums reduced along the row);
// the column-0 PEs run SwiGLU on their W1/W3 rows; PE (0, 0) holds the residual stream, runs
// the residual adds, and streams the logits to the host. RMSNorm runs on every PE over its
// column slice of the broadcast residual, its sum of squares chain-reduced along each mesh row
// like a GEMV's partials.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "wm/sw/mapper/gemv.hpp"
#include "wm/sw/mapper/mesh_program.hpp"
#include "wm/sw/model/sum_order.hpp"
#include "wm/sw/model/weights.hpp"

namespace wm::sw::mapper {

inline constexpr std::uint8_t kBroadcastColor = 5;  ///< static multicast from PE (0, 0)
/// East from PE (0, r) along mesh row r: a norm's scale; the attention's q, k, v, the softmax
/// max and 1/sum.
inline constexpr std::uint8_t kScaleColor = 6;

struct DecodeOptions {
  /// Positions the KV cache and RoPE table hold; 0 means the model's seq_len.
  int max_positions = 0;
};

/// The golden model's sum orders for this mapping: GEMV rows and the norms' sums of squares
/// split over the mesh columns and chain-reduced to column 0 (mesh_sum_order); the softmax
/// denominator and the attention values over the cached positions dealt over the mesh
/// columns, chain-reduced to column 0 (mesh_dealt_order); the scores (one head's dot product
/// on one PE) left to right.
class MeshOrderPolicy final : public model::OrderPolicy {
 public:
  explicit MeshOrderPolicy(int width) : width_(width) {}
  [[nodiscard]] const model::SumOrder& order(const model::SumSite& site,
                                             std::int64_t n) const override;

 private:
  int width_;
  model::SumOrder sequential_ = model::SumOrder::sequential();
  // One per length, built on first use.
  mutable std::map<std::int64_t, model::SumOrder> split_;
  mutable std::map<std::int64_t, model::SumOrder> dealt_;
};

/// The schedule model (docs/mapping.md, "Cycle estimate") on any program whose tiles carry
/// phase marks: `marks[t][m]` is the cycle tile t retires the instruction of its mark m, counted
/// from the cycle the host step's first wavelet enters the port; `own[t][m]` the cycles tile t
/// spent on its own instructions between marks m and m+1 (the rest it waited); `exit` the cycle
/// the last instruction of tile (0, 0) retires. The programs are run on the reference PE for
/// their instruction stream, so they must be straight-line apart from calls.
struct MarkSchedule {
  std::vector<std::vector<std::int64_t>> marks;
  std::vector<std::vector<std::int64_t>> own;
  std::int64_t exit = 0;
};
[[nodiscard]] MarkSchedule schedule_marks(const MeshProgram& program, const HostStep& step,
                                          int hop_latency = 2);

class MeshDecoder {
 public:
  /// Maps `w` (borrowed: must outlive this) onto `shape`; throws DoesNotFit
  /// naming the resource (SRAM words per PE, colors, positions) and the tile.
  MeshDecoder(const model::Weights& w, const MeshShape& shape, const DecodeOptions& opt = {});

  [[nodiscard]] const MeshProgram& program() const { return program_; }
  /// One token: LOAD the embedding of `token` and `pos` into PE (0, 0),
  /// ACTIVATE every PE; the output is the vocab_size logits. Positions run 0,
  /// 1, 2, ... as for FloatDecoder.
  [[nodiscard]] HostStep step(int token, int pos) const;
  [[nodiscard]] const model::OrderPolicy& order() const { return order_; }
  [[nodiscard]] int max_positions() const { return positions_; }

  /// One phase of a token (docs/mapping.md, "Cycle estimate"), in the order of the phase
  /// marks: rms_att, qkv, rope, attention, wo, rms_ffn, ffn per layer, then rms_final and
  /// classifier. A phase ends when the last tile reaches the next mark, so the phases
  /// partition the token and its cycles are their sum.
  struct Phase {
    std::string name;
    int layer;  ///< -1 for the final norm and the classifier
    PhaseEstimate cycles;
  };
  /// The cycles of each phase at `pos` predicted from the schedule: every tile's instructions
  /// with the RTL's measured costs, streams word by word through the routes, credits
  /// (`compute` = the critical tile's own instructions, `network` = its waiting).
  [[nodiscard]] std::vector<Phase> predict(int pos, int hop_latency = 2) const;
  /// A lower bound of each phase at `pos`: the same instruction streams at their least cost
  /// (one cycle per instruction and element, the routers' zero-load latency), from the tile
  /// that enters the phase last (all in `compute`; docs/mapping.md, "Lower bound").
  [[nodiscard]] std::vector<Phase> bound(int pos, int hop_latency = 2) const;
  /// The prediction (what wafersim checks the measured phases against).
  [[nodiscard]] std::vector<Phase> estimate(int pos, int hop_latency = 2) const {
    return predict(pos, hop_latency);
  }
  /// The phase list, names and layers only.
  [[nodiscard]] std::vector<Phase> phases() const;

 private:
  const model::Weights& w_;
  MeshShape shape_;
  int positions_;
  MeshOrderPolicy order_;
  std::uint32_t x_addr_ = 0;  ///< residual stream at (0, 0): the embedding is loaded here
  std::vector<std::uint32_t> pos_addr_;  ///< the position word of PE (0, r), per mesh row r
  MeshProgram program_;
};

}  // namespace wm::sw::mapper
