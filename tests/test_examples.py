"""The shipped examples (examples/): papers in another profile than the default, checked and
built in CI as the paper is."""

from __future__ import annotations

from pathlib import Path

import ranpaper
from conftest import ROOT
from ranpaper.check import check_paper
from ranpaper.config import Config
from ranpaper.model import SectionKind
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
        ">Index des pratiques</span></a>",
        ">Enseignements et recommandations</h4>",
        ">Ce qui reste à approfondir</h4>",
        '<p class="none">Aucune</p>',
        "24 novembre 2021",
    ):
        assert words in html
