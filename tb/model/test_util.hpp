#pragma once
// Helpers shared by the model tests: a private temporary directory and raw file edits.

#include <fmt/format.h>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "wm/sw/model/checkpoint.hpp"

namespace wm::tb::model {

/// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "wm-model-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = tmpl;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] std::filesystem::path file(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline void write_bytes(const std::filesystem::path& p, const std::vector<std::byte>& b) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

inline void put_u32(std::vector<std::byte>& b, std::int64_t offset, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    b.at(static_cast<std::size_t>(offset + i)) = static_cast<std::byte>((v >> (8 * i)) & 0xFFU);
  }
}

inline std::uint32_t get_u32(const std::vector<std::byte>& b, std::int64_t offset) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    v |= static_cast<std::uint32_t>(b.at(static_cast<std::size_t>(offset + i))) << (8 * i);
  }
  return v;
}

inline void put_i32(std::vector<std::byte>& b, std::int64_t offset, std::int32_t v) {
  put_u32(b, offset, std::bit_cast<std::uint32_t>(v));
}

inline void put_f32(std::vector<std::byte>& b, std::int64_t offset, float v) {
  put_u32(b, offset, std::bit_cast<std::uint32_t>(v));
}

inline float get_f32(const std::vector<std::byte>& b, std::int64_t offset) {
  return std::bit_cast<float>(get_u32(b, offset));
}

}  // namespace wm::tb::model
