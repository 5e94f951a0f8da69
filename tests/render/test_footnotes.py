"""Footnotes that cite footnotes: print cannot float a footnote inside a footnote, so the
renderer sets a cited one in brackets and stops there; a footnote citing itself is its number."""

from __future__ import annotations

import re
from pathlib import Path

import ranpaper
from ranpaper.render.html import render_paper

MINIMAL = (Path(__file__).parents[1] / "rules" / "minimal.md").read_text("utf-8")


def _paper(notes: str) -> ranpaper.model.Paper:
    text = MINIMAL.replace("Start early.", "Start early.[^a]") + "\n" + notes
    return ranpaper.parse(text, path="p.md")


def test_a_footnote_citing_itself_renders_once_with_its_number() -> None:
    html = render_paper(_paper("[^a]: See also [^a].\n"), "print")
    assert html.count("See also") == 1
    assert re.search(r'See also <sup class="footnote-ref">\d+</sup>', html)


def test_a_footnote_cited_in_a_footnote_is_set_there_in_brackets() -> None:
    html = render_paper(
        _paper("[^a]: First [^b].\n\n[^b]: Second [^c].\n\n[^c]: Third.\n"), "print"
    )
    inline = (
        r'<span class="footnote-inline">\[Second <sup class="footnote-ref">\d+</sup>\.\]</span>'
    )
    assert re.search(r'<span class="footnote">First ' + inline, html)


def test_a_long_chain_of_footnotes_renders_without_recursion() -> None:
    chain = "".join(f"[^n{i}]: Note {i} [^n{i + 1}].\n\n" for i in range(3000))
    text = MINIMAL.replace("Start early.", "Start early.[^n0]") + "\n" + chain + "[^n3000]: End.\n"
    html = render_paper(ranpaper.parse(text, path="p.md"), "print")
    assert "Note 0" in html and "Note 1" in html
