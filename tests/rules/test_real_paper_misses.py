"""The checker's misses a reviewer found on the bundled paper (issue 24), each tested on the
real paper: a practice written twice in a topic, an acronym alias in either order, a `*`
bullet in a `-` list, a skipped heading level on every section of a topic, and a US-order date
read as a year."""

from __future__ import annotations

from pathlib import Path

import pytest

import ranpaper
from conftest import PAPER_PATH
from ranpaper.check import check_paper
from ranpaper.cli import main
from ranpaper.config import Config

PAPER = PAPER_PATH.read_text("utf-8")
TUI = "**The Unity Initiative, United Kingdom**"
CAPREV = "**CAPREV (Belgium)**"  # a practice of an earlier topic (Involving families …)
ROME = "- EXIT: [Gender-specific approaches in exit work](#), Rome, 22-23 October 2019"


def edited(*replacements: tuple[str, str]) -> str:
    text = PAPER
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def found(text: str, code: str) -> list[tuple[int, str]]:
    paper = ranpaper.parse(text, path=str(PAPER_PATH))
    return [(d.line, d.message) for d in check_paper(paper, Config(), text) if d.code == code]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return text[:index].count("\n") + 1


def test_the_paper_has_none_of_these_findings_today() -> None:
    for code in ("RP212", "RP213", "RP205"):
        assert found(PAPER, code) == [], code


def test_the_same_practice_written_twice_in_a_topic_is_reported() -> None:
    start = PAPER.index(TUI)
    card = PAPER[start : PAPER.index("\n#", start) + 1]
    twice = PAPER.replace(card, card + card, 1)
    assert found(twice, "RP212") == [
        (
            line_of(twice, TUI, 2),
            'practice "The Unity Initiative" is written again in this topic '
            f"(line {line_of(twice, TUI)})",
        )
    ]
    # Pasted and renamed, its description barely touched: by the likeness of the words.
    renamed = card.replace("The Unity Initiative,", "Unity Initiative UK,", 1).replace(
        "specialist", "specialised", 1
    )
    pasted = PAPER.replace(card, card + renamed, 1)
    [(line, message)] = found(pasted, "RP212")
    assert line == line_of(pasted, "**Unity Initiative UK")
    assert 'with the description of "The Unity Initiative"' in message


EFRJ = "**European Forum for Restorative Justice**"  # a practice of a later topic


@pytest.mark.parametrize("first", ["acronym", "name"])
def test_an_acronym_alias_is_recognised_in_either_order(first: str) -> None:
    alias = "**TUI (United Kingdom)**: A specialist interventions consultancy.\n\n"
    if first == "acronym":  # "TUI" in an earlier topic, "The Unity Initiative" later
        text = edited((CAPREV, alias + CAPREV))
        later, name, other = TUI, "The Unity Initiative", "TUI"
    else:  # "The Unity Initiative" first, "TUI" in a later topic
        text = edited((EFRJ, alias + EFRJ))
        later, name, other = "**TUI (United Kingdom)**", "TUI", "The Unity Initiative"
    [(line, message)] = found(text, "RP307")
    assert line == line_of(text, later)
    assert message.startswith(f'practice "{name}" looks like "{other}"')


def test_a_star_bullet_in_a_dash_list_is_reported_and_fixed(tmp_path: Path) -> None:
    text = edited((ROME, "*" + ROME[1:]))
    [(line, message)] = found(text, "RP213")
    assert line == line_of(text, "* EXIT: [Gender-specific")
    assert message == "a `*` bullet right after a `-` list starts a new list"
    paper = tmp_path / "p.md"
    paper.write_text(text, "utf-8")
    assert main(["check", "--fix", "--unsafe-fixes", str(paper)]) == 0
    assert paper.read_text("utf-8") == PAPER


def test_a_skipped_level_is_fixed_for_every_heading_of_the_topic(tmp_path: Path) -> None:
    start = PAPER.index("## Gender\n")
    end = PAPER.index("\n## ", start + 5)
    topic = PAPER[start:end].replace("\n### ", "\n#### ")
    text = PAPER[:start] + topic + PAPER[end:]
    first, last = line_of(text, "## Gender\n"), line_of(text, "## Involving")
    lines = [line for line, _ in found(text, "RP205")]
    assert lines == [
        number
        for number, row in enumerate(text.splitlines(), 1)
        if row.startswith("#### ") and first < number < last
    ]
    assert len(lines) == 4
    paper = tmp_path / "p.md"
    paper.write_text(text, "utf-8")
    assert main(["check", "--fix", str(paper)]) == 0
    assert paper.read_text("utf-8") == PAPER


def test_a_us_order_date_is_not_silently_read_as_its_year() -> None:
    """`Berlin, February 13-14, 2017` was read as the year 2017, with "Berlin, February 13-14"
    in the title, and nothing said. Now the date is read, or an error stands at its line, and
    the place is not swallowed into the title."""
    berlin = "- EXIT WG Meeting: Returnees, Berlin, February 13-14, 2017"
    text = edited((ROME, ROME + "\n" + berlin))
    line = line_of(text, berlin)
    paper = ranpaper.parse(text, path=str(PAPER_PATH))
    [meeting] = [m for _topic, m in paper.meetings() if m.span.line == line]
    read = meeting.date is not None and meeting.date.start.isoformat() == "2017-02-13"
    findings = [d for d in check_paper(paper, Config(), text) if d.line == line]
    assert read or any(d.severity == "error" for d in findings), (meeting.title_text, meeting.date)
    assert "February" not in meeting.title_text and "Berlin" not in meeting.title_text
