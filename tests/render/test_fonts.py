"""The shipped typeface on any machine: only Open Sans in every PDF, a missing glyph refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

import ranpaper
from conftest import FIXTURES
from ranpaper.cli import main
from ranpaper.render.fonts import FONTCONFIG_FILE, font_configuration, missing_glyphs
from ranpaper.render.pdf import write_pdf


def embedded_fonts(pdf: Path) -> set[str]:
    fonts = set()
    for page in PdfReader(pdf).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return fonts


def test_the_paper_and_every_brief_use_only_the_shipped_fonts(built: Path) -> None:
    pdfs = [*built.glob("*.pdf"), *sorted((built / "briefs").glob("*.pdf"))]
    assert len(pdfs) == 6
    for pdf in pdfs:
        fonts = embedded_fonts(pdf)
        assert fonts and all(font.startswith("Open-Sans") for font in fonts), (pdf.name, fonts)


def test_the_tests_see_no_system_font() -> None:
    """Set by tests/conftest.py for the session, so a fallback cannot pass unnoticed here."""
    assert os.environ["FONTCONFIG_FILE"] == str(FONTCONFIG_FILE)


def test_a_font_the_system_has_is_not_used(tmp_path: Path) -> None:
    """DejaVu is on every Debian machine; asked for by name, it is still not used: ranpaper's
    fontconfig lists only its own fonts, whatever the environment says."""
    html = (
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
        "<p style=\"font-family: 'DejaVu Sans', serif\">Text in a system font</p></body></html>"
    )
    saved = os.environ.pop("FONTCONFIG_FILE")
    try:
        write_pdf(html, tmp_path / "t.pdf", tmp_path, "t")
    finally:
        os.environ["FONTCONFIG_FILE"] = saved
    fonts = embedded_fonts(tmp_path / "t.pdf")
    assert "Open-Sans" in fonts and all(font.startswith("Open-Sans") for font in fonts), fonts
    assert "FONTCONFIG_FILE" in os.environ  # restored


def test_the_font_configuration_leaves_the_environment_as_it_was() -> None:
    before = os.environ.get("FONTCONFIG_FILE")
    font_configuration()
    assert os.environ.get("FONTCONFIG_FILE") == before


def test_a_character_open_sans_lacks_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "paper.md"
    text = (FIXTURES / "other-wg.md").read_text("utf-8")
    text = text.replace("Train teachers early.", "Train teachers early (漢字).")
    source.write_text(text, "utf-8")
    line = text[: text.index("漢")].count("\n") + 1
    assert missing_glyphs(ranpaper.load(source)) == [("漢", line), ("字", line)]
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--quiet", "--format", "pdf"]) == 1
    err = capsys.readouterr().err
    assert f"paper.md:{line}:" in err and "U+6F22" in err and "Traceback" not in err
    assert not out.exists() or not list(out.glob("*.pdf"))


def test_the_bundled_paper_needs_no_glyph_open_sans_lacks(paper: ranpaper.model.Paper) -> None:
    assert missing_glyphs(paper) == []


def test_the_fonts_folder_ships_what_fontconfig_lists() -> None:
    conf = FONTCONFIG_FILE.read_text("utf-8")
    assert '<dir prefix="relative">fonts</dir>' in conf
    assert "/usr" not in conf and "~" not in conf
    assert len(list((FONTCONFIG_FILE.parent / "fonts").glob("OpenSans-*.ttf"))) == 5
