// wm-genmodel: writes a synthetic llama2.c checkpoint (by default the embedded default model).

#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <limits>

#include "args.hpp"
#include "wm/sw/model/checkpoint.hpp"
#include "wm/sw/model/generator.hpp"

namespace {

using wm::sw::tools::Args;
using wm::sw::tools::UsageError;
namespace model = wm::sw::model;

constexpr const char* usage = R"(usage: wm-genmodel --out FILE [options]
Writes a deterministic synthetic llama2.c checkpoint (legacy version-0 format). With no shape
options it is the embedded default model that `--model builtin` stands for.
  --out FILE                  where to write (parent directories are created)
  --dim N                     model width [64]
  --hidden-dim N              SwiGLU hidden width [172]
  --layers N                  transformer layers [2]
  --heads N                   query heads [4]
  --kv-heads N                key/value heads; fewer than --heads is GQA [4]
  --vocab N                   vocabulary size [256]
  --seq-len N                 maximum positions [64]
  --classifier shared|separate  own classifier or the token embedding [separate]
  --seed N                    PRNG seed [20260501]
  --help                      this text
)";

int run(int argc, const char* const* argv) {
  const Args args(argc, argv,
                  {"out", "dim", "hidden-dim", "layers", "heads", "kv-heads", "vocab", "seq-len",
                   "classifier", "seed"},
                  {"help"});
  if (args.has("help")) {
    fmt::print("{}", usage);
    return 0;
  }
  if (!args.has("out")) {
    throw UsageError("--out FILE is required");
  }
  model::GenParams p;
  model::Config& c = p.config;
  constexpr std::int64_t int_max = std::numeric_limits<std::int32_t>::max();
  const auto get = [&](const char* name, std::int32_t fallback) {
    return static_cast<std::int32_t>(args.get_int(name, fallback, 1, int_max));
  };
  c.dim = get("dim", c.dim);
  c.hidden_dim = get("hidden-dim", c.hidden_dim);
  c.n_layers = get("layers", c.n_layers);
  c.n_heads = get("heads", c.n_heads);
  c.n_kv_heads = get("kv-heads", c.n_kv_heads);
  c.vocab_size = get("vocab", c.vocab_size);
  c.seq_len = get("seq-len", c.seq_len);
  const std::string cls = args.get("classifier", c.shared_classifier ? "shared" : "separate");
  if (cls != "shared" && cls != "separate") {
    throw UsageError(fmt::format("--classifier must be shared or separate, not '{}'", cls));
  }
  c.shared_classifier = cls == "shared";
  p.seed = static_cast<std::uint64_t>(args.get_int("seed", static_cast<std::int64_t>(p.seed), 0,
                                                   std::numeric_limits<std::int64_t>::max()));
  try {
    model::validate(c);
  } catch (const model::ConfigError& e) {
    throw UsageError(e.what());
  }
  const std::string out = args.get("out", "");
  model::write_checkpoint(out, model::generate(p));
  fmt::print("wrote {}: {} seed={} ({} bytes)\n", out, model::describe(c), p.seed,
             model::checkpoint_bytes(c));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    fmt::print(stderr, "wm-genmodel: {}\n(see wm-genmodel --help)\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "wm-genmodel: {}\n", e.what());
    return 1;
  }
}
