"""The front matter: what YAML would silently change is reported at its line."""

from __future__ import annotations

import ranpaper
from ranpaper.model import ProblemKind

BODY = "# Main theme 1: T\n"


def _parse(front: str) -> ranpaper.Paper:
    return ranpaper.parse(f"---\n{front}---\n{BODY}")


def test_a_key_written_twice_is_an_error_at_the_second() -> None:
    paper = _parse("title: First\ndate: 2021-11-24\ntitle: Second\n")
    [problem] = paper.problems
    assert problem.kind is ProblemKind.front_matter and problem.span.line == 4
    assert "line 2" in problem.message


def test_duplicate_keys_inside_leaders_are_found_too() -> None:
    paper = _parse(
        "date: 2021-11-24\nleaders:\n  current:\n    - name: A\n      name: B\n"
        "      period: 2019–present\n"
    )
    assert [(p.kind, p.span.line) for p in paper.problems] == [(ProblemKind.front_matter, 6)]


def test_deeply_nested_yaml_is_a_finding_not_a_crash() -> None:
    paper = _parse("date: 2021-11-24\nkind: " + "[" * 5000 + "]" * 5000 + "\n")
    [problem] = paper.problems
    assert problem.kind is ProblemKind.front_matter and problem.span.line == 3
    assert "nest more than 20 levels" in problem.message


def test_a_lone_surrogate_or_escape_in_a_value_is_replaced_and_reported() -> None:
    paper = _parse('title: "A\\uD800B\\e"\ndate: 2021-11-24\n')
    assert paper.metadata.title == "A\ufffdB\ufffd"
    [problem] = paper.problems
    assert problem.kind is ProblemKind.unsafe_text and problem.span.line == 2
    assert "U+001B" in problem.message and "U+D800" in problem.message


def test_leader_lines_come_from_yaml_even_when_names_use_escapes() -> None:
    leaders = "".join(f'    - name: "Le\\u00e4der {i}"\n      period: someday\n' for i in range(3))
    paper = _parse(f"date: 2021-11-24\nleaders:\n  current:\n{leaders}")
    assert [leader.name for leader in paper.metadata.leaders.current] == [
        f"Leäder {i}" for i in range(3)
    ]
    assert [(p.kind, p.span.line) for p in paper.problems] == [
        (ProblemKind.leader_period, line) for line in (5, 7, 9)
    ]


def test_control_characters_in_the_text_are_replaced_and_reported_at_their_column() -> None:
    paper = ranpaper.parse(
        "---\ndate: 2021-11-24\n---\n# Main theme 1: T\n\nBell\x07 and \x1b[2J.\n"
    )
    [problem] = paper.problems
    assert problem.kind is ProblemKind.unsafe_text
    assert (problem.span.line, problem.span.column) == (6, 5)
    assert ranpaper.model.plain(paper.themes[0].intro[0].text) == "Bell\ufffd and \ufffd[2J."  # type: ignore[union-attr]


def test_a_front_matter_over_its_limit_is_reported_not_read() -> None:
    leaders = "".join(f"    - name: L{i}\n      period: 2019–present\n" for i in range(3000))
    paper = _parse(f"title: T\ndate: 2021-11-24\nleaders:\n  current:\n{leaders}")
    [problem] = paper.problems
    assert problem.kind is ProblemKind.front_matter and problem.span.line == 1
    assert "over the 64 KiB" in problem.message and paper.metadata.title is None
