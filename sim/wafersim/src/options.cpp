// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sim/wafersim/options.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <system_error>

#include "args.hpp"

namespace wm::sim::wafersim {

namespace {

using sw::tools::Args;
using sw::tools::UsageError;

unsigned parse_side(std::string_view s, std::string_view spec) {
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v < 1 || v > 32) {
    throw UsageError(
        fmt::format("--mesh '{}': expected WxH with W and H from 1 to 32 (e.g. 8x8)", spec));
  }
  return v;
}

/// --waves-tiles 'X,Y X,Y ...' -> tile indices y * width + x, in the order given.
std::vector<unsigned> parse_tiles(const std::string& spec, unsigned width, unsigned height) {
  const auto bad = [&] {
    return UsageError(fmt::format(
        "--waves-tiles '{}': expected tiles X,Y separated by spaces (e.g. '0,0 3,1')", spec));
  };
  const auto number = [&](std::string_view s) {
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) throw bad();
    return v;
  };
  std::vector<unsigned> tiles;
  std::string_view rest(spec);
  while (!rest.empty()) {
    const auto start = rest.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    const std::string_view item = rest.substr(0, rest.find(' '));
    rest.remove_prefix(item.size());
    const auto comma = item.find(',');
    if (comma == std::string_view::npos) throw bad();
    const unsigned x = number(item.substr(0, comma));
    const unsigned y = number(item.substr(comma + 1));
    if (x >= width || y >= height) {
      throw UsageError(fmt::format("--waves-tiles: tile ({}, {}) is outside the {}x{} mesh", x,
                                   y, width, height));
    }
    const unsigned t = y * width + x;
    if (std::find(tiles.begin(), tiles.end(), t) != tiles.end()) {
      throw UsageError(fmt::format("--waves-tiles: tile ({}, {}) is listed twice", x, y));
    }
    tiles.push_back(t);
  }
  if (tiles.empty()) throw bad();
  return tiles;
}

void prepare_report_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw UsageError(fmt::format("--report-dir {}: exists and is not a directory", dir));
  }
  fs::create_directories(dir, ec);
  if (ec) {
    throw UsageError(fmt::format("--report-dir {}: cannot create it: {}", dir, ec.message()));
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw UsageError(fmt::format("--report-dir {}: not writable", dir));
  }
}

}  // namespace

const char* usage() {
  return R"(usage: wafersim [options]
Runs the greedy decode of a llama2.c model on the composed RTL mesh (one Verilated wm_tile per
tile), checks every logit of every token bit for bit against the golden float decoder in the
mapping's order, and reports the cycles.
  --model builtin|PATH  the embedded default model or a llama2.c checkpoint [builtin]
  --seed S              generator seed of the builtin model [20260501]; only with builtin
  --mesh WxH            mesh shape, 1..32 each side [8x8]
  --prompt IDS          prompt token ids, comma separated [1,7,42]
  --tokens N            tokens to generate after the prompt [32]
  --threads N           threads evaluating the tiles [1]
  --watchdog K          fail after K cycles without progress, naming the busy tiles [100000]
  --report FILE.json    write the report as JSON
  --report-dir DIR      write pictures of the run into DIR (created if missing): a timeline of
                        every PE's tasks (timeline.json, for ui.perfetto.dev), heatmaps of tile
                        busy, MAC and link load (SVG) and index.html showing them
  --waves FILE.fst      FST waves of the traced tiles (scripts/waves/tile.gtkw lays one out)
  --waves-tiles TILES   the tiles to trace, X,Y pairs separated by spaces, e.g. '0,0 3,1'
                        [0,0: the host port, the residual and a head]; one tile writes FILE.fst,
                        several one FST each, named FILE's stem + _tile_X_Y (decode.fst ->
                        decode_tile_0_0.fst, decode_tile_3_1.fst); paths printed at the end
  --waves-from C        first traced cycle [0]
  --waves-to C          end of the traced window, exclusive [end of the run]
  --help                this text
Exit status: 0 verified, 1 a mismatch or an error of the model, mapper or RTL, 2 a bad command
line.
)";
}

Options parse_options(int argc, const char* const* argv) {
  const Args args(argc, argv,
                  {"model", "seed", "mesh", "prompt", "tokens", "threads", "watchdog", "report",
                   "report-dir", "waves", "waves-tiles", "waves-from", "waves-to"},
                  {"help"});
  Options o;
  if (args.has("help")) {
    o.help = true;
    return o;
  }
  o.model = args.get("model", o.model);
  if (o.model.empty()) throw UsageError("--model needs 'builtin' or a checkpoint path");
  if (args.has("seed")) {
    if (o.model != "builtin") {
      throw UsageError("--seed generates the builtin model; a checkpoint has its own weights");
    }
    o.seed = static_cast<std::uint64_t>(args.get_int("seed", 0, 0, INT64_MAX));
  }
  if (args.has("mesh")) {
    const std::string spec = args.get("mesh", "");
    const auto x = spec.find('x');
    if (x == std::string::npos) {
      throw UsageError(
          fmt::format("--mesh '{}': expected WxH with W and H from 1 to 32 (e.g. 8x8)", spec));
    }
    o.width = parse_side(std::string_view(spec).substr(0, x), spec);
    o.height = parse_side(std::string_view(spec).substr(x + 1), spec);
  }
  if (args.has("prompt")) o.prompt = sw::tools::parse_token_list(args.get("prompt", ""), "--prompt");
  o.tokens = static_cast<int>(args.get_int("tokens", o.tokens, 1, 1 << 20));
  o.threads = static_cast<unsigned>(args.get_int("threads", 1, 1, o.width * o.height));
  o.watchdog = static_cast<std::uint64_t>(args.get_int("watchdog", 100'000, 100, INT64_MAX));
  o.report = args.get("report", "");
  if (args.has("report") && o.report.empty()) throw UsageError("--report needs a file name");
  o.waves = args.get("waves", "");
  if (args.has("waves") && o.waves.empty()) throw UsageError("--waves needs a file name");
  const bool window = args.has("waves-from") || args.has("waves-to");
  if (window && o.waves.empty()) throw UsageError("--waves-from/--waves-to need --waves FILE.fst");
  if (args.has("waves-tiles")) {
    if (o.waves.empty()) throw UsageError("--waves-tiles needs --waves FILE.fst");
    o.waves_tiles = parse_tiles(args.get("waves-tiles", ""), o.width, o.height);
  }
  o.waves_from = static_cast<std::uint64_t>(args.get_int("waves-from", 0, 0, INT64_MAX));
  if (args.has("waves-to")) {
    o.waves_to = static_cast<std::uint64_t>(args.get_int("waves-to", 0, 1, INT64_MAX));
  }
  if (o.waves_from >= o.waves_to) {
    throw UsageError(fmt::format("--waves-from {} must be below --waves-to {}", o.waves_from,
                                 o.waves_to));
  }
  o.report_dir = args.get("report-dir", "");
  if (args.has("report-dir")) {
    if (o.report_dir.empty()) throw UsageError("--report-dir needs a directory name");
    prepare_report_dir(o.report_dir);  // last: no directory is left behind by a bad option
  }
  return o;
}

}  // namespace wm::sim::wafersim
