"""JSON out: its shape, its schema (validated independently), and that it loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings

import ranpaper
from conftest import PUBLISHED, ROOT
from papers import paper_source
from published_text import missing, model_plain, published_sentences
from ranpaper.model import Paper
from ranpaper.render.json import from_json, to_json
from ranpaper.schema import schema_text


@pytest.fixture(scope="module")
def data(paper: Paper) -> dict:  # type: ignore[type-arg]
    return json.loads(to_json(paper))


def test_shape(data: dict) -> None:  # type: ignore[type-arg]
    assert len(data["themes"]) == 5
    topic = data["themes"][0]["topics"][0]["topics"][0]
    assert set(topic) >= {"meetings", "practices", "lessons", "gaps", "topics"}
    first = topic["meetings"]["items"][0]
    assert first["date"] == {
        "text": "04-05 June 2012",
        "start": "2012-06-04",
        "end": "2012-06-05",
        "precision": "day",
    }
    assert first["place"] == "Stockholm"


def test_month_dates_are_first_and_last_day(data: dict) -> None:  # type: ignore[type-arg]
    dates = [item["date"] for theme in data["themes"] for item in _meetings(theme)]
    december = next(d for d in dates if d["text"] == "December 2018")
    assert (december["start"], december["end"], december["precision"]) == (
        "2018-12-01",
        "2018-12-31",
        "month",
    )


def _meetings(node: dict) -> list[dict]:  # type: ignore[type-arg]
    found = []
    for topic in node.get("topics", []):
        if topic.get("meetings"):
            found += [i for i in topic["meetings"]["items"] if i["type"] == "meeting"]
        found += _meetings(topic)
    return found


def test_json_validates_against_the_committed_schema(data: dict) -> None:  # type: ignore[type-arg]
    schema = json.loads((ROOT / "schema" / "paper.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)


def test_schema_rejects_a_broken_document(data: dict) -> None:  # type: ignore[type-arg]
    schema = json.loads(schema_text())
    broken = json.loads(json.dumps(data))
    broken["themes"][0]["number"] = "one"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_committed_schema_is_current() -> None:
    assert (ROOT / "schema" / "paper.schema.json").read_text("utf-8") == schema_text()


def test_no_published_sentence_is_missing_from_the_json(paper: Paper) -> None:
    reloaded = from_json(to_json(paper))
    lost = missing(published_sentences(PUBLISHED), model_plain(reloaded))
    assert lost == []


def test_json_model_json_is_identical(paper: Paper) -> None:
    text = to_json(paper)
    assert to_json(from_json(text)) == text


@settings(max_examples=25, deadline=None)
@given(paper_source())
def test_generated_papers_json_round_trip(source: str) -> None:
    text = to_json(ranpaper.parse(source))
    assert to_json(from_json(text)) == text


def test_build_writes_json(tmp_path: Path) -> None:
    from ranpaper.cli import main

    out = tmp_path / "out"
    assert (
        main(["build", str(ROOT / "source"), "--out", str(out), "--format", "json", "--quiet"]) == 0
    )
    written = json.loads((out / "rehabilitation-overview.json").read_text("utf-8"))
    assert len(written["themes"]) == 5
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == [
        "rehabilitation-overview.json"
    ]
