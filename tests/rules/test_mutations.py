"""Mutated copies of the real paper: each class of editing mistake is caught at its line, and
the check fails (exit 1) exactly when the finding is an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import PAPER_PATH
from ranpaper.cli import main

ORIGINAL = PAPER_PATH.read_text("utf-8")


_PSP = next(line for line in ORIGINAL.splitlines() if line.startswith("**PSP Network"))
_GAP = next(line for line in ORIGINAL.splitlines() if line.startswith("The exchange of data"))


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# (id, old, new, code, text marking the expected line, fails?)
MUTATIONS = [
    (
        "impossible-day",
        "Rehabilitation ([Part 1](#), [Part 2](#)), 30 June 2020",
        "Rehabilitation ([Part 1](#), [Part 2](#)), 31 June 2020",
        "RP102",
        "31 June 2020",
        True,
    ),
    (
        "day-32",
        "Warsaw, 03-04 December 2014",
        "Warsaw, 31-32 December 2014",
        "RP102",
        "31-32 December",
        True,
    ),
    (
        "reversed-range",
        "Rome, 22-23 October 2019",
        "Rome, 23-22 October 2019",
        "RP103",
        "23-22 October",
        True,
    ),
    (
        "reversed-cross-month",
        "Stockholm, 04-05 June 2012",
        "Stockholm, 4 July-5 June 2012",
        "RP103",
        "4 July-5 June",
        True,
    ),
    (
        "future-date",
        "Helsinki, 19 September 2019",
        "Helsinki, 19 September 2029",
        "RP104",
        "19 September 2029",
        True,
    ),
    (
        "misspelt-month",
        "Vienna, 07 November 2018",
        "Vienna, 07 Novembre 2018",
        "RP101",
        "07 Novembre",
        True,
    ),
    (
        "undefined-footnote",
        "idea of changing.[^2]",
        "idea of changing.[^3]",
        "RP303",
        "changing.[^3]",
        True,
    ),
    ("unused-footnote", "idea of changing.[^2]", "idea of changing.", "RP304", "[^2]: ", False),
    ("duplicate-footnote", "[^2]: Joachim", "[^1]: Joachim", "RP305", "[^1]: Joachim", True),
    (
        "emptied-section",
        _PSP + "\n",
        "",
        "RP202",
        "### Practices\n\n\n### Lessons learned and recommendations\n\n- An offender",
        True,
    ),
    (
        "missing-section",
        "### What needs to be further explored?\n\n" + _GAP + "\n",
        "",
        "RP201",
        "## Sub theme: Multi-agency",
        False,
    ),
    (
        "misspelt-heading",
        "### Lessons learned and recommendations\n\n- Gender is central",
        "### Lesons learned and recomendations\n\n- Gender is central",
        "RP203",
        "### Lesons learned",
        True,
    ),
    (
        "malformed-link",
        "[VRWE in focus](#)",
        "[VRWE in focus](htps//example.org/vrwe)",
        "RP302",
        "[VRWE in focus]",
        True,
    ),
    (
        "unsafe-link",
        "[VRWE in focus](#)",
        "[VRWE in focus](javascript:alert(1))",
        "RP308",
        "[VRWE in focus]",
        True,
    ),
    (
        "cited-twice-differently",
        "- [Multiagency cooperation around radicalised offenders](#), "
        "Stockholm, 24-25 February 2016",
        "- [Multiagency cooperation around radicalised offenders](#), Stockholm, 24-25 March 2016",
        "RP306",
        "Stockholm, 24-25 March 2016",
        True,
    ),
    (
        "unparseable-meeting",
        "Budapest, 02-03 July 2015",
        "Budapest",
        "RP208",
        "Plenary meeting finalising",
        False,
    ),
    (
        "duplicate-topic",
        "## Gender\n",
        "## Motivation & communication\n",
        "RP206",
        "## Motivation & communication\n\n### Meetings and papers\n\n- Derad WG Meeting: Women",
        True,
    ),
    (
        "skipped-level",
        "### What needs to be further explored?\n\nP/CVE approaches",
        "##### What needs to be further explored?\n\nP/CVE approaches",
        "RP205",
        "##### What needs",
        False,
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "code", "marker", "fails"),
    [m[1:] for m in MUTATIONS],
    ids=[m[0] for m in MUTATIONS],
)
def test_mutation_is_caught_at_its_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    code: str,
    marker: str,
    fails: bool,
) -> None:
    assert ORIGINAL.count(old) >= 1
    mutated = ORIGINAL.replace(old, new, 1)
    path = tmp_path / "paper.md"
    path.write_text(mutated, "utf-8")
    status = main(["check", str(path), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    lines = {d["line"] for d in report["diagnostics"] if d["code"] == code}
    assert _line_of(mutated, marker) in lines, (code, lines)
    assert status == (1 if fails else 0)
