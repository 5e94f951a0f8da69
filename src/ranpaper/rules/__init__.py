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
    meeting_incomplete,
    nesting_too_deep,
    not_a_paper,
    organiser_unknown,
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
    link_not_parsed,
    link_registry_stale,
    link_registry_url,
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
