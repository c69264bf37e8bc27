// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// The standard NoC traffic patterns: which tile a source sends to. (Broadcast is not here: it
// is a static multicast route, set up by the test.)
#pragma once

#include <random>
#include <string_view>

namespace wm::tb::router {

enum class Pattern { Uniform, Transpose, BitComplement, Hotspot, Neighbour };

std::string_view name(Pattern p);

// Destination tile for a wavelet from `src` on a width x height mesh.
unsigned destination(Pattern p, unsigned src, unsigned width, unsigned height,
                     std::mt19937_64& rng);

}  // namespace wm::tb::router
