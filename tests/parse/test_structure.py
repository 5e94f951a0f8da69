"""The bundled paper's structure as the published paper has it."""

from __future__ import annotations

import ranpaper
from ranpaper.model import FootnoteRef, LessonGroup, Note, Paper, ProblemKind, SectionKind, plain


def test_five_themes_in_order(paper: Paper) -> None:
    assert [theme.number for theme in paper.themes] == [1, 2, 3, 4, 5]
    assert paper.themes[1].title_text == "Involving Stakeholders (in interventions)"


def test_topics_nest_and_keep_sub_theme_wording(paper: Paper) -> None:
    first = paper.themes[0].topics[0]
    assert first.title_text == "General guidelines on rehabilitation"
    assert [t.title_text for t in first.topics] == [
        "Overarching guidelines and manuals on rehabilitation work",
        "Specific guidelines regarding the prison and probation contexts",
    ]
    titles = [topic.title_text for _theme, topic in paper.topics()]
    assert "Sub theme: Multi-agency cooperation" in titles
    assert len(titles) == 24


def test_formers_lacks_the_gaps_section_as_published(paper: Paper) -> None:
    formers = next(t for _th, t in paper.topics() if t.title_text == "Formers")
    assert formers.gaps is None
    assert [s.kind for s in formers.sections] == [
        SectionKind.meetings,
        SectionKind.practices,
        SectionKind.lessons,
    ]


def test_lesson_groups_keep_their_captions_and_nesting(paper: Paper) -> None:
    formers = next(t for _th, t in paper.topics() if t.title_text == "Formers")
    assert formers.lessons is not None
    items = formers.lessons.items
    assert isinstance(items[0], Note)
    groups = [item for item in items if isinstance(item, LessonGroup)]
    assert [plain(g.title or []) for g in groups] == ["Do's:", "Don'ts:"]
    assert len(groups[0].lessons[1].children) == 4


def test_empty_sections_marked_none(paper: Paper) -> None:
    marked = [
        t.title_text
        for _th, t in paper.topics()
        if t.practices is not None and t.practices.marked_empty is not None
    ]
    assert len(marked) == 9 and "Gender" in marked


def test_team_ter_has_one_identity_under_three_names(paper: Paper) -> None:
    ter = [p for _t, p in paper.citations() if p.id == "team-ter"]
    assert [plain(p.head) for p in ter] == [
        "Team TER, Dutch Probation Service, Netherlands",
        "TER Team (the Netherlands)",
        "Team Terrorists, Extremists and Radicals, the Netherlands",
    ]


def test_practice_heads_read_into_name_organisation_country(paper: Paper) -> None:
    practices = {}
    for _topic, practice in paper.citations():
        practices.setdefault(practice.name, practice)
    exit_sweden = practices["Exit Sweden"]
    assert (exit_sweden.organisation, exit_sweden.country) == ("Fryshuset", "Sweden")
    assert practices["CAPREV"].country == "Belgium"
    assert practices["Grüner Vogel (previous: Hayat)"].country == "Germany"
    assert practices["CAPREV"].description  # the paragraph below the head


def test_footnotes_repaired_and_referenced(paper: Paper) -> None:
    assert [f.label for f in paper.footnotes] == ["1", "2"]
    assert plain(paper.footnotes[0].text).startswith("W.R. Miller, S. Rollnick (2002)")
    assert "drogenkonferenz.de" in plain(paper.footnotes[1].text)


def test_the_paper_parses_without_problems(paper: Paper) -> None:
    assert paper.problems == []


def test_spans_point_at_the_source(paper: Paper, paper_text: str) -> None:
    lines = paper_text.split("\n")
    for _theme, topic in paper.topics():
        assert topic.title_text in lines[topic.span.line - 1]
    for _topic, meeting in paper.meetings():
        assert lines[meeting.span.line - 1].startswith("- ")


def test_unplaceable_content_is_a_problem_with_its_text() -> None:
    paper = ranpaper.parse(
        "---\ndate: 2021-01-01\n---\nStray text.\n\n# Main theme 1: T\n\n> quoted\n\n## Topic\n"
    )
    assert [(p.kind, p.span.line, p.text) for p in paper.problems] == [
        (ProblemKind.unplaced, 4, "Stray text."),
        (ProblemKind.unplaced, 8, "> quoted"),
    ]


def test_crlf_and_bom_give_the_same_model(paper_text: str) -> None:
    plain_paper = ranpaper.parse(paper_text)
    windows = ranpaper.parse("\ufeff" + paper_text.replace("\n", "\r\n"))
    assert windows == plain_paper


def _nested_bullets(depth: int) -> str:
    return "".join("  " * level + f"- item {level}\n" for level in range(depth))


def test_lists_nest_twenty_levels_and_a_deeper_bullet_is_text_of_the_one_above() -> None:
    head = "---\ndate: 2021-01-01\n---\n# Main theme 1: T\n\n## Topic\n\n"
    tail = "\nAfter the list.\n\n## Next topic\n\nText.\n"
    twenty = ranpaper.parse(head + _nested_bullets(20) + tail)
    assert twenty.problems == []
    deeper = ranpaper.parse(head + _nested_bullets(23) + tail)
    assert [(p.kind, p.span.line) for p in deeper.problems] == [(ProblemKind.nesting, 28)]
    # Nothing after the deep list is lost: the next topic and its text are there.
    assert [plain(topic.title) for topic in deeper.themes[0].topics] == ["Topic", "Next topic"]
    items = deeper.themes[0].topics[0].intro[0].items  # type: ignore[union-attr]
    for _ in range(19):
        items = items[0].children
    assert plain(items[0].text) == "item 19 - item 20 - item 21 - item 22"


def test_emphasis_nested_past_the_limit_keeps_its_markup_as_text() -> None:
    paper = ranpaper.parse(
        "---\ndate: 2021-01-01\n---\n# Main theme 1: T\n\n"
        + "*" * 600
        + "deep"
        + "*" * 600
        + " [link](https://example.org/)\n"
    )
    assert [p.kind for p in paper.problems] == [ProblemKind.nesting]
    text = plain(paper.themes[0].intro[0].text)  # type: ignore[union-attr]
    assert "deep" in text and "*" in text and text.endswith("link")


def test_text_beside_a_comment_on_its_line_is_kept_and_reported() -> None:
    head = "---\ndate: 2021-01-01\n---\n# Main theme 1: T\n\n"
    for line in ("<!-- a --> hidden? <!-- b -->", "<!-- a --> after"):
        paper = ranpaper.parse(head + line + "\n")
        assert [(p.kind, p.span.line) for p in paper.problems] == [(ProblemKind.raw_html, 6)]
        assert "not hidden" in paper.problems[0].message
        assert plain(paper.themes[0].intro[0].text) == line  # type: ignore[union-attr]
    assert ranpaper.parse(head + "<!-- an editor's note -->\n").problems == []


def test_a_reference_written_with_an_escape_or_entity_is_text_not_a_footnote_reference() -> None:
    paper = ranpaper.parse(
        "---\ndate: 2021-01-01\n---\n# Main theme 1: T\n\nA &#91;^zz] and \\[^yy] but [^xx].\n"
    )
    text = paper.themes[0].intro[0].text  # type: ignore[union-attr]
    assert plain(text) == "A [^zz] and [^yy] but ."
    assert [node.label for node in text if isinstance(node, FootnoteRef)] == ["xx"]
