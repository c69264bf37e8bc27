#!/usr/bin/env python3
# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Build cost of the two builds of one mesh (issue #4 item 7), written to build_times.json.

(B) the simulator's ONE Verilated wm_tile (with FST, as sim/CMakeLists.txt builds it), which
sim/ composes W x H times at run time, so its build does not depend on the mesh size; (A) the
Verilog wm_mesh at W x H Verilated as one model (as tb/mesh/CMakeLists.txt builds it, wm_tile
kept a module by tb/mesh/mesh_model.vlt), whose C++ grows with the tile count.

Each configuration is measured in two steps, each under `nice -n 15 /usr/bin/time -v`:
  verilate  verilator --cc with cmake/wafermesh.cmake's wm_verilated_model flags;
  compile   every generated .cpp compiled one at a time (-j1, so the peak memory and CPU time
            are those of one compiler) with the flags CMake uses for the model library (Release
            -O3, plus OPT_FAST -O2 on the fast files). The Verilator runtime (verilated*.cpp) is
            the same for every model and is measured once, as configuration `runtime`.
Per step: wall seconds, user+sys CPU seconds, peak RSS of the largest process; plus the size
of the generated C++ (files, lines, bytes, largest file). A watchdog samples the process tree
every half second and kills a step beyond --rss-limit-gib, or beyond its CPU cap (compile) or
wall cap (verilate); the step is then recorded as capped with what it reached (files compiled
out of the total, CPU so far), a lower bound. Generated trees are deleted after each
configuration unless --keep.

  sim/bench/measure_builds.py [--quick] [--table] [options] [CONFIG[:verilate] ...]
  CONFIG: runtime | tile | tile_notrace | mesh_WxH   (":verilate" = verilate step only)
  default: runtime tile mesh_4x4 mesh_8x8 mesh_16x16:verilate
  --quick: tile:verilate mesh_4x4:verilate, written to build/bench/build_times_quick.json
  --table: print the markdown table of the existing JSON and exit
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
VERILATOR_INC = pathlib.Path("/usr/share/verilator/include")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

# cmake/wafermesh.cmake: wm_verilated_model's VERILATOR_ARGS, and the compile flags CMake's
# Release build gives the model library's sources (compile_commands.json of build/).
VERILATOR_FLAGS = ["-Wall", "-Wno-fatal", "--x-assign", "fast", "--x-initial", "fast", "-O3"]
CXX_FLAGS = ["-O3", "-DNDEBUG", "-fPIC", "-ffp-contract=off", "-std=c++20"]
OPT_FAST = ["-O2"]
RUNTIME_SOURCES = ["verilated.cpp", "verilated_fst_c.cpp", "verilated_threads.cpp"]


def rtl_args():
    pkgs = [str(ROOT / "rtl/pkg/wm_pkg.sv")] + sorted(
        str(p) for p in (ROOT / "rtl/pkg").glob("*_pkg.sv") if p.name != "wm_pkg.sv")
    svs = list((ROOT / "rtl").rglob("*.sv")) + list((ROOT / "tb").rglob("*.sv"))
    libs = [a for d in sorted({str(p.parent) for p in svs}) for a in ("-y", d)]
    return pkgs, libs


def rtl_commit():
    """Last commit touching the measured sources, '+dirty' if they have local changes."""
    paths = ["rtl", "tb", "lint"]
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "log", "-1", "--format=%h", "--", *paths],
                          capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", *paths],
                           capture_output=True, text=True).stdout.strip()
    return head + ("+dirty" if dirty else "")


def session_usage(sid):
    """(summed RSS bytes, CPU seconds incl. reaped children) of the live processes of sid."""
    rss = cpu = 0
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = pathlib.Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        f = stat[stat.rindex(")") + 2:].split()
        if int(f[3]) != sid:
            continue
        cpu += sum(int(x) for x in f[11:15]) / CLK_TCK
        rss += int(f[21]) * PAGE
    return rss, cpu


def run_measured(cmd, *, cwd=None, cpu_cap=None, wall_cap=None, rss_limit=None):
    """Run cmd under nice and /usr/bin/time -v; stop it at a cap. Returns a result dict."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf, \
            tempfile.TemporaryFile("w+") as err:
        full = ["nice", "-n", "15", "/usr/bin/time", "-v", "-o", tf.name, *cmd]
        t0 = time.monotonic()
        p = subprocess.Popen(full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                             start_new_session=True)
        peak_rss = cpu = 0
        stop = None
        while p.poll() is None:
            rss, cpu_now = session_usage(p.pid)
            peak_rss, cpu = max(peak_rss, rss), max(cpu, cpu_now)
            wall = time.monotonic() - t0
            if rss_limit and rss > rss_limit:
                stop = f"RSS {rss / 2**30:.1f} GiB above the {rss_limit / 2**30:.0f} GiB limit"
            elif cpu_cap is not None and cpu > cpu_cap:
                stop = f"CPU cap {cpu_cap:.0f} s reached"
            elif wall_cap is not None and wall > wall_cap:
                stop = f"wall cap {wall_cap:.0f} s reached"
            if stop:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
                break
            time.sleep(0.5)
        wall = time.monotonic() - t0
        if stop:
            return {"status": "capped", "reason": stop, "wall_s": round(wall, 1),
                    "cpu_s": round(cpu, 1), "peak_rss_mb": round(peak_rss / 2**20, 1)}
        out = tf.read()
        err.seek(0)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:3])}... failed ({p.returncode}):\n"
                               f"{err.read()[-3000:]}")

        def field(name):
            return float(re.search(re.escape(name) + r": ([\d.]+)", out).group(1))
        return {"status": "done", "wall_s": round(wall, 1),
                "cpu_s": round(field("User time (seconds)") + field("System time (seconds)"), 1),
                "peak_rss_mb": round(field("Maximum resident set size (kbytes)") / 1024, 1)}


def make_lists(mdir, prefix):
    """Generated sources by class (fast, slow) from Verilator's V<prefix>_classes.mk."""
    text = (mdir / f"{prefix}_classes.mk").read_text().replace("\\\n", " ")
    lists = {}
    for m in re.finditer(r"^(VM_\w+)\s*\+?=(.*)$", text, re.M):
        lists.setdefault(m[1], []).extend(m[2].split())
    fast = lists.get("VM_CLASSES_FAST", []) + lists.get("VM_SUPPORT_FAST", [])
    slow = lists.get("VM_CLASSES_SLOW", []) + lists.get("VM_SUPPORT_SLOW", [])
    return [(mdir / f"{n}.cpp", True) for n in fast] + [(mdir / f"{n}.cpp", False) for n in slow]


def generated_size(mdir):
    files = list(mdir.glob("*.cpp")) + list(mdir.glob("*.h"))
    lines = {f: f.read_bytes().count(b"\n") for f in files}
    big = max(files, key=lambda f: f.stat().st_size)
    return {"files": len(files), "cpp_files": len(list(mdir.glob("*.cpp"))),
            "lines": sum(lines.values()),
            "cpp_lines": sum(n for f, n in lines.items() if f.suffix == ".cpp"),
            "mb": round(sum(f.stat().st_size for f in files) / 2**20, 1),
            "largest_file": big.name, "largest_file_mb": round(big.stat().st_size / 2**20, 2)}


def compile_sources(sources, mdir, defines, cpu_cap, rss_limit, wall_cap=None):
    """Compile one source at a time; stop once cpu_cap CPU (or wall_cap) seconds are spent."""
    objdir = mdir / "obj"
    objdir.mkdir(exist_ok=True)
    inc = [f"-I{mdir}", f"-I{VERILATOR_INC}", f"-I{VERILATOR_INC / 'vltstd'}"]
    r = {"status": "done", "wall_s": 0.0, "cpu_s": 0.0, "peak_rss_mb": 0.0, "files_done": 0,
         "files_total": len(sources), "lines_done": 0,
         "lines_total": sum(s.read_bytes().count(b"\n") for s, _ in sources), "per_file": []}
    for src, fast in sources:
        left = None if cpu_cap is None else cpu_cap - r["cpu_s"]
        wall_left = None if wall_cap is None else wall_cap - r["wall_s"]
        cmd = ["c++", *defines, *inc, *CXX_FLAGS, *(OPT_FAST if fast else []),
               "-c", str(src), "-o", str(objdir / f"{src.stem}.o")]
        one = run_measured(cmd, cpu_cap=left, wall_cap=wall_left, rss_limit=rss_limit)
        r["wall_s"] = round(r["wall_s"] + one["wall_s"], 1)
        r["cpu_s"] = round(r["cpu_s"] + one["cpu_s"], 1)
        r["peak_rss_mb"] = max(r["peak_rss_mb"], one["peak_rss_mb"])
        lines = src.read_bytes().count(b"\n")
        r["per_file"].append({"file": src.name, "opt": "-O2" if fast else "-O3",
                              "lines": lines, **one})
        if one["status"] != "done":
            why = one["reason"]
            if why.startswith("CPU cap"):
                why = f"CPU cap of {cpu_cap / 60:.0f} min"
            elif why.startswith("wall cap"):
                why = f"wall cap of {wall_cap / 60:.0f} min"
            r["status"], r["reason"] = "capped", f"{why}, in {src.name}"
            break
        r["files_done"] += 1
        r["lines_done"] += lines
        print(f"  [{r['files_done']}/{r['files_total']}] {src.name} {lines} lines: "
              f"{one['cpu_s']} s CPU, {one['peak_rss_mb']} MB", flush=True)
    if r["lines_done"]:
        r["cpu_s_per_kline"] = round(
            sum(f["cpu_s"] for f in r["per_file"] if f["status"] == "done")
            / r["lines_done"] * 1000, 2)
    return r


def measure(name, steps, work, a):
    rss_limit = a.rss_limit_gib * 2**30
    mdir = work / name
    shutil.rmtree(mdir, ignore_errors=True)
    mdir.mkdir(parents=True)
    trace = name == "tile"
    defines = ["-DVM_COVERAGE=0", "-DVM_SC=0", f"-DVM_TRACE={int(trace)}",
               f"-DVM_TRACE_FST={int(trace)}", "-DVM_TRACE_VCD=0"]
    if name == "runtime":
        # The Verilator runtime every model library carries (FST included, as wm_sim's).
        defines[2:4] = ["-DVM_TRACE=1", "-DVM_TRACE_FST=1"]
        sources = [(VERILATOR_INC / s, False) for s in RUNTIME_SOURCES]
        return {"compile": compile_sources(sources, mdir, defines, None, rss_limit)}
    pkgs, libs = rtl_args()
    if name in ("tile", "tile_notrace"):
        top, params, extra = "wm_tile", {}, (["--trace-fst"] if trace else [])
    elif m := re.fullmatch(r"mesh_(\d+)x(\d+)", name):
        top, params = "wm_mesh", {"W": m[1], "H": m[2]}
        extra = [str(ROOT / "tb/mesh/mesh_model.vlt")]
    else:
        sys.exit(f"unknown configuration {name!r}: runtime, tile, tile_notrace or mesh_WxH")
    top_file = next((ROOT / "rtl").rglob(f"{top}.sv"))
    prefix = f"V{name}"
    cmd = ["verilator", "--cc", "--Mdir", str(mdir), "--prefix", prefix, "--top-module", top,
           *extra, *VERILATOR_FLAGS, str(ROOT / "lint/waivers.vlt"), *libs,
           *[f"-G{k}={v}" for k, v in params.items()], *pkgs, str(top_file)]
    r = {"top": top, "params": params, "trace_fst": trace,
         "verilate_cmd": " ".join(cmd).replace(str(ROOT) + "/", "")}
    r["verilate"] = run_measured(cmd, wall_cap=a.verilate_cap_min * 60, rss_limit=rss_limit)
    print(f"  verilate: {r['verilate']}", flush=True)
    if r["verilate"]["status"] != "done":
        return r
    r["generated"] = generated_size(mdir)
    print(f"  generated: {r['generated']}", flush=True)
    if steps == "all":
        cap = a.compile_cap_cpu_min * 60 if a.compile_cap_cpu_min else None
        wall = a.compile_cap_wall_min * 60 if a.compile_cap_wall_min else None
        r["compile"] = compile_sources(make_lists(mdir, prefix), mdir, defines, cap, rss_limit,
                                       wall)
    return r


def extrapolate(results):
    """Compile CPU of verilate-only meshes from the measured per-line rates (label it so)."""
    rates = {n: r["compile"]["cpu_s_per_kline"] for n, r in results.items()
             if n.startswith("mesh_") and "cpu_s_per_kline" in r.get("compile", {})}
    if not rates:
        return
    for n, r in results.items():
        if (n.startswith("mesh_") and "generated" in r
                and r.get("compile", {}).get("status") != "done"):
            lines = r["generated"]["cpp_lines"]
            r["compile_extrapolated"] = {
                "note": "EXTRAPOLATION: generated .cpp lines x CPU s per line measured on " +
                        ", ".join(sorted(rates)),
                "cpu_s_low": round(lines * min(rates.values()) / 1000),
                "cpu_s_high": round(lines * max(rates.values()) / 1000)}


def fmt_s(s):
    return f"{s:.0f} s" if s < 120 else f"{s / 60:.1f} min"


def span(lo, hi):
    return fmt_s(lo) if fmt_s(lo) == fmt_s(hi) else f"{fmt_s(lo)} - {fmt_s(hi)}"


def table(doc):
    res = doc["results"]
    rows = ["| build | verilate wall / CPU / peak RSS | generated C++ | "
            "compile -j1 wall / CPU / peak RSS | total CPU |",
            "|---|---|---|---|---|"]
    order = sorted(res, key=lambda n: (n != "runtime", not n.startswith("tile"),
                                       [int(x) for x in re.findall(r"\d+", n)]))
    for n in order:
        r = res[n]
        cells, total = [], 0.0
        v = r.get("verilate")
        if v:
            cap = f" (stopped: {v['reason']})" if v["status"] != "done" else ""
            cells.append(f"{fmt_s(v['wall_s'])} / {fmt_s(v['cpu_s'])} / "
                         f"{v['peak_rss_mb']:.0f} MB{cap}")
            total += v["cpu_s"]
        else:
            cells.append("-")
        g = r.get("generated")
        cells.append(f"{g['mb']} MB, {g['cpp_lines'] / 1000:.0f} k lines, {g['cpp_files']} .cpp"
                     if g else "-")
        c, x = r.get("compile"), r.get("compile_extrapolated")
        if c and c["status"] == "done":
            cells.append(f"{fmt_s(c['wall_s'])} / {fmt_s(c['cpu_s'])} / "
                         f"{c['peak_rss_mb']:.0f} MB")
            total += c["cpu_s"]
            cells.append(fmt_s(total))
        elif c:
            cells.append(f"**stopped** after {c['files_done']}/{c['files_total']} files, "
                         f"{c['lines_done'] / 1000:.0f}/{c['lines_total'] / 1000:.0f} k lines: "
                         f"{fmt_s(c['wall_s'])} / {fmt_s(c['cpu_s'])} / "
                         f"{c['peak_rss_mb']:.0f} MB ({c['reason']})")
            cells.append(f"> {fmt_s(total + c['cpu_s'])}")
        elif x:
            cells.append(f"not run; *extrapolated* {span(x['cpu_s_low'], x['cpu_s_high'])} "
                         "CPU")
            cells.append(f"*~{span(total + x['cpu_s_low'], total + x['cpu_s_high'])}*")
        else:
            cells += ["not run", f"{fmt_s(total)} (verilate)" if v else "-"]
        label = {"runtime": "Verilator runtime (verilated*.cpp, every model)",
                 "tile": "(B) wm_tile + FST: the simulator's one model, any W x H",
                 "tile_notrace": "(B') wm_tile without tracing"}.get(
                     n, f"(A) wm_mesh {n[5:]}" if n.startswith("mesh_") else n)
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="JSON file (default build/bench/build_times.json, "
                                  "or build_times_quick.json with --quick)")
    ap.add_argument("--workdir", default=str(ROOT / "build/buildtime"))
    ap.add_argument("--compile-cap-cpu-min", type=float, default=45.0,
                    help="stop a compile step after this many CPU minutes (0: no cap)")
    ap.add_argument("--compile-cap-wall-min", type=float, default=0.0,
                    help="also stop a compile step after this many wall minutes (0: no cap)")
    ap.add_argument("--verilate-cap-min", type=float, default=30.0,
                    help="stop a verilate step after this many wall minutes")
    ap.add_argument("--rss-limit-gib", type=float, default=12.0)
    ap.add_argument("--keep", action="store_true", help="keep the generated trees")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--table", action="store_true")
    ap.add_argument("configs", nargs="*")
    a = ap.parse_args()
    quick = ["tile:verilate", "mesh_4x4:verilate"]
    configs = a.configs or (quick if a.quick else
                            ["runtime", "tile", "mesh_4x4", "mesh_8x8", "mesh_16x16:verilate"])
    out = pathlib.Path(a.out or ROOT / "build/bench" /
                       ("build_times_quick.json" if a.quick else "build_times.json"))
    doc = json.loads(out.read_text()) if out.exists() else {"results": {}}
    if a.table:
        print(table(doc))
        return
    doc["machine"] = {
        "cpus": os.cpu_count(), "mem_gib": round(
            os.sysconf("SC_PHYS_PAGES") * PAGE / 2**30, 1),
        "verilator": subprocess.run(["verilator", "--version"], capture_output=True,
                                    text=True).stdout.strip(),
        "cxx": subprocess.run(["c++", "--version"], capture_output=True,
                              text=True).stdout.splitlines()[0],
        "kernel": platform.release()}
    work = pathlib.Path(a.workdir)
    for spec in configs:
        name, _, steps = spec.partition(":")
        steps = steps or "all"
        if steps not in ("all", "verilate"):
            sys.exit(f"unknown step {steps!r} in {spec!r}: use NAME or NAME:verilate")
        print(f"measure_builds {name} ({steps}), load average {os.getloadavg()[0]:.1f}",
              flush=True)
        r = measure(name, steps, work, a)
        r["when_utc"] = datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds")
        r["rtl_commit"] = rtl_commit()
        r["load_avg_1min_at_end"] = round(os.getloadavg()[0], 1)
        doc["results"][name] = r
        extrapolate(doc["results"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(doc, indent=2) + "\n")
        if not a.keep:
            shutil.rmtree(work / name, ignore_errors=True)
    print(table(doc))
    print(f"measure_builds: wrote {out}")
    capped = [f"{n} {s}" for n in (c.partition(":")[0] for c in configs)
              for s in ("verilate", "compile")
              if doc["results"][n].get(s, {}).get("status") == "capped"]
    if a.quick and capped:
        sys.exit(f"measure_builds --quick: stopped at a cap: {', '.join(capped)}")


if __name__ == "__main__":
    main()
