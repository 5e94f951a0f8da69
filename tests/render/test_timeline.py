"""The timeline chart tells the truth: distinct dated events, "other" said out loud, colours
that stay apart for colour-blind readers, alt text in the PDF and a data table."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from pypdf import PdfReader
from test_pagination import words_by_page

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
    assert len(set(colours)) == len(colours) <= len(PALETTE) + 1  # and the outline


def test_the_svg_is_an_image_with_a_title_and_one_bar_per_year(paper: Paper) -> None:
    data = meetings_per_year(paper.themes)
    svg = ET.fromstring(timeline_svg(data, "Meetings and papers per year", legend=True))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "timeline-title timeline-desc"
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text == describe(data)
    assert f"{data.total} dated meetings and papers" in describe(data)
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    for year in data.years:
        assert str(year) in labels
    for category in data.categories:
        assert category in labels  # the legend, drawn inside for the Word picture
    assert not [
        t
        for t in ET.fromstring(timeline_svg(data, "x")).iter(f"{SVG}text")
        if t.text in labels[-1:]
    ]  # the page's chart leaves its legend to the HTML list


def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour, to measure how far apart two colours look."""
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    fx, fy, fz = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in xyz]
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def test_neighbouring_segments_look_apart_and_kind_not_stated_is_an_outline(
    paper: Paper,
) -> None:
    """Within Okabe–Ito's eight colours, any two segments that touch in a bar are at least
    40 apart (CIE ΔE*ab; orange and vermilion, the issue's look-alikes, are 36); "kind not
    stated" is white with a dashed outline, not a ninth colour."""
    data = meetings_per_year(paper.themes)
    okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00"}
    assert set(PALETTE) == okabe_ito | {"#CC79A7"}
    for year in data.years:
        fills = [data.colour(c) for c, _ in data.breakdown(year)]
        for a, b in itertools.pairwise(fills):
            assert math.dist(_lab(a), _lab(b)) >= 40, (year, a, b)
    assert UNSTATED in data.categories and data.colour(UNSTATED) == "#ffffff"
    svg = ET.fromstring(timeline_svg(data, "x"))
    unstated = [
        r for r in svg.iter(f"{SVG}rect") if "kind not stated" in (r.findtext(f"{SVG}title") or "")
    ]
    assert unstated and all(r.get("stroke-dasharray") for r in unstated)
    assert {data.colour(c) for c in data.categories if c != UNSTATED} <= set(PALETTE)


def test_the_charts_text_is_no_larger_than_the_caption(built: Path) -> None:
    """In the PDF the chart's years and numbers are set no larger than the caption under it
    (8 pt), and its title says what it counts."""
    html = (built / f"{STEM}.html").read_text("utf-8")
    assert "Timeline of meetings and papers</h2>" in html
    words = words_by_page(built / f"{STEM}.pdf")[-1][1]
    years = [w for w in words if re.fullmatch(r"20\d\d", w.text) and w.y1 - w.y0 < 20]
    caption = [w for w in words if w.text in ("counted", "however", "working")]
    assert years and caption
    chart = max(w.y1 - w.y0 for w in years[:10])
    assert chart <= min(w.y1 - w.y0 for w in caption) + 0.1, chart


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
