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


# --- fmt keeps what it does not model (issue 21): byte for byte, or it refuses -------------------

_PAPER = PAPER_PATH.read_text("utf-8")
_MEETING = "- DERAD WG Meeting: Kick-off meeting, Stockholm, 04-05 June 2012"
_UNCANONICAL = _PAPER.replace(_MEETING, "* " + _MEETING[2:], 1)  # so that fmt has work to do


def _refused_at(text: str, line_of: str) -> str:
    """fmt's refusal of `text`, which must name the line that starts with `line_of`."""
    result = format_text(text, "p.md")
    assert result.refused is not None, "fmt rewrote a paper it would lose words of"
    assert result.text == text
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith(line_of))
    assert f"line {line}" in result.refused, result.refused
    return result.refused


@pytest.mark.parametrize(
    ("old", "new", "line_of"),
    [
        pytest.param(
            "[Outline for Interventions of Deradicalisation from Involvement of Violent "
            "Extremism](#)",
            "[Outline for Interventions of Deradicalisation from Involvement of Violent "
            'Extremism](# "the ex post paper")',
            "- EXIT WG Meeting: Ex Post Paper",
            id="link title",
        ),
        pytest.param(
            "#### Lessons learned and recommendations\n",
            "#### Lessons learned and recommendations\n\n[ravagnani]: https://example.org/r\n",
            "[ravagnani]:",
            id="unused reference definition",
        ),
        pytest.param(
            "- Rehabilitation measures should always be planned",
            "3. Rehabilitation measures should always be planned",
            "3. Rehabilitation measures",
            id="ordered list start",
        ),
        pytest.param(
            "- Rehabilitation measures should always be planned",
            "1. Rehabilitation measures should always be planned",
            "1. Rehabilitation measures",
            id="ordered list",
        ),
    ],
)
def test_fmt_refuses_a_form_the_model_does_not_keep(old: str, new: str, line_of: str) -> None:
    assert old in _UNCANONICAL
    _refused_at(_UNCANONICAL.replace(old, new, 1), line_of)


def test_fmt_keeps_a_used_reference_definition_or_refuses() -> None:
    """A reference link reads as the same link, so the models agree: the words guard sees
    that the canonical form (inline links) would drop the definition's label."""
    old = "[Rehabilitation Manual](#)"
    text = _UNCANONICAL.replace(old, "[Rehabilitation Manual][manual]", 1) + "\n[manual]: #\n"
    assert ranpaper.parse(text).problems == ranpaper.parse(_UNCANONICAL).problems
    assert "'manual'" in _refused_at(text, "- Paper: [Rehabilitation Manual][manual]")


def test_the_words_guard_catches_what_the_model_never_read() -> None:
    """A YAML comment in the front matter is in no model: comparing models cannot see it go."""
    text = _UNCANONICAL.replace("\ndate: 2021-11-24", "\ndate: 2021-11-24  # as printed", 1)
    assert "# as printed" in text
    assert "'as'" in _refused_at(text, "date: 2021-11-24")


def test_fmt_keeps_comments_byte_for_byte() -> None:
    comments = [
        "<!-- an editor's note -->",
        "<!--\n  TODO: ask the secretariat\n    (indented, two lines)\n-->",
        "<!-- ranpaper: ignore RP301 — the paper was never published online -->",
    ]
    text = _UNCANONICAL.replace(
        "#### Practices\n", "\n\n".join(comments) + "\n\n#### Practices\n", 1
    )
    result = format_text(text, "p.md")
    assert result.refused is None and result.text != text
    assert "\n\n".join(comments) + "\n\n#### Practices\n" in result.text
    assert format_text(result.text, "p.md").text == result.text


def test_fmt_refuses_a_bullet_under_a_practice_rather_than_delete_it() -> None:
    """It deleted it (issue 21): the bullet and the one nested under it were in no model."""
    after = "mentoring for at-risk youth exit work and all related tasks.\n"
    assert after in _UNCANONICAL
    text = _UNCANONICAL.replace(
        after, after + "\n- ZZBULLET a point\n  - ZZNESTED a sub-point\n", 1
    )
    refused = _refused_at(text, "- ZZBULLET")
    assert "Practices" in refused


def test_ctrl_c_between_two_files_says_which_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`fmt a.md b.md` interrupted after writing a.md: "nothing was written" would be false."""
    import ranpaper.commands.fmt

    text = PAPER_PATH.read_text("utf-8").replace("- DERAD WG Meeting", "* DERAD WG Meeting", 1)
    papers = [tmp_path / "a.md", tmp_path / "b.md"]
    for paper in papers:
        paper.write_text(text, "utf-8")
    real = ranpaper.commands.fmt.write_atomic

    def interrupted_at_the_second(path: Path, data: str | bytes) -> None:
        if path.name == "b.md":
            raise KeyboardInterrupt
        real(path, data)

    monkeypatch.setattr(ranpaper.commands.fmt, "write_atomic", interrupted_at_the_second)
    assert main(["fmt", *map(str, papers)]) == 130
    said = capsys.readouterr().err
    assert said.endswith(f"ranpaper: interrupted; 1 file was written, whole: {papers[0]}\n")
    assert papers[0].read_text("utf-8") != text and papers[1].read_text("utf-8") == text
