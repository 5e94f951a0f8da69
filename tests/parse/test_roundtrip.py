"""Model → canonical Markdown → model gives an equal model, on the paper and generated ones."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

import ranpaper
from papers import paper_source
from ranpaper.model import Paper, content
from ranpaper.render.markdown import write_markdown


def test_the_paper_round_trips(paper: Paper) -> None:
    again = ranpaper.parse(write_markdown(paper))
    assert again.problems == []
    assert content(again) == content(paper)


def test_canonical_markdown_is_a_fixed_point(paper: Paper) -> None:
    once = write_markdown(paper)
    assert write_markdown(ranpaper.parse(once)) == once


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paper_source())
def test_generated_papers_round_trip(source: str) -> None:
    first = ranpaper.parse(source)
    assert first.problems == [], first.problems
    assert first.themes
    second = ranpaper.parse(write_markdown(first))
    assert content(second) == content(first)


def test_headings_ending_in_hashes_keep_them() -> None:
    """Found by hypothesis: `# Main theme 3: word # #` reads as "word #" (the last `#` is the
    heading's closing sequence) and must be written back so that it reads the same."""
    source = "---\ndate: 2021-11-24\n---\n# Main theme 1: word # #\n\n## C# ##\n"
    first = ranpaper.parse(source)
    assert first.themes[0].title_text == "word #"
    assert content(ranpaper.parse(write_markdown(first))) == content(first)
