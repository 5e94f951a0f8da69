"""`ranpaper links --lost`: what the people searching for lost documents get."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import PAPER_PATH
from ranpaper.cli import main
from ranpaper.links.lost import still_lost
from ranpaper.links.registry import parse_registry
from ranpaper.model import Paper


def test_one_document_cited_from_three_topics_is_one_row(paper: Paper) -> None:
    documents, recovered = still_lost(paper, None)
    assert recovered == 0
    assert sum(len(d.citations) for d in documents) == 65
    manual = next(d for d in documents if d.title.casefold() == "rehabilitation manual")
    assert [c.span.line for c in manual.citations] == [105, 355, 448]
    assert len({c.place for c in manual.citations}) == 3


def test_two_meetings_videos_stay_two_documents(paper: Paper) -> None:
    documents, _ = still_lost(paper, None)
    videos = [d for d in documents if d.title.startswith("Video")]
    assert len(videos) == 2
    assert all(len(d.citations) == 1 for d in videos)
    assert (
        videos[1].title
        == "Video (Dealing with radicalised individuals during and after imprisonment)"
    )


def test_recovered_links_are_not_listed(paper: Paper) -> None:
    registry = parse_registry(
        '[[link]]\ntext = "Rehabilitation manual"\n'
        'topic = "Sub theme: Multi-agency cooperation"\nurl = "https://example.org/m"\n',
        "links.toml",
    )
    documents, recovered = still_lost(paper, registry)
    assert recovered == 1
    manual = next(d for d in documents if d.title.casefold() == "rehabilitation manual")
    assert [c.span.line for c in manual.citations] == [105, 448]


def test_table_csv_and_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["links", str(PAPER_PATH)]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split() == ["document", "line", "cited", "in", "(topic)"]
    assert table.rstrip().endswith("65 link(s) still lost, 61 document(s)")
    assert main(["links", str(PAPER_PATH), "--lost", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 61
    manual = next(r for r in rows if r["document"] == "Rehabilitation Manual")
    assert (manual["cited"], manual["lines"], manual["url"]) == ("3", "105 355 448", "")
    assert main(["links", str(PAPER_PATH), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 61 and data[0]["citations"][0]["line"] == 70
