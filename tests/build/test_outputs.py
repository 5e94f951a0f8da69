"""The outputs' registry (issue 16, item 1): `--format`, the expected files, the cache and the
staging all read it, so a new output joins with one declaration."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import ranpaper
from ranpaper.build import REGISTRY, build, parse_formats
from ranpaper.build.artifacts import Artifact, Bytes, Output, PaperBuild, Text
from ranpaper.build.cache import CACHE_FILE
from ranpaper.cli import main
from ranpaper.errors import RanpaperError

MINIMAL = (Path(__file__).parent.parent / "rules" / "minimal.md").read_text("utf-8")


def test_format_names_come_from_the_registry() -> None:
    assert parse_formats("all") == tuple(REGISTRY)
    assert parse_formats(None) == tuple(name for name in REGISTRY if name != "docx")
    assert parse_formats(" JSON, pdf ") == ("pdf", "json")  # registry order
    with pytest.raises(RanpaperError, match="unknown format odt; choose from pdf, briefs"):
        parse_formats("json,odt")


def test_an_unknown_format_is_refused_with_the_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = tmp_path / "paper.md"
    paper.write_text(MINIMAL, "utf-8")
    assert main(["build", str(paper), "--out", str(tmp_path / "out"), "--format", "odt"]) == 2
    assert "docx, html, json or all" in capsys.readouterr().err.replace(", or", " or")


def test_the_build_help_lists_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert all(name in help_text for name in REGISTRY)


def _plain_files(build: PaperBuild) -> list[Path]:
    return [Path(f"{build.stem}.txt"), Path("extra") / f"{build.stem}.bin"]


def _plain_make(build: PaperBuild) -> Iterator[Artifact]:
    yield Text(Path(f"{build.stem}.txt"), ranpaper.model.plain(build.paper.introduction[0].text))
    yield Bytes(Path("extra") / f"{build.stem}.bin", b"\x00\x01")


def test_a_new_output_is_one_registry_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(REGISTRY, "plain", Output("plain", "test", _plain_files, _plain_make))
    source = tmp_path / "paper.md"
    source.write_text(MINIMAL, "utf-8")
    paper = ranpaper.load(source)
    out = tmp_path / "out"
    formats = parse_formats("plain,json")
    results = build([(paper, MINIMAL)], out, formats)
    assert [p.relative_to(out).as_posix() for p in results[0].outputs] == [
        "extra/paper.bin",
        "paper.json",
        "paper.txt",
    ]
    assert (out / "paper.txt").read_text("utf-8") == "An introduction."
    assert (out / "extra" / "paper.bin").read_bytes() == b"\x00\x01"
    cache = json.loads((out / CACHE_FILE).read_text("utf-8"))
    assert cache[str(source)]["outputs"] == ["extra/paper.bin", "paper.json", "paper.txt"]
    again = build([(paper, MINIMAL)], out, formats)
    assert not again[0].rendered
    # Another set of outputs is another cache key: built again.
    assert build([(paper, MINIMAL)], out, parse_formats("plain"))[0].rendered
    # The JSON written before is still ranpaper's to replace.
    changed = MINIMAL.replace("An introduction", "One introduction")
    assert build([(ranpaper.parse(changed, path=str(source)), changed)], out, formats)[0].rendered
    assert (out / "paper.txt").read_text("utf-8") == "One introduction."
