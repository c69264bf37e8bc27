# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Pieces of scripts/regress: running the ctest suite over seeds, coverage, performance
history, sanitizers and fuzzing, and the report."""
