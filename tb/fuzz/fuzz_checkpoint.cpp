// libFuzzer target: the llama2.c checkpoint parser on arbitrary bytes. parse_checkpoint
// promises to read only inside the span and to allocate only after checking sizes, so any
// sanitizer report or exception other than CheckpointError is a bug; and what it accepts
// must survive a serialize/parse round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include <fmt/core.h>

#include "wm/sw/model/checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace m = wm::sw::model;
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  try {
    const m::Weights w = m::parse_checkpoint(bytes, "<fuzz>");
    if (!(m::parse_checkpoint(m::serialize_checkpoint(w), "<fuzz round trip>") == w)) {
      fmt::print(stderr, "fuzz_checkpoint: serialize/parse round trip changed the weights\n");
      std::abort();
    }
  } catch (const m::CheckpointError&) {
    // A refusal with a message is the contract for bad input.
  }
  return 0;
}
