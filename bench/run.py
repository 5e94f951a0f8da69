"""ranpaper's benchmark: whole processes, several runs, medians, with the anchors measured in
the same run so that ratios hold on any machine.

    python3 bench/run.py              # full run (a few minutes), report in bench/results/
    python3 bench/run.py --quick      # fewer runs and smaller workloads, for a smoke test
    python3 bench/run.py --large      # also build a folder of 100 papers (about 10 more minutes)
    python3 bench/run.py --startup    # only a cold check against its anchors (issue 22), in
                                      # bench/results/startup.md

It times, each as a fresh process (the cost a user or CI pays):
- anchors: a bare interpreter, a bare markdown-it parse of the paper, importing pydantic and
  building one model, importing ranpaper's three dependencies without doing anything,
  importing WeasyPrint, and a bare WeasyPrint render of the HTML that ranpaper itself makes
  for the paper; Pandoc and markdownlint-cli2 on the paper too, where they are installed;
- ranpaper: `check` on the paper, a full `build` (paper PDF, HTML, JSON, five briefs), and a
  no-change rebuild;
- scaling: check on 1×, 10× and 100× workloads — a folder of copies, and one paper whose
  themes are repeated up to the size cap — and build on 1× and 10× folders.

Commands compared with each other run in turn, round after round (anchors, check and the
no-change rebuild; the bare render and the build), so that a slow spell of a noisy machine
falls on both sides of a ratio. Peak memory is the child's maximum resident set size.
Results go to bench/results/report.md and report.json, with the targets of issue 6 marked met
or not.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ranpaper.limits import MAX_BYTES

ROOT = Path(__file__).resolve().parent.parent
PAPER = ROOT / "source" / "rehabilitation-overview.md"
RESULTS = ROOT / "bench" / "results"
PY = sys.executable

BARE_PARSE = """
import sys
from markdown_it import MarkdownIt
MarkdownIt("commonmark").parse(open(sys.argv[1], encoding="utf-8").read())
"""
# What ranpaper's check path cannot avoid importing: its three dependencies, no work done.
DEPENDENCIES = """
import markdown_it, yaml
from pydantic import BaseModel, Field
"""
ONE_MODEL = """
from pydantic import BaseModel
class Meeting(BaseModel):
    title: str
Meeting(title="Kick-off")
"""
# The shipped fonts, as ranpaper renders: a FontConfiguration (without one WeasyPrint ignores
# @font-face) over a fontconfig set-up that lists only them (issue 10).
BARE_WEASYPRINT = """
import os, sys
html, css, base, out, fonts_conf = sys.argv[1:6]
os.environ["FONTCONFIG_FILE"] = fonts_conf
import weasyprint
from weasyprint.text.fonts import FontConfiguration
fonts = FontConfiguration()
weasyprint.HTML(filename=html, base_url=base).write_pdf(
    out, stylesheets=[weasyprint.CSS(filename=css, font_config=fonts)], font_config=fonts,
    pdf_variant="pdf/ua-1")
"""


@dataclass
class Measure:
    name: str
    seconds: float  # median wall time
    runs: list[float]
    peak_mib: float  # median peak RSS


def run_once(argv: list[str], cwd: Path) -> tuple[float, float]:
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({code}):\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024


def measure(
    name: str, argv: list[str], runs: int, cwd: Path = ROOT, before: list[str] | None = None
) -> Measure:
    """One command, `runs` times."""
    return measure_together({name: (name, argv, before)}, runs, cwd)[name]


Spec = tuple[str, list[str], list[str] | None]  # name, command, command to run before it


def measure_together(specs: dict[str, Spec], runs: int, cwd: Path = ROOT) -> dict[str, Measure]:
    """Several commands measured in turn, round after round, so that a slow spell of a
    noisy machine falls on all of them alike and their ratios hold. Each round runs them in
    another (seeded, so repeatable) order, so that no command always follows the same heavy
    neighbour: a run right after markdownlint's 100 MiB of Node is slower."""
    times: dict[str, list[float]] = {key: [] for key in specs}
    peaks: dict[str, list[float]] = {key: [] for key in specs}
    for round_ in range(runs):
        order = list(specs)
        random.Random(round_).shuffle(order)
        for key in order:
            _name, argv, before = specs[key]
            if before:
                subprocess.run(before, cwd=cwd, check=True)
            seconds, peak = run_once(argv, cwd)
            times[key].append(seconds)
            peaks[key].append(peak)
    results = {}
    for key, (name, _argv, _before) in specs.items():
        result = Measure(
            name, statistics.median(times[key]), times[key], statistics.median(peaks[key])
        )
        print(f"  {name:<44} {result.seconds:7.3f} s  {result.peak_mib:6.1f} MiB", flush=True)
        results[key] = result
    return results


def peer_tools() -> dict[str, Spec]:
    """Other tools on the same file, for orientation, when they are installed: Pandoc's
    Markdown reader and markdownlint-cli2 (a check of Markdown style, not of content)."""
    specs: dict[str, Spec] = {}
    pandoc = shutil.which("pandoc")
    if pandoc:
        specs["pandoc"] = ("pandoc to JSON", [pandoc, "-t", "json", str(PAPER)], None)
    markdownlint = shutil.which("markdownlint-cli2")
    if markdownlint:
        specs["markdownlint"] = (
            "markdownlint-cli2 on the paper",
            [markdownlint, str(PAPER.relative_to(ROOT))],
            None,
        )
    return specs


# Mistakes each fix of issue 12 puts right, made in a copy of the paper for `check --diff`.
FIXABLE_MISTAKES = [
    ("#### Lessons learned and recommendations\n", "#### Lessons learnt and recommendations\n"),
    ("### Peer- and self-review\n\n#### Meetings", "### Peer- and self-review\n\n###### Meetings"),
    ("# Main theme 2:", "# Main theme 4:"),
    ("Stockholm, 04-05 June 2012", "Stockholm, 04 – 05 Jun. 2012"),
    ("#### What needs", "<!-- ranpaper: ignore RP301 — unused -->\n\n#### What needs"),
]


def editor_loop(work: Path, ranpaper: list[str]) -> dict[str, Spec]:
    """`check --fix` (as `--diff --unsafe-fixes`: every round, nothing written, so each run
    does the same work) on a copy of the paper with one of each fixable mistake, `fmt --check`
    and `diff` of the paper against an edited copy, each with `check` of the paper as anchor."""
    text = PAPER.read_text("utf-8")
    for old, new in FIXABLE_MISTAKES:
        text = text.replace(old, new, 1)
    mistaken = work / "mistaken.md"
    mistaken.write_text(text, "utf-8")
    edited = work / "edited.md"
    edited.write_text(text.replace("Stockholm, 04 – 05 Jun. 2012", "Oslo, 2013"), "utf-8")
    return {
        "editor_check": (
            "ranpaper check (paper, editor's loop)",
            [*ranpaper, "check", str(PAPER), "--quiet"],
            None,
        ),
        "fix": (
            "ranpaper check --diff --unsafe-fixes (5 fixes)",
            [*ranpaper, "check", "--diff", "--unsafe-fixes", str(mistaken)],
            None,
        ),
        "fmt": ("ranpaper fmt --check (paper)", [*ranpaper, "fmt", "--check", str(PAPER)], None),
        "diff": (
            "ranpaper diff (paper vs edited copy)",
            [*ranpaper, "diff", str(PAPER), str(edited)],
            None,
        ),
    }


def folder_of_copies(base: Path, count: int) -> Path:
    folder = base / f"copies-{count}"
    folder.mkdir()
    text = PAPER.read_text("utf-8")
    for index in range(count):
        (folder / f"paper-{index:03d}.md").write_text(text, "utf-8")
    return folder


def repeated_paper(base: Path, factor: int) -> Path:
    """One paper whose main themes are repeated `factor` times (renumbered)."""
    text = PAPER.read_text("utf-8")
    head, _, rest = text.partition("\n# Main theme 1:")
    body, _, notes = ("# Main theme 1:" + rest).partition("\n[^1]:")
    themes = body.split("\n# Main theme ")
    blocks = [themes[0]] + ["# Main theme " + t for t in themes[1:]]
    out, number = [head, ""], 0
    for _ in range(factor):
        for block in blocks:
            number += 1
            title = block.split(":", 1)[1]
            out.append(f"# Main theme {number}:{title}")
    path = base / f"repeated-{factor}" / "paper.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(out) + "\n[^1]:" + notes, "utf-8")
    return path


def largest_factor(cap: int = MAX_BYTES) -> int:
    """How many times the themes can be repeated and stay under ranpaper's size cap."""
    with tempfile.TemporaryDirectory() as folder:
        one = repeated_paper(Path(folder), 1).stat().st_size
        two = repeated_paper(Path(folder), 2).stat().st_size
    per_copy = two - one
    return (cap - (one - per_copy)) // per_copy


def ratio(a: Measure, b: Measure) -> float:
    """`a` over `b`. Measured in turn (same number of rounds), it is the median of the
    round-by-round ratios, which a slow spell of the machine moves least; otherwise the ratio
    of the medians."""
    if len(a.runs) == len(b.runs) > 1:
        return statistics.median(x / y for x, y in zip(a.runs, b.runs, strict=True))
    return a.seconds / b.seconds


STARTUP_TARGET = 2.0
"""Issue 22: a cold `check` of the paper ≤ 2.0× a bare markdown-it parse process."""


def startup(runs: int) -> None:
    """A cold `check` (of the paper, and of its folder as the issue measured it) against a
    bare interpreter and a bare markdown-it parse, in turn: what starting a check costs."""
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    ranpaper = [PY, "-m", "ranpaper"]
    print("a cold check against its anchors (in turn)")
    r = measure_together(
        {
            "interpreter": ("bare interpreter", [PY, "-c", "pass"], None),
            "bare_parse": (
                "markdown-it parse of the paper",
                [PY, "-c", BARE_PARSE, str(PAPER)],
                None,
            ),
            "check": ("ranpaper check (paper)", [*ranpaper, "check", str(PAPER), "--quiet"], None),
            "check_folder": (
                "ranpaper check source/",
                [*ranpaper, "check", str(PAPER.parent), "--quiet"],
                None,
            ),
        },
        runs,
    )
    paper, folder = ratio(r["check"], r["bare_parse"]), ratio(r["check_folder"], r["bare_parse"])
    lines = [
        "# A check that starts at once (bench/run.py --startup)",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}. Whole "
        f"processes, {runs} rounds taken in turn; a ratio is the median of the round-by-round "
        "ratios.",
        "",
        "| measurement | median s | peak MiB |",
        "| --- | ---: | ---: |",
        *(f"| {m.name} | {m.seconds:.3f} | {m.peak_mib:.1f} |" for m in r.values()),
        "",
        "| target | measured | limit | met |",
        "| --- | ---: | ---: | :---: |",
        f"| check of the paper ≤ {STARTUP_TARGET}× bare markdown-it parse | {paper:.2f} | "
        f"{STARTUP_TARGET:.2f} | {'yes' if paper <= STARTUP_TARGET else 'no'} |",
        f"| check source/ ≤ {STARTUP_TARGET}× bare markdown-it parse | {folder:.2f} | "
        f"{STARTUP_TARGET:.2f} | {'yes' if folder <= STARTUP_TARGET else 'no'} |",
        "",
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "startup.md").write_text("\n".join(lines), "utf-8")
    (RESULTS / "startup.json").write_text(
        json.dumps({k: asdict(m) for k, m in r.items()}, indent=1) + "\n", "utf-8"
    )
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller workloads")
    parser.add_argument("--large", action="store_true", help="also build 100 papers")
    parser.add_argument(
        "--startup", action="store_true", help="only a cold check against its anchors"
    )
    args = parser.parse_args()
    if args.startup:
        startup(7 if args.quick else 21)
        return
    runs = 5 if args.quick else 15
    slow_runs = 1 if args.quick else 3
    # An installed ranpaper has its bytecode compiled by pip; a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module in every process. Measure the former.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    work = Path(tempfile.mkdtemp(prefix="ranpaper-bench-"))
    results: dict[str, Measure] = {}
    ranpaper = [PY, "-m", "ranpaper"]
    try:
        print(
            f"ranpaper benchmark on {platform.node()} ({os.cpu_count()} cores), "
            f"Python {platform.python_version()}"
        )
        # The HTML that ranpaper makes for the paper, for the bare WeasyPrint render.
        html = work / "paper.html"
        subprocess.run(
            [
                PY,
                "-c",
                (
                    "import sys, ranpaper; from ranpaper.render.html import render_paper, "
                    "meetings_per_year; from ranpaper.render.timeline import timeline_svg; "
                    "p = ranpaper.load(sys.argv[1]); "
                    "svg = timeline_svg(meetings_per_year(p.themes), 'Meetings per year'); "
                    "open(sys.argv[2], 'w', encoding='utf-8').write(render_paper(p, 'print', svg))"
                ),
                str(PAPER),
                str(html),
            ],
            check=True,
        )
        templates = ROOT / "src" / "ranpaper" / "templates"
        out = work / "build"
        print("renders (bare WeasyPrint and ranpaper build, in turn)")
        results.update(
            measure_together(
                {
                    "bare_weasyprint": (
                        "WeasyPrint render of ranpaper's HTML",
                        [
                            PY,
                            "-c",
                            BARE_WEASYPRINT,
                            str(html),
                            str(templates / "print.css"),
                            templates.as_uri() + "/",
                            str(work / "bare.pdf"),
                            str(templates / "fonts.conf"),
                        ],
                        None,
                    ),
                    "build": (
                        "ranpaper build (PDF, HTML, JSON, 5 briefs)",
                        [*ranpaper, "build", str(PAPER), "--out", str(out), "--quiet"],
                        ["rm", "-rf", str(out)],
                    ),
                },
                slow_runs,
            )
        )
        print("short processes (anchors, check, no-change rebuild, in turn)")
        results.update(
            measure_together(
                {
                    **peer_tools(),
                    "interpreter": ("bare interpreter", [PY, "-c", "pass"], None),
                    "bare_parse": (
                        "markdown-it parse of the paper",
                        [PY, "-c", BARE_PARSE, str(PAPER)],
                        None,
                    ),
                    "pydantic": ("import pydantic + one model", [PY, "-c", ONE_MODEL], None),
                    "dependencies": (
                        "import pydantic, markdown-it, PyYAML",
                        [PY, "-c", DEPENDENCIES],
                        None,
                    ),
                    "import_weasyprint": (
                        "import weasyprint",
                        [PY, "-c", "import weasyprint"],
                        None,
                    ),
                    "check": (
                        "ranpaper check (paper)",
                        [*ranpaper, "check", str(PAPER), "--quiet"],
                        None,
                    ),
                    "rebuild": (
                        "ranpaper build, no change",
                        [*ranpaper, "build", str(PAPER), "--out", str(out), "--quiet"],
                        None,
                    ),
                },
                runs,
            )
        )

        print("the editor's loop (check, fix, fmt, diff, in turn)")
        results.update(measure_together(editor_loop(work, ranpaper), runs))

        print("scaling")
        factors = (1, 10) if args.quick else (1, 10, 100)
        for factor in factors:
            folder = folder_of_copies(work, factor)
            results[f"check_folder_{factor}"] = measure(
                f"check, folder of {factor} papers",
                [*ranpaper, "check", str(folder), "--quiet"],
                slow_runs,
            )
        for factor in (10,) if args.quick else (10, largest_factor()):
            paper = repeated_paper(work, factor)
            results[f"check_repeated_{factor}"] = measure(
                f"check, one paper with themes ×{factor}",
                [*ranpaper, "check", str(paper), "--quiet"],
                slow_runs,
            )
        build_factors = (1,) if args.quick else (1, 10, 100) if args.large else (1, 10)
        for factor in build_factors:
            folder = work / f"copies-{factor}"  # made for the check above
            out = work / f"build-{factor}"
            results[f"build_folder_{factor}"] = measure(
                f"build, folder of {factor} papers",
                [*ranpaper, "build", str(folder), "--out", str(out), "--quiet"],
                1,
                before=["rm", "-rf", str(out)],
            )
        if not args.quick:
            paper = work / "repeated-10" / "paper.md"
            out = work / "build-repeated-10"
            results["build_repeated_10"] = measure(
                "build, one paper with themes ×10",
                [*ranpaper, "build", str(paper), "--out", str(out), "--quiet"],
                1,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(results, args.quick)


def report(results: dict[str, Measure], quick: bool) -> None:
    r = results
    targets = [
        (
            f"check ≤ {STARTUP_TARGET}× bare markdown-it parse",
            ratio(r["check"], r["bare_parse"]),
            STARTUP_TARGET,
        ),
        ("check peak memory ≤ 40 MiB", r["check"].peak_mib, 40.0),
        ("build ≤ 1.3× bare WeasyPrint render", ratio(r["build"], r["bare_weasyprint"]), 1.3),
        ("no-change rebuild ≤ 1.2× check", ratio(r["rebuild"], r["check"]), 1.2),
    ]
    for key, what in (("fix", "check --fix"), ("fmt", "fmt"), ("diff", "diff")):
        if key in r:
            targets.append((f"{what} ≤ 1.5× check", ratio(r[key], r["editor_check"]), 1.5))
    big = "check_folder_100" if "check_folder_100" in r else "check_folder_10"
    n = int(big.rsplit("_", 1)[1])
    per_paper_1 = r["check_folder_1"].seconds - r["interpreter"].seconds
    per_paper_n = (r[big].seconds - r["interpreter"].seconds) / n
    targets.append(
        (f"check cost per paper, {n} papers vs 1 (linear ≈ ≤ 1)", per_paper_n / per_paper_1, 1.0)
    )
    biggest_build = max(int(key.rsplit("_", 1)[1]) for key in r if key.startswith("build_folder_"))
    if biggest_build > 1:
        per_build_1 = r["build_folder_1"].seconds
        per_build_n = r[f"build_folder_{biggest_build}"].seconds / biggest_build
        targets.append(
            (
                f"build cost per paper, {biggest_build} papers vs 1 (linear ≈ ≤ 1)",
                per_build_n / per_build_1,
                1.0,
            )
        )
    if "build_repeated_10" in r:
        targets.append(
            (
                "build of ×10 content costs ≤ 10× the paper's build (growth / factor)",
                r["build_repeated_10"].seconds / r["build_folder_1"].seconds / 10,
                1.0,
            )
        )
    factor = max(int(key.rsplit("_", 1)[1]) for key in r if key.startswith("check_repeated_"))
    rep = f"check_repeated_{factor}"
    growth = (r[rep].seconds - r["check"].seconds) / (r["check"].seconds - r["interpreter"].seconds)
    targets.append(
        (
            f"check ×{factor} content costs ≤ {factor}× the paper's own work (growth / factor)",
            growth / factor,
            1.0,
        )
    )
    lines = [
        "# ranpaper benchmark",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}{' (quick run)' if quick else ''}. "
        "Whole processes, median of the runs; a ratio of two commands measured in turn is the "
        "median of their round-by-round ratios.",
        "",
        "| measurement | median s | peak MiB | runs |",
        "| --- | ---: | ---: | ---: |",
    ]
    anchors_first = [
        "interpreter",
        "bare_parse",
        "pydantic",
        "dependencies",
        "import_weasyprint",
        "pandoc",
        "markdownlint",
        "bare_weasyprint",
        "check",
        "build",
        "rebuild",
    ]
    ordered = [r[key] for key in anchors_first if key in r] + [
        value for key, value in r.items() if key not in anchors_first
    ]
    for measure_ in ordered:
        lines.append(
            f"| {measure_.name} | {measure_.seconds:.3f} | {measure_.peak_mib:.1f} | "
            f"{len(measure_.runs)} |"
        )
    lines += ["", "| target | measured | limit | met |", "| --- | ---: | ---: | :---: |"]
    for name, value, limit in targets:
        lines.append(
            f"| {name} | {value:.2f} | {limit:.2f} | {'yes' if value <= limit else 'no'} |"
        )
    text = "\n".join(lines) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "report.md").write_text(text, "utf-8")
    (RESULTS / "report.json").write_text(
        json.dumps(
            {
                "measures": {key: asdict(value) for key, value in results.items()},
                "targets": [
                    {"name": n_, "value": v, "limit": lim, "met": v <= lim}
                    for n_, v, lim in targets
                ],
            },
            indent=2,
        ),
        "utf-8",
    )
    print()
    print(text)


if __name__ == "__main__":
    main()
