"""`ranpaper build` on the real paper, looked at as a reader's tools do: the PDF's text,
outline and metadata, the briefs, the HTML; reproducibility and all-or-nothing writes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import PAPER_PATH, PUBLISHED, ROOT
from published_text import as_card_titles, missing, normalise, published_sentences
from ranpaper.cli import main
from ranpaper.model import Paper, Theme, plain

STEM = "rehabilitation-overview"


def page_text(page: object) -> str:
    """A page's text without its furniture: list markers (drawn after the text) and the
    running foot and head (the last lines: the foot ending in `n / N`, the head above it,
    which a brief's first page does not have)."""
    lines = [
        ln
        for ln in (page.extract_text() or "").split("\n")  # type: ignore[attr-defined]
        if not re.fullmatch(r"[•◦–\s]*", ln)
    ]
    if lines and re.search(r"\d+ / \d+$", lines[-1]):
        lines = lines[:-1]
        if lines and RUNNING_HEAD.match(lines[-1]):
            lines = lines[:-1]
    return "\n".join(lines)


RUNNING_HEAD = re.compile(r"RAN activities on Rehabilitation |WG REHAB · Practitioners' brief · ")
"""How the paper's and a brief's running heads start (print.css: `string(paper-title)`)."""


def pdf_text(path: Path) -> str:
    text = "\n".join(page_text(page) for page in PdfReader(path).pages)
    # A line may break after a hyphen or a slash ("gender-|reflective", "artikel/|Koerkel"):
    # the reader sees one word, so join them.
    return normalise(re.sub(r"(?<=[-/])\n", "", text))


def test_outputs_are_where_the_issue_says(built: Path) -> None:
    names = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    briefs = [n for n in names if n.startswith("briefs/")]
    assert {f"{STEM}.pdf", f"{STEM}.html", f"{STEM}.json"} <= set(names)
    assert len([b for b in briefs if b.endswith(".pdf")]) == 5
    assert len([b for b in briefs if b.endswith(".md")]) == 5
    assert "briefs/03-exit-rehab-phenomenon-specific-lessons.pdf" in briefs
    assert not [n for n in names if ".ranpaper-staging" in n]


def test_every_published_sentence_is_in_the_pdf(built: Path, paper: Paper) -> None:
    text = pdf_text(built / f"{STEM}.pdf")
    lost = missing(as_card_titles(published_sentences(PUBLISHED), paper), text)
    assert lost == [], lost[:5]


def test_every_published_sentence_is_in_the_html(built: Path, paper: Paper) -> None:
    html = (built / f"{STEM}.html").read_text("utf-8")
    body = re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.DOTALL)
    import html as html_lib

    text = normalise(html_lib.unescape(re.sub(r"<[^>]+>", "", body)))
    assert missing(as_card_titles(published_sentences(PUBLISHED), paper), text) == []


def test_bookmarks_cover_every_theme_and_topic(built: Path, paper: Paper) -> None:
    reader = PdfReader(built / f"{STEM}.pdf")

    def titles(outline: list) -> list[str]:  # type: ignore[type-arg]
        found = []
        for item in outline:
            if isinstance(item, list):
                found += titles(item)
            else:
                found.append(normalise(item.title))
        return found

    bookmarks = titles(reader.outline)
    for theme in paper.themes:
        assert any(theme.title_text in b for b in bookmarks), theme.title_text
    for _theme, topic in paper.topics():
        assert topic.title_text in bookmarks
    assert "Index of practices" in bookmarks and "Timeline of meetings and papers" in bookmarks


def test_metadata_language_tags_and_fonts(built: Path) -> None:
    reader = PdfReader(built / f"{STEM}.pdf")
    info = reader.metadata
    assert info is not None
    assert info.title == "RAN activities on Rehabilitation"
    assert info.author == "RAN Rehabilitation working group"
    assert info.subject == "Special overview paper"
    assert "Guidelines for Rehabilitation work" in (info.get("/Keywords") or "")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            descriptor = font.get_object()
            fonts.add(str(descriptor["/BaseFont"]))
            descendants = descriptor.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else descriptor
            file_keys = {"/FontFile", "/FontFile2", "/FontFile3"}
            assert file_keys & set(target["/FontDescriptor"].keys()), descriptor["/BaseFont"]
    assert all("Open-Sans" in font for font in fonts), fonts
    assert "Contents" in [item.title for item in reader.outline if not isinstance(item, list)]


def test_page_count_is_sane(built: Path) -> None:
    pages = len(PdfReader(built / f"{STEM}.pdf").pages)
    assert 20 <= pages <= 60


def test_lost_links_are_plain_text_and_real_links_work(built: Path) -> None:
    reader = PdfReader(built / f"{STEM}.pdf")
    uris = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
    # One link, possibly in two pieces where it wraps across lines.
    assert set(uris) == {"http://www.drogenkonferenz.de/fileadmin/artikel/Koerkel_Veltrup.pdf"}
    html = (built / f"{STEM}.html").read_text("utf-8")
    assert 'href="#"' not in html


def test_footnotes_are_set_at_the_foot_of_their_page(built: Path) -> None:
    reader = PdfReader(built / f"{STEM}.pdf")
    page = next(p for p in reader.pages if "resolving ambivalence" in (p.extract_text() or ""))
    text = normalise(page.extract_text() or "")
    assert text.index("resolving ambivalence") < text.index("W.R. Miller, S. Rollnick (2002)")


def test_qpdf_check_passes(built: Path) -> None:
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed (.ci/run installs it)")
    result = subprocess.run(
        ["qpdf", "--check", str(built / f"{STEM}.pdf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def theme_lessons(theme: Theme) -> list[str]:
    return [
        normalise(plain(lesson.text))
        for topic in theme.walk()
        if topic.lessons
        for group in topic.lessons
        for lesson in group.lessons
    ]


def test_each_brief_names_its_theme_and_holds_exactly_its_lessons(
    built: Path, paper: Paper
) -> None:
    briefs = sorted((built / "briefs").glob("*.pdf"))
    for theme, brief in zip(paper.themes, briefs, strict=True):
        reader = PdfReader(brief)
        # Up to 10: each card says which topics cite it, every sentence of the theme is there
        # (its topics' introductions and the practices' lead-ins too), and the text is set at
        # a measure of about 66 characters (brief 01 is 9 pages).
        assert 2 <= len(reader.pages) <= 10, (brief.name, len(reader.pages))
        text = pdf_text(brief)
        assert theme.title_text in text
        assert "RAN activities on Rehabilitation" in text  # the brief names the full paper
        own = theme_lessons(theme)
        assert all(lesson in text for lesson in own)
        others = [
            lesson
            for other in paper.themes
            if other is not theme
            for lesson in theme_lessons(other)
            if not any(lesson in mine for mine in own)  # a lesson the themes share
        ]
        assert [lesson for lesson in others if lesson in text] == []


def test_html_is_self_contained_and_script_free(built: Path) -> None:
    html = (built / f"{STEM}.html").read_text("utf-8")
    assert "<script" not in html.lower()
    # Images travel inside the page as data: URIs (none in the bundled paper).
    assert not re.search(r"""(src|href)=["'](?!#|https?://|mailto:|data:image/)""", html)
    assert not re.search(r"""\bsrc=["']https?://""", html)
    assert "@import" not in html
    # Only the SVG's own clip paths, and the fonts the page carries in data: URIs.
    assert not re.search(r"url\((?!#|data:font/woff2;base64,)", html)
    assert '<html lang="en">' in html


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    assert main(["build", str(ROOT / "source"), "--out", str(tmp_path), "--quiet"]) == 0
    for first in built.rglob("*"):
        if first.is_file() and first.name != ".ranpaper-cache.json":
            second = tmp_path / first.relative_to(built)
            assert first.read_bytes() == second.read_bytes(), first.name


def test_no_change_rebuild_renders_nothing(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.stat().st_mtime_ns for p in built.rglob("*.pdf")}
    assert main(["build", str(ROOT / "source"), "--out", str(built)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert before == {p: p.stat().st_mtime_ns for p in built.rglob("*.pdf")}


def test_a_failed_build_keeps_the_previous_outputs(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "src" / f"{STEM}.md"
    bad.parent.mkdir()
    # An image that does not exist: the build refuses rather than print the paper without it.
    bad.write_text(
        PAPER_PATH.read_text("utf-8").replace(
            "# Introduction\n", "# Introduction\n\n![x](missing.png)\n"
        ),
        "utf-8",
    )
    status = main(["build", str(bad), "--out", str(out), "--quiet", "--force"])
    assert status == 1
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(out.glob(".ranpaper-staging-*"))


def test_an_interrupted_build_keeps_the_previous_outputs(
    built: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import ranpaper.build.staging

    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    moves = []
    replace = ranpaper.build.staging._replace

    def interrupted(source: Path, target: Path) -> None:
        # Interrupted half-way: after the old JSON was put aside and the new one moved in.
        if len(moves) == 2:
            raise KeyboardInterrupt
        moves.append(target)
        replace(source, target)

    monkeypatch.setattr(ranpaper.build.staging, "_replace", interrupted)
    # Another set of formats: another cache key, so the paper is built again.
    status = main(
        ["build", str(ROOT / "source"), "--out", str(out), "--quiet", "--format", "json,html"]
    )
    assert status == 130
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert capsys.readouterr().err.endswith("ranpaper: interrupted; nothing was written\n")
    assert not list(out.glob(".ranpaper-staging-*"))


def test_check_never_imports_the_rendering_stack_or_pydantic() -> None:
    """`ranpaper check` runs on every commit: it pays for neither rendering nor validation."""
    code = (
        "import sys; from ranpaper.cli import main; main(['check', sys.argv[1], '--quiet']); "
        "print(sorted(m for m in ('weasyprint', 'jinja2', 'matplotlib', 'pydantic') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(PAPER_PATH)], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
