"""check --baseline: today's findings are accepted, only new ones fail, and edits above a
finding do not make it new; --add-waivers waives each finding's block with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ranpaper
from conftest import PAPER_PATH
from ranpaper.cli import main
from ranpaper.model import content

PAPER = PAPER_PATH.read_text("utf-8")


def test_baseline_records_then_fails_only_new_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper, baseline = tmp_path / "p.md", tmp_path / "baseline.json"
    paper.write_text(PAPER, "utf-8")
    assert main(["check", "--strict", str(paper)]) == 1  # 72 warnings fail when strict
    assert main(["check", "--strict", "--baseline", str(baseline), str(paper)]) == 0
    recorded = json.loads(baseline.read_text("utf-8"))
    assert sum(entry["count"] for entry in recorded["findings"]) == 81
    assert "recorded 81 finding(s)" in capsys.readouterr().err
    # Lines added at the top move every finding; none of them is new.
    moved = PAPER.replace("# Introduction\n", "# Introduction\n\nA new first line.\n", 1)
    paper.write_text(moved, "utf-8")
    assert main(["check", "--strict", "--baseline", str(baseline), str(paper)]) == 0
    assert "passed: 0 errors, 0 warnings, 0 infos" in capsys.readouterr().out
    # A misspelt heading is new.
    broken = moved.replace("Lessons learned and", "Lessons learnt and", 1)
    paper.write_text(broken, "utf-8")
    assert main(["check", "--strict", "--baseline", str(baseline), str(paper)]) == 1
    out = capsys.readouterr().out
    assert out.count("error[RP203]") == 1
    assert "1 error, 0 warnings, 0 infos" in out


def test_a_baseline_that_is_not_one_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text("[1, 2]", "utf-8")
    assert main(["check", "--baseline", str(baseline), str(PAPER_PATH)]) == 2
    assert "is not a ranpaper baseline" in capsys.readouterr().err


def test_add_waivers_waives_every_finding_and_keeps_the_paper(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = tmp_path / "p.md"
    paper.write_text(PAPER, "utf-8")
    assert (
        main(["check", "--select", "RP301", "--add-waivers", "links lost in the PDF", str(paper)])
        == 0
    )
    text = paper.read_text("utf-8")
    assert "<!-- ranpaper: ignore RP301 — links lost in the PDF -->\n\n- EXIT WG Meeting" in text
    assert content(ranpaper.parse(text)) == content(ranpaper.parse(PAPER))
    capsys.readouterr()
    assert main(["check", "--strict", "--select", "RP301", str(paper)]) == 0
    assert "0 warnings" in capsys.readouterr().out
    assert main(["check", "--add-waivers", "a -- b", str(paper)]) == 2
