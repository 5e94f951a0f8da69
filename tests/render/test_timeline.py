"""The timeline chart tells the truth: distinct dated events, "other" said out loud, colours
that stay apart for colour-blind readers, alt text in the PDF and a data table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from pypdf import PdfReader

import ranpaper
from ranpaper.model import Paper
from ranpaper.render.brief import unique_meetings
from ranpaper.render.html import meetings_per_year
from ranpaper.render.timeline import (
    EVENT,
    JOINT,
    PALETTE,
    PUBLICATION,
    UNSTATED,
    describe,
    table_rows,
    timeline_svg,
)

STEM = "rehabilitation-overview"
SVG = "{http://www.w3.org/2000/svg}"

SMALL = """---
title: T
working_group: WG
date: 2023-03-01
---

# Main theme 1: One

## A

### Meetings and papers

- EXIT & P&P: Joint meeting, Paris, 5 May 2019
- EXIT WG Meeting: Alone, Rome, 6 June 2019
- Paper: Some paper, 2020

## B

### Meetings and papers

- EXIT & P&P: Joint meeting, Paris, 5 May 2019
- Study visit: Somewhere, Berlin, 3 March 2020
- EXIT: Undated thing
"""


def test_a_joint_event_cited_twice_counts_once_and_other_is_named() -> None:
    data = meetings_per_year(ranpaper.parse(SMALL).themes)
    assert data.years == [2019, 2020]
    assert dict(data.counts[2019]) == {"EXIT": 1, JOINT: 1}
    assert dict(data.counts[2020]) == {PUBLICATION: 1, EVENT: 1}
    assert data.total == 4  # the undated meeting is not counted
    assert table_rows(data) == [
        (2019, 2, f"EXIT: 1 · {JOINT}: 1 (EXIT + P&P)"),
        (2020, 2, f"{PUBLICATION}: 1 · {EVENT}: 1"),
    ]


def test_an_event_whose_line_does_not_say_what_it_was_is_counted_as_such() -> None:
    """Not guessed from its place (a meeting) or the lack of one (a paper)."""
    text = SMALL.replace("- Paper: Some paper, 2020", "- [Some paper](#), 2020").replace(
        "- Study visit: Somewhere, Berlin", "- [Somewhere](#), Berlin"
    )
    data = meetings_per_year(ranpaper.parse(text).themes)
    assert dict(data.counts[2020]) == {UNSTATED: 2}
    assert data.total == 4


def test_the_charts_total_is_the_number_of_distinct_dated_events(paper: Paper) -> None:
    events = [m for m in unique_meetings(paper.themes) if m.date and not m.forthcoming]
    data = meetings_per_year(paper.themes)
    assert data.total == len(events)
    assert sum(total for _, total, _ in table_rows(data)) == len(events)
    assert "other" not in data.categories


def test_the_palette_is_okabe_ito_and_every_category_has_its_own_colour(paper: Paper) -> None:
    assert PALETTE[:3] == ["#0072B2", "#E69F00", "#009E73"]
    data = meetings_per_year(paper.themes)
    colours = [data.colour(c) for c in data.categories]
    assert len(set(colours)) == len(colours) <= len(PALETTE)


def test_the_svg_is_an_image_with_a_title_and_one_bar_per_year(paper: Paper) -> None:
    data = meetings_per_year(paper.themes)
    svg = ET.fromstring(timeline_svg(data, "Meetings and papers per year"))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "timeline-title timeline-desc"
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text == describe(data)
    assert f"{data.total} dated meetings and papers" in describe(data)
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    for year in data.years:
        assert str(year) in labels
    for category in data.categories:
        assert category in labels  # the legend


def test_the_pdf_figure_carries_alt_text(built: Path, paper: Paper) -> None:
    reader = PdfReader(built / f"{STEM}.pdf")
    alts = []

    def walk(element: object) -> None:
        element = element.get_object()  # type: ignore[attr-defined]
        if isinstance(element, dict):
            if element.get("/S") == "/Figure":
                alts.append(str(element.get("/Alt", "")))
            kids = element.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
                    walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert describe(meetings_per_year(paper.themes)) in alts


def test_the_web_page_has_the_charts_numbers_as_a_table(built: Path, paper: Paper) -> None:
    html = (built / f"{STEM}.html").read_text("utf-8")
    table = re.search(r'<table class="timeline-table">.*?</table>', html, re.DOTALL)
    assert table is not None
    cells = re.findall(r'<tr><th scope="row">(\d+)</th><td>(\d+)</td>', table[0])
    data = meetings_per_year(paper.themes)
    assert [(int(y), int(n)) for y, n in cells] == [(y, t) for y, t, _ in table_rows(data)]
