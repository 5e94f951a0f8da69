"""The incremental reader (`ranpaper.parse.incremental`, `Workspace.live`) gives exactly what
a fresh `Workspace.open` of the same text gives — the `Paper` and the findings — after every
step of random edit sequences on the real paper; and ordinary edits take its fast path.

CI runs a modest number of sequences. Thousands (issue 22's "done when"), with the counts
written to a JSON file:

    RANPAPER_HYPOTHESIS=thorough RANPAPER_INCREMENTAL_STATS=/tmp/incremental.json \\
        python -m pytest tests/parse/test_incremental.py -p no:cacheprovider

(bench/results/incremental.md records such a run.)
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PAPER_PATH, ROOT
from ranpaper.workspace import LiveDocument, Workspace

THOROUGH = os.environ.get("RANPAPER_HYPOTHESIS") == "thorough"
EXAMPLES = 2500 if THOROUGH else 120
STEPS = 12 if THOROUGH else 6

WORKSPACE = Workspace.load(ROOT / "source")
TEXT = PAPER_PATH.read_text("utf-8")
COUNTS: Counter[str] = Counter()

# What makes a topic's reading depend on text outside it, and ordinary typing.
SNIPPETS = [
    "x",
    "word ",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "- ",
    "- a new bullet",
    "* ",
    "+ ",
    "1. ",
    "  - ",
    "    ",
    "\t",
    "> ",
    "# ",
    "## ",
    "### A new topic",
    "## Another topic",
    "#### Meetings and papers",
    "#### Practices",
    "#### Lessons learned and recommendations",
    "#### What needs to be further explored?",
    "# Introduction",
    "# Main theme 9: Something",
    "===",
    "---",
    "[^1]",
    "[^2]",
    "[^new]",
    "[^1]: a note",
    "[^new]: a new note",
    "[label]: https://example.org",
    "[label]",
    "[a link](https://example.org)",
    "**Bold head**: ",
    "<!--",
    "-->",
    "<!-- a comment -->",
    "<!-- ranpaper: ignore RP101 — why -->",
    "<!-- ranpaper: practice some-id -->",
    "<div>",
    "```",
    "~~~",
    "`code`",
    "None identified.",
    "Meeting, RAN XYZ, Online, 12 March 2021",
    "\x07",
    "&#91;^1]",
]
PAYLOAD = st.one_of(
    st.sampled_from(SNIPPETS),
    st.text(alphabet=" ab\n-#*[]^:<>!`~=\t\r", max_size=8),
)
EDIT = st.tuples(
    st.sampled_from(["insert", "delete", "replace", "line-insert", "line-delete", "type"]),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=40),
    PAYLOAD,
)


def apply(text: str, edit: tuple[str, int, int, str]) -> str:
    """One edit at a place chosen by `where` (modulo the text's length or line count)."""
    kind, where, size, payload = edit
    if kind.startswith("line") or kind == "type":
        lines = text.split("\n")
        if kind == "type":
            # Typing inside a bullet or paragraph: the commonest edit in an editor.
            prose = [n for n, line in enumerate(lines) if line.startswith(("- ", "["))] or [0]
            number = prose[where % len(prose)]
            line = lines[number]
            at = where % (len(line) + 1)
            lines[number] = line[:at] + payload.replace("\n", " ").replace("\r", " ") + line[at:]
        elif kind == "line-insert":
            lines.insert(where % (len(lines) + 1), payload)
        else:
            at = where % len(lines)
            del lines[at : at + size % 4 + 1]
        return "\n".join(lines)
    at = where % (len(text) + 1)
    if kind == "insert":
        return text[:at] + payload + text[at:]
    if kind == "delete":
        return text[:at] + text[at + size :]
    return text[:at] + payload + text[at + size % 8 :]


def assert_same(live: LiveDocument, text: str) -> None:
    document = live.update(text)
    fresh = WORKSPACE.open(PAPER_PATH, text)
    assert document.paper == fresh.paper
    assert document.diagnostics == fresh.diagnostics
    stats = live.reader.stats
    COUNTS["steps"] += 1
    COUNTS["full" if stats.full else "incremental"] += 1
    COUNTS["reread_chunks"] += stats.reread_chunks
    COUNTS["chunks"] += stats.chunks
    if not stats.full:
        COUNTS[
            "incremental, rest of the model kept"
            if not stats.walked
            else "incremental, rest walked again"
        ] += 1


@pytest.fixture(scope="module", autouse=True)
def _record() -> Iterator[None]:
    yield
    target = os.environ.get("RANPAPER_INCREMENTAL_STATS")
    if target:
        Path(target).write_text(json.dumps(dict(COUNTS), indent=2) + "\n", "utf-8")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(EDIT, min_size=1, max_size=STEPS))
def test_edits_read_as_a_fresh_open(edits: list[tuple[str, int, int, str]]) -> None:
    live = WORKSPACE.live(PAPER_PATH)
    text = TEXT
    live.update(text)
    COUNTS["sequences"] += 1
    for edit in edits:
        text = apply(text, edit)
        assert_same(live, text)


def _bullet_line(text: str) -> int:
    lines = text.split("\n")
    return next(n for n, line in enumerate(lines) if line.startswith("- ") and n > len(lines) // 2)


def test_typing_in_a_bullet_rereads_one_chunk() -> None:
    live = WORKSPACE.live(PAPER_PATH)
    live.update(TEXT)
    assert live.reader.stats.full
    lines = TEXT.split("\n")
    number = _bullet_line(TEXT)
    for letter in "typed":
        lines[number] = lines[number][:10] + letter + lines[number][10:]
        text = "\n".join(lines)
        assert_same(live, text)
        stats = live.reader.stats
        assert not stats.full, stats.why
        assert stats.reread_chunks == 1
        assert stats.kept_chunks == stats.chunks - 1
        assert stats.reread_lines < 30
        assert stats.walked == 0  # what was built after the chunk was kept as it was


def test_adding_a_bullet_and_a_paragraph_rereads_one_chunk() -> None:
    live = WORKSPACE.live(PAPER_PATH)
    live.update(TEXT)
    lines = TEXT.split("\n")
    number = _bullet_line(TEXT)
    lines.insert(number + 1, "- Meeting, RAN XYZ, Online, 12 March 2021")
    assert_same(live, "\n".join(lines))
    assert not live.reader.stats.full and live.reader.stats.reread_chunks == 1
    introduction = next(n for n, line in enumerate(lines) if line == "# Introduction")
    lines[introduction + 2] = "Typed. " + lines[introduction + 2]
    assert_same(live, "\n".join(lines))
    stats = live.reader.stats
    assert not stats.full and stats.reread_chunks == 1 and stats.walked == 0
    lines.insert(introduction + 2, "A new paragraph in the introduction.")
    lines.insert(introduction + 3, "")
    assert_same(live, "\n".join(lines))
    assert not live.reader.stats.full and live.reader.stats.reread_chunks == 1


def test_a_new_footnote_definition_parses_the_whole_paper() -> None:
    live = WORKSPACE.live(PAPER_PATH)
    live.update(TEXT)
    text = TEXT.rstrip("\n") + "\n\n[^brand-new]: a definition no chunk had\n"
    assert_same(live, text)
    assert live.reader.stats.full
    assert "footnote" in live.reader.stats.why


def test_an_unclosed_comment_rereads_on_past_the_next_heading() -> None:
    live = WORKSPACE.live(PAPER_PATH)
    live.update(TEXT)
    lines = TEXT.split("\n")
    number = _bullet_line(TEXT)
    lines.insert(number + 1, "<!-- opened and never closed")
    assert_same(live, "\n".join(lines))
    assert not live.reader.stats.full
    # The comment runs on over the headings after it: those lines are read again, as one.
    assert live.reader.stats.reread_lines > 50
