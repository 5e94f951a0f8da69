"""The web page and the briefs as a reader meets them: one <h1>, one practice card layout,
images kept, briefs that stand alone, nothing raw passed through, no word cut off."""

from __future__ import annotations

import base64
import re
from html import unescape
from pathlib import Path

from pypdf import PdfReader

import ranpaper
from conftest import FIXTURES, ROOT
from published_text import normalise
from ranpaper.cli import main
from ranpaper.model import Paper, plain
from ranpaper.render import brief
from ranpaper.render.html import render_paper
from ranpaper.render.pdf import write_pdf

STEM = "rehabilitation-overview"
# The smallest PNG there is: one transparent pixel.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_the_web_page_has_one_h1_and_every_card_a_heading(built: Path, paper: Paper) -> None:
    html = (built / f"{STEM}.html").read_text("utf-8")
    assert len(re.findall(r"<h1\b", html)) == 1
    cards = re.findall(r'<article class="practice".*?</article>', html, re.DOTALL)
    assert len(cards) == len(list(paper.citations()))
    for card in cards:
        assert re.match(
            r'<article class="practice" id="[^"]+">\s*<h[3-6] class="practice-name">', card
        )


def test_print_and_web_use_the_same_card(paper: Paper) -> None:
    for media in ("print", "screen"):
        html = render_paper(paper, media)
        heads = re.findall(r'<h(\d) class="practice-name">(.*?)</h\1>', html, re.DOTALL)
        assert len(heads) == len(list(paper.citations()))
        names = [unescape(re.sub(r"<[^>]+>", "", text)) for _, text in heads]
        assert "Exit Sweden, Fryshuset, Sweden" in names  # the head as written
        # One title form: no colon that led into the description in the source, and a card
        # without a head of its own says name, organisation and country the same way.
        assert not [name for name in names if name.rstrip().endswith(":")]
        assert names.count("Exit Sweden, Fryshuset, Sweden") == 2
        assert "practice-meta" not in html  # no card has a second, separate subtitle


def test_every_card_title_has_one_form_in_pdf_and_markdown(built: Path, paper: Paper) -> None:
    """The PDF sets each card's title on its own line without a trailing colon; the Markdown
    briefs write it as a clean heading: no bold marks, no dead `[title](#)` link, no colon."""
    text = pdf_text(built / f"{STEM}.pdf")
    assert "Exit Sweden, Fryshuset, Sweden\nA traditional Exit programme" in text
    assert "Exit Sweden, Fryshuset, Sweden:" not in text
    titles = []
    for brief_md in sorted((built / "briefs").glob("*.md")):
        lines = brief_md.read_text("utf-8").splitlines()
        part = lines.index("## Practices") if "## Practices" in lines else len(lines)
        end = lines.index("## Meetings and papers")
        titles += [line for line in lines[part:end] if line.startswith("### ")]
    assert "### Exit Sweden, Fryshuset, Sweden" in titles
    assert "### Exit Sweden (Sweden)" in titles  # brief 03, written **…**: in the source
    for title in titles:
        assert not title.endswith(":") and "**" not in title and "](#)" not in title, title


def test_the_index_names_topics_without_their_label(built: Path) -> None:
    html = (built / f"{STEM}.html").read_text("utf-8")
    index = html[html.index('class="practice-index"') :]
    assert "Sub theme:" not in index
    assert ">Restorative justice</a>" in index


def test_capitals_are_text_not_letters(built: Path) -> None:
    """Capitals are set without wide letter-spacing, so that search, copy and screen readers
    meet words ("SPECIAL OVERVIEW PAPER"), not letters ("S P E C I A L")."""
    assert "SPECIAL OVERVIEW PAPER" in pdf_text(built / f"{STEM}.pdf")
    for brief_pdf in sorted((built / "briefs").glob("*.pdf")):
        assert "PRACTITIONERS' BRIEF · MAIN THEME" in pdf_text(brief_pdf)
        assert not re.search(r"(\b\w ){4}", pdf_text(brief_pdf)), brief_pdf.name


def pdf_text(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def test_the_web_page_embeds_the_papers_images(tmp_path: Path) -> None:
    source = tmp_path / "paper.md"
    text = (FIXTURES / "other-wg.md").read_text("utf-8")
    source.write_text(
        text.replace("Schools are where", "![A classroom](pixel.png) Schools are where"), "utf-8"
    )
    (tmp_path / "pixel.png").write_bytes(PIXEL)
    out = tmp_path / "out"
    assert main(["build", str(source), "--out", str(out), "--quiet", "--format", "html"]) == 0
    html = (out / "paper.html").read_text("utf-8")
    data = "data:image/png;base64," + base64.b64encode(PIXEL).decode()
    assert f'<img src="{data}" alt="A classroom">' in html
    assert "pixel.png" not in html and "file:" not in html


def test_each_brief_names_topics_by_path_and_practices_once(built: Path, paper: Paper) -> None:
    briefs = sorted((built / "briefs").glob("*.md"))
    for theme, md_path in zip(paper.themes, briefs, strict=True):
        md = md_path.read_text("utf-8")
        pdf = normalise(
            " ".join(p.extract_text() for p in PdfReader(md_path.with_suffix(".pdf")).pages)
        )
        for entry in brief.topics(theme):
            topic = entry.topic
            if (topic.lessons and topic.lessons.items) or (topic.gaps and topic.gaps.items):
                assert f"### {entry.path}" in md.replace("\\", ""), entry.path
                assert normalise(entry.path) in pdf, entry.path
        cards = brief.practices(theme)
        if cards:
            part = md[md.index("## Practices") : md.index("## Meetings and papers")]
            assert part.count("\n### ") == len(cards)  # each practice once
            assert len({card.practice.id for card in cards}) == len(cards)
            for card in cards:
                assert f"*Cited in: {'; '.join(card.topics)}*" in md.replace("\\", "")
    fourth = (built / "briefs").glob("04-*.md")
    assert "### Probation › Specific topics" in next(fourth).read_text("utf-8")
    team_ter = next(c for c in brief.practices(paper.themes[2]) if c.practice.id == "team-ter")
    assert len(team_ter.topics) >= 2  # printed twice before; once now, citing both topics


def test_a_brief_keeps_every_description_of_a_practice(built: Path, paper: Paper) -> None:
    """A practice shown once still carries every sentence each topic says of it in its own
    words (a description whose sentences the card already holds is not printed twice)."""
    for theme in paper.themes:
        said = {
            sentence
            for topic in theme.walk()
            for p in topic.practices or ()
            for sentence in brief.sentences(plain(p.description))
        }
        shown = set()
        for card in brief.practices(theme):
            shown |= set(brief.sentences(plain(card.practice.description)))
            for _path, other, _head, described in card.also:
                if described:
                    shown |= set(brief.sentences(plain(other.description)))
        assert said <= shown, said - shown
    exit_brief = next((built / "briefs").glob("03-*"))
    for name in (exit_brief.with_suffix(".md"), exit_brief.with_suffix(".pdf")):
        text = (
            name.read_text("utf-8")
            if name.suffix == ".md"
            else " ".join(p.extract_text() for p in PdfReader(name).pages)
        )
        assert "Exit Sweden works with formers" in normalise(text), name.name


def test_a_markdown_brief_gives_the_date_and_defines_its_footnotes(built: Path) -> None:
    for md_path in sorted((built / "briefs").glob("*.md")):
        md = md_path.read_text("utf-8")
        assert "24 November 2021" in md.split("\n\n")[1], md_path.name
        used = set(re.findall(r"\[\^([^\]]+)\](?!:)", md))
        defined = set(re.findall(r"^\[\^([^\]]+)\]:", md, re.MULTILINE))
        assert used == defined, md_path.name


def test_a_footnote_a_brief_cites_is_defined_in_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = FIXTURES / "other-wg.md"
    assert main(["build", str(source), "--out", str(out), "--quiet", "--format", "briefs"]) == 0
    md = next(out.rglob("01-*.md")).read_text("utf-8")
    assert "former extremists.[^1]" in md  # a practice's text cites it …
    assert md.rstrip().endswith("[^1]: Evaluation pending.")  # … and the brief defines it
    assert "[^1]" not in next(out.rglob("02-*.md")).read_text("utf-8")


def test_raw_html_never_reaches_a_brief_verbatim(tmp_path: Path) -> None:
    source = tmp_path / "paper.md"
    text = (FIXTURES / "other-wg.md").read_text("utf-8")
    text = text.replace(
        "- Paper: Ana Costa,",
        "- Paper: <img src=x onerror=alert(1)> <script>alert(2)</script> Ana Costa,",
    ).replace("- Train teachers early.", "- Train <b onmouseover=alert(3)>teachers</b> early.")
    source.write_text(text, "utf-8")
    out = tmp_path / "out"
    status = main(["build", str(source), "--out", str(out), "--quiet", "--force"])
    assert status == 0
    outputs = [*out.rglob("*.md"), *out.rglob("*.html")]
    assert len(outputs) >= 3
    for path in outputs:
        written = path.read_text("utf-8")
        # Markdown shows `\<img …>` as text; HTML shows `&lt;img …&gt;`.
        live = re.findall(r"(?<!\\)<(?:img src=x|script>|b onmouseover)", written)
        assert live == [], path.name
    md = next(out.rglob("01-*.md")).read_text("utf-8")
    assert "\\<img src=x onerror=alert(1)>" in md  # shown as text, not dropped


def test_a_word_longer_than_the_line_breaks_and_keeps_every_letter(tmp_path: Path) -> None:
    word = "abcdefghij" * 10_000
    source = (FIXTURES / "other-wg.md").read_text("utf-8")
    paper_html = render_paper(
        ranpaper.parse(source.replace("Train teachers early.", word)), "print"
    )
    write_pdf(paper_html, tmp_path / "long.pdf", tmp_path, "long")
    text = "".join(page.extract_text() or "" for page in PdfReader(tmp_path / "long.pdf").pages)
    # The word's pieces, line after line and page after page (the running heads between).
    pieces = re.findall(r"[a-j]{30,}", re.sub(r"[\s\u200b]+", "", text))
    assert "".join(pieces) == word


def test_in_the_tagged_pdf_each_card_is_headed_by_a_heading(built: Path, paper: Paper) -> None:
    """Screen readers list a PDF's headings: each practice card's is one of them."""
    reader = PdfReader(built / f"{STEM}.pdf")
    kinds: list[str] = []
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        element = stack.pop().get_object()
        if not isinstance(element, dict):
            continue
        kinds.append(str(element.get("/S", "")))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object"):
                stack.append(kid)
    headings = sum(1 for kind in kinds if re.fullmatch(r"/H[1-6]", kind))
    topics = len(list(paper.topics()))
    sections = sum(len(topic.sections) for _, topic in paper.topics())
    parts = len(paper.themes) + 4  # introduction, contents, index, timeline
    cover = 1
    assert headings == cover + parts + topics + sections + len(list(paper.citations()))


def test_leaders_are_printed_once(paper: Paper) -> None:
    """The published introduction names the leaders in its own words: no box repeats them. A
    paper whose introduction does not name them gets the box from its front matter."""
    from ranpaper.render.html import render_paper

    html = render_paper(paper, "screen")
    assert html.count("Ioan Durnescu") == 1 and 'class="leaders"' not in html
    # The minimal paper's introduction does not name its leader (A. Leader).
    other = ranpaper.parse((ROOT / "tests" / "rules" / "minimal.md").read_text("utf-8"), "p.md")
    assert other.metadata.leaders.current, other.problems
    html = render_paper(other, "screen")
    assert 'class="leaders"' in html and html.count("A. Leader") == 1
