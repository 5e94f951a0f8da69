"""The built PDF read page by page as a publication designer reads it: where each index entry
points, how full each page is, what ends a page (issue 10)."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from published_text import normalise
from ranpaper.model import Paper, plain
from ranpaper.render.anchors import Anchors
from ranpaper.render.html import practice_index

STEM = "rehabilitation-overview"
MM = 72 / 25.4
TOP, BOTTOM = 24 * MM, 22 * MM  # the page margins of print.css: running head and foot outside


@dataclass
class Word:
    text: str
    x0: float
    y0: float  # from the page's top, as pdftotext gives it
    x1: float
    y1: float


def words_by_page(pdf: Path) -> list[tuple[float, list[Word]]]:
    """(page height, words of the page's body) for every page, from `pdftotext -bbox`."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (.ci/run installs poppler-utils)")
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in xml.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page)[1])  # type: ignore[index]
        words = [
            Word(unescape(text), float(a), float(b), float(c), float(d))
            for a, b, c, d, text in re.findall(
                r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', page
            )
        ]
        body = [w for w in words if w.y0 > TOP and w.y1 < height - BOTTOM]
        pages.append((height, body))
    return pages


def fill(height: float, body: list[Word]) -> float:
    """How far down the page's text area its text reaches, 0 to 1."""
    lowest = max((w.y1 for w in body), default=TOP)
    return (lowest - TOP) / (height - TOP - BOTTOM)


def part_starts(reader: PdfReader) -> list[int]:
    """0-based pages where a part starts (the outline's first level: a theme, the index …)."""
    return sorted(
        reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    )


def test_every_index_entry_gives_the_page_of_the_practice_card(built: Path, paper: Paper) -> None:
    """Each index line ("Topic, p. N") links to a card: N is the page the link goes to, and
    that page shows the practice's name."""
    pdf = built / f"{STEM}.pdf"
    reader = PdfReader(pdf)
    pages = words_by_page(pdf)
    page_texts = [normalise(" ".join(w.text for w in body)) for _, body in pages]
    entries = practice_index(paper, Anchors(), paper.themes)
    expected = [(entry.name, title) for entry in entries for _, title in entry.mentions]
    index_page = next(i for i, text in enumerate(page_texts) if "Index of practices" in text)
    named = reader.named_destinations
    links: list[tuple[str, list[str]]] = []  # (destination, words), a link's lines joined
    for number in range(index_page, len(reader.pages)):
        height, body = pages[number]
        for annot in reader.pages[number].get("/Annots") or []:
            annot = annot.get_object()
            dest = str(annot.get("/Dest") or "")
            if dest not in named:
                continue
            xs, ys = (
                sorted(float(v) for v in annot["/Rect"][::2]),
                sorted(float(v) for v in annot["/Rect"][1::2]),
            )
            inside = [
                w.text
                for w in body
                if xs[0] - 1 <= w.x0
                and w.x1 <= xs[1] + 1
                and height - ys[1] - 1 <= w.y0
                and w.y1 <= height - ys[0] + 1
            ]
            if links and links[-1][0] == dest:
                links[-1][1].extend(inside)
            else:
                links.append((dest, inside))
    checked = []
    for dest, inside in links:
        printed = re.search(r"p\. (\d+)$", " ".join(inside))
        if printed is not None:  # an index line, not another link
            target = reader.get_destination_page_number(named[dest]) + 1
            checked.append((int(printed[1]), target))
    assert len(checked) == len(expected), (len(checked), len(expected))
    for (name, title), (printed, target) in zip(expected, checked, strict=True):
        assert printed == target, (name, title, printed, target)
        assert normalise(name) in page_texts[printed - 1], (name, title, printed)


def test_no_page_is_more_than_half_empty_but_a_parts_last(built: Path) -> None:
    """A page is at least half filled unless the next page starts a part (a theme, the index,
    the timeline) or it is the last: boxes split rather than move whole and leave a gap."""
    pdf = built / f"{STEM}.pdf"
    reader = PdfReader(pdf)
    last_of_part = {start - 1 for start in part_starts(reader)} | {len(reader.pages) - 1}
    pages = words_by_page(pdf)
    for number, (height, body) in enumerate(pages):
        if number < 2 or number in last_of_part:  # the cover and the contents
            continue
        assert fill(height, body) >= 0.5, (number + 1, " ".join(w.text for w in body)[-200:])


def _lines(body: list[Word]) -> list[str]:
    lines: dict[int, list[Word]] = {}
    for word in body:
        lines.setdefault(round(word.y1), []).append(word)
    return [
        " ".join(w.text for w in sorted(ws, key=lambda w: w.x0)) for _, ws in sorted(lines.items())
    ]


def _headings(paper: Paper) -> set[str]:
    headings = {normalise(topic.title_text) for _, topic in paper.topics()}
    headings |= {"Meetings and papers", "Practices", "Lessons learned and recommendations"}
    headings |= {"What needs to be further explored?"}
    headings |= {normalise(p.name) for _, p in paper.citations() if p.name}
    # A brief's headings: a topic's whole path ("Probation › Specific topics").
    for theme in paper.themes:
        for topic in theme.walk():
            headings.add(normalise(topic.title_text))
    return headings


def test_no_page_ends_on_a_heading_or_a_lead_in(built: Path, paper: Paper) -> None:
    """The last line of a page's text (above its footnotes) is never a heading, a section's
    title or a sentence that introduces what follows, in the paper or a brief."""
    headings = _headings(paper)
    for pdf in _every_pdf(built):
        skip = 2 if pdf.name.startswith(STEM) else 0  # the paper's cover and contents
        for number, (_height, body) in enumerate(words_by_page(pdf)[skip:], start=skip + 1):
            # Footnotes at the foot are set in 7.5 pt: leave them out by their height.
            text_lines = _lines([w for w in body if w.y1 - w.y0 > 8.5])
            if not text_lines:
                continue
            last = normalise(text_lines[-1])
            assert last not in headings, (pdf.name, number, last)
            # a brief's topic path, "Probation › Specific topics", ends with the topic
            assert last.split(" › ")[-1] not in headings, (pdf.name, number, last)
            assert not last.endswith(":"), (pdf.name, number, last)


ROW_START = re.compile(r"^(undated|([A-Z][a-zé]{2,3}\.? )?\d{4})\b")


def test_a_list_of_meetings_never_leaves_one_row_at_a_page_foot(built: Path) -> None:
    """A "Meetings and papers" heading at a page's foot carries at least two rows with it when
    its list goes on over the page (the issue's brief 01, page 5: a heading and one row).
    A row starts with its date in the gutter, left of the text column."""
    for pdf in _every_pdf(built):
        pages = words_by_page(pdf)
        for number, (_height, body) in enumerate(pages[:-1], start=1):
            lines = _placed_lines(body)
            heading = [i for i, (_, text) in enumerate(lines) if text == "Meetings and papers"]
            if not heading:
                continue
            after = lines[heading[-1] + 1 :]
            rows = [text for x0, text in after if x0 < GUTTER_END and ROW_START.match(text)]
            following = _placed_lines(pages[number][1])
            continues = bool(following) and following[0][0] < GUTTER_END
            continues = continues and bool(ROW_START.match(following[0][1]))
            assert not (continues and len(rows) == 1), (pdf.name, number, rows)


LEFT = 22 * MM  # the page's left margin in print.css
GUTTER_END = LEFT + 40 * MM  # a line starting left of this starts in the gutter


def _placed_lines(body: list[Word]) -> list[tuple[float, str]]:
    """(x of the line's first word, the line's text) of the page's lines, top to bottom; a
    line is split where a gap of 4 mm separates two columns."""
    rows: dict[int, list[Word]] = {}
    for word in body:
        rows.setdefault(round(word.y1), []).append(word)
    lines = []
    for _, words in sorted(rows.items()):
        words.sort(key=lambda w: w.x0)
        line = [words[0]]
        for word in words[1:]:
            if word.x0 - line[-1].x1 > 4 * MM:
                lines.append((line[0].x0, " ".join(w.text for w in line)))
                line = []
            line.append(word)
        lines.append((line[0].x0, " ".join(w.text for w in line)))
    return lines


TINTS = ((0xEE, 0xF4, 0xF8), (0xFD, 0xF5, 0xE6))  # --tint and --gap-tint of print.css


def test_no_box_leaves_an_empty_tinted_foot(built: Path, tmp_path: Path) -> None:
    """Where a tinted box (a card, a gaps box) reaches a page's foot, its tint stops within
    6 mm of the last line of text, a line's height and the box's padding: never a band of
    empty box (the issue's pages 11 and 19 had 10 and 14 mm). Read from the rendered page,
    as a reader sees it."""
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (.ci/run installs poppler-utils)")
    for pdf in _every_pdf(built):
        out = tmp_path / pdf.stem
        out.mkdir()
        subprocess.run(["pdftoppm", "-r", "36", "-png", str(pdf), str(out / "p")], check=True)
        images = sorted(out.glob("p-*.png"))
        pages = words_by_page(pdf)
        assert len(images) == len(pages)
        for number, ((height, body), image) in enumerate(zip(pages, images, strict=True), 1):
            lowest_tint = _lowest_tint(Image.open(image).convert("RGB"), height)
            lowest_text = max((w.y1 for w in body if w.y1 - w.y0 > 8.5), default=0.0)
            assert lowest_tint - lowest_text <= 6 * MM, (pdf.name, number)


def _lowest_tint(image: object, height: float) -> float:
    """The lowest point of the page (in points from its top) where a row of pixels is mostly
    a box's tint; 0 if there is none."""
    width, rows = image.size  # type: ignore[attr-defined]
    pixels = image.load()  # type: ignore[attr-defined]
    for y in range(rows - 1, 0, -1):
        tinted = sum(
            1
            for x in range(0, width, 2)
            if any(
                sum(abs(a - b) for a, b in zip(pixels[x, y], tint, strict=True)) < 6
                for tint in TINTS
            )
        )
        if tinted > 20:
            return y * height / rows
    return 0.0


def test_a_meeting_row_never_splits(built: Path, paper: Paper) -> None:
    """Every meeting's line is whole on one page: a row is never carried over a page break."""
    reader = PdfReader(built / f"{STEM}.pdf")
    texts = [
        normalise(re.sub(r"(?<=[-/])\n", "", page.extract_text() or "")) for page in reader.pages
    ]
    for _topic, meeting in paper.meetings():
        line = normalise(plain(meeting.text))
        assert any(line in text for text in texts), line


def test_no_brief_page_but_the_last_is_more_than_half_empty(built: Path) -> None:
    briefs = sorted((built / "briefs").glob("*.pdf"))
    assert briefs
    for brief in briefs:
        pages = words_by_page(brief)
        for number, (height, body) in enumerate(pages[:-1], start=1):
            assert fill(height, body) >= 0.5, (brief.name, number)


def _measured_lines(body: list[Word]) -> list[str]:
    """The page's lines as a reader's eye runs along them (a meeting's date beside its text
    is two lines)."""
    return [text for _, text in _placed_lines(body)]


def _every_pdf(built: Path) -> list[Path]:
    return [built / f"{STEM}.pdf", *sorted((built / "briefs").glob("*.pdf"))]


def test_the_measure_is_60_to_75_characters(built: Path) -> None:
    """Running text is set at a comfortable measure: the lines that run to the column's edge
    (40 characters or more: not a paragraph's last line or a short row) hold 60 to 75
    characters on the median, and no line of any size holds more than 80 (WCAG 1.4.8, AAA),
    in the paper and in every brief."""
    for pdf in _every_pdf(built):
        lines = [line for _, body in words_by_page(pdf) for line in _measured_lines(body)]
        full = sorted(len(line) for line in lines if len(line) >= 40)
        assert len(full) > 50, pdf.name
        median = full[len(full) // 2]
        assert 60 <= median <= 75, (pdf.name, median)
        too_long = [line for line in lines if len(line) > 80]
        assert not too_long, (pdf.name, too_long)


def test_the_contents_leaders_end_in_one_column(built: Path) -> None:
    """The contents' page numbers share one right edge and their leaders are drawn, not typed:
    no run of dots reaches the text layer (a screen reader would read "dot dot dot")."""
    pdf = built / f"{STEM}.pdf"
    _height, body = words_by_page(pdf)[1]
    numbers = [w for w in body if w.text.isdigit() and w.x0 > 150 * MM]
    assert len(numbers) > 20
    assert max(w.x1 for w in numbers) - min(w.x1 for w in numbers) < 0.5
    assert not [w for w in body if w.text.strip(".") == "" and w.text]


def test_every_bullet_is_teal(built: Path, tmp_path: Path) -> None:
    """Bullets are the accent teal (#0b7a75) everywhere, the gaps boxes as the lessons: the
    darkest pixel of every "•" on a rendered page is teal, not the text's ink."""
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (.ci/run installs poppler-utils)")
    teal, ink = (0x0B, 0x7A, 0x75), (0x1C, 0x26, 0x30)
    for pdf in _every_pdf(built):
        pages = words_by_page(pdf)
        out = tmp_path / pdf.stem
        out.mkdir()
        subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(out / "p")], check=True)
        for (height, body), png in zip(pages, sorted(out.glob("p-*.png")), strict=True):
            image = Image.open(png).convert("RGB")
            scale = image.size[1] / height
            for word in body:
                if word.text != "•":
                    continue
                box = [round(v * scale) for v in (word.x0, word.y0, word.x1, word.y1)]
                crop = image.crop(box)
                pixels = crop.load()
                darkest = min(
                    (pixels[x, y] for x in range(crop.size[0]) for y in range(crop.size[1])),
                    key=sum,
                )

                def distance(colour: tuple[int, int, int], px: tuple[int, ...] = darkest) -> int:
                    return sum(abs(a - b) for a, b in zip(px, colour, strict=True))

                assert distance(teal) < distance(ink), (pdf.name, word)


def test_no_line_breaks_before_the_measure_is_full(built: Path) -> None:
    """A line of a word or two, followed by a long line that goes on with the same sentence
    (lower case), is a break the layout made too early, never the writer's: WeasyPrint once
    set "For" alone above "more information on inspiring practices…" in brief 01, breaking
    before an inline box glued to the text after it (Kozea/WeasyPrint#1614)."""
    for pdf in _every_pdf(built):
        for number, (_height, body) in enumerate(words_by_page(pdf), start=1):
            # The text column's lines: a meeting's date and place in the gutter are others.
            lines = [text for x0, text in _placed_lines(body) if x0 >= GUTTER_END]
            for line, after in itertools.pairwise(lines):
                short = len(line.split()) <= 2 and not re.search(r"[.:;!?)\d]$", line)
                assert not (short and len(after) > 45 and after[:1].islower()), (
                    pdf.name,
                    number,
                    line,
                    after,
                )


def test_a_slashed_term_is_never_split_over_two_lines(built: Path) -> None:
    """`P/CVE` and `VL/RWE` are one term each: Unicode lets a line break after the slash, and
    WeasyPrint set "P/" at a line's end above "CVE" (the paper's page 15, brief 02)."""
    for pdf in _every_pdf(built):
        for number, (_height, body) in enumerate(words_by_page(pdf), start=1):
            lines = [text for x0, text in _placed_lines(body) if x0 >= GUTTER_END]
            for line, after in itertools.pairwise(lines):
                split = re.search(r"(?<![\w/])[A-Z][A-Za-z&]{0,5}/$", line)
                assert not (split and re.match(r"[A-Z]", after)), (pdf.name, number, line, after)


def test_a_briefs_first_page_has_no_running_head(built: Path) -> None:
    """The masthead already says "WG REHAB · Practitioners' brief · Main theme N" and the
    theme's title: page 1 does not repeat them above it; page 2 on carries them."""
    for pdf in sorted((built / "briefs").glob("*.pdf")):
        xml = subprocess.run(
            ["pdftotext", "-bbox", "-f", "1", "-l", "2", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        heads = [
            len([y for y in re.findall(r'yMax="([\d.]+)"', page) if float(y) < TOP])
            for page in xml.split("<page ")[1:]
        ]
        assert heads[0] == 0 and (len(heads) < 2 or heads[1] > 0), (pdf.name, heads)
