"""The rule registry: an explicit table, code → module. Adding a rule is one module plus one
line here. Each module's docstring is its documentation (`ranpaper rules CODE`)."""

from types import ModuleType

from ranpaper.rules import (
    asset_outside,
    citation_inconsistent,
    comment_in_text,
    date_after_publication,
    date_implausible,
    date_non_canonical,
    date_not_in_calendar,
    date_reversed,
    date_unparseable,
    footnote_duplicate,
    footnote_undefined,
    footnote_unused,
    front_matter,
    front_matter_date,
    heading_level_skip,
    leader_period,
    link_lost,
    link_malformed,
    link_not_parsed,
    link_registry_stale,
    link_registry_url,
    link_scheme_unknown,
    link_unsafe,
    list_marker_mixed,
    meeting_incomplete,
    nesting_too_deep,
    not_a_paper,
    organiser_unknown,
    practice_duplicate,
    practice_identity,
    raw_html,
    section_duplicate,
    section_empty,
    section_heading_unknown,
    section_marked_none,
    section_missing,
    source_unreadable,
    text_unsafe,
    theme_empty,
    theme_numbering,
    topic_duplicate,
    translation_meetings,
    translation_structure,
    translation_text,
    unplaced_content,
    waiver_invalid,
    waiver_unused,
)

_MODULES: list[ModuleType] = [
    source_unreadable,
    front_matter,
    unplaced_content,
    raw_html,
    nesting_too_deep,
    not_a_paper,
    comment_in_text,
    text_unsafe,
    date_unparseable,
    date_not_in_calendar,
    date_reversed,
    date_after_publication,
    leader_period,
    front_matter_date,
    date_implausible,
    date_non_canonical,
    section_missing,
    section_empty,
    section_heading_unknown,
    section_marked_none,
    heading_level_skip,
    topic_duplicate,
    theme_empty,
    meeting_incomplete,
    section_duplicate,
    theme_numbering,
    organiser_unknown,
    practice_duplicate,
    list_marker_mixed,
    link_lost,
    link_malformed,
    footnote_undefined,
    footnote_unused,
    footnote_duplicate,
    citation_inconsistent,
    practice_identity,
    link_unsafe,
    asset_outside,
    link_scheme_unknown,
    list_marker_mixed,
    link_not_parsed,
    link_registry_stale,
    link_registry_url,
    translation_structure,
    translation_meetings,
    translation_text,
    waiver_invalid,
    waiver_unused,
]

REGISTRY: dict[str, ModuleType] = {module.CODE: module for module in _MODULES}


def fix_kind(module: ModuleType) -> str | None:
    """Whether a rule's findings can carry a fix: "safe", "unsafe" or None."""
    return getattr(module, "FIX", None)


def summary_line(module: ModuleType) -> str:
    """The first line of a rule's docstring: what it finds, in one sentence."""
    return (module.__doc__ or "").strip().splitlines()[0]


def by_name(wanted: str) -> ModuleType | None:
    """The rule a code (`RP203`) or a name (`section-heading-unknown`) names, or None."""
    wanted = wanted.strip()
    return REGISTRY.get(wanted.upper()) or next(
        (rule for rule in REGISTRY.values() if wanted.lower() == rule.NAME), None
    )


def resolve_codes(
    codes: list[str] | tuple[str, ...], where: str, path: str | None = None
) -> tuple[str, ...]:
    """Each code as the prefix the engine selects by: a rule's code or name becomes its code,
    a prefix (`RP3`) stays; anything else is a `RanpaperError` that suggests the nearest
    rule (named after `where`, the option or key that held it)."""
    import difflib

    from ranpaper.errors import RanpaperError

    resolved = []
    for code in codes:
        rule = by_name(code)
        if rule is not None:
            resolved.append(rule.CODE)
            continue
        upper = code.strip().upper()
        if upper and any(known.startswith(upper) for known in REGISTRY):
            resolved.append(upper)
            continue
        names = [*REGISTRY, *(r.NAME for r in REGISTRY.values())]
        # A letter typed for a digit (RP2O3, RP3l0) names one rule; difflib would tie it.
        digits = upper[:2] + upper[2:].replace("O", "0").replace("I", "1").replace("L", "1")
        close = (
            ([digits] if digits in REGISTRY else [])
            or (difflib.get_close_matches(upper, names, n=1, cutoff=0.6))
            or (difflib.get_close_matches(code.lower(), names, n=1, cutoff=0.6))
        )
        guess = f"; did you mean {close[0]}?" if close else ""
        raise RanpaperError(
            f"{where}: no rule or prefix {code!r}{guess} (`ranpaper rules` lists them)", path
        )
    return tuple(resolved)
