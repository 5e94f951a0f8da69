"""`Model.make`, the parser's way of building nodes without validation: it must give what
pydantic itself would give for the same values, and refuse names it does not know."""

from __future__ import annotations

from pathlib import Path

import pytest

import ranpaper
from ranpaper.model import Gap, Link, Paper, Span, Text

PAPER = Path(__file__).parent.parent / "source" / "rehabilitation-overview.md"


def test_make_equals_a_validated_model_with_defaults_filled_in() -> None:
    made = Link.make(url="#", children=[Text.make(text="Agenda")])
    validated = Link.model_validate({"url": "#", "children": [{"type": "text", "text": "Agenda"}]})
    assert made == validated
    assert made.model_dump() == validated.model_dump()
    assert made.model_fields_set == {"url", "children"}


def test_mutable_defaults_are_not_shared_between_instances() -> None:
    span = Span.make(line=1, end_line=1)
    first = Gap.make(text=[], span=span)
    second = Gap.make(text=[], span=span)
    assert first.children == [] and first.children is not second.children


def test_unknown_or_missing_fields_are_refused() -> None:
    with pytest.raises(TypeError, match="unknown"):
        Span.make(line=1, end_line=1, colum=3)
    with pytest.raises(TypeError, match="end_line"):
        Span.make(line=1)


def test_the_parsed_paper_is_valid_as_pydantic_sees_it() -> None:
    """What the parser made without validation passes validation and is the same paper
    (parser problems and waivers are not part of the paper's data, so not compared)."""
    paper = ranpaper.load(PAPER)
    validated = Paper.model_validate(paper.model_dump())
    assert validated == paper.model_copy(update={"problems": [], "waivers": [], "ignored": []})
