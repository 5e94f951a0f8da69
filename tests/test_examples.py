"""The shipped examples (examples/): papers in another profile than the default, checked and
built in CI as the paper is."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

import ranpaper
from conftest import ROOT, run
from ranpaper.check import check_paper
from ranpaper.config import Config
from ranpaper.model import SectionKind
from ranpaper.profiles import Profile, default_profile
from ranpaper.render.html import render_paper

FRENCH = ROOT / "examples" / "fr" / "rehabilitation-theme-5.md"


def test_the_french_example_is_read_with_the_french_profile() -> None:
    paper = ranpaper.load(FRENCH)
    assert paper.problems == []
    assert paper.profile.name == "fr" and paper.metadata.language == "fr"
    topics = [topic for _theme, topic in paper.topics()]
    assert [t.title_text for t in topics] == [
        "Sous-thème : Gangs",
        "Sous-thème : Sectes",
        "Sous-thème : Justice restaurative",
    ]
    for topic in topics:
        assert {s.kind for s in topic.sections} == set(SectionKind)
    dates = [m.date.start.isoformat() for _t, m in paper.meetings() if m.date]
    assert dates == ["2018-09-11", "2017-06-27", "2019-12-03", "2021-01-01"]


def test_the_french_example_checks_with_only_its_lost_links_and_empty_sections() -> None:
    paper = ranpaper.load(FRENCH)
    found = sorted({d.code for d in check_paper(paper, Config())})
    assert found == ["RP204", "RP301"]  # lost links stay lost (#), as published


def test_the_french_example_renders_in_french(tmp_path: Path) -> None:
    html = render_paper(ranpaper.load(FRENCH), "print")
    for words in (
        '<html lang="fr">',
        ">Sommaire</h2>",
        ">Index des pratiques</a>",
        ">Enseignements et recommandations</h4>",
        ">Ce qui reste à approfondir</h4>",
        '<p class="none">Aucune</p>',
        "24 novembre 2021",
    ):
        assert words in html


GERMAN = ROOT / "examples" / "de" / "rehabilitation-thema-5.md"


def test_the_german_example_is_read_with_the_german_profile() -> None:
    paper = ranpaper.load(GERMAN)
    assert paper.problems == []
    assert paper.profile.name == "de" and paper.metadata.language == "de"
    assert [leader.end for leader in paper.metadata.leaders.current] == [None, None]  # heute
    dates = [m.date.start.isoformat() for _t, m in paper.meetings() if m.date]
    assert dates == ["2018-09-11", "2017-06-27", "2019-12-03", "2021-01-01"]
    assert [m.place for _t, m in paper.meetings()] == ["Prag", "Bordeaux", "Dublin", None]
    found = sorted({d.code for d in check_paper(paper, Config())})
    assert found == ["RP204", "RP301"]  # as the French example


def _words_of(path: Path) -> str:
    """What a reader of an output sees, with its metadata and bookmarks: the PDF's text through
    pypdf, the DOCX's parts without their tags, the HTML without its stylesheet."""
    if path.suffix == ".pdf":
        reader = PdfReader(path)
        outline: list[str] = []

        def walk(items: list) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    outline.append(str(item.title))

        walk(reader.outline)
        meta = [str(value) for value in (reader.metadata or {}).values()]
        pages = [page.extract_text() for page in reader.pages]
        return "\n".join([*pages, *outline, *meta])
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            parts = [
                archive.read(name).decode("utf-8")
                for name in archive.namelist()
                if name.endswith(".xml")
            ]
        return re.sub(r"<[^>]+>", " ", "\n".join(parts))
    text = path.read_text("utf-8")
    return re.sub(r"<style>.*?</style>", " ", text, flags=re.DOTALL)


def _english_words(profile: Profile, source: str) -> set[str]:
    """The default profile's interface words that `profile` says otherwise, in pieces around
    their placeholders; a piece the paper's own text writes (its English meeting titles) is
    the paper's, not the interface's."""
    english = default_profile()
    pairs = [(english.words[key], profile.words[key]) for key in english.words]
    pairs += [
        (english.introduction, profile.introduction),
        (english.theme_heading(5), profile.theme_heading(5)),
        (english.empty, profile.empty),
        *[(english.label(s), profile.label(s)) for s in english.section_ids],
        *[(e[0], p[0]) for e, p in zip(english.months, profile.months, strict=True)],
        (english.date_forms.present[0], profile.date_forms.present[0]),
        (english.date_forms.forthcoming[0], profile.date_forms.forthcoming[0]),
    ]
    pieces = set()
    for theirs, ours in pairs:
        if theirs == ours:
            continue
        for piece in re.split(r"\{[^{}]*\}", theirs):
            piece = piece.strip(" .,:;()")
            if len(piece) >= 4 and not re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", source):
                pieces.add(piece)
    return pieces


@pytest.mark.parametrize("example", [FRENCH, GERMAN], ids=["fr", "de"])
def test_no_english_interface_word_in_any_output(tmp_path: Path, example: Path) -> None:
    made = run("build", str(example.parent), "--out", str(tmp_path), "--format", "all", "--quiet")
    assert made.returncode == 0, made.stderr
    outputs = sorted(
        p for p in tmp_path.rglob("*") if p.suffix in {".pdf", ".html", ".docx", ".md"}
    )
    assert {p.suffix for p in outputs} == {".pdf", ".html", ".docx", ".md"}
    assert len([p for p in outputs if "briefs" in p.parts]) == 3  # PDF, Markdown, DOCX brief
    paper = ranpaper.load(example)
    english = _english_words(paper.profile, example.read_text("utf-8"))
    assert {"Index of practices", "Contents", "Main theme 5"} <= english
    leaks = {
        (output.relative_to(tmp_path).as_posix(), word)
        for output in outputs
        for word in english
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", _words_of(output))
    }
    assert leaks == set()
    pdf = _words_of(next(p for p in outputs if p.suffix == ".pdf" and "briefs" not in p.parts))
    # The index's page references, in the profile's words (French writes `p. 4` too).
    reference = re.escape(paper.profile.word("page-ref", page="PAGE")).replace("PAGE", r"\d+")
    assert re.search(reference, pdf)
    if paper.profile.word("page-ref") != "p. {page}":
        assert not re.search(r"(?<!\w)p\. \d", pdf)
