"""The source → model ledger (issue 21): every word an editor writes in the real paper is in
the model's text or reported by a finding at its line."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PAPER_PATH
from ranpaper.diagnostics import Diagnostic
from ranpaper.lines import split_lines
from ranpaper.model import FootnoteRef, Link, Paper, inline_texts, plain, walk_inline
from ranpaper.parse import _MD, parse
from ranpaper.parse.frontmatter import split_front_matter
from ranpaper.parse.ledger import unaccounted
from ranpaper.workspace import Workspace

SOURCE = PAPER_PATH.read_text("utf-8")
LINES = split_lines(SOURCE)
WORKSPACE = Workspace()


def model_text(paper: Paper) -> str:
    """Every text the model holds: inline texts with link targets, section headings, comments
    and waivers (which the writer keeps), and problems' texts are not included."""
    parts = []
    for text, _span in inline_texts(paper):
        parts.append(plain(text))
        parts += [node.url for node in walk_inline(text) if isinstance(node, Link)]
    for _theme, topic in paper.topics():
        parts += [section.heading for section in topic.sections]
    parts += [comment.text for comment in paper.comments]
    parts += [waiver.reason for waiver in paper.waivers]
    return "\n".join(parts)


def reported_at(diagnostics: list[Diagnostic], line: int) -> list[str]:
    return [d.code for d in diagnostics if d.line <= line <= d.end_line]


def accounted(text: str, marker: str) -> tuple[bool, str]:
    """Whether `marker` (written once in `text`) is in the model's text or reported at its
    line, and what was found (for the failure message)."""
    document = WORKSPACE.open(PAPER_PATH, text)
    assert document.paper is not None
    line = next(n for n, row in enumerate(split_lines(text), 1) if marker in row)
    codes = reported_at(document.diagnostics, line)
    return marker in model_text(document.paper) or bool(codes), f"line {line}: {codes}"


def _line_of(fragment: str) -> int:
    return next(n for n, row in enumerate(LINES, 1) if row.startswith(fragment))


def _insert(at: int, *rows: str) -> str:
    """The paper with `rows` written after line `at` (1-based), each block after a blank
    line."""
    return "\n".join([*LINES[:at], *rows, *LINES[at:]])


# Places editors put words (issue 21), each after line `at` of the real paper.
_DANISH = "[Danish model, Aarhus Municipality, Denmark]"
CASES = {
    "bullet under a practice": (_DANISH, ["", "- ZZBULLET under a practice"]),
    "nested bullet under a practice": (
        _DANISH,
        ["", "- ZZOUTER under a practice", "  - ZZNESTED under that bullet"],
    ),
    "numbered list in practices": (_DANISH, ["", "1. ZZNUMBERED first", "2. ZZNUMBERED2 two"]),
    "second practice paragraph": (_DANISH, ["", "ZZSECOND paragraph of the practice."]),
    "small heading in practices": (_DANISH, ["", "##### ZZHEADING a small heading"]),
    "quote in lessons": ("- Civil-society organisations", ["", "> ZZQUOTE a quoted lesson"]),
    "bullet under a gap": ("Rehabilitation work is subject", ["", "- ZZGAP a gap bullet"]),
    "nested bullet under a gap": (
        "Rehabilitation work is subject",
        ["", "- ZZGAPOUTER a gap", "  - ZZGAPNESTED under it"],
    ),
    "paragraph before a meetings list": (
        "#### Meetings and papers",
        ["", "ZZBEFORE the meetings, a sentence."],
    ),
    "code block in a section": (_DANISH, ["", "    ZZCODE indented as code"]),
    "paragraph at the end": ("[^2]: Joachim", ["", "ZZEND the last words."]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_marked_words_are_in_the_model_or_reported_at_their_line(case: str) -> None:
    after, rows = CASES[case]
    text = _insert(_line_of(after), *rows)
    for marker in re.findall(r"ZZ[A-Z0-9]+", "\n".join(rows)):
        ok, found = accounted(text, marker)
        assert ok, f"{case}: {marker} is neither in the model nor reported ({found})"


def test_a_bullet_under_a_practice_is_reported_not_dropped() -> None:
    text = _insert(_line_of(_DANISH), "", "- ZZBULLET a point", "  - ZZNESTED a sub-point")
    document = WORKSPACE.open(PAPER_PATH, text)
    assert document.paper is not None
    line = _line_of(_DANISH) + 2
    assert reported_at(document.diagnostics, line) == ["RP003"]
    assert reported_at(document.diagnostics, line + 1) == ["RP003"]
    # Reported, so fmt will not rewrite the paper without them.
    assert {p.text for p in document.paper.problems} >= {"ZZBULLET a point", "ZZNESTED a sub-point"}


def test_a_bullet_that_is_a_practice_stays_a_practice() -> None:
    text = _insert(_line_of(_DANISH), "", "- **ZZPRACTICE (Denmark)**: a practice as a bullet")
    paper = parse(text)
    names = [practice.name for _topic, practice in paper.citations()]
    assert "ZZPRACTICE" in names
    assert not [p for p in paper.problems if "ZZPRACTICE" in (p.text or "")]


def test_a_thematic_break_holds_no_words_and_is_noted() -> None:
    at = _line_of(_DANISH)
    paper = parse(_insert(at, "", "---"))
    assert any(span.line == at + 2 for span in paper.ignored)


def _body(text: str) -> list[str]:
    lines = split_lines(text)
    fence = split_front_matter(lines)
    assert fence is not None
    return [""] * (fence[1] + 1) + lines[fence[1] + 1 :]


def test_the_ledger_reports_text_the_model_lost() -> None:
    """The net under the parser: if the builder forgot a block, the ledger names its line."""
    paper = parse(SOURCE)
    assert not [p for p in paper.problems if "no part of" in p.message]
    tokens = _MD.parse("\n".join(_body(SOURCE)))
    theme = paper.themes[0]
    topic = theme.topics[0].topics[0]
    assert topic.gaps is not None and topic.gaps.items
    dropped = topic.gaps.items[0]
    lost_topic = dataclasses.replace(topic, gaps=dataclasses.replace(topic.gaps, items=[]))
    parent = dataclasses.replace(theme.topics[0], topics=[lost_topic, *theme.topics[0].topics[1:]])
    lost_theme = dataclasses.replace(theme, topics=[parent, *theme.topics[1:]])
    lost = dataclasses.replace(paper, themes=[lost_theme, *paper.themes[1:]])
    problems = unaccounted(lost, tokens, split_lines(SOURCE))
    assert [p.span.line for p in problems] == [dropped.span.line]
    assert problems[0].text == str(dropped)


def test_the_ledger_reports_a_dropped_nested_bullet() -> None:
    """A nested bullet is the nested node's own line: its parent's span does not hide it."""
    paper = parse(SOURCE)
    tokens = _MD.parse("\n".join(_body(SOURCE)))
    topic = paper.themes[0].topics[0].topics[0]
    assert topic.lessons is not None
    group = next(iter(topic.lessons))
    first = group.lessons[0]
    assert first.children
    pruned = dataclasses.replace(first, children=[])
    new_group = dataclasses.replace(group, lessons=[pruned, *group.lessons[1:]])
    new_lessons = dataclasses.replace(topic.lessons, items=[new_group])
    lost_topic = dataclasses.replace(topic, lessons=new_lessons)
    theme = paper.themes[0]
    parent = dataclasses.replace(theme.topics[0], topics=[lost_topic, *theme.topics[0].topics[1:]])
    lost_theme = dataclasses.replace(theme, topics=[parent, *theme.topics[1:]])
    lost = dataclasses.replace(paper, themes=[lost_theme, *paper.themes[1:]])
    problems = unaccounted(lost, tokens, split_lines(SOURCE))
    assert [p.span.line for p in problems] == [first.children[0].span.line]


# --- marked words anywhere ---------------------------------------------------------------------

_FENCE = split_front_matter(LINES)
assert _FENCE is not None
_BODY_START = _FENCE[1] + 2  # the first line after the front matter (1-based)
_PREFIXES = ["", "- ", "  - ", "    - ", "> ", "1. ", "3. ", "##### ", "* ", "[^99]: ", "    "]


@st.composite
def _inserted(draw: st.DrawFn) -> tuple[str, str]:
    """The real paper with one marked word put where an editor might: inside a line, between
    two of its words, or on a line of its own (as a bullet, a quote, a numbered item, a small
    heading, …), with or without blank lines around it."""
    marker = "ZZMARK" + str(draw(st.integers(0, 999)))
    if draw(st.booleans()):
        candidates = [n for n in range(_BODY_START, len(LINES) + 1) if LINES[n - 1].strip()]
        line = draw(st.sampled_from(candidates))
        words = LINES[line - 1].split(" ")
        at = draw(st.integers(0, len(words)))
        row = " ".join([*words[:at], marker, *words[at:]])
        text = "\n".join([*LINES[: line - 1], row, *LINES[line:]])
    else:
        at = draw(st.integers(_BODY_START - 1, len(LINES)))
        prefix = draw(st.sampled_from(_PREFIXES))
        blank = [""] if draw(st.booleans()) else []
        text = _insert(at, *blank, f"{prefix}{marker} words", *blank)
    return text, marker


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_inserted())
def test_a_word_put_anywhere_is_in_the_model_or_reported(case: tuple[str, str]) -> None:
    text, marker = case
    ok, found = accounted(text, marker)
    assert ok, f"{marker} is neither in the model nor reported ({found})"


def test_a_footnote_right_after_a_theme_prefix_is_kept() -> None:
    """Found by fmt's words guard: the footnote reference of `# Main theme 1: [^1] Title` fell
    with the prefix, in the model and so in every output."""
    paper = parse(SOURCE.replace("# Main theme 1: Guidelines", "# Main theme 1: [^1] Guidelines"))
    title = paper.themes[0].title
    assert [node.label for node in walk_inline(title) if isinstance(node, FootnoteRef)] == ["1"]
    assert plain(title).strip() == "Guidelines for Rehabilitation work"
