#include "wm/sw/model/checkpoint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

namespace wm::sw::model {

namespace {

using Kind = CheckpointError::Kind;

// llama2.c's export.py version 1 and 2 files start with this magic instead of the header.
constexpr std::uint32_t newer_export_magic = 0x616b3432;

std::uint32_t read_u32(std::span<const std::byte> b, std::int64_t offset) {
  const auto* p = b.data() + offset;
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

void put_u32(std::vector<std::byte>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xFFU));
  }
}

// Names the element at flat index i of tensor t, as in "wq[layer 1][row 3][col 7]".
std::string element_name(const TensorInfo& t, std::int64_t i) {
  const std::int64_t per_layer = t.rows * t.cols;
  std::string s = t.name;
  if (t.per_layer) {
    s += fmt::format("[layer {}]", i / per_layer);
  }
  if (t.rows > 1) {
    s += fmt::format("[row {}]", (i % per_layer) / t.cols);
  }
  return s + fmt::format("[col {}]", i % t.cols);
}

Config parse_header(std::span<const std::byte> bytes, const std::string& source) {
  if (static_cast<std::int64_t>(bytes.size()) < header_bytes) {
    throw CheckpointError(Kind::short_header,
                          fmt::format("{}: only {} bytes; a llama2.c checkpoint starts with a "
                                      "{}-byte header of 7 int32",
                                      source, bytes.size(), header_bytes));
  }
  if (read_u32(bytes, 0) == newer_export_magic) {
    throw CheckpointError(Kind::bad_header,
                          fmt::format("{}: starts with the magic 'ak42' of a llama2.c export "
                                      "version 1/2; re-export with `export.py --version 0`",
                                      source));
  }
  std::array<std::int32_t, header_fields> h{};
  for (int f = 0; f < header_fields; ++f) {
    h[static_cast<std::size_t>(f)] = std::bit_cast<std::int32_t>(read_u32(bytes, 4 * f));
  }
  Config c;
  c.dim = h[0];
  c.hidden_dim = h[1];
  c.n_layers = h[2];
  c.n_heads = h[3];
  c.n_kv_heads = h[4];
  c.shared_classifier = h[5] > 0;
  // -INT32_MIN overflows; leave it negative so validate() calls it out of range.
  c.vocab_size = (h[5] < 0 && h[5] != INT32_MIN) ? -h[5] : h[5];
  c.seq_len = h[6];
  try {
    validate(c);
  } catch (const ConfigError& e) {
    const int f = static_cast<int>(e.field());
    throw CheckpointError(
        e.kind() == ConfigError::Kind::bad_value ? Kind::bad_header : Kind::bad_shape,
        fmt::format("{}: bad header field {} at byte offset {}: {}", source, field_name(e.field()),
                    4 * f, e.what()));
  }
  return c;
}

// Throws unless a file of `size` bytes holds exactly the tensors `c` asks for.
void check_size(const Config& c, std::int64_t size, const std::string& source) {
  const std::int64_t expected = checkpoint_bytes(c);
  if (size < expected) {
    for (const TensorInfo& t : checkpoint_layout(c)) {
      const std::int64_t end = t.offset + t.bytes();
      if (end > size) {
        throw CheckpointError(
            Kind::truncated,
            fmt::format("{}: truncated in tensor {} (bytes {}..{}): {} of its bytes are "
                        "missing; the file has {} bytes, the header ({}) needs {}",
                        source, t.name, t.offset, end, end - std::max(size, t.offset), size,
                        describe(c), expected));
      }
    }
  }
  if (size > expected) {
    const std::int64_t extra = size - expected;
    std::string hint;
    if (c.shared_classifier && extra == checked_mul(4, checked_mul(c.vocab_size, c.dim))) {
      hint =
          "; that is exactly one (vocab_size, dim) classifier: a separate classifier needs "
          "a negative vocab_size in the header";
    }
    throw CheckpointError(Kind::trailing_bytes,
                          fmt::format("{}: {} trailing bytes after the last tensor, which ends "
                                      "at byte {} (header: {}){}",
                                      source, extra, expected, describe(c), hint));
  }
}

}  // namespace

Weights parse_checkpoint(std::span<const std::byte> bytes, const std::string& source) {
  const Config c = parse_header(bytes, source);
  check_size(c, static_cast<std::int64_t>(bytes.size()), source);
  const std::vector<TensorInfo> layout = checkpoint_layout(c);
  Weights w;
  w.config = c;
  const auto dst = w.tensors();
  std::size_t next = 0;
  for (const TensorInfo& t : layout) {
    if (t.legacy) {
      continue;
    }
    std::vector<float>& v = *dst.at(next++).data;
    v.resize(static_cast<std::size_t>(t.elements()));
    for (std::int64_t i = 0; i < t.elements(); ++i) {
      const float f = std::bit_cast<float>(read_u32(bytes, t.offset + 4 * i));
      if (!std::isfinite(f)) {
        throw CheckpointError(Kind::non_finite,
                              fmt::format("{}: weight {} at byte offset {} is {}; NaN and "
                                          "infinite weights are rejected",
                                          source, element_name(t, i), t.offset + 4 * i, f));
      }
      v[static_cast<std::size_t>(i)] = f;
    }
  }
  return w;
}

Weights load_checkpoint(const std::filesystem::path& path) {
  const std::string name = path.string();
  const auto unreadable = [&](const std::string& why) {
    return CheckpointError(Kind::unreadable, fmt::format("{}: {}", name, why));
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw unreadable("is a directory, not a checkpoint file");
  }
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(name.c_str(), "rb"),
                                                             &std::fclose);
  if (!file) {
    throw unreadable(fmt::format("cannot open: {}", std::strerror(errno)));
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    throw unreadable(fmt::format("cannot take its size: {}", ec.message()));
  }
  // Header first, so a huge unrelated file is refused before it is read.
  std::vector<std::byte> bytes(
      static_cast<std::size_t>(std::min<std::uintmax_t>(size, header_bytes)));
  const auto read = [&](std::size_t from) {
    if (std::fread(bytes.data() + from, 1, bytes.size() - from, file.get()) !=
        bytes.size() - from) {
      throw unreadable(std::ferror(file.get()) != 0
                           ? fmt::format("read error: {}", std::strerror(errno))
                           : std::string("the file shrank while it was being read"));
    }
  };
  read(0);
  check_size(parse_header(bytes, name), static_cast<std::int64_t>(size), name);
  bytes.resize(static_cast<std::size_t>(size));
  read(static_cast<std::size_t>(header_bytes));
  return parse_checkpoint(bytes, name);
}

std::vector<std::byte> serialize_checkpoint(const Weights& w) {
  const Config& c = w.config;
  const std::vector<TensorInfo> layout = checkpoint_layout(c);
  std::vector<std::byte> out;
  out.reserve(static_cast<std::size_t>(checkpoint_bytes(c)));
  const std::array<std::int32_t, header_fields> h = {
      c.dim,     c.hidden_dim, c.n_layers,
      c.n_heads, c.n_kv_heads, c.shared_classifier ? c.vocab_size : -c.vocab_size,
      c.seq_len};
  for (const std::int32_t v : h) {
    put_u32(out, std::bit_cast<std::uint32_t>(v));
  }
  const auto src = w.tensors();
  std::size_t next = 0;
  const int half = c.head_size() / 2;
  for (const TensorInfo& t : layout) {
    if (t.legacy) {
      // export.py's freqs_cos / freqs_sin: cos and sin of pos * 10000^(-2i/head_size).
      const bool real = std::string_view(t.name) == "freq_cis_real";
      for (int pos = 0; pos < c.seq_len; ++pos) {
        for (int i = 0; i < half; ++i) {
          const double angle =
              pos * std::pow(10000.0, -2.0 * i / static_cast<double>(c.head_size()));
          const auto f = static_cast<float>(real ? std::cos(angle) : std::sin(angle));
          put_u32(out, std::bit_cast<std::uint32_t>(f));
        }
      }
      continue;
    }
    const std::vector<float>& v = *src.at(next++).data;
    if (static_cast<std::int64_t>(v.size()) != t.elements()) {
      throw std::invalid_argument(fmt::format("tensor {} holds {} floats; {} needs {}", t.name,
                                              v.size(), describe(c), t.elements()));
    }
    for (const float f : v) {
      put_u32(out, std::bit_cast<std::uint32_t>(f));
    }
  }
  return out;
}

void write_checkpoint(const std::filesystem::path& path, const Weights& w) {
  const std::vector<std::byte> bytes = serialize_checkpoint(w);
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path());
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    throw std::runtime_error(fmt::format("{}: cannot write the checkpoint", path.string()));
  }
}

}  // namespace wm::sw::model
