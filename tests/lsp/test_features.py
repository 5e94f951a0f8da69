"""The language server's features as functions of the text: positions, code actions from a
`Fix`, hover, outline and footnote definitions, without a client."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsp_edits import apply_edits
from lsprotocol import types

from conftest import PAPER_PATH
from ranpaper.diagnostics import Applicability, Diagnostic, Edit, Fix, Severity
from ranpaper.lsp import (
    Analysis,
    analyse,
    code_actions,
    code_point_column,
    definition,
    hover,
    replacement,
    source_lines,
    symbols,
    to_lsp,
    utf16_offset,
)
from ranpaper.workspace import Workspace

# 👉 is outside the Basic Multilingual Plane: one code point, two UTF-16 code units.
LINE = "Ré 👉 [Outline](#) — done"


@pytest.mark.parametrize(
    ("column", "offset"),
    [(1, 0), (2, 1), (3, 2), (4, 3), (5, 5), (6, 6), (len(LINE) + 1, len(LINE) + 1)],
)
def test_code_point_columns_become_utf16_offsets_and_back(column: int, offset: int) -> None:
    assert utf16_offset(LINE, column) == offset
    assert code_point_column(LINE, offset) == column


def test_source_lines_do_not_count_carriage_returns() -> None:
    assert source_lines("a\r\nbé\r\n") == ["a", "bé", ""]


def _finding(line: int, column: int, end_column: int, fix: Fix | None) -> Diagnostic:
    return Diagnostic(
        path="paper.md",
        line=line,
        column=column,
        end_line=line,
        end_column=end_column,
        code="RP301",
        name="link-lost",
        severity=Severity.warning,
        message='link "Outline" has no target (#)',
        fix=fix,
    )


def test_a_fix_becomes_a_code_action_whose_edit_lands_on_the_right_characters() -> None:
    text = f"# Title\n{LINE}\n"
    lines = source_lines(text)
    start = LINE.index("[") + 1  # 1-based code-point column, after the emoji
    end = LINE.index(")") + 2  # end exclusive
    fix = Fix(
        "write the link as plain text",
        (
            Edit(2, start, 2, end, "Outline"),
            Edit(2, 1, 2, 3, "Re"),  # two edits on one line: applied together
        ),
        Applicability.unsafe,
    )
    finding = _finding(2, start, end, fix)
    analysis = Analysis("file:///paper.md", 1, lines, None, [(finding, to_lsp(finding, lines))])
    on_the_link = types.Range(
        start=types.Position(line=1, character=utf16_offset(LINE, start + 2)),
        end=types.Position(line=1, character=utf16_offset(LINE, start + 2)),
    )
    [action] = code_actions(analysis, on_the_link)
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.title == "write the link as plain text (RP301)"
    assert action.is_preferred is False  # an unsafe fix is offered, not preferred
    assert action.edit is not None and action.edit.changes is not None
    fixed = apply_edits(text, action.edit.changes["file:///paper.md"])
    assert fixed == "# Title\nRe 👉 Outline — done\n"


def test_no_code_action_away_from_the_finding_or_without_a_fix() -> None:
    lines = source_lines(f"# Title\n{LINE}\n")
    fixable = _finding(2, 6, 19, Fix("x", (Edit(2, 6, 2, 19, "Outline"),)))
    plain = _finding(2, 6, 19, None)
    elsewhere = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=0, character=3)
    )
    on_it = types.Range(
        start=types.Position(line=1, character=8), end=types.Position(line=1, character=8)
    )
    analysis = Analysis("u", 1, lines, None, [(fixable, to_lsp(fixable, lines))])
    assert code_actions(analysis, elsewhere) == []
    analysis = Analysis("u", 1, lines, None, [(plain, to_lsp(plain, lines))])
    assert code_actions(analysis, on_it) == []


@pytest.fixture(scope="module")
def paper_analysis() -> Analysis:
    text = PAPER_PATH.read_text("utf-8")
    return analyse(text, PAPER_PATH, Workspace(), PAPER_PATH.as_uri(), 1)


def test_hover_away_from_findings_shows_nothing(paper_analysis: Analysis) -> None:
    assert hover(paper_analysis, types.Position(line=0, character=0)) is None


def test_outline_ranges_nest_and_cover_the_paper(paper_analysis: Analysis) -> None:
    outline = symbols(paper_analysis)

    def inside(inner: types.Range, outer: types.Range) -> bool:
        def key(p: types.Position) -> tuple[int, int]:
            return (p.line, p.character)

        return key(outer.start) <= key(inner.start) and key(inner.end) <= key(outer.end)

    def walk(symbol: types.DocumentSymbol) -> int:
        assert inside(symbol.selection_range, symbol.range), symbol.name
        for child in symbol.children or []:
            assert inside(child.range, symbol.range), (child.name, symbol.name)
            walk(child)
        return 1 + sum(walk(child) for child in symbol.children or [])

    assert sum(walk(theme) for theme in outline) > 5 + 30
    lines = paper_analysis.lines
    assert [lines[s.selection_range.start.line].startswith("# Main theme") for s in outline] == [
        True
    ] * 5


def test_definition_only_from_a_footnote_reference(paper_analysis: Analysis) -> None:
    lines = paper_analysis.lines
    line = next(i for i, text in enumerate(lines) if "[^1]" in text and not text.startswith("[^"))
    column = lines[line].index("[^1]")
    found = definition(paper_analysis, types.Position(line=line, character=column))
    assert found is not None and lines[found.range.start.line].startswith("[^1]:")
    assert definition(paper_analysis, types.Position(line=line, character=column - 2)) is None


_TEXTS = st.lists(
    st.tuples(st.sampled_from(["", "a", "b", "ré 👉", "- x"]), st.sampled_from(["\n", "\r\n"])),
    max_size=8,
).map(lambda lines: "".join(text + end for text, end in lines))
_LAST = st.sampled_from(["", "a", "👉"])


@given(_TEXTS, _LAST, _TEXTS, _LAST)
def test_a_replacement_edit_turns_one_text_into_the_other(
    old: str, old_last: str, new: str, new_last: str
) -> None:
    """fmt's and fix-all's one edit: applied as an editor applies it, it gives the new text,
    whatever the line breaks and whether the text ends in one."""
    old, new = old + old_last, new + new_last
    edit = replacement(old, new)
    if old == new:
        assert edit is None
        return
    assert edit is not None
    assert apply_edits(old, [edit]) == new


def test_a_replacement_edit_spans_only_the_lines_that_change() -> None:
    edit = replacement("a\nb\nc\nd\n", "a\nB\nC\nd\n")
    assert edit is not None
    assert (edit.range.start.line, edit.range.end.line, edit.new_text) == (1, 3, "B\nC\n")
