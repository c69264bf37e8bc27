# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Performance history: one JSON line per regression run (build time and every figure the
benchmarks wrote under the bench directory), compared with the previous line.

A metric's direction comes from its name: throughputs (*_per_s, *saturation*) must not fall,
costs (*_ns_per_cycle, *_per_cycle, *_s, cycles_per_token) must not rise. A change beyond the
threshold fails the run when the metric is gated (GATED); the others are shown only, because
wall-clock figures on a shared machine move more than any useful threshold. A bench file that
has not been rewritten since the previous run is not compared (it is the same measurement)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

HIGHER = re.compile(r"(_per_s|saturation|throughput)[^/]*$")
LOWER = re.compile(r"(ns_per_cycle|_per_cycle|_wall_s|_cpu_s|build_time_s|cycles_per_token)$")
# Deterministic counts and the figures the issue names. Timings of a shared box are shown
# only, and so is the build time: the tree is built incrementally, so it measures the change.
GATED = re.compile(r"(instructions\.[a-z_]*per_cycle|tile_cycles_per_s|"
                   r"cycles_per_token|saturation)")


def direction(name: str) -> int:
    """+1 higher is better, -1 lower is better, 0 not tracked."""
    if HIGHER.search(name):
        return 1
    if LOWER.search(name):
        return -1
    return 0


def _flatten(obj, prefix: str, out: dict[str, float], depth: int = 0) -> None:
    if isinstance(obj, bool):
        return
    if isinstance(obj, (int, float)):
        out[prefix] = float(obj)
    elif isinstance(obj, dict) and depth < 3:
        for k, v in obj.items():
            _flatten(v, f"{prefix}.{k}" if prefix else k, out, depth + 1)


def collect(bench_dir: Path) -> tuple[dict[str, float], dict[str, float]]:
    """(metrics, mtime per bench file) from every *.json in bench_dir."""
    metrics, mtimes = {}, {}
    for f in sorted(bench_dir.glob("*.json")):
        try:
            data = json.loads(f.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        flat: dict[str, float] = {}
        _flatten(data, "", flat)
        metrics.update({f"{f.stem}:{k}": v for k, v in flat.items() if direction(k)})
        mtimes[f.stem] = f.stat().st_mtime
    return metrics, mtimes


def compare(prev: dict, cur: dict, threshold_pct: float):
    """Rows (metric, previous, current, change %, verdict) and the gated regressions."""
    rows, bad = [], []
    for name, value in sorted(cur["metrics"].items()):
        sense = direction(name.split(":", 1)[-1])
        old = prev.get("metrics", {}).get(name) if prev else None
        src = name.split(":", 1)[0] if ":" in name else None
        fresh = src is None or prev is None or \
            prev.get("mtimes", {}).get(src) != cur["mtimes"].get(src)
        if old is None or old == 0 or not fresh:
            rows.append([name, "-" if old is None else f"{old:g}", f"{value:g}", "-",
                         "new" if old is None else "same measurement"])
            continue
        change = 100 * (value - old) / abs(old)
        worse = -change * sense  # positive: got worse by that many percent
        gated = bool(GATED.search(name))
        verdict = "ok"
        if worse > threshold_pct:
            verdict = "REGRESSION" if gated else "worse (not gated)"
            if gated:
                bad.append(name)
        rows.append([name, f"{old:g}", f"{value:g}", f"{change:+.1f}%", verdict])
    return rows, bad


def stage(args, build_dir: Path, build_s: float | None, rep) -> None:
    from regress_lib.report import Stage
    t0 = time.monotonic()
    history = Path(args.history)
    history.parent.mkdir(parents=True, exist_ok=True)
    metrics, mtimes = collect(Path(args.bench_dir))
    if build_s is not None:
        metrics["build_time_s"] = round(build_s, 1)
    lines = [json.loads(l) for l in history.read_text().splitlines() if l.strip()] \
        if history.exists() else []
    prev = lines[-1] if lines else None
    cur = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "commit": rep.header[0][1], "metrics": metrics, "mtimes": mtimes}
    rows, bad = compare(prev, cur, args.perf_threshold)
    with history.open("a") as f:
        f.write(json.dumps(cur, sort_keys=True) + "\n")
    note = (f"{len(metrics)} metrics from {args.bench_dir} and the build, appended to "
            f"{history} (run {len(lines) + 1}); compared with "
            f"{prev['time'] + ' (' + prev['commit'] + ')' if prev else 'nothing (first run)'}; "
            f"threshold {args.perf_threshold:g}% on gated metrics ({GATED.pattern}).")
    rep.add_table("Performance", ["metric", "previous", "now", "change", "verdict"], rows, note)
    rep.stages.append(Stage("performance", not bad, time.monotonic() - t0,
                            "regressed: " + ", ".join(bad) if bad else
                            f"{len(metrics)} metrics, none gated worse than "
                            f"{args.perf_threshold:g}%"))
