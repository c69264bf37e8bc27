#!/usr/bin/env python3
# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Build cost of the two builds of one mesh (issue #4 item 7), written to mesh_build.json.

For each configuration: Verilator (same flags as cmake/wafermesh.cmake's wm_verilated_model)
then the C++ compile of the model library, timed with /usr/bin/time -v (wall seconds, and the
peak resident memory of the largest single process: verilator_bin or one cc1plus), plus the size
of the generated C++. Configurations:
  tile            wm_tile with FST tracing: the simulator's ONE model, whatever the mesh size
  tile_notrace    wm_tile without tracing (for the "tracing compiled in but off" cost)
  mesh_WxH        the Verilog wm_mesh at W x H (wm_tile kept a module: tb/mesh/mesh_model.vlt)

  sim/bench/measure_builds.py [--out build/bench/mesh_build.json] [--jobs 2] [configs...]
  (default configs: tile mesh_4x4 mesh_8x8 mesh_16x16)
"""
import argparse
import json
import pathlib
import re
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def rtl_args():
    pkgs = [str(ROOT / "rtl/pkg/wm_pkg.sv")] + sorted(
        str(p) for p in (ROOT / "rtl/pkg").glob("*_pkg.sv") if p.name != "wm_pkg.sv")
    dirs = sorted({str(p.parent) for p in list((ROOT / "rtl").rglob("*.sv"))})
    libs = [a for d in dirs for a in ("-y", d)]
    return pkgs, libs


def build(name, top, params, extra, workdir, jobs):
    pkgs, libs = rtl_args()
    top_file = next((ROOT / "rtl").rglob(f"{top}.sv"))
    mdir = workdir / name
    shutil.rmtree(mdir, ignore_errors=True)
    mdir.mkdir(parents=True)
    cmd = ["/usr/bin/time", "-v", "verilator", "--cc", "--build", "-j", str(jobs),
           "--Mdir", str(mdir), "--prefix", f"V{name}", "--top-module", top,
           "-Wall", "-Wno-fatal", "--x-assign", "fast", "--x-initial", "fast", "-O3",
           "-CFLAGS", "-O2", str(ROOT / "lint/waivers.vlt"), *libs, *extra,
           *[f"-G{k}={v}" for k, v in params.items()], *pkgs, str(top_file)]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit(f"{name}: build failed:\n{p.stderr[-3000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    cpp = sum(f.stat().st_size for f in mdir.glob("*.cpp")) + sum(
        f.stat().st_size for f in mdir.glob("*.h"))
    return {"wall_s": round(wall, 1), "peak_rss_mb": round(rss / 1024, 1),
            "generated_cpp_mb": round(cpp / 2**20, 1)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "build/bench/mesh_build.json"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--workdir", default=str(ROOT / "build/bench/mesh_build"))
    ap.add_argument("configs", nargs="*", default=["tile", "mesh_4x4", "mesh_8x8", "mesh_16x16"])
    a = ap.parse_args()
    work = pathlib.Path(a.workdir)
    out = pathlib.Path(a.out)
    results = json.loads(out.read_text()) if out.exists() else {}
    for c in a.configs:
        if c == "tile":
            r = build(c, "wm_tile", {}, ["--trace-fst"], work, a.jobs)
        elif c == "tile_notrace":
            r = build(c, "wm_tile", {}, [], work, a.jobs)
        elif m := re.fullmatch(r"mesh_(\d+)x(\d+)", c):
            r = build(c, "wm_mesh", {"W": m[1], "H": m[2]},
                      [str(ROOT / "tb/mesh/mesh_model.vlt")], work, a.jobs)
        else:
            sys.exit(f"unknown configuration {c!r}: tile, tile_notrace or mesh_WxH")
        r["jobs"] = a.jobs
        results[c] = r
        print(f"mesh_build {c}: {r}", flush=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"mesh_build: wrote {out}")


if __name__ == "__main__":
    main()
