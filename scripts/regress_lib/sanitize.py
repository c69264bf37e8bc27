# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""The nightly's sanitizer and fuzzing stages.

ASan + UBSan: a build tree of its own (OUT/asan) with every C++ file instrumented, the
Verilated models included; it runs the tests matched by --sanitize-tests (the harness, sw,
model, mapper and small-RTL tests: the big meshes would take the night under ASan). Any
report fails the test, because halt_on_error turns it into a non-zero exit.

libFuzzer: a clang build tree (OUT/fuzz/build, -DWM_FUZZ=ON) of tb/fuzz/project: sw/ and
tb/fuzz's targets only, each run for
--fuzz-seconds on a corpus kept under OUT/fuzz/corpus (so it grows night after night), seeded
with the project's generated inputs. A crash, leak, timeout or sanitizer report leaves the
input in OUT/fuzz/artifacts and fails the stage."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
from pathlib import Path

from regress_lib import suite
from regress_lib.report import Failure, Stage

DEFAULT_TESTS = (r"^(sw_|model\.|mapper$|test_sw_fp$|test_secded$|test_fifo_d|test_rr_arb_n|"
                 r"test_credit_cnt$|test_harness_|fuzz_corpus_|test_pe$|test_fabric_(1x1|2x3)$|"
                 r"test_wafersim_|wafersim_(usage_|error_|help$|small_model$|decode_3x2_gqa$))")
# Alignment is recoverable only so that ubsan.supp can waive Verilator's runtime, which
# stores unaligned on purpose; halt_on_error still stops at any other alignment report.
SAN_FLAGS = ("-fsanitize=address,undefined -fno-sanitize-recover=undefined "
             "-fsanitize-recover=alignment -fno-omit-frame-pointer")
UBSAN_SUPPRESSIONS = Path(__file__).resolve().parent / "ubsan.supp"
SAN_ENV = {"ASAN_OPTIONS": "detect_leaks=1:halt_on_error=1:abort_on_error=0",
           "UBSAN_OPTIONS": f"print_stacktrace=1:halt_on_error=1:suppressions={UBSAN_SUPPRESSIONS}"}
FUZZ_TARGETS = {"fuzz_checkpoint": "checkpoint", "fuzz_asm": None}  # None: the .s library


def _run_logged(cmds: list[list[str]], log: Path, env=None) -> bool:
    with open(log, "w") as f:
        for cmd in cmds:
            f.write("$ " + shlex.join(cmd) + "\n")
            f.flush()
            if subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, env=env).returncode:
                return False
    return True


def targets_for(build_dir: Path, names: set[str]) -> list[str]:
    """The build targets whose executables the named tests run (read from CTestTestfile.cmake,
    which names them even before they are built)."""
    known = set()
    out = subprocess.run(["ninja", "-C", str(build_dir), "-t", "targets", "all"],
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        known.add(line.split(":", 1)[0].rsplit("/", 1)[-1])
    wanted = set()
    for f in build_dir.rglob("CTestTestfile.cmake"):
        for m in re.finditer(r"add_test\(\[=\[(.*?)\]=\]\s+(.*)\)", f.read_text()):
            if m.group(1) in names:
                for arg in re.findall(r'"([^"]*)"', m.group(2)):
                    base = re.split(r"[=/]", arg)[-1]
                    if base in known and base:
                        wanted.add(base)
    return sorted(wanted)


def sanitizer_stage(args, rep) -> None:
    t0 = time.monotonic()
    bdir = args.out / "asan"
    log = args.out / "asan-build.log"
    cfg = ["cmake", "-S", str(args.source), "-B", str(bdir), "-G", "Ninja",
           "-DCMAKE_BUILD_TYPE=RelWithDebInfo", f"-DCMAKE_CXX_FLAGS={SAN_FLAGS}",
           f"-DCMAKE_EXE_LINKER_FLAGS={SAN_FLAGS}"]
    if not _run_logged([cfg], log):
        rep.stages.append(Stage("asan+ubsan", False, time.monotonic() - t0, f"configure: {log}"))
        return
    tests = suite.list_tests(bdir, ["-LE", "bench|regress", "-R", args.sanitize_tests])
    targets = targets_for(bdir, {t.name for t in tests})
    build = ["cmake", "--build", str(bdir), "-j", str(args.jobs), "--target", *targets]
    with open(log, "a") as f:
        f.write("$ " + shlex.join(build) + "\n")
        f.flush()
        ok = subprocess.run(build, stdout=f, stderr=subprocess.STDOUT).returncode == 0
    if not ok or not tests:
        rep.stages.append(Stage("asan+ubsan", False, time.monotonic() - t0,
                                f"build failed: {log}" if not ok else "no test selected"))
        return
    seed = args.seed_base + 1
    outcomes = suite.run_seed(bdir, tests, seed, args.out / "asan-results", args.jobs,
                              SAN_ENV, args.timeout)
    bad = [o for o in outcomes if not o.passed]
    by_name = {t.name: t for t in tests}
    for o in bad:
        for case in o.failed_cases or [None]:
            rep.failures.append(Failure(f"asan+ubsan: {o.test}" + (f"/{case}" if case else ""),
                                        o.seed, o.message,
                                        by_name[o.test].reproduce(o.seed, case, bdir)))
    rep.stages.append(Stage("asan+ubsan", not bad, time.monotonic() - t0,
                            f"{len(tests)} tests under {SAN_FLAGS.split()[0]}, "
                            f"{len(bad)} failed; logs in {args.out / 'asan-results'}"))


def fuzz_stage(args, rep) -> None:
    t0 = time.monotonic()
    bdir = args.out / "fuzz" / "build"
    log = args.out / "fuzz" / "build.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    flags = "-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -g"
    env = {**os.environ, "CC": "clang", "CXX": "clang++"}
    cfg = ["cmake", "-S", str(args.source / "tb" / "fuzz" / "project"), "-B", str(bdir),
           "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release", "-DWM_FUZZ=ON",
           f"-DCMAKE_CXX_FLAGS={flags}"]
    build = ["cmake", "--build", str(bdir), "-j", str(args.jobs), "--target", *FUZZ_TARGETS]
    if not _run_logged([cfg, build], log, env):
        rep.stages.append(Stage("fuzz", False, time.monotonic() - t0, f"build failed: {log}"))
        return
    lib_dir = args.source / "sw" / "asm" / "lib"
    notes, all_ok = [], True
    for target, seed_sub in FUZZ_TARGETS.items():
        corpus = args.out / "fuzz" / "corpus" / target
        corpus.mkdir(parents=True, exist_ok=True)
        artifacts = args.out / "fuzz" / "artifacts"
        artifacts.mkdir(parents=True, exist_ok=True)
        seeds = bdir / "fuzz" / "corpus" / seed_sub if seed_sub else lib_dir
        exe = bdir / "fuzz" / target
        cmd = [str(exe), f"-max_total_time={args.fuzz_seconds}", "-rss_limit_mb=2048",
               "-timeout=10", f"-artifact_prefix={artifacts}/{target}-", "-print_final_stats=1",
               str(corpus), str(seeds)]
        flog = args.out / "fuzz" / f"{target}.log"
        before = set(artifacts.glob(f"{target}-*"))
        with open(flog, "w") as f:
            rc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT,
                                env={**os.environ, **SAN_ENV}).returncode
        found = sorted(set(artifacts.glob(f"{target}-*")) - before)
        runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", flog.read_text())
        notes.append(f"{target}: {runs[-1] if runs else '?'} runs, "
                     f"{len(list(corpus.iterdir()))} corpus inputs")
        if rc or found:
            all_ok = False
            for a in found or [flog]:
                rep.failures.append(Failure(f"fuzz: {target}", None,
                                            f"exit {rc}; input kept in {a}; log {flog}",
                                            f"{exe} {a}"))
    rep.stages.append(Stage("fuzz", all_ok, time.monotonic() - t0,
                            f"{args.fuzz_seconds} s each: " + "; ".join(notes)))
