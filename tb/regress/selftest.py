#!/usr/bin/env python3
# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""scripts/regress must fail when a design is broken, and say where. Runs it on the
miniature project in selftest/ (a correct wm_fifo and one that loses data) and checks: the
exit status is non-zero; the report and the merged results.xml name the broken test, its
failing case and every seed; the good variant passed every seed; and each printed reproduce
command, run as printed, fails again on the broken variant."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import results_xml  # noqa: E402

SEED_BASE, SEEDS = 700, 2


def fail(msg: str) -> None:
    print(f"regress_selftest: FAIL: {msg}")
    sys.exit(1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, required=True)
    args = ap.parse_args()
    cmd = [sys.executable, str(ROOT / "scripts" / "regress"), "--source", str(HERE / "selftest"),
           "--out", str(args.work), "--seeds", str(SEEDS), "--seed-base", str(SEED_BASE),
           "--no-coverage", "--no-bench", "--no-sanitize", "--no-fuzz", "--jobs", "2"]
    print("regress_selftest: $", " ".join(cmd), flush=True)
    r = subprocess.run(cmd, capture_output=True, text=True)
    print(r.stdout[-3000:], r.stderr[-2000:])
    if r.returncode == 0:
        fail("scripts/regress exited 0 on a broken design")
    if "build" in r.stdout and "FAIL (build)" in r.stdout:
        fail("the miniature project did not build; see the log above")
    report = (args.work / "report.md").read_text()
    seeds = [SEED_BASE + i for i in range(1, SEEDS + 1)]
    suites = results_xml.load([args.work / "results.xml"])
    failed = {(c.name, c.random_seed) for s in suites for c in s.cases
              if c.status == results_xml.FAILED and s.name.endswith("test_fifo_broken")}
    passed_good = [c for s in suites for c in s.cases
                   if s.name.endswith("test_fifo_good") and c.status == results_xml.PASSED]
    bad_good = [c for s in suites for c in s.cases
                if s.name.endswith("test_fifo_good") and c.status == results_xml.FAILED]
    if bad_good:
        fail(f"the correct FIFO failed: {bad_good}")
    if len(passed_good) < SEEDS:
        fail(f"the correct FIFO ran {len(passed_good)} passing cases, expected >= {SEEDS}")
    for seed in seeds:
        if not any(s == str(seed) for _, s in failed):
            fail(f"results.xml has no failure of test_fifo_broken for seed {seed}: {failed}")
        if not re.search(rf"\*\*test_fifo_broken/\w+\*\* \(seed {seed}\)", report):
            fail(f"report.md does not name test_fifo_broken with seed {seed}")
    repro = re.findall(r"^  (cd .*test_fifo_broken)$", report, re.M)
    if len(repro) < SEEDS:
        fail(f"report.md has {len(repro)} reproduce commands, expected >= {SEEDS}")
    for line in repro:
        rr = subprocess.run(["bash", "-c", line], capture_output=True, text=True)
        m = re.search(r"harness: (\d+) passed, (\d+) failed", rr.stdout)
        if rr.returncode == 0 or not m or m.group(1) != "0" or m.group(2) != "1":
            fail(f"the reproduce command did not fail exactly one case: {line}\n{rr.stdout[-800:]}")
    print(f"regress_selftest: ok: exit {r.returncode}, {len(failed)} failing (case, seed) pairs "
          f"named, {len(repro)} reproduce commands each fail again, the correct FIFO passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
