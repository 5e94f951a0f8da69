"""ranpaper diff: a reviewer sees what changed in the paper's own terms, and nothing else."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import ranpaper
from conftest import PAPER_PATH
from ranpaper.baseline import keys
from ranpaper.check import check_paper
from ranpaper.cli import main
from ranpaper.config import Config
from ranpaper.semdiff import Report, compare, diff_findings, to_markdown, to_text

PAPER = PAPER_PATH.read_text("utf-8")
OVERARCHING = "Overarching guidelines and manuals on rehabilitation work"
WHERE = f"Guidelines for Rehabilitation work › General guidelines on rehabilitation › {OVERARCHING}"
REFLOWED = (
    "- Effective multi-agency collaboration is the key to successful rehabilitation efforts.",
    "- Effective multi-agency collaboration is the key\n  to successful rehabilitation efforts.",
)


def edited(*replacements: tuple[str, str]) -> str:
    text = PAPER
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def four_edits() -> str:
    """A changed meeting date, a new practice, an emptied section, a reflowed paragraph."""
    text = edited(
        ("Stockholm, 04-05 June 2012", "Stockholm, 04-05 June 2013"),
        (
            "**Exit Germany (Germany)**",
            "**Exit Norway (Norway)**: Support for people leaving extremism.\n\n"
            "**Exit Germany (Germany)**",
        ),
        REFLOWED,
        (
            "Over the past 10 years the constituencies of the current RAN Rehabilitation Working "
            "Group have contributed",
            "Over the past 10 years the constituencies\nof the current RAN Rehabilitation Working "
            "Group   have contributed",
        ),
    )
    start = text.index("#### What needs to be further explored?")
    end = text.index("\n#", start + 5)
    return text[:start] + "#### What needs to be further explored?\n" + text[end:]


def test_diff_reports_exactly_the_date_the_practice_and_the_emptied_section() -> None:
    changes = compare(ranpaper.parse(PAPER), ranpaper.parse(four_edits()))
    assert [(c.action, c.kind) for c in changes] == [
        ("changed", "meeting"),
        ("emptied", "section"),
        ("added", "practice"),
    ]
    date, emptied, practice = changes
    assert date.details == ["date 2012-06-04/2012-06-05 → 2013-06-04/2013-06-05"]
    assert date.label == "Kick-off meeting" and date.where == WHERE
    assert emptied.label == "What needs to be further explored?" and emptied.where == WHERE
    assert emptied.details and emptied.details[0].startswith("− gap: Rehabilitation work")
    assert practice.label == "Exit Norway"


def test_a_reordered_list_and_a_reflowed_paragraph_are_no_change() -> None:
    first = "- DERAD WG Meeting: Kick-off meeting, Stockholm, 04-05 June 2012\n"
    second = "- DERAD WG Meeting: Principles and guidelines"
    text = edited(REFLOWED)
    start = text.index(first)
    end = text.index("\n", text.index(second)) + 1
    swapped = text[:start] + text[start + len(first) : end] + first + text[end:]
    assert compare(ranpaper.parse(PAPER), ranpaper.parse(swapped)) == []


def test_topics_renamed_moved_added_and_removed() -> None:
    text = edited(
        ("### Peer- and self-review\n", "### Peer and self review\n"),
        ("## Gender\n", "## Gender and diversity\n"),
    )
    changes = compare(ranpaper.parse(PAPER), ranpaper.parse(text))
    found = {(c.action, c.kind, c.label) for c in changes}
    assert ("renamed", "topic", "Peer and self review") in found
    assert ("renamed", "topic", "Gender and diversity") in found
    assert len(changes) == 2


def test_cli_text_markdown_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(PAPER, "utf-8")
    new.write_text(four_edits(), "utf-8")
    assert main(["diff", str(old), str(new)]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0].startswith(
        f"{new}: 1 date changed, 1 section emptied, +1 practice, findings:"
    )
    assert main(["diff", "--format", "markdown", str(old), str(new)]) == 0
    markdown = capsys.readouterr().out
    assert "- meeting changed: Kick-off meeting" in markdown
    assert "  - date 2012-06-04/2012-06-05 → 2013-06-04/2013-06-05" in markdown
    assert main(["diff", "--format", "json", str(old), str(new)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["summary"].startswith("1 date changed, 1 section emptied, +1 practice")
    # The emptied section is not marked `None`: the check's RP202 finding is new.
    assert [(f["code"], f["topic"]) for f in data[0]["new_findings"]] == [("RP202", WHERE)]
    assert data[0]["fixed_findings"] == []


def test_cli_git_revisions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def git(*argv: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *argv],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    (tmp_path / "source").mkdir()
    paper = tmp_path / "source" / "x.md"
    paper.write_text(PAPER, "utf-8")
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "one")
    paper.write_text(four_edits(), "utf-8")
    git("commit", "-qam", "two")
    monkeypatch.chdir(tmp_path)
    assert main(["diff", "HEAD~1", "HEAD", "--", "source/x.md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("source/x.md: 1 date changed, 1 section emptied, +1 practice")
    assert main(["diff", "HEAD~1", "nonsense"]) == 2
    assert "nonsense" in capsys.readouterr().err


def test_a_reworded_lesson_is_one_change_and_a_removed_one_is_removed() -> None:
    text = edited(
        (
            "is the key to successful rehabilitation efforts.",
            "is the key to every successful rehabilitation effort.",
        ),
        (
            "- Stigmatisation and discrimination need to be addressed, prevented, and countered "
            "at all levels (e.g., through continuous multiplier and staff trainings).",
            "- Something else entirely.",
        ),
    )
    changes = compare(ranpaper.parse(PAPER), ranpaper.parse(text))
    assert [(c.action, c.kind) for c in changes] == [
        ("changed", "lesson"),
        ("removed", "lesson"),
        ("added", "lesson"),
    ]
    # The words that changed, with a few around them: never a cut that hides them.
    assert changes[0].details == [
        "text: … is the key to [+ every] successful rehabilitation [efforts. → effort.] To "
        "achieve such collaboration, …"
    ]


def test_a_topic_moved_to_another_theme_is_moved() -> None:
    start = PAPER.index("## Gender\n")
    end = PAPER.index("\n# ", start) + 1
    gender = PAPER[start:end]
    text = PAPER[:start] + PAPER[end:]
    text = text.replace("# Main theme 3:", gender + "# Main theme 3:", 1)  # into theme 2
    changes = compare(ranpaper.parse(PAPER), ranpaper.parse(text))
    assert [(c.action, c.kind, c.label) for c in changes] == [("moved", "topic", "Gender")]
    assert changes[0].details[0].startswith("from Guidelines for Rehabilitation work → ")


def test_a_reworded_introduction_is_a_change() -> None:
    text = edited(("Over the past 10 years", "Over the past ten years"))
    changes = compare(ranpaper.parse(PAPER), ranpaper.parse(text))
    assert [(c.action, c.kind, c.where) for c in changes] == [
        ("changed", "introduction", "Guidelines for Rehabilitation work")
    ]
    assert changes[0].details == ["~ Over the past [10 → ten] years the constituencies of …"]


# --- issue 24: a diff a reviewer can rely on -------------------------------------------------

GENDER = "Guidelines for Rehabilitation work"
ROME = "exit work](#), Rome, 22-23 October 2019"


def renamed_gender() -> str:
    """Gender renamed and, in the same commit, one of its meetings moved from Rome to Milan."""
    return edited(
        ("## Gender\n", "## Gender and diversity\n"),
        (ROME, ROME.replace("Rome", "Milan")),
    )


def test_a_renamed_topic_with_edits_is_renamed_and_changed_showing_the_edit() -> None:
    changes = compare(ranpaper.parse(PAPER), ranpaper.parse(renamed_gender()))
    assert [(c.action, c.kind, c.label) for c in changes] == [
        ("renamed", "topic", "Gender and diversity")
    ]
    [topic] = changes
    assert topic.details == ["title Gender → Gender and diversity"]
    assert [(c.action, c.kind, c.label, c.details) for c in topic.changes] == [
        ("changed", "meeting", "Gender-specific approaches in exit work", ["place Rome → Milan"])
    ]
    text = to_text(Report(changes), "p.md")
    assert "topic renamed, and changed: Gender and diversity" in text
    assert "place Rome → Milan" in text
    assert text.startswith("p.md: 1 topic renamed, 1 place changed")


def test_a_meeting_retitled_and_a_practice_renamed_are_changes_not_adds_and_removes() -> None:
    text = edited(
        ("[Gender-specific approaches in exit work]", "[Gender-specific approaches in EXIT work]"),
        (
            "**The Unity Initiative, United Kingdom**",
            "**The Unity Initiative (TUI), United Kingdom**",
        ),
    )
    changes = compare(ranpaper.parse(PAPER), ranpaper.parse(text))
    assert [(c.action, c.kind) for c in changes] == [
        ("changed", "meeting"),
        ("changed", "practice"),
    ]
    assert changes[0].details == [
        "title Gender-specific approaches in exit work → Gender-specific approaches in EXIT work"
    ]
    assert changes[1].details == ["name The Unity Initiative → The Unity Initiative (TUI)"]


def test_renaming_or_moving_a_topic_churns_no_finding() -> None:
    old, new = ranpaper.parse(PAPER), ranpaper.parse(renamed_gender())
    config = Config()
    added, fixed = diff_findings(
        keys(old, check_paper(old, config)), keys(new, check_paper(new, config))
    )
    assert (added, fixed) == ([], [])
    start = PAPER.index("## Gender\n")
    end = PAPER.index("\n# ", start) + 1
    moved = PAPER[:start] + PAPER[end:]
    moved = moved.replace("# Main theme 3:", PAPER[start:end] + "# Main theme 3:", 1)
    new = ranpaper.parse(moved)
    assert diff_findings(
        keys(old, check_paper(old, config)), keys(new, check_paper(new, config))
    ) == ([], [])


def test_a_baseline_does_not_churn_when_a_topic_is_renamed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper, baseline = tmp_path / "p.md", tmp_path / "baseline.json"
    paper.write_text(PAPER, "utf-8")
    assert main(["check", "--strict", "--baseline", str(baseline), str(paper)]) == 0
    paper.write_text(PAPER.replace("## Gender\n", "## Gender and diversity\n", 1), "utf-8")
    capsys.readouterr()
    assert main(["check", "--strict", "--baseline", str(baseline), str(paper)]) == 0
    assert "passed: 0 errors, 0 warnings, 0 infos" in capsys.readouterr().out


def test_a_long_field_shows_the_words_that_changed_never_a_cut() -> None:
    before = "is a specialist interventions consultancy in the United Kingdom."
    text = edited((before, before.replace("specialist", "specialised")))
    [change] = compare(ranpaper.parse(PAPER), ranpaper.parse(text))
    assert change.kind == "practice"
    assert change.details == [
        "description: … Initiative (TUI) is a [specialist → specialised] interventions "
        "consultancy in the …"
    ]


def test_footnotes_are_compared() -> None:
    text = edited(("Second edition. New York: Guilford.", "Third edition. New York: Guilford."))
    text += "\n[^9]: A new source.\n"
    changes = compare(ranpaper.parse(PAPER), ranpaper.parse(text))
    assert [(c.action, c.kind, c.label) for c in changes] == [
        ("changed", "footnote", "[^1]"),
        ("added", "footnote", "[^9]"),
    ]
    assert changes[0].details == [
        "text: … Preparing people for change. [Second → Third] edition. New York: Guilford."
    ]
    assert (
        changes[0].old_line == changes[0].new_line == PAPER[: PAPER.index("[^1]:")].count("\n") + 1
    )


def test_json_has_paths_and_lines_on_both_sides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(PAPER, "utf-8")
    text = four_edits()
    new.write_text(text, "utf-8")
    assert main(["diff", "--format", "json", str(old), str(new)]) == 0
    [data] = json.loads(capsys.readouterr().out)
    assert (data["old_path"], data["new_path"]) == (str(old), str(new))
    date = data["changes"][0]
    assert PAPER.splitlines()[date["old_line"] - 1].endswith("Stockholm, 04-05 June 2012")
    assert text.splitlines()[date["new_line"] - 1].endswith("Stockholm, 04-05 June 2013")
    [finding] = data["new_findings"]
    assert finding["path"] == str(new) and finding["code"] == "RP202"
    assert text.splitlines()[finding["line"] - 1] == "#### What needs to be further explored?"


def test_markdown_neutralises_mentions_and_addresses() -> None:
    text = edited(
        (
            "Over the past 10 years",
            "Over the past 10 years (ask @octocat, see https://evil.example/x)",
        )
    )
    out = to_markdown(Report(compare(ranpaper.parse(PAPER), ranpaper.parse(text))), "p.md")
    assert "@octocat" not in out and "@\u2060octocat" in out
    assert "`https://evil.example/x`)" in out
    assert " https://" not in out.replace("`https://", "")


def _repo(tmp_path: Path) -> tuple[Path, Callable[..., str]]:
    def git(*argv: str) -> str:
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *argv],
            cwd=tmp_path,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    (tmp_path / "source").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.md").write_text("# Notes\n\nNot a paper.\n", "utf-8")
    paper = tmp_path / "source" / "x.md"
    paper.write_text(PAPER, "utf-8")
    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-qm", "one")
    return paper, git


def test_git_ranges_one_revision_against_the_files_and_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paper, git = _repo(tmp_path)
    git("checkout", "-qb", "topic")
    paper.write_text(four_edits(), "utf-8")
    git("commit", "-qam", "two")
    monkeypatch.chdir(tmp_path)
    summary = "source/x.md: 1 date changed, 1 section emptied, +1 practice"
    for argv in (["HEAD~1..HEAD"], ["main..topic"], ["main...topic"], ["HEAD~1..", "--", "source"]):
        assert main(["diff", *argv]) == 0, argv
        assert capsys.readouterr().out.startswith(summary), argv
    assert main(["diff", "--exit-code", "HEAD~1", "HEAD"]) == 1
    capsys.readouterr()
    assert main(["diff", "--exit-code", "HEAD", "HEAD"]) == 0
    assert "no change to the paper's content" in capsys.readouterr().out
    # One revision against the files as they are now.
    paper.write_text(renamed_gender(), "utf-8")
    assert main(["diff", "--exit-code", "HEAD"]) == 1
    assert "topic renamed, and changed: Gender and diversity" in capsys.readouterr().out
    assert main(["diff", "HEAD", "source/x.md"]) == 0
    assert "topic renamed, and changed" in capsys.readouterr().out


def test_a_missing_path_is_named_and_other_markdown_is_no_paper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paper, git = _repo(tmp_path)
    paper.write_text(four_edits(), "utf-8")
    git("commit", "-qam", "two")
    monkeypatch.chdir(tmp_path)
    assert main(["diff", "HEAD~1", "HEAD", "--", "nope.md"]) == 2
    err = capsys.readouterr().err
    assert "nope.md: no such file or folder in HEAD~1 or HEAD" in err and "HEAD~1:" not in err
    assert main(["diff", "HEAD~1", "HEAD", "--", "docs/"]) == 2
    assert "no paper in HEAD~1 or HEAD under docs/" in capsys.readouterr().err


def test_a_side_that_looks_like_an_option_is_refused_before_git_sees_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["diff", "HEAD", "--", "--output=x"]) == 2
    assert "cannot start with `-`" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_topics_under_a_renamed_topic_follow_it_and_are_not_moved() -> None:
    text = edited(
        ("## General guidelines on rehabilitation\n", "## Guidance for rehabilitation work\n"),
        ("Stockholm, 04-05 June 2012", "Stockholm, 04-05 June 2013"),
    )
    changes = compare(ranpaper.parse(PAPER), ranpaper.parse(text))
    assert [(c.action, c.kind, c.label) for c in changes] == [
        ("renamed", "topic", "Guidance for rehabilitation work"),
        ("changed", "meeting", "Kick-off meeting"),
    ]
    assert changes[1].where == WHERE.replace(
        "General guidelines on rehabilitation", "Guidance for rehabilitation work"
    )


def test_pairing_by_likeness_is_bounded() -> None:
    from ranpaper.semdiff import MAX_PAIRS, _pair_similar

    side = int(MAX_PAIRS**0.5) + 1
    before = {f"old {i}": ("", {}, 0, f"lesson number {i} about work") for i in range(side)}
    after = {f"new {i}": ("", {}, 0, f"lesson number {i} about work") for i in range(side)}
    assert _pair_similar(before, after, 0.75) == {}
    few = dict(list(before.items())[:3]), dict(list(after.items())[:3])
    assert _pair_similar(*few, 0.75) == {"old 0": "new 0", "old 1": "new 1", "old 2": "new 2"}
