# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Verilator line and toggle coverage: the instrumented build (verilator_cov beside this file
stands in for verilator_bin), the raw per-test coverage files merged with verilator_coverage,
and a per-module table. A point counts as covered when any instance of its module hit it, so
a module's figure does not depend on how many times a design instantiates it."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections import defaultdict
from pathlib import Path

WRAPPER = Path(__file__).resolve().parent / "verilator_cov"
WRITER = "wm_nonsynth_cov_writer"  # the module verilator_cov binds into every top


def raw_dir(out: Path) -> Path:
    return out / "coverage" / "raw"


def reset(out: Path) -> None:
    shutil.rmtree(out / "coverage", ignore_errors=True)
    raw_dir(out).mkdir(parents=True)


_POINT = re.compile(r"^C '(.*)' (\d+)$")


def per_module(dat: Path) -> dict[str, dict[str, tuple[int, int]]]:
    """module -> kind ("line", "toggle") -> (covered, total) from a coverage.dat."""
    hits: dict[tuple[str, str], dict[tuple, bool]] = defaultdict(dict)
    for line in dat.read_text(errors="replace").splitlines():
        m = _POINT.match(line)
        if not m:
            continue
        fields = dict(kv.split("\x02", 1) for kv in m.group(1).split("\x01") if "\x02" in kv)
        page = fields.get("page", "")
        if "/" not in page:
            continue
        kind, module = page.split("/", 1)
        kind = kind.removeprefix("v_")
        if kind in ("branch", "expr"):
            kind = "line"  # Verilator files if/case arms under the line metric
        key = tuple(sorted((k, v) for k, v in fields.items() if k != "h"))
        pts = hits[(module, kind)]
        pts[key] = pts.get(key, False) or int(m.group(2)) > 0
    table: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for (module, kind), pts in hits.items():
        table[module][kind] = (sum(pts.values()), len(pts))
    return table


def stage(out: Path, rep) -> None:
    from regress_lib.report import Stage
    t0 = time.monotonic()
    raws = sorted(raw_dir(out).glob("*.dat"))
    merged = out / "coverage" / "coverage.dat"
    if not raws:
        rep.stages.append(Stage("coverage", False, 0, f"no coverage files in {raw_dir(out)}: "
                                "was the build configured with the verilator_cov wrapper?"))
        return
    r = subprocess.run(["verilator_coverage", "--write", str(merged), *map(str, raws)],
                       capture_output=True, text=True)
    if r.returncode:
        rep.stages.append(Stage("coverage", False, time.monotonic() - t0,
                                f"verilator_coverage failed: {r.stderr.strip()[:300]}"))
        return
    annotate = out / "coverage" / "annotated"
    subprocess.run(["verilator_coverage", "--annotate", str(annotate), str(merged)],
                   capture_output=True)
    table = per_module(merged)
    table.pop(WRITER, None)  # the bound coverage writer is the instrument, not the design

    def pct(c: tuple[int, int] | None) -> str:
        return f"{100 * c[0] / c[1]:.1f}% ({c[0]}/{c[1]})" if c and c[1] else "-"
    rows = [[m, pct(k.get("line")), pct(k.get("toggle"))] for m, k in sorted(table.items())]
    rep.add_table("Coverage", ["module", "line", "toggle"], rows,
                  f"{len(raws)} coverage files (one per test run) merged into {merged}; "
                  f"annotated sources in {annotate}. Modules whose names start with "
                  "wm_nonsynth_ are testbench-only.")
    rep.stages.append(Stage("coverage", True, time.monotonic() - t0,
                            f"{len(table)} modules from {len(raws)} runs"))
