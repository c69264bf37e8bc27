#pragma once
// What the tools' --model option names: the embedded default model or a checkpoint file.

#include <string>

#include "wm/sw/model/checkpoint.hpp"
#include "wm/sw/model/generator.hpp"

namespace wm::sw::model {

inline constexpr const char* builtin_model_name = "builtin";

/// "builtin" is the embedded default model (generated in memory); anything else is a path to
/// a llama2.c checkpoint, loaded with every check of load_checkpoint.
[[nodiscard]] inline Weights load_model(const std::string& spec) {
  return spec == builtin_model_name ? builtin_model() : load_checkpoint(spec);
}

}  // namespace wm::sw::model
