"""Another working group's paper, written only from docs/authoring.md, parses cleanly."""

from __future__ import annotations

from pathlib import Path

import ranpaper
from conftest import FIXTURES
from ranpaper.check import check_paper
from ranpaper.config import Config
from ranpaper.diagnostics import Severity


def test_other_working_group_paper_parses_without_problems() -> None:
    paper = ranpaper.load(FIXTURES / "other-wg.md")
    assert paper.problems == []
    assert [t.title_text for t in paper.themes] == ["Schools", "Online"]
    meetings = [m for _t, m in paper.meetings()]
    assert [m.organisers for m in meetings] == [["YOUTH"], [], ["EDU"], ["YOUTH"]]
    assert meetings[0].date is not None and meetings[0].date.end.isoformat() == "2022-12-01"
    assert meetings[1].author == "Ana Costa"
    assert meetings[2].place == "Tallinn & Tartu" and meetings[2].notes == ["no paper published"]
    [(_topic, practice)] = list(paper.citations())
    assert (practice.name, practice.country) == ("Dialogue Days", "Portugal")


def test_other_working_group_paper_checks_clean_but_for_its_lost_link() -> None:
    paper = ranpaper.load(FIXTURES / "other-wg.md")
    found = [
        (d.code, d.line) for d in check_paper(paper, Config()) if d.severity is not Severity.info
    ]
    assert found == [("RP301", 26)]


def test_a_folder_holds_several_papers(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text((FIXTURES / "other-wg.md").read_text("utf-8"), "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text((FIXTURES / "other-wg.md").read_text("utf-8"), "utf-8")
    papers = ranpaper.load_all([tmp_path])
    assert [Path(p.path or "").name for p in papers] == ["a.md", "b.md"]
