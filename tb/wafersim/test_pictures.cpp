// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The pictures of --report-dir from a synthetic 3x2 run whose every span and counter is known:
// this test writes them (pictures_3x2/, checked value for value by check_pictures.py), rejects
// inconsistent input, names a directory it cannot write, and checks --report-dir's parsing.
#define BOOST_TEST_MODULE test_wafersim_pictures
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "args.hpp"
#include "wm/sim/wafersim/options.hpp"
#include "wm/sim/wafersim/pictures.hpp"

namespace {

namespace ws = wm::sim::wafersim;
namespace fs = std::filesystem;
using wm::sim::TaskSpan;
using wm::sim::TileActivity;

/// The run check_pictures.py --synthetic expects: keep the two in step.
ws::PictureInput synthetic() {
  ws::PictureInput in;
  in.width = 3;
  in.height = 2;
  in.first_cycle = 100;
  in.last_cycle = 1100;
  in.title = "synthetic 3x2 \"test\" <run>\t";
  in.spans = {
      {{100, 150, 1}, {150, 400, 2}, {900, 1000, 3}},  // (0, 0)
      {{120, 130, 5}, {600, 610, 6}},                  // (1, 0): 600 is where classifier begins
      {{260, 280, 4}},                                 // (2, 0): inside the overlapping phase
      {{0, 50, 0}},                                    // (0, 1): before every phase
      {{500, 700, 7}},                                 // (1, 1)
      {{1050, 1100, 15}, {1100, 1120, 9}},             // (2, 1): the last after every phase
  };
  in.phases = {{"attention", 0, 0, 300, 600},
               {"qkv", 0, 0, 100, 300},
               {"classifier", -1, 0, 600, 1100},
               {"extra", 1, 1, 250, 350}};  // overlaps qkv and attention: a second track
  const std::uint64_t busy[] = {500, 0, 1000, 250, 123, 999};
  const std::uint64_t macs[] = {100, 0, 200, 50, 7, 0};
  in.activity.resize(6);
  for (unsigned t = 0; t < 6; ++t) {
    in.activity[t].busy = busy[t];
    in.activity[t].macs = macs[t];
    in.activity[t].ramp_rx = 10 * t;
    in.activity[t].ramp_tx = 20 * t;
  }
  auto link = [&](unsigned t, wm::sim::Dir d, std::uint64_t v) {
    in.activity[t].link[static_cast<unsigned>(d)] = v;
  };
  using wm::sim::Dir;
  link(0, Dir::W, 5);  // to the host
  link(0, Dir::E, 200);
  link(0, Dir::S, 10);
  link(1, Dir::W, 300);
  link(1, Dir::E, 1);
  link(2, Dir::W, 2);
  link(2, Dir::S, 1000);
  link(3, Dir::N, 3);
  link(3, Dir::E, 4);
  link(4, Dir::W, 5);
  link(4, Dir::N, 6);
  link(4, Dir::E, 7);
  link(5, Dir::W, 8);
  link(5, Dir::N, 9);
  return in;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    BOOST_TEST_MESSAGE(e.what());
    return e.what();
  }
  BOOST_FAIL("no exception");
  return {};
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

ws::Options parse(std::vector<const char*> args) {
  args.insert(args.begin(), "wafersim");
  return ws::parse_options(static_cast<int>(args.size()), args.data());
}

}  // namespace

BOOST_AUTO_TEST_CASE(synthetic_run_is_written) {
  const fs::path dir = "pictures_3x2";
  fs::remove_all(dir);
  fs::create_directory(dir);
  ws::write_report_dir(dir.string(), synthetic());
  for (const char* f :
       {ws::ReportFiles::kTimeline, ws::ReportFiles::kTileBusy, ws::ReportFiles::kTileMac,
        ws::ReportFiles::kLinkLoad, ws::ReportFiles::kIndex}) {
    BOOST_TEST_CONTEXT(f) { BOOST_TEST(fs::file_size(dir / f) > 0u); }
  }
  const std::string trace = slurp(dir / ws::ReportFiles::kTimeline);
  // tid 1 and 2 are the two phase tracks; tile t is tid 3 + t. A task, then its parts.
  BOOST_TEST(contains(trace, R"("tid":5,"ts":260,"dur":20,"name":"task 4","args":{"task":4}},)"
                             "\n"
                             R"({"ph":"X","cat":"phase","pid":1,"tid":5,"ts":260,"dur":20,)"
                             R"("name":"extra L1","args":{"task":4,"token":1}})"));
  BOOST_TEST(contains(trace, R"("tid":7,"ts":600,"dur":100,"name":"classifier","args":)"
                             R"({"task":7,"token":0}})"));
  BOOST_TEST(contains(trace, R"("tid":6,"ts":0,"dur":50,"name":"task 0","args":{"task":0}},)"
                             "\n"
                             R"({"ph":"X","cat":"task","pid":1,"tid":7,)"));
  BOOST_TEST(contains(trace, R"("title":"synthetic 3x2 \"test\" <run> ")"));
  const std::string busy = slurp(dir / ws::ReportFiles::kTileBusy);
  BOOST_TEST(contains(busy, "synthetic 3x2 &quot;test&quot; &lt;run&gt;"));
  BOOST_TEST(contains(busy, "cycles [100, 1100), 1000 cycles"));
}

BOOST_AUTO_TEST_CASE(own_phases_of_a_tile_cut_its_tasks) {
  const fs::path dir = "pictures_3x2_own";
  fs::remove_all(dir);
  fs::create_directory(dir);
  auto in = synthetic();
  in.tile_phases.resize(6);
  in.tile_phases[4] = {{"ffn", 2, 3, 450, 550}};
  ws::write_report_dir(dir.string(), in);
  const std::string trace = slurp(dir / ws::ReportFiles::kTimeline);
  // (1, 1)'s task [500, 700): one part, in its own phase; the mesh's phases cut no task now.
  BOOST_TEST(contains(trace, R"("tid":7,"ts":500,"dur":200,"name":"task 7","args":{"task":7}},)"
                             "\n"
                             R"({"ph":"X","cat":"phase","pid":1,"tid":7,"ts":500,"dur":50,)"
                             R"("name":"ffn L2","args":{"task":7,"token":3}})"));
  BOOST_TEST(!contains(trace, R"("name":"qkv L0","args":{"task")"));
  in.tile_phases.pop_back();
  BOOST_TEST(contains(error_of([&] { ws::write_report_dir(dir.string(), in); }),
                      "5 tile phase lists for 6 tiles"));
  in.tile_phases.resize(6);
  in.tile_phases[1] = {{"ffn", 2, 3, 450, 50}};
  BOOST_TEST(contains(error_of([&] { ws::write_report_dir(dir.string(), in); }),
                      "tile (1, 0): phase ffn L2 ends at 50 before it begins at 450"));
}

BOOST_AUTO_TEST_CASE(inconsistent_input_is_rejected) {
  const std::string dir = "pictures_rejected";
  fs::create_directories(dir);
  auto in = synthetic();
  in.activity.pop_back();
  BOOST_TEST(contains(error_of([&] { ws::write_report_dir(dir, in); }),
                      "6 span lists and 5 activity records for the 6 tiles of a 3x2 mesh"));
  in = synthetic();
  in.last_cycle = in.first_cycle;
  BOOST_TEST(
      contains(error_of([&] { ws::write_report_dir(dir, in); }), "empty cycle window [100, 100)"));
  in = synthetic();
  in.spans[4].push_back({650, 800, 2});
  BOOST_TEST(contains(error_of([&] { ws::write_report_dir(dir, in); }),
                      "tile (1, 1): task span [650, 800) is reversed or overlaps"));
  in = synthetic();
  in.phases[0].end = 10;
  BOOST_TEST(contains(error_of([&] { ws::write_report_dir(dir, in); }),
                      "phase attention L0 ends at 10 before it begins at 300"));
}

BOOST_AUTO_TEST_CASE(unwritable_directory_is_named) {
  BOOST_TEST(contains(error_of([] { ws::write_report_dir("/nonexistent/pics", synthetic()); }),
                      "cannot write /nonexistent/pics/timeline.json: No such file"));
}

BOOST_AUTO_TEST_CASE(report_dir_option) {
  const fs::path fresh = "report_dir_option/a/b";
  fs::remove_all("report_dir_option");
  BOOST_TEST(parse({"--report-dir", fresh.c_str()}).report_dir == fresh.string());
  BOOST_TEST(fs::is_directory(fresh));
  BOOST_TEST(parse({}).report_dir.empty());
  // An existing directory is fine.
  BOOST_TEST(parse({"--report-dir", fresh.c_str()}).report_dir == fresh.string());

  const fs::path file = "report_dir_option/file";
  std::ofstream(file) << "x";
  using wm::sw::tools::UsageError;
  const auto usage = [](std::vector<const char*> a) { return error_of([&] { (void)parse(a); }); };
  BOOST_TEST(usage({"--report-dir", file.c_str()}) ==
             "--report-dir report_dir_option/file: exists and is not a directory");
  const std::string under = (file / "sub").string();
  BOOST_TEST(contains(usage({"--report-dir", under.c_str()}),
                      "--report-dir report_dir_option/file/sub: cannot create it:"));
  BOOST_TEST(usage({"--report-dir="}) == "--report-dir needs a directory name");
  // A bad option after it leaves no directory behind.
  BOOST_TEST(
      contains(usage({"--report-dir", "report_dir_option/never", "--tokens", "0"}), "--tokens"));
  BOOST_TEST(!fs::exists("report_dir_option/never"));
  BOOST_TEST(contains(ws::usage(), "--report-dir DIR"));
}
