# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""Runs the ctest suite of one build directory over several seeds and turns every outcome into
cocotb-layout results files that scripts/results_xml.py can merge.

ctest's verdict is the authority on a test (it knows WILL_FAIL, timeouts and crashes); a
harness executable's own results.xml adds one case per WM_TEST, with its seed. A test that
writes no results.xml (Boost.Test units, scripts, the CLIs) becomes one case of its own."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import results_xml


@dataclass
class CtestTest:
    name: str
    command: list[str]
    workdir: str
    env: dict[str, str]
    labels: list[str]
    will_fail: bool

    def results_file(self) -> Path | None:
        """Where a harness executable writes its results.xml for this test."""
        if "COCOTB_RESULTS_FILE" in self.env:
            return Path(self.workdir, self.env["COCOTB_RESULTS_FILE"])
        if self.command:
            return Path(self.command[0] + ".results.xml")
        return None

    def reproduce(self, seed: int, case: str | None, build_dir: Path) -> str:
        """One shell line that reruns this test (or one of its cases) with the seed."""
        if case and self.command:
            env = {**self.env, "COCOTB_RANDOM_SEED": str(seed),
                   "COCOTB_TEST_FILTER": f"^{case}$"}
            env.pop("COCOTB_RESULTS_FILE", None)
            assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
            return f"cd {shlex.quote(self.workdir)} && {assigns} {shlex.join(self.command)}"
        return (f"COCOTB_RANDOM_SEED={seed} ctest --test-dir {shlex.quote(str(build_dir))} "
                f"-R {shlex.quote('^' + _regex_escape(self.name) + '$')} --output-on-failure")


def _regex_escape(name: str) -> str:
    return "".join("\\" + c if c in ".^$*+?()[]{}|\\" else c for c in name)


def list_tests(build_dir: Path, ctest_args: list[str]) -> list[CtestTest]:
    out = subprocess.run(["ctest", "--show-only=json-v1", *ctest_args], cwd=build_dir,
                         check=True, capture_output=True, text=True).stdout
    tests = []
    for t in json.loads(out)["tests"]:
        props = {p["name"]: p["value"] for p in t.get("properties", [])}
        env = dict(e.split("=", 1) for e in props.get("ENVIRONMENT", []))
        tests.append(CtestTest(name=t["name"], command=t.get("command", []),
                               workdir=props.get("WORKING_DIRECTORY", str(build_dir)),
                               env=env, labels=list(props.get("LABELS", [])),
                               will_fail=bool(props.get("WILL_FAIL", False))))
    return tests


@dataclass
class Outcome:
    """One test under one seed."""
    test: str
    seed: int
    passed: bool
    message: str
    results_file: Path  # cocotb-layout file holding this outcome's cases
    failed_cases: list[str] = field(default_factory=list)  # harness case names, when known
    harness: bool = False  # wrote a harness results.xml: its stimulus follows the seed


def _ctest_verdicts(junit: Path) -> dict[str, tuple[str, float, str]]:
    """name -> (status, seconds, output tail) from ctest's JUnit file."""
    verdicts = {}
    for tc in ET.parse(junit).getroot().iter("testcase"):
        out = tc.findtext("system-out") or ""
        tail = " | ".join(l.strip() for l in out.strip().splitlines()[-3:])
        verdicts[tc.get("name")] = (tc.get("status", ""), float(tc.get("time", "0")), tail)
    return verdicts


def _single_case_file(path: Path, test: CtestTest, seed: int, passed: bool, seconds: float,
                      message: str) -> None:
    root = ET.Element("testsuites", name="results")
    suite = ET.SubElement(root, "testsuite", name=test.name)
    ET.SubElement(suite, "property", name="random_seed", value=str(seed))
    case = ET.SubElement(suite, "testcase", name=test.name, classname="ctest",
                         time=f"{seconds:.3f}")
    if not passed:
        ET.SubElement(case, "failure", message=message)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def run_seed(build_dir: Path, tests: list[CtestTest], seed: int, out_dir: Path, jobs: int,
             extra_env: dict[str, str], timeout_s: int | None) -> list[Outcome]:
    """Runs the tests once with COCOTB_RANDOM_SEED=seed; every outcome's cases end up in
    out_dir/<test>.xml."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for t in tests:
        f = t.results_file()
        if f and f.exists():
            f.unlink()  # a stale file from an earlier seed must not pass for this one
    junit = out_dir / "ctest-junit.xml"
    regex = "^(" + "|".join(_regex_escape(t.name) for t in tests) + ")$"
    cmd = ["ctest", "-j", str(jobs), "-R", regex, "--output-junit", str(junit)]
    if timeout_s:
        cmd += ["--timeout", str(timeout_s)]
    env = {**os.environ, **extra_env, "COCOTB_RANDOM_SEED": str(seed)}
    with open(out_dir / "ctest.log", "w") as log:
        subprocess.run(cmd, cwd=build_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
    verdicts = _ctest_verdicts(junit)
    outcomes = []
    for t in tests:
        status, seconds, tail = verdicts.get(t.name, ("notrun", 0.0, "ctest did not run it"))
        ctest_ok = status == "run"
        dest = out_dir / f"{t.name}.xml"
        src = t.results_file()
        suites = None
        if src and src.exists() and not t.will_fail:
            try:
                suites = results_xml.parse(src)
            except results_xml.ResultsError:
                suites = None  # a crash mid-write: ctest's verdict below says so
        if suites:
            failed = [c.name for s in suites for c in s.cases if c.status == results_xml.FAILED]
            passed = ctest_ok and not failed
            if passed or failed:
                dest.write_bytes(src.read_bytes())
                msg = "" if passed else f"{len(failed)} case(s) failed"
                outcomes.append(Outcome(t.name, seed, passed, msg, dest, failed, True))
                continue
            # every case passed yet the process failed: a sanitizer report, a crash at exit
            msg = f"the cases passed but ctest says '{status}': {tail}"
            _single_case_file(dest, t, seed, False, seconds, msg)
            outcomes.append(Outcome(t.name, seed, False, msg, dest, harness=True))
            continue
        msg = "" if ctest_ok else f"ctest: {status}: {tail}"
        _single_case_file(dest, t, seed, ctest_ok, seconds, msg)
        outcomes.append(Outcome(t.name, seed, ctest_ok, msg, dest))
    return outcomes


def timed(fn, *args, **kwargs):
    t0 = time.monotonic()
    r = fn(*args, **kwargs)
    return r, time.monotonic() - t0
