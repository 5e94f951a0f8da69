"""Read a practice's head: `Name, Organisation, Country`, `Name (Country)` or just `Name`.

The country is recognised from a list rather than by position, because organisation names
contain commas too; what is not a known country stays part of the name or organisation.
"""

from __future__ import annotations

import re
import unicodedata

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
