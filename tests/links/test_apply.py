"""`ranpaper links --apply`: the registry's URLs written into the source, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from ranpaper.cli import main
from ranpaper.diagnostics import Edit
from ranpaper.lines import apply_edits

MINIMAL = (Path(__file__).parents[1] / "rules" / "minimal.md").read_text("utf-8")


def folder_with(tmp_path: Path, paper: str, registry: str) -> Path:
    (tmp_path / "paper.md").write_text(paper, "utf-8")
    (tmp_path / "links.toml").write_text(registry, "utf-8")
    return tmp_path / "paper.md"


def test_urls_are_written_and_only_they(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paper = folder_with(
        tmp_path,
        MINIMAL.replace("(https://example.org/manual)", "(#)"),
        '[[link]]\ntext = "Manual"\ntopic = "Topic"\nurl = "https://example.org/a_(b)"\n',
    )
    assert main(["links", str(paper), "--apply"]) == 0
    assert "wrote 1 URL(s)" in capsys.readouterr().out
    assert paper.read_text("utf-8") == MINIMAL.replace(
        "(https://example.org/manual)", r"(https://example.org/a_\(b\))"
    )
    # Now the entry is stale, and check says so
    assert main(["check", str(paper), "--select", "RP312"]) == 0
    assert "is no longer lost" in capsys.readouterr().out


def test_a_link_it_cannot_edit_is_reported_not_guessed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = MINIMAL.replace("[Manual](https://example.org/manual)", "[Manual][m]") + "\n[m]: #\n"
    paper = folder_with(
        tmp_path, text, '[[link]]\ntext = "Manual"\ntopic = "Topic"\nurl = "https://e.org/m"\n'
    )
    assert main(["links", str(paper), "--apply"]) == 1
    assert "reference-style" in capsys.readouterr().err
    assert paper.read_text("utf-8") == text


def test_apply_edits() -> None:
    text = "ab\ncdé\nf"
    edits = [Edit(2, 3, 2, 4, "E"), Edit(1, 1, 1, 1, ">"), Edit(3, 1, 3, 2, "")]
    assert apply_edits(text, [edits]) == (">ab\ncdE\n", [0])
    # Edits of one fix that overlap: the fix is not applied at all.
    assert apply_edits(text, [[Edit(1, 1, 1, 3, "x"), Edit(1, 2, 1, 3, "y")]]) == (text, [])
