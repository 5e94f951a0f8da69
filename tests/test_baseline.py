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
    assert main(["check", "--strict", str(paper)]) == 1  # 71 warnings fail when strict
    assert main(["check", "--strict", "--baseline", str(baseline), str(paper)]) == 0
    recorded = json.loads(baseline.read_text("utf-8"))
    assert sum(entry["count"] for entry in recorded["findings"]) == 80
    assert "recorded 80 finding(s)" in capsys.readouterr().err
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
    # Each waiver is on the bullet whose link is lost, never above the whole list.
    assert (
        "(#), London, 15-16 March 2016\n  <!-- ranpaper: ignore RP301 — links lost in the PDF -->"
        in text
    )
    assert "-->\n\n- DERAD WG Meeting" not in text
    assert content(ranpaper.parse(text)) == content(ranpaper.parse(PAPER))
    capsys.readouterr()
    assert main(["check", "--strict", "--select", "RP301", str(paper)]) == 0
    assert "0 warnings" in capsys.readouterr().out
    assert main(["check", "--add-waivers", "a -- b", str(paper)]) == 2


LONDON = "- EXIT WG Meeting: Ex Post Paper [Outline for Interventions"


def test_a_waiver_for_one_meeting_does_not_silence_a_bad_line_added_to_its_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = tmp_path / "p.md"
    paper.write_text(PAPER, "utf-8")
    assert main(["check", "--select", "RP301", "--add-waivers", "lost", str(paper)]) == 0
    waived = paper.read_text("utf-8")
    assert content(ranpaper.parse(waived)) == content(ranpaper.parse(PAPER))
    # A meeting with a lost link added to the same list, right after the waived one.
    added = "- EXIT: [A new paper](#), Oslo, 01 March 2022\n"
    line = waived.index(LONDON)
    after = waived.index("\n- ", line) + 1
    paper.write_text(waived[:after] + added + waived[after:], "utf-8")
    capsys.readouterr()
    assert main(["check", "--strict", "--select", "RP301", str(paper)]) == 1
    out = capsys.readouterr().out
    assert out.count("warning[RP301]") == 1 and 'link "A new paper"' in out


def test_add_waivers_leaves_errors_unless_selected_and_never_a_safety_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = tmp_path / "p.md"
    broken = PAPER.replace("Stockholm, 04-05 June 2012", "Stockholm, 04-05 Juin 2012", 1).replace(
        "[Outline for Interventions of Deradicalisation from Involvement of Violent Extremism](#)",
        "[Outline for Interventions of Deradicalisation from Involvement of Violent Extremism]"
        "(htp://example.org/outline)",
        1,
    )
    paper.write_text(broken, "utf-8")
    assert main(["check", "--add-waivers", "adopting the rules", str(paper)]) == 1
    err, out = capsys.readouterr()[::-1]
    assert "2 finding(s) not waived: errors RP101" in err and "safety rules RP310" in err
    assert "error[RP101]" in out and "error[RP310]" in out and "warning[" not in out
    # Named one by one in --select, an error is waived; a safety rule still is not.
    assert main(["check", "--select", "RP101,RP310", "--add-waivers", "known", str(paper)]) == 1
    out = capsys.readouterr().out
    assert "error[RP101]" not in out and "error[RP310]" in out
    assert "ignore RP310" not in paper.read_text("utf-8")


@pytest.mark.parametrize("separator", [" - ", ": ", " — ", " -- "])
def test_a_waiver_reason_follows_a_hyphen_a_colon_or_a_dash(separator: str) -> None:
    from ranpaper.check import check_paper
    from ranpaper.config import Config

    waiver = f"<!-- ranpaper: ignore RP301{separator}never published -->\n\n"
    text = PAPER.replace("#### Meetings and papers\n\n", f"#### Meetings and papers\n\n{waiver}", 1)
    paper = ranpaper.parse(text)
    assert [(w.codes, w.reason) for w in paper.waivers] == [(["RP301"], "never published")]
    found = check_paper(paper, Config(select=("RP301", "RP9")), text)
    assert not [d for d in found if d.code.startswith("RP9")]


def test_a_reason_without_a_separator_is_named_as_such() -> None:
    from ranpaper.check import check_paper
    from ranpaper.config import Config

    waiver = "<!-- ranpaper: ignore RP301 never published -->\n\n"
    text = PAPER.replace("#### Meetings and papers\n\n", f"#### Meetings and papers\n\n{waiver}", 1)
    found = check_paper(ranpaper.parse(text), Config(select=("RP901",)), text)
    assert [d.message for d in found] == [
        "waiver reads 'never published' as codes and has no reason: the reason must follow "
        "a dash or a colon"
    ]


def test_a_version_1_baseline_is_refused_with_the_advice_to_record_it_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "baseline.json"
    entry = {"path": "p.md", "code": "RP301", "topic": "T", "message": "m", "count": 1}
    baseline.write_text(json.dumps({"version": 1, "findings": [entry]}), "utf-8")
    assert main(["check", "--baseline", str(baseline), str(PAPER_PATH)]) == 2
    err = capsys.readouterr().err
    assert "version 1 keyed findings by topic title" in err and "delete it to record" in err


def test_an_unused_waiver_in_a_bullet_says_it_covers_that_bullet() -> None:
    from ranpaper.check import check_paper
    from ranpaper.config import Config

    kick_off = "- DERAD WG Meeting: Kick-off meeting, Stockholm, 04-05 June 2012\n"
    text = PAPER.replace(kick_off, kick_off + "  <!-- ranpaper: ignore RP301 — lost -->\n", 1)
    found = check_paper(ranpaper.parse(text), Config(select=("RP301", "RP902")), text)
    line = text[: text.index("  <!-- ranpaper")].count("\n") + 1
    assert [(d.code, d.line, d.message) for d in found if d.code == "RP902"] == [
        ("RP902", line, "waiver for RP301 waives nothing in the bullet it stands in")
    ]
    # Its line is part of the bullet: the lost link of the London meeting below is reported.
    assert any(d.code == "RP301" and d.line > line for d in found)
