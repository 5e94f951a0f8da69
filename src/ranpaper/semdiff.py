"""`ranpaper diff`: what changed between two versions of a paper, in the paper's own terms.

It compares models, not text, and pairs what it can before it calls anything added or removed
(docs/diff.md). A topic is the topic of the same title path; else of the same title elsewhere
(moved); else the unpaired topic whose items are mostly the same (renamed, moved, or both; the
changes inside it are listed under it: "renamed, and changed"). A meeting is the meeting of
the same title, a practice the practice of the same id, a lesson or gap the one of the same
words, a footnote the one of the same label; else the unpaired one of the most similar words
(a changed meeting, practice or footnote, a reworded lesson or gap). So a reordered list or a
reflowed paragraph is no change. Reported: themes and topics added, removed, renamed or moved;
items added, removed or changed (with the fields that changed); sections emptied or filled
(their items listed with them, not again one by one); introductions and footnotes changed. A
change of words shows the words that changed, with a few words around them, never a cut that
hides them. Notes between a section's items are not compared. The findings of `check` are
compared apart, by the identity `ranpaper.baseline` gives them: new ones and fixed ones.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace

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
    kind: str  # theme, topic, meeting, practice, lesson, gap, section, footnote, introduction
    where: str  # the topic path it is in ("" for the paper)
    label: str  # what it is, in a few words
    details: list[str] = field(default_factory=list)  # "date 2016-02-24 → 2017-02-24"
    old_line: int | None = None  # where it stood in the old version (None: it did not)
    new_line: int | None = None  # where it stands in the new version (None: it does not)
    changes: list[Change] = field(default_factory=list)  # inside a renamed or moved topic

    def walk(self) -> Iterator[Change]:
        yield self
        for inner in self.changes:
            yield from inner.walk()


@dataclass
class Report:
    changes: list[Change] = field(default_factory=list)
    new_findings: list[Key] = field(default_factory=list)
    fixed_findings: list[Key] = field(default_factory=list)
    old_path: str = ""
    new_path: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.changes or self.new_findings or self.fixed_findings)

    def summary(self) -> str:
        """One line: "+2 practices, 1 date changed, 1 section emptied"."""
        counts: Counter[tuple[str, str, str]] = Counter()  # (sign, noun, verb)
        for change in (inner for top in self.changes for inner in top.walk()):
            if change.action == "added":
                counts["+", change.kind, ""] += 1
            elif change.action == "removed":
                counts["−", change.kind, ""] += 1
            elif change.action == "changed" and change.kind == "meeting":
                for detail in change.details:
                    counts["", detail.split(" ", 1)[0].rstrip(":"), " changed"] += 1
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
            "old_path": self.old_path,
            "new_path": self.new_path,
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


def changed_words(old: str, new: str, context: int = 4) -> str:
    """The words that changed, each change in brackets (`[old → new]`, `[− gone]`,
    `[+ added]`) with up to `context` words around it; the rest is "…". Nothing that changed
    is ever cut."""
    a, b = old.split(), new.split()
    out: list[str] = []
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            same = a[i1:i2]
            head = same[:context] if index > 0 else []
            tail = same[-context:] if index < len(ops) - 1 else []
            if len(same) <= len(head) + len(tail):
                out.extend(same)
            else:
                out.extend([*head, "…", *tail])
        elif tag == "delete":
            out.append(f"[− {' '.join(a[i1:i2])}]")
        elif tag == "insert":
            out.append(f"[+ {' '.join(b[j1:j2])}]")
        else:
            out.append(f"[{' '.join(a[i1:i2])} → {' '.join(b[j1:j2])}]")
    return " ".join(out)


def _detail(name: str, old: str, new: str) -> str:
    """`name old → new`, or for long values the words that changed."""
    if len(old) <= 40 and len(new) <= 40:
        return f"{name} {old} → {new}"
    return f"{name}: {changed_words(old, new)}"


def _similarity(old: str, new: str) -> float:
    """How alike two texts are, word by word in order (0 to 1)."""
    return difflib.SequenceMatcher(None, old.lower().split(), new.lower().split()).ratio()


_Entry = tuple[str, dict[str, str], int, str]  # label, fields, line, words to compare by
# The most candidate pairs compared by likeness in one section or among the topics; beyond it
# the unpaired ones are reported as they are (added, removed), so a diff stays fast.
MAX_PAIRS = 250_000


def _pair_similar(
    before: dict[str, _Entry], after: dict[str, _Entry], cutoff: float
) -> dict[str, str]:
    """Old key → new key for items only in one version whose words are alike (`cutoff`), the
    most alike first: one item edited, not one removed and another added."""
    gone = [key for key in before if key not in after]
    came = [key for key in after if key not in before]
    if len(gone) * len(came) > MAX_PAIRS:
        return {}  # bounded: so many unpaired items are reported added and removed
    scored = sorted(
        (
            (_similarity(before[old][3], after[new][3]), index, old, new)
            for index, old in enumerate(gone)
            for new in came
        ),
        key=lambda item: (-item[0], item[1]),
    )
    pairs: dict[str, str] = {}
    for score, _index, old, new in scored:
        if score >= cutoff and old not in pairs and new not in pairs.values():
            pairs[old] = new
    return pairs


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


def _identities(topic: Topic) -> set[str]:
    """What a topic holds, by identity: its items' keys and its introduction's words."""
    found = {f"intro:{text}" for text in _block_words(topic.intro)}
    for name in _KIND:
        found.update(f"{name}:{key}" for key in _section_items(getattr(topic, name)))
    return found


def _pair_topics(old: dict[str, Topic], new: dict[str, Topic]) -> dict[str, str]:
    """Old path → new path for topics whose title path differs but which are one topic: the
    same title elsewhere (moved); else, as git pairs a renamed file by its content, the
    topic that holds most of the same items (at least half of the larger), the title's
    likeness deciding between equals."""
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
    if len(old) * len(new) > MAX_PAIRS:
        return pairs
    held = {path: _identities(topic) for path, topic in {**old, **new}.items()}
    scored = []
    for path in old:
        if path in pairs:
            continue
        for other in new:
            if other in pairs.values():
                continue
            a, b = held[path], held[other]
            shared = len(a & b) / max(len(a), len(b), 1)
            title = _similarity(path.rsplit(" › ", 1)[-1], other.rsplit(" › ", 1)[-1])
            same_body = _body(old[path]) == _body(new[other])
            if same_body or shared >= 0.5 or (title >= 0.6 and not a and not b):
                scored.append((same_body, shared, title, path, other))
    for _same, _shared, _title, path, other in sorted(scored, reverse=True):
        if path not in pairs and other not in pairs.values():
            pairs[path] = other
    return pairs


def _body(topic: Topic) -> object:
    return {name: value for name, value in dict(content(topic)).items() if name != "title"}  # type: ignore[call-overload]


# --- items ---------------------------------------------------------------------------------


def _meeting_key(meeting: Meeting) -> str:
    return " ".join((meeting.title_text or words(meeting.text)).split()).lower()


def _meeting_fields(meeting: Meeting) -> dict[str, str]:
    return {
        "title": meeting.title_text or "none",
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


def _flat(items: list[Lesson] | list[Gap]) -> Iterator[tuple[str, int]]:
    for item in items:
        yield words(item.text), item.span.line
        yield from _flat(item.children)


def _section_items(section: AnySection | None) -> dict[str, _Entry]:
    """A section's items by identity: (label, fields, line, words). A lesson or gap is its
    words; its one field is its text."""
    found: dict[str, _Entry] = {}

    def add(key: str, label: str, fields: dict[str, str], line: int, text: str) -> None:
        # The same identity twice in one section (two meetings of one title): number them.
        unique, count = key, 1
        while unique in found:
            count += 1
            unique = f"{key} #{count}"
        found[unique] = (label, fields, line, text)

    if section is None:
        return found
    for item in section.items:
        if isinstance(item, Meeting):
            text = words(item.text)
            add(
                _meeting_key(item),
                item.title_text or text,
                _meeting_fields(item),
                item.span.line,
                text,
            )
        elif isinstance(item, Practice):
            fields = _practice_fields(item)
            text = f"{fields['name']} {fields['description']}"
            add(item.id, item.name or item.id, fields, item.span.line, text)
        elif isinstance(item, Gap):
            for text, line in _flat([item]):
                add(text, text, {"text": text}, line, text)
        elif isinstance(item, LessonGroup):
            for text, line in _flat(item.lessons):
                add(text, text, {"text": text}, line, text)
    return found


_KIND = {"meetings": "meeting", "practices": "practice", "lessons": "lesson", "gaps": "gap"}
# How alike the words of two items must be to be one item edited (0 to 1).
_CUTOFF = {"meeting": 0.6, "practice": 0.6, "lesson": 0.75, "gap": 0.75, "footnote": 0.6}


def _short(text: str, size: int = 80) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _block_words(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(words(block.text))
        else:
            out.extend(text for text, _line in _flat(block.items))  # type: ignore[arg-type]
    return out


def _as_entries(texts: list[str]) -> dict[str, _Entry]:
    return {text: (text, {}, 0, text) for text in texts}


def _prose(where: str, old: list[Block], new: list[Block]) -> Iterator[Change]:
    """The introductory prose of the paper, a theme or a topic: changed or not, in words; a
    paragraph edited shows the words that changed."""
    before, after = _block_words(old), _block_words(new)
    if before == after:
        return
    pairs = _pair_similar(_as_entries(before), _as_entries(after), 0.5)
    gone = [text for text in before if text not in after and text not in pairs]
    came = [text for text in after if text not in before and text not in pairs.values()]
    details = [f"~ {changed_words(old_text, new_text)}" for old_text, new_text in pairs.items()]
    details += [f"− {_short(text)}" for text in gone] + [f"+ {_short(text)}" for text in came]
    yield Change("changed", "introduction", where, "introductory text", details or ["reordered"])


def _compare_topic(
    where: str, old: Topic | None, new: Topic | None, profile: Profile
) -> Iterator[Change]:
    """What changed in a topic; sections are named in the new paper's words (`profile`)."""
    if old is not None and new is not None:
        yield from _prose(where, old.intro, new.intro)
    for name, kind in _KIND.items():
        old_section, new_section = getattr(old, name, None), getattr(new, name, None)
        before, after = _section_items(old_section), _section_items(new_section)
        if old is not None and new is not None and bool(before) != bool(after):
            gone = before or after
            yield Change(
                "emptied" if before else "filled",
                "section",
                where,
                profile.label(name),
                [f"{'−' if before else '+'} {kind}: {_short(entry[0])}" for entry in gone.values()],
                old_section.span.line if old_section else None,
                new_section.span.line if new_section else None,
            )
            continue
        if old is None or new is None:
            continue  # a topic added or removed is reported whole
        paired = _pair_similar(before, after, _CUTOFF[kind])
        for key, (label, fields, line, _text) in before.items():
            other = after.get(paired.get(key, key))
            if other is None:
                yield Change("removed", kind, where, _short(label), old_line=line)
                continue
            changed = [
                _detail(field_name, value, other[1].get(field_name, "none"))
                for field_name, value in fields.items()
                if other[1].get(field_name, "none") != value
            ]
            if changed:
                yield Change("changed", kind, where, _short(other[0]), changed, line, other[2])
        for key, (label, _fields, line, _text) in after.items():
            if key not in before and key not in paired.values():
                yield Change("added", kind, where, _short(label), new_line=line)


def _footnotes(old: Paper, new: Paper) -> Iterator[Change]:
    """Footnotes by label; a renumbered one by its words."""

    def entries(paper: Paper) -> dict[str, _Entry]:
        return {
            f.label: (f"[^{f.label}]", {"text": words(f.text)}, f.span.line, words(f.text))
            for f in paper.footnotes
        }

    before, after = entries(old), entries(new)
    paired = _pair_similar(before, after, _CUTOFF["footnote"])
    for label, (name, _fields, line, text) in before.items():
        other = after.get(paired.get(label, label))
        if other is None:
            yield Change("removed", "footnote", "", name, [f"− {_short(text)}"], old_line=line)
            continue
        changed = [f"label {name} → {other[0]}"] * (other[0] != name)
        if other[3] != text:
            changed.append(f"text: {changed_words(text, other[3])}")
        if changed:
            yield Change("changed", "footnote", "", other[0], changed, line, other[2])
    for label, (name, _fields, line, text) in after.items():
        if label not in before and label not in paired.values():
            yield Change("added", "footnote", "", name, [f"+ {_short(text)}"], new_line=line)


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
                    "renamed",
                    "theme",
                    "",
                    same_number[0],
                    [f"title {title} → {same_number[0]}"],
                    theme.span.line,
                    new_themes[same_number[0]].span.line,
                )
            )
        else:
            changes.append(Change("removed", "theme", "", title, old_line=theme.span.line))
    for title, theme in new_themes.items():
        if title not in old_themes and title not in renamed_themes.values():
            changes.append(Change("added", "theme", "", title, new_line=theme.span.line))

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
    pairs = _pair_topics(only_old, only_new)
    for path, (_parent, topic) in before.items():
        if path in after:
            changes.extend(_compare_topic(path, topic, after[path][1], new.profile))
        elif path in pairs:
            target = pairs[path]
            new_topic = after[target][1]
            old_parent, old_title = path.rsplit(" › ", 1)
            new_parent, new_title = target.rsplit(" › ", 1)
            # Under a parent that was renamed or moved, a topic only follows it.
            old_parent = pairs.get(old_parent, old_parent)
            if old_parent == new_parent and old_title == new_title:
                changes.extend(_compare_topic(target, topic, new_topic, new.profile))
                continue
            details = []
            if old_parent != new_parent:
                details.append(f"from {old_parent} → {new_parent}")
            if old_title != new_title:
                details.append(f"title {old_title} → {new_title}")
            action = "moved" if old_parent != new_parent else "renamed"
            inner = list(_compare_topic(target, topic, new_topic, new.profile))
            changes.append(
                Change(
                    action,
                    "topic",
                    new_parent,
                    new_title,
                    details,
                    topic.span.line,
                    new_topic.span.line,
                    inner,
                )
            )
        else:
            changes.append(
                Change(
                    "removed",
                    "topic",
                    path.rsplit(" › ", 1)[0],
                    words(topic.title),
                    old_line=topic.span.line,
                )
            )
    for path, (_parent, topic) in after.items():
        if path not in before and path not in pairs.values():
            changes.append(
                Change(
                    "added",
                    "topic",
                    path.rsplit(" › ", 1)[0],
                    words(topic.title),
                    new_line=topic.span.line,
                )
            )
    changes.extend(_footnotes(old, new))
    return changes


def diff_findings(
    old: list[Key], new: list[Key], old_path: str = "", new_path: str = ""
) -> tuple[list[Key], list[Key]]:
    """(new findings, fixed findings), matched by identity without the file path (which
    may differ between the versions), each kept with its own line and topic, and named by
    the path of its version."""
    unmatched: dict[Key, list[Key]] = {}
    for key in old:
        unmatched.setdefault(replace(key, path=""), []).append(key)
    added: list[Key] = []
    for key in new:
        waiting = unmatched.get(replace(key, path=""))
        if waiting:
            waiting.pop(0)
        else:
            added.append(replace(key, path=new_path or key.path))
    fixed = [replace(key, path=old_path or key.path) for keys in unmatched.values() for key in keys]
    order = lambda key: (key.line, key.code, key.message)  # noqa: E731
    return sorted(added, key=order), sorted(fixed, key=order)


# --- output ----------------------------------------------------------------------------------


def _line(change: Change) -> str:
    where = f" in {change.where}" if change.where else ""
    action = f"{change.action}, and changed" if change.changes else change.action
    return f"{change.kind} {action}: {change.label}{where}"


def _lines(change: Change, depth: int = 0) -> Iterator[tuple[int, str, bool]]:
    """(depth, text, is_detail) for a change, its details and the changes inside it."""
    yield depth, _line(change), False
    for detail in change.details:
        yield depth + 1, detail, True
    for inner in change.changes:
        yield from _lines(inner, depth + 1)


def _finding(key: Key) -> str:
    where = f" in {key.topic}" if key.topic else ""
    place = f"{key.path}:{key.line}: " if key.line else ""
    return f"{place}{key.code} {key.text or key.message}{where}"


def to_text(report: Report, name: str) -> str:
    out = [f"{name}: {report.summary()}"]
    for change in report.changes:
        for depth, text, detail in _lines(change):
            out.append(f"{'  ' * (depth + 1)}{'    ' if detail else ''}{text}")
    for label, found in (("new", report.new_findings), ("fixed", report.fixed_findings)):
        for key in found:
            out.append(f"  finding {label}: {_finding(key)}")
    return "\n".join(out) + "\n"


# In a pull-request comment a bare address is made a link and `@name` notifies someone: paper
# text is neither. Addresses are put in code spans; `@` is followed by a word joiner (U+2060).
_ADDRESS = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s\[\]()<>`]+", re.IGNORECASE)
_SPECIAL = re.compile(r"([\\`*_\[\]#|~>!])")


def _md(text: str) -> str:
    out: list[str] = []
    position = 0
    for found in _ADDRESS.finditer(text):
        out.append(_md_words(text[position : found.start()]))
        address = found.group().replace("`", "%60")
        out.append(f"`{address}`")
        position = found.end()
    out.append(_md_words(text[position:]))
    return "".join(out)


def _md_words(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", text).replace("&", "&amp;").replace("<", "&lt;")
    return text.replace("@", "@\u2060")


def to_markdown(report: Report, name: str, limit: int = 60) -> str:
    """For a pull-request comment: the summary, then at most `limit` detail lines."""
    out = [f"**{_md(name)}**: {_md(report.summary())}", ""]
    lines: list[str] = []
    for change in report.changes:
        lines.extend(f"{'  ' * depth}- {_md(text)}" for depth, text, _detail in _lines(change))
    for label, found in (("new", report.new_findings), ("fixed", report.fixed_findings)):
        for key in found:
            where = f" in {key.topic}" if key.topic else ""
            place = f" ({key.path}:{key.line})" if key.line else ""
            message = key.text or key.message
            lines.append(f"- finding {label}: `{key.code}` {_md(message + where + place)}")
    if len(lines) > limit:
        lines = [*lines[:limit], f"- … and {len(lines) - limit} more (`ranpaper diff` shows all)"]
    return "\n".join(out + lines) + "\n"
