"""The print HTML's text preparation (`render/html.py`): the paper and its briefs share it, so
a word longer than a line gets the same break opportunities in both, wherever it is printed
(issue 20: a meeting whose place was one 80,000-letter word built the paper's PDF in seconds
and its briefs in minutes, or the other way round, depending on which path broke it)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import ranpaper
from ranpaper.render.html import LONG_WORD, ZWSP, breakable_text, render_brief, render_paper

MINIMAL = (Path(__file__).parent.parent / "rules" / "minimal.md").read_text("utf-8")
PLACE = "B" + "a" * 79_999
TOPIC = "T" + "o" * 999
ORGANISATION = "O" + "r" * 999
# A run of more letters than LONG_WORD with no space and no break opportunity in it.
UNBROKEN = re.compile(rf"[^\s{ZWSP}]{{{LONG_WORD + 1},}}")


class _BodyText(HTMLParser):
    """The text a reader sees in the body (no attributes, no styles)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.inside and self.inside.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "body" in self.inside and not {"style", "script"} & set(self.inside):
            self.text.append(data)


def body_text(html: str) -> str:
    parser = _BodyText()
    parser.feed(html)
    return "\n".join(parser.text)


def long_paper(tmp_path: Path) -> ranpaper.Paper:
    text = (
        MINIMAL.replace("Berlin, 3-4 May 2020", f"{PLACE}, 3-4 May 2020")
        .replace("## Topic", f"## {TOPIC}")
        .replace("**Exit Sweden (Sweden)**:", f"**Exit Sweden, {ORGANISATION} (Sweden)**:")
    )
    path = tmp_path / "paper.md"
    path.write_text(text, "utf-8")
    return ranpaper.load(path)


def test_the_paper_and_its_briefs_break_a_long_word_alike(tmp_path: Path) -> None:
    paper = long_paper(tmp_path)
    meeting = next(iter(paper.themes[0].topics[0].meetings))
    assert meeting.place == PLACE  # the case is what it says
    paper_html = render_paper(paper, "print")
    brief_html = render_brief(paper, paper.themes[0])
    broken = breakable_text(PLACE, "print")
    assert broken.count(ZWSP) == len(PLACE) // 20 - 1
    for name, html in (("paper", paper_html), ("brief", brief_html)):
        text = body_text(html)
        assert broken in text, f"the {name} does not break the place as the paper's text does"
        assert breakable_text(TOPIC, "print") in text, name
        found = [run[:40] + "…" for run in UNBROKEN.findall(text)]
        assert found == [], f"the {name} lays out words longer than a line unbroken: {found}"


def test_the_web_page_keeps_the_words_as_written(tmp_path: Path) -> None:
    """Break opportunities are a print concern: a browser breaks long words by itself
    (`overflow-wrap: anywhere`), and the page's text stays searchable as written."""
    html = render_paper(long_paper(tmp_path), "screen")
    assert PLACE in body_text(html)
    assert ZWSP not in html


def test_a_meeting_too_long_for_the_grid_is_set_as_blocks(tmp_path: Path) -> None:
    """The paper's meeting rows are a two-column grid in print; WeasyPrint lays out a grid
    row taller than a page in time far worse than linear (a 5,000-letter place: 80 s; the
    80,000-letter one: over 15 minutes), so such a row is set as blocks, as the brief sets
    its meetings (4 s)."""
    from ranpaper.resources import TEMPLATES

    rows = re.findall(r'<li class="(meeting[^"]*)">', render_paper(long_paper(tmp_path), "print"))
    assert rows == ["meeting meeting-long", "meeting"]
    css = (TEMPLATES / "print.css").read_text("utf-8")
    assert re.search(r"\.meeting-long\s*\{[^}]*display:\s*block", css)
    normal = tmp_path / "normal.md"
    normal.write_text(MINIMAL, "utf-8")
    assert "meeting-long" not in render_paper(ranpaper.load(normal), "print")
