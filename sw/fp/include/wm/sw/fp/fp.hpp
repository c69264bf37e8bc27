// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Every golden FP32 primitive of the machine, for code that uses most of them.

#include "wm/sw/fp/arith.hpp"
#include "wm/sw/fp/bits.hpp"
#include "wm/sw/fp/compare.hpp"
#include "wm/sw/fp/convert.hpp"
