"""Meeting lines read into their parts; the whole paper's 61 meetings against a golden file."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import ranpaper
from ranpaper.model import Link, MeetingKind, Paper
from ranpaper.parse.meeting import DEFAULT_WORKING_GROUPS, NOT_ORGANISERS

GOLDEN = Path(__file__).parent.parent / "golden" / "meetings.json"


def _meeting(line: str):  # type: ignore[no-untyped-def]
    paper = ranpaper.parse(
        "---\ndate: 2021-11-24\n---\n# Main theme 1: T\n## Topic\n### Meetings and papers\n"
        f"- {line}\n"
    )
    [(_topic, meeting)] = list(paper.meetings())
    return meeting


def test_organiser_kind_title_place_date() -> None:
    m = _meeting("DERAD WG Meeting: Kick-off meeting, Stockholm, 04-05 June 2012")
    assert m.organisers == ["DERAD"]
    assert m.kind is MeetingKind.wg_meeting
    assert (m.title_text, m.place, m.date_text) == (
        "Kick-off meeting",
        "Stockholm",
        "04-05 June 2012",
    )
    assert m.date is not None and m.date.start.isoformat() == "2012-06-04"


def test_several_links_and_no_place() -> None:
    m = _meeting("Webinar on Rehabilitation ([Part 1](#), [Part 2](#)), 30 June 2020")
    assert m.kind is MeetingKind.webinar
    assert m.title_text == "Webinar on Rehabilitation"
    assert [link.text for link in m.links] == ["Part 1", "Part 2"]
    assert m.place is None


def test_a_linked_title_keeps_its_link_as_a_topic_title_would() -> None:
    m = _meeting("EXIT: Academy [Setting up an *exit* intervention](#), Berlin, 3 May 2019")
    [link] = m.title
    assert (
        isinstance(link, Link)
        and link.url == "#"
        and link.text == "Setting up an exit intervention"
    )
    assert [type(node).__name__ for node in link.children] == ["Text", "Emphasis", "Text"]
    assert m.title_text == str(link.text) and m.kind is MeetingKind.academy


def test_a_title_around_a_link_keeps_its_words_and_drops_the_commas_around_it() -> None:
    m = _meeting("Paper on [Rehabilitation](#) in prison, 2019")
    assert [type(node).__name__ for node in m.title] == ["Text", "Link", "Text"]
    assert m.title_text == "Paper on Rehabilitation in prison"
    untitled = _meeting("11-12 September 2018")
    assert untitled.title == [] and untitled.title_text == "" and untitled.date_text


def test_author_and_forthcoming() -> None:
    m = _meeting(
        "Paper: Julian Junk, Quality Management of P/CVE Interventions, to be published 2022"
    )
    assert m.kind is MeetingKind.paper
    assert m.author == "Julian Junk"
    assert m.forthcoming and m.date_text == "2022"
    assert m.notes == ["to be published 2022"]


def test_notes_and_extra_links_in_trailing_parentheses() -> None:
    m = _meeting("EXIT: Mental health problems & exit work, 8 December 2015 (no ex-post)")
    assert m.notes == ["no ex-post"] and m.title_text == "Mental health problems & exit work"
    v = _meeting(
        "Policy & Practice (POL & P&P): [Dealing with offenders](#), optimising cooperation, "
        "Paris, December 2018 ([Video](#))"
    )
    assert v.organisers == ["POL", "P&P"]
    assert v.kind is MeetingKind.policy_practice
    assert [link.text for link in v.links] == ["Dealing with offenders", "Video"]
    assert v.title_text == "Dealing with offenders, optimising cooperation"
    assert v.place == "Paris"


def test_two_cities_and_online() -> None:
    assert (
        _meeting("P&P Study Visit: [Juvenile](#), Wiesbaden & Frankfurt, 7-8 June 2018").place
        == "Wiesbaden & Frankfurt"
    )
    assert (
        _meeting("REHAB WG Meeting: [Peer review](#), online, 03 December 2020").place == "online"
    )


def test_place_and_date_written_inside_the_link() -> None:
    m = _meeting("EXIT: [Cooperation of researchers on Exit Work, Barcelona, 16-17 June 2016](#)")
    assert (m.title_text, m.place, m.date_text) == (
        "Cooperation of researchers on Exit Work",
        "Barcelona",
        "16-17 June 2016",
    )


def test_cross_month_range_with_en_dash() -> None:
    m = _meeting("EXIT WG Meeting: Winter, Vienna, 30 November – 1 December 2020")
    assert m.date is not None
    assert (m.date.start.isoformat(), m.date.end.isoformat()) == ("2020-11-30", "2020-12-01")


def test_date_span_points_at_the_date() -> None:
    m = _meeting("EXIT WG Meeting: Winter, Vienna, 31 June 2020")
    assert m.date is None and m.date_text == "31 June 2020"
    assert m.date_span is not None
    assert (m.date_span.line, m.date_span.column) == (7, 36)


@pytest.mark.parametrize("line", ["EXIT WG Meeting: Gangs, Prague", "Just a title"])
def test_undated_line_keeps_its_text(line: str) -> None:
    m = _meeting(line)
    assert m.date_text is None and m.title_text


def test_the_paper_has_61_meetings_all_dated(paper: Paper) -> None:
    meetings = [meeting for _topic, meeting in paper.meetings()]
    assert len(meetings) == 61
    assert all(meeting.date is not None for meeting in meetings)


def _summary(paper: Paper) -> list[dict[str, object]]:
    rows = []
    for _topic, m in paper.meetings():
        assert m.date is not None
        rows.append(
            {
                "line": m.span.line,
                "organisers": m.organisers,
                "kind": m.kind,
                "title": m.title_text,
                "author": m.author,
                "place": m.place,
                "date": [m.date.start.isoformat(), m.date.end.isoformat(), m.date.precision],
                "notes": m.notes,
                "links": [link.text for link in m.links],
            }
        )
    return json.loads(json.dumps(rows))


def test_every_meeting_of_the_paper_matches_the_reviewed_golden_file(paper: Paper) -> None:
    """The golden file was read line by line against the published paper. Regenerate with
    RANPAPER_UPDATE_GOLDEN=1 only after reviewing the difference."""
    rows = _summary(paper)
    if os.environ.get("RANPAPER_UPDATE_GOLDEN"):
        lines = ",\n ".join(json.dumps(row, ensure_ascii=False) for row in rows)
        GOLDEN.write_text(f"[\n {lines}\n]\n", "utf-8")
    assert rows == json.loads(GOLDEN.read_text("utf-8"))


def _problems(line: str) -> list[tuple[int, str, str | None]]:
    paper = ranpaper.parse(
        "---\ndate: 2021-11-24\n---\n# Main theme 1: T\n## Topic\n### Meetings and papers\n"
        f"- {line}\n"
    )
    return [(p.span.column, p.message, p.hint) for p in paper.problems]


@pytest.mark.parametrize(
    "line",
    [
        "Y&E Webinar: [Youth work in times of lockdown](#), 2021",
        "Paper: [Exit work with young people](#), 2021",
        "[Local prevention plans and their evaluation](#), 2021",
        "Webinar: Exit strategies, online, 3 May 2021",
    ],
)
def test_organisers_are_never_read_from_the_title(line: str) -> None:
    assert _meeting(line).organisers == []


def test_headless_line_starting_with_a_code_written_as_such_names_its_organiser() -> None:
    assert _meeting("P&P Core group meeting, Vienna, 21-22 January 2017").organisers == ["P&P"]


def test_an_unknown_abbreviation_in_the_head_is_reported_at_its_column() -> None:
    [(column, message, hint)] = _problems("EXIT & DERADD WG Meeting: Kick-off, Rome, 2012")
    assert column == 10 and message.startswith("DERADD looks like an organiser")
    assert hint is not None and "did you mean DERAD?" in hint and "extra-working-groups" in hint
    assert _meeting("EXIT & DERADD WG Meeting: Kick-off, Rome, 2012").organisers == ["EXIT"]


def test_a_configured_working_group_is_read_and_not_reported() -> None:
    paper = ranpaper.parse(
        "---\ndate: 2021-11-24\n---\n# Main theme 1: T\n## Topic\n### Meetings and papers\n"
        "- Y&E WG Meeting: Kick-off, Rome, 2012\n",
        working_groups=DEFAULT_WORKING_GROUPS | {"Y&E"},
    )
    assert paper.problems == []
    assert [meeting.organisers for _topic, meeting in paper.meetings()] == [["Y&E"]]


def _doc_list(marker: str) -> set[str]:
    doc = (Path(__file__).parents[2] / "docs" / "authoring.md").read_text("utf-8")
    listed = doc.split(f"<!-- {marker} -->")[1].split(f"<!-- /{marker} -->")[0]
    return set(re.findall(r"`([^`]+)`", listed))


def test_the_authoring_guide_lists_exactly_the_codes_the_parser_knows() -> None:
    assert _doc_list("working-groups") == DEFAULT_WORKING_GROUPS
    assert _doc_list("not-organisers") == NOT_ORGANISERS
