// Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Everything a test needs: `#include <wm/harness/harness.hpp>` then `using namespace
// wm::harness;`. See tb/harness/README.md.

#include "wm/harness/clock.hpp"
#include "wm/harness/context.hpp"
#include "wm/harness/errors.hpp"
#include "wm/harness/log.hpp"
#include "wm/harness/scheduler.hpp"
#include "wm/harness/sync.hpp"
#include "wm/harness/task.hpp"
#include "wm/harness/test.hpp"
#include "wm/harness/time.hpp"
#include "wm/harness/triggers.hpp"
