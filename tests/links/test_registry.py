"""links.toml as editors write it: what identifies an entry, and a clear error naming the
file and line for what cannot be read (never a traceback, never an entry silently dropped)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ranpaper.cli import main
from ranpaper.errors import RanpaperError
from ranpaper.links.registry import parse_registry, registry_beside


def test_entries_keep_their_line_notes_and_every_topic() -> None:
    registry = parse_registry(
        '# found\n\n[[link]]\ntext = "Rehabilitation   manual"\n'
        'topic = ["A / B", "C"]\nurl = " https://example.org/m "\nfound-by = "Ana"\n'
        'found-on = 2026-11-29\n\n[[link]] # second\ntext = "X"\ntopic = "C"\n'
        'url = "https://example.org/x"\npaper = "other.md"\n',
        "links.toml",
    )
    first, second = registry.entries
    assert (first.line, first.text, first.topics, first.url) == (
        3,
        "Rehabilitation manual",
        ("A / B", "C"),
        "https://example.org/m",
    )
    assert (first.found_by, first.found_on) == ("Ana", "2026-11-29")
    assert second.line == 10
    assert second.applies_to("source/other.md") and not second.applies_to("source/paper.md")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            '[[link]]\ntext = "X"\ntopic = "T"\nurl = "https://e.org"\nurl = "b"\n',
            5,
            "not valid TOML",
        ),
        ('[[link]]\ntext = "X"\ntopic = "T"\n', 1, "lacks `url`"),
        (
            '\n[[link]]\ntext = "X"\ntopic = "T"\nurl = "u"\nfound_by = "me"\n',
            2,
            "unknown key(s) found_by",
        ),
        ('[[link]]\ntext = "X"\ntopic = []\nurl = "u"\n', 1, "`topic` must be a topic path"),
        ('[[link]]\ntext = " "\ntopic = "T"\nurl = "u"\n', 1, "`text` is empty"),
        ('[links]\ntext = "X"\n', 1, "unknown table(s) links"),
    ],
)
def test_what_cannot_be_read_names_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(RanpaperError) as raised:
        parse_registry(text, "source/links.toml")
    assert raised.value.path == "source/links.toml"
    assert raised.value.line == line
    assert message in raised.value.message


def test_a_broken_registry_stops_check_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = Path(__file__).parents[1] / "rules" / "minimal.md"
    (tmp_path / "paper.md").write_text(paper.read_text("utf-8"), "utf-8")
    (tmp_path / "links.toml").write_text('[[link]]\ntext = "X"\n', "utf-8")
    assert main(["check", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"ranpaper: error: {tmp_path / 'links.toml'}:1: [[link]] lacks `topic`\n"
    )


def test_no_registry_beside_the_paper(tmp_path: Path) -> None:
    assert registry_beside(tmp_path / "paper.md") is None
