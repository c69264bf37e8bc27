#!/usr/bin/env python3
# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Runs wafersim and checks its exit status, its stderr line, its stdout, and (with
--tokens-expected) its JSON report against its own text output and the run's arithmetic."""
import argparse
import json
import os
import re
import subprocess
import sys


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def check_report(path, out, n_tokens, args, on_time=False):
    with open(path) as f:
        r = json.load(f)
    prompt = [int(t) for t in args[args.index("--prompt") + 1].split(",")]
    positions = len(prompt) + n_tokens - 1
    vocab = int(re.search(r"vocab_size=(\d+)", r["config"]).group(1))
    if len(r["generated"]) != n_tokens:
        fail(f"{len(r['generated'])} generated tokens in the report, expected {n_tokens}")
    m = re.search(r"^generated: (.*)$", out, re.M)
    if not m or [int(t) for t in m.group(1).split()] != r["generated"]:
        fail("the report's generated ids differ from the text output")
    if r["logits_checked"] != positions * vocab or not r["bit_exact"]:
        fail(f"{r['logits_checked']} logits checked, expected {positions} x {vocab}")
    toks = r["tokens"]
    if len(toks) != positions:
        fail(f"{len(toks)} token records, expected {positions}")
    prev_exit = r["setup"]["cycles"]
    for i, t in enumerate(toks):
        if t["pos"] != i or not prev_exit <= t["entry_cycle"] < t["exit_cycle"]:
            fail(f"token {i}: cycles out of order: {t}")
        if t["latency"] != t["exit_cycle"] - t["entry_cycle"] or t["predicted"] <= 0:
            fail(f"token {i}: latency or prediction wrong: {t}")
        if not 0 < t["bound"] <= t["latency"]:
            fail(f"token {i}: the lower bound {t['bound']} is not below its latency")
        if i >= len(prompt) - 1 and t["output"] != r["generated"][i - len(prompt) + 1]:
            fail(f"token {i}: output {t['output']} is not the generated id")
        if i + 1 < len(toks):
            want_in = prompt[i + 1] if i + 1 < len(prompt) else t["output"]
            if toks[i + 1]["input"] != want_in:
                fail(f"token {i + 1} was fed {toks[i + 1]['input']}, expected {want_in}")
        prev_exit = t["exit_cycle"]
    span = toks[-1]["exit_cycle"] - toks[0]["entry_cycle"]
    if abs(r["cycles_per_token"] - span / positions) > 1e-2:
        fail("cycles_per_token is not the span over the tokens")
    for k in ("busy", "mac", "link"):
        u = r["utilisation"][k]
        if not 0 <= u["mean"] <= u["max"] <= 1:
            fail(f"utilisation {k} out of range: {u}")
    if r["utilisation"]["mac"]["max"] <= 0:
        fail("no multiply-add was counted")
    phases = r["phases"]
    if not phases or r["bound"]["measured_over_bound"] < 1:
        fail(f"no bound in the report, or the run beat it: {r['bound']}")
    for i, t in enumerate(toks):
        if sum(p["bound"] for p in phases) > t["latency"] and i + 1 == len(toks):
            fail(f"token {i}: the phases' bounds add up past its latency")
        if len(t["phases"]) != len(phases) or sum(t["phases"]) != t["latency"]:
            fail(f"token {i}: its {len(t['phases'])} measured phases do not add up to its "
                 f"latency {t['latency']}: {t['phases']}")
    if [p["measured_last_token"] for p in phases] != toks[-1]["phases"]:
        fail("the phase table is not the last token's")
    for p in phases:
        if p["measured_last_token"] < p["bound"]:
            fail(f"phase {p['name']} L{p['layer']} ran in {p['measured_last_token']} cycles, "
                 f"below its lower bound {p['bound']}")
    tol = r["timing_check"]
    flagged = {(d["pos"], d["phase"]) for d in tol["deviations"]}
    for i, t in enumerate(toks):
        for p, took in zip(phases, t["phases"]):
            name = p["name"] if p["layer"] < 0 else f"{p['name']} L{p['layer']}"
            if (i, name) in flagged:
                continue
            if i + 1 == len(toks):
                want = p["predicted_compute"] + p["predicted_network"]
                if abs(took - want) > tol["tolerance_ratio"] * want + tol["tolerance_cycles"]:
                    fail(f"token {i} {name}: {took} vs {want} is outside the tolerance and "
                         "not reported")
    for d in tol["deviations"]:
        if "critical tile (" not in d["where"]:
            fail(f"a deviation does not name its tile: {d}")
    if on_time and tol["deviations"]:
        d = tol["deviations"][0]
        fail(f"{len(tol['deviations'])} phases outside the prediction, first pos {d['pos']} "
             f"{d['phase']}: predicted {d['predicted']}, measured {d['measured']}; {d['where']}")
    print(f"report ok: {positions} tokens, {r['cycles_per_token']:.1f} cycles/token, "
          f"measured/bound {r['bound']['measured_over_bound']:.3f}")


def check_fst(path, tile, out):
    """`path` is an FST holding tile `tile` ("X_Y") alone, and the run printed it."""
    if not os.path.isfile(path):
        fail(f"{path} was not written")
    with open(path, "rb") as f:
        if f.read(1) != b"\x00":  # an FST file opens with its header block (type 0)
            fail(f"{path} is not an FST file")
    x, y = tile.split("_")
    if not re.search(rf"^waves: {re.escape(path)} \(tile \({x}, {y}\)\)$", out, re.M):
        fail(f"the run did not print 'waves: {path} (tile ({x}, {y}))'")
    vcd = subprocess.run(["fst2vcd", path], capture_output=True, text=True, check=True).stdout
    header = vcd[:vcd.index("$enddefinitions")]
    tops = set(re.findall(r"^\$scope module (tile_\w+) \$end", header, re.M))
    if tops != {f"tile_{tile}"}:
        fail(f"{path} holds {sorted(tops)}, expected tile_{tile} alone")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("wafersim")
    p.add_argument("--status", type=int, default=0)
    p.add_argument("--stderr-line", help="regex the single stderr line must match")
    p.add_argument("--stdout", help="regex stdout must match")
    p.add_argument("--tokens-expected", type=int)
    p.add_argument("--on-time", action="store_true",
                   help="every phase of every token within the prediction's tolerance")
    p.add_argument("--fst", action="append", default=[], metavar="PATH[:X_Y]",
                   help="an FST the run must write (removed first) and the tile whose "
                        "wm_tile it must hold [0_0]; repeatable")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    a = p.parse_args(argv[:split])
    args = argv[split + 1:]
    fsts = [(f.rsplit(":", 1) + ["0_0"])[:2] for f in a.fst]
    for path, _ in fsts:
        if os.path.exists(path):
            os.remove(path)
    r = subprocess.run([a.wafersim, *args], capture_output=True, text=True, timeout=3600)
    sys.stdout.write(r.stdout)
    sys.stdout.write(r.stderr)
    if r.returncode != a.status:
        fail(f"exit status {r.returncode}, expected {a.status}")
    if a.stderr_line is not None:
        lines = r.stderr.splitlines()
        if len(lines) != 1 or not re.search(a.stderr_line, lines[0]):
            fail(f"stderr should be one line matching '{a.stderr_line}'")
    elif r.stderr:
        fail("unexpected stderr output")
    if a.stdout is not None and not re.search(a.stdout, r.stdout, re.M):
        fail(f"stdout does not match '{a.stdout}'")
    for path, tile in fsts:
        check_fst(path, tile, r.stdout)
    if fsts and os.path.exists(args[args.index("--waves") + 1] + ".tiles"):
        fail("the per-tile wave folder was left behind")
    if a.tokens_expected is not None:
        check_report(args[args.index("--report") + 1], r.stdout, a.tokens_expected, args,
                     a.on_time)


if __name__ == "__main__":
    main()
