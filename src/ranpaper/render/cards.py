"""A practice card's title, one form for every output (PDF, web page, Word, Markdown brief).

The title is the practice's head as the paper wrote it ("Exit Sweden, Fryshuset, Sweden"),
without the colon or dash that led into its description in the source and without the bold
the paper used to mark it (a heading is set bold already); its link is kept. A paragraph about
a practice with no head of its own gets the same form from its identity: name, organisation
and country joined by commas. No card has a separate organisation and country line, so no
card shows them twice and none lacks them where the paper named them.
"""

from __future__ import annotations

from ranpaper.model import Inline, Link, Practice, Strong, Text
from ranpaper.urls import live_href


def card_title(practice: Practice, *, dead_links_as_text: bool = False) -> Inline:
    """The card's title as inline content (links and emphasis kept, the head's bold not).
    With `dead_links_as_text` (a Markdown heading, where `[name](#)` would be a dead link), a
    link no output may make live is its text."""
    if not practice.head:
        return [Text(text=card_title_text(practice))]
    head = practice.head
    if len(head) == 1 and isinstance(head[0], Strong):
        head = head[0].children
    if dead_links_as_text:
        head = [
            piece
            for node in head
            for piece in (
                node.children if isinstance(node, Link) and live_href(node.url) is None else [node]
            )
        ]
    return list(head)


def card_title_text(practice: Practice) -> str:
    """The title as plain text, for a practice with no head: "Name, Organisation, Country"."""
    name = practice.name or practice.id.replace("-", " ").capitalize()
    return ", ".join(part for part in (name, practice.organisation, practice.country) if part)
