"""Profiles in every language (issue 26) and dates read right or reported (issue 21): a
profile adds to its base, its words are checked at load with file, line and did-you-mean,
dates follow the profile's order and forms, and RP108 speaks the profile's months."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run
from ranpaper.check import check_paper
from ranpaper.config import Config
from ranpaper.dates import DateForms, Order, parse_date
from ranpaper.parse import parse
from ranpaper.profiles import ProfileError, default_profile, load_profile
from ranpaper.render.html import css_string, page_css, render_paper

PAPER = """\
---
title: T
date: 2023-01-01
{front}---

# {theme} 1: A

## B

### {meetings}

{line}
"""


def _paper(tmp_path: Path, line: str, profile: str = "", **words: str) -> str:
    front = f"profile: {profile}\n" if profile else ""
    theme = words.get("theme", "Main theme")
    meetings = words.get("meetings", "Meetings and papers")
    text = PAPER.format(front=front, theme=theme, meetings=meetings, line=line)
    (tmp_path / "p.md").write_text(text, "utf-8")
    return text


GERMAN = {"theme": "Hauptthema", "meetings": "Treffen und Veröffentlichungen"}


# --- profiles that extend ------------------------------------------------------------------


def test_a_profile_adds_one_working_group_in_three_lines(tmp_path: Path) -> None:
    (tmp_path / "more.toml").write_text(
        'extends = "default"\n[meetings]\nworking-groups = ["HEALTH"]\n', "utf-8"
    )
    groups = load_profile("more.toml", tmp_path).working_groups
    assert groups == default_profile().working_groups | {"HEALTH"}
    # `extra-working-groups` (the configuration's word) means the same in a profile.
    (tmp_path / "extra.toml").write_text('[meetings]\nextra-working-groups = ["HEALTH"]\n')
    assert load_profile("extra.toml", tmp_path).working_groups == groups


def test_replace_drops_the_bases_list(tmp_path: Path) -> None:
    (tmp_path / "only.toml").write_text(
        'replace = ["meetings.working-groups"]\n[meetings]\nworking-groups = ["HEALTH"]\n'
    )
    assert load_profile("only.toml", tmp_path).working_groups == {"HEALTH"}
    (tmp_path / "typo.toml").write_text('replace = ["meetings.working-group"]\n')
    with pytest.raises(ProfileError, match=r"did you mean 'meetings\.working-groups'") as caught:
        load_profile("typo.toml", tmp_path)
    assert caught.value.line == 1


def test_kinds_of_a_profile_come_before_the_bases(tmp_path: Path) -> None:
    (tmp_path / "k.toml").write_text('[meetings]\nkinds = [["hackathon", "workshop"]]\n')
    kinds = load_profile("k.toml", tmp_path).meeting_kinds
    assert kinds[0] == ("hackathon", "workshop")
    assert kinds[1:] == default_profile().meeting_kinds


def test_extra_months_add_short_forms(tmp_path: Path) -> None:
    (tmp_path / "m.toml").write_text('[dates]\nextra-months = { "Sept" = 9, "Febr" = 2 }\n')
    forms = load_profile("m.toml", tmp_path).date_forms
    assert parse_date("3 Febr. 2020", forms).start.month == 2
    (tmp_path / "bad.toml").write_text('[dates]\nextra-months = { "Sept" = 13 }\n')
    with pytest.raises(ProfileError, match="extra-months"):
        load_profile("bad.toml", tmp_path)


# --- words checked at load: file, line, key, did-you-mean -------------------------------------


def test_an_unknown_placeholder_is_refused_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "de.toml").write_text(
        '# German\n[words]\ncontents = "Inhalt"\nbrief-reference = "Hauptthema {nummer}"\n'
    )
    with pytest.raises(ProfileError) as caught:
        load_profile("de.toml", tmp_path)
    error = caught.value
    assert (error.path, error.line) == (str(tmp_path / "de.toml"), 4)
    assert "[words] brief-reference: unknown placeholder {nummer}" in error.message
    assert "did you mean 'number'?" in error.message


def test_an_unknown_key_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "x.toml").write_text('name = "x"\n\n[headings]\nintroduction = "I"\nthem = "T"\n')
    with pytest.raises(ProfileError, match="did you mean 'theme'") as caught:
        load_profile("x.toml", tmp_path)
    assert caught.value.line == 5


def test_a_missing_extends_says_which_file_named_it(tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text('name = "base"\n')
    (tmp_path / "child.toml").write_text('name = "child"\nextends = "bsae.toml"\n')
    with pytest.raises(ProfileError) as caught:
        load_profile("child.toml", tmp_path)
    error = caught.value
    assert (error.path, error.line) == (str(tmp_path / "child.toml"), 2)
    assert "`extends = 'bsae.toml'`: no such profile file" in error.message
    assert "did you mean 'base.toml'?" in error.message


# --- dates per language ---------------------------------------------------------------------


def test_german_dates_forthcoming_and_present_words(tmp_path: Path) -> None:
    line = (
        "- EXIT WG Meeting: Eins, Wien, 14. Oktober 2015\n"
        "- EXIT WG Meeting: Zwei, Berlin, 13.-14. Februar 2017\n"
        "- Papier: Drei, erscheint 2023\n"
    )
    text = _paper(tmp_path, line, "de", **GERMAN)
    text = text.replace(
        "date: 2023-01-01\n",
        "date: 2023-01-01\nleaders:\n  current:\n    - name: A B\n      period: 2019–heute\n",
    )
    paper = parse(text, str(tmp_path / "p.md"))
    meetings = [m for _t, m in paper.meetings()]
    assert [(m.place, m.date_text) for m in meetings] == [
        ("Wien", "14. Oktober 2015"),
        ("Berlin", "13.-14. Februar 2017"),
        (None, "2023"),
    ]
    assert meetings[2].forthcoming
    assert paper.metadata.leaders.current[0].end is None
    codes = {d.code for d in check_paper(paper, Config())}
    assert not codes & {"RP101", "RP105", "RP108", "RP110"}


@pytest.mark.parametrize(
    ("line", "column", "says"),
    [
        ("- EXIT WG Meeting: Eins, Berlin, February 13-14, 2017", 34, "13-14 February 2017"),
        ("- EXIT WG Meeting: Eins, Wien, 14. Oktober 2015", 32, "forms: 2021"),
    ],
)
def test_a_date_the_profile_cannot_read_is_an_error_at_its_column(
    tmp_path: Path, line: str, column: int, says: str
) -> None:
    paper = parse(_paper(tmp_path, line), str(tmp_path / "p.md"))
    [(_t, meeting)] = paper.meetings()
    assert meeting.title_text == "Eins"  # neither the place nor the date swallowed
    [finding] = [d for d in check_paper(paper, Config()) if d.code == "RP101"]
    assert finding.severity == "error"
    assert (finding.line, finding.column) == (12, column)
    assert says in finding.message


def test_a_us_profile_reads_month_day_year(tmp_path: Path) -> None:
    (tmp_path / "us.toml").write_text(
        '[dates]\norder = "month-day-year"\nday = "{month} {day}, {year}"\n', "utf-8"
    )
    line = "- EXIT WG Meeting: One, Berlin, February 13-14, 2017"
    paper = parse(_paper(tmp_path, line, "us.toml"), str(tmp_path / "p.md"))
    [(_t, meeting)] = paper.meetings()
    assert (meeting.title_text, meeting.place) == ("One", "Berlin")
    assert meeting.date is not None and meeting.date.end.isoformat() == "2017-02-14"
    assert not [d for d in check_paper(paper, Config()) if d.code.startswith("RP10")]
    us = DateForms(order=Order.month_day_year)
    assert parse_date("November 30-December 1, 2020", us).start.isoformat() == "2020-11-30"


@pytest.mark.parametrize(
    ("profile", "words", "written", "wanted"),
    [
        (
            "fr",
            {"theme": "Thème principal", "meetings": "Réunions et documents"},
            "juil. 2020",
            "juillet 2020",
        ),
        (
            "fr",
            {"theme": "Thème principal", "meetings": "Réunions et documents"},
            "3 – 4 mai 2020",
            "3-4 mai 2020",
        ),
        ("de", GERMAN, "14-15 Okt 2015", "14.-15. Oktober 2015"),
        ("", {}, "3 – 4 Sept. 2020", "3-4 September 2020"),
    ],
)
def test_rp108_speaks_the_profiles_forms(
    tmp_path: Path, profile: str, words: dict[str, str], written: str, wanted: str
) -> None:
    line = f"- EXIT WG Meeting: Eins, Paris, {written}"
    paper = parse(_paper(tmp_path, line, profile, **words), str(tmp_path / "p.md"))
    [finding] = [d for d in check_paper(paper, Config(), None) if d.code == "RP108"]
    assert finding.message == f'date "{written}" is not in the paper\'s form "{wanted}"'


# --- words that reach a reader --------------------------------------------------------------


def test_page_words_are_css_not_html_inside_style(tmp_path: Path) -> None:
    line = "- EXIT WG Meeting: Eins, Wien, 14. Oktober 2015"
    paper = parse(_paper(tmp_path, line, "de", **GERMAN), str(tmp_path / "p.md"))
    html = render_paper(paper, "print")
    assert '<style>@page { @bottom-right { content: "Seite " counter(page) " von "' in html
    assert '"S. " target-counter(attr(href), page)' in html
    assert "&#34;" not in html.split("</style>")[0]
    assert css_string('a"</style>') == '"a\\22 \\3C /style\\3E "'
    assert page_css(default_profile()) == ""


# --- error messages -----------------------------------------------------------------------


def test_an_invalid_front_matter_profile_is_one_error_saying_where_to_fix_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "mine.toml").write_text(
        'extends = "de"\n[words]\nbrief-reference = "Hauptthema {nummer}"\n', "utf-8"
    )
    line = "- EXIT WG Meeting: Eins, Wien, 14. Oktober 2015"
    paper = parse(_paper(tmp_path, line, "mine.toml", **GERMAN), str(tmp_path / "p.md"))
    [finding] = check_paper(paper, Config())
    assert (finding.code, finding.line) == ("RP002", 4)
    assert f"({tmp_path / 'mine.toml'}:3)" in finding.message
    assert (finding.hint or "").startswith(f"fix {tmp_path / 'mine.toml'} at line 3")


@pytest.mark.parametrize(
    ("named", "says"),
    [
        ("fx", "no shipped profile 'fx' (did you mean 'fr'?)"),
        ("mien.toml", "no such profile file 'mien.toml' (did you mean 'mine.toml'?)"),
        ("mine.tomll", "(did you mean 'mine.toml'?)"),
    ],
)
def test_a_profile_named_by_the_configuration_gets_a_did_you_mean(
    tmp_path: Path, named: str, says: str
) -> None:
    (tmp_path / "mine.toml").write_text('name = "mine"\n', "utf-8")
    (tmp_path / "ranpaper.toml").write_text(f'profile = "{named}"\n', "utf-8")
    _paper(tmp_path, "- EXIT WG Meeting: One, Paris, 2020")
    result = run("check", "p.md", cwd=tmp_path)
    assert result.returncode == 2 and says in result.stderr
    assert "Traceback" not in result.stderr


def test_outputs_write_the_sections_label_not_its_other_spelling(tmp_path: Path) -> None:
    (tmp_path / "s.toml").write_text(
        '[sections.meetings]\nlabel = "Events"\nspellings = ["Meetings and papers"]\n', "utf-8"
    )
    line = "- EXIT WG Meeting: One, Paris, 2020"
    paper = parse(_paper(tmp_path, line, "s.toml"), str(tmp_path / "p.md"))
    html = render_paper(paper, "print")
    assert 'class="section-title">Events</h' in html
    assert ">Meetings and papers</h" not in html


@pytest.mark.parametrize(
    "toml",
    [
        '[meetings]\nextra-working-groups = "HEALTH"\n',
        '[meetings]\nworking-groups = "HEALTH"\n',
        '[sections.gaps]\nspellings = "Open"\n',
        '[dates]\norder = "year-month-day"\n',
        'replace = ["dates.present"]\n[dates]\npresent = []\n',
        'replace = "meetings.kinds"\n',
    ],
)
def test_a_malformed_list_or_form_is_refused_at_load(tmp_path: Path, toml: str) -> None:
    (tmp_path / "bad.toml").write_text(toml, "utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile("bad.toml", tmp_path)
    assert caught.value.path == str(tmp_path / "bad.toml")


def test_a_title_ending_in_a_number_is_not_taken_for_a_month_day(tmp_path: Path) -> None:
    line = "- EXIT WG Meeting: Rehabilitation, Part 2, 2017"
    paper = parse(_paper(tmp_path, line), str(tmp_path / "p.md"))
    [(_t, meeting)] = paper.meetings()
    assert (meeting.title_text, meeting.date_text) == ("Rehabilitation, Part 2", "2017")


def test_rp108s_fix_writes_the_profiles_form(tmp_path: Path) -> None:
    _paper(tmp_path, "- EXIT WG Meeting: Eins, Wien, 14-15 Okt 2015", "de", **GERMAN)
    fixed = run("check", "p.md", "--fix", "--isolated", cwd=tmp_path)
    assert "Traceback" not in fixed.stderr
    text = (tmp_path / "p.md").read_text("utf-8")
    assert "- EXIT WG Meeting: Eins, Wien, 14.-15. Oktober 2015\n" in text
