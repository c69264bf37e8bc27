#pragma once
// The embedded default model: synthetic weights the project generates itself, so no binary
// checkpoint is ever committed.

#include <cstdint>

#include "wm/sw/model/weights.hpp"

namespace wm::sw::model {

struct GenParams {
  Config config;                  ///< the shape; the defaults are the embedded default model
  std::uint64_t seed = 20260501;  ///< each tensor draws from its own SplitMix64 stream of this
};

/// Deterministic weights for `p` (validated): the same params give the same bits everywhere.
/// Each tensor has its own stream, so the classifier choice changes no other tensor.
[[nodiscard]] Weights generate(const GenParams& p);

/// The embedded default model: generate(GenParams{}).
[[nodiscard]] Weights builtin_model();

}  // namespace wm::sw::model
