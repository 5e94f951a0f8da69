"""The library as a newcomer meets it (issue 23): `ranpaper.check` after `import ranpaper`, a
one-line `repr`, `load_all` of a string or a path, and a JSON round trip that keeps the
paper's content."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import ranpaper
from conftest import PAPER_PATH, ROOT
from ranpaper.model import Paper, content
from ranpaper.render.json import from_json, to_json


def test_check_is_there_after_import_ranpaper() -> None:
    code = "import ranpaper\nprint(ranpaper.check.check_paper.__name__)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout == "check_paper\n", result.stderr


def test_repr_of_a_paper_is_one_short_line(paper: Paper) -> None:
    text = repr(paper)
    assert "\n" not in text and len(text) < 200
    assert text.startswith("<Paper 'RAN activities on Rehabilitation' ")


def test_load_all_takes_a_string_a_path_or_a_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for paths in ("source/", Path("source"), ["source/"], [PAPER_PATH]):
        papers = ranpaper.load_all(paths)
        assert [p.metadata.title for p in papers] == ["RAN activities on Rehabilitation"]


def test_json_round_trip_keeps_the_content(paper: Paper) -> None:
    again = from_json(to_json(paper))
    assert content(again) == content(paper)
    assert to_json(again) == to_json(paper)
