// The fuzz targets without libFuzzer (any compiler): runs LLVMFuzzerTestOneInput once on
// each file named, or on every file of each directory named, so the seed corpora are
// checked in every build and a crashing input kept by the nightly can be replayed under gdb.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <fmt/core.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot open", path.string()));
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                        std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: {} FILE|DIR...  (runs the fuzz target on each input)\n", argv[0]);
    return 2;
  }
  try {
    std::size_t n = 0;
    for (int i = 1; i < argc; ++i) {
      const std::filesystem::path p(argv[i]);
      std::vector<std::filesystem::path> files;
      if (std::filesystem::is_directory(p)) {
        for (const auto& e : std::filesystem::directory_iterator(p))
          if (e.is_regular_file()) files.push_back(e.path());
        std::sort(files.begin(), files.end());
      } else {
        files.push_back(p);
      }
      for (const auto& f : files) run_file(f);
      n += files.size();
    }
    if (n == 0) throw std::runtime_error("no input files");
    fmt::print("{}: {} input(s) ran clean\n", argv[0], n);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: {}\n", argv[0], e.what());
    return 1;
  }
  return 0;
}
