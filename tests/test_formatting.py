"""ranpaper fmt: canonical, idempotent, never a different model, never a lost comment."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ranpaper
from conftest import PAPER_PATH
from papers import paper_source
from ranpaper.baseline import Key, keys
from ranpaper.check import check_paper
from ranpaper.cli import main
from ranpaper.config import Config
from ranpaper.formatting import format_text
from ranpaper.model import content

_COMMENTS = st.sampled_from(
    [
        "<!-- an editor's note -->",
        "<!-- ranpaper: ignore RP301 — the report was never published online -->",
        "<!--\nTODO: check the date with the secretariat\n-->",
        "<!-- ranpaper: ignore RP999 -->",
    ]
)


@st.composite
def commented_paper(draw: st.DrawFn) -> str:
    """A generated paper with comments between some of its blocks (after the front matter)."""
    blocks = draw(paper_source()).split("\n\n")
    out = blocks[:1]
    for block in blocks[1:]:
        if block.strip() and draw(st.integers(0, 3)) == 0:
            out.append(draw(_COMMENTS))
        out.append(block)
    if draw(st.booleans()):
        out.append(draw(_COMMENTS) + "\n")
    return "\n\n".join(out)


def _comments(text: str) -> list[str]:
    return [comment.text for comment in ranpaper.parse(text).comments]


def _findings(text: str) -> list[Key]:
    paper = ranpaper.parse(text, "p.md")
    return sorted(keys(paper, check_paper(paper, Config(), text)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commented_paper())
def test_fmt_keeps_the_model_and_every_comment_and_is_idempotent(source: str) -> None:
    result = format_text(source)
    unplaced = [p for p in ranpaper.parse(source).problems if p.text]
    if unplaced:  # e.g. a paragraph reading "none" in a section with content
        assert result.refused is not None and result.text == source
        return
    assert result.refused is None
    assert content(ranpaper.parse(result.text)) == content(ranpaper.parse(source))
    assert _comments(result.text) == _comments(source)
    # Every waiver still waives what it did: the check finds the same.
    assert _findings(result.text) == _findings(source)
    assert format_text(result.text).text == result.text


def test_fmt_on_the_paper_with_comments() -> None:
    text = PAPER_PATH.read_text("utf-8").replace(
        "#### Practices\n", "<!-- ask the secretariat for the links -->\n#### Practices\n", 1
    )
    result = format_text(text)
    assert result.refused is None
    assert "<!-- ask the secretariat for the links -->\n\n#### Practices\n" in result.text
    assert content(ranpaper.parse(result.text)) == content(ranpaper.parse(text))
    assert format_text(result.text).text == result.text


def test_a_waiver_stays_before_its_block() -> None:
    text = PAPER_PATH.read_text("utf-8")
    old = "- EXIT WG Meeting: Ex Post Paper [Outline for Interventions"
    waived = text.replace(old, "<!-- ranpaper: ignore RP301 — lost -->\n" + old, 1)
    formatted = format_text(waived).text
    paper = ranpaper.parse(formatted)
    assert [(w.codes, w.reason) for w in paper.waivers] == [(["RP301"], "lost")]
    assert paper.waivers[0].target is not None
    assert formatted.splitlines()[paper.waivers[0].target.line - 1].startswith("- EXIT WG")


def test_fmt_refuses_text_it_would_lose() -> None:
    text = PAPER_PATH.read_text("utf-8").replace(
        "# Introduction\n", "# Introduction\n\n> A quote the model has no place for.\n", 1
    )
    result = format_text(text, "p.md")
    assert result.refused is not None and "line 37" in result.refused
    assert result.text == text


def test_cli_fmt_check_diff_and_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paper = tmp_path / "p.md"
    text = PAPER_PATH.read_text("utf-8").replace("- DERAD WG Meeting", "* DERAD WG Meeting", 1)
    paper.write_text(text, "utf-8")
    assert main(["fmt", "--check", str(paper)]) == 1
    assert main(["fmt", "--diff", str(paper)]) == 1
    assert paper.read_text("utf-8") == text
    assert main(["fmt", str(paper)]) == 0
    assert main(["fmt", "--check", str(paper)]) == 0
    assert "would reformat" in capsys.readouterr().out


def test_fmt_keeps_every_waiver_add_waivers_wrote(tmp_path: Path) -> None:
    paper = tmp_path / "p.md"
    paper.write_text(PAPER_PATH.read_text("utf-8"), "utf-8")
    assert main(["check", "--add-waivers", "lost in the 2021 PDF", str(paper)]) == 0
    assert main(["check", "--strict", str(paper)]) == 0
    assert main(["fmt", str(paper)]) == 0
    assert main(["check", "--strict", str(paper)]) == 0  # each waiver still before its block
