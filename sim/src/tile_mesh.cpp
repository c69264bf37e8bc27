// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#include "wm/sim/tile_mesh.hpp"

namespace wm::sim {

template class BasicMesh<Vwm_tile>;

}  // namespace wm::sim
