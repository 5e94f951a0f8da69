"""Read a practice's head: `Name, Organisation, Country`, `Name (Country)` or just `Name`.

The country is recognised from a list rather than by position, because organisation names
contain commas too; what is not a known country stays part of the name or organisation.
"""

from __future__ import annotations

import re
import unicodedata

from ranpaper.model import Inline, Link, Paragraph, Practice, Strong, Text, plain

COUNTRIES = frozenset(
    {
        "Albania",
        "Austria",
        "Belgium",
        "Bosnia and Herzegovina",
        "Bulgaria",
        "Croatia",
        "Cyprus",
        "Czech Republic",
        "Czechia",
        "Denmark",
        "Estonia",
        "Finland",
        "France",
        "Germany",
        "Greece",
        "Hungary",
        "Iceland",
        "Ireland",
        "Italy",
        "Kosovo",
        "Latvia",
        "Lithuania",
        "Luxembourg",
        "Malta",
        "Montenegro",
        "Netherlands",
        "North Macedonia",
        "Norway",
        "Poland",
        "Portugal",
        "Romania",
        "Serbia",
        "Slovakia",
        "Slovenia",
        "Spain",
        "Sweden",
        "Switzerland",
        "Turkey",
        "Ukraine",
        "United Kingdom",
        "UK",
        "United States",
        "USA",
        "Canada",
        "Australia",
        "Europe",
        "EU",
    }
)

_TRAILING_PAREN = re.compile(r"^(.*?)\s*\(([^()]+)\)$")


def country_name(text: str) -> str | None:
    """`the Netherlands` → `Netherlands`; None if `text` is not a known country."""
    candidate = text.strip()
    if candidate.lower().startswith("the "):
        candidate = candidate[4:]
    return candidate if candidate in COUNTRIES else None


def read_head(head: str) -> tuple[str, str | None, str | None]:
    """Split a practice head into (name, organisation, country)."""
    head = " ".join(head.split()).rstrip(":").strip()
    match = _TRAILING_PAREN.match(head)
    if match and country_name(match.group(2)):
        return match.group(1), None, country_name(match.group(2))
    parts = [part.strip() for part in head.split(", ")]
    country = None
    if len(parts) > 1 and country_name(parts[-1]):
        country = country_name(parts.pop())
    name = parts[0]
    organisation = ", ".join(parts[1:]) or None
    return name, organisation, country


def slugify(text: str) -> str:
    """A stable, ASCII, file-name-safe identifier: `Grüner Vogel` → `gruner-vogel`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].rstrip("-") or "untitled"


def has_head(text: Inline) -> bool:
    """A practice starts with its name as a link or in bold."""
    return bool(text) and isinstance(text[0], Link | Strong)


def practice_from_paragraph(
    para: Paragraph, explicit_id: str | None, first: Practice | None
) -> Practice | None:
    """The practice a paragraph describes, or None if it is not one (then it is a note).

    `first` is the practice first described under `explicit_id`: a practice the editor marked
    as the same keeps that one's name and organisation, whatever this head's wording.
    """
    text = list(para.text)
    head: Inline = []
    separator = ""
    if has_head(text):
        head = [text.pop(0)]
        if text and isinstance(text[0], Text):
            rest = text[0].text
            stripped = rest.lstrip(": ")
            separator = rest[: len(rest) - len(stripped)]
            text[0] = Text(text=stripped)
            if not stripped:
                text.pop(0)
    elif explicit_id is None:
        return None
    name = organisation = country = url = None
    if head:
        name, organisation, country = read_head(plain(head))
        if isinstance(head[0], Link):
            url = head[0].url
    if first is not None:
        name, organisation = first.name, first.organisation
        country = country or first.country
    return Practice(
        id=explicit_id or slugify(name or ""),
        explicit_id=explicit_id is not None,
        head=head,
        head_alone=bool(head) and not text,
        separator=separator,
        name=name,
        organisation=organisation,
        country=country,
        url=url,
        description=text,
        span=para.span,
    )
