"""Profiles: a paper with its own words needs a TOML file and no Python; a profile extends
another; a broken one is refused naming its file and line; dates read with its months."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ranpaper
from conftest import run
from ranpaper.check import check_paper
from ranpaper.config import Config, load_config
from ranpaper.errors import RanpaperError
from ranpaper.model import MeetingKind, ProblemKind, SectionKind
from ranpaper.parse import parse
from ranpaper.profiles import ProfileError, default_profile, load_profile
from ranpaper.render.html import page_css, render_brief, render_paper
from ranpaper.render.json import to_data, validate
from ranpaper.render.markdown import write_brief, write_markdown

YOUTH_PROFILE = """\
# Another working group's words: only what differs from the default.
name = "youth"
extends = "default"

[headings]
introduction = "Background"
theme = "Focus area {number}"
empty = "n/a"

[sections.meetings]
label = "Events and publications"
spellings = ["Events & publications"]

[sections.practices]
label = "Approaches"

[sections.lessons]
label = "Key takeaways"

[sections.gaps]
label = "Open questions"

[words]
index-of-practices = "Approaches at a glance"
"""

YOUTH_PAPER = """\
---
title: RAN activities on Youth
working_group: RAN Youth working group
short_name: WG YOUTH
kind: Overview paper
date: 2023-03-01
profile: youth.toml
---

# Background

The Youth Working Group brings together youth workers and teachers.

# Focus area 1: Schools

Schools are where most young people can be reached.

## Teachers as first responders

### Events and publications

- YOUTH WG Meeting: [Teachers](https://example.org/teachers), Lisbon, 30 November-1 December 2022

### Approaches

**Dialogue Days (Portugal)**: Schools host monthly dialogue days with former extremists.

### Key takeaways

- Train teachers early.

### Open questions

n/a

## Parents

### Events & publications

- YOUTH WG Meeting: [Parents as partners](https://example.org/parents), Vienna, March 2022

### Approaches

n/a

### Key takeaways

- Parents want to be asked, not told.

### Open questions

- How to reach parents who never come to school.
"""


@pytest.fixture
def youth(tmp_path: Path) -> Path:
    (tmp_path / "youth.toml").write_text(YOUTH_PROFILE, "utf-8")
    (tmp_path / "youth.md").write_text(YOUTH_PAPER, "utf-8")
    return tmp_path


def test_a_paper_with_its_own_profile_file_checks_clean(youth: Path) -> None:
    result = run("check", "youth.md", "--strict", "--format", "json", cwd=youth)
    assert result.returncode == 0, result.stdout + result.stderr
    codes = [d["code"] for d in json.loads(result.stdout)["diagnostics"]]
    assert codes == ["RP204", "RP204"]  # the two sections marked `n/a`, as information


def test_its_sections_are_known_by_id_whatever_the_paper_calls_them(youth: Path) -> None:
    paper = ranpaper.load(youth / "youth.md")
    assert paper.problems == []
    assert paper.metadata.profile == "youth.toml"
    first, second = paper.themes[0].topics
    assert [s.kind for s in first.sections] == list(SectionKind)
    assert second.meetings is not None and second.meetings.heading == "Events & publications"
    assert first.gaps is not None and first.gaps.marked_empty is not None
    assert [m.date is not None for m in second.meetings] == [True]
    data = to_data(paper)
    assert data["schema_version"] == 3
    kinds = [data["themes"][0]["topics"][0][key]["kind"] for key in ("meetings", "gaps")]
    assert kinds == ["meetings", "gaps"]


def test_it_builds_with_its_own_headings(youth: Path) -> None:
    result = run("build", "youth.md", "--out", "out", "--format", "html,json", cwd=youth)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (youth / "out" / "youth.html").read_text("utf-8")
    for words in (
        '<h2 class="part-title" data-running="Background">Background</h2>',
        '<span class="theme-number">Focus area 1:</span> Schools',
        ">Events and publications</h4>",
        ">Approaches</h4>",
        ">Key takeaways</h4>",
        ">Open questions</h4>",
        '<p class="none">n/a</p>',
        ">Approaches at a glance</h2>",
        ">Timeline of meetings and papers</h2>",  # not changed by the profile: the default's
    ):
        assert words in html
    for default_words in (
        "Main theme",
        "Lessons learned",
        "What needs to be",
        "Index of practices",
    ):
        assert default_words not in html
    assert json.loads((youth / "out" / "youth.json").read_text("utf-8"))["schema_version"] == 3


def test_its_markdown_and_brief_write_its_words_and_read_back_the_same(youth: Path) -> None:
    paper = ranpaper.load(youth / "youth.md")
    written = write_markdown(paper)
    assert "# Focus area 1: Schools" in written and "### Key takeaways" in written
    (youth / "again.md").write_text(written, "utf-8")
    again = ranpaper.load(youth / "again.md")
    assert again.problems == [] and ranpaper.model.content(again) == ranpaper.model.content(paper)
    brief = write_brief(paper, paper.themes[0])
    assert brief.splitlines()[0] == "# Focus area 1: Schools"
    assert "## Key takeaways" in brief and "## Open questions" in brief
    assert ">Events and publications</h2>" in render_brief(paper, paper.themes[0])


def test_the_configuration_can_name_the_profile_for_its_papers(youth: Path) -> None:
    (youth / "profiles").mkdir()
    (youth / "youth.toml").rename(youth / "profiles" / "youth.toml")
    text = YOUTH_PAPER.replace("profile: youth.toml\n", "")
    (youth / "youth.md").write_text(text, "utf-8")
    (youth / "ranpaper.toml").write_text('profile = "profiles/youth.toml"\n', "utf-8")
    config = load_config(youth / "youth.md")
    assert config.profile is not None and config.profile.name == "youth"
    paper = ranpaper.load(youth / "youth.md")
    assert paper.problems == [] and paper.profile is config.profile
    assert run("check", ".", "--strict", cwd=youth).returncode == 0


def test_an_extending_profile_changes_only_what_it_says(youth: Path) -> None:
    youth_profile = load_profile("youth.toml", youth)
    default = default_profile()
    assert youth_profile.label("lessons") == "Key takeaways"
    assert youth_profile.section("lessons").holds == default.section("lessons").holds
    assert youth_profile.word("index-of-practices") == "Approaches at a glance"
    assert youth_profile.word("contents") == default.word("contents")
    assert youth_profile.months == default.months
    assert youth_profile.working_groups == default.working_groups
    assert load_profile("youth.toml", youth) is youth_profile  # loaded once


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('extends = "default"\n[headings]\nintroducton = "X"\n', "unknown key 'introducton' in "),
        ('extends = "default"\n\n[sections.meeting]\nlabel = "X"\n', "unknown key 'meeting'"),
        ('extends = "default"\n[words]\ncontent = "X"\n', "(did you mean 'contents'?)"),
        ('[headings]\ntheme = "Focus area"\n', "must hold `{number}` once"),
        ('[dates]\nmonths = [["Jan"]]\n', "must list the 12 months"),
        ('extends = "nonesuch"\n', "no shipped profile 'nonesuch'"),
        ('extends = "loop.toml"\n', "profiles extend each other in a circle"),
        ('[sections.gaps]\nlabel = "Practices"\n', "'Practices' names two sections"),
    ],
)
def test_a_broken_profile_is_refused_naming_its_file(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "loop.toml").write_text(text, "utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile("loop.toml", tmp_path)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / "loop.toml"))


def test_a_profile_that_is_not_toml_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('extends = "default"\n\n[words\n', "utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile("bad.toml", tmp_path)
    assert caught.value.line == 3 and str(caught.value).startswith(f"{tmp_path / 'bad.toml'}:3: ")


def test_a_configuration_naming_a_missing_profile_cannot_run(tmp_path: Path) -> None:
    (tmp_path / "ranpaper.toml").write_text('profile = "nonesuch"\n', "utf-8")
    with pytest.raises(RanpaperError, match="profile: no shipped profile 'nonesuch'"):
        load_config(tmp_path)
    (tmp_path / "p.md").write_text("---\ntitle: T\n---\n", "utf-8")
    result = run("check", "p.md", cwd=tmp_path)
    assert result.returncode == 2 and "no shipped profile 'nonesuch'" in result.stderr


def test_a_front_matter_naming_a_missing_profile_is_a_finding_on_its_line(tmp_path: Path) -> None:
    text = YOUTH_PAPER.replace("profile: youth.toml", "profile: yuoth.toml")
    paper = parse(text, str(tmp_path / "p.md"))
    [problem] = [p for p in paper.problems if p.kind is ProblemKind.front_matter]
    assert problem.span.line == 7 and "no such profile file" in problem.message
    assert paper.profile is default_profile()
    # One finding, not one per heading the default profile cannot read (issue 26).
    [finding] = check_paper(paper, Config())
    assert finding.code == "RP002" and "no such profile file 'yuoth.toml'" in finding.message
    assert "name a shipped profile" in (finding.hint or "")


def test_a_translated_paper_reads_its_dates_with_its_months() -> None:
    text = (
        "---\ntitle: T\ndate: 2021-11-24\nlanguage: fr\n---\n\n"
        "# Thème principal 1 : Écoles\n\n## Enseignants\n\n### Réunions et documents\n\n"
        "- EXIT WG Meeting: Un, Paris, 30 novembre-1 décembre 2020\n"
        "- EXIT WG Meeting: Deux, Lyon, 31 juin 2020\n"
        "- EXIT WG Meeting: Trois, Lille, 3 Brumaire 2020\n"
    )
    paper = parse(text, "p.md")
    assert paper.profile.name == "fr"  # chosen by `language`, no profile named
    first, second, third = (m for _t, m in paper.meetings())
    assert first.date is not None and first.date.end.isoformat() == "2020-12-01"
    assert second.date is None and third.date is None
    messages = {d.code: d.message for d in check_paper(paper, Config())}
    assert "31 juin 2020 is not in the calendar (juin 2020 has 30 days)" in messages["RP102"]
    assert '"Brumaire" is not a month name' in messages["RP101"]


def test_the_outputs_speak_the_papers_language() -> None:
    text = (
        "---\ntitle: Activités\nworking_group: GT\ndate: 2021-11-24\nlanguage: fr\n---\n\n"
        "# Thème principal 1 : Écoles\n\n## Enseignants\n\n### Réunions et documents\n\n"
        "- EXIT WG Meeting: Un, Paris, 11-12 septembre 2018\n\n### Pratiques\n\nAucune\n"
    )
    paper = parse(text, "p.md")
    html = render_paper(paper, "print")
    assert '<html lang="fr">' in html and '<body class="paper print hyphenate">' in html
    assert ">Sommaire</h2>" in html and "24 novembre 2021" in html
    assert '<span class="theme-number">Thème principal 1\u00a0:</span>' in html
    assert '<time datetime="2018-09-11">sept. 2018</time>' in html
    assert "Extrait de «\u00a0Activités\u00a0», GT" in render_brief(paper, paper.themes[0])
    assert "# Thème principal 1\u00a0: Écoles" in write_markdown(paper)


def test_page_numbers_follow_the_profile(tmp_path: Path) -> None:
    assert page_css(default_profile()) == ""  # print.css writes `n / N` itself
    (tmp_path / "de.toml").write_text('[words]\npage-number = "Seite {page} von {pages}"\n')
    rule = page_css(load_profile("de.toml", tmp_path))
    assert 'content: "Seite " counter(page) " von " counter(pages);' in rule


def test_json_of_another_schema_version_is_refused(youth: Path) -> None:
    data = to_data(ranpaper.load(youth / "youth.md"))
    assert validate(data).themes[0].title_text == "Schools"
    with pytest.raises(ValueError, match="schema_version 1: this ranpaper reads version 3"):
        validate({**data, "schema_version": 1})


def test_a_front_matter_cannot_reach_a_profile_outside_the_papers_folder(tmp_path: Path) -> None:
    (tmp_path / "outside.toml").write_text('name = "outside"\n', "utf-8")
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "inside.toml").write_text('extends = "../outside.toml"\n', "utf-8")
    for named in ("../outside.toml", "inside.toml"):
        text = YOUTH_PAPER.replace("profile: youth.toml", f"profile: {named}")
        paper = parse(text, str(tmp_path / "papers" / "p.md"))
        [problem] = [p for p in paper.problems if p.kind is ProblemKind.front_matter]
        assert "is outside the paper's folder" in problem.message
        assert paper.profile is default_profile()
    # The configuration is the place for a profile shared by several folders of papers.
    (tmp_path / "ranpaper.toml").write_text('profile = "outside.toml"\n', "utf-8")
    assert load_config(tmp_path / "papers").profile is not None


def test_meeting_kinds_are_the_profiles_words(tmp_path: Path) -> None:
    (tmp_path / "hack.toml").write_text(
        '[meetings]\nkinds = [["hackathon", "workshop"], ["meeting", "wg-meeting"]]\n', "utf-8"
    )
    line = "- YOUTH Hackathon: Code for schools, Lisbon, 2022\n"
    text = "---\ntitle: T\ndate: 2023-01-01\n{}---\n\n# Main theme 1: A\n\n## B\n\n"
    text += "### Meetings and papers\n\n" + line
    [(_t, own)] = parse(text.format("profile: hack.toml\n"), str(tmp_path / "p.md")).meetings()
    [(_t, default)] = parse(text.format(""), str(tmp_path / "p.md")).meetings()
    assert (own.kind, default.kind) == (MeetingKind.workshop, MeetingKind.wg_meeting)
    french = (
        text.format("language: fr\n")
        .replace(line, "- Atelier EXIT : Écoles, Paris, 2 mars 2020\n")
        .replace("Main theme", "Thème principal")
        .replace("Meetings and papers", "Réunions et documents")
    )
    [(_t, atelier)] = parse(french, str(tmp_path / "p.md")).meetings()
    assert atelier.kind is MeetingKind.workshop and atelier.organisers == ["EXIT"]
    (tmp_path / "bad.toml").write_text('[meetings]\nkinds = [["hackathon", "hack"]]\n', "utf-8")
    with pytest.raises(ProfileError, match="'hack' is not a meeting kind"):
        load_profile("bad.toml", tmp_path)
