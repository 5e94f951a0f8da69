"""The model → outputs ledger (issue 21): each output is read back after rendering, and a
block it promised but lost stops the build, naming the output, the block and its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ranpaper
from conftest import FIXTURES
from ranpaper.build.artifacts import PaperBuild
from ranpaper.build.errors import BuildError
from ranpaper.build.ledger import promised, verify
from ranpaper.build.readback import GAP, Words, brief_blocks, missing, paper_blocks
from ranpaper.cli import main
from ranpaper.model import Paragraph


def test_words_are_found_in_order_and_only_then() -> None:
    found = Words("The quick brown fox jumps over the lazy dog.")
    assert found.holds("quick brown fox")
    assert found.holds("the lazy dog")
    assert not found.holds("brown quick fox")  # out of order
    assert not found.holds("quick red fox")  # a word missing
    far = Words("alpha " + "filler " * (GAP + 5) + "omega")
    assert not far.holds("alpha omega")
    assert Words("alpha " + "filler " * 10 + "omega").holds("alpha omega")


def test_what_a_layout_does_to_words_is_read_through() -> None:
    # A word hyphenated at a line's end, a compound broken at a page's end with the running
    # head between its parts (pdfium marks the break U+FFFE), a footnote call glued to its
    # word, a ligature.
    page = (
        "mentors help the reha-\nbilitation of multi\ufffeWG REHAB · Brief 3\nagency teams "
        "motivation1 of the ﬁrst"
    )
    found = Words(page)
    assert found.holds("mentors help the rehabilitation of multi-agency teams")
    assert found.holds("motivation of the first")
    assert not found.holds("motivation of the second")


def _build_of(path: Path) -> PaperBuild:
    return PaperBuild(ranpaper.load(path), "test")


def test_every_output_promises_the_paper_or_its_theme(tmp_path: Path) -> None:
    build = _build_of(FIXTURES / "other-wg.md")
    paper = build.paper
    theme = paper.themes[0]
    brief = build.brief_name(theme)
    for suffix in (".pdf", ".html", ".json", ".docx"):
        assert promised(build, Path(build.stem + suffix)) == paper_blocks(paper)
    for suffix in (".pdf", ".md", ".docx"):
        assert promised(build, brief.with_suffix(suffix)) == brief_blocks(paper, theme)
    assert promised(build, Path("unknown.txt")) is None
    texts = " ".join(text for text, _line in brief_blocks(paper, theme))
    assert "Schools host monthly dialogue days" in texts  # a practice
    assert "Train teachers early." in texts  # a lesson
    assert theme.title_text in texts


def test_a_markdown_brief_that_lost_a_block_is_a_build_error(tmp_path: Path) -> None:
    build = _build_of(FIXTURES / "other-wg.md")
    theme = build.paper.themes[0]
    name = build.brief_name(theme).with_suffix(".md")
    from ranpaper.render.markdown import write_brief

    whole = write_brief(build.paper, theme)
    (tmp_path / name).parent.mkdir(parents=True)
    (tmp_path / name).write_text(whole, "utf-8")
    verify(build, [name], tmp_path)  # as written: nothing lost
    (tmp_path / name).write_text(whole.replace("- Train teachers early.\n", ""), "utf-8")
    with pytest.raises(BuildError) as caught:
        verify(build, [name], tmp_path)
    line = next(n for n, row in enumerate((FIXTURES / "other-wg.md").open(), 1) if "Train" in row)
    message = str(caught.value)
    assert name.as_posix() in message and f"line {line}" in message
    assert "Train teachers early." in message


def test_missing_names_each_lost_block_with_its_line() -> None:
    assert missing("one two three", [("one two", 3), ("two four", 7)]) == [("two four", 7)]


def test_a_build_whose_pdf_lost_text_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A renderer that loses a paragraph: the read-back of the PDF brief stops the build, and
    nothing is written."""
    shutil.copy(FIXTURES / "other-wg.md", tmp_path / "paper.md")
    from ranpaper.render import html

    real = html.render_brief

    def losing(paper, theme, images=None, paper_pdf=None):  # type: ignore[no-untyped-def]
        intro = [b for b in theme.intro if not isinstance(b, Paragraph)]
        from dataclasses import replace

        return real(paper, replace(theme, intro=intro), images, paper_pdf)

    monkeypatch.setattr(html, "render_brief", losing)
    out = tmp_path / "out"
    code = main(["build", str(tmp_path / "paper.md"), "--out", str(out), "--format", "briefs"])
    assert code == 1
    error = capsys.readouterr().err
    line = next(n for n, row in enumerate((FIXTURES / "other-wg.md").open(), 1) if "reached" in row)
    assert f"paper.md:{line}" in error
    assert "briefs/01-schools.pdf lacks the text of line" in error, error
    assert not (out / "briefs").exists() or not list((out / "briefs").iterdir())


def test_a_word_longer_than_a_line_is_read_back_whole(tmp_path: Path) -> None:
    """A pasted 3,000-letter run wraps over many lines of the PDF: its parts read as one."""
    long_word = "".join(chr(ord("a") + i % 26) for i in range(3000))
    text = (FIXTURES / "other-wg.md").read_text("utf-8")
    text = text.replace("Schools are where", f"Schools {long_word} are where", 1)
    (tmp_path / "paper.md").write_text(text, "utf-8")
    out = tmp_path / "out"
    code = main(["build", str(tmp_path / "paper.md"), "--out", str(out), "--format", "pdf"])
    assert code == 0
    assert Words("x " + "a" * 10 + "\n" + "b" * 10 + "\n" + "c" * 4 + " y").holds(
        "x " + "a" * 10 + "b" * 10 + "cccc y"
    )
