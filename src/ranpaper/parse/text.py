"""Text made safe before anything reads it: a lone surrogate (`"\\ud800"` in YAML) cannot be
written to any output, and control characters (ESC, BEL, …) reach terminals and CI logs.
Each is replaced by U+FFFD, one for one, so columns stay the source's, and reported."""

from __future__ import annotations

import re

from ranpaper.model import Problem, ProblemKind, Span

REPLACEMENT = "\ufffd"

# C0 controls but tab and line feed, DEL, C1 controls, and surrogates (only lone ones can be in
# a Python string: a pair decodes to one character).
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def safe_text(text: str) -> tuple[str, list[str]]:
    """(`text` with every unsafe character replaced, the distinct unsafe characters found)."""
    if not UNSAFE.search(text):
        return text, []
    found = sorted(set(UNSAFE.findall(text)))
    return UNSAFE.sub(REPLACEMENT, text), found


def unsafe_text_problem(found: list[str], span: Span) -> Problem:
    names = ", ".join(describe(char) for char in found[:5]) + (" …" if len(found) > 5 else "")
    return Problem(
        kind=ProblemKind.unsafe_text,
        message=f"text holds characters that no output can show safely ({names}); "
        "each is read as U+FFFD",
        span=span,
        hint="delete them; write any character you meant as itself",
    )


def safe_lines(lines: list[str]) -> tuple[list[str], list[Problem]]:
    """Every line made safe, with one problem per line that had to change, at its first unsafe
    character."""
    problems: list[Problem] = []
    out = list(lines)
    for index, line in enumerate(lines):
        match = UNSAFE.search(line)
        if match is None:
            continue
        out[index], found = safe_text(line)
        problems.append(
            unsafe_text_problem(
                found,
                Span(
                    line=index + 1,
                    column=match.start() + 1,
                    end_line=index + 1,
                    end_column=match.start() + 2,
                ),
            )
        )
    return out, problems
