#pragma once
// Greedy decoding over any decoder with llama2.c's forward(token, pos) -> logits.

#include <fmt/format.h>

#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

#include "wm/sw/model/config.hpp"

namespace wm::sw::model {

/// Throws std::out_of_range unless `pos` is a position the decoder can run next: inside
/// seq_len and at most one past the `filled` positions already in the KV cache.
inline void check_position(const Config& c, int pos, int filled) {
  if (pos < 0 || pos >= c.seq_len) {
    throw std::out_of_range(
        fmt::format("position {} is outside 0..{} (seq_len {})", pos, c.seq_len - 1, c.seq_len));
  }
  if (pos > filled) {
    throw std::out_of_range(
        fmt::format("position {} skips ahead: positions 0..{} must run first to fill the KV cache",
                    pos, pos - 1));
  }
}

/// The first index of the largest value, as llama2.c's argmax (so ties go to the lower id).
template <class T>
[[nodiscard]] int argmax(std::span<const T> v) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (v[i] > v[best]) {
      best = i;
    }
  }
  return static_cast<int>(best);
}

/// Throws std::invalid_argument unless the prompt (non-empty, ids in the vocabulary) and
/// `n_new` generated tokens fit in seq_len: prompt.size() + n_new - 1 positions run.
inline void check_decode_request(const Config& c, std::span<const int> prompt, int n_new) {
  if (prompt.empty()) {
    throw std::invalid_argument("the prompt needs at least one token");
  }
  for (std::size_t i = 0; i < prompt.size(); ++i) {
    if (prompt[i] < 0 || prompt[i] >= c.vocab_size) {
      throw std::invalid_argument(fmt::format("prompt token {} is {}, outside the vocabulary 0..{}",
                                              i, prompt[i], c.vocab_size - 1));
    }
  }
  if (n_new < 1) {
    throw std::invalid_argument(fmt::format("cannot generate {} tokens; need at least 1", n_new));
  }
  const auto positions = static_cast<std::int64_t>(prompt.size()) + n_new - 1;
  if (positions > c.seq_len) {
    throw std::invalid_argument(
        fmt::format("{} prompt tokens + {} generated need {} positions, more than seq_len {}",
                    prompt.size(), n_new, positions, c.seq_len));
  }
}

/// Runs the prompt, then feeds back the argmax until `n_new` tokens are generated; returns
/// them. on_step(pos, token_in, logits) sees every forward pass (prompt ones included).
template <class Decoder, class OnStep>
std::vector<int> greedy_decode(Decoder& d, std::span<const int> prompt, int n_new,
                               OnStep&& on_step) {
  check_decode_request(d.config(), prompt, n_new);
  std::vector<int> out;
  out.reserve(static_cast<std::size_t>(n_new));
  int token = prompt[0];
  for (int pos = 0; static_cast<int>(out.size()) < n_new; ++pos) {
    const auto logits = d.forward(token, pos);
    on_step(pos, token, logits);
    if (pos + 1 < static_cast<int>(prompt.size())) {
      token = prompt[static_cast<std::size_t>(pos) + 1];
    } else {
      token = argmax(logits);
      out.push_back(token);
    }
  }
  return out;
}

template <class Decoder>
std::vector<int> greedy_decode(Decoder& d, std::span<const int> prompt, int n_new) {
  return greedy_decode(d, prompt, n_new, [](int, int, const auto&) {});
}

}  // namespace wm::sw::model
