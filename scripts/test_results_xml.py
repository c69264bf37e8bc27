# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Tests of scripts/results_xml.py: hand-made files in both cocotb layouts (passing, failing,
erroring, skipped, broken) and the real files named in WM_REAL_RESULTS_XML (os.pathsep
separated; ctest passes the ones cocotb and the C++ harness wrote)."""

import contextlib
import io
import json
import os
import tempfile
import unittest
from pathlib import Path

import results_xml as rx

# cocotb 1.x: sim time as testcase attributes, the seed as a suite property.
COCOTB_1X = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="results">
  <testsuite name="all" package="all">
    <property name="random_seed" value="1234" />
    <testcase name="fills" classname="test_fifo" file="t.py" lineno="3" time="0.5"
              sim_time_ns="1000.0" ratio_time="2000.0" />
    <testcase name="drops_a_word" classname="test_fifo" time="0.25" sim_time_ns="50"
              ratio_time="200">
      <failure message="rdata_o 0x1, expected 0x2" />
    </testcase>
    <testcase name="later" classname="test_fifo" time="0" sim_time_ns="0" ratio_time="0">
      <skipped />
    </testcase>
  </testsuite>
</testsuites>
"""

# cocotb 2.x (what cocotb 2.1.0 writes): everything per testcase in <properties>.
COCOTB_2X = """<?xml version='1.0' encoding='utf-8'?>
<testsuites name="cocotb tests"><testsuite name="test_arb" errors="1" failures="0"
 skipped="0" tests="3" time="1.0"><testcase classname="test_arb" name="grants" time="0.750">
<properties><property name="cocotb" value="True" /><property name="random_seed" value="77" />
<property name="sim_time_unit" value="us" /><property name="sim_time_duration" value="2.5" />
<property name="sim_time_ratio" value="3.0" /></properties></testcase>
<testcase classname="test_arb" name="crashes" time="0.100"><error message="ValueError: x" />
<properties><property name="random_seed" value="77" /><property name="sim_time_unit"
 value="ns" /><property name="sim_time_duration" value="10" /></properties></testcase>
<testcase classname="test_arb" name="passes_too" time="0.100"><properties><property
 name="random_seed" value="77" /><property name="sim_time_unit" value="ps" /><property
 name="sim_time_duration" value="4000" /><property name="sim_time_ratio" value="8000" />
</properties></testcase></testsuite></testsuites>
"""

ALL_PASS = """<testsuites><testsuite name="s"><testcase name="a" classname="m" time="1"
 sim_time_ns="10" ratio_time="10" /></testsuite></testsuites>"""
EMPTY = "<testsuites><testsuite name='s' /></testsuites>"


class ResultsXmlTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name: str, text: str) -> Path:
        path = Path(self.tmp.name) / name
        path.write_text(text)
        return path

    def cli(self, *args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = rx.main([*args])
        return code, out.getvalue(), err.getvalue()

    def test_cocotb_1x_layout(self) -> None:
        (suite,) = rx.parse(self.write("r.xml", COCOTB_1X))
        self.assertEqual(suite.random_seed, "1234")
        fills, drops, later = suite.cases
        self.assertEqual((fills.status, fills.sim_time_ns, fills.ratio_time), (rx.PASSED, 1000, 2000))
        self.assertEqual(fills.random_seed, "1234")
        self.assertEqual(drops.status, rx.FAILED)
        self.assertEqual(drops.message, "rdata_o 0x1, expected 0x2")
        self.assertEqual(later.status, rx.SKIPPED)
        self.assertEqual(rx.totals([suite]), {"tests": 3, "pass": 1, "fail": 1, "skip": 1})

    def test_cocotb_2x_layout_converts_units_and_counts_errors_as_failures(self) -> None:
        (suite,) = rx.parse(self.write("r.xml", COCOTB_2X))
        grants, crashes, passes_too = suite.cases
        self.assertEqual((grants.sim_time_ns, grants.ratio_time), (2500.0, 3000.0))
        self.assertEqual(grants.random_seed, "77")
        self.assertEqual((crashes.status, crashes.message), (rx.FAILED, "ValueError: x"))
        self.assertEqual((passes_too.sim_time_ns, passes_too.ratio_time), (4.0, 8.0))
        self.assertEqual(rx.exit_code([suite]), 1)

    def test_exit_codes(self) -> None:
        self.assertEqual(self.cli(str(self.write("ok.xml", ALL_PASS)))[0], 0)
        code, out, _ = self.cli(str(self.write("bad.xml", COCOTB_1X)))
        self.assertEqual(code, 1)
        self.assertIn("FAIL test_fifo.drops_a_word", out)
        self.assertIn("seed 1234", out)
        self.assertEqual(self.cli(str(self.write("empty.xml", EMPTY)))[0], 1, "no test ran")
        # A skip alone is not a failure.
        skip_only = COCOTB_1X.replace('<failure message="rdata_o 0x1, expected 0x2" />', "")
        self.assertEqual(self.cli(str(self.write("skip.xml", skip_only)))[0], 0)

    def test_broken_files_exit_2_with_the_reason(self) -> None:
        code, _, err = self.cli(str(Path(self.tmp.name) / "missing.xml"))
        self.assertEqual(code, 2)
        self.assertIn("no such file", err)
        code, _, err = self.cli(str(self.write("cut.xml", COCOTB_1X[:200])))
        self.assertEqual(code, 2)
        self.assertIn("not well-formed", err)
        code, _, err = self.cli(str(self.write("junit.xml", "<testsuite name='x' />")))
        self.assertEqual(code, 2)
        self.assertIn("<testsuites>", err)
        bad_unit = COCOTB_2X.replace('value="us"', 'value="parsec"')
        self.assertEqual(self.cli(str(self.write("unit.xml", bad_unit)))[0], 2)

    def test_merge_keeps_every_case_status_seed_and_time(self) -> None:
        a, b = self.write("a.xml", COCOTB_1X), self.write("b.xml", COCOTB_2X)
        merged = Path(self.tmp.name) / "merged.xml"
        summary = Path(self.tmp.name) / "summary.json"
        code, out, _ = self.cli("--merge", str(merged), "--json", str(summary), str(a), str(b))
        self.assertEqual(code, 1)
        self.assertIn("TESTS=6 PASS=3 FAIL=2 SKIP=1", out)
        before = [c for s in rx.load([a, b]) for c in s.cases]
        after = [c for s in rx.parse(merged) for c in s.cases]
        self.assertEqual(before, after)
        self.assertEqual(json.loads(summary.read_text())["totals"],
                         {"tests": 6, "pass": 3, "fail": 2, "skip": 1})

    def test_real_files(self) -> None:
        paths = [p for p in os.environ.get("WM_REAL_RESULTS_XML", "").split(os.pathsep) if p]
        if not paths:
            self.skipTest("WM_REAL_RESULTS_XML not set (ctest sets it)")
        for path in paths:
            with self.subTest(path=path):
                suites = rx.parse(path)  # raises, so fails, if the file is missing
                cases = [c for s in suites for c in s.cases]
                self.assertTrue(cases, f"{path} holds no testcase")
                for c in cases:
                    self.assertTrue(c.random_seed, f"{path}: {c.name} has no random_seed")
                    self.assertTrue(c.classname, f"{path}: {c.name} has no classname")
                self.assertTrue(any(c.sim_time_ns > 0 and c.ratio_time > 0 for c in cases),
                                f"{path}: no test reports simulated time")
                self.assertEqual(rx.exit_code(suites), 0, rx.summary_table(suites))


if __name__ == "__main__":
    unittest.main()
