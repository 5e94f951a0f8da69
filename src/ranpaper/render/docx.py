"""The model → a Word document (DOCX), for the reviewers who comment and track changes in Word.

Made with python-docx on its default template, using Word's own styles so that the structure
shows in Word's navigation pane and survives editing: `Title`, `Heading 1`–`Heading 9` (a theme
is Heading 1, its topics Heading 2 and below, each topic's sections one level under it),
`List Bullet` to `List Bullet 3`, `Caption`, `TOC Heading`, plus three paragraph styles of
ranpaper's own for practice cards (`Practice`, `Practice Meta`) and lesson captions
(`Lesson Group`).

Decisions (written down in README.md too):
- Footnotes are real Word footnotes. python-docx has no API for them, so the footnotes part
  is added at the XML level (`_Footnotes`), with Word's separator footnotes and the built-in
  `footnote text` / `footnote reference` styles; a footnote cited twice is one footnote, its
  number repeated as a superscript at the second place.
- The contents are a `TOC` field over Heading 1–3 whose result is written out (each heading,
  indented by level, in `TOC 1`–`TOC 3`), so any viewer shows them; Word, asked to update
  fields on opening, replaces them with its own, page numbers included.
- The meetings of each topic are a table (date, place, groups, the meeting as written); a note
  between meetings splits the table where it stands.
- The chart: Word shows PNG, not SVG, so the timeline's SVG (`render/timeline.py`, whatever
  draws it) is laid out by WeasyPrint, with the paper's font, and rasterised by PDFium
  (pypdfium2) at 200 dpi. Its alt text is the PDF figure's (every year's count); a Caption
  paragraph says what it shows, and its numbers follow as a table.
- Tables have even rules: one ½ pt rule above, under every row and at the foot, none between
  columns (`_even_borders`), instead of a table style whose header and banding vary them.
- Lost, unsafe or malformed links are plain text, as in the PDF (`safe_href`).
- Text that XML cannot hold (control characters, lone surrogates) is shown as U+FFFD.
- Byte-reproducible: the core properties carry the paper's date (or SOURCE_DATE_EPOCH), and
  the zip is rewritten with fixed entry dates; the template's thumbnail is dropped.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ranpaper.model import (
    Break,
    Code,
    Emphasis,
    FootnoteRef,
    Gap,
    Image,
    Inline,
    LessonGroup,
    Link,
    ListItem,
    Meeting,
    Note,
    Paper,
    Paragraph,
    Practice,
    RawHtml,
    Strong,
    Text,
    Theme,
    Topic,
)
from ranpaper.render.cards import card_title
from ranpaper.render.html import leaders_box

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry
CHART_WIDTH_MM = 160
"""The chart's width on the page: the text width."""
CHART_PPI = 300
"""Its pixels per inch there, as print asks (at 200 dpi of the figure's own size it was 159)."""


def clean(text: str) -> str:
    """Text that XML 1.0 can hold: what it cannot becomes U+FFFD, visibly."""
    return _NOT_XML.sub("\ufffd", text)


def write_docx(paper: Paper, target: Path, timeline_svg: str, images: dict[str, str]) -> None:
    target.write_bytes(to_docx(paper, timeline_svg, images))


def write_brief_docx(
    paper: Paper,
    theme: Theme,
    target: Path,
    images: dict[str, str],
    paper_pdf: str | None = None,
) -> None:
    target.write_bytes(brief_docx(paper, theme, images, paper_pdf))


def to_docx(paper: Paper, timeline_svg: str = "", images: dict[str, str] | None = None) -> bytes:
    """The paper as DOCX bytes; the same paper gives the same bytes."""
    writer = _Writer(paper, images or {})
    writer.write(timeline_svg)
    return _saved(writer)


def brief_docx(
    paper: Paper,
    theme: Theme,
    images: dict[str, str] | None = None,
    paper_pdf: str | None = None,
) -> bytes:
    """A main theme's brief as DOCX bytes: the parts of the PDF brief, in its order; with
    `paper_pdf` (relative to the brief) a link to the paper's PDF."""
    writer = _Writer(paper, images or {})
    writer.brief(theme, paper_pdf)
    return _saved(writer)


def _saved(writer: _Writer) -> bytes:
    buffer = io.BytesIO()
    writer.document.save(buffer)
    return _reproducible_zip(buffer.getvalue())


FONT = "Open Sans"
"""The paper's typeface, named in every style. A DOCX cannot carry a font of its own to every
word processor: where Open Sans is not installed, Word and LibreOffice substitute a sans (the
font table names Arial as its alternative and the Swiss family, so the substitute is a sans
of like width); the meetings table's narrow columns are wide enough that its longest word
stays whole in a substitute up to 25 % wider than Open Sans (`MEETING_COLUMNS_MM`)."""

MEETING_COLUMNS_MM = (25, 30, 21, 84)
"""Date, place, groups, meeting (160 mm, the text width). Each narrow column holds its longest
word 25 % wider than Open Sans at the table's 10.5 pt, plus the cells' 3.8 mm of margins:
"Amsterdam" (21 mm) needs 30; "May 2017" (16.7 mm, never split between month and year) 25;
the bold header "Groups" (13.3 mm) 21."""

CHART_COLUMNS_MM = (16, 20, 124)
"""Year, events, by working group: the bold header "Events" (12.3 mm) needs 20 mm by the same
measure (at 16 mm a substitute broke it as "Event|s")."""


def _typeface(styles: Any, name: str) -> None:
    """Name `name` as the font of the document's defaults and of every style that names one,
    in place of the template's theme fonts (Cambria and Calibri), which win over a plain
    font name in Word."""
    from docx.oxml.ns import qn

    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(attribute), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attribute), name)


FALLBACK = (
    f'<w:font w:name="{FONT}"><w:altName w:val="Arial"/>'
    '<w:panose1 w:val="020B0606030504020204"/><w:charset w:val="00"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
)


def _name_a_fallback(package: Any) -> None:
    """Describe Open Sans in the font table (its PANOSE class, the Swiss family, Arial as its
    alternative), so that a word processor without it picks a like sans, not a serif."""
    for part in package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            blob = part.blob.decode("utf-8")
            if f'w:name="{FONT}"' not in blob:
                part._blob = blob.replace("</w:fonts>", FALLBACK + "</w:fonts>").encode("utf-8")


def _publication_date(paper: Paper) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    day = paper.metadata.date or dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def _reproducible_zip(data: bytes) -> bytes:
    """The same entries in the same order, each dated FIXED_ZIP_DATE."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, FIXED_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def chart_png(svg: str) -> bytes:
    """The timeline's SVG as a PNG: laid out by WeasyPrint on a page of the figure's size,
    in the paper's own font, then rasterised by PDFium."""
    import pypdfium2
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from ranpaper.render.pdf import _fetcher_class
    from ranpaper.resources import TEMPLATES

    width, height = _svg_size(svg)
    faces = "".join(
        f'@font-face {{ font-family: "Open Sans"; font-weight: {weight}; font-style: {style};'
        f" src: url(fonts/{name}.ttf); }}"
        for weight, style, name in (
            (400, "normal", "OpenSans-Regular"),
            (700, "normal", "OpenSans-Bold"),
        )
    )
    html = (
        f"<style>{faces} @page {{ size: {width}pt {height}pt; margin: 0 }} "
        "html, body { margin: 0 } svg { display: block }</style>" + svg
    )
    fetcher = _fetcher_class()([TEMPLATES])
    pdf = weasyprint.HTML(
        string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher
    ).write_pdf(font_config=FontConfiguration())
    document = pypdfium2.PdfDocument(pdf)
    try:
        pixels = CHART_PPI * CHART_WIDTH_MM / 25.4
        bitmap = document[0].render(scale=pixels / width)
        picture = bitmap.to_pil()
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG", dpi=(CHART_PPI, CHART_PPI))
    finally:
        document.close()
    return buffer.getvalue()


def _svg_size(svg: str) -> tuple[float, float]:
    """The SVG's width and height in points (matplotlib writes `pt`; plain numbers are px)."""
    sizes = []
    for name in ("width", "height"):
        found = re.search(rf'<svg[^>]*?\s{name}="([\d.]+)(pt|px)?"', svg)
        if found is None:
            sizes.append(0.0)
            continue
        value = float(found.group(1))
        sizes.append(value if found.group(2) == "pt" else value * 0.75)
    width, height = sizes
    return (width or 475.0, height or 230.0)


class _Story:
    """The parent python-docx's paragraph objects need: something with a `part`."""

    def __init__(self, part: Any) -> None:
        self.part = part


class _Footnotes:
    """Word footnotes, which python-docx cannot make: the footnotes part, its two separator
    footnotes, and one `w:footnote` per footnote cited."""

    XML = (
        '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
        'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
        'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote></w:footnotes>"
    )

    def __init__(self, document: Any) -> None:
        from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI
        from docx.opc.part import XmlPart
        from docx.oxml import parse_xml

        body = document.part
        self.part = XmlPart(
            PackURI("/word/footnotes.xml"),
            CONTENT_TYPE.WML_FOOTNOTES,
            parse_xml(self.XML),
            body.package,
        )
        body.relate_to(self.part, RELATIONSHIP_TYPE.FOOTNOTES)
        self.story = _Story(self.part)
        self.count = 0

    def add(self) -> tuple[int, Any]:
        """A new footnote: its id, and its first paragraph (already holding the number)."""
        from docx.oxml import parse_xml
        from docx.text.paragraph import Paragraph as DocxParagraph

        self.count += 1
        note = parse_xml(
            '<w:footnote xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
            f' w:id="{self.count}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
        )
        self.part.element.append(note)
        return self.count, DocxParagraph(note[0], self.story)


class _Writer:
    def __init__(self, paper: Paper, images: dict[str, str]) -> None:
        import docx

        self.paper = paper
        self.profile = paper.profile
        self.images = images
        self.document = docx.Document()
        self.footnote_defs = {note.label: note for note in paper.footnotes}
        self.footnote_ids: dict[str, int] = {}
        self._footnotes: _Footnotes | None = None
        self._inlined: set[str] = set()  # footnotes whose text is written
        self._setup()

    # --- document set-up ----------------------------------------------------------------------

    def _setup(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls, qn
        from docx.shared import Mm, Pt, RGBColor

        document = self.document
        meta = self.paper.metadata
        # The template's thumbnail shows another document: drop it.
        package = document.part.package
        for rel_id, rel in list(package.rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
                package.rels.pop(rel_id)
        section = document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
        # Page numbers at the foot, right, as the PDF has them: a printed copy can be cited.
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        footer._p.append(
            parse_xml(
                f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r>'
                "</w:fldSimple>"
            )
        )

        properties = document.core_properties
        when = _publication_date(self.paper)
        properties.title = clean(meta.title or "")
        properties.author = clean(meta.working_group or "")
        properties.subject = clean(meta.kind or "")
        properties.keywords = clean(
            ", ".join(["RAN", meta.short_name or "", *(t.title_text for t in self.paper.themes)])
        )
        properties.language = clean(meta.language)
        properties.comments = ""
        properties.category = ""
        properties.last_modified_by = "ranpaper"
        properties.revision = 1
        properties.created = properties.modified = properties.last_printed = when

        styles = document.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        language = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
        language.set(qn("w:val"), clean(meta.language))
        styles["Normal"].font.size = Pt(10.5)
        # The headings in the paper's navy and upright at every level, as the PDF sets them:
        # the default template made Heading 4 italic (a section under a sub-topic looked
        # unlike one under a topic) and its headings another blue.
        navy, teal = RGBColor(0x15, 0x35, 0x5A), RGBColor(0x0B, 0x7A, 0x75)
        for level in range(1, 7):
            heading = styles[f"Heading {level}"]
            heading.font.italic = False
            heading.font.color.rgb = navy
        for name in ("Title", "TOC Heading"):
            styles[name].font.color.rgb = navy
        styles["Caption"].font.color.rgb = teal
        styles["Caption"].font.italic = False
        _typeface(styles.element, FONT)
        _name_a_fallback(package)

        def paragraph_style(name: str, style_id: str, base: str) -> Any:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.style_id = style_id
            style.base_style = styles[base]
            style.quick_style = True
            return style

        note_text = paragraph_style("footnote text", "FootnoteText", "Normal")
        note_text.font.size = Pt(9)
        note_text.paragraph_format.space_after = Pt(0)
        note_ref = styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER)
        note_ref.style_id = "FootnoteReference"
        note_ref.font.superscript = True
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.style_id = "Hyperlink"
        link.font.color.rgb = RGBColor(0x0B, 0x5C, 0x8C)
        link.font.underline = True

        card = paragraph_style("Practice", "Practice", "Normal")
        # The border first: python-docx puts the spacing and indent after it, in schema order.
        card.element.get_or_add_pPr().append(
            parse_xml(
                f'<w:pBdr {nsdecls("w")}><w:left w:val="single" w:sz="18" w:space="8" '
                'w:color="0B7A75"/></w:pBdr>'
            )
        )
        card.paragraph_format.left_indent = Mm(5)
        card.paragraph_format.space_after = Pt(6)
        card_meta = paragraph_style("Practice Meta", "PracticeMeta", "Practice")
        card_meta.font.size = Pt(8.5)
        card_meta.font.color.rgb = RGBColor(0x5B, 0x68, 0x75)
        card_meta.paragraph_format.space_after = Pt(0)
        card_meta.paragraph_format.keep_with_next = True
        group = paragraph_style("Lesson Group", "LessonGroup", "Normal")
        group.font.bold = True
        group.paragraph_format.keep_with_next = True
        group.paragraph_format.space_after = Pt(2)

        # Word fills in the contents (a field) when the document is opened.
        settings = document.settings.element
        settings.find(qn("w:compat")).addprevious(  # where the schema's order puts it
            parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
        )

    @property
    def footnotes(self) -> _Footnotes:
        if self._footnotes is None:
            self._footnotes = _Footnotes(self.document)
        return self._footnotes

    # --- the paper ------------------------------------------------------------------------------

    def write(self, timeline_svg: str) -> None:
        from ranpaper.render.html import published

        document = self.document
        meta = self.paper.metadata
        if meta.short_name:
            document.add_paragraph(clean(meta.short_name), style="Subtitle")
        if meta.kind:
            document.add_paragraph(clean(meta.kind), style="Subtitle")
        document.add_paragraph(clean(meta.title or ""), style="Title")
        if meta.working_group:
            document.add_paragraph(clean(meta.working_group))
        if meta.date:
            document.add_paragraph(published(self.paper))
        self._contents()

        if self.paper.introduction or self.paper.introduction_span is not None:
            self.heading(self.profile.introduction, 1, page_break=True)
            self.blocks(self.paper.introduction)
            if leaders_box(self.paper):
                self._leaders()
        for theme in self.paper.themes:
            heading = self.heading(
                f"{self.profile.theme_prefix(theme.number)} ", 1, page_break=True
            )
            self.inline(heading, theme.title)
            self.blocks(theme.intro)
            for topic in theme.topics:
                self.topic(topic, 2)
        self._practice_index()
        self._timeline(timeline_svg)

    def brief(self, theme: Theme, paper_pdf: str | None = None) -> None:
        """What the PDF brief holds (`brief.html.j2`): lessons and gaps first, by topic, then
        the practices, then the theme's meetings once each, by date (`render/brief.py`
        decides what it holds for every form of the brief)."""
        from ranpaper.render import brief
        from ranpaper.render.html import published

        document = self.document
        meta = self.paper.metadata
        profile = self.profile
        theme_heading = profile.theme_heading(theme.number)
        title = f"{profile.theme_prefix(theme.number)} {theme.title_text}"
        document.core_properties.title = clean(f"{title} — {meta.title or ''}")
        document.core_properties.subject = clean(
            profile.word(
                "brief-description",
                number=theme.number,
                title=meta.title or profile.word("the-paper"),
            )
        )
        label = f"{meta.short_name or ''} · {profile.word('brief')} · {theme_heading}"
        document.add_paragraph(clean(label.strip(" ·")), style="Subtitle")
        self.inline(document.add_paragraph(style="Title"), theme.title)
        source = profile.word(
            "brief-source",
            quoted_title=profile.quote(meta.title or ""),
            working_group=meta.working_group or "",
        )
        document.add_paragraph(clean(f"{source}, {published(self.paper)}"))
        link = brief.paper_link(self.paper, theme, paper_pdf)
        if link is not None:
            # The file only: Word and LibreOffice open a local file's link without its
            # `#nameddest=` (LibreOffice looks for a file of that whole name), so the words
            # promise the file, not the theme's page (`brief-link-file`).
            paragraph = document.add_paragraph()
            before, after = profile.around("brief-link-file", "file")
            paragraph.add_run(clean(before))
            self._run(paragraph, link.file, False, False, self._file_link(paragraph, link))
            paragraph.add_run(clean(after))
        self.blocks(theme.intro)
        plan = brief.plan(self.paper, theme)  # what every form of the brief holds
        for path, intro in plan.intros:
            self.heading(path, 1)
            self.blocks(intro)
        self.heading(profile.label("lessons"), 1)
        for path, lessons in plan.lessons:
            self.heading(path, 2)
            for item in lessons.items:
                if isinstance(item, LessonGroup):
                    if item.title:
                        paragraph = document.add_paragraph(style="Lesson Group")
                        self.inline(paragraph, item.title)
                    self.bullets(item.lessons)
                else:
                    self.inline(document.add_paragraph(), item.text)
        self.heading(profile.label("gaps"), 1)
        for path, gaps in plan.gaps:
            self.heading(path, 2)
            for gap in gaps.items:
                if gap.bullet:
                    self.bullets([gap])
                else:
                    self.inline(document.add_paragraph(), gap.text)
        if plan.practices or plan.leads:
            self.heading(profile.label("practices"), 1)
        for leads, cards in plan.practice_groups:
            for path, note in leads:
                self._attributed(path, note.text)
            for cited in cards:
                self._practice(cited.practice, cited.topics, cited.also, cited.notes)
        self.heading(profile.label("meetings"), 1)
        self._meetings(plan.meetings)
        for path, note in plan.meeting_notes:
            self._attributed(path, note.text)

    def _attributed(self, path: str, text: Inline) -> None:
        """A note of a brief under the path of the topic that wrote it."""
        paragraph = self.document.add_paragraph()
        paragraph.add_run(clean(f"{path}: ")).italic = True
        self.inline(paragraph, text)

    def _contents(self) -> None:
        """The contents written out — every heading of levels 1 to 3, indented by level — as
        the result of a `TOC` field: a reviewer who opens the file in LibreOffice or a viewer
        sees the entries at once, and Word, asked to update fields on opening, replaces them
        with its own, page numbers included."""
        document = self.document
        document.add_paragraph(
            self.profile.word("contents"), style="TOC Heading"
        ).paragraph_format.page_break_before = True
        entries = self._contents_entries()
        paragraphs = [document.add_paragraph(style=self._toc_style(level)) for level, _ in entries]
        _field_over(paragraphs, 'TOC \\o "1-3" \\h \\z \\u', [clean(t) for _, t in entries])

    def _contents_entries(self) -> list[tuple[int, str]]:
        """(level, text) of each heading the `TOC` field collects, in order."""
        entries: list[tuple[int, str]] = []
        if self.paper.introduction or self.paper.introduction_span is not None:
            entries.append((1, self.profile.introduction))

        def walk(topic: Topic, level: int) -> None:
            if level <= 3:
                entries.append((level, topic.title_text))
            for sub in topic.topics:
                walk(sub, level + 1)

        for theme in self.paper.themes:
            entries.append((1, f"{self.profile.theme_prefix(theme.number)} {theme.title_text}"))
            for topic in theme.topics:
                walk(topic, 2)
        entries.append((1, self.profile.word("index-of-practices")))
        entries.append((1, self.profile.word("timeline")))
        return entries

    def _toc_style(self, level: int) -> str:
        """Word's built-in `TOC 1`–`TOC 3` (added on first use: the template lacks them)."""
        from docx.enum.style import WD_STYLE_TYPE
        from docx.shared import Mm, Pt

        name = f"TOC {level}"
        styles = self.document.styles
        if name not in [style.name for style in styles]:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.paragraph_format.left_indent = Mm(5 * (level - 1))
            style.paragraph_format.space_after = Pt(2)
            style.font.bold = level == 1
        return name

    def _leaders(self) -> None:
        leaders = self.paper.metadata.leaders
        for caption, people in (
            (self.profile.word("current-leaders"), leaders.current),
            (self.profile.word("previous-leaders"), leaders.previous),
        ):
            if not people:
                continue
            self.document.add_paragraph(caption, style="Lesson Group")
            for leader in people:
                period = f"{leader.group} {leader.period}" if leader.group else leader.period
                self.document.add_paragraph(clean(f"{leader.name} ({period})"), style="List Bullet")

    def heading(self, text: str, level: int, page_break: bool = False) -> Any:
        paragraph = self.document.add_heading(clean(text), min(level, 9))
        if page_break:
            paragraph.paragraph_format.page_break_before = True
        return paragraph

    def topic(self, topic: Topic, level: int) -> None:
        self.inline(self.heading("", level), topic.title)
        self.blocks(topic.intro)
        for section in topic.sections:
            self.heading(self.profile.label(section.kind), level + 1)
            if section.marked_empty is not None:
                self.document.add_paragraph(self.profile.empty)
            rows: list[Meeting] = []
            for item in section.items:
                if isinstance(item, Meeting):
                    rows.append(item)
                    continue
                self._meetings(rows)
                rows = []
                if isinstance(item, Practice):
                    self._practice(item)
                elif isinstance(item, LessonGroup):
                    if item.title:
                        self.inline(self.document.add_paragraph(style="Lesson Group"), item.title)
                    self.bullets(item.lessons)
                elif isinstance(item, Gap):
                    if item.bullet:
                        self.bullets([item])
                    else:
                        self.inline(self.document.add_paragraph(), item.text)
                else:  # a note
                    self.inline(self.document.add_paragraph(), item.text)
            self._meetings(rows)
        for sub in topic.topics:
            self.topic(sub, level + 1)

    def blocks(self, blocks: Iterable[Any]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph):
                self.inline(self.document.add_paragraph(), block.text)
            else:
                self.bullets(block.items)

    def bullets(self, items: Iterable[ListItem | Any]) -> None:
        """Nested bullets as List Bullet, List Bullet 2 and 3; deeper ones stay at 3, indented
        further. Without recursion, so that any depth is written."""
        from docx.shared import Mm

        stack = [(item, 1) for item in reversed(list(items))]
        while stack:
            item, level = stack.pop()
            style = "List Bullet" if level == 1 else f"List Bullet {min(level, 3)}"
            paragraph = self.document.add_paragraph(style=style)
            if level > 3:
                paragraph.paragraph_format.left_indent = Mm(6.35 * level)
            self.inline(paragraph, item.text)
            stack.extend((child, level + 1) for child in reversed(item.children))

    def _practice(
        self,
        practice: Practice,
        topics: list[str] | None = None,
        also: list[tuple[str, Practice, bool, bool]] | None = None,
        notes: list[tuple[str, Note]] | None = None,
    ) -> None:
        """A practice card: its title (`render.cards`: name, organisation, country, without a
        trailing colon) in bold on a line of its own, as the PDF sets it; then its text. In a
        brief, what other topics say of it, and the topics citing it."""
        document = self.document
        paragraph = document.add_paragraph(style="Practice")
        paragraph.paragraph_format.keep_with_next = True  # never alone at a page's foot
        self.inline(paragraph, card_title(practice), bold=True)
        if practice.description:
            self.inline(document.add_paragraph(style="Practice"), practice.description)
        for path, card, show_head, show_text in also or []:
            paragraph = document.add_paragraph(style="Practice")
            paragraph.add_run(clean(f"{path}: ")).italic = True
            if show_head:
                self.inline(paragraph, card.head, bold=True)
                if show_text:
                    paragraph.add_run(clean(card.separator or " "))
            if show_text:
                self.inline(paragraph, card.description)
        for _path, note in notes or []:
            self.inline(self.document.add_paragraph(style="Practice"), note.text)
        if topics:
            cited_in = self.profile.word("cited-in")
            document.add_paragraph(
                clean(f"{cited_in}: " + "; ".join(topics)), style="Practice Meta"
            )

    def _meetings(self, meetings: list[Meeting]) -> None:
        if not meetings:
            return
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls
        from docx.shared import Mm

        from ranpaper.render.html import date_label

        table = self.document.add_table(rows=1, cols=4)
        _even_borders(table)
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
        titles = [
            self.profile.word(f"docx-{key}") for key in ("date", "place", "groups", "meeting")
        ]
        for cell, title in zip(header.cells, titles, strict=True):
            cell.paragraphs[0].add_run(clean(title)).bold = True
        widths = tuple(Mm(width) for width in MEETING_COLUMNS_MM)
        for meeting in meetings:
            row = table.add_row()
            # A meeting row never splits across pages (as in the PDF).
            row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
            cells = row.cells
            cells[0].text = clean(
                date_label(meeting.date, self.profile)
                or meeting.date_text
                or self.profile.word("undated")
            )
            cells[1].text = clean(meeting.place or "")
            cells[2].text = clean(" · ".join(meeting.organisers))
            self.inline(cells[3].paragraphs[0], meeting.text)
        _fix_widths(table, widths)

    def _practice_index(self) -> None:
        from ranpaper.render.anchors import Anchors
        from ranpaper.render.html import practice_index

        self.heading(self.profile.word("index-of-practices"), 1, page_break=True)
        self.document.add_paragraph(self.profile.word("index-intro-docx"))
        for entry in practice_index(self.paper, Anchors(), self.paper.themes):
            paragraph = self.document.add_paragraph(style="List Bullet")
            paragraph.add_run(clean(entry.name)).bold = True
            if entry.country:
                paragraph.add_run(clean(f" ({entry.country})"))
            paragraph.add_run(clean(": " + "; ".join(title for _, title in entry.mentions)))

    def _timeline(self, svg: str) -> None:
        """The chart as a picture whose alt text is the PDF figure's (every year's count),
        its caption, and its numbers as a table, as the PDF and the web page give them."""
        from docx.shared import Mm

        from ranpaper.render.html import meetings_per_year
        from ranpaper.render.timeline import describe, table_rows

        data = meetings_per_year(self.paper.themes)
        self.heading(self.profile.word("timeline"), 1, page_break=True)
        if svg:
            self.document.add_picture(io.BytesIO(chart_png(svg)), width=Mm(CHART_WIDTH_MM))
            picture = self.document.paragraphs[-1]
            picture.paragraph_format.keep_with_next = True
            _describe_picture(picture, clean(describe(data, self.profile)))
        self.document.add_paragraph(self.profile.word("timeline-docx-caption"), style="Caption")
        rows = table_rows(data, self.profile)
        if not rows:
            return
        self.document.add_paragraph(
            self.profile.word("timeline-table-caption"), style="Caption"
        ).paragraph_format.keep_with_next = True
        titles = [self.profile.word(f"timeline-{k}") for k in ("year", "events", "by-group")]
        self._table(
            titles,
            [[str(year), str(total), parts] for year, total, parts in rows],
            tuple(Mm(width) for width in CHART_COLUMNS_MM),
        )

    def _table(self, titles: list[str], rows: list[list[str]], widths: tuple[Any, ...]) -> Any:
        """A table of text: a header row that repeats across pages, rows that never split,
        one even rule under each row (`_even_borders`), fixed column widths."""
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        table = self.document.add_table(rows=1, cols=len(titles))
        _even_borders(table)
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
        for cell, title in zip(header.cells, titles, strict=True):
            cell.paragraphs[0].add_run(clean(title)).bold = True
        for values in rows:
            row = table.add_row()
            row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = clean(value)
        _fix_widths(table, widths)
        return table

    # --- inline text ----------------------------------------------------------------------------

    def inline(
        self, paragraph: Any, nodes: Inline, bold: bool = False, italic: bool = False
    ) -> None:
        """Inline nodes as runs, without recursion: a pending stack of (node, bold, italic,
        link) so that emphasis nested any depth is written."""
        stack: list[tuple[Any, bool, bool, Any]] = [
            (node, bold, italic, None) for node in reversed(nodes)
        ]
        while stack:
            node, is_bold, is_italic, link = stack.pop()
            if isinstance(node, Emphasis | Strong):
                stack.extend(
                    (
                        child,
                        is_bold or isinstance(node, Strong),
                        is_italic or isinstance(node, Emphasis),
                        link,
                    )
                    for child in reversed(node.children)
                )
            elif isinstance(node, Link):
                target = self._hyperlink(paragraph, node.url) if link is None else link
                stack.extend(
                    (child, is_bold, is_italic, target) for child in reversed(node.children)
                )
            elif isinstance(node, FootnoteRef):
                self._footnote_ref(paragraph, node)
            elif isinstance(node, Image):
                self._image(paragraph, node)
            elif isinstance(node, Break):
                if node.hard:
                    paragraph.add_run().add_break()
                else:
                    self._run(paragraph, " ", is_bold, is_italic, link)
            elif isinstance(node, Code):
                run = self._run(paragraph, node.text, is_bold, is_italic, link)
                run.font.name = "Courier New"
            elif isinstance(node, Text | RawHtml):
                self._run(paragraph, node.text, is_bold, is_italic, link)

    def _run(self, paragraph: Any, text: str, bold: bool, italic: bool, link: Any) -> Any:
        from docx.text.run import Run

        if link is None:
            run = paragraph.add_run(clean(text))
        else:
            element = link.add_r()
            run = Run(element, paragraph)
            run.text = clean(text)
            run._r.style = "Hyperlink"  # by id: the footnotes part cannot look styles up
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        return run

    def _hyperlink(self, paragraph: Any, url: str) -> Any:
        """A `w:hyperlink` to add runs to, or None when the link must be plain text (the URL
        policy, `ranpaper.urls`, decides)."""
        from ranpaper.render.html import safe_href

        href = safe_href(url)
        if href is None or clean(href) != href:
            return None
        return _link_element(paragraph, href)

    def _file_link(self, paragraph: Any, link: Any) -> Any:
        """A `w:hyperlink` to one of the build's own files, relative to this document."""
        from ranpaper.urls import file_href

        return _link_element(paragraph, file_href(link.path))

    def _footnote_ref(self, paragraph: Any, ref: FootnoteRef) -> None:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        note = self.footnote_defs.get(ref.label)
        if note is None:
            paragraph.add_run(clean(f"[^{ref.label}]"))
            return
        if ref.label in self.footnote_ids:  # cited again: one footnote, its number repeated
            shown = list(self.footnote_ids).index(ref.label) + 1
            paragraph.add_run(str(shown))._r.style = "FootnoteReference"
            return
        if paragraph.part is not self.document.part:
            # Word allows no footnote inside a footnote: its text goes in brackets, once.
            if ref.label in self._inlined:
                return
            self._inlined.add(ref.label)
            paragraph.add_run(" (")
            self.inline(paragraph, note.text)
            paragraph.add_run(")")
            return
        number, first = self.footnotes.add()
        self.footnote_ids[ref.label] = number
        paragraph._p.append(
            parse_xml(
                f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                f'<w:footnoteReference w:id="{number}"/></w:r>'
            )
        )
        self._inlined.add(ref.label)
        self.inline(first, note.text)

    def _image(self, paragraph: Any, image: Image) -> None:
        from docx.image.exceptions import UnrecognizedImageError
        from docx.shared import Mm

        url = self.images.get(image.src)
        if url is None:
            paragraph.add_run(clean(image.alt or image.src))
            return
        path = Path(unquote(urlsplit(url).path))
        try:
            paragraph.add_run().add_picture(str(path), width=Mm(120))
        except (UnrecognizedImageError, OSError, ValueError):  # e.g. SVG: Word cannot show it
            paragraph.add_run(clean(image.alt or image.src))


def _link_element(paragraph: Any, target: str) -> Any:
    """A `w:hyperlink` to `target` (an external relationship of the paragraph's part), added
    to the paragraph, for runs to go in."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rel_id = paragraph.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    element = OxmlElement("w:hyperlink")
    element.set(qn("r:id"), rel_id)
    paragraph._p.append(element)
    return element


def _fix_widths(table: Any, widths: tuple[Any, ...]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = width  # each cell, which Word reads


RULE = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="C9D3DD"/>'


def _even_borders(table: Any) -> None:
    """One rule of the same weight (½ pt, the PDF's rule colour) above the table, under each
    row and under the last, and none between columns: set on the table itself, with no table
    style whose first-row and banding borders would make some rules heavier than others."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    properties = table._tbl.tblPr
    for old in properties.findall(qn("w:tblStyle")):
        properties.remove(old)
    sides = "".join(RULE.format(side=side) for side in ("top", "bottom", "insideH"))
    nil = "".join(f'<w:{side} w:val="nil"/>' for side in ("left", "right", "insideV"))
    borders = parse_xml(f"<w:tblBorders {nsdecls('w')}>{sides}{nil}</w:tblBorders>")
    # Schema order: tblStyle, …, tblW, jc, …, tblBorders, shd, tblLayout, tblCellMar, tblLook.
    look = properties.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(borders)
    else:
        properties.append(borders)


def _describe_picture(paragraph: Any, text: str) -> None:
    """Alt text for the chart (Word's `descr`), for screen readers."""
    from docx.oxml.ns import qn

    for properties in paragraph._p.iter(qn("wp:docPr")):
        properties.set("descr", text)


def _field_over(paragraphs: list[Any], instruction: str, results: list[str]) -> None:
    """A field whose result runs over several paragraphs, one result text in each: it begins
    in the first paragraph and ends in the last."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    first, last = paragraphs[0], paragraphs[-1]
    first._p.append(
        parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>')
    )
    first._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> {instruction} '
            "</w:instrText></w:r>"
        )
    )
    first._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>'))
    for paragraph, text in zip(paragraphs, results, strict=True):
        paragraph.add_run(text)
    last._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))
