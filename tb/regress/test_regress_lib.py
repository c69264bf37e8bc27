# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Unit tests of scripts/regress_lib on hand-made inputs: the performance comparison and its
threshold, the per-module coverage figures, and the report's failure lines."""

import json
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from regress_lib import coverage, perf, report  # noqa: E402


class Perf(unittest.TestCase):
    def entry(self, metrics, mtimes=None):
        return {"metrics": metrics, "mtimes": mtimes or {"router": 1.0}}

    def test_direction_from_name(self):
        self.assertEqual(perf.direction("harness_cycles_per_s"), 1)
        self.assertEqual(perf.direction("saturation_flits_per_cycle"), 1)
        self.assertEqual(perf.direction("bare_ns_per_cycle"), -1)
        self.assertEqual(perf.direction("build_time_s"), -1)
        self.assertEqual(perf.direction("cycles"), 0)

    def test_gated_regression_beyond_threshold_fails(self):
        prev = self.entry({"build_time_s": 100.0, "router:saturation": 0.50})
        cur = self.entry({"build_time_s": 109.0, "router:saturation": 0.44}, {"router": 2.0})
        rows, bad = perf.compare(prev, cur, 10.0)
        self.assertEqual(bad, ["router:saturation"])  # -12%; the build is +9%, inside 10%
        self.assertIn("REGRESSION", [r[4] for r in rows if r[0] == "router:saturation"])

    def test_improvement_and_ungated_noise_pass(self):
        prev = self.entry({"x:harness_cycles_per_s": 100.0, "build_time_s": 100.0})
        cur = self.entry({"x:harness_cycles_per_s": 50.0, "build_time_s": 50.0}, {"x": 2.0})
        rows, bad = perf.compare(prev, cur, 10.0)
        self.assertEqual(bad, [])
        self.assertIn("worse (not gated)", [r[4] for r in rows])

    def test_unchanged_bench_file_is_not_compared(self):
        prev = self.entry({"router:saturation": 0.5})
        cur = self.entry({"router:saturation": 0.1})  # same mtime: the same old measurement
        _, bad = perf.compare(prev, cur, 10.0)
        self.assertEqual(bad, [])

    def test_collect_reads_nested_numbers(self):
        with tempfile.TemporaryDirectory() as d:
            Path(d, "b.json").write_text(json.dumps(
                {"harness_cycles_per_s": 5, "meets": True, "instructions": {"x_per_cycle": 3}}))
            metrics, mtimes = perf.collect(Path(d))
        self.assertEqual(metrics, {"b:harness_cycles_per_s": 5.0,
                                   "b:instructions.x_per_cycle": 3.0})
        self.assertIn("b", mtimes)


def point(page, line, count, hier="TOP.a", kind_comment="block"):
    keys = {"f": "x.sv", "l": str(line), "page": page, "o": kind_comment, "h": hier}
    return "C '" + "".join(f"\x01{k}\x02{v}" for k, v in keys.items()) + f"' {count}"


class Coverage(unittest.TestCase):
    def test_per_module_merges_instances(self):
        lines = ["# SystemC::Coverage-3",
                 point("v_line/wm_fifo", 10, 3, "TOP.a"),
                 point("v_line/wm_fifo", 10, 0, "TOP.b"),  # same point, other instance
                 point("v_line/wm_fifo", 11, 0, "TOP.a"),
                 point("v_toggle/wm_fifo", 12, 1, "TOP.a", "count_q[0]"),
                 point("v_toggle/wm_arb", 5, 0, "TOP.c", "gnt[0]")]
        with tempfile.TemporaryDirectory() as d:
            dat = Path(d, "c.dat")
            dat.write_text("\n".join(lines) + "\n")
            table = coverage.per_module(dat)
        self.assertEqual(table["wm_fifo"]["line"], (1, 2))
        self.assertEqual(table["wm_fifo"]["toggle"], (1, 1))
        self.assertEqual(table["wm_arb"]["toggle"], (0, 1))


class Report(unittest.TestCase):
    def test_failure_and_stage_decide_the_verdict(self):
        r = report.Report("t", [("commit", "abc")])
        r.stages.append(report.Stage("tests", True, 1.0))
        self.assertTrue(r.ok)
        r.failures.append(report.Failure("test_x/case_y", 42, "boom", "cd /b && ./test_x"))
        self.assertFalse(r.ok)
        md = report.markdown(r)
        self.assertIn("**test_x/case_y** (seed 42): boom", md)
        self.assertIn("  cd /b && ./test_x", md)
        self.assertIn("**FAIL**", md)
        self.assertIn("test_x/case_y", report.html_page(r))


if __name__ == "__main__":
    unittest.main()
