"""The model is plain frozen dataclasses; pydantic validates and describes it on demand. What
the parser builds without validation must be exactly what validation accepts."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pydantic import ValidationError

import ranpaper
from ranpaper.model import Gap, Link, Span, Text
from ranpaper.render.json import to_data, validate

PAPER = Path(__file__).parent.parent / "source" / "rehabilitation-overview.md"


def test_nodes_are_frozen_and_strict_about_names() -> None:
    span = Span(line=1, end_line=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.line = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        Span(line=1, end_line=1, colum=3)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Span(line=1)  # type: ignore[call-arg]


def test_list_defaults_are_not_shared_between_instances() -> None:
    span = Span(line=1, end_line=1)
    first, second = Gap(text=[], span=span), Gap(text=[], span=span)
    assert first.children == [] and first.children is not second.children


def test_the_parsed_paper_is_valid_as_pydantic_sees_it() -> None:
    """What the parser made without validation passes validation and is the same paper
    (parser notes and the path are not part of the paper's data, so not compared)."""
    paper = ranpaper.load(PAPER)
    validated = validate(to_data(paper))
    assert validated == dataclasses.replace(paper, path=None, problems=[], waivers=[], ignored=[])


def test_validation_names_the_node_by_its_type_tag() -> None:
    data = to_data(ranpaper.parse("---\ndate: 2021-11-24\n---\n# Main theme 1: T\n"))
    data["themes"][0]["title"] = [{"type": "link", "url": "#", "children": [], "colour": "red"}]
    with pytest.raises(ValidationError) as error:
        validate(data)
    assert "themes.0.title.0.link.colour" in str(error.value)
    assert error.value.error_count() == 1


def test_link_text_reads_through_children() -> None:
    assert Link(url="#", children=[Text(text="Agenda")]).text == "Agenda"
