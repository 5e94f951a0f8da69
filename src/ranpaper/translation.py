"""`ranpaper translate`: a paper's segments as a gettext PO file for translators' CAT tools,
and a translated PO file written back as the translated paper (docs/translation.md).

Export: one PO entry per segment (`ranpaper.segments`): `msgctxt` is the segment's stable id,
the reference (`#:`) its source file and line, `msgid` its Markdown with inline markup,
footnote references, URLs and working-group abbreviations protected as placeholders —
`<g1>…</g1>` around a link's or an emphasis's text, `<x2/>` for an atom — so that a
translator moves them but cannot break them. The header names the original (relative to
the PO file) and the target profile.

Import: each entry's translation, its placeholders restored, replaces the original's segment;
headings, section labels, the empty marker, meeting dates, forthcoming and present words are
written in the target profile's words and forms; the front matter gets `language`,
`profile` and `translation-of`. An entry whose placeholders are not the original's (one
lost, added, doubled or closed before it opens) is refused, all such entries named at once,
and nothing is written. An entry without translation keeps the original's words (the
parity rule RP403 then reports it).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polib

from ranpaper.dates import write_range
from ranpaper.errors import RanpaperError
from ranpaper.lines import split_lines
from ranpaper.model import Meeting, Paper
from ranpaper.parse.frontmatter import split_front_matter
from ranpaper.profiles import Profile
from ranpaper.segments import Segment, segments

ORIGINAL = "X-Ranpaper-Original"
PROFILE = "X-Ranpaper-Profile"
TAG = re.compile(r"</?[gx]\d+/?>")

_HEADING = re.compile(r"^(#{1,6}[ \t]+)(.*)$")
_ITEM = re.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))")
_FOOTNOTE = re.compile(r"^(\[\^[^\]]+\]:[ \t]*)")


class TranslationError(RanpaperError):
    """A PO file that cannot be imported: names the file and the segments at fault."""


# --- placeholders ------------------------------------------------------------------------------


def _token_pattern(codes: frozenset[str]) -> re.Pattern[str]:
    groups = "|".join(re.escape(code) for code in sorted(codes, key=len, reverse=True))
    wg = rf"|(?P<wg>(?<![\w&])(?:{groups})(?![\w&]))" if groups else ""
    return re.compile(
        r"(?P<img>!\[[^\]]*\]\([^)]*\))"
        r"|(?P<fn>\[\^[^\]\s]+\])"
        r"|(?P<code>`+[^`]*`+)"
        r"|(?P<auto><(?:https?|mailto):[^>\s]*>)"
        r"|(?P<link>\[(?P<ltext>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
        r"\((?P<ltarget>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?)\))"
        r"|(?P<strong>\*\*(?P<stext>.+?)\*\*)"
        r"|(?P<em>(?<![\w*])\*(?P<etext>[^*\s](?:[^*]*[^*\s])?)\*(?![\w*]))"
        r"|(?P<url>https?://[^\s<>()]*[^\s<>().,;:!?])" + wg
    )


@dataclass
class Protected:
    """A segment's Markdown with its markup as placeholders, and what each stands for."""

    text: str
    tags: dict[str, str]


def protect(markdown: str, codes: frozenset[str]) -> Protected:
    """`[Gangs](https://x) in EXIT[^1]` → `<g1>Gangs</g1> in <x2/><x3/>`."""
    pattern = _token_pattern(codes)
    tags: dict[str, str] = {}
    counter = [0]

    def walk(text: str) -> str:
        out: list[str] = []
        position = 0
        for match in pattern.finditer(text):
            out.append(text[position : match.start()])
            position = match.end()
            counter[0] += 1
            number = counter[0]
            kind = match.lastgroup
            if kind in ("link", "strong", "em"):
                inner_group = {"link": "ltext", "strong": "stext", "em": "etext"}[kind]
                inner = match.group(inner_group)
                start, end = match.start(inner_group), match.end(inner_group)
                opening = match.group(0)[: start - match.start()]
                closing = match.group(0)[end - match.start() :]
                tags[f"<g{number}>"], tags[f"</g{number}>"] = opening, closing
                out.append(f"<g{number}>{walk(inner)}</g{number}>")
            else:
                tags[f"<x{number}/>"] = match.group(0)
                out.append(f"<x{number}/>")
        out.append(text[position:])
        return "".join(out)

    return Protected(walk(markdown), tags)


def broken(source: str, translated: str) -> str | None:
    """Why `translated`'s placeholders are not `source`'s, or None when they are."""
    wanted, found = TAG.findall(source), TAG.findall(translated)
    if Counter(wanted) != Counter(found):
        lost = sorted((Counter(wanted) - Counter(found)).elements())
        added = sorted((Counter(found) - Counter(wanted)).elements())
        parts = [
            f"lost {' '.join(lost)}" if lost else "",
            f"added {' '.join(added)}" if added else "",
        ]
        return "; ".join(part for part in parts if part)
    stack: list[str] = []
    for tag in found:
        if tag.startswith("</"):
            if not stack or stack[-1] != tag.replace("/", "", 1):
                return f"{tag} closes before its opening tag"
            stack.pop()
        elif not tag.endswith("/>"):
            stack.append(tag)
    return None


def restore(text: str, tags: dict[str, str]) -> str:
    return TAG.sub(lambda match: tags.get(match.group(0), match.group(0)), text)


# --- a segment's Markdown ---------------------------------------------------------------------


def _end(segment: Segment, lines: list[str]) -> int:
    """The segment's last line with text (a list item's span may end on a blank line)."""
    end = segment.end_line
    while end > segment.line and not lines[end - 1].strip():
        end -= 1
    return end


def _source(segment: Segment, lines: list[str], profile: Profile) -> tuple[str, str]:
    """(prefix kept before the words, the words' Markdown) of a segment, from its lines."""
    first = lines[segment.line - 1]
    prefix = ""
    heading = _HEADING.match(first)
    if segment.heading and heading:
        prefix, rest = heading.group(1), heading.group(2).rstrip()
        rest = re.sub(r"[ \t]+#+[ \t]*$", "", rest)  # a closing sequence of #s
        theme = profile.theme_pattern.match(rest)
        if theme and "/" in segment.id and "." not in segment.id.partition("/")[0]:
            prefix += rest[: theme.start(2)]
            rest = rest[theme.start(2) :]
        return prefix, rest
    for pattern in (_ITEM, _FOOTNOTE):
        match = pattern.match(first)
        if match:
            prefix = match.group(1)
            break
    if not prefix:
        prefix = first[: len(first) - len(first.lstrip())]
    body = [first[len(prefix) :]]
    body += [line.strip() for line in lines[segment.line : _end(segment, lines)]]
    return prefix, "\n".join(part for part in body).strip()


def _title_line(lines: list[str]) -> int | None:
    fence = split_front_matter(lines)
    if fence is None or fence[1] < 0:
        return None
    for index in range(fence[0] + 1, fence[1]):
        if re.match(r"title\s*:", lines[index]):
            return index + 1
    return None


# --- export -----------------------------------------------------------------------------------


def export(
    paper: Paper, text: str, original: Path, output: Path, language: str, profile: str
) -> polib.POFile:
    """The PO file of `paper` (read from `text` at `original`) for translation into
    `language` with the profile `profile` (a shipped name or a .toml path), to be written at
    `output` (the header names the original relative to it)."""
    lines = split_lines(text)
    codes = paper.profile.working_groups
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": paper.metadata.title or original.name,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "ranpaper translate",
        ORIGINAL: os.path.relpath(original.resolve(), output.resolve().parent),
        PROFILE: profile,
    }
    reference = os.path.relpath(original.resolve(), output.resolve().parent)
    for segment in segments(paper):
        if segment.id == "title":
            line = _title_line(lines) or segment.line
            words = protect(segment.text, codes)
        else:
            line = segment.line
            words = protect(_source(segment, lines, paper.profile)[1], codes)
        placeholders = ", ".join(
            f"{tag}…{tag.replace('<', '</')} = {value}…{words.tags[tag.replace('<', '</')]}"
            if tag.startswith("<g")
            else f"{tag} = {value}"
            for tag, value in words.tags.items()
            if not tag.startswith("</")
        )
        comment = f"{segment.kind}" + (
            f"; keep the placeholders: {placeholders}" if placeholders else ""
        )
        po.append(
            polib.POEntry(
                msgctxt=segment.id,
                msgid=words.text,
                msgstr="",
                occurrences=[(reference, str(line))],
                comment=comment,
            )
        )
    return po


# --- import -----------------------------------------------------------------------------------


@dataclass
class Imported:
    """The translated paper's text, where it goes, and how many segments were translated."""

    text: str
    translated: int
    untranslated: list[str]


def read_po(text: str, name: str) -> polib.POFile:
    try:
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError, UnicodeError) as error:
        raise TranslationError(f"not a PO file: {error}", name) from None


def import_po(
    po: polib.POFile,
    po_name: str,
    paper: Paper,
    text: str,
    target: Profile,
    output: Path,
    original: Path,
    profile_value: str,
) -> Imported:
    """The translated paper: `paper` (read from `text` at `original`) with `po`'s
    translations, written in `target`'s words and forms, to live at `output`. Raises
    `TranslationError` naming every segment whose placeholders a translation broke."""
    lines = split_lines(text)
    codes = paper.profile.working_groups
    by_id = {segment.id: segment for segment in segments(paper)}
    entries = {entry.msgctxt: entry for entry in po if entry.msgctxt and not entry.obsolete}
    faults: list[str] = []
    for key, entry in entries.items():
        segment = by_id.get(key)
        if segment is None:
            faults.append(f"{key}: not a segment of the original (exported from another version?)")
            continue
        words = segment.text if key == "title" else _source(segment, lines, paper.profile)[1]
        if protect(words, codes).text != entry.msgid:
            faults.append(f"{key}: the original's text changed since the export")
            continue
        if entry.msgstr:
            why = broken(entry.msgid, entry.msgstr)
            if why is not None:
                faults.append(f"{key}: placeholders broken ({why})")
    if faults:
        raise TranslationError(
            f"{len(faults)} segment(s) refused, nothing written: " + "; ".join(faults), po_name
        )
    replaced: dict[int, tuple[int, str]] = {}  # first line → (last line, new line)
    untranslated = []
    translated = 0
    for segment in by_id.values():
        entry = entries.get(segment.id)
        if entry is None or not entry.msgstr:
            untranslated.append(segment.id)
        else:
            translated += 1
        if segment.id == "title":
            continue
        prefix, words = _source(segment, lines, paper.profile)
        protected = protect(words, codes)
        new = restore(entry.msgstr, protected.tags) if entry and entry.msgstr else words
        if segment.heading and "." not in segment.id.partition("/")[0]:
            number = int(segment.id.partition("/")[0])
            hashes = _HEADING.match(prefix)
            prefix = (hashes.group(1) if hashes else "# ") + target.theme_prefix(number) + " "
        replaced[segment.line] = (_end(segment, lines), prefix + " ".join(new.split("\n")).strip())
    _headings(paper, lines, target, replaced)
    _meetings(paper, lines, target, replaced)
    out: list[str] = []
    number = 1
    while number <= len(lines):
        if number in replaced:
            last, line = replaced[number]
            out.append(line)
            number = last + 1
        else:
            out.append(lines[number - 1])
            number += 1
    title = entries.get("title")
    front = {
        "language": target.language,
        "profile": profile_value,
        "translation-of": os.path.relpath(original.resolve(), output.resolve().parent),
    }
    if title is not None and title.msgstr:
        front["title"] = title.msgstr
    body = "\n".join(_front_matter(out, front, paper, target))
    return Imported(body if body.endswith("\n") else body + "\n", translated, untranslated)


def _line(replaced: dict[int, tuple[int, str]], number: int, lines: list[str]) -> str:
    return replaced[number][1] if number in replaced else lines[number - 1]


def _headings(
    paper: Paper, lines: list[str], target: Profile, replaced: dict[int, tuple[int, str]]
) -> None:
    """The introduction's heading, the section headings and the empty markers in `target`'s
    words."""
    source = paper.profile
    for number, line in enumerate(lines, 1):
        heading = _HEADING.match(line)
        if heading and " ".join(heading.group(2).split()).lower() == source.introduction.lower():
            replaced[number] = (number, heading.group(1) + target.introduction)
            break
    for _theme, topic in paper.topics():
        for section in topic.sections:
            heading = _HEADING.match(lines[section.span.line - 1])
            if heading:
                label = heading.group(1) + target.label(section.kind)
                replaced[section.span.line] = (section.span.line, label)
            if section.marked_empty is not None:
                at = section.marked_empty.line
                written = lines[at - 1]
                indent = written[: len(written) - len(written.lstrip())]
                replaced[at] = (at, indent + target.empty)


def _meetings(
    paper: Paper, lines: list[str], target: Profile, replaced: dict[int, tuple[int, str]]
) -> None:
    """Each meeting's date in `target`'s forms, its forthcoming words in `target`'s."""
    source_words = sorted(paper.profile.date_forms.forthcoming, key=len, reverse=True)
    for _topic, meeting in paper.meetings():
        span = meeting.date_span
        if span is None or meeting.date_text is None:
            continue
        line = _line(replaced, span.line, lines)
        start, end = span.column - 1, span.end_column - 1
        if line[start:end] != meeting.date_text:
            continue
        written = _date(meeting, target)
        before = line[:start]
        if meeting.forthcoming:
            for phrase in source_words:
                found = re.search(rf"{re.escape(phrase)}\s+$", before, re.IGNORECASE)
                if found:
                    before = before[: found.start()] + target.date_forms.forthcoming[0] + " "
                    break
        replaced[span.line] = (span.line, before + written + line[end:])


def _date(meeting: Meeting, target: Profile) -> str:
    if meeting.date is None or meeting.forthcoming:
        return meeting.date_text or ""
    return write_range(meeting.date, target.date_forms)


def _front_matter(
    lines: list[str], values: dict[str, str], paper: Paper, target: Profile
) -> list[str]:
    fence = split_front_matter(lines)
    if fence is None or fence[1] < 0:
        return lines
    first, last = fence
    head = lines[first + 1 : last]
    present = {word.lower() for word in paper.profile.date_forms.present}

    def period(match: re.Match[str]) -> str:
        word = match.group(2)
        return match.group(1) + (target.date_forms.present[0] if word.lower() in present else word)

    head = [
        re.sub(r"^(\s*-?\s*period:\s*\d{4}\s*[-–—]\s*)(\S+?)\s*$", period, line) for line in head
    ]
    for key, value in values.items():
        plain = re.fullmatch(r"[\w][\w ./-]*", value) and not re.fullmatch(
            r"(?i)(?:y|n|yes|no|on|off|true|false|null|~|[\d.]+)", value
        )
        # A value YAML would read otherwise is written as JSON's string, which YAML reads.
        written = f"{key}: {value if plain else json.dumps(value, ensure_ascii=False)}"
        named = re.compile(rf"{re.escape(key)}\s*:")
        found = next((index for index, line in enumerate(head) if named.match(line)), None)
        if found is None:
            head.append(written)
        else:
            head[found] = written
    return [*lines[: first + 1], *head, *lines[last:]]
