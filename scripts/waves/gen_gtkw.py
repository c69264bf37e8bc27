#!/usr/bin/env python3
# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Writes scripts/waves/pe.gtkw, the GTKWave layout of tb/pe/test_pe's trace, from an FST of
it: GTKWave save files name vectors with their ranges, so the names are read from the trace
rather than typed (rerun after the PE's ports change; make_waves' FST will do).

    scripts/waves/gen_gtkw.py build/waves/pe.fst > scripts/waves/pe.gtkw
"""

from __future__ import annotations

import subprocess
import sys

TOP = "TOP.wm_nonsynth_pe_tb_top."
BIN, HEX, DEC, NAMED = "@28", "@22", "@24", "@2022"  # GTKWave trace flags
GROUPS = [
    ("Clock and reset", [(BIN, "clk_i"), (BIN, "rst_ni")]),
    ("PE status", [(BIN, "halted_o"), (DEC, "err_code_o"), (HEX, "err_pc_o"), (BIN, "busy_o")]),
    ("Core", [(DEC, "u_pe.u_core.state_q"), (HEX, "u_pe.u_core.pc_q"),
              (HEX, "u_pe.u_core.ir_q"), (NAMED + " isa_op", "u_pe.u_core.op"),
              (DEC, "u_pe.u_core.task_q")]),
    ("Ramp to the router (port DirP)", [(BIN, "rx_valid_i"), (HEX, "rx_ready_o"),
                                        (HEX, "rx_wavelet_i"), (BIN, "tx_valid_o"),
                                        (HEX, "tx_ready_i"), (HEX, "tx_wavelet_o")]),
    ("SRAM traffic", [(HEX, "rreq"), (HEX, "rgnt"), (HEX, "raddr"), (BIN, "wreq"), (BIN, "wgnt"),
                      (HEX, "waddr"), (HEX, "wdata"), (DEC, "bank_conflicts_o")]),
    ("Activity", [(BIN, "act_task_start_o"), (BIN, "act_running_o"), (DEC, "act_task_o"),
                  (BIN, "act_retire_o"), (BIN, "act_elem_o"), (BIN, "act_mac_o")]),
]


def ranged_names(fst: str) -> dict[str, str]:
    """Full hierarchical name -> the name with its [msb:lsb], from the FST's header."""
    out = subprocess.run(["fst2vcd", fst], capture_output=True, text=True).stdout
    scope, names = [], {}
    for line in out.splitlines():
        t = line.split()
        if not t:
            continue
        if t[0] == "$enddefinitions":
            break
        if t[0] == "$scope":
            scope.append(t[2])
        elif t[0] == "$upscope":
            scope.pop()
        elif t[0] == "$var":
            full = ".".join([*scope, t[4]])
            names[full] = full + (t[5] if len(t) > 6 and t[5].startswith("[") else "")
    return names


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    names = ranged_names(sys.argv[1])
    out = ["[*] wafermesh: tb/pe/test_pe (wm_nonsynth_pe_tb_top), written by",
           "[*] scripts/waves/gen_gtkw.py. Open from the repository root (filter paths are",
           "[*] relative): gtkwave build/waves/pe.fst scripts/waves/pe.gtkw",
           "[timestart] 0", "[size] 1280 900", "[pos] -1 -1", "*-17.000000 0",
           "[treeopen] TOP.", "[treeopen] TOP.wm_nonsynth_pe_tb_top.",
           "[sst_width] 200", "[signals_width] 300", "[sst_expanded] 1",
           "[sst_vpaned_height] 200"]
    missing, filters = [], {}
    for group, sigs in GROUPS:
        out += ["@800200", f"-{group}"]
        for flag, sig in sigs:
            if TOP + sig not in names:
                missing.append(sig)
                continue
            if " " in flag:
                flag, filt = flag.split()
                slot = filters.setdefault(filt, len(filters) + 1)  # one slot per file
                out.append(f"^{slot} scripts/waves/filters/{filt}.txt")
            out += [flag, names[TOP + sig]]
        out += ["@1000200", f"-{group}"]
    if missing:
        print(f"gen_gtkw: not in the trace: {', '.join(missing)}", file=sys.stderr)
        return 1
    print("\n".join(out + ["[pattern_trace] 1", "[pattern_trace] 0"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
