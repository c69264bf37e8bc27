// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
// wm::sim::Mesh: the composed mesh over wm_sim's one Verilated wm_tile (built with TRACE).
#pragma once

#include <Vwm_tile.h>
#include <Vwm_tile___024root.h>  // BasicMesh's one-eval-per-cycle edge (mesh.hpp)

#include "wm/sim/mesh.hpp"

namespace wm::sim {

using Mesh = BasicMesh<Vwm_tile>;
extern template class BasicMesh<Vwm_tile>;

}  // namespace wm::sim
