#!/usr/bin/env python3
# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Writes a GTKWave layout (save file) for an FST: GTKWave names vectors with their ranges, so
the names are read from the trace rather than typed (rerun after the RTL's signals change).

    scripts/waves/gen_gtkw.py build/waves/pe.fst > scripts/waves/pe.gtkw
    scripts/waves/gen_gtkw.py --layout tile build/waves/decode_tile_0_0.fst \\
        > scripts/waves/tile.gtkw

    scripts/waves/gen_gtkw.py --layout tile --check scripts/waves/tile.gtkw FST  # exit 1 if stale

--layout pe: tb/pe/test_pe's wm_nonsynth_pe_tb_top. --layout tile: one wm_tile of a wafersim
FST; a save file names the tile's scope (tile_X_Y), so each traced tile needs its own layout
(make_waves writes the second one next to the FST).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass

BIN, HEX, DEC = "@28", "@22", "@24"  # GTKWave trace flags
NAMED = "@2022"  # hex translated by a filter file
DIRS = ["P", "W", "E", "N", "S"]  # wm_pkg::dir_e order
DIR_TITLE = {"P": "ramp to the PE", "W": "west", "E": "east", "N": "north", "S": "south"}
WAVELET = 48  # wm_pkg::WaveletWidth: ctrl | dst_x[5] | dst_y[5] | color[5] | data[32]


# GTKWave 3.3 ignores a filter file on state_q itself; on a vector rebuilt from its bits it works.
STATE_BITS = (2, 0)


@dataclass
class Sig:
    flag: str
    name: str  # below the layout's top scope, without its range
    bits: tuple[int, int] | None = None  # [hi:lo] of the vector shown alone
    alias: str | None = None
    filt: str | None = None  # translate filter file under scripts/waves/filters/


PE_GROUPS = [
    ("Clock and reset", [Sig(BIN, "clk_i"), Sig(BIN, "rst_ni")]),
    ("PE status", [Sig(BIN, "halted_o"), Sig(NAMED, "err_code_o", filt="isa_err"),
                   Sig(HEX, "err_pc_o"), Sig(BIN, "busy_o")]),
    ("Core", [Sig(NAMED, "u_pe.u_core.state_q", STATE_BITS, "core state", "pe_core_state_e"),
              Sig(HEX, "u_pe.u_core.pc_q"), Sig(HEX, "u_pe.u_core.ir_q"),
              Sig(NAMED, "u_pe.u_core.op", filt="isa_op"), Sig(DEC, "u_pe.u_core.task_q")]),
    ("Ramp to the router (port DirP)", [Sig(BIN, "rx_valid_i"), Sig(HEX, "rx_ready_o"),
                                        Sig(HEX, "rx_wavelet_i"), Sig(BIN, "tx_valid_o"),
                                        Sig(HEX, "tx_ready_i"), Sig(HEX, "tx_wavelet_o")]),
    ("SRAM traffic", [Sig(HEX, "rreq"), Sig(HEX, "rgnt"), Sig(HEX, "raddr"), Sig(BIN, "wreq"),
                      Sig(BIN, "wgnt"), Sig(HEX, "waddr"), Sig(HEX, "wdata"),
                      Sig(DEC, "bank_conflicts_o")]),
    ("Activity", [Sig(BIN, f"act_{a}_o") for a in ("task_start", "running")] +
     [Sig(DEC, "act_task_o")] + [Sig(BIN, f"act_{a}_o") for a in ("retire", "elem", "mac")]),
]


def _port(d: str) -> list[Sig]:
    """Port d of the tile's router (P is the ramp to the PE, inside the tile): both links, cut
    per direction and per wavelet field."""
    i = DIRS.index(d)
    w = i * WAVELET
    out = []
    for side, valid, wavelet, credit in (("in", "in_valid_i", "in_wavelet_i", "in_credit_o"),
                                         ("out", "out_valid_o", "out_wavelet_o", "out_credit_i")):
        out += [Sig(BIN, f"u_router.{valid}", (i, i), f"{d} {side} valid"),
                Sig(BIN, f"u_router.{wavelet}", (w + 47, w + 47), f"{d} {side} ctrl"),
                Sig(DEC, f"u_router.{wavelet}", (w + 36, w + 32), f"{d} {side} color"),
                Sig(HEX, f"u_router.{wavelet}", (w + 31, w), f"{d} {side} data"),
                Sig(BIN, f"u_router.{credit}", (8 * i + 7, 8 * i), f"{d} {side} credits c7-c0")]
    # Which input queue (port/color) the output arbiter of this port granted.
    out += [Sig(BIN, "u_router.gnt_valid", (i, i), f"{d} out granted"),
            Sig(NAMED, "u_router.gnt_idx", (6 * i + 5, 6 * i), f"{d} out from", "router_queue")]
    return out


TILE_GROUPS = [
    ("Clock and reset", [Sig(BIN, "clk_i"), Sig(BIN, "rst_ni")]),
    ("PE state", [Sig(NAMED, "u_pe.u_core.state_q", STATE_BITS, "core state", "pe_core_state_e"),
                  Sig(HEX, "u_pe.u_core.pc_q"), Sig(HEX, "u_pe.u_core.ir_q"),
                  Sig(NAMED, "u_pe.u_core.op", filt="isa_op"), Sig(DEC, "u_pe.cur_task"),
                  Sig(BIN, "act_busy_o"), Sig(BIN, "pe_halted_o"),
                  Sig(NAMED, "pe_err_code_o", filt="isa_err"), Sig(HEX, "pe_err_pc_o"),
                  Sig(HEX, "u_pe.eng_busy")]),
    *[(f"Router port {d} ({DIR_TITLE[d]})", _port(d)) for d in DIRS],
    ("Router", [Sig(BIN, "router_err_o", alias="err (link, edge, route, color)"),
                Sig(DEC, "drop_count_o"), Sig(BIN, "u_router.sink_valid"),
                Sig(NAMED, "u_router.sink_cause", filt="router_cause_e")]),
    ("SRAM traffic", [Sig(BIN, "mem_rreq"), Sig(BIN, "mem_rgnt"), Sig(HEX, "mem_raddr"),
                      Sig(HEX, "mem_rdata"), Sig(BIN, "u_sram.rd_bank"),
                      Sig(BIN, "mem_wreq"), Sig(BIN, "mem_wgnt"), Sig(HEX, "mem_waddr"),
                      Sig(HEX, "mem_wdata"), Sig(BIN, "u_sram.bank_req"),
                      Sig(BIN, "sram_err_o")]),
    ("Activity", [Sig(BIN, f"act_{a}_o") for a in ("running", "task_start", "start_data")] +
     [Sig(DEC, "act_task_o"), Sig(BIN, "act_retire_o"), Sig(HEX, "act_pc_o")] +
     [Sig(BIN, f"act_{a}_o") for a in ("elem", "mac", "ramp_rx", "ramp_tx")]),
]


def header(fst: str) -> list[list[str]]:
    """The FST's declarations (fst2vcd's output up to $enddefinitions), split into words."""
    p = subprocess.Popen(["fst2vcd", fst], stdout=subprocess.PIPE, text=True)
    assert p.stdout is not None
    lines = []
    for line in p.stdout:
        if line.startswith("$enddefinitions"):
            break
        lines.append(line.split())
    p.kill()  # the value changes are not needed
    p.wait()
    return lines


def ranged_names(decl: list[list[str]]) -> dict[str, tuple[str, int, int] | tuple[str]]:
    """Full hierarchical name -> (its name with [msb:lsb], msb, lsb), or (name,) for a bit."""
    scope, names = [], {}
    for t in decl:
        if not t:
            continue
        if t[0] == "$scope":
            scope.append(t[2])
        elif t[0] == "$upscope":
            scope.pop()
        elif t[0] == "$var":
            full = ".".join([*scope, t[4]])
            m = re.fullmatch(r"\[(\d+):(\d+)\]", t[5]) if len(t) > 6 else None
            names[full] = (full + t[5], int(m[1]), int(m[2])) if m else (full,)
    return names


def trace_lines(sig: Sig, found: tuple, slots: dict[str, int]) -> list[str]:
    out = []
    if sig.filt:
        slot = slots.setdefault(sig.filt, len(slots) + 1)  # one slot per file
        out.append(f"^{slot} scripts/waves/filters/{sig.filt}.txt")
    out.append(sig.flag)
    if sig.bits is None:
        return out + [(f"+{{{sig.alias}}} " if sig.alias else "") + found[0]]
    if len(found) == 1:
        raise ValueError(f"{found[0]} is one bit; no [{sig.bits[0]}:{sig.bits[1]}] in it")
    name, msb, lsb = found
    hi, lo = sig.bits
    if not lsb <= lo <= hi <= msb:
        raise ValueError(f"[{hi}:{lo}] is outside {name}")
    # GTKWave numbers a vector's bits from the left: (0) is bit msb.
    if hi == lo:
        return out + [f"+{{{sig.alias}}} ({msb - hi}){name}"]
    return out + [f"#{{{sig.alias}}} " + " ".join(f"({msb - b}){name}"
                                                  for b in range(hi, lo - 1, -1))]


def layout(fst: str, kind: str) -> tuple[list[str], list[str]]:
    decl = header(fst)
    names = ranged_names(decl)
    tops = [t[2] for t in decl if t and t[0] == "$scope"]
    if kind == "pe":
        top, groups = "TOP.wm_nonsynth_pe_tb_top", PE_GROUPS
        what = "tb/pe/test_pe (wm_nonsynth_pe_tb_top)"
        opens = ["TOP.", "TOP.wm_nonsynth_pe_tb_top."]
    else:
        tile = next((t for t in tops if re.fullmatch(r"tile_\d+_\d+", t)), None)
        if tile is None:
            raise ValueError(f"{fst} holds no wafersim tile scope (tile_X_Y)")
        top, groups = f"{tile}.wm_tile", TILE_GROUPS
        x, y = tile.split("_")[1:]
        what = f"tile ({x}, {y}) of a wafersim FST (wm_tile)"
        opens = [f"{tile}.", f"{tile}.wm_tile."]
    example = ("build/waves/pe.fst scripts/waves/pe.gtkw" if kind == "pe" else
               "build/waves/decode_tile_0_0.fst scripts/waves/tile.gtkw")
    size, zoom = ("1280 900", "-17") if kind == "pe" else ("1400 1100", "-6")
    out = [f"[*] wafermesh: {what}, written by scripts/waves/gen_gtkw.py --layout {kind}.",
           f"[*] Open from the repository root (filter paths are relative): gtkwave {example}",
           "[timestart] 0", f"[size] {size}", "[pos] -1 -1", f"*{zoom}.000000 0",
           *[f"[treeopen] {o}" for o in opens],
           "[sst_width] 200", "[signals_width] 300", "[sst_expanded] 1",
           "[sst_vpaned_height] 200"]
    missing, slots = [], {}
    for group, sigs in groups:
        out += ["@800200", f"-{group}"]
        for sig in sigs:
            found = names.get(f"{top}.{sig.name}")
            if found is None:
                missing.append(sig.name)
                continue
            out += trace_lines(sig, found, slots)
        out += ["@1000200", f"-{group}"]
    return out + ["[pattern_trace] 1", "[pattern_trace] 0"], missing


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("--layout", choices=("pe", "tile"), default="pe")
    ap.add_argument("--check", metavar="GTKW",
                    help="write nothing; exit 1 when GTKW differs from the layout of FST")
    ap.add_argument("fst")
    args = ap.parse_args()
    try:
        out, missing = layout(args.fst, args.layout)
    except ValueError as e:
        print(f"gen_gtkw: {e}", file=sys.stderr)
        return 1
    if missing:
        print(f"gen_gtkw: not in the trace: {', '.join(missing)}", file=sys.stderr)
        return 1
    text = "\n".join(out) + "\n"
    if args.check:
        with open(args.check) as f:
            if f.read() != text:
                other = " (or the FST holds another tile)" if args.layout == "tile" else ""
                print(f"gen_gtkw: {args.check} is stale{other}; rewrite it: "
                      f"scripts/waves/gen_gtkw.py --layout {args.layout} {args.fst} "
                      f"> {args.check}", file=sys.stderr)
                return 1
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
