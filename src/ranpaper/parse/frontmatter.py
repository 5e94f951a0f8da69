"""The YAML front matter: read safely, every value as a string, then converted and checked.

YAML is loaded with PyYAML's `BaseLoader`, which resolves no types (so `no: no` stays the
string "no" and a date stays text until it is converted here) and refuses aliases, so an
alias bomb cannot expand. Anything that cannot be converted becomes a `Problem` naming the
key's line; the paper still parses.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from ranpaper.dates import DateError, parse_period
from ranpaper.model import Leader, Leaders, Metadata, Problem, Span

FENCE = "---"


class _SafeStringLoader(yaml.BaseLoader):
    """Every scalar a string; anchors and aliases refused."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        return super().compose_node(parent, index)


def split_front_matter(lines: list[str]) -> tuple[int, int] | None:
    """(first, last) 0-based line indexes of the front matter's fences, or None if absent.
    An opening fence without a closing one gives (0, -1)."""
    if not lines or lines[0].rstrip() != FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return 0, index
    return 0, -1


def _key_lines(lines: list[str], first_line: int) -> dict[str, int]:
    """Line number of each top-level key, for pointing at the right line."""
    found: dict[str, int] = {}
    for offset, line in enumerate(lines):
        if line and not line[0].isspace() and ":" in line:
            found.setdefault(line.split(":", 1)[0].strip(), first_line + offset)
    return found


def read_metadata(lines: list[str], first_line: int) -> tuple[Metadata, list[Problem]]:
    """Read the YAML between the fences (`lines`, starting at 1-based `first_line`)."""
    problems: list[Problem] = []
    block = "\n".join(lines)
    whole = Span(line=first_line - 1, end_line=first_line + len(lines))
    try:
        data = yaml.load(block, Loader=_SafeStringLoader) if block.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        reason = getattr(error, "problem", None) or str(error)
        problems.append(
            Problem(
                code="RP002",
                message=f"front matter is not valid YAML: {reason}",
                span=Span(line=line, end_line=line),
            )
        )
        return Metadata(span=whole), problems
    if not isinstance(data, dict):
        problems.append(
            Problem(
                code="RP002",
                message="front matter must be a mapping of `key: value` lines",
                span=whole,
            )
        )
        return Metadata(span=whole), problems

    key_lines = _key_lines(lines, first_line)

    def at(key: str) -> Span:
        line = key_lines.get(key, first_line)
        return Span(line=line, end_line=line)

    values: dict[str, Any] = {"span": whole}
    for key in ("title", "working_group", "short_name", "kind", "language", "profile"):
        value = data.get(key)
        if isinstance(value, str):
            values[key] = value
        elif value is not None:
            problems.append(Problem(code="RP002", message=f"`{key}` must be text", span=at(key)))
    unknown = sorted(
        set(data)
        - {"title", "working_group", "short_name", "kind", "language", "profile", "date", "leaders"}
    )
    for key in unknown:
        problems.append(
            Problem(
                code="RP002",
                message=f"unknown front-matter key `{key}`",
                span=at(key),
                hint="known keys: title, working_group, short_name, kind, date, language, "
                "profile, leaders",
            )
        )
    raw_date = data.get("date")
    if raw_date is None:
        problems.append(
            Problem(
                code="RP106",
                message="front matter has no publication `date`",
                span=whole,
                hint="add `date: YYYY-MM-DD`",
            )
        )
    else:
        try:
            values["date"] = dt.date.fromisoformat(str(raw_date).strip())
        except ValueError:
            problems.append(
                Problem(
                    code="RP106",
                    message=f"publication date {str(raw_date)!r} is not a date in the calendar "
                    "written as YYYY-MM-DD",
                    span=at("date"),
                    text=str(raw_date),
                )
            )
    leaders, leader_problems = _read_leaders(data.get("leaders"), at("leaders"), lines, first_line)
    values["leaders"] = leaders
    problems.extend(leader_problems)
    # Every value was converted and checked above: the node is built from trusted values.
    return Metadata(**values), problems


def _name_line(lines: list[str], name: str, after: int) -> int | None:
    """The line of a leader's `name:` entry, searching from line index `after`."""
    for index in range(after, len(lines)):
        if re.search(rf"\bname:\s*['\"]?{re.escape(name)}", lines[index]):
            return index
    return None


def _read_leaders(
    raw: Any, span: Span, lines: list[str], first_line: int
) -> tuple[Leaders, list[Problem]]:
    problems: list[Problem] = []
    cursor = 0
    if raw is None:
        return Leaders(), problems
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                code="RP002",
                message="`leaders` must have `current` and `previous` lists",
                span=span,
            )
        )
        return Leaders(), problems
    groups: dict[str, list[Leader]] = {"current": [], "previous": []}
    for group in groups:
        entries = raw.get(group) or []
        if not isinstance(entries, list):
            problems.append(
                Problem(code="RP002", message=f"`leaders.{group}` must be a list", span=span)
            )
            continue
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                problems.append(
                    Problem(
                        code="RP002",
                        message=f"each of `leaders.{group}` needs a `name` and a `period`",
                        span=span,
                    )
                )
                continue
            period = str(entry.get("period", ""))
            start = end = None
            where = span
            index = _name_line(lines, entry["name"], cursor)
            if index is not None:
                cursor = index + 1
                where = Span(line=first_line + index, end_line=first_line + index)
            try:
                start, end = parse_period(period)
            except DateError as error:
                problems.append(
                    Problem(
                        code="RP105",
                        message=f"leader {entry['name']}: {error}",
                        span=where,
                        text=period,
                    )
                )
            group_name = entry.get("group")
            groups[group].append(
                Leader(
                    name=entry["name"],
                    period=period,
                    group=group_name if isinstance(group_name, str) else None,
                    start=start,
                    end=end,
                    span=where,
                )
            )
    return Leaders(**groups), problems
