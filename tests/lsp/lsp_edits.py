"""Applying an LSP `WorkspaceEdit` as an editor does (for the tests)."""

from __future__ import annotations

from lsprotocol import types

from ranpaper.lsp import code_point_column


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP edits as an editor does: positions in UTF-16 code units, last edit first."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        before = sum(len(line) + 1 for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        return before + code_point_column(line, position.character) - 1

    for edit in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text
