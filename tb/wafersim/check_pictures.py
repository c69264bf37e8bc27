#!/usr/bin/env python3
# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Checks a wafersim --report-dir: the timeline is valid trace-event JSON the viewers accept
(one named track per tile, complete events that never overlap on a track), the SVGs parse as XML
with one cell per tile and one arrow per link direction whose printed value is its data, and
index.html links every file. With --synthetic it also checks the exact content written for
tb/wafersim/test_pictures.cpp's 3x2 input."""
import argparse
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
FILES = ["timeline.json", "tile_busy.svg", "tile_mac.svg", "link_load.svg", "index.html"]


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def check_timeline(path):
    with open(path) as f:
        raw = f.read()
    doc = json.loads(raw)
    # What Perfetto's own JSON reader cannot take: \u escapes, arrays inside an event.
    if "\\u" in raw:
        fail("a \\u escape in the timeline")
    if any(isinstance(v, list) for e in doc["traceEvents"] for v in e.values()):
        fail("an array inside an event")
    w, h = (int(v) for v in doc["otherData"]["mesh"].split("x"))
    if doc["otherData"]["time_unit"] != "1 us in this trace = 1 clock cycle":
        fail("the timeline does not state its time unit")
    names, sort = {}, {}
    spans = []
    for e in doc["traceEvents"]:
        if e["pid"] != 1:
            fail(f"event outside the mesh process: {e}")
        if e["ph"] == "M":
            if e["name"] == "thread_name":
                names[e["tid"]] = e["args"]["name"]
            elif e["name"] == "thread_sort_index":
                sort[e["tid"]] = e["args"]["sort_index"]
            elif e["name"] != "process_name":
                fail(f"unexpected metadata {e}")
        elif e["ph"] == "X":
            for k in ("ts", "dur", "tid"):
                if not isinstance(e[k], int) or e[k] < 0:
                    fail(f"{k} is not a cycle count: {e}")
            spans.append(e)
        else:
            fail(f"unexpected event type {e}")
    tiles = {n: t for t, n in names.items() if n.startswith("tile ")}
    want = {f"tile ({x}, {y})" for y in range(h) for x in range(w)}
    if set(tiles) != want:
        fail(f"tracks {sorted(tiles)} are not one per tile of the {w}x{h} mesh")
    if set(sort) != set(names):
        fail("a track has no sort index")
    # Perfetto draws only slices that nest: on each track, a slice starts after the previous one
    # ends or lies inside it; on a tile's track the parts (phases) lie inside a task.
    stack = {}
    for e in sorted(spans, key=lambda e: (e["tid"], e["ts"], -e["dur"])):
        if e["tid"] not in names:
            fail(f"span on an unnamed track: {e}")
        open_ = stack.setdefault(e["tid"], [])
        while open_ and open_[-1]["ts"] + open_[-1]["dur"] <= e["ts"]:
            open_.pop()
        if open_ and e["ts"] + e["dur"] > open_[-1]["ts"] + open_[-1]["dur"]:
            fail(f"spans overlap on track {names[e['tid']]}: {open_[-1]} and {e}")
        tile = names[e["tid"]].startswith("tile ")
        if tile and e["cat"] == "task":
            if open_ or e["name"] != f"task {e['args']['task']}":
                fail(f"a task nested in another or not named by its id: {e}")
        elif tile:
            task = open_[0]["args"]["task"] if len(open_) == 1 else None
            if e["cat"] != "phase" or task != e["args"]["task"]:
                fail(f"a part outside its task: {e}")
        elif e["cat"] != "phase" or open_:
            fail(f"a phase track holds {e}")
        open_.append(e)
    return doc, names, spans, (w, h)


def cells(svg, kind):
    root = ET.parse(svg).getroot()
    out = []
    for g in root.iter(f"{SVG}g"):
        if not g.get("id", "").startswith(f"{kind}-"):
            continue
        text = g.find(f"{SVG}text").text
        value = float(g.get("data-value"))
        if text != f"{value:.3f}":
            fail(f"{svg}: printed {text} for value {value}")
        out.append((g, value))
    legend = [g for g in root.iter(f"{SVG}g") if g.get("id") == "legend"]
    if len(legend) != 1:
        fail(f"{svg}: {len(legend)} colour legends")
    top = float(legend[0].get("data-top"))
    if any(not 0 <= v <= top for _, v in out):
        fail(f"{svg}: a value is outside the colour scale 0..{top}")
    title = "".join(root.find(f"{SVG}text").itertext())
    return out, top, root, title


def check_svgs(d, w, h):
    got = {}
    for name in ("tile_busy.svg", "tile_mac.svg"):
        cs, top, root, _ = cells(os.path.join(d, name), "tile")
        pos = sorted((int(g.get("data-x")), int(g.get("data-y"))) for g, _ in cs)
        if any(g.get("id") != f"tile-{g.get('data-x')}-{g.get('data-y')}" for g, _ in cs):
            fail(f"{name}: a cell's id is not its tile")
        if pos != sorted((x, y) for y in range(h) for x in range(w)):
            fail(f"{name}: cells are not one per tile")
        subtitle = "".join(root.findall(f"{SVG}text")[1].itertext())
        if not re.search(r"cycles \[\d+, \d+\), \d+ cycles", subtitle):
            fail(f"{name}: the subtitle does not give the cycles: {subtitle}")
        got[name] = ({(int(g.get("data-x")), int(g.get("data-y"))): v for g, v in cs}, top)
    cs, top, _, _ = cells(os.path.join(d, "link_load.svg"), "link")
    if len(cs) != 2 * (w - 1) * h + 2 * w * (h - 1) + 1:
        fail(f"link_load.svg: {len(cs)} link arrows for a {w}x{h} mesh")
    got["link_load.svg"] = ({(g.get("data-from"), g.get("data-to")): v for g, v in cs}, top)
    return got


def check_synthetic(names, spans, svgs, d):
    by_track = sorted((names[e["tid"]], e["ts"], e["dur"], e["name"]) for e in spans)
    want = sorted([
        ("phases", 100, 200, "qkv L0"), ("phases (2)", 250, 100, "extra L1"),
        ("phases", 300, 300, "attention L0"), ("phases", 600, 500, "classifier"),
        ("tile (0, 0)", 100, 50, "task 1"), ("tile (0, 0)", 100, 50, "qkv L0"),
        ("tile (0, 0)", 150, 250, "task 2"), ("tile (0, 0)", 150, 100, "qkv L0"),
        ("tile (0, 0)", 250, 50, "extra L1"), ("tile (0, 0)", 300, 100, "attention L0"),
        ("tile (0, 0)", 900, 100, "task 3"), ("tile (0, 0)", 900, 100, "classifier"),
        ("tile (1, 0)", 120, 10, "task 5"), ("tile (1, 0)", 120, 10, "qkv L0"),
        ("tile (1, 0)", 600, 10, "task 6"), ("tile (1, 0)", 600, 10, "classifier"),
        ("tile (2, 0)", 260, 20, "task 4"), ("tile (2, 0)", 260, 20, "extra L1"),
        ("tile (0, 1)", 0, 50, "task 0"),
        ("tile (1, 1)", 500, 200, "task 7"), ("tile (1, 1)", 500, 100, "attention L0"),
        ("tile (1, 1)", 600, 100, "classifier"),
        ("tile (2, 1)", 1050, 50, "task 15"), ("tile (2, 1)", 1050, 50, "classifier"),
        ("tile (2, 1)", 1100, 20, "task 9")])
    if by_track != want:
        fail(f"timeline spans\n{by_track}\nexpected\n{want}")
    tiles = [(x, y) for y in range(2) for x in range(3)]
    busy = dict(zip(tiles, [0.5, 0, 1, 0.25, 0.123, 0.999]))
    mac = dict(zip(tiles, [0.1, 0, 0.2, 0.05, 0.007, 0]))
    # The colour scale tops at 1, 2, 2.5 or 5 times a power of ten: 0.2 for the MACs.
    if svgs["tile_busy.svg"] != (busy, 1) or svgs["tile_mac.svg"] != (mac, 0.2):
        fail(f"tile values {svgs['tile_busy.svg']} {svgs['tile_mac.svg']}")
    link = {("(0, 0)", "host"): 0.005, ("(0, 0)", "(1, 0)"): 0.2, ("(1, 0)", "(0, 0)"): 0.3,
            ("(0, 0)", "(0, 1)"): 0.01, ("(0, 1)", "(0, 0)"): 0.003, ("(1, 0)", "(2, 0)"): 0.001,
            ("(2, 0)", "(1, 0)"): 0.002, ("(1, 0)", "(1, 1)"): 0, ("(1, 1)", "(1, 0)"): 0.006,
            ("(2, 0)", "(2, 1)"): 1, ("(2, 1)", "(2, 0)"): 0.009, ("(0, 1)", "(1, 1)"): 0.004,
            ("(1, 1)", "(0, 1)"): 0.005, ("(1, 1)", "(2, 1)"): 0.007, ("(2, 1)", "(1, 1)"): 0.008}
    if svgs["link_load.svg"] != (link, 1):
        fail(f"link values {svgs['link_load.svg']}")
    _, _, _, title = cells(os.path.join(d, "link_load.svg"), "link")
    if title != "Link load: wavelets per cycle on each link direction":
        fail(f"link title {title}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--synthetic", action="store_true",
                   help="also check the exact content of test_pictures' 3x2 input")
    a = p.parse_args()
    for f in FILES:
        if not os.path.isfile(os.path.join(a.dir, f)):
            fail(f"{f} is missing from {a.dir}")
    _, names, spans, (w, h) = check_timeline(os.path.join(a.dir, "timeline.json"))
    svgs = check_svgs(a.dir, w, h)
    with open(os.path.join(a.dir, "index.html")) as f:
        index = f.read()
    for f in FILES[:-1]:
        if f'href="{f}"' not in index:
            fail(f"index.html does not link {f}")
    if "ui.perfetto.dev" not in index or "1 us on the trace" not in index:
        fail("index.html does not say how to open and read the timeline")
    ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", index))  # well-formed too
    if a.synthetic:
        check_synthetic(names, spans, svgs, a.dir)
    print(f"pictures ok: {w}x{h} mesh, {len(spans)} spans on {len(names)} tracks")


if __name__ == "__main__":
    main()
