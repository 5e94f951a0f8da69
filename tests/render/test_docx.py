"""The Word document, read back as a reviewer's Word (python-docx) and LibreOffice see it:
every published sentence, the structure in Word's own styles, the meetings as tables, real
footnotes, properties, plain lost links, reproducible bytes."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from conftest import PUBLISHED, ROOT
from published_text import as_card_titles, missing, normalise, published_sentences
from ranpaper.cli import main
from ranpaper.model import Paper, plain
from ranpaper.render.docx import clean, to_docx
from ranpaper.render.html import meetings_per_year
from ranpaper.render.timeline import describe, table_rows

STEM = "rehabilitation-overview"
BRIEFS = [
    "guidelines-for-rehabilitation-work",
    "involving-stakeholders-in-interventions",
    "exit-rehab-phenomenon-specific-lessons",
    "criminal-justice-context",
    "learning-from-adjacent-fields",
]


@pytest.fixture(scope="session")
def built_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docx")
    assert main(["build", str(ROOT / "source"), "--out", str(out), "--format", "docx"]) == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        ".ranpaper-cache.json",
        *(f"briefs/0{n}-{slug}.docx" for n, slug in enumerate(BRIEFS, start=1)),
        f"{STEM}.docx",
    ]
    return out / f"{STEM}.docx"


@pytest.fixture(scope="session")
def document(built_docx: Path) -> Document:
    return docx.Document(str(built_docx))


def body_text(document: Document) -> str:
    """Paragraphs and table cells in document order, as Word shows them."""
    lines = []
    for element in document.element.body.iterchildren():
        if element.tag in (qn("w:p"), qn("w:tbl")):
            for paragraph in element.iter(qn("w:p")):
                lines.append("".join(t.text or "" for t in paragraph.iter(qn("w:t"))))
    return "\n".join(lines)


def footnotes(built_docx: Path) -> list[str]:
    with zipfile.ZipFile(built_docx) as archive:
        xml = archive.read("word/footnotes.xml").decode()
    notes = re.findall(r'<w:footnote w:id="(\d+)">(.*?)</w:footnote>', xml, re.DOTALL)
    return [
        normalise("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", body)))
        for number, body in notes
        if int(number) > 0
    ]


def test_every_published_sentence_is_in_the_document(
    built_docx: Path, document: Document, paper: Paper
) -> None:
    text = normalise(body_text(document) + " " + " ".join(footnotes(built_docx)))
    lost = missing(as_card_titles(published_sentences(PUBLISHED), paper), text)
    assert lost == [], lost[:5]


def test_headings_use_words_styles_at_the_levels_of_the_paper(
    document: Document, paper: Paper
) -> None:
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    title = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert title == ["RAN activities on Rehabilitation"]
    level_1 = [text for style, text in headings if style == "Heading 1"]
    assert level_1 == [
        "Introduction",
        *(f"Main theme {t.number}: {t.title_text}" for t in paper.themes),
        "Index of practices",
        "Timeline of meetings and papers",
    ]
    topics = [(style, text) for style, text in headings if style in ("Heading 2", "Heading 3")]
    for theme in paper.themes:
        for topic in theme.topics:
            assert ("Heading 2", topic.title_text) in topics
            for sub in topic.topics:
                assert ("Heading 3", sub.title_text) in topics
    sections = [text for style, text in headings if style in ("Heading 3", "Heading 4")]
    assert sections.count("Meetings and papers") == sum(
        1 for _theme, topic in paper.topics() if topic.meetings
    )


def test_the_meetings_are_tables_with_one_row_per_meeting(document: Document, paper: Paper) -> None:
    tables = document.tables[:-1]  # the last is the chart's numbers
    rows = [row for table in tables for row in table.rows[1:]]
    assert len(rows) == len(list(paper.meetings())) == 61
    headers = {tuple(cell.text for cell in table.rows[0].cells) for table in tables}
    assert headers == {("Date", "Place", "Groups", "Meeting")}
    first = [cell.text for cell in rows[0].cells]
    assert first[:3] == ["Jun 2012", "Stockholm", "DERAD"]
    assert first[3].startswith("DERAD WG Meeting: Kick-off meeting")
    # A meeting row never splits across pages; the header row repeats on each.
    assert all(row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for row in rows)


def test_every_style_is_set_in_the_papers_typeface(built_docx: Path) -> None:
    """Not the template's Cambria and Calibri: their theme fonts would win over a font name."""
    with zipfile.ZipFile(built_docx) as archive:
        styles = archive.read("word/styles.xml").decode()
    fonts = re.findall(r"<w:rFonts ([^>]*)/>", styles)
    assert fonts and all('w:ascii="Open Sans"' in f and "Theme" not in f for f in fonts), fonts


def test_every_heading_level_looks_alike_in_the_papers_navy(document: Document) -> None:
    """A section's title is Heading 3 under a topic and Heading 4 under a sub-topic: both
    upright and navy, as in the PDF (the template's Heading 4 was italic, in its own blue)."""
    for level in range(1, 7):
        font = document.styles[f"Heading {level}"].font
        assert font.italic is False and str(font.color.rgb) == "15355A", level


def test_lists_practices_and_captions_have_their_styles(document: Document) -> None:
    styles = {p.style.name for p in document.paragraphs}
    assert {"List Bullet", "List Bullet 2", "Practice", "Caption"} <= styles
    assert {"Lesson Group", "TOC Heading"} <= styles
    card = next(p for p in document.paragraphs if p.text.startswith("Exit Sweden, Fryshuset"))
    assert card.style.name == "Practice" and card.runs[0].bold
    # The card's title on its own line, in the one form of the PDF: no trailing colon.
    assert card.text == "Exit Sweden, Fryshuset, Sweden"
    assert "Practice Meta" not in styles  # no separate organisation and country line


def test_footnotes_are_word_footnotes(built_docx: Path, document: Document) -> None:
    notes = footnotes(built_docx)
    assert len(notes) == 2
    assert any("W.R. Miller, S. Rollnick (2002)" in note for note in notes)
    references = list(document.element.body.iter(qn("w:footnoteReference")))
    assert [r.get(qn("w:id")) for r in references] == ["1", "2"]


def test_contents_field_chart_and_properties(built_docx: Path, document: Document) -> None:
    instructions = "".join(t.text for t in document.element.body.iter(qn("w:instrText")))
    assert "TOC" in instructions
    assert document.settings.element.find(qn("w:updateFields")) is not None
    with zipfile.ZipFile(built_docx) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(media) == 1 and media[0].endswith(".png")
        assert archive.read(media[0]).startswith(b"\x89PNG")
        # Sharp in print: 300 pixels an inch at the width it is placed at.
        from PIL import Image

        pixels = Image.open(io.BytesIO(archive.read(media[0]))).size[0]
        extent = re.search(r'<wp:extent cx="(\d+)"', archive.read("word/document.xml").decode())
        assert extent and pixels / (int(extent[1]) / 914400) >= 299, pixels
        assert "docProps/thumbnail.jpeg" not in archive.namelist()
    properties = document.core_properties
    assert properties.title == "RAN activities on Rehabilitation"
    assert properties.author == "RAN Rehabilitation working group"
    assert properties.language == "en"
    assert properties.created is not None and properties.created.date().isoformat() == (
        "2021-11-24"
    )


def test_every_page_is_numbered_and_a_card_title_keeps_with_its_text(
    document: Document, paper: Paper
) -> None:
    """A printed copy can be cited by page (the PDF numbers its pages); a practice card's
    title never stands alone at a page's foot."""
    [section] = document.sections
    fields = [f.get(qn("w:instr")) for f in section.footer._element.iter(qn("w:fldSimple"))]
    assert [field.strip() for field in fields] == ["PAGE"]
    titles = [
        p
        for p in document.paragraphs
        if p.style.name == "Practice" and p.runs and all(run.bold for run in p.runs)
    ]
    assert len(titles) >= len(paper.practices())
    assert all(p.paragraph_format.keep_with_next for p in titles)


def test_lost_links_are_plain_text_and_real_links_work(document: Document) -> None:
    """The paper's one live link is in a footnote: the footnotes part holds its target."""
    targets = {
        str(part.partname): rel.target_ref
        for part in document.part.package.iter_parts()
        for rel in part.rels.values()
        if rel.reltype.endswith("/hyperlink")
    }
    assert targets == {
        "/word/footnotes.xml": "http://www.drogenkonferenz.de/fileadmin/artikel/Koerkel_Veltrup.pdf"
    }
    assert "Outline for Interventions" in body_text(document)


def test_the_document_is_byte_reproducible(built_docx: Path, paper: Paper) -> None:
    data = built_docx.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert to_docx(paper, "", {}) == to_docx(paper, "", {})


def test_text_xml_cannot_hold_is_shown_not_dropped() -> None:
    assert clean("a\x00b\x1bc\ud800d\tok") == "a\ufffdb\ufffdc\ufffdd\tok"


def test_each_brief_is_a_document_of_its_theme_with_exactly_its_lessons(
    built_docx: Path, paper: Paper
) -> None:
    from test_build import theme_lessons

    briefs = sorted((built_docx.parent / "briefs").glob("*.docx"))
    for theme, path in zip(paper.themes, briefs, strict=True):
        brief = docx.Document(str(path))
        assert [p.text for p in brief.paragraphs if p.style.name == "Title"] == [theme.title_text]
        # The topics' introductions under their paths, then the brief's parts.
        headings = [p.text for p in brief.paragraphs if p.style.name == "Heading 1"]
        parts = headings.index("Lessons learned and recommendations")
        assert headings[parts + 1] == "What needs to be further explored?"
        from ranpaper.render.brief import plan as brief_plan

        assert headings[:parts] == [path for path, _ in brief_plan(paper, theme).intros]
        assert brief.core_properties.title.startswith(f"Main theme {theme.number}: ")
        text = normalise(body_text(brief))
        own = theme_lessons(theme)
        assert own and all(lesson in text for lesson in own)
        others = [
            lesson
            for other in paper.themes
            if other is not theme
            for lesson in theme_lessons(other)
            if not any(lesson in mine for mine in own)
        ]
        assert [lesson for lesson in others if lesson in text] == []
        rows = sum(len(table.rows) - 1 for table in brief.tables)
        assert 0 < rows <= len(list(paper.meetings()))
        # The practices as the PDF brief has them: each once, citing its topics, and every
        # description a topic gives in its own words.
        from ranpaper.render import brief as plan

        cards = plan.practices(theme)
        cited = [p.text for p in brief.paragraphs if p.text.startswith("Cited in: ")]
        assert cited == [clean("Cited in: " + "; ".join(card.topics)) for card in cards]
        for card in cards:
            for _path, other, _head, described in card.also:
                assert not described or normalise(plain(other.description)) in text


@pytest.mark.libreoffice
def test_libreoffice_opens_it_and_lays_out_the_paper(built_docx: Path, tmp_path: Path) -> None:
    """The document converted by LibreOffice (Debian's libreoffice-writer, installed by
    .ci/run): pages with the paper's text, the meetings tables and the chart."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; .ci/run installs libreoffice-writer")
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(built_docx),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    pdf = tmp_path / f"{STEM}.pdf"
    assert pdf.is_file(), result.stdout + result.stderr
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert 20 <= len(reader.pages) <= 70
    text = normalise(re.sub(r"(?<=[-/])\n", "", "\n".join(p.extract_text() for p in reader.pages)))
    lost = missing(published_sentences(PUBLISHED), text)
    # A sentence may be split by a page or a table cell's line break; nearly all are whole.
    assert len(lost) <= len(published_sentences(PUBLISHED)) // 20, lost[:5]
    assert "Main theme 5: Learning from adjacent fields" in text
    timeline = next(p for p in reader.pages if "Timeline of meetings" in p.extract_text())
    assert timeline.images, "the chart is not on the timeline's page"


def test_the_contents_are_written_out_inside_the_field(document: Document, paper: Paper) -> None:
    """Before any update the contents show every heading of levels 1-3 (what LibreOffice or a
    viewer shows), between the TOC field's separator and its end, which Word refreshes."""
    body = list(document.element.body.iter(qn("w:p")))
    begin = next(i for i, p in enumerate(body) if p.find(f".//{qn('w:instrText')}") is not None)
    end = next(
        i
        for i, p in enumerate(body[begin:], start=begin)
        if any(c.get(qn("w:fldCharType")) == "end" for c in p.iter(qn("w:fldChar")))
    )
    entries = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body[begin : end + 1]]
    assert entries[0] == "Introduction"
    assert entries[-2:] == ["Index of practices", "Timeline of meetings and papers"]
    for theme in paper.themes:
        assert f"Main theme {theme.number}: {theme.title_text}" in entries
        for topic in theme.topics:
            assert topic.title_text in entries
    styles = {
        document.styles.get_by_id(p.pPr.pStyle.val, WD_STYLE_TYPE.PARAGRAPH).name
        for p in body[begin : end + 1]
    }
    assert styles == {"TOC 1", "TOC 2", "TOC 3"}
    heading_texts = [
        p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")
    ]
    assert [e for e in entries if e in heading_texts] == [
        h for h in heading_texts if h in entries
    ]  # in the order of the document's headings


def test_the_chart_has_its_full_alt_text_and_data_table(document: Document, paper: Paper) -> None:
    data = meetings_per_year(paper.themes)
    alts = [p.get("descr") for p in document.element.body.iter(qn("wp:docPr"))]
    assert describe(data, paper.profile) in alts
    table = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Year", "Events", "By working group"]
    assert rows[1:] == [[str(y), str(n), parts] for y, n, parts in table_rows(data)]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_every_table_has_even_rules_and_the_place_column_keeps_words_whole(
    built_docx: Path, document: Document
) -> None:
    """Each table draws the same ½ pt rule above, between rows and at its foot (no table style
    that varies them) and none between columns; every narrow column (place, date, groups, the
    chart's year and events) is wide enough for its longest word — a meeting's whole date —
    in Open Sans made 25 % wider (a substitute font) plus the cell margins, its bold header
    too ("Event|s" broke in LibreOffice); the font table gives Open Sans a sans fallback."""
    from fontTools.ttLib import TTFont

    from ranpaper.resources import TEMPLATES

    for table in document.tables:
        properties = table._tbl.tblPr
        assert properties.find(qn("w:tblStyle")) is None
        borders = properties.find(qn("w:tblBorders"))
        rules = [borders.find(qn(f"w:{side}")) for side in ("top", "bottom", "insideH")]
        assert {(r.get(qn("w:val")), r.get(qn("w:sz"))) for r in rules} == {("single", "4")}
        assert borders.find(qn("w:insideV")).get(qn("w:val")) == "nil"
        assert not list(table._tbl.iter(qn("w:tcBorders")))

    def width_mm(text: str, face: str) -> float:
        font = TTFont(TEMPLATES / "fonts" / f"OpenSans-{face}.ttf")
        cmap, advance, em = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
        return sum(advance[cmap[ord(c)]][0] for c in text) / em * 10.5 * 25.4 / 72

    meetings = [t for t in document.tables if t.rows[0].cells[1].text == "Place"]
    assert meetings and any(t.rows[0].cells[0].text == "Year" for t in document.tables)
    for table in document.tables:
        for number, column in enumerate(list(table.columns)[:-1]):  # the last holds running text
            header, *cells = [cell.text for cell in column.cells]
            # A date ("May 2017") is one unit: never split between month and year.
            whole = table in meetings and number == 0
            words = [
                width_mm(text, "Regular")
                for cell in cells
                for text in ([cell] if whole else cell.split())
            ]
            words += [width_mm(word, "Bold") for word in header.split()]
            needed_mm = max(words) * 1.25 + 2 * 1.9  # a 25 % wider substitute; Word's margins
            assert column.width.mm >= needed_mm, (header, needed_mm, column.width.mm)
    with zipfile.ZipFile(built_docx) as archive:
        fonts = archive.read("word/fontTable.xml").decode()
    entry = re.search(r'<w:font w:name="Open Sans">(.*?)</w:font>', fonts)
    assert entry and '<w:family w:val="swiss"/>' in entry[1] and "w:altName" in entry[1]
