#!/usr/bin/env python3
# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""GTKWave translate filter files (Data Format > Translate Filter File) from the RTL
packages, so a trace shows DirE instead of 2 and Fmac instead of 04: one file per enum in
rtl/ (a module's own prefixed with its name), one per family of ISA constants (Op*, Alu*, Fpu*,
Sys*, Vop*, Dsd*, Err*) and router_queue.txt (a router input queue index as port/color).
Each line is '<hex value> <name>', the value in the digits GTKWave shows in hex format.

    scripts/waves/gen_filters.py            # rewrite scripts/waves/filters/*.txt
    scripts/waves/gen_filters.py --check    # exit 1 when a committed file is stale
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent / "filters"
ENUM = re.compile(r"typedef\s+enum\s+logic\s*\[(\d+):0\]\s*\{(.*?)\}\s*(\w+)\s*;", re.S)
ITEM = re.compile(r"(\w+)\s*=\s*\d*'([hdb])([0-9a-fA-F_]+)")
CONST = re.compile(r"parameter\s+logic\s*\[(\d+):0\]\s*(\w+)\s*=\s*\d*'([hdb])([0-9a-fA-F_]+)")
FAMILIES = ("Op", "Alu", "Fpu", "Sys", "Vop", "Dsd", "Err")
TILE_COLORS = re.compile(r"parameter\s+int\s+unsigned\s+NumColors\s*=\s*(\d+)")


def _value(base: str, digits: str) -> int:
    return int(digits.replace("_", ""), {"h": 16, "d": 10, "b": 2}[base])


def _lines(width_msb: int, items: list[tuple[str, int]]) -> str:
    digits = (int(width_msb) + 4) // 4
    return "".join(f"{v:0{digits}x} {name}\n" for name, v in items)


def generate() -> dict[str, str]:
    files = {}
    # A module's own enums are traced with their names already (Verilator writes FST enum
    # tables); their files serve a bus that carries such a value without the type.
    for src in sorted((ROOT / "rtl").rglob("*.sv")):
        text = re.sub(r"//[^\n]*", "", src.read_text())
        owner = "" if src.parent.name == "pkg" else src.stem.removeprefix("wm_") + "_"
        for msb, body, name in ENUM.findall(text):
            items = [(n, _value(b, d)) for n, b, d in ITEM.findall(body)]
            files[f"{owner}{name}.txt"] = _lines(int(msb), items)
    for pkg in sorted((ROOT / "rtl" / "pkg").glob("*.sv")):
        text = re.sub(r"//[^\n]*", "", pkg.read_text())
        groups: dict[str, tuple[int, list]] = {}
        for msb, name, b, d in CONST.findall(text):
            fam = next((f for f in FAMILIES if re.match(rf"{f}[A-Z]", name)), None)
            if fam:
                group = groups.setdefault(fam, (int(msb), []))
                if group[0] == int(msb):  # ErrPcCtrl is a pc, not an error code
                    group[1].append((name[len(fam):], _value(b, d)))
        if "Op" in groups and "Vop" in groups:
            # Bits [31:26] of a vector instruction: bit 31 set, its Vop in [30:26].
            groups["Op"][1].extend((f"V.{n}", 0x20 | v) for n, v in groups["Vop"][1])
        for fam, (msb, items) in groups.items():
            files[f"{pkg.stem.removeprefix('wm_').removesuffix('_pkg')}_{fam.lower()}.txt"] = \
                _lines(msb, items)
    files["router_queue.txt"] = _router_queues()
    return files


def _router_queues() -> str:
    """wm_router's input queue index (in_dir * NumColors + color, e.g. a grant's gnt_idx) as
    'W/c3' (input port W, color 3), for wm_tile's default NumColors."""
    text = re.sub(r"//[^\n]*", "", (ROOT / "rtl" / "pkg" / "wm_pkg.sv").read_text())
    enum = next(m for m in ENUM.finditer(text) if m.group(3) == "dir_e")
    dirs = sorted((_value(b, d), n) for n, b, d in ITEM.findall(enum.group(2)))
    colors = int(TILE_COLORS.search((ROOT / "rtl" / "tile" / "wm_tile.sv").read_text()).group(1))
    msb = (len(dirs) * colors - 1).bit_length() - 1
    return _lines(msb, [(f"{name.removeprefix('Dir')}/c{c}", v * colors + c)
                        for v, name in dirs for c in range(colors)])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare with the committed files")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    files = generate()
    if args.check:
        stale = [n for n, t in files.items()
                 if not (args.out / n).exists() or (args.out / n).read_text() != t]
        for n in stale:
            print(f"gen_filters: {args.out / n} is stale; run scripts/waves/gen_filters.py")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for n, t in files.items():
        (args.out / n).write_text(t)
    print(f"gen_filters: {len(files)} filter files in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
