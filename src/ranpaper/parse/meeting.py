"""Read the parts of a *Meetings and papers* line.

A line is written `ORGANISER KIND: title, place, date (notes)`, where only the title is
required and every other part may be missing, e.g.

    DERAD WG Meeting: Kick-off meeting, Stockholm, 04-05 June 2012
    Webinar on Rehabilitation ([Part 1](#), [Part 2](#)), 30 June 2020
    Paper: Julian Junk, Quality Management of …, to be published 2022
    EXIT: Mental health problems & exit work, 8 December 2015 (no ex-post)

The line is read from its end, which is the most regular part: trailing parentheses (notes
or extra links), then the date, then the place, then the organiser prefix up to the first
colon. Links are atoms: a comma inside a link's text does not split the line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ranpaper.dates import (
    DATE_LIKE,
    ENGLISH_FORMS,
    MONTH_DAY,
    DateError,
    DateForms,
    Months,
    names_a_month,
    parse_date,
)
from ranpaper.model import (
    Emphasis,
    Inline,
    Link,
    ListItem,
    Meeting,
    MeetingKind,
    Problem,
    ProblemKind,
    RawHtml,
    Span,
    Strong,
    Text,
    plain,
)
from ranpaper.profiles import default_profile

# The abbreviations read as a meeting's organiser: the default profile's
# (`profiles/default.toml`; docs/authoring.md lists them and a test holds the list there to
# this one). A paper's profile names others; its own are added with `extra-working-groups`.
DEFAULT_WORKING_GROUPS = default_profile().working_groups

# Abbreviations written in a head that name no organiser: the kind (`WG Meeting`), the network,
# the audience (`MS Workshops`: member states) or the field (`P/CVE`).
NOT_ORGANISERS = frozenset({"WG", "RAN", "MS", "EU", "CVE", "P/CVE"})
_ABBREVIATION = re.compile(r"^[A-Z][A-Z0-9&]*[A-Z0-9]$")

# Possessive (`*+`): a word cannot be split into two names, so a long one is read once, not
# tried at every split (a place of 80 KB took 26 s).
_PLACE_NAME = r"[A-ZÀ-Þ][\w'’.\-]*+(?: (?:am |an |de |del |on |upon )?[A-ZÀ-Þ][\w'’.\-]*+)?"
_PLACE = re.compile(rf"^(?:online|{_PLACE_NAME}(?:\s*(?:&|and|/)\s*{_PLACE_NAME})?)$")
_PERSON = re.compile(r"^[A-ZÀ-Ý][\w'’.\-]++(?: [A-ZÀ-Ý][\w'’.\-]*+){1,3}$")


def _forthcoming(words: tuple[str, ...]) -> re.Pattern[str]:
    """The profile's words for a work not out yet (`to be published 2022`, `erscheint
    2023`), longest first, then the year."""
    alternatives = "|".join(
        r"\s+".join(re.escape(part) for part in phrase.split())
        for phrase in sorted(words, key=len, reverse=True)
    )
    return re.compile(rf"^(?:{alternatives})\s+(.+)$", re.IGNORECASE)


# The default profile's kind phrases (`[meetings] kinds`, first match wins) and the words that
# name a linked title's kind (`EXIT: Academy [Setting up …](#)`); a paper's profile says others.
Kinds = tuple[tuple[str, MeetingKind], ...]
_KINDS: Kinds = tuple(
    (phrase, MeetingKind(kind)) for phrase, kind in default_profile().meeting_kinds
)
_KIND_PREFIXES = default_profile().kind_prefixes

Piece = str | Link


@dataclass
class MeetingParts:
    organisers: list[str] = field(default_factory=list)
    unknown_organisers: list[str] = field(default_factory=list)
    kind: MeetingKind | None = None
    title: Inline = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    author: str | None = None
    place: str | None = None
    date_text: str | None = None
    forthcoming: bool = False
    notes: list[str] = field(default_factory=list)


def read_meeting(
    text: Inline,
    working_groups: frozenset[str] = DEFAULT_WORKING_GROUPS,
    kinds: Kinds = _KINDS,
    kind_prefixes: frozenset[str] = _KIND_PREFIXES,
    forms: DateForms = ENGLISH_FORMS,
) -> MeetingParts:
    """The parts of a meeting line; `kinds` and `kind_prefixes` are the profile's words for
    what a line is (`[meetings]`), `forms` its dates' (`[dates]`)."""

    def _kind(text: str) -> MeetingKind | None:
        return _kind_of(text, kinds)

    parts = MeetingParts()
    pieces = _flatten(text)
    pieces = _strip_tail(pieces)
    pieces = _take_trailing_parentheses(pieces, parts)
    segments = _split(pieces)
    if not _take_date(segments, parts, forms) and segments and isinstance(segments[-1][-1], Link):
        # Everything, place and date included, was put inside one link's text.
        link = segments[-1][-1]
        inner = _split(_strip_tail([link.text]))
        if len(inner) > 1 and _take_date(inner, parts, forms):
            parts.links.append(link)
            segments = [*segments[:-1], [*segments[-1][:-1], *inner[0]], *inner[1:]]
    if len(segments) >= 2 and _is_place(segments[-1]):
        parts.place = _plain(segments.pop()).strip()
    head = _take_head(segments, kinds)
    if head is not None:
        parts.organisers, parts.unknown_organisers = _organisers(head, working_groups)
        parts.kind = _kind(head)
        parts.notes.extend(_partner_notes(head))
        if parts.kind is MeetingKind.paper and len(segments) >= 2:
            first = _plain(segments[0]).strip()
            if not _has_link(segments[0]) and _PERSON.match(first):
                parts.author = first
                segments.pop(0)
    title_pieces = _join(segments)
    if (
        len(title_pieces) >= 2
        and isinstance(title_pieces[0], str)
        and isinstance(title_pieces[1], Link)
        and title_pieces[0].strip().lower() in kind_prefixes
    ):
        # `Academy [Setting up an exit intervention](#)`: the word names the kind, not the title.
        parts.kind = parts.kind or _kind(title_pieces[0])
        if parts.kind is MeetingKind.wg_meeting:
            parts.kind = _kind(title_pieces[0])
        title_pieces = title_pieces[1:]
    parts.links[:0] = [piece for piece in title_pieces if isinstance(piece, Link)]
    parts.title = _inline(_drop_link_groups(title_pieces))
    title = plain(parts.title)
    if head is None:
        parts.organisers = _leading_organisers(title, working_groups)
    if parts.kind is None:
        # The line may name its kind in its first words, outside a link ("Webinar on …"). A
        # head of organisers alone (`EXIT: …`) is that working group's meeting, as
        # docs/authoring.md says. Any other line stays without a kind (the meeting-incomplete
        # rule says so): a place does not make a meeting, nor its absence a paper.
        parts.kind = _kind(_plain([p for p in title_pieces if isinstance(p, str)])[:40])
        if parts.kind is None and head is not None and parts.organisers:
            parts.kind = MeetingKind.wg_meeting
    return parts


def _flatten(inline: Inline) -> list[Piece]:
    pieces: list[Piece] = []
    for node in inline:
        if isinstance(node, Link):
            pieces.append(node)
        elif isinstance(node, Emphasis | Strong):
            pieces.extend(_flatten(node.children))
        elif isinstance(node, Text):
            pieces.append(node.text)
        elif isinstance(node, RawHtml) and node.text.startswith("<!--"):
            continue  # a comment is not part of the line (a rule reports it)
        else:
            pieces.append(plain([node]))
    return pieces


def _inline(pieces: list[Piece]) -> Inline:
    """Pieces as inline nodes (its links kept as written), without the `, ` around them."""
    nodes: Inline = []
    for piece in pieces:
        if isinstance(piece, Link):
            nodes.append(piece)
        elif nodes and isinstance(nodes[-1], Text):
            nodes[-1] = Text(text=nodes[-1].text + piece)
        elif piece:
            nodes.append(Text(text=piece))
    for end, strip in ((0, str.lstrip), (-1, str.rstrip)):
        if nodes and isinstance(nodes[end], Text):
            kept = strip(nodes[end].text, " ,")  # type: ignore[union-attr]
            if kept:
                nodes[end] = Text(text=kept)
            else:
                del nodes[end]
    return nodes


def _plain(pieces: list[Piece]) -> str:
    return "".join(piece if isinstance(piece, str) else piece.text for piece in pieces)


def _has_link(pieces: list[Piece]) -> bool:
    return any(isinstance(piece, Link) for piece in pieces)


def _strip_tail(pieces: list[Piece]) -> list[Piece]:
    pieces = [piece for piece in pieces if piece != ""]
    while pieces and isinstance(pieces[-1], str):
        stripped = pieces[-1].rstrip(" \t.,;")
        if stripped:
            return [*pieces[:-1], stripped]
        pieces.pop()
    return pieces


def _take_trailing_parentheses(pieces: list[Piece], parts: MeetingParts) -> list[Piece]:
    """`… 2018 ([Video](#))` → an extra link; `… 2015 (no ex-post)` → a note."""
    while pieces and isinstance(pieces[-1], str) and pieces[-1].endswith(")"):
        start = _opening_paren(pieces)
        if start is None:
            break
        index, offset = start
        opening = pieces[index]
        assert isinstance(opening, str)  # _opening_paren only finds "(" in text
        group = [opening[offset + 1 :], *pieces[index + 1 :]]
        group[-1] = group[-1][:-1] if isinstance(group[-1], str) else group[-1]
        before = opening[:offset]
        rest = [*pieces[:index], before] if before.strip() else pieces[:index]
        if not rest or not _tail_is_date(rest):
            break
        links = [piece for piece in group if isinstance(piece, Link)]
        if links and not _plain([p for p in group if isinstance(p, str)]).strip(" ,"):
            parts.links.extend(links)
        else:
            parts.notes.append(_plain(group).strip())
        pieces = _strip_tail(rest)
    return pieces


def _tail_is_date(pieces: list[Piece]) -> bool:
    segments = _split(_strip_tail(list(pieces)))
    return bool(segments) and _date_candidate(segments[-1]) is not None


def _opening_paren(pieces: list[Piece]) -> tuple[int, int] | None:
    depth = 0
    for index in range(len(pieces) - 1, -1, -1):
        piece = pieces[index]
        if not isinstance(piece, str):
            continue
        for offset in range(len(piece) - 1, -1, -1):
            if piece[offset] == ")":
                depth += 1
            elif piece[offset] == "(":
                depth -= 1
                if depth == 0:
                    return index, offset
    return None


def _split(pieces: list[Piece]) -> list[list[Piece]]:
    """Split on commas outside links and parentheses."""
    segments: list[list[Piece]] = [[]]
    depth = 0
    for piece in pieces:
        if isinstance(piece, Link):
            segments[-1].append(piece)
            continue
        current = ""
        for char in piece:
            if char == "(":
                depth += 1
            elif char == ")":
                depth = max(0, depth - 1)
            if char == "," and depth == 0:
                if current:
                    segments[-1].append(current)
                segments.append([])
                current = ""
            else:
                current += char
        if current:
            segments[-1].append(current)
    cleaned = [_trim(segment) for segment in segments]
    return [segment for segment in cleaned if segment]


def _trim(segment: list[Piece]) -> list[Piece]:
    out = list(segment)
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return [piece for piece in out if piece != ""]


def _join(segments: list[list[Piece]]) -> list[Piece]:
    joined: list[Piece] = []
    for index, segment in enumerate(segments):
        if index:
            joined.append(", ")
        joined.extend(segment)
    return joined


def _date_candidate(segment: list[Piece]) -> str | None:
    if _has_link(segment):
        return None
    text = _plain(segment).strip()
    if DATE_LIKE.match(text):
        return text
    return None


def _take_date(
    segments: list[list[Piece]], parts: MeetingParts, forms: DateForms = ENGLISH_FORMS
) -> bool:
    if not segments:
        return False
    text = _plain(segments[-1]).strip()
    forthcoming = _forthcoming(forms.forthcoming).match(text)
    if forthcoming and not _has_link(segments[-1]):
        parts.forthcoming = True
        parts.notes.append(text)
        parts.date_text = forthcoming.group(1).strip()
        segments.pop()
        return True
    candidate = _date_candidate(segments[-1])
    if candidate is None:
        return False
    segments.pop()
    if re.fullmatch(r"\d{4}", candidate) and segments and not _has_link(segments[-1]):
        # `February 13-14, 2017`: a month-day-year date the comma split from its year. Taken
        # whole whatever the profile's order: read, or reported at its column, never left in
        # the title with the place before it.
        before = _plain(segments[-1]).strip()
        if MONTH_DAY.match(before) and names_a_month(before.split()[0], forms):
            segments.pop()
            candidate = f"{before}, {candidate}"
    parts.date_text = candidate
    return True


def _is_place(segment: list[Piece]) -> bool:
    if _has_link(segment):
        return False
    return bool(_PLACE.match(_plain(segment).strip()))


def _take_head(segments: list[list[Piece]], kinds: Kinds = _KINDS) -> str | None:
    """The organiser/kind prefix: text before the first colon that comes before any link, or
    a first comma-segment that names a kind of event (`Conclusion paper of WG meeting, …`)."""
    if not segments:
        return None
    first = segments[0]
    for index, piece in enumerate(first):
        if isinstance(piece, Link):
            break
        colon = piece.find(": ")
        if colon < 0 and piece.endswith(":") and index + 1 < len(first):
            colon = len(piece) - 1
        if colon >= 0:
            head = _plain(first[:index]) + piece[:colon]
            rest = _trim([piece[colon + 1 :], *first[index + 1 :]])
            if rest:
                segments[0] = rest
            else:
                segments.pop(0)
            return head.strip()
    if len(segments) >= 2 and not _has_link(first) and _kind_of(_plain(first), kinds) is not None:
        return _plain(segments.pop(0)).strip()
    return None


def _kind_of(text: str, kinds: Kinds) -> MeetingKind | None:
    lowered = text.lower()
    for phrase, kind in kinds:
        if phrase in lowered:
            return kind
    return None


def _organisers(head: str, working_groups: frozenset[str]) -> tuple[list[str], list[str]]:
    """(known organisers, abbreviations that look like organisers but are not known) of a
    head. Partners named in parentheses (`(in cooperation with EFRJ)`) are not organisers."""
    found: list[str] = []
    unknown: list[str] = []
    without_partners = _PARTNERS.sub(" ", head)
    for token in re.split(r"[\s(),:]+", without_partners):
        if token.upper() in NOT_ORGANISERS:
            continue
        for part in token.split("/"):
            code = part.upper()
            if code in working_groups:
                if code not in found:
                    found.append(code)
            elif _ABBREVIATION.match(part) and code not in NOT_ORGANISERS and code not in unknown:
                unknown.append(code)
    return found, unknown


_PARTNERS = re.compile(r"\(([^()]*cooperation[^()]*)\)", re.IGNORECASE)


def _leading_organisers(title: str, working_groups: frozenset[str]) -> list[str]:
    """`P&P Core group meeting …`: on a line without a head, the working groups it starts
    with, written exactly as their code (so `Local prevention plans` or `Exit work` name no
    organiser)."""
    found: list[str] = []
    for token in title.split():
        if token in working_groups:
            found.append(token)
        elif token not in ("&", "and"):
            break
    return found


def _partner_notes(head: str) -> list[str]:
    return [group.strip() for group in _PARTNERS.findall(head)]


def _drop_link_groups(pieces: list[Piece]) -> list[Piece]:
    """`Webinar on Rehabilitation ([Part 1](#), [Part 2](#))` → the title without the
    parenthesis that only holds links (the links are kept in `links`). One pass: each piece is
    looked at once, however many groups the line has."""
    out: list[Piece] = []
    rest = list(pieces)
    index = 0
    while index < len(rest):
        piece = rest[index]
        if isinstance(piece, str) and piece.rstrip().endswith("("):
            end = index + 1
            while end < len(rest):
                inner = rest[end]
                if isinstance(inner, str) and inner.strip(" ,"):
                    break
                end += 1
            closing = rest[end] if end < len(rest) else None
            if (
                end > index + 1
                and isinstance(closing, str)
                and closing.lstrip().startswith(")")
                and any(isinstance(p, Link) for p in rest[index + 1 : end])
            ):
                out.append(piece.rstrip()[:-1].rstrip())
                rest[end] = closing.lstrip()[1:]
                index = end
                continue
        out.append(piece)
        index += 1
    return out


def meeting_from_item(
    entry: ListItem,
    source_line: str,
    working_groups: frozenset[str],
    months: Months | DateForms = ENGLISH_FORMS,
    kinds: Kinds = _KINDS,
    kind_prefixes: frozenset[str] = _KIND_PREFIXES,
) -> tuple[Meeting, list[Problem]]:
    """A `Meeting` from its bullet: the text as written plus the parts read from it, with the
    date's own span (found in the bullet's source line) so that date findings point at it;
    and the problems met reading it."""
    forms = months if isinstance(months, DateForms) else DateForms(months=months)
    parts = read_meeting(entry.text, working_groups, kinds, kind_prefixes, forms)
    problems = [
        _unknown_organiser(code, entry, source_line, working_groups)
        for code in parts.unknown_organisers
    ]
    date_span = date = None
    if parts.date_text:
        written = _written(source_line, parts.date_text)
        if written is not None:
            date_span = Span(
                line=entry.span.line,
                column=written[0] + 1,
                end_line=entry.span.line,
                end_column=written[1] + 1,
            )
            parts.date_text = source_line[written[0] : written[1]]
        try:
            date = parse_date(parts.date_text, forms)
        except DateError:
            date = None  # kept as `date_text`; the date rules say what is wrong with it
    meeting = Meeting(
        text=entry.text,
        span=entry.span,
        organisers=parts.organisers,
        kind=parts.kind,
        title=parts.title,
        links=parts.links,
        author=parts.author,
        place=parts.place,
        date=date,
        date_text=parts.date_text,
        date_span=date_span,
        forthcoming=parts.forthcoming,
        notes=parts.notes,
    )
    return meeting, problems


def _written(source_line: str, date_text: str) -> tuple[int, int] | None:
    """Where a date is written on its source line (the last place), spaces as written."""
    column = source_line.rfind(date_text)
    if column >= 0:
        return column, column + len(date_text)
    pattern = r"\s*".join(re.escape(part) for part in re.split(r"\s+", date_text) if part)
    matches = list(re.finditer(pattern.replace(",", r"\s*,"), source_line))
    return (matches[-1].start(), matches[-1].end()) if matches else None


def _unknown_organiser(
    code: str, entry: ListItem, source_line: str, working_groups: frozenset[str]
) -> Problem:
    written = re.compile(rf"(?<![\w&]){re.escape(code)}(?![\w&])", re.IGNORECASE)
    match = written.search(source_line, max(0, entry.span.column - 1))
    line = entry.span.line
    span = (
        Span(line=line, column=match.start() + 1, end_line=line, end_column=match.end() + 1)
        if match
        else Span(line=line, end_line=line, end_column=len(source_line) + 1)
    )
    close = difflib.get_close_matches(code, sorted(working_groups), n=1, cutoff=0.5)
    did_you_mean = f"did you mean {close[0]}? If" if close else "if"
    return Problem(
        kind=ProblemKind.organiser_unknown,
        message=f"{code} looks like an organiser but is not a known working group, so it is "
        "not read as this meeting's organiser",
        span=span,
        hint=f"{did_you_mean} {code} is a working group, add it to `extra-working-groups` "
        "in [tool.ranpaper]",
        text=code,
    )
