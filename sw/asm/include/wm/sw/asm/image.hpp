// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// A PE memory image (word address -> word) and its text form, the hex file that Verilog's
// $readmemh loads: `@addr` records (hex word address) followed by one 8-digit word per line.

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>

namespace wm::sw::assembler {

struct Image {
  std::map<std::uint32_t, std::uint32_t> words;  ///< only the words the program defines

  friend bool operator==(const Image&, const Image&) = default;
};

/// The $readmemh text of `image`: an `@addr` record before every run of consecutive words.
[[nodiscard]] std::string to_hex(const Image& image);
void write_hex(const Image& image, const std::string& path);

/// Parses $readmemh text (`//` comments allowed). Throws std::runtime_error naming
/// `name:line` on anything else.
[[nodiscard]] Image parse_hex(std::string_view text, std::string_view name = "<hex>");
[[nodiscard]] Image read_hex(const std::string& path);

}  // namespace wm::sw::assembler
