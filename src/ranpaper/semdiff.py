"""`ranpaper diff`: what changed between two versions of a paper, in the paper's own terms.

It compares models, not text. Items are matched by identity — a topic by its title, a meeting
by its title, a practice by its id, a lesson or gap by its words — so a reordered list or a
reflowed paragraph is no change. Reported: themes and topics added, removed, renamed or moved;
meetings, practices, lessons and gaps added, removed or changed (meetings and practices with
the fields that changed, a reworded lesson or gap with its text); sections emptied or filled
(their items listed with them, not again one by one); introductions of the paper, a theme or
a topic changed. Notes between a section's items are not compared. The findings of `check`
are compared apart: new ones and fixed ones.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from ranpaper.baseline import Key
from ranpaper.dates import DateRange, Precision
from ranpaper.model import (
    AnySection,
    Block,
    Gap,
    Inline,
    Lesson,
    LessonGroup,
    Meeting,
    Paper,
    Paragraph,
    Practice,
    Topic,
    content,
    plain,
)
from ranpaper.profiles import Profile


@dataclass(frozen=True)
class Change:
    action: str  # added, removed, renamed, moved, changed, emptied, filled
    kind: str  # theme, topic, meeting, practice, lesson, gap, section
    where: str  # the topic path it is in ("" for the paper)
    label: str  # what it is, in a few words
    details: list[str] = field(default_factory=list)  # "date 2016-02-24 → 2017-02-24"


@dataclass
class Report:
    changes: list[Change] = field(default_factory=list)
    new_findings: list[Key] = field(default_factory=list)
    fixed_findings: list[Key] = field(default_factory=list)

    def summary(self) -> str:
        """One line: "+2 practices, 1 date changed, 1 section emptied"."""
        counts: Counter[tuple[str, str, str]] = Counter()  # (sign, noun, verb)
        for change in self.changes:
            if change.action == "added":
                counts["+", change.kind, ""] += 1
            elif change.action == "removed":
                counts["−", change.kind, ""] += 1
            elif change.action == "changed" and change.kind == "meeting":
                for detail in change.details:
                    counts["", detail.split(" ", 1)[0], " changed"] += 1
            else:
                counts["", change.kind, f" {change.action}"] += 1
        parts = [
            f"{sign}{count} {noun if count == 1 else _plural(noun)}{verb}"
            for (sign, noun, verb), count in counts.items()
        ]
        if not parts:
            parts = ["no change to the paper's content"]
        if self.new_findings or self.fixed_findings:
            parts.append(
                f"findings: {len(self.new_findings)} new, {len(self.fixed_findings)} fixed"
            )
        return ", ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "summary": self.summary(),
            "changes": [asdict(change) for change in self.changes],
            "new_findings": [asdict(key) for key in self.new_findings],
            "fixed_findings": [asdict(key) for key in self.fixed_findings],
        }


def _plural(noun: str) -> str:
    return noun if noun.endswith("s") else noun + "s"


def words(inline: Inline) -> str:
    """Text as a reader sees it, whitespace collapsed: reflowing a paragraph keeps it."""
    return " ".join(plain(inline).split())


def show_date(date: DateRange | None, written: str | None) -> str:
    if date is None:
        return written or "none"
    width = {Precision.day: 10, Precision.month: 7, Precision.year: 4}[date.precision]
    start, end = date.start.isoformat()[:width], date.end.isoformat()[:width]
    return start if start == end else f"{start}/{end}"


# --- topics --------------------------------------------------------------------------------


def _topics(paper: Paper) -> dict[str, tuple[str, Topic]]:
    """Each topic by its title path (theme › … › topic), with its parent's path."""
    found: dict[str, tuple[str, Topic]] = {}

    def visit(topic: Topic, parent: str) -> None:
        path = f"{parent} › {words(topic.title)}"
        found.setdefault(path, (parent, topic))
        for sub in topic.topics:
            visit(sub, path)

    for theme in paper.themes:
        for topic in theme.topics:
            visit(topic, words(theme.title))
    return found


def _pair_by_title(old: dict[str, Topic], new: dict[str, Topic]) -> dict[str, str]:
    """Old path → new path for topics whose title path differs but which are one topic: the
    same title elsewhere (moved) or, under the same parent, a similar title (renamed)."""
    pairs: dict[str, str] = {}
    by_title: dict[str, list[str]] = {}
    for path in new:
        by_title.setdefault(path.rsplit(" › ", 1)[-1], []).append(path)
    for path in old:
        candidates = [
            p for p in by_title.get(path.rsplit(" › ", 1)[-1], []) if p not in pairs.values()
        ]
        if len(candidates) == 1:
            pairs[path] = candidates[0]
    for path in old:
        if path in pairs:
            continue
        parent, title = path.rsplit(" › ", 1)
        siblings = {
            p.rsplit(" › ", 1)[-1]: p
            for p in new
            if p not in pairs.values() and p.rsplit(" › ", 1)[0] == parent
        }
        # Renamed: the same content under a new title, or a title close to the old one.
        body = _body(old[path])
        same = [p for p in siblings.values() if _body(new[p]) == body]
        close = difflib.get_close_matches(title, list(siblings), 1, 0.6)
        if same:
            pairs[path] = same[0]
        elif close:
            pairs[path] = siblings[close[0]]
    return pairs


def _body(topic: Topic) -> object:
    return {name: value for name, value in dict(content(topic)).items() if name != "title"}  # type: ignore[call-overload]


# --- items ---------------------------------------------------------------------------------


def _meeting_key(meeting: Meeting) -> str:
    return " ".join((meeting.title or words(meeting.text)).split()).lower()


def _meeting_fields(meeting: Meeting) -> dict[str, str]:
    return {
        "date": show_date(meeting.date, meeting.date_text),
        "place": meeting.place or "none",
        "kind": meeting.kind.value if meeting.kind else "none",
        "organisers": ", ".join(meeting.organisers) or "none",
        "links": ", ".join(link.url for link in meeting.links) or "none",
        "author": meeting.author or "none",
        "forthcoming": "yes" if meeting.forthcoming else "no",
        "notes": "; ".join(meeting.notes) or "none",
    }


def _practice_fields(practice: Practice) -> dict[str, str]:
    return {
        "name": practice.name or "none",
        "organisation": practice.organisation or "none",
        "country": practice.country or "none",
        "url": practice.url or "none",
        "description": words(practice.description),
    }


def _flat(items: list[Lesson] | list[Gap]) -> Iterator[str]:
    for item in items:
        yield words(item.text)
        yield from _flat(item.children)


def _section_items(section: AnySection | None) -> dict[str, tuple[str, dict[str, str]]]:
    """A section's items by identity: (label, fields). A lesson or gap is its words; its one
    field is its text, for pairing a reworded one with what it was."""
    found: dict[str, tuple[str, dict[str, str]]] = {}

    def add(key: str, label: str, fields: dict[str, str]) -> None:
        # The same identity twice in one section (two meetings of one title): number them.
        unique, count = key, 1
        while unique in found:
            count += 1
            unique = f"{key} #{count}"
        found[unique] = (label, fields)

    if section is None:
        return found
    for item in section.items:
        if isinstance(item, Meeting):
            add(_meeting_key(item), item.title or words(item.text), _meeting_fields(item))
        elif isinstance(item, Practice):
            add(item.id, item.name or item.id, _practice_fields(item))
        elif isinstance(item, Gap):
            for text in _flat([item]):
                add(text, text, {"text": text})
        elif isinstance(item, LessonGroup):
            for text in _flat(item.lessons):
                add(text, text, {"text": text})
    return found


_KIND = {"meetings": "meeting", "practices": "practice", "lessons": "lesson", "gaps": "gap"}


def _short(text: str, size: int = 80) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _block_words(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(words(block.text))
        else:
            out.extend(_flat(block.items))  # type: ignore[arg-type]
    return out


def _prose(where: str, old: list[Block], new: list[Block]) -> Iterator[Change]:
    """The introductory prose of the paper, a theme or a topic: changed or not, in words."""
    before, after = _block_words(old), _block_words(new)
    if before == after:
        return
    gone = [text for text in before if text not in after]
    came = [text for text in after if text not in before]
    details = [f"− {_short(text)}" for text in gone] + [f"+ {_short(text)}" for text in came]
    yield Change("changed", "introduction", where, "introductory text", details or ["reordered"])


def _compare_topic(
    where: str, old: Topic | None, new: Topic | None, profile: Profile
) -> Iterator[Change]:
    """What changed in a topic; sections are named in the new paper's words (`profile`)."""
    if old is not None and new is not None:
        yield from _prose(where, old.intro, new.intro)
    for name, kind in _KIND.items():
        before = _section_items(getattr(old, name) if old else None)
        after = _section_items(getattr(new, name) if new else None)
        if old is not None and new is not None and bool(before) != bool(after):
            gone = before or after
            yield Change(
                "emptied" if before else "filled",
                "section",
                where,
                profile.label(name),
                [f"{'−' if before else '+'} {kind}: {_short(label)}" for label, _ in gone.values()],
            )
            continue
        if old is None or new is None:
            continue  # a topic added or removed is reported whole
        reworded = _reworded(before, after) if kind in ("lesson", "gap") else {}
        for key, (label, fields) in before.items():
            if key in reworded:
                new_text = after[reworded[key]][0]
                yield Change(
                    "changed",
                    kind,
                    where,
                    _short(new_text),
                    [f"text {_short(label, 60)} → {_short(new_text, 60)}"],
                )
                continue
            if key not in after:
                yield Change("removed", kind, where, _short(label))
                continue
            changed = [
                f"{field_name} {value} → {after[key][1][field_name]}"
                for field_name, value in fields.items()
                if after[key][1].get(field_name) != value
            ]
            if changed:
                yield Change("changed", kind, where, _short(label), changed)
        for key, (label, _fields) in after.items():
            if key not in before and key not in reworded.values():
                yield Change("added", kind, where, _short(label))


def _reworded(
    before: dict[str, tuple[str, dict[str, str]]], after: dict[str, tuple[str, dict[str, str]]]
) -> dict[str, str]:
    """Old key → new key for lessons or gaps only in one version whose words are close
    (three quarters of the words in common, in order): one item reworded, not one removed
    and another added."""
    gone = [key for key in before if key not in after]
    new = [key for key in after if key not in before]
    pairs: dict[str, str] = {}
    for key in gone:
        old_words = key.split()
        scored = [
            (difflib.SequenceMatcher(None, old_words, k.split(), autojunk=False).ratio(), k)
            for k in new
            if k not in pairs.values()
        ]
        best = max(scored, default=(0.0, ""))
        if best[0] >= 0.75:
            pairs[key] = best[1]
    return pairs


def compare(old: Paper, new: Paper) -> list[Change]:
    changes: list[Change] = []
    old_themes = {words(theme.title): theme for theme in old.themes}
    new_themes = {words(theme.title): theme for theme in new.themes}
    renamed_themes: dict[str, str] = {}
    for title, theme in old_themes.items():
        if title in new_themes:
            continue
        same_number = [
            t for t, n in new_themes.items() if n.number == theme.number and t not in old_themes
        ]
        if same_number:
            renamed_themes[title] = same_number[0]
            changes.append(
                Change(
                    "renamed", "theme", "", same_number[0], [f"title {title} → {same_number[0]}"]
                )
            )
        else:
            changes.append(Change("removed", "theme", "", title))
    for title in new_themes:
        if title not in old_themes and title not in renamed_themes.values():
            changes.append(Change("added", "theme", "", title))

    changes.extend(_prose(new.profile.introduction, old.introduction, new.introduction))
    for title, theme in old_themes.items():
        other = new_themes.get(renamed_themes.get(title, title))
        if other is not None:
            changes.extend(_prose(words(other.title), theme.intro, other.intro))

    before, after = _topics(old), _topics(new)
    for old_theme, new_theme in renamed_themes.items():
        before = {
            (new_theme + path[len(old_theme) :] if path.startswith(old_theme + " › ") else path): (
                new_theme + parent[len(old_theme) :] if parent.startswith(old_theme) else parent,
                topic,
            )
            for path, (parent, topic) in before.items()
        }
    only_old = {p: t for p, (_parent, t) in before.items() if p not in after}
    only_new = {p: t for p, (_parent, t) in after.items() if p not in before}
    pairs = _pair_by_title(only_old, only_new)
    for path, (_parent, topic) in before.items():
        if path in after:
            changes.extend(_compare_topic(path, topic, after[path][1], new.profile))
        elif path in pairs:
            target = pairs[path]
            old_parent, old_title = path.rsplit(" › ", 1)
            new_parent, new_title = target.rsplit(" › ", 1)
            if old_parent != new_parent:
                detail, action = f"from {old_parent} → {new_parent}", "moved"
            else:
                detail, action = f"title {old_title} → {new_title}", "renamed"
            changes.append(Change(action, "topic", new_parent, new_title, [detail]))
            changes.extend(_compare_topic(target, topic, after[target][1], new.profile))
        else:
            changes.append(Change("removed", "topic", path.rsplit(" › ", 1)[0], words(topic.title)))
    for path, (_parent, topic) in after.items():
        if path not in before and path not in pairs.values():
            changes.append(Change("added", "topic", path.rsplit(" › ", 1)[0], words(topic.title)))
    return changes


def diff_findings(old: list[Key], new: list[Key]) -> tuple[list[Key], list[Key]]:
    """(new findings, fixed findings), compared without their file path."""
    strip = lambda key: Key("", key.code, key.topic, key.message)  # noqa: E731
    before, after = Counter(map(strip, old)), Counter(map(strip, new))
    return sorted((after - before).elements()), sorted((before - after).elements())


# --- output ----------------------------------------------------------------------------------


def _line(change: Change) -> str:
    where = f" in {change.where}" if change.where else ""
    return f"{change.kind} {change.action}: {change.label}{where}"


def to_text(report: Report, name: str) -> str:
    out = [f"{name}: {report.summary()}"]
    for change in report.changes:
        out.append(f"  {_line(change)}")
        out.extend(f"      {detail}" for detail in change.details)
    for label, found in (("new", report.new_findings), ("fixed", report.fixed_findings)):
        for key in found:
            where = f" in {key.topic}" if key.topic else ""
            out.append(f"  finding {label}: {key.code} {key.message}{where}")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")


def to_markdown(report: Report, name: str, limit: int = 60) -> str:
    """For a pull-request comment: the summary, then at most `limit` detail lines."""
    out = [f"**{_md(name)}**: {_md(report.summary())}", ""]
    lines: list[str] = []
    for change in report.changes:
        lines.append(f"- {_md(_line(change))}")
        lines.extend(f"  - {_md(detail)}" for detail in change.details)
    for label, found in (("new", report.new_findings), ("fixed", report.fixed_findings)):
        for key in found:
            where = f" in {key.topic}" if key.topic else ""
            lines.append(f"- finding {label}: `{key.code}` {_md(key.message + where)}")
    if len(lines) > limit:
        lines = [*lines[:limit], f"- … and {len(lines) - limit} more (`ranpaper diff` shows all)"]
    return "\n".join(out + lines) + "\n"
