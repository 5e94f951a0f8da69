"""The YAML front matter: read safely, every value as a string, then converted and checked.

YAML is loaded with PyYAML's `BaseLoader`, which resolves no types (so `no: no` stays the
string "no" and a date stays text until it is converted here) and refuses aliases, so an
alias bomb cannot expand. Anything that cannot be converted becomes a `Problem` naming the
key's line; the paper still parses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import yaml

from ranpaper.dates import ENGLISH_FORMS, DateError, DateForms, parse_period
from ranpaper.model import Leader, Leaders, Metadata, Problem, ProblemKind, Span
from ranpaper.parse.text import safe_text, unsafe_text_problem

FENCE = "---"


MAX_FRONT_MATTER = 64 * 1024
"""Characters of front matter read at most; a paper's is well under 2 KiB."""

MAX_YAML_DEPTH = 20
"""Mappings and lists in the front matter nest at most this deep (the paper's need two)."""


class _SafeStringLoader(yaml.BaseLoader):
    """Every scalar a string; anchors and aliases refused; nesting bounded (PyYAML composes
    recursively, so a deep `[[[[…` would exhaust Python's stack)."""

    depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in front matter", event.start_mark
            )
        if self.depth >= MAX_YAML_DEPTH:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"lists and mappings nest more than {MAX_YAML_DEPTH} levels deep",
                self.peek_event().start_mark,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _compose(block: str) -> yaml.Node | None:
    loader = _SafeStringLoader(block)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _construct(node: yaml.Node) -> Any:
    loader = _SafeStringLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _nodes(root: yaml.Node) -> Iterator[yaml.Node]:
    """Every node under `root`, without recursion."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend((value, key))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


def _check_nodes(root: yaml.Node, first_line: int) -> list[Problem]:
    """Duplicate keys (YAML would keep the last silently) and unsafe text, at their lines."""
    problems: list[Problem] = []
    for node in _nodes(root):
        if isinstance(node, yaml.ScalarNode):
            safe, unsafe = safe_text(node.value)
            if unsafe:
                line = first_line + node.start_mark.line
                problems.append(unsafe_text_problem(unsafe, Span(line=line, end_line=line)))
                node.value = safe
        elif isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, _value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    continue
                line = first_line + key.start_mark.line
                if key.value in seen:
                    problems.append(
                        Problem(
                            kind=ProblemKind.front_matter,
                            message=f"key `{key.value}` is written twice (first on line "
                            f"{seen[key.value]}); YAML would silently keep only the last value",
                            span=Span(line=line, end_line=line),
                            hint="remove one of them",
                        )
                    )
                else:
                    seen[key.value] = line
    return problems


def _key_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value
    return None


def _leader_lines(root: yaml.Node, first_line: int) -> dict[str, list[int | None]]:
    """The line of each leader's `name`, per group, from the YAML's own positions."""
    found: dict[str, list[int | None]] = {}
    for group in ("current", "previous"):
        entries = _key_node(_key_node(root, "leaders"), group)
        if isinstance(entries, yaml.SequenceNode):
            found[group] = [
                first_line + name.start_mark.line
                if (name := _key_node(entry, "name")) is not None
                else None
                for entry in entries.value
            ]
    return found


def split_front_matter(lines: list[str]) -> tuple[int, int] | None:
    """(first, last) 0-based line indexes of the front matter's fences, or None if absent.
    An opening fence without a closing one gives (0, -1)."""
    if not lines or lines[0].rstrip() != FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return 0, index
    return 0, -1


def _key_lines(root: yaml.Node, first_line: int) -> dict[str, int]:
    """Line number of each top-level key, for pointing at the right line."""
    found: dict[str, int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, _value in root.value:
            if isinstance(key, yaml.ScalarNode):
                found.setdefault(key.value, first_line + key.start_mark.line)
    return found


_TEXT_KEYS = ("title", "working_group", "short_name", "kind", "language", "profile")


def read_metadata(
    lines: list[str], first_line: int, forms: DateForms = ENGLISH_FORMS
) -> tuple[Metadata, list[Problem]]:
    """Read the YAML between the fences (`lines`, starting at 1-based `first_line`)."""
    problems: list[Problem] = []
    block = "\n".join(lines)
    whole = Span(line=first_line - 1, end_line=first_line + len(lines))
    if len(block) > MAX_FRONT_MATTER:
        # PyYAML reads ~50 KB a second: a front matter of megabytes would stall the check.
        problems.append(
            Problem(
                kind=ProblemKind.front_matter,
                message=f"front matter is {len(block) // 1024} KiB, over the "
                f"{MAX_FRONT_MATTER // 1024} KiB a paper's metadata may take; it is not read",
                span=Span(line=first_line - 1, end_line=first_line - 1),
                hint="keep the front matter to the keys in docs/authoring.md",
            )
        )
        return Metadata(span=whole), problems
    try:
        root = _compose(block) if block.strip() else None
        if root is not None:
            problems.extend(_check_nodes(root, first_line))
        data = _construct(root) if root is not None else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        reason = getattr(error, "problem", None) or str(error)
        problems.append(
            Problem(
                kind=ProblemKind.front_matter,
                message=f"front matter is not valid YAML: {reason}",
                span=Span(line=line, end_line=line),
            )
        )
        return Metadata(span=whole), problems
    if not isinstance(data, dict):
        problems.append(
            Problem(
                kind=ProblemKind.front_matter,
                message="front matter must be a mapping of `key: value` lines",
                span=whole,
            )
        )
        return Metadata(span=whole), problems

    key_lines = _key_lines(root, first_line) if root is not None else {}

    def at(key: str) -> Span:
        line = key_lines.get(key, first_line)
        return Span(line=line, end_line=line)

    values: dict[str, Any] = {"span": whole}
    for key in (*_TEXT_KEYS, "translation-of"):
        value = data.get(key)
        if isinstance(value, str):
            values[key.replace("-", "_")] = value
        elif value is not None:
            problems.append(
                Problem(
                    kind=ProblemKind.front_matter, message=f"`{key}` must be text", span=at(key)
                )
            )
    unknown = sorted(set(data) - {*_TEXT_KEYS, "translation-of", "date", "leaders"})
    for key in unknown:
        problems.append(
            Problem(
                kind=ProblemKind.front_matter,
                message=f"unknown front-matter key `{key}`",
                span=at(key),
                hint="known keys: title, working_group, short_name, kind, date, language, "
                "profile, translation-of, leaders",
            )
        )
    raw_date = data.get("date")
    if raw_date is None:
        problems.append(
            Problem(
                kind=ProblemKind.front_matter_date,
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
                    kind=ProblemKind.front_matter_date,
                    message=f"publication date {str(raw_date)!r} is not a date in the calendar "
                    "written as YYYY-MM-DD",
                    span=at("date"),
                    text=str(raw_date),
                )
            )
    leaders, leader_problems = _read_leaders(
        data.get("leaders"),
        at("leaders"),
        _leader_lines(root, first_line) if root is not None else {},
        forms,
    )
    values["leaders"] = leaders
    problems.extend(leader_problems)
    # Every value was converted and checked above: the node is built from trusted values.
    return Metadata(**values), problems


def _read_leaders(
    raw: Any, span: Span, name_lines: dict[str, list[int | None]], forms: DateForms
) -> tuple[Leaders, list[Problem]]:
    """The leaders and their periods, read with the profile's `present` words (`forms`)."""
    problems: list[Problem] = []
    if raw is None:
        return Leaders(), problems
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                kind=ProblemKind.front_matter,
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
                Problem(
                    kind=ProblemKind.front_matter,
                    message=f"`leaders.{group}` must be a list",
                    span=span,
                )
            )
            continue
        for position, entry in enumerate(entries):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                problems.append(
                    Problem(
                        kind=ProblemKind.front_matter,
                        message=f"each of `leaders.{group}` needs a `name` and a `period`",
                        span=span,
                    )
                )
                continue
            period = str(entry.get("period", ""))
            start = end = None
            where = span
            lines = name_lines.get(group, [])
            line = lines[position] if position < len(lines) else None
            if line is not None:
                where = Span(line=line, end_line=line)
            try:
                start, end = parse_period(period, forms)
            except DateError as error:
                problems.append(
                    Problem(
                        kind=ProblemKind.leader_period,
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
