"""The default profile describes today's paper exactly: its outputs are those made before
profiles existed (tests/golden/default/, written from the commit before them and reviewed),
byte for byte. Only the JSON changed (section ids, schema_version: CHANGELOG.md)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from ranpaper.model import Paper
from ranpaper.render.docx import brief_docx, to_docx
from ranpaper.render.html import render_brief, render_paper
from ranpaper.render.markdown import write_brief, write_markdown

GOLDEN = Path(__file__).parent.parent / "golden" / "default"


def _document_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")


PAPER_PDF = "../rehabilitation-overview.pdf"  # as `build` links a brief to the paper

OUTPUTS = {
    "paper.html": lambda paper: render_paper(paper, "print"),
    "brief-1.html": lambda paper: render_brief(paper, paper.themes[0], paper_pdf=PAPER_PDF),
    "paper.md": write_markdown,
    "brief-1.md": lambda paper: write_brief(paper, paper.themes[0], PAPER_PDF),
    "paper.docx.xml": lambda paper: _document_xml(to_docx(paper)),
    "brief-1.docx.xml": lambda paper: _document_xml(
        brief_docx(paper, paper.themes[0], paper_pdf=PAPER_PDF)
    ),
}


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_the_default_profile_renders_todays_paper_as_before(paper: Paper, name: str) -> None:
    assert paper.profile.name == "default"
    made = OUTPUTS[name](paper)
    expected = (GOLDEN / name).read_text("utf-8")
    if made != expected:  # say where, not only that: these files are long
        for number, (old, new) in enumerate(
            zip(expected.splitlines(), made.splitlines(), strict=False), 1
        ):
            assert new == old, f"{name}:{number} differs"
    assert made == expected
