// wm-refdecode: greedy decode on the host with the float32 and/or double reference decoder.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>

#include "args.hpp"
#include "wm/sw/model/decode.hpp"
#include "wm/sw/model/float_decoder.hpp"
#include "wm/sw/model/model_source.hpp"
#include "wm/sw/model/pe_functions.hpp"
#include "wm/sw/model/reference_decoder.hpp"

namespace {

using wm::sw::tools::Args;
using wm::sw::tools::UsageError;
namespace model = wm::sw::model;

constexpr const char* usage = R"(usage: wm-refdecode [options]
Greedy decode on the host with the reference decoders of sw/model.
  --model builtin|PATH   the embedded default model or a llama2.c checkpoint [builtin]
  --prompt IDS           prompt token ids, comma separated [1]
  --tokens N             tokens to generate after the prompt [32]
  --precision P          float (the float32 golden order), double, or both [both]; with both
                         the float32 decoder is fed the double's tokens, every step's logits
                         are compared, and a different argmax is an error
  --functions pe|libm    float32 special functions: the PE's exact sequences (sw/ref) or the
                         host's libm [pe]
  --dump-logits FILE     write every step's logits as text: pos token precision logits...
  --help                 this text
)";

using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

File open_dump(const std::string& path) {
  File f(std::fopen(path.c_str(), "w"), &std::fclose);
  if (!f) {
    throw std::runtime_error(fmt::format("{}: cannot write the logits dump", path));
  }
  fmt::print(f.get(), "# pos token_in precision logits[0..vocab)\n");
  return f;
}

template <class T>
void dump(std::FILE* f, int pos, int token, const char* precision, std::span<const T> logits) {
  if (f == nullptr) {
    return;
  }
  // fmt writes the shortest form that reads back to the same float or double.
  fmt::print(f, "{} {} {} {}\n", pos, token, precision, fmt::join(logits, " "));
}

int run(int argc, const char* const* argv) {
  const Args args(argc, argv,
                  {"model", "prompt", "tokens", "precision", "functions", "dump-logits"}, {"help"});
  if (args.has("help")) {
    fmt::print("{}", usage);
    return 0;
  }
  const std::string precision = args.get("precision", "both");
  if (precision != "float" && precision != "double" && precision != "both") {
    throw UsageError(fmt::format("--precision must be float, double or both, not '{}'", precision));
  }
  const std::string functions = args.get("functions", "pe");
  if (functions != "pe" && functions != "libm") {
    throw UsageError(fmt::format("--functions must be pe or libm, not '{}'", functions));
  }
  const model::SpecialFunctions& fn =
      functions == "pe" ? model::pe_functions() : model::libm_functions();
  const std::vector<int> prompt =
      wm::sw::tools::parse_token_list(args.get("prompt", "1"), "--prompt");
  const auto n = static_cast<int>(args.get_int("tokens", 32, 1, 1 << 20));
  const std::string spec = args.get("model", model::builtin_model_name);
  const model::Weights w = model::load_model(spec);
  try {
    model::check_decode_request(w.config, prompt, n);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  File dump_file(nullptr, &std::fclose);
  if (args.has("dump-logits")) {
    dump_file = open_dump(args.get("dump-logits", ""));
  }
  std::FILE* df = dump_file.get();

  fmt::print("model: {} ({})\nprompt: {}\n", spec, model::describe(w.config),
             fmt::join(prompt, " "));
  if (precision == "float") {
    model::FloatDecoder d(w, model::sequential_order(), fn);
    const auto tokens = model::greedy_decode(d, prompt, n, [&](int pos, int tok, auto logits) {
      dump(df, pos, tok, "float32", logits);
    });
    fmt::print("float32: {}\n", fmt::join(tokens, " "));
    return 0;
  }
  model::ReferenceDecoder ref(w);
  if (precision == "double") {
    const auto tokens = model::greedy_decode(ref, prompt, n, [&](int pos, int tok, auto logits) {
      dump(df, pos, tok, "double", logits);
    });
    fmt::print("double: {}\n", fmt::join(tokens, " "));
    return 0;
  }
  model::FloatDecoder f32(w, model::sequential_order(), fn);
  double max_diff = 0.0;
  int steps = 0;
  std::optional<int> first_disagreement;
  const auto tokens =
      model::greedy_decode(ref, prompt, n, [&](int pos, int tok, std::span<const double> ld) {
        const auto lf = f32.forward(tok, pos);
        dump(df, pos, tok, "double", ld);
        dump(df, pos, tok, "float32", lf);
        for (std::size_t i = 0; i < ld.size(); ++i) {
          max_diff = std::max(max_diff, std::abs(ld[i] - static_cast<double>(lf[i])));
        }
        ++steps;
        if (pos + 1 >= static_cast<int>(prompt.size()) && !first_disagreement &&
            model::argmax(ld) != model::argmax(lf)) {
          first_disagreement = pos;
        }
      });
  fmt::print("tokens: {}\n", fmt::join(tokens, " "));
  fmt::print("float32 vs double over {} steps: max |logit difference| {:.3g}\n", steps, max_diff);
  if (first_disagreement) {
    fmt::print(stderr, "wm-refdecode: float32 and double choose different tokens at position {}\n",
               *first_disagreement);
    return 1;
  }
  fmt::print("float32 and double choose the same {} tokens\n", tokens.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    fmt::print(stderr, "wm-refdecode: {}\n(see wm-refdecode --help)\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "wm-refdecode: {}\n", e.what());
    return 1;
  }
}
