#!/usr/bin/env python3
# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Reads results.xml files in cocotb's layouts, written by real cocotb and by the C++ harness
alike, so "cocotb-compatible" is checked, not claimed. Both layouts are
testsuites/testsuite/testcase(name, classname, time) with an optional <failure>, <error> or
<skipped> child; they differ in where simulated time and the seed live:
  cocotb 1.x: testcase attributes sim_time_ns and ratio_time; <property name="random_seed">
              under the testsuite;
  cocotb 2.x: per-testcase <properties> random_seed, sim_time_unit, sim_time_duration,
              sim_time_ratio (what cocotb 2.1.0, our pin, writes).

    scripts/results_xml.py build/**/results.xml            # table; exit 1 on any failure
    scripts/results_xml.py --merge merged.xml a.xml b.xml  # also write one merged file
    scripts/results_xml.py --json summary.json a.xml       # also write the summary as JSON

Exit status: 0 all passed (skips allowed), 1 some test failed or no test ran, 2 a file is
missing or not in cocotb's layout.
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

PASSED, FAILED, SKIPPED = "PASS", "FAIL", "SKIP"


class ResultsError(Exception):
    """A results file that is missing or not in cocotb's layout."""


@dataclass(frozen=True)
class Case:
    name: str
    classname: str
    status: str  # PASSED, FAILED or SKIPPED
    message: str  # the failure message, empty otherwise
    real_time_s: float
    sim_time_ns: float
    ratio_time: float  # simulated ns per wall-clock second
    random_seed: str | None  # the case's own (2.x) or its suite's (1.x)


@dataclass
class Suite:
    source: str  # the file it came from
    name: str
    random_seed: str | None
    cases: list[Case] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(c.status == status for c in self.cases)


def _float(elem: ET.Element, attr: str, where: str) -> float:
    text = elem.get(attr)
    if text is None:
        return 0.0
    try:
        return float(text)
    except ValueError:
        raise ResultsError(f"{where}: attribute {attr}={text!r} is not a number") from None


_NS_PER_UNIT = {"fs": 1e-6, "ps": 1e-3, "ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9, "sec": 1e9}


def _properties(elem: ET.Element) -> dict[str, str]:
    """The <property> children of elem, direct or inside <properties>."""
    props = [*elem.findall("property"), *elem.findall("properties/property")]
    return {p.get("name", ""): p.get("value", "") for p in props}


def _case(elem: ET.Element, where: str, suite_seed: str | None) -> Case:
    name = elem.get("name")
    if not name:
        raise ResultsError(f"{where}: a <testcase> has no name")
    props = _properties(elem)
    if "sim_time_duration" in props:
        unit = props.get("sim_time_unit", "ns")
        if unit not in _NS_PER_UNIT:
            raise ResultsError(f"{where}: {name}: unknown sim_time_unit {unit!r}")
        try:
            sim_ns = float(props["sim_time_duration"]) * _NS_PER_UNIT[unit]
            ratio = float(props.get("sim_time_ratio", "0")) * _NS_PER_UNIT[unit]
        except ValueError:
            raise ResultsError(f"{where}: {name}: sim_time properties are not numbers") from None
    else:
        sim_ns = _float(elem, "sim_time_ns", where)
        ratio = _float(elem, "ratio_time", where)
    failure = elem.find("failure")
    if failure is None:
        failure = elem.find("error")
    if failure is not None:
        status, message = FAILED, failure.get("message") or (failure.text or "").strip()
    elif elem.find("skipped") is not None:
        status, message = SKIPPED, ""
    else:
        status, message = PASSED, ""
    return Case(name=name, classname=elem.get("classname", ""), status=status,
                message=message, real_time_s=_float(elem, "time", where),
                sim_time_ns=sim_ns, ratio_time=ratio,
                random_seed=props.get("random_seed", suite_seed))


def parse(path: Path | str) -> list[Suite]:
    """The suites of one results.xml file."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise ResultsError(f"{path}: no such file (did the test run at all?)") from None
    except ET.ParseError as e:
        raise ResultsError(f"{path}: not well-formed XML ({e}); the run may have crashed "
                           "before closing it") from None
    if root.tag != "testsuites":
        raise ResultsError(f"{path}: root element is <{root.tag}>, cocotb writes <testsuites>")
    suites = []
    for s in root.findall("testsuite"):
        seed = _properties(s).get("random_seed")
        suite = Suite(source=str(path), name=s.get("name", ""), random_seed=seed)
        suite.cases = [_case(c, str(path), seed) for c in s.findall("testcase")]
        suites.append(suite)
    return suites


def load(paths: list[Path | str]) -> list[Suite]:
    """The suites of every file, in order."""
    return [suite for p in paths for suite in parse(p)]


def totals(suites: list[Suite]) -> dict[str, int]:
    return {"tests": sum(len(s.cases) for s in suites),
            "pass": sum(s.count(PASSED) for s in suites),
            "fail": sum(s.count(FAILED) for s in suites),
            "skip": sum(s.count(SKIPPED) for s in suites)}


def exit_code(suites: list[Suite]) -> int:
    """0 when something ran and nothing failed; 1 otherwise."""
    t = totals(suites)
    return 0 if t["tests"] and not t["fail"] else 1


def summary_table(suites: list[Suite]) -> str:
    """A table in the spirit of cocotb's closing summary, one row per test."""
    rows = [(f"{c.classname}.{c.name}" if c.classname else c.name, c.status,
             f"{c.sim_time_ns:.2f}", f"{c.real_time_s:.2f}", f"{c.ratio_time:.2f}",
             c.random_seed or "-")
            for s in suites for c in s.cases]
    head = ("TEST", "STATUS", "SIM TIME (ns)", "REAL TIME (s)", "RATIO (ns/s)", "SEED")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    line = "*" * (sum(widths) + 3 * len(widths) + 1)

    def fmt(r: tuple[str, ...]) -> str:
        return "** " + " ".join(
            v.ljust(w) if i in (0, 1, 5) else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths))
        ) + " **"

    t = totals(suites)
    out = [line, fmt(head), line, *map(fmt, rows), line,
           f"** TESTS={t['tests']} PASS={t['pass']} FAIL={t['fail']} SKIP={t['skip']}", line]
    out += [f"FAIL {c.classname}.{c.name} ({s.source}, seed {c.random_seed}): {c.message}"
            for s in suites for c in s.cases if c.status == FAILED]
    return "\n".join(out)


def merge(suites: list[Suite]) -> ET.ElementTree:
    """One results file holding every suite, each keeping its source and every case its seed,
    in cocotb 2.x's layout (the one our pinned cocotb writes)."""
    root = ET.Element("testsuites", name="results")
    for s in suites:
        se = ET.SubElement(root, "testsuite", name=s.name, tests=str(len(s.cases)),
                           failures=str(s.count(FAILED)), skipped=str(s.count(SKIPPED)),
                           errors="0")
        for c in s.cases:
            ce = ET.SubElement(se, "testcase", name=c.name, classname=c.classname,
                               time=f"{c.real_time_s:.3f}")
            if c.status == FAILED:
                ET.SubElement(ce, "failure", message=c.message)
            elif c.status == SKIPPED:
                ET.SubElement(ce, "skipped")
            props = ET.SubElement(ce, "properties")
            for key, value in (("source", s.source), ("random_seed", c.random_seed),
                               ("sim_time_unit", "ns"), ("sim_time_duration", c.sim_time_ns),
                               ("sim_time_ratio", c.ratio_time)):
                if value is not None:
                    ET.SubElement(props, "property", name=key, value=str(value))
    ET.indent(root)
    return ET.ElementTree(root)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[6:]))
    ap.add_argument("files", nargs="+", type=Path, help="results.xml files")
    ap.add_argument("--merge", type=Path, help="write all suites into this one file")
    ap.add_argument("--json", type=Path, help="write totals and every case as JSON here")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only failures and totals")
    args = ap.parse_args(argv)
    try:
        suites = load(args.files)
    except ResultsError as e:
        print(f"results_xml: {e}", file=sys.stderr)
        return 2
    table = summary_table(suites)
    if args.quiet:
        table = "\n".join(l for l in table.splitlines() if l.startswith(("** TESTS", "FAIL ")))
    print(table)
    if args.merge:
        merge(suites).write(args.merge, encoding="utf-8", xml_declaration=True)
    if args.json:
        args.json.write_text(json.dumps({"totals": totals(suites),
                                         "suites": [asdict(s) for s in suites]}, indent=2))
    return exit_code(suites)


if __name__ == "__main__":
    sys.exit(main())
