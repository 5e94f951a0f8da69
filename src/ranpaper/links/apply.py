"""Writing the registry's URLs into the source: `ranpaper links --apply`.

`edits` turns each recovered link into an `Edit` of its target (`#` → the URL); they are
applied, as one fix, by the one edit applier (`ranpaper.lines.apply_edits`).

Nothing is written unless the result, parsed again, is exactly the paper `build` would render
with the registry (`recover`): a link written in a way this cannot edit (a reference-style
link, a target with a title) is reported, never guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ranpaper.diagnostics import Edit
from ranpaper.lines import split_lines
from ranpaper.links.citations import Citation, match
from ranpaper.links.registry import Registry
from ranpaper.model import Paper


@dataclass(frozen=True)
class Unapplied:
    citation: Citation
    reason: str


def destination(url: str) -> str:
    """`url` as a Markdown link destination (parentheses escaped so they cannot close it)."""
    return url.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def edits(paper: Paper, registry: Registry, source: str) -> tuple[list[Edit], list[Unapplied]]:
    """An edit of each lost link's target that the registry recovers, and the links that
    cannot be edited so (with why)."""
    found = match(paper, registry)
    lines = split_lines(source)
    done: list[Edit] = []
    skipped: list[Unapplied] = []
    for citation in found.recovered:
        url = found.url_for(citation.place, citation.link)
        assert url is not None  # recovered means the registry has its URL
        edit = _target_edit(citation, lines, destination(url))
        if isinstance(edit, str):
            skipped.append(Unapplied(citation, edit))
        else:
            done.append(edit)
    return done, skipped


def target_span(citation: Citation, lines: list[str]) -> Edit | str:
    """Where the link's target is written (an `Edit` with empty text covering it), or why
    that cannot be known."""
    span = citation.span
    if not 0 < span.end_line <= len(lines):
        return "its place in the source is not known"
    line = lines[span.end_line - 1]
    start = span.column - 1 if span.line == span.end_line else 0
    written = line[start : span.end_column - 1]
    if citation.link.autolink and written.startswith("<") and written.endswith(">"):
        return Edit(span.end_line, start + 2, span.end_line, start + len(written), "")
    opening = written.rfind("](")
    if opening < 0 or not written.endswith(")"):
        return "it is not written [text](target) (a reference-style link?); edit it by hand"
    column = start + opening + 3  # 1-based column just after "]("
    return Edit(span.end_line, column, span.end_line, column + len(written) - opening - 3, "")


def _target_edit(citation: Citation, lines: list[str], new: str) -> Edit | str:
    where = target_span(citation, lines)
    if isinstance(where, str):
        return where
    target = lines[where.line - 1][where.column - 1 : where.end_column - 1]
    if target.strip() not in ("", "#"):
        return f'its target "{target}" is not # alone (a title?); edit it by hand'
    return replace(where, text=new)
