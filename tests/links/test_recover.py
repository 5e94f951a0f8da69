"""Issue 15's judgement: with a registry that recovers three links of the real paper, the PDF
and the web page carry those three live links, `check` reports 62 still lost, and the source
is unchanged. And the transform behind it is pure."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import PAPER_PATH
from ranpaper.cli import main
from ranpaper.links.recover import recover
from ranpaper.links.registry import parse_registry
from ranpaper.model import Link, Paper, walk_inline

OVERARCHING = (
    "General guidelines on rehabilitation / "
    "Overarching guidelines and manuals on rehabilitation work"
)
PRISON = (
    "General guidelines on rehabilitation / "
    "Specific guidelines regarding the prison and probation contexts"
)
REGISTRY = f"""\
# Three lost links of the paper, found again (test URLs, not the real ones)
[[link]]
text = "Rehabilitation Manual"
topic = "{PRISON}"
url = "https://example.org/found/rehabilitation-manual"
found-by = "A. Editor"
found-on = 2026-11-29

[[link]]
text = "Exit Sweden, Fryshuset, Sweden"
topic = "{OVERARCHING}"
url = "https://example.org/found/exit-sweden"

[[link]]
text = "Part 1"
topic = "{OVERARCHING}"
url = "https://example.org/found/webinar-part-1"
note = "the webinar's recording"
"""
FOUND = {
    "https://example.org/found/rehabilitation-manual",
    "https://example.org/found/exit-sweden",
    "https://example.org/found/webinar-part-1",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real paper with a links.toml beside it."""
    folder = tmp_path_factory.mktemp("paper")
    shutil.copy(PAPER_PATH, folder / PAPER_PATH.name)
    (folder / "links.toml").write_text(REGISTRY, "utf-8")
    return folder


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_and_web_page_carry_the_three_links_and_the_source_is_unchanged(
    folder: Path, tmp_path: Path
) -> None:
    paper = folder / PAPER_PATH.name
    before = digest(paper)
    out = tmp_path / "build"
    assert main(["build", str(folder), "--out", str(out), "--format", "html,pdf", "--quiet"]) == 0
    html = (out / f"{paper.stem}.html").read_text("utf-8")
    hrefs = set(re.findall(r'href="(https://example\.org/found/[^"]*)"', html))
    assert hrefs == FOUND
    uris = {
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(out / f"{paper.stem}.pdf").pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object() and "/URI" in annotation.get_object()["/A"]
    }
    assert uris >= FOUND
    assert digest(paper) == before == digest(PAPER_PATH)


def test_check_reports_62_still_lost(folder: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ranpaper", "check", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("warning[RP301]") == 62
    assert "[RP312]" not in result.stdout and "[RP313]" not in result.stdout
    paper = folder / PAPER_PATH.name
    assert f"{paper}:105:10: warning[RP301]" not in result.stdout  # recovered
    assert f"{paper}:355:3: warning[RP301]" in result.stdout  # the same title elsewhere


def test_a_new_entry_renders_the_paper_again(folder: Path, tmp_path: Path) -> None:
    """The registry is part of the build's cache key: a URL found later reaches the outputs."""
    work = tmp_path / "paper"
    shutil.copytree(folder, work)
    out = tmp_path / "build"
    assert main(["build", str(work), "--out", str(out), "--format", "html", "--quiet"]) == 0
    with (work / "links.toml").open("a", encoding="utf-8") as registry:
        registry.write(f'\n[[link]]\ntext = "Part 2"\ntopic = "{OVERARCHING}"\n')
        registry.write('url = "https://example.org/found/webinar-part-2"\n')
    assert main(["build", str(work), "--out", str(out), "--format", "html", "--quiet"]) == 0
    html = (out / f"{PAPER_PATH.stem}.html").read_text("utf-8")
    assert 'href="https://example.org/found/webinar-part-2"' in html


def links_of(paper: Paper) -> list[Link]:
    from ranpaper.model import inline_texts

    return [n for text, _ in inline_texts(paper) for n in walk_inline(text) if isinstance(n, Link)]


def test_recover_is_a_pure_transform(paper: Paper) -> None:
    registry = parse_registry(REGISTRY, "links.toml")
    before = repr(paper)
    recovered = recover(paper, registry)
    assert repr(paper) == before  # the paper passed in is untouched
    changed = [
        (old.text, new.url)
        for old, new in zip(links_of(paper), links_of(recovered), strict=True)
        if old.url != new.url
    ]
    assert sorted(changed) == sorted(
        [
            ("Exit Sweden, Fryshuset, Sweden", "https://example.org/found/exit-sweden"),
            ("Part 1", "https://example.org/found/webinar-part-1"),
            ("Rehabilitation Manual", "https://example.org/found/rehabilitation-manual"),
        ]
    )
    # The same title elsewhere ("Rehabilitation manual" in two other topics) stays lost, and
    # the practice and the meeting see their link's new target too.
    practice = next(p for _, p in recovered.citations() if p.name and "Exit Sweden" in p.name)
    assert practice.url == "https://example.org/found/exit-sweden"
    meeting = next(m for _, m in recovered.meetings() if m.title_text == "Rehabilitation Manual")
    assert [link.url for link in meeting.links] == [
        "https://example.org/found/rehabilitation-manual"
    ]
    assert recover(paper, None) is paper


def test_check_never_imports_httpx(folder: Path) -> None:
    """Checking a paper with a registry beside it asks nothing of the network stack."""
    code = (
        "import sys; from ranpaper.cli import main; main(['check', sys.argv[1], '--quiet']); "
        "print(sorted(m for m in ('httpx', 'httpcore', 'asyncio') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
