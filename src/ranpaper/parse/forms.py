"""Markdown forms that carry words or meaning the paper's model does not keep: a link's or
image's title, a reference definition no link uses, the numbers of a numbered list. Each is a
problem at its line (`ProblemKind.form_not_kept`), never lost without a word: no output
carries it, and `ranpaper fmt` will not rewrite a paper that has one.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from ranpaper.model import Problem, ProblemKind, Span


def _problem(lines: list[str], index: int, message: str, hint: str, text: str) -> Problem:
    line = lines[index] if index < len(lines) else ""
    return Problem(
        kind=ProblemKind.form_not_kept,
        message=message,
        span=Span(line=index + 1, end_line=index + 1, end_column=len(line) + 1),
        hint=hint,
        text=text,
    )


def _line_with(lines: list[str], start: int, end: int, needle: str) -> int:
    """The index of the first line in [start, end) that holds `needle` (else `start`)."""
    for index in range(start, min(end, len(lines))):
        if needle in lines[index]:
            return index
    return start


def _titles(tokens: list[Token], lines: list[str]) -> list[Problem]:
    problems = []
    for token in tokens:
        if token.type != "inline" or not token.map:
            continue
        for child in token.children or []:
            if child.type not in ("link_open", "image"):
                continue
            title = str(child.attrGet("title") or "")
            if not title:
                continue
            what = "image" if child.type == "image" else "link"
            start, end = token.map
            index = _line_with(lines, start, end, title.splitlines()[0])
            problems.append(
                _problem(
                    lines,
                    index,
                    f"the {what}'s title {title[:60]!r} is in no output: the paper keeps a "
                    f"{what}'s text and target, not its title",
                    "put the words in the text, or remove the title",
                    title,
                )
            )
    return problems


def _label_used(label: str, text: str, definition_lines: set[int], lines: list[str]) -> bool:
    words = r"\s+".join(re.escape(part) for part in label.split())
    used = re.compile(rf"\]\[\s*{words}\s*\]|\[\s*{words}\s*\](?!\s*:)", re.IGNORECASE)
    return any(
        used.search(line) for index, line in enumerate(lines) if index not in definition_lines
    )


def _references(env: dict[str, object], lines: list[str]) -> list[Problem]:
    references = env.get("references")
    if not isinstance(references, dict):
        return []
    starts = {
        index
        for entry in references.values()
        for index in range(*entry.get("map", (0, 0)))
        if isinstance(entry, dict)
    }
    text = "\n".join(lines)
    problems = []
    for label, entry in references.items():
        where = entry.get("map") if isinstance(entry, dict) else None
        if not where or _label_used(str(label), text, starts, lines):
            continue
        index = where[0]
        problems.append(
            _problem(
                lines,
                index,
                f"reference definition [{label}] is used by no link, so its target "
                f"{str(entry.get('href', ''))[:80]!r} is in no output",
                "use it in a link (`[text][label]`) or remove it",
                lines[index].strip() if index < len(lines) else str(label),
            )
        )
    return problems


def _numbered(tokens: list[Token], lines: list[str]) -> list[Problem]:
    problems = []
    for token in tokens:
        if token.type != "ordered_list_open" or not token.map:
            continue
        index = token.map[0]
        start = token.attrGet("start") or 1
        problems.append(
            _problem(
                lines,
                index,
                f"a numbered list (from {start}): the paper's lists are bullets, so its "
                "numbers are in no output and `fmt` would write `-`",
                "write `-` bullets, or the numbers in the text",
                lines[index].strip() if index < len(lines) else "",
            )
        )
    return problems


def forms_not_kept(tokens: list[Token], env: dict[str, object], lines: list[str]) -> list[Problem]:
    """Every form the model does not keep, in the order of the checks above."""
    return [*_titles(tokens, lines), *_references(env, lines), *_numbered(tokens, lines)]
