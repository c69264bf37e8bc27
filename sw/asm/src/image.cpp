// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sw/asm/image.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace wm::sw::assembler {

std::string to_hex(const Image& image) {
  std::string out;
  std::uint64_t next = ~std::uint64_t{0};
  for (const auto& [addr, word] : image.words) {
    if (addr != next) out += fmt::format("@{:04x}\n", addr);
    out += fmt::format("{:08x}\n", word);
    next = std::uint64_t{addr} + 1;
  }
  return out;
}

void write_hex(const Image& image, const std::string& path) {
  std::ofstream f(path);
  if (!f) throw std::runtime_error(fmt::format("cannot write {}", path));
  f << to_hex(image);
  if (!f) throw std::runtime_error(fmt::format("error writing {}", path));
}

namespace {

std::uint32_t parse_hex_number(std::string_view tok, std::string_view name, unsigned line) {
  std::uint32_t v = 0;
  const auto* end = tok.data() + tok.size();
  const auto [p, ec] = std::from_chars(tok.data(), end, v, 16);
  if (tok.empty() || ec != std::errc{} || p != end) {
    throw std::runtime_error(fmt::format("{}:{}: bad hex number '{}'", name, line, tok));
  }
  return v;
}

}  // namespace

Image parse_hex(std::string_view text, std::string_view name) {
  Image image;
  std::uint64_t addr = 0;
  unsigned line_no = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (const auto c = line.find("//"); c != std::string_view::npos) line = line.substr(0, c);
    std::size_t pos = 0;
    while (pos < line.size()) {
      while (pos < line.size() && std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
      const auto start = pos;
      while (pos < line.size() && !std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
      const auto tok = line.substr(start, pos - start);
      if (tok.empty()) break;
      if (tok[0] == '@') {
        addr = parse_hex_number(tok.substr(1), name, line_no);
      } else {
        if (addr > 0xFFFFFFFFu) {
          throw std::runtime_error(fmt::format("{}:{}: address past 2^32", name, line_no));
        }
        image.words[static_cast<std::uint32_t>(addr)] = parse_hex_number(tok, name, line_no);
        ++addr;
      }
    }
  }
  return image;
}

Image read_hex(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw std::runtime_error(fmt::format("cannot read {}", path));
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_hex(ss.str(), path);
}

}  // namespace wm::sw::assembler
