"""One brief plan (issue 21): every sentence a theme of the bundled paper says is in its brief's
plan and, read back as a reader's tool reads them, in the brief's PDF, Markdown and Word
forms."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

import ranpaper
from conftest import PAPER_PATH
from ranpaper.build.artifacts import brief_name
from ranpaper.build.readback import (
    Words,
    brief_blocks,
    docx_text,
    html_text,
    markdown_text,
    missing,
    pdf_text,
)
from ranpaper.model import (
    Break,
    Code,
    Emphasis,
    FootnoteRef,
    Image,
    Link,
    Paper,
    RawHtml,
    Strong,
    Text,
    Theme,
    plain,
)
from ranpaper.render.brief import BriefPlan, plan, sentences
from ranpaper.render.docx import brief_docx
from ranpaper.render.html import render_brief
from ranpaper.render.markdown import write_brief

THEMES = [1, 2, 3, 4, 5]
_INLINE = (Text, Code, Break, RawHtml, Emphasis, Strong, Link, Image, FootnoteRef)


def theme_sentences(paper: Paper, theme: Theme) -> list[tuple[str, int]]:
    """Every sentence the paper says in `theme` (and in the footnotes it cites), with its
    line: taken from the model, not from any brief code."""
    return [(s, line) for text, line in brief_blocks(paper, theme) for s in sentences(text)]


def plan_text(node: object) -> str:
    """Every text a brief plan holds, in order."""
    out: list[str] = []

    def visit(value: object) -> None:
        if isinstance(value, list) and value and all(isinstance(v, _INLINE) for v in value):
            out.append(plain(value))  # an inline run
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item)
        elif isinstance(value, str):
            out.append(value)
        elif is_dataclass(value) and not isinstance(value, type):
            for item in fields(value):
                visit(getattr(value, item.name))

    visit(node)
    return "\n".join(out)


def _theme(paper: Paper, number: int) -> Theme:
    return next(theme for theme in paper.themes if theme.number == number)


@pytest.mark.parametrize("number", THEMES)
def test_the_plan_holds_every_sentence_of_its_theme(paper: Paper, number: int) -> None:
    theme = _theme(paper, number)
    brief = plan(paper, theme)
    assert isinstance(brief, BriefPlan)
    assert missing(plan_text(brief), theme_sentences(paper, theme)) == []


@pytest.mark.parametrize("number", THEMES)
def test_every_sentence_of_a_theme_is_in_its_brief_in_every_form(
    paper: Paper, built: Path, number: int
) -> None:
    theme = _theme(paper, number)
    name = brief_name(theme)
    wanted = theme_sentences(paper, theme)
    assert len(wanted) > 40
    forms = {
        "pdf": pdf_text((built / "briefs" / f"{name}.pdf").read_bytes()),
        "md": markdown_text((built / "briefs" / f"{name}.md").read_text("utf-8")),
        "docx": docx_text(brief_docx(paper, theme)),
    }
    for form, text in forms.items():
        lost = missing(text, wanted)
        assert lost == [], f"brief {number} ({form}) lacks {lost[:3]}"


def test_brief_01_carries_the_motivational_interviewing_paragraph_and_its_footnotes(
    paper: Paper,
) -> None:
    text = write_brief(paper, _theme(paper, 1))
    assert "motivational interviewing (MI) is a key technique" in text
    assert "[^1]: W.R. Miller, S. Rollnick (2002)" in text
    assert "[^2]: Joachim Körkel, C. Veltrup (2003)" in text


def test_brief_03_keeps_the_qualifying_sentences_and_prints_team_ter_once(paper: Paper) -> None:
    text = write_brief(paper, _theme(paper, 3))
    assert "Several practices that are not specifically focused on returning FTFs" in text
    assert "mostly focussed on all extremist ideologies" in text
    assert text.count("The nationally operating Team TER") == 1
    # The name the other topic gave it is still there, once, under that topic's path.
    assert text.count("Team Terrorists, Extremists and Radicals, the Netherlands") == 1


_SOURCE = PAPER_PATH.read_text("utf-8")
_DANISH = "[Danish model, Aarhus Municipality, Denmark]"


@pytest.mark.parametrize(
    ("case", "old", "new"),
    [
        pytest.param(
            "before meetings",
            "#### Meetings and papers\n\n- DERAD WG Meeting: Kick-off",
            "#### Meetings and papers\n\nZZBEFORE all were held in person.\n\n"
            "- DERAD WG Meeting: Kick-off",
            id="a sentence before a meetings list",
        ),
        pytest.param(
            "second paragraph",
            "#### Lessons learned and recommendations\n\n- Effective multi-agency",
            "ZZSECOND the model was evaluated in 2019.\n\n"
            "#### Lessons learned and recommendations\n\n- Effective multi-agency",
            id="a second paragraph of a practice",
        ),
    ],
)
def test_words_an_editor_adds_reach_every_form_of_the_brief(case: str, old: str, new: str) -> None:
    assert old in _SOURCE
    paper = ranpaper.parse(_SOURCE.replace(old, new, 1), str(PAPER_PATH))
    assert not [p for p in paper.problems if "ZZ" in (p.text or "")]
    theme = _theme(paper, 1)
    marker = "ZZBEFORE" if case == "before meetings" else "ZZSECOND"
    forms = {
        "html (the PDF's source)": html_text(render_brief(paper, theme)),
        "md": markdown_text(write_brief(paper, theme)),
        "docx": docx_text(brief_docx(paper, theme)),
    }
    for form, text in forms.items():
        assert Words(text).holds(marker), f"{marker} is not in the brief's {form}"
    if case == "second paragraph":  # with the practice it follows, not elsewhere
        text = write_brief(paper, theme)
        assert text.index("ZZSECOND") > text.index("Danish model, Aarhus Municipality")


@pytest.mark.parametrize("number", range(1, 6))
def test_a_markdown_brief_writes_lost_links_as_their_text(paper: Paper, number: int) -> None:
    """Every link of the published paper is lost (`#`): the Markdown brief prints each as the
    PDF does, as its words, never as a dead `[text](#)` — and loses none of those words."""
    from markdown_it import MarkdownIt

    from ranpaper.render.markdown import write_brief

    theme = paper.themes[number - 1]
    written = write_brief(paper, theme)
    links = [
        token
        for block in MarkdownIt("commonmark").parse(written)
        for token in block.children or []
        if token.type == "link_open"
    ]
    assert [token.attrGet("href") for token in links if token.attrGet("href") == "#"] == []
    lost = [plain(link.children) for link in _links(theme) if link.url.strip() == "#"]
    assert lost, "the theme cites lost links"
    shown = Words(markdown_text(written))
    assert [text for text in lost if not shown.holds(text)] == []


def _links(node: object) -> list[Link]:
    if isinstance(node, Link):
        return [node, *_links(node.children)]
    if isinstance(node, list):
        return [found for item in node for found in _links(item)]
    if is_dataclass(node) and not isinstance(node, type):
        return [found for item in fields(node) for found in _links(getattr(node, item.name))]
    return []


def test_the_brief_claims_only_what_the_paper_holds(paper: Paper) -> None:
    """The brief points the reader to the full paper for what it leaves out; while every link
    of the paper is lost it may not promise the meetings' links."""
    lost = all(link.url.strip() == "#" for link in _links(paper.themes))
    for word in ("brief-reference", "brief-markdown-reference"):
        claim = paper.profile.word(word, number=1)
        assert not (lost and "link" in claim.lower()), claim
    written = render_brief(paper, paper.themes[0])
    assert paper.profile.word("brief-reference", number=1) in html_text(written)


@pytest.mark.parametrize("number", THEMES)
def test_each_brief_links_back_to_its_theme_in_the_papers_pdf(
    paper: Paper, built: Path, number: int
) -> None:
    """The PDF brief's link opens the paper's PDF, relative to the brief (it still works when
    the build folder is published elsewhere), at the page its theme starts on; the Markdown
    brief links there too, the Word brief to the file."""
    import io
    import re
    import zipfile

    from pypdf import PdfReader

    theme = _theme(paper, number)
    name = brief_name(theme)
    brief = PdfReader(built / "briefs" / f"{name}.pdf")
    actions = [
        annotation.get_object()["/A"]
        for annotation in brief.pages[0].get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    [remote] = [action for action in actions if action["/S"] == "/GoToR"]
    target = (built / "briefs" / remote["/F"]).resolve()
    assert target == (built / f"{PAPER_PATH.stem}.pdf").resolve()
    assert not any("file:" in str(action.get("/URI", "")) for action in actions)

    whole = PdfReader(target)
    page = whole.get_destination_page_number(whole.named_destinations[remote["/D"]])
    starts = " ".join(whole.pages[page].extract_text().split())
    assert starts.startswith(f"Main theme {number}: {theme.title_text}")
    assert not whole.pages[page - 1].extract_text().count(f"Main theme {number}:")

    markdown = (built / "briefs" / f"{name}.md").read_text("utf-8")
    wanted = f"(../{PAPER_PATH.stem}.pdf#nameddest={remote['/D']})"
    assert f"Open the full paper at this theme: [{PAPER_PATH.stem}.pdf]{wanted}" in markdown
    word = brief_docx(paper, theme, paper_pdf=f"../{PAPER_PATH.stem}.pdf")  # the build's call
    with zipfile.ZipFile(io.BytesIO(word)) as docx:
        relations = docx.read("word/_rels/document.xml.rels").decode()
    assert re.search(rf'Target="\.\./{PAPER_PATH.stem}\.pdf" TargetMode="External"', relations)
    # Word opens a local file's link at its first page: the words promise the file only.
    assert f"The full paper: {PAPER_PATH.stem}.pdf" in docx_text(word)


def test_a_profile_word_without_its_placeholder_keeps_the_link(paper: Paper) -> None:
    """A custom profile whose `brief-link` forgot `{file}` still gets the link, after it."""
    from dataclasses import replace

    words = {**paper.profile.words, "brief-link": "The full paper"}
    other = replace(paper, profile=replace(paper.profile, words=words))
    theme = other.themes[0]
    assert 'The full paper <a href="../p.pdf#nameddest=theme-1">p.pdf</a>' in render_brief(
        other, theme, paper_pdf="../p.pdf"
    )
    assert "The full paper [p.pdf](../p.pdf#nameddest=theme-1)" in write_brief(
        other, theme, "../p.pdf"
    )


@pytest.mark.parametrize("number", THEMES)
def test_a_lead_in_stands_right_before_the_practices_of_its_topic(
    paper: Paper, number: int
) -> None:
    """ "The following practices are mostly focussed on … VIE cases:" introduces its topic's
    practices: in every form of the brief it is followed by them, not by every card of the
    theme (brief 03 set it above Exit Sweden, a right-wing card of another topic)."""
    from ranpaper.render.brief import is_lead_in

    brief = plan(paper, _theme(paper, number))
    groups = brief.practice_groups
    assert sum(len(leads) for leads, _ in groups) == len(brief.leads)
    assert sum(len(cards) for _, cards in groups) == len(brief.practices)
    for leads, cards in groups:
        for path, note in leads:
            if is_lead_in(note):
                assert cards, (path, plain(note.text))
                assert cards[0].topics[0] == path, (path, cards[0].topics)
    markdown = write_brief(paper, _theme(paper, number))
    assert "***" not in markdown  # a bold head is not wrapped in bold again
