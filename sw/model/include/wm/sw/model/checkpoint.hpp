#pragma once
// Reading and writing llama2.c checkpoints (the legacy "version 0" export read by run.c).

#include <cstddef>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "wm/sw/model/weights.hpp"

namespace wm::sw::model {

/// A checkpoint that cannot be used, with a one-line message naming the file and the field,
/// tensor or byte offset at fault. kind() lets tests tell the cases apart.
class CheckpointError : public std::runtime_error {
 public:
  enum class Kind {
    unreadable,      ///< missing, a directory, or not readable
    short_header,    ///< fewer than the 28 header bytes
    bad_header,      ///< a field is non-positive or absurd, or a newer export's magic number
    bad_shape,       ///< fields disagree: dim % n_heads, n_heads % n_kv_heads, odd head_size
    truncated,       ///< the file ends inside a tensor
    trailing_bytes,  ///< bytes after the last tensor
    non_finite       ///< a NaN or infinite weight
  };
  CheckpointError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  [[nodiscard]] Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

/// Loads and validates a checkpoint. NaN and infinite weights are rejected: they can only come
/// from a broken export, and a decode through them compares NaN with NaN rather than numbers.
[[nodiscard]] Weights load_checkpoint(const std::filesystem::path& path);

/// The same checks on bytes already in memory; `source` names them in messages. Never reads
/// outside `bytes` and allocates only after the sizes have been checked against bytes.size().
[[nodiscard]] Weights parse_checkpoint(std::span<const std::byte> bytes, const std::string& source);

/// The file image of `w` (little-endian, legacy RoPE tables filled in as export.py did).
[[nodiscard]] std::vector<std::byte> serialize_checkpoint(const Weights& w);
/// Writes serialize_checkpoint(w) to `path`, creating parent directories.
void write_checkpoint(const std::filesystem::path& path, const Weights& w);

}  // namespace wm::sw::model
