"""The source carries the published paper: every sentence, verbatim, and its title block."""

from __future__ import annotations

import re

from conftest import PUBLISHED
from published_text import markdown_plain, missing, published_sentences, title_block
from ranpaper.model import Paper


def test_every_published_sentence_is_in_the_source(paper_text: str) -> None:
    sentences = published_sentences(PUBLISHED)
    assert len(sentences) > 400  # the comparison really covers the paper
    lost = missing(sentences, markdown_plain(paper_text))
    assert lost == [], f"{len(lost)} published sentence(s) missing from the source: {lost[:5]}"


def test_the_comparison_notices_a_dropped_sentence(paper_text: str) -> None:
    damaged = paper_text.replace("Following release, relocation needs to be considered.", "")
    lost = missing(published_sentences(PUBLISHED), markdown_plain(damaged))
    assert lost == ["Following release, relocation needs to be considered."]


def test_the_comparison_notices_a_reworded_sentence(paper_text: str) -> None:
    damaged = paper_text.replace("Gender is central to", "Gender is key to")
    assert missing(published_sentences(PUBLISHED), markdown_plain(damaged))


def test_title_block_is_in_the_front_matter(paper: Paper) -> None:
    block = title_block(PUBLISHED)
    assert block == [
        "WG REHAB",
        "24/11/2021",
        "SPECIAL OVERVIEW PAPER",
        "RAN Rehabilitation working group",
        "RAN activities on Rehabilitation",
    ]
    meta = paper.metadata
    assert meta.short_name == "WG REHAB"
    assert meta.date is not None and meta.date.strftime("%d/%m/%Y") == "24/11/2021"
    assert meta.kind is not None and meta.kind.upper() == "SPECIAL OVERVIEW PAPER"
    assert meta.working_group == "RAN Rehabilitation working group"
    assert meta.title == "RAN activities on Rehabilitation"


def test_leaders_in_front_matter_match_the_introduction(paper: Paper, paper_text: str) -> None:
    leaders = paper.metadata.leaders
    assert [(lead.name, lead.period) for lead in leaders.current] == [
        ("Robert Örell", "2012–present"),
        ("Ioan Durnescu", "2019–present"),
    ]
    assert len(leaders.previous) == 6
    intro = markdown_plain(paper_text)
    for leader in [*leaders.current, *leaders.previous]:
        start = str(leader.start)
        assert re.search(rf"{re.escape(leader.name)} \((?:\S+ )?{start}-", intro), leader.name


def test_lost_links_stay_placeholders(paper_text: str) -> None:
    published = PUBLISHED.read_text("utf-8")
    assert paper_text.count("](#)") == published.count("](#)") == 65
