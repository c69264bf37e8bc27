// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sw/mapper/gemv.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "wm/sw/asm/assembler.hpp"
#include "wm/sw/fp/fp.hpp"
#include "wm/sw/mapper/asm_builder.hpp"
#include "wm/sw/mapper/partition.hpp"

namespace wm::sw::mapper {

namespace {

std::uint8_t reduce_color(int c) { return c % 2 == 0 ? color::reduce0 : color::reduce1; }
std::uint8_t gather_color(int r) { return r % 2 == 0 ? color::gather0 : color::gather1; }

struct TileLayout {
  std::uint32_t w = 0;  ///< rows x cols block, row-major
  std::uint32_t x = 0;
  std::uint32_t y = 0;
  std::uint32_t end = 0;
};

/// PE (c, r)'s program: partials, its step of the row chain, and at column 0
/// the gather.
std::string gemv_program(int c, int r, int width, std::int64_t rows, std::int64_t cols,
                         std::int64_t below, const TileLayout& m) {
  AsmBuilder a;
  a.comment(fmt::format("MeshGEMV tile ({}, {}): {} rows x {} cols", c, r, rows, cols));
  a.label("boot");
  const auto n = static_cast<std::uint32_t>(rows);
  const auto k = static_cast<std::uint32_t>(cols);
  if (n > 0) {
    a.mem(2, m.y, n);
    if (k > 0) {
      a.mem(0, m.w, k, 1, n, static_cast<std::int32_t>(k));
      a.mem(1, m.x, k, 1, n, 0);
      a.op("fdotv d2, d0, d1");
    } else {
      a.op("fmov d2, r0");  // a padding column contributes +0 to every row
    }
    if (width > 1) {
      if (c == width - 1) {
        a.fout(3, reduce_color(c), n);
        a.op("fmov d3, d2");
      } else {
        a.fin(4, reduce_color(c + 1), n);
        if (c > 0) {
          a.fout(3, reduce_color(c), n);
          a.op("fadd d3, d4, d2");
        } else {
          a.op("fadd d2, d4, d2");
        }
      }
    }
  }
  if (c == 0) {
    if (n > 0) {
      a.fout(5, gather_color(r), n);
      a.op("fmov d5, d2");
    }
    if (below > 0) {
      a.fin(6, gather_color(r + 1), static_cast<std::uint32_t>(below));
      a.fout(5, gather_color(r), static_cast<std::uint32_t>(below));
      a.op("fmov d5, d6");
    }
  }
  a.op("exit");
  return a.text();
}

std::vector<Route> gemv_routes(int c, int r, int width, int height) {
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
  return routes;
}

}  // namespace

MeshGemv::MeshGemv(const model::MatrixView& w, const MeshShape& shape)
    : w_(w),
      shape_(shape),
      row_bounds_(split_bounds(w.rows, shape.height)),
      col_bounds_(split_bounds(w.cols, shape.width)),
      order_(mesh_sum_order(w.cols, shape.width)) {
  if (shape.num_colors < 5) {
    throw DoesNotFit("colors",
                     fmt::format("MeshGEMV needs 5 colors, the routers have {}", shape.num_colors));
  }
  program_.width = shape.width;
  program_.height = shape.height;
  program_.num_colors = shape.num_colors;
  program_.mem_words = shape.mem_words;
  program_.host_color = color::host;
  const std::int64_t n_total = w.rows;
  for (int r = 0; r < shape.height; ++r) {
    const std::int64_t rows = row_bounds_[r + 1] - row_bounds_[r];
    const std::int64_t below = n_total - row_bounds_[r + 1];
    for (int c = 0; c < shape.width; ++c) {
      const std::int64_t cols = col_bounds_[c + 1] - col_bounds_[c];
      // Code size does not depend on the layout (AsmBuilder::li): build once to measure it,
      // then again with the data placed right after the code.
      TileLayout m;
      const auto code_words =
          assembler::assemble(gemv_program(c, r, shape.width, rows, cols, below, m), "gemv.s")
              .image.words.size();
      m.w = static_cast<std::uint32_t>(code_words);
      m.x = m.w + static_cast<std::uint32_t>(rows * cols);
      m.y = m.x + static_cast<std::uint32_t>(cols);
      m.end = m.y + static_cast<std::uint32_t>(rows);
      if (m.end > shape.mem_words) {
        throw DoesNotFit("SRAM words per PE",
                         fmt::format("MeshGEMV {}x{} on {}x{}: tile ({}, {}) needs {} SRAM words "
                                     "(code {}, weights {}, x {}, y {}), a PE has {}",
                                     w.rows, w.cols, shape.width, shape.height, c, r, m.end,
                                     code_words, rows * cols, cols, rows, shape.mem_words));
      }
      TileProgram t;
      t.x = c;
      t.y = r;
      t.assembly = gemv_program(c, r, shape.width, rows, cols, below, m);
      t.image =
          assembler::assemble(t.assembly, fmt::format("gemv_{}_{}.s", c, r), {shape.num_colors})
              .image;
      for (std::int64_t i = 0; i < rows; ++i) {
        const auto row = w.row(row_bounds_[r] + i);
        for (std::int64_t j = 0; j < cols; ++j) {
          t.image.words[m.w + static_cast<std::uint32_t>(i * cols + j)] =
              fp::to_bits(row[static_cast<std::size_t>(col_bounds_[c] + j)]);
        }
      }
      t.routes = gemv_routes(c, r, shape.width, shape.height);
      program_.tiles.push_back(std::move(t));
      x_addr_.push_back(m.x);
    }
  }
  build_setup(program_);
}

HostStep MeshGemv::step(std::span<const float> x) const {
  if (static_cast<std::int64_t>(x.size()) != w_.cols) {
    throw std::invalid_argument(
        fmt::format("MeshGEMV input has {} elements, the matrix {} columns", x.size(), w_.cols));
  }
  HostStep s;
  std::vector<std::uint32_t> slice;
  for (int r = 0; r < shape_.height; ++r) {
    if (row_bounds_[r + 1] == row_bounds_[r]) continue;
    for (int c = 0; c < shape_.width; ++c) {
      slice.clear();
      for (std::int64_t j = col_bounds_[c]; j < col_bounds_[c + 1]; ++j) {
        slice.push_back(fp::to_bits(x[static_cast<std::size_t>(j)]));
      }
      append_load(s.input, c, r, color::host,
                  x_addr_[static_cast<std::size_t>(r * shape_.width + c)], slice);
    }
  }
  for (int r = 0; r < shape_.height; ++r) {
    for (int c = 0; c < shape_.width; ++c) {
      s.input.push_back(activate_wavelet(c, r, color::host, 0));
    }
  }
  s.output_words = static_cast<std::size_t>(w_.rows);
  return s;
}

std::vector<float> MeshGemv::golden(std::span<const float> x) const {
  std::vector<float> y(static_cast<std::size_t>(w_.rows));
  std::vector<float> terms(x.size());
  std::vector<float> scratch(static_cast<std::size_t>(shape_.width));
  for (std::int64_t i = 0; i < w_.rows; ++i) {
    const auto row = w_.row(i);
    for (std::size_t j = 0; j < x.size(); ++j) terms[j] = fp::mul(row[j], x[j]);
    y[static_cast<std::size_t>(i)] = model::ordered_sum(terms, order_, scratch);
  }
  return y;
}

PhaseEstimate MeshGemv::estimate(int hop_latency) const {
  std::int64_t max_rows = 0;
  std::int64_t max_cols = 0;
  for (int r = 0; r < shape_.height; ++r)
    max_rows = std::max(max_rows, row_bounds_[r + 1] - row_bounds_[r]);
  for (int c = 0; c < shape_.width; ++c)
    max_cols = std::max(max_cols, col_bounds_[c + 1] - col_bounds_[c]);
  PhaseEstimate e;
  e.compute = max_rows * max_cols;
  // The row chain is a pipeline: the last element leaves the far end after
  // max_rows cycles and needs (hop + 1 add stage) per PE to reach column 0; the
  // gather streams all rows through column 0 to the host.
  e.network =
      max_rows + (shape_.width - 1) * (hop_latency + 1) + w_.rows + shape_.height * hop_latency;
  return e;
}

}  // namespace wm::sw::mapper
