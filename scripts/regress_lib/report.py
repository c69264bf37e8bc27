# Copyright wafermesh contributors. SPDX-License-Identifier: Apache-2.0
"""The regression's summary: report.md (read in a terminal or a forge) and report.html (the
same content for a browser), from the stage records scripts/regress collects."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import results_xml


@dataclass
class Stage:
    name: str
    ok: bool
    seconds: float
    note: str = ""


@dataclass
class Failure:
    test: str  # ctest name, or ctest name/case
    seed: int | None
    message: str
    reproduce: str


@dataclass
class Report:
    title: str
    header: list[tuple[str, str]]
    stages: list[Stage] = field(default_factory=list)
    tests: list[tuple[str, int, int, int, int, str]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    sections: list[tuple[str, list[str], list[list[str]], str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.stages) and not self.failures

    def add_table(self, title: str, head: list[str], rows: list[list[str]], note: str = ""):
        self.sections.append((title, head, rows, note))


def tally(outcomes, tests_by_name) -> list[tuple[str, int, int, int, int, str]]:
    """(test, runs, pass, fail, skip, failing seeds) per ctest test and harness case."""
    rows: dict[str, list] = {}
    for o in outcomes:
        for suite in results_xml.parse(o.results_file):
            for c in suite.cases:
                key = o.test if c.classname == "ctest" else f"{o.test}/{c.name}"
                r = rows.setdefault(key, [0, 0, 0, 0, []])
                r[0] += 1
                r[{results_xml.PASSED: 1, results_xml.FAILED: 2, results_xml.SKIPPED: 3}[
                    c.status]] += 1
                if c.status == results_xml.FAILED:
                    r[4].append(str(o.seed))
    return [(k, *v[:4], " ".join(v[4])) for k, v in sorted(rows.items())]


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    def cell(v) -> str:
        return str(v).replace("|", "\\|").replace("\n", " ")
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head),
            *("| " + " | ".join(cell(v) for v in r) + " |" for r in rows)]


def markdown(r: Report) -> str:
    out = [f"# {r.title}", "", f"**{'PASS' if r.ok else 'FAIL'}**", ""]
    out += [f"- {k}: {v}" for k, v in r.header] + [""]
    out += ["## Stages", ""]
    out += _md_table(["stage", "status", "time (s)", "note"],
                     [[s.name, "ok" if s.ok else "FAIL", f"{s.seconds:.0f}", s.note]
                      for s in r.stages]) + [""]
    out += ["## Failures", ""]
    if not r.failures:
        out += ["None.", ""]
    for f in r.failures:
        seed = f" (seed {f.seed})" if f.seed is not None else ""
        out += [f"- **{f.test}**{seed}: {f.message}", "", "  ```sh", f"  {f.reproduce}",
                "  ```", ""]
    out += ["## Tests", ""]
    out += _md_table(["test", "runs", "pass", "fail", "skip", "failing seeds"],
                     [list(map(str, t)) for t in r.tests]) + [""]
    for title, head, rows, note in r.sections:
        out += [f"## {title}", ""]
        if note:
            out += [note, ""]
        if rows:
            out += _md_table(head, rows) + [""]
    return "\n".join(out)


def _html_table(head: list[str], rows: list[list[str]], fail_col: int | None = None) -> str:
    def tr(cells, tag="td", bad=False):
        style = ' class="bad"' if bad else ""
        return f"<tr{style}>" + "".join(f"<{tag}>{html.escape(str(c))}</{tag}>"
                                        for c in cells) + "</tr>"
    body = [tr(head, "th")]
    body += [tr(r, bad=fail_col is not None and str(r[fail_col]) not in ("0", "ok", ""))
             for r in rows]
    return "<table>" + "".join(body) + "</table>"


def html_page(r: Report) -> str:
    e = html.escape
    parts = [f"<!doctype html><meta charset=utf-8><title>{e(r.title)}</title><style>"
             "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
             ".bad{background:#fdd}pre{background:#f4f4f4;padding:4px}</style>",
             f"<h1>{e(r.title)}</h1><p><b>{'PASS' if r.ok else 'FAIL'}</b></p><ul>",
             *(f"<li>{e(k)}: {e(v)}</li>" for k, v in r.header), "</ul><h2>Stages</h2>",
             _html_table(["stage", "status", "time (s)", "note"],
                         [[s.name, "ok" if s.ok else "FAIL", f"{s.seconds:.0f}", s.note]
                          for s in r.stages], fail_col=1),
             "<h2>Failures</h2>"]
    if not r.failures:
        parts.append("<p>None.</p>")
    for f in r.failures:
        seed = f" (seed {f.seed})" if f.seed is not None else ""
        parts.append(f"<p><b>{e(f.test)}</b>{e(seed)}: {e(f.message)}</p>"
                     f"<pre>{e(f.reproduce)}</pre>")
    parts += ["<h2>Tests</h2>",
              _html_table(["test", "runs", "pass", "fail", "skip", "failing seeds"],
                          [list(t) for t in r.tests], fail_col=3)]
    for title, head, rows, note in r.sections:
        parts.append(f"<h2>{e(title)}</h2>")
        if note:
            parts.append(f"<p>{e(note)}</p>")
        if rows:
            parts.append(_html_table(head, rows))
    return "\n".join(parts) + "\n"


def write(r: Report, out_dir: Path) -> tuple[Path, Path]:
    md, page = out_dir / "report.md", out_dir / "report.html"
    md.write_text(markdown(r) + "\n")
    page.write_text(html_page(r))
    return md, page
