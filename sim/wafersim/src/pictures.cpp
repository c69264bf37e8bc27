// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sim/wafersim/pictures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "wm/sim/wafersim/json.hpp"
#include "wm/sim/wafersim/phases.hpp"

namespace wm::sim::wafersim {

namespace {

/// A file written through fmt, closed with its errors checked: a full disk is an error, not a
/// truncated picture.
class OutFile {
 public:
  OutFile(const std::string& dir, const char* name)
      : path_((std::filesystem::path(dir) / name).string()), f_(std::fopen(path_.c_str(), "w")) {
    if (!f_) fail();
  }
  template <class... T>
  void print(fmt::format_string<T...> format, T&&... args) {
    fmt::print(f_.get(), format, std::forward<T>(args)...);
  }
  void close() {
    const bool bad = std::ferror(f_.get()) != 0;
    if (std::fclose(f_.release()) != 0 || bad) fail();
  }

 private:
  [[noreturn]] void fail() const {
    throw std::runtime_error(
        fmt::format("report dir: cannot write {}: {}", path_, std::strerror(errno)));
  }
  struct Closer {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::string path_;
  std::unique_ptr<std::FILE, Closer> f_;
};

std::string xml_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Colour scale: ColorBrewer YlOrRd, light for idle and dark for loaded, so an idle link or tile
// fades into the page and the hot spots stand out.

struct Rgb {
  double r, g, b;
};
constexpr std::array<Rgb, 9> kScale = {{{255, 255, 204},
                                        {255, 237, 160},
                                        {254, 217, 118},
                                        {254, 178, 76},
                                        {253, 141, 60},
                                        {252, 78, 42},
                                        {227, 26, 28},
                                        {189, 0, 38},
                                        {128, 0, 38}}};

Rgb colour_at(double f) {
  f = std::clamp(f, 0.0, 1.0) * (kScale.size() - 1);
  const auto i = std::min(static_cast<std::size_t>(f), kScale.size() - 2);
  const double u = f - static_cast<double>(i);
  const Rgb& a = kScale[i];
  const Rgb& b = kScale[i + 1];
  return {a.r + (b.r - a.r) * u, a.g + (b.g - a.g) * u, a.b + (b.b - a.b) * u};
}

std::string hex(const Rgb& c) {
  return fmt::format("#{:02x}{:02x}{:02x}", static_cast<unsigned>(std::lround(c.r)),
                     static_cast<unsigned>(std::lround(c.g)),
                     static_cast<unsigned>(std::lround(c.b)));
}

/// Black or white, whichever reads better on `c`.
const char* ink_on(const Rgb& c) {
  return 0.299 * c.r + 0.587 * c.g + 0.114 * c.b < 140 ? "#ffffff" : "#000000";
}

/// The top of the colour scale: the smallest of 1, 2, 2.5, 5 times a power of ten at or above
/// the largest value, so a lightly loaded mesh still shows its structure in colour (the
/// printed numbers carry the absolute values).
double scale_top(double max) {
  if (!(max > 0)) return 1.0;
  double decade = std::pow(10.0, std::floor(std::log10(max)));
  for (;;) {
    for (const double m : {1.0, 2.0, 2.5, 5.0}) {
      if (m * decade >= max * (1 - 1e-12)) return m * decade;
    }
    decade *= 10;
  }
}

std::string tick(double v) { return fmt::format("{:g}", v); }

// For ImageMagick's SVG reader, which differs from browsers: no `class` attributes (it takes
// them for CSS and fails on large files), and every text says stroke="none" (it would otherwise
// outline the text with the stroke of the shape drawn before).

/// The horizontal colour legend at (x, y), `w` wide, 0..top, with its caption. Drawn as small
/// steps rather than a gradient, which some SVG renderers (ImageMagick's) do not paint.
void legend(OutFile& f, double x, double y, double w, double top, std::string_view caption) {
  constexpr int kSteps = 48;
  f.print("<g id=\"legend\" data-top=\"{:g}\">\n", top);
  for (int i = 0; i < kSteps; ++i) {
    f.print("<rect x=\"{:.2f}\" y=\"{}\" width=\"{:.2f}\" height=\"14\" fill=\"{}\"/>\n",
            x + w * i / kSteps, y, w / kSteps + 0.3, hex(colour_at((i + 0.5) / kSteps)));
  }
  f.print(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" fill=\"none\" "
      "stroke=\"#888\"/>\n",
      x, y, w);
  for (int i = 0; i <= 4; ++i) {
    const double tx = x + w * i / 4;
    f.print("<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#444\"/>\n", tx, y + 14,
            y + 18);
    f.print(
        "<text stroke=\"none\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" "
        "font-size=\"11\">{}</text>\n",
        tx, y + 30, tick(top * i / 4));
  }
  f.print("<text stroke=\"none\" x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>\n</g>\n", x, y - 6,
          xml_escape(caption));
}

void svg_open(OutFile& f, double w, double h) {
  f.print(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"Helvetica, Arial, sans-serif\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
      w, h);
}

void svg_titles(OutFile& f, const PictureInput& in, std::string_view what, std::string_view sub) {
  f.print(
      "<text stroke=\"none\" x=\"16\" y=\"24\" font-size=\"16\" font-weight=\"bold\">{}</text>\n",
      xml_escape(what));
  f.print("<text stroke=\"none\" x=\"16\" y=\"44\" font-size=\"12\">{}</text>\n", xml_escape(sub));
  f.print("<text stroke=\"none\" x=\"16\" y=\"62\" font-size=\"12\" fill=\"#555\">{}</text>\n",
          xml_escape(in.title));
}

std::string window_text(const PictureInput& in) {
  return fmt::format("cycles [{}, {}), {} cycles", in.first_cycle, in.last_cycle,
                     in.last_cycle - in.first_cycle);
}

// ---------------------------------------------------------------------------------------------
// Tile heatmaps.

struct Stat {
  double mean = 0;
  double max = 0;
  unsigned max_at = 0;
};

template <class Value>
Stat stat_of(unsigned n, Value value) {
  Stat s;
  for (unsigned t = 0; t < n; ++t) {
    const double v = value(t);
    s.mean += v;
    if (t == 0 || v > s.max) {
      s.max = v;
      s.max_at = t;
    }
  }
  s.mean /= n;
  return s;
}

/// One cell per tile, x to the right and y downwards (north up, as wm_mesh numbers them).
void tile_heatmap(const std::string& dir, const char* name, const PictureInput& in,
                  std::string_view what, std::string_view unit, std::string_view counter,
                  std::uint64_t TileActivity::*field) {
  const unsigned n = in.width * in.height;
  const double cycles = static_cast<double>(in.last_cycle - in.first_cycle);
  const auto value = [&](unsigned t) {
    return static_cast<double>(in.activity[t].*field) / cycles;
  };
  const Stat s = stat_of(n, value);
  const double top = scale_top(s.max);

  constexpr double kCell = 64, kLeft = 48, kTop = 96;
  const double grid_w = kCell * in.width, grid_h = kCell * in.height;
  const double w = std::max(kLeft + grid_w + 24, 560.0), h = kTop + grid_h + 80;
  OutFile f(dir, name);
  svg_open(f, w, h);
  svg_titles(f, in, what,
             fmt::format("{}, {}; mean {:.3f}, max {:.3f} at tile {}", unit, window_text(in),
                         s.mean, s.max, tile_name(s.max_at, in.width)));
  for (unsigned x = 0; x < in.width; ++x) {
    f.print(
        "<text stroke=\"none\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" "
        "fill=\"#555\">x={}</text>\n",
        kLeft + kCell * (x + 0.5), kTop - 6, x);
  }
  for (unsigned y = 0; y < in.height; ++y) {
    f.print(
        "<text stroke=\"none\" x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\" "
        "fill=\"#555\">y={}</text>\n",
        kLeft - 6, kTop + kCell * (y + 0.5) + 4, y);
  }
  for (unsigned t = 0; t < n; ++t) {
    const unsigned x = t % in.width, y = t / in.width;
    const double v = value(t);
    const Rgb c = colour_at(v / top);
    const double cx = kLeft + kCell * x, cy = kTop + kCell * y;
    f.print(
        "<g id=\"tile-{0}-{1}\" data-x=\"{0}\" data-y=\"{1}\" data-value=\"{2:.6f}\">"
        "<title>tile {3}: {4} {2:.3f} ({5} {6} in {7} cycles)</title>\n",
        x, y, v, tile_name(t, in.width), unit, in.activity[t].*field, counter,
        in.last_cycle - in.first_cycle);
    f.print("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#999\"/>\n",
            cx, cy, kCell, kCell, hex(c));
    f.print(
        "<text stroke=\"none\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"13\" "
        "fill=\"{}\">{:.3f}</text></g>\n",
        cx + kCell / 2, cy + kCell / 2 + 5, ink_on(c), v);
  }
  legend(f, kLeft, kTop + grid_h + 36, std::clamp(grid_w, 240.0, 360.0), top, unit);
  f.print("</svg>\n");
  f.close();
}

// ---------------------------------------------------------------------------------------------
// Link load: every neighbour link as two arrows between its tiles, one per direction.

struct LinkGeometry {
  static constexpr double kPitch = 120, kBox = 56, kLane = 9, kThick = 7;
  static constexpr double kLeft = 96, kTop = 100;
  [[nodiscard]] static double box_x(unsigned x) { return kLeft + kPitch * x; }
  [[nodiscard]] static double box_y(unsigned y) { return kTop + kPitch * y; }
};

/// A horizontal or vertical arrow from (x0, y0) to (x1, y1), `LinkGeometry::kThick` wide.
std::string arrow_points(double x0, double y0, double x1, double y1) {
  constexpr double h = LinkGeometry::kThick / 2, head = 8;
  const double len = std::hypot(x1 - x0, y1 - y0);
  const double ux = (x1 - x0) / len, uy = (y1 - y0) / len;  // along
  const double nx = -uy, ny = ux;                           // across
  const double bx = x1 - ux * head, by = y1 - uy * head;    // base of the head
  const auto pt = [](double px, double py) { return fmt::format("{:.1f},{:.1f}", px, py); };
  return fmt::format("{} {} {} {} {} {} {}", pt(x0 + nx * h, y0 + ny * h),
                     pt(bx + nx * h, by + ny * h), pt(bx + nx * 2 * h, by + ny * 2 * h), pt(x1, y1),
                     pt(bx - nx * 2 * h, by - ny * 2 * h), pt(bx - nx * h, by - ny * h),
                     pt(x0 - nx * h, y0 - ny * h));
}

struct Lane {
  unsigned from = 0;  ///< sending tile
  std::string to;     ///< "(1, 0)" or "host"
  Dir dir = Dir::E;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  ///< arrow
  double tx = 0, ty = 0;                  ///< label
  const char* anchor = "middle";
};

void link_load(const std::string& dir, const PictureInput& in) {
  using G = LinkGeometry;
  const unsigned w = in.width, hgt = in.height;
  const double cycles = static_cast<double>(in.last_cycle - in.first_cycle);
  std::vector<Lane> lanes;
  const double gap0 = G::kBox + 3, gap1 = G::kPitch - 3;  // arrow ends, relative to a box
  for (unsigned y = 0; y < hgt; ++y) {
    for (unsigned x = 0; x < w; ++x) {
      const unsigned t = y * w + x;
      const double bx = G::box_x(x), by = G::box_y(y);
      const double cx = bx + G::kBox / 2, cy = by + G::kBox / 2;
      if (x + 1 < w) {
        const std::string east = tile_name(t + 1, w), west = tile_name(t, w);
        lanes.push_back({t, east, Dir::E, bx + gap0, cy - G::kLane, bx + gap1, cy - G::kLane,
                         bx + (gap0 + gap1) / 2, cy - G::kLane - 8});
        lanes.push_back({t + 1, west, Dir::W, bx + gap1, cy + G::kLane, bx + gap0, cy + G::kLane,
                         bx + (gap0 + gap1) / 2, cy + G::kLane + 17});
      }
      if (y + 1 < hgt) {
        const std::string south = tile_name(t + w, w), north = tile_name(t, w);
        const double ly = by + (gap0 + gap1) / 2 + 4;
        lanes.push_back({t, south, Dir::S, cx - G::kLane, by + gap0, cx - G::kLane, by + gap1,
                         cx - G::kLane - 8, ly, "end"});
        lanes.push_back({t + w, north, Dir::N, cx + G::kLane, by + gap1, cx + G::kLane, by + gap0,
                         cx + G::kLane + 8, ly, "start"});
      }
    }
  }
  // The host port: tile (0, 0)'s west side; only what the mesh sends to the host is counted.
  lanes.push_back({0, "host", Dir::W, G::box_x(0) - 3, G::box_y(0) + G::kBox / 2,
                   G::box_x(0) - (G::kPitch - G::kBox), G::box_y(0) + G::kBox / 2,
                   G::box_x(0) - (G::kPitch - G::kBox) / 2, G::box_y(0) + G::kBox / 2 - 8});

  const auto load = [&](const Lane& l) {
    return static_cast<double>(in.activity[l.from].link[static_cast<unsigned>(l.dir)]) / cycles;
  };
  double mean = 0, max = 0;
  const Lane* max_at = &lanes.front();
  for (const Lane& l : lanes) {
    const double v = load(l);
    mean += v / static_cast<double>(lanes.size());
    if (v > max) {
      max = v;
      max_at = &l;
    }
  }
  const double top = scale_top(max);

  const double grid_w = G::kPitch * (w - 1) + G::kBox, grid_h = G::kPitch * (hgt - 1) + G::kBox;
  const double width = std::max(G::kLeft + grid_w + 40, 600.0);
  const double height = G::kTop + grid_h + 90;
  OutFile f(dir, ReportFiles::kLinkLoad);
  svg_open(f, width, height);
  svg_titles(f, in, "Link load: wavelets per cycle on each link direction",
             fmt::format("{}; mean {:.3f}, max {:.3f} from {} to {}", window_text(in), mean, max,
                         tile_name(max_at->from, w), max_at->to));
  for (unsigned t = 0; t < w * hgt; ++t) {
    const unsigned x = t % w, y = t / w;
    const TileActivity& a = in.activity[t];
    f.print(
        "<g><title>tile {}: ramp router to PE {:.3f}, PE to router {:.3f} "
        "wavelets per cycle</title>\n",
        tile_name(t, w), static_cast<double>(a.ramp_rx) / cycles,
        static_cast<double>(a.ramp_tx) / cycles);
    f.print(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"#eef1f5\" "
        "stroke=\"#778\"/>\n",
        G::box_x(x), G::box_y(y), G::kBox, G::kBox);
    f.print(
        "<text stroke=\"none\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" "
        "font-size=\"12\">{}</text></g>\n",
        G::box_x(x) + G::kBox / 2, G::box_y(y) + G::kBox / 2 + 4, tile_name(t, w));
  }
  f.print(
      "<text stroke=\"none\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" "
      "fill=\"#555\">host</text>\n",
      G::box_x(0) - (G::kPitch - G::kBox) / 2, G::box_y(0) + G::kBox / 2 + 18);
  constexpr const char* kDir[] = {"P", "W", "E", "N", "S"};
  for (const Lane& l : lanes) {
    const double v = load(l);
    const Rgb c = colour_at(v / top);
    const auto count = in.activity[l.from].link[static_cast<unsigned>(l.dir)];
    f.print(
        "<g id=\"link-{0}-{1}-{2}\" data-from=\"{3}\" data-to=\"{4}\" data-value=\"{5:.6f}\">"
        "<title>{3} to {4} (port {2}): {5:.4f} wavelets per cycle ({6} in {7} cycles)"
        "</title>\n",
        l.from % w, l.from / w, kDir[static_cast<unsigned>(l.dir)], tile_name(l.from, w), l.to, v,
        count, in.last_cycle - in.first_cycle);
    f.print("<polygon points=\"{}\" fill=\"{}\" stroke=\"#555\" stroke-width=\"0.6\"/>\n",
            arrow_points(l.x0, l.y0, l.x1, l.y1), hex(c));
    f.print(
        "<text stroke=\"none\" x=\"{}\" y=\"{}\" text-anchor=\"{}\" "
        "font-size=\"10\">{:.3f}</text></g>\n",
        l.tx, l.ty, l.anchor, v);
  }
  legend(f, G::kLeft, G::kTop + grid_h + 44, std::clamp(grid_w, 240.0, 360.0), top,
         "wavelets per cycle (one direction of one link; at most 1)");
  f.print("</svg>\n");
  f.close();
}

// ---------------------------------------------------------------------------------------------
// Timeline (Chrome trace event format, JSON object form).

/// Phases as segments of time, for the parts of a task: phase i (in order of begin) owns
/// [begin_i, min(end_i, begin_i+1)), so every cycle is in at most one part and the parts of a
/// task nest in it (Perfetto draws nested slices only, never overlapping ones).
class PhaseSegments {
 public:
  explicit PhaseSegments(const std::vector<PhaseSpan>& phases) {
    for (std::size_t i = 0; i < phases.size(); ++i) {
      segs_.push_back({phases[i].begin, phases[i].end, i});
      names_.push_back(json_escape(phase_label(phases[i].name, phases[i].layer)));
    }
    std::stable_sort(segs_.begin(), segs_.end(),
                     [](const Seg& a, const Seg& b) { return a.begin < b.begin; });
    for (std::size_t i = 0; i + 1 < segs_.size(); ++i) {
      segs_[i].end = std::min(segs_[i].end, segs_[i + 1].begin);
    }
  }

  /// Calls f(phase, begin, end) for each part of [begin, end) inside a phase, in order.
  template <class F>
  void parts(std::uint64_t begin, std::uint64_t end, F&& f) const {
    auto it = std::upper_bound(segs_.begin(), segs_.end(), begin,
                               [](std::uint64_t c, const Seg& s) { return c < s.begin; });
    if (it != segs_.begin()) --it;
    for (; it != segs_.end() && it->begin < end; ++it) {
      const std::uint64_t b = std::max(begin, it->begin), e = std::min(end, it->end);
      if (b < e) f(it->phase, b, e);
    }
  }
  [[nodiscard]] const std::string& json_name(std::size_t phase) const { return names_[phase]; }

 private:
  struct Seg {
    std::uint64_t begin, end;
    std::size_t phase;
  };
  std::vector<Seg> segs_;
  std::vector<std::string> names_;
};

/// The track of each mesh phase: a phase that overlaps an earlier one takes another track.
std::vector<unsigned> phase_lanes(const std::vector<PhaseSpan>& phases, unsigned& lanes) {
  std::vector<std::size_t> order(phases.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return phases[a].begin < phases[b].begin; });
  std::vector<std::uint64_t> lane_end;
  std::vector<unsigned> lane(phases.size());
  for (const std::size_t i : order) {
    auto free = std::find_if(lane_end.begin(), lane_end.end(),
                             [&](std::uint64_t e) { return e <= phases[i].begin; });
    if (free == lane_end.end()) free = lane_end.insert(lane_end.end(), 0);
    *free = phases[i].end;
    lane[i] = static_cast<unsigned>(free - lane_end.begin());
  }
  lanes = static_cast<unsigned>(lane_end.size());
  return lane;
}

void timeline(const std::string& dir, const PictureInput& in) {
  const unsigned n = in.width * in.height;
  unsigned lanes = 0;
  const std::vector<unsigned> lane = phase_lanes(in.phases, lanes);
  const PhaseSegments mesh_segments(in.phases);
  // Tracks: the phase lanes first (tid 1..lanes), then the tiles in row-major order.
  const auto tile_tid = [&](unsigned t) { return lanes + 1 + t; };
  OutFile f(dir, ReportFiles::kTimeline);
  f.print(
      "{{\"otherData\":{{\"time_unit\":\"1 us in this trace = 1 clock cycle\","
      "\"clock_hz\":{:.0f},\"mesh\":\"{}x{}\",\"first_cycle\":{},\"last_cycle\":{},"
          "\"title\":\"{}\"}},\n"
      "\"traceEvents\":[\n",
      in.clock_hz, in.width, in.height, in.first_cycle, in.last_cycle, json_escape(in.title));
  f.print(
      "{{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":{{\"name\":"
      "\"{}x{} mesh (1 us = 1 cycle)\"}}}}",
      in.width, in.height);
  for (unsigned l = 0; l < lanes; ++l) {
    const std::string name = l == 0 ? "phases" : fmt::format("phases ({})", l + 1);
    f.print(
        ",\n{{\"ph\":\"M\",\"pid\":1,\"tid\":{0},\"name\":\"thread_name\",\"args\":"
        "{{\"name\":\"{1}\"}}}},\n{{\"ph\":\"M\",\"pid\":1,\"tid\":{0},\"name\":"
        "\"thread_sort_index\",\"args\":{{\"sort_index\":{0}}}}}",
        l + 1, name);
  }
  for (unsigned t = 0; t < n; ++t) {
    f.print(
        ",\n{{\"ph\":\"M\",\"pid\":1,\"tid\":{0},\"name\":\"thread_name\",\"args\":"
        "{{\"name\":\"tile {1}\"}}}},\n{{\"ph\":\"M\",\"pid\":1,\"tid\":{0},\"name\":"
        "\"thread_sort_index\",\"args\":{{\"sort_index\":{0}}}}}",
        tile_tid(t), tile_name(t, in.width));
  }
  for (std::size_t i = 0; i < in.phases.size(); ++i) {
    const PhaseSpan& p = in.phases[i];
    f.print(
        ",\n{{\"ph\":\"X\",\"cat\":\"phase\",\"pid\":1,\"tid\":{},\"ts\":{},\"dur\":{},"
        "\"name\":\"{}\",\"args\":{{\"layer\":{},\"token\":{}}}}}",
        lane[i] + 1, p.begin, p.end - p.begin, mesh_segments.json_name(i), p.layer, p.token);
  }
  for (unsigned t = 0; t < n; ++t) {
    const unsigned tid = tile_tid(t);
    const bool own = !in.tile_phases.empty();
    const std::optional<PhaseSegments> tile_segments =
        own ? std::optional<PhaseSegments>(in.tile_phases[t]) : std::nullopt;
    const PhaseSegments& segs = own ? *tile_segments : mesh_segments;
    const std::vector<PhaseSpan>& phases = own ? in.tile_phases[t] : in.phases;
    for (const TaskSpan& s : in.spans[t]) {
      f.print(
          ",\n{{\"ph\":\"X\",\"cat\":\"task\",\"pid\":1,\"tid\":{},\"ts\":{},\"dur\":{},"
          "\"name\":\"task {}\",\"args\":{{\"task\":{}}}}}",
          tid, s.begin, s.end - s.begin, s.task, s.task);
      segs.parts(s.begin, s.end, [&](std::size_t i, std::uint64_t b, std::uint64_t e) {
        f.print(
            ",\n{{\"ph\":\"X\",\"cat\":\"phase\",\"pid\":1,\"tid\":{},\"ts\":{},\"dur\":{},"
            "\"name\":\"{}\",\"args\":{{\"task\":{},\"token\":{}}}}}",
            tid, b, e - b, segs.json_name(i), s.task, phases[i].token);
      });
    }
  }
  f.print("\n]}}\n");
  f.close();
}

// ---------------------------------------------------------------------------------------------
// index.html

void index_html(const std::string& dir, const PictureInput& in, std::size_t spans) {
  OutFile f(dir, ReportFiles::kIndex);
  const std::uint64_t cycles = in.last_cycle - in.first_cycle;
  const std::string title = xml_escape(in.title);
  f.print(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\n"
      "<title>wafersim pictures: {0}</title>\n"
      "<style>body{{font-family:Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;"
      "padding:0 1em}} object{{max-width:100%;border:1px solid #ddd}} "
      "code{{background:#f4f4f4;padding:0 .2em}}</style></head><body>\n"
      "<h1>wafersim pictures</h1>\n<p>{0}</p>\n"
      "<p>{1}x{2} mesh. Utilisation over cycles [{3}, {4}), {5} cycles ({6:.3f} us at "
      "{7:.2f} GHz).</p>\n",
      title, in.width, in.height, in.first_cycle, in.last_cycle, cycles,
      static_cast<double>(cycles) / in.clock_hz * 1e6, in.clock_hz / 1e9);
  f.print(
      "<h2>Timeline of PE tasks</h2>\n"
      "<p><a href=\"{0}\">{0}</a>: {1} task spans on {2} tiles, {3} phases. "
      "To view it, open <a href=\"https://ui.perfetto.dev\">ui.perfetto.dev</a>, choose "
      "<em>Open trace file</em> in the left menu (or drag the file onto the page) and pick "
      "<code>{0}</code>; the file is read in the browser, not uploaded. "
      "<code>chrome://tracing</code> (<em>Load</em>) opens it too. Keys W/S zoom, A/D "
      "pan.</p>\n"
      "<p><strong>Time unit: 1 us on the trace's time axis is 1 clock cycle</strong>, so "
      "a readout of 12ms 345us is cycle 12,345 (at {4:.2f} GHz a cycle is {5:.3f} ns). "
      "One track per tile, named <code>tile (x, y)</code>: a slice is one task running on "
      "that tile's PE, named by its task id, and under it are its parts in each phase of "
      "the decode, named by the phase ({6}). The <code>phases</code> track on top shows "
      "the phases of the whole mesh, token after token.</p>\n",
      ReportFiles::kTimeline, spans, in.width * in.height, in.phases.size(), in.clock_hz / 1e9,
      1e9 / in.clock_hz, in.tile_phases.empty() ? "the mesh's phases" : "the tile's own phases");
  const auto picture = [&](const char* file, std::string_view heading, std::string_view text) {
    f.print(
        "<h2>{1}</h2>\n<p>{2} <a href=\"{0}\">{0}</a></p>\n"
        "<object data=\"{0}\" type=\"image/svg+xml\"><a href=\"{0}\">{0}</a></object>\n",
        file, heading, text);
  };
  picture(ReportFiles::kTileBusy, "Tile busy",
          "Fraction of the cycles each tile's PE had work: a task running, its vector unit "
          "working or a send pending. Hover a cell for its counts.");
  picture(ReportFiles::kTileMac, "Tile MAC utilisation",
          "Multiply-adds per cycle of each tile's PE (at most 1).");
  picture(ReportFiles::kLinkLoad, "Link load",
          "Wavelets per cycle on each direction of each neighbour link, and from tile (0, 0) "
          "to the host. Hover a tile for its ramp (router to PE) load.");
  f.print("</body></html>\n");
  f.close();
}

}  // namespace

void write_report_dir(const std::string& dir, const PictureInput& in) {
  const unsigned n = in.width * in.height;
  if (in.width < 1 || in.height < 1) {
    throw std::invalid_argument(fmt::format("pictures: empty mesh {}x{}", in.width, in.height));
  }
  if (in.last_cycle <= in.first_cycle) {
    throw std::invalid_argument(
        fmt::format("pictures: empty cycle window [{}, {})", in.first_cycle, in.last_cycle));
  }
  if (in.spans.size() != n || in.activity.size() != n) {
    throw std::invalid_argument(fmt::format(
        "pictures: {} span lists and {} activity records for the {} tiles of a {}x{} mesh",
        in.spans.size(), in.activity.size(), n, in.width, in.height));
  }
  if (!(in.clock_hz > 0)) throw std::invalid_argument("pictures: the clock must be positive");
  std::size_t spans = 0;
  for (unsigned t = 0; t < n; ++t) {
    std::uint64_t prev = 0;
    for (const TaskSpan& s : in.spans[t]) {
      if (s.end < s.begin || s.begin < prev) {
        throw std::invalid_argument(
            fmt::format("pictures: tile {}: task span [{}, {}) is reversed or overlaps the one "
                        "before (ending at {})",
                        tile_name(t, in.width), s.begin, s.end, prev));
      }
      prev = s.end;
    }
    spans += in.spans[t].size();
  }
  if (!in.tile_phases.empty() && in.tile_phases.size() != n) {
    throw std::invalid_argument(
        fmt::format("pictures: {} tile phase lists for {} tiles", in.tile_phases.size(), n));
  }
  const auto check_phases = [](const std::vector<PhaseSpan>& phases, std::string_view where) {
    for (const PhaseSpan& p : phases) {
      if (p.end < p.begin) {
        throw std::invalid_argument(
            fmt::format("pictures: {}phase {} ends at {} before it "
                        "begins at {}",
                        where, phase_label(p.name, p.layer), p.end, p.begin));
      }
    }
  };
  check_phases(in.phases, "");
  for (unsigned t = 0; t < in.tile_phases.size(); ++t) {
    check_phases(in.tile_phases[t], fmt::format("tile {}: ", tile_name(t, in.width)));
  }
  timeline(dir, in);
  tile_heatmap(dir, ReportFiles::kTileBusy, in, "Tile busy: fraction of cycles the PE has work",
               "busy fraction", "busy cycles", &TileActivity::busy);
  tile_heatmap(dir, ReportFiles::kTileMac, in, "Tile MAC utilisation: multiply-adds per cycle",
               "MACs per cycle", "MACs", &TileActivity::macs);
  link_load(dir, in);
  index_html(dir, in, spans);
}

}  // namespace wm::sim::wafersim
