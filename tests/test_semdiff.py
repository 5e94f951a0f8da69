"""ranpaper diff: a reviewer sees what changed in the paper's own terms, and nothing else."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import ranpaper
from conftest import PAPER_PATH
from ranpaper.cli import main
from ranpaper.semdiff import compare

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
    assert changes[0].details[0].startswith("text Effective multi-agency collaboration is")


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
    assert changes[0].details[1].startswith("+ Over the past ten years")
