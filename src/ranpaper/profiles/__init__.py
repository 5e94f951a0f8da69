"""Profiles: the vocabulary of a kind of paper, as TOML data.

A profile holds every word ranpaper reads or writes that is not the paper's own text: the
introduction heading, the main-theme heading pattern, the four sections' labels (the model
knows them by id: `meetings`, `practices`, `lessons`, `gaps`), the empty-section marker, the
known working groups, month names, quotation marks and hyphenation, and the interface words of
every output. `default.toml` describes today's paper; a profile may `extends` another and
change only what differs. Adding a profile is adding a TOML file: no Python.

Which profile a paper uses (docs/profiles.md): its front matter's `profile:`, else the
configuration's `profile`, else the shipped profile named as the paper's `language` (if one
ships), else `default`. A name is a shipped profile (`src/ranpaper/profiles/NAME.toml`); a
value ending in `.toml` is a file, relative to the paper (front matter) or to the
configuration file (configuration) or to the profile that extends it.

Loading reads TOML with `tomllib` only, and each file once (`load_profile` is cached): `check`
pays for it once per run.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from ranpaper.dates import DateForms, Order
from ranpaper.errors import RanpaperError

SHIPPED = Path(__file__).parent
DEFAULT = "default"
SECTION_IDS = ("meetings", "practices", "lessons", "gaps")
"""The model's section ids, in the default order. A profile relabels them; it cannot add one."""

_TOP_KEYS = frozenset(
    {"name", "extends", "language", "headings", "sections", "meetings", "dates", "typography"}
    | {"words", "replace"}
)
_TABLE_KEYS = {
    "headings": {"introduction", "theme", "theme-colon", "empty"},
    "meetings": {"working-groups", "extra-working-groups", "kinds", "kind-prefixes"},
    "dates": {
        "months",
        "extra-months",
        "day",
        "order",
        "day-suffixes",
        "forthcoming",
        "present",
    },
    "typography": {"quotes", "hyphens"},
}
_SECTION_KEYS = {"label", "spellings", "holds"}

# Lists whose entries stand for themselves: a profile's list is added to its base's (its own
# entries first: `kinds` are tried in order) unless its `replace` names the key. Other lists
# (`months`, `quotes`) are positional and always replace the base's.
_MERGED_LISTS = frozenset(
    {
        "meetings.working-groups",
        "meetings.kinds",
        "meetings.kind-prefixes",
        "dates.forthcoming",
        "dates.present",
        "dates.day-suffixes",
    }
    | {f"sections.{section}.spellings" for section in SECTION_IDS}
)

# The placeholders each interface word may hold (`{page}`); any other is refused at load.
_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "page-number": frozenset({"page", "pages"}),
    "page-ref": frozenset({"page"}),
    "brief-description": frozenset({"number", "title", "theme", "theme-lower"}),
    "brief-source": frozenset({"quoted-title", "working-group"}),
    "brief-reference": frozenset({"number", "theme", "theme-lower"}),
    "brief-markdown-source": frozenset({"title"}),
    "brief-markdown-reference": frozenset({"number", "theme", "theme-lower"}),
    "brief-link": frozenset({"file"}),
    "brief-link-file": frozenset({"file"}),
    "timeline-alt": frozenset({"total", "first", "last", "per-year", "busiest"}),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


# The kinds of meeting the model knows (`Meeting.kind`); a profile maps its words to them.
class MeetingKind(StrEnum):
    wg_meeting = "wg-meeting"
    meeting = "meeting"
    plenary = "plenary"
    paper = "paper"
    manual = "manual"
    brochure = "brochure"
    webinar = "webinar"
    academy = "academy"
    study_visit = "study-visit"
    policy_practice = "policy-practice-event"
    workshop = "workshop"
    expert_meeting = "expert-meeting"


class ProfileError(RanpaperError):
    """A profile that cannot be read: names the file and, where TOML says, the line."""


@dataclass(frozen=True, eq=False)
class SectionLabel:
    """How a paper names one of the four sections."""

    id: str
    label: str
    spellings: tuple[str, ...]
    holds: str


@dataclass(frozen=True, eq=False)
class Profile:
    """A loaded profile, its `extends` chain already applied. Compared by identity: profiles
    are loaded once (`load_profile`)."""

    name: str
    source: str
    language: str
    introduction: str
    theme: str
    theme_colon: str
    empty: str
    sections: tuple[SectionLabel, ...]
    working_groups: frozenset[str]
    meeting_kinds: tuple[tuple[str, str], ...]
    """(phrase, kind id): the first phrase found in a meeting's head names its kind."""
    kind_prefixes: frozenset[str]
    months: tuple[tuple[str, ...], ...]
    day_format: str
    date_forms: DateForms
    """How the paper writes dates (`[dates]`): order, month names, day suffixes, the words for
    forthcoming works and for a period still running."""
    quotes: tuple[str, str]
    hyphens: str
    words: Mapping[str, str]

    # --- sections --------------------------------------------------------------------------

    def section(self, section_id: str) -> SectionLabel:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def label(self, section_id: str) -> str:
        """The heading a paper writes for a section (`meetings` → `Meetings and papers`)."""
        return self.section(section_id).label

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(section.id for section in self.sections)

    # --- headings --------------------------------------------------------------------------

    def theme_heading(self, number: int) -> str:
        """`Main theme 3` (without the colon and the title)."""
        return self.theme.replace("{number}", str(number))

    def theme_prefix(self, number: int) -> str:
        """`Main theme 3:`, what the outputs write before a main theme's title and a space."""
        return self.theme_heading(number) + self.theme_colon

    @property
    def theme_pattern(self) -> re.Pattern[str]:
        return _theme_pattern(self.theme)

    # --- words -----------------------------------------------------------------------------

    def word(self, key: str, **values: object) -> str:
        """An interface word, with its `{placeholders}` filled. `{theme}` is the theme heading
        of `number` (so the words follow `[headings]`), `{theme-lower}` the same with its first
        letter in lower case (inside an English sentence)."""
        text = self.words[key]
        if "number" in values and "{theme" in text:
            heading = self.theme_heading(int(str(values["number"])))
            text = text.replace("{theme}", heading)
            text = text.replace("{theme-lower}", heading[:1].lower() + heading[1:])
        for name, value in values.items():
            text = text.replace("{" + name.replace("_", "-") + "}", str(value))
        return text

    def around(self, key: str, placeholder: str) -> tuple[str, str]:
        """(before, after): an interface word split where `{placeholder}` stands, for an output
        to put a link there. A custom word without the placeholder gets it after its text,
        so what the placeholder stands for is never lost."""
        before, found, after = self.word(key).partition("{" + placeholder + "}")
        return (before, after) if found else (before + " ", "")

    def quote(self, text: str) -> str:
        return f"{self.quotes[0]}{text}{self.quotes[1]}"

    # --- dates -----------------------------------------------------------------------------

    def month_name(self, month: int) -> str:
        return self.months[month - 1][0]

    def month_abbr(self, month: int) -> str:
        names = self.months[month - 1]
        return names[1] if len(names) > 1 else names[0]

    def format_day(self, day: int, month: int, year: int) -> str:
        suffix = self.date_forms.day_suffixes[0] if self.date_forms.day_suffixes else ""
        return (
            self.day_format.replace("{day}", f"{day}{suffix}")
            .replace("{month}", self.month_name(month))
            .replace("{year}", str(year))
        )


@cache
def _theme_pattern(theme: str) -> re.Pattern[str]:
    before, _, after = theme.partition("{number}")

    def words(text: str) -> str:
        return r"\s+".join(re.escape(word) for word in text.split())

    head = words(before) + (r"\s*" if before.strip() else "")
    tail = (r"\s*" + words(after)) if after.strip() else ""
    return re.compile(rf"^{head}(\d+){tail}\s*[:.–—-]\s*(.*)$", re.IGNORECASE | re.DOTALL)


# --- loading -----------------------------------------------------------------------------------


def default_profile() -> Profile:
    return load_profile(DEFAULT)


def resolve(value: str, base: Path | None = None) -> Path:
    """The file a profile reference names: a shipped name, or a `.toml` path from `base`."""
    if value.endswith(".toml"):
        path = Path(value)
        if not path.is_absolute() and base is not None:
            path = base / path
        path = path.resolve()
        if not path.exists():
            try:
                near = sorted(p.name for p in path.parent.glob("*.toml"))[:1000]
            except OSError:
                near = []
            raise ProfileError(f"no such profile file {value!r}{_did_you_mean(path.name, near)}")
        return path
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value):
        near = shipped()
        if base is not None:
            with contextlib.suppress(OSError):
                near += sorted(p.name for p in base.glob("*.toml"))[:1000]
        raise ProfileError(
            f"profile {value!r} is neither a shipped profile's name (lower-case letters, "
            f"digits, -) nor a path to a .toml file{_did_you_mean(value, near)}"
        )
    path = SHIPPED / f"{value}.toml"
    if not path.is_file():
        raise ProfileError(f"no shipped profile {value!r}{_did_you_mean(value, shipped(), 0.5)}")
    return path


def shipped() -> list[str]:
    """The names of the profiles that ship with ranpaper."""
    return sorted(path.stem for path in SHIPPED.glob("*.toml"))


def load_profile(value: str, base: Path | None = None, *, within: Path | None = None) -> Profile:
    """The profile `value` names (see `resolve`), its `extends` chain applied; cached.

    `within`: every file of the chain must be a shipped profile or lie inside this folder
    (a paper's front matter may not make ranpaper read a file outside the paper's folder)."""
    return _load(resolve(value, base), within.resolve() if within is not None else None)


def for_language(language: str) -> Profile | None:
    """The shipped profile named as a language (`fr`), if there is one."""
    key = language.strip().lower()
    if key and key != DEFAULT and re.fullmatch(r"[a-z]{2,3}(?:-[a-z0-9]+)*", key):
        path = SHIPPED / f"{key}.toml"
        if path.is_file():
            return _load(path, None)
    return None


@cache
def _load(path: Path, within: Path | None) -> Profile:
    return _build(_merged(path, (), within), str(path))


def _read(path: Path) -> dict[str, Any]:
    return _read_text(path)[0]


@cache
def _read_text(path: Path) -> tuple[dict[str, Any], str]:
    """A profile file's table and its text (for the lines of findings); read once."""
    from ranpaper.fs import read_text  # capped, regular files only

    try:
        text = read_text(path, what="profile")
    except RanpaperError as error:
        missing = error.message.startswith("no such")
        message = "no such profile file" if missing else f"cannot read profile: {error.message}"
        raise ProfileError(message, str(path), error.line) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(where.group(1)) if where else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise ProfileError(f"profile is not valid TOML: {reason}", str(path), line) from None


def _merged(path: Path, seen: tuple[Path, ...], within: Path | None) -> dict[str, Any]:
    """The profile's table with its `extends` chain applied: the base first, this file's
    tables merged over it key by key (`_merge`)."""
    if path in seen:
        chain = " → ".join(p.name for p in (*seen, path))
        raise ProfileError(f"profiles extend each other in a circle: {chain}", str(path))
    if within is not None and path.parent != SHIPPED and not path.is_relative_to(within):
        shown = seen[-1] if seen else None
        raise ProfileError(
            f"{path} is outside the paper's folder; a paper's profile must be next to it "
            "(or a shipped one)",
            str(shown) if shown is not None else None,
        )
    data, text = _read_text(path)
    _check_keys(data, path, text)
    parent = data.get("extends")
    if parent is None:
        if path != SHIPPED / f"{DEFAULT}.toml":
            # Every profile rests on the default: a key it leaves out is the default's.
            return _merge(_merged(SHIPPED / f"{DEFAULT}.toml", (*seen, path), within), data)
        return data
    line = _line_of(text, None, "extends")
    if not isinstance(parent, str):
        raise ProfileError("`extends` must be a profile's name or a .toml path", str(path), line)
    try:
        base = resolve(parent, path.parent)
        merged_base = _merged(base, (*seen, path), within)
    except ProfileError as error:
        if error.path is not None and error.path != str(path):
            raise  # a fault inside the base file: it names its own file and line
        raise ProfileError(f"`extends = {parent!r}`: {error.message}", str(path), line) from None
    return _merge(merged_base, data)


def _merge(base: dict[str, Any], over: dict[str, Any], where: str = "") -> dict[str, Any]:
    """`over` merged into `base`: tables key by key; a list of `_MERGED_LISTS` added to the
    base's (its own entries first, none twice) unless `over`'s `replace` names it; any other
    value replaces the base's. `extra-working-groups` is added as `working-groups` is."""
    return _merge_into(base, over, where, set(over.get("replace", ())))


def _merge_into(
    base: dict[str, Any], over: dict[str, Any], where: str, replaced: set[str]
) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if key in ("extends", "replace"):
            continue
        dotted = f"{where}{key}"
        if dotted == "meetings.extra-working-groups":
            key, dotted = "working-groups", "meetings.working-groups"
            value = [*over.get("working-groups", []), *value]
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge_into(merged[key], value, dotted + ".", replaced)
        elif (
            dotted in _MERGED_LISTS
            and dotted not in replaced
            and isinstance(value, list)
            and isinstance(merged.get(key), list)
        ):
            added = list(value)
            added += [item for item in merged[key] if item not in added]
            merged[key] = added
        else:
            merged[key] = value
    return merged


def _did_you_mean(key: str, known: object, cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=cutoff)  # type: ignore[call-overload]
    return f" (did you mean {close[0]!r}?)" if close else ""


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")


def _line_of(text: str, table: str | None, key: str) -> int | None:
    """The line that writes `key` in `[table]` (None: the top level) of a profile's text, for
    findings; tomllib keeps no positions. A key written inline (`a = { key = … }`) is found on
    the first line that names it."""
    current: str | None = None
    written = re.compile(rf"""^\s*(?:"{re.escape(key)}"|'{re.escape(key)}'|{re.escape(key)})\s*=""")
    fallback = None
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            current = ".".join(part.strip().strip('"') for part in header.group(1).split("."))
            continue
        if written.match(line):
            if current == table:
                return number
            fallback = fallback or number
        elif fallback is None and re.search(rf"\b{re.escape(key)}\s*=", line):
            fallback = number
    return fallback


def _check_keys(data: dict[str, Any], path: Path, text: str = "") -> None:
    def unknown(
        keys: object, known: set[str] | frozenset[str], where: str, table: str | None
    ) -> None:
        for key in keys:  # type: ignore[attr-defined]
            if key not in known:
                raise ProfileError(
                    f"unknown key {key!r} in {where}{_did_you_mean(key, known)}",
                    str(path),
                    _line_of(text, table, key),
                )

    def fail(message: str, table: str | None, key: str) -> ProfileError:
        return ProfileError(message, str(path), _line_of(text, table, key))

    unknown(data, _TOP_KEYS, "the profile", None)
    for table, keys in _TABLE_KEYS.items():
        if table in data:
            if not isinstance(data[table], dict):
                raise fail(f"[{table}] must be a table", None, table)
            unknown(data[table], keys, f"[{table}]", table)
    sections = data.get("sections", {})
    if not isinstance(sections, dict):
        raise fail("[sections] must be a table of the four sections", None, "sections")
    unknown(sections, set(SECTION_IDS), "[sections] (the ids are fixed)", "sections")
    for section_id, section in sections.items():
        if not isinstance(section, dict):
            raise fail(f"[sections.{section_id}] must be a table", "sections", section_id)
        unknown(section, _SECTION_KEYS, f"[sections.{section_id}]", f"sections.{section_id}")
    for dotted in (*_MERGED_LISTS, "meetings.extra-working-groups"):
        *tables, key = dotted.split(".")
        holder: Any = data
        for name in tables:
            holder = holder.get(name) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and key in holder and not isinstance(holder[key], list):
            raise fail(f"[{'.'.join(tables)}] {key} must be a list", ".".join(tables), key)
    replace = data.get("replace", [])
    if not isinstance(replace, list) or not all(isinstance(item, str) for item in replace):
        raise fail(
            '`replace` must be a list of keys, e.g. ["meetings.working-groups"]', None, "replace"
        )
    for item in replace:
        if item not in _MERGED_LISTS:
            raise fail(
                f"`replace`: {item!r} is not a list that merges"
                f"{_did_you_mean(item, _MERGED_LISTS)} (lists that merge: "
                f"{', '.join(sorted(_MERGED_LISTS))})",
                None,
                "replace",
            )
    words = data.get("words", {})
    if not isinstance(words, dict):
        raise fail("[words] must be a table", None, "words")
    if path != SHIPPED / f"{DEFAULT}.toml":
        known = _read(SHIPPED / f"{DEFAULT}.toml")["words"]
        unknown(words, set(known), "[words]", "words")
    _check_placeholders(data, path, text)


def _check_placeholders(data: dict[str, Any], path: Path, text: str) -> None:
    """Each `{name}` a word holds must be one the outputs fill: `{nummer}` would be printed
    as written."""
    allowed: list[tuple[str, str, object, frozenset[str]]] = [
        ("words", key, value, _PLACEHOLDERS.get(key, frozenset()))
        for key, value in (data.get("words") or {}).items()
    ]
    headings = data.get("headings") or {}
    dates = data.get("dates") or {}
    if isinstance(headings, dict) and "theme" in headings:
        allowed.append(("headings", "theme", headings["theme"], frozenset({"number"})))
    if isinstance(dates, dict) and "day" in dates:
        allowed.append(("dates", "day", dates["day"], frozenset({"day", "month", "year"})))
    for table, key, value, names in allowed:
        if not isinstance(value, str):
            continue
        for found in _PLACEHOLDER.findall(value):
            if found not in names:
                expected = ", ".join(f"{{{name}}}" for name in sorted(names)) or "none"
                raise ProfileError(
                    f"[{table}] {key}: unknown placeholder {{{found}}}"
                    f"{_did_you_mean(found, names)} (this word takes: {expected})",
                    str(path),
                    _line_of(text, table, key),
                )


def _build(data: dict[str, Any], source: str) -> Profile:
    def fail(message: str) -> ProfileError:
        return ProfileError(message, source)

    def text(value: object, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{where} must be non-empty text")
        return value

    def texts(value: object, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise fail(f"{where} must be a list of text")
        return tuple(value)

    headings, dates, typography = data["headings"], data["dates"], data["typography"]
    theme = text(headings["theme"], "[headings] theme")
    if theme.count("{number}") != 1:
        raise fail("[headings] theme must hold `{number}` once (e.g. `Main theme {number}`)")
    sections = tuple(
        SectionLabel(
            id=section_id,
            label=text(data["sections"][section_id]["label"], f"[sections.{section_id}] label"),
            spellings=texts(
                data["sections"][section_id].get("spellings", []),
                f"[sections.{section_id}] spellings",
            ),
            holds=text(data["sections"][section_id]["holds"], f"[sections.{section_id}] holds"),
        )
        for section_id in data["sections"]
    )
    spelt: dict[str, str] = {}
    for section in sections:
        for spelling in (section.label, *section.spellings):
            key = " ".join(spelling.lower().split())
            if spelt.setdefault(key, section.id) != section.id:
                raise fail(f"{spelling!r} names two sections ({spelt[key]}, {section.id})")
    months_raw = dates["months"]
    if not isinstance(months_raw, list) or len(months_raw) != 12:
        raise fail("[dates] months must list the 12 months, each as a list of its names")
    months = tuple(texts(names, "[dates] months") for names in months_raw)
    if not all(months):
        raise fail("[dates] months: each month needs at least one name")
    extra_months = dates.get("extra-months", {})
    if not isinstance(extra_months, dict) or not all(
        isinstance(number, int) and 1 <= number <= 12 for number in extra_months.values()
    ):
        raise fail(
            '[dates] extra-months must be a table of names and month numbers: { "Sept" = 9 }'
        )
    months = tuple(
        (*names, *(name for name, number in extra_months.items() if number == index))
        for index, names in enumerate(months, 1)
    )
    order = dates.get("order", Order.day_month_year.value)
    if order not in {o.value for o in Order}:
        raise fail(f"[dates] order must be {' or '.join(repr(o.value) for o in Order)}")
    date_forms = DateForms(
        months=months,
        order=Order(order),
        day_suffixes=texts(dates.get("day-suffixes", []), "[dates] day-suffixes"),
        forthcoming=texts(dates.get("forthcoming", []), "[dates] forthcoming"),
        present=texts(dates.get("present", []), "[dates] present"),
    )
    if not date_forms.forthcoming or not date_forms.present:
        raise fail("[dates] forthcoming and present each need at least one word")
    quotes = texts(typography["quotes"], "[typography] quotes")
    if len(quotes) != 2:
        raise fail("[typography] quotes must be [opening, closing]")
    hyphens = typography["hyphens"]
    if hyphens not in ("manual", "auto"):
        raise fail('[typography] hyphens must be "manual" or "auto"')
    words = {key: text(value, f"[words] {key}") for key, value in data["words"].items()}
    working_groups = texts(data["meetings"]["working-groups"], "[meetings] working-groups")
    known_kinds = {kind.value for kind in MeetingKind}
    kinds_raw = data["meetings"]["kinds"]
    if not isinstance(kinds_raw, list) or not all(
        isinstance(pair, list)
        and len(pair) == 2
        and all(isinstance(item, str) and item.strip() for item in pair)
        for pair in kinds_raw
    ):
        raise fail('[meetings] kinds must be a list of ["phrase", "kind"] pairs')
    for _phrase, kind in kinds_raw:
        if kind not in known_kinds:
            raise fail(
                f"[meetings] kinds: {kind!r} is not a meeting kind "
                f"({', '.join(sorted(known_kinds))})"
            )
    prefixes = texts(data["meetings"]["kind-prefixes"], "[meetings] kind-prefixes")
    return Profile(
        name=text(data.get("name", Path(source).stem), "name"),
        source=source,
        language=text(data.get("language", "en"), "language"),
        introduction=text(headings["introduction"], "[headings] introduction"),
        theme=theme,
        theme_colon=headings.get("theme-colon", ":"),
        empty=text(headings["empty"], "[headings] empty"),
        sections=sections,
        working_groups=frozenset(group.upper() for group in working_groups),
        meeting_kinds=tuple((phrase.lower(), kind) for phrase, kind in kinds_raw),
        kind_prefixes=frozenset(prefix.lower() for prefix in prefixes),
        months=months,
        day_format=text(dates["day"], "[dates] day"),
        date_forms=date_forms,
        quotes=(quotes[0], quotes[1]),
        hyphens=hyphens,
        words=words,
    )
