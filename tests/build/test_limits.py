"""A bounded build (issue 17, item 4): each limit a CI owner can set stops a paper that
exceeds it with a clear error, exit 1, and replaces nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from ranpaper.build import LimitError, Limits, build
from ranpaper.build.limits import DEFAULT_MAX_ELEMENTS, count_elements
from ranpaper.cli import main
from ranpaper.config import load_config
from ranpaper.errors import RanpaperError
from ranpaper.model import (
    BulletList,
    Footnote,
    FootnoteRef,
    Leader,
    Leaders,
    ListItem,
    Meeting,
    MeetingsSection,
    Metadata,
    Paper,
    Paragraph,
    Span,
    Text,
    Theme,
    Topic,
)

MINIMAL = (Path(__file__).parent.parent / "rules" / "minimal.md").read_text("utf-8")
AT = Span(line=1, end_line=1)


def paper_folder(tmp_path: Path, config: str, source: str = MINIMAL) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "paper.md").write_text(source, "utf-8")
    (folder / "ranpaper.toml").write_text(config, "utf-8")
    return folder


def outputs_of(out: Path) -> list[str]:
    return sorted(p.name for p in out.rglob("*") if p.is_file()) if out.exists() else []


def test_the_limits_are_read_from_the_configuration(tmp_path: Path) -> None:
    folder = paper_folder(
        tmp_path,
        "max-elements = 10\nmax-pages = 3\nrender-memory-mib = 512\nrender-seconds = 0\n",
    )
    # The folder's own file switches a limit off: only a trusted (or pinned) file may.
    assert Limits.from_config(load_config(folder, trusted=True)) == Limits(10, 3, 512, 0)
    assert Limits.from_config(load_config(tmp_path)) == Limits()


@pytest.mark.parametrize("value", ["-1", '"many"', "true", "1.5"])
def test_a_limit_must_be_a_whole_number(tmp_path: Path, value: str) -> None:
    folder = paper_folder(tmp_path, f"max-pages = {value}\n")
    with pytest.raises(RanpaperError, match="max-pages must be a whole number"):
        load_config(folder)


def test_too_many_elements_stop_the_build_before_rendering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = paper_folder(tmp_path, "max-elements = 20\n")
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out), "--quiet"]) == 1
    error = capsys.readouterr().err
    assert "more than 20 elements" in error and "max-elements" in error
    assert "paper.md" in error
    assert outputs_of(out) == []


def _paper(**parts: object) -> Paper:
    return Paper(path="huge.md", **parts)  # type: ignore[arg-type]


def _list(count: int) -> BulletList:
    return BulletList(
        items=[ListItem(text=[Text(text="item")], span=AT) for _ in range(count)], span=AT
    )


HUGE = {
    "100k list items": lambda: _paper(introduction=[_list(100_000)]),
    "30k meetings": lambda: _paper(
        themes=[
            Theme(
                number=1,
                title=[Text(text="T")],
                span=AT,
                topics=[
                    Topic(
                        title=[Text(text="t")],
                        span=AT,
                        meetings=MeetingsSection(
                            heading="Meetings and papers",
                            span=AT,
                            items=[Meeting(text=[Text(text="m")], span=AT)] * 30_000,
                        ),
                    )
                ],
            )
        ]
    ),
    "40k leaders": lambda: _paper(
        metadata=Metadata(leaders=Leaders(current=[Leader(name="A", period="2012")] * 40_000))
    ),
    "10k footnotes": lambda: _paper(
        introduction=[
            Paragraph(
                text=[FootnoteRef(label=str(n)) for n in range(10_000)],
                span=AT,
            )
        ],
        footnotes=[
            Footnote(label=str(n), text=[Text(text="a source")], span=AT) for n in range(10_000)
        ],
    ),
}


@pytest.mark.parametrize("shape", sorted(HUGE))
def test_papers_the_review_found_unbounded_stop_with_a_clear_error(
    shape: str, tmp_path: Path
) -> None:
    """Under the size cap, each of these once took gigabytes and minutes to build."""
    paper = HUGE[shape]()
    with pytest.raises(LimitError, match=f"more than {DEFAULT_MAX_ELEMENTS:,} elements"):
        build([(paper, shape)], tmp_path / "out", ("pdf", "html", "json", "briefs", "docx"))
    assert not (tmp_path / "out" / "huge.pdf").exists()


def test_elements_nested_deeper_than_python_recurses_are_counted() -> None:
    item = ListItem(text=[Text(text="leaf")], span=AT)
    for _ in range(5_000):
        item = ListItem(text=[Text(text="x")], children=[item], span=AT)
    # 5,001 items and their texts, the list, and the paper with its metadata and leaders.
    assert count_elements(_paper(introduction=[BulletList(items=[item], span=AT)])) == 10_006


def test_too_many_pages_stop_the_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = paper_folder(tmp_path, "max-pages = 2\n")
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out), "--format", "pdf", "--quiet"]) == 1
    error = capsys.readouterr().err
    assert "paper.pdf would have" in error and "over the limit of 2" in error
    assert "max-pages" in error
    assert outputs_of(out) == []


def test_a_render_over_its_time_is_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 4 MiB paragraph took WeasyPrint 142 s: the render is stopped at its limit."""
    long_line = "A sentence of a very long paragraph. " * 40_000
    source = MINIMAL.replace("An introduction.", long_line)
    folder = paper_folder(tmp_path, "render-seconds = 1\nmax-bytes = 8388608\n", source)
    out = tmp_path / "out"
    command = ["build", str(folder), "--out", str(out), "--format", "pdf", "--quiet"]
    assert main([*command, "--trust-config"]) == 1  # the file raises max-bytes
    error = capsys.readouterr().err
    assert "took longer than 1 s" in error and "render-seconds" in error
    assert outputs_of(out) == []


def test_a_render_over_its_memory_is_stopped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = paper_folder(tmp_path, "render-memory-mib = 64\n")
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out), "--format", "pdf", "--quiet"]) == 1
    error = capsys.readouterr().err
    assert "render-memory-mib" in error
    assert outputs_of(out) == []
