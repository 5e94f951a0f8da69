"""The model → semantic HTML, through Jinja2 templates kept in `templates/`.

One HTML serves two media: `print` (for WeasyPrint: footnotes float to the page foot, the
print stylesheet) and `screen` (a self-contained web page: footnotes as a list, the screen
stylesheet inlined, no scripts, no external requests). Every print concern lives in CSS.

Untrusted text is escaped by Jinja2's autoescape; links are emitted only for safe, well-formed
targets. A lost target (`#`), an unsafe scheme or a malformed URL becomes plain text.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup, escape

from ranpaper.dates import DateRange, Precision
from ranpaper.model import (
    Break,
    Code,
    Emphasis,
    Footnote,
    FootnoteRef,
    Image,
    Inline,
    Link,
    Meeting,
    Paper,
    Practice,
    RawHtml,
    Strong,
    Text,
    Theme,
    plain,
)
from ranpaper.profiles import Profile, default_profile
from ranpaper.render import brief
from ranpaper.render.anchors import Anchors
from ranpaper.render.brief import unique_meetings
from ranpaper.render.cards import card_title
from ranpaper.render.timeline import Timeline, legend_items, table_rows, timeline
from ranpaper.resources import TEMPLATES
from ranpaper.urls import live_href

KIND_LABELS = {
    "wg-meeting": "Working group meeting",
    "meeting": "Meeting",
    "plenary": "Plenary",
    "paper": "Paper",
    "manual": "Manual",
    "brochure": "Brochure",
    "webinar": "Webinar",
    "academy": "Academy",
    "study-visit": "Study visit",
    "policy-practice-event": "Policy & Practice event",
    "workshop": "Workshop",
    "expert-meeting": "Expert meeting",
}


LONG_WORD = 200  # no real word or link is this long; shorter ones are left to the stylesheet
LONG_MEETING = 1000
"""A meeting line longer than this (the paper's are under 300 letters) is laid out as blocks
in print (`meeting-long` in print.css), not in the two-column grid: WeasyPrint lays out a grid
row taller than a page in time that grows far faster than its length (a 5,000-letter place:
80 s in the grid, 7 s as blocks; 80,000 letters: over 15 minutes, and 4 s)."""
BREAK_EVERY = 20
ZWSP = "\u200b"
_LONG_RUN = re.compile(rf"\S{{{LONG_WORD + 1},}}")
WORD_JOINER = "\u2060"
_SLASHED_ABBREVIATION = re.compile(
    r"(?<![\w/])([A-Z][A-Za-z&]{0,5})/(?=[A-Z][A-Za-z&]{0,5}(?![\w/]))"
)
"""`P/CVE`, `VL/RWE`: one term, which a line must not break after its slash (Unicode lets it)."""


def breakable_text(text: str, media: str) -> str:
    """In print, a run of more than LONG_WORD letters without a space gets a break
    opportunity (U+200B, invisible) every BREAK_EVERY letters. The stylesheet's
    `overflow-wrap: anywhere` alone breaks such a word too, but WeasyPrint takes time
    quadratic in its length to do so (a 100k-letter word: 200 s instead of 8 s). Every text
    of a print page, the paper's and the briefs', is prepared here (`InlineRenderer`), so
    that the two lay out a long word alike. A term of capitals joined by a slash (`P/CVE`)
    gets a word joiner after the slash: it is never split over two lines."""
    if media != "print":
        return text
    if "/" in text:
        text = _SLASHED_ABBREVIATION.sub(rf"\1/{WORD_JOINER}", text)
    if len(text) <= LONG_WORD:
        return text
    return _LONG_RUN.sub(
        lambda run: ZWSP.join(
            run[0][i : i + BREAK_EVERY] for i in range(0, len(run[0]), BREAK_EVERY)
        ),
        text,
    )


def safe_href(url: str) -> str | None:
    """The target to emit for a link, or None when it must be shown as plain text: the URL
    policy (`ranpaper.urls`) decides, as it does for the checker."""
    return live_href(url)


@dataclass
class InlineRenderer:
    """Turns inline nodes into HTML for one medium, knowing the paper's footnotes."""

    footnotes: dict[str, Footnote]
    media: str  # "print" or "screen"
    images: dict[str, str] = field(default_factory=dict)  # src as written → fetchable URL
    numbers: dict[str, int] = field(default_factory=dict)
    _open: list[str] = field(default_factory=list)  # footnotes being rendered (print)

    def __call__(self, nodes: Inline | None) -> Markup:
        return Markup("").join(self.node(node) for node in nodes or [])

    def node(self, node: object) -> Markup:
        if isinstance(node, Text):
            return escape(self.breakable(node.text))
        if isinstance(node, Emphasis):
            return Markup("<em>%s</em>") % self(node.children)
        if isinstance(node, Strong):
            return Markup("<strong>%s</strong>") % self(node.children)
        if isinstance(node, Link):
            href = safe_href(node.url)
            if href is None:
                if self.media == "print":
                    # Its text alone: the span shows nothing in print, and WeasyPrint breaks
                    # a line wrongly before an inline box glued to the text after it (`here</span>.`
                    # set "For" alone on a line of brief 01: Kozea/WeasyPrint#1614).
                    return self(node.children)
                return Markup('<span class="link-lost">%s</span>') % self(node.children)
            return Markup('<a href="%s">%s</a>') % (href, self(node.children))
        if isinstance(node, Code):
            return Markup("<code>%s</code>") % self.breakable(node.text)
        if isinstance(node, Break):
            return Markup("<br>") if node.hard else Markup("\n")
        if isinstance(node, RawHtml):
            return escape(self.breakable(node.text))
        if isinstance(node, Image):
            url = self.images.get(node.src)
            if url is None:
                return Markup('<span class="image-missing">%s</span>') % self.breakable(
                    node.alt or node.src
                )
            return Markup('<img src="%s" alt="%s">') % (url, node.alt)
        if isinstance(node, FootnoteRef):
            return self.footnote(node)
        return escape(self.breakable(plain([node])))  # type: ignore[list-item]

    def breakable(self, text: object) -> str:
        """The text preparation every piece of text of the page goes through, the paper's
        and the briefs' alike (`breakable_text`); the templates call it on the text they
        print themselves (a meeting's place, a topic's path, a practice's name)."""
        return breakable_text(str(text), self.media)

    def meeting(self, meeting: Meeting) -> Markup:
        """A meeting's line as written, its date (as written) kept on one line in print."""
        date = meeting.date_text
        if not date:
            return self(meeting.text)
        out = []
        for node in meeting.text:
            if date and isinstance(node, Text) and date in node.text:
                before, _, after = node.text.partition(date)
                out.append(
                    escape(self.breakable(before))
                    + Markup('<span class="date">%s</span>') % date
                    + escape(self.breakable(after))
                )
                date = ""  # once
            else:
                out.append(self.node(node))
        return Markup("").join(out)

    def footnote(self, ref: FootnoteRef) -> Markup:
        note = self.footnotes.get(ref.label)
        if note is None:
            return escape(f"[^{ref.label}]")
        number = self.numbers.setdefault(ref.label, len(self.numbers) + 1)
        if self.media == "print":
            # A footnote cannot float inside a footnote: one cited in a footnote's text is set
            # there in brackets, and a reference deeper than that (or to a footnote being
            # rendered, `[^a]: … [^a]`) is its number alone, so the rendering is bounded.
            if len(self._open) >= 2 or ref.label in self._open:
                return Markup('<sup class="footnote-ref">%s</sup>') % number
            self._open.append(ref.label)
            try:
                body = self(note.text)
            finally:
                self._open.pop()
            if self._open:
                return Markup('<span class="footnote-inline">[%s]</span>') % body
            return Markup('<span class="footnote">%s</span>') % body
        return Markup('<sup class="footnote-ref"><a href="#fn-%s" id="fnref-%s">%s</a></sup>') % (
            number,
            number,
            number,
        )


def long_meeting(meeting: Meeting) -> bool:
    """Whether a meeting's line is too long for the print grid (`LONG_MEETING`)."""
    return len(plain(meeting.text)) > LONG_MEETING


def date_label(value: DateRange | None, profile: Profile | None = None) -> str:
    """`04-05 June 2012` → `Jun 2012`; the short label of the meetings' date column, in the
    profile's month names (default: the default profile's)."""
    if value is None:
        return ""
    abbr = (profile or default_profile()).month_abbr
    if value.precision is Precision.year:
        return str(value.start.year)
    if value.start.year == value.end.year and value.start.month == value.end.month:
        return f"{abbr(value.start.month)} {value.start.year}"
    if value.start.year == value.end.year:
        return f"{abbr(value.start.month)}–{abbr(value.end.month)} {value.end.year}"
    return f"{value.start.year}–{value.end.year}"


@dataclass
class PracticeEntry:
    id: str
    name: str
    country: str | None
    mentions: list[tuple[str, str]]  # (card id, title of the topic the card is in)


def card_id(practice: Practice) -> str:
    """The HTML id of a practice's card: the index's page numbers point here."""
    return f"practice-{practice.id}-{practice.span.line}"


def practice_index(paper: Paper, anchors: Anchors, themes: list[Theme]) -> list[PracticeEntry]:
    """Each practice once, by identity, with every topic that mentions it; each mention links
    to the practice's card in that topic (so print gives the card's page, not the topic's).
    A topic is named by its title without the profile's `index-topic-label` ("Sub theme:"):
    in a list of topics the label says nothing."""
    label = paper.profile.words.get("index-topic-label", "")
    entries: dict[str, PracticeEntry] = {}
    for theme in themes:
        for topic in theme.walk():
            if topic.practices is None:
                continue
            for practice in topic.practices:
                entry = entries.get(practice.id)
                if entry is None:
                    entry = PracticeEntry(
                        practice.id, _practice_name(practice), practice.country, []
                    )
                    entries[practice.id] = entry
                entry.country = entry.country or practice.country
                title = topic.title_text
                if label and title.startswith(label):
                    title = title[len(label) :].strip()
                mention = (card_id(practice), title)
                if mention not in entry.mentions:
                    entry.mentions.append(mention)
    return sorted(entries.values(), key=lambda e: e.name.lower())


def _practice_name(practice: Practice) -> str:
    return practice.name or practice.id.replace("-", " ").capitalize()


def practice_heading(render: InlineRenderer, practice: Practice) -> Markup:
    """A card's heading: its title in the one form of `render.cards` (the head as the paper
    wrote it, with its link, without the colon that led into the description)."""
    return render(card_title(practice))


def embedded_images(images: dict[str, str]) -> dict[str, str]:
    """The web page's images (src → file URL, as checked by the build) as data URIs: the
    page is self-contained, so a paper's images travel inside it. A file that is not an
    image type browsers show is left out (its alt text stays)."""
    out = {}
    for src, url in images.items():
        path = Path(unquote(urlsplit(url).path))
        kind = mimetypes.guess_type(path.name)[0] or ""
        if kind.startswith("image/"):
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            out[src] = f"data:{kind};base64,{data}"
    return out


def meetings_per_year(themes: list[Theme]) -> Timeline:
    """Distinct dated, past meetings and papers per year, by category (`render.timeline`)."""
    return timeline(unique_meetings(themes))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plain"] = plain
    env.filters["date_label"] = date_label
    env.globals["kind_labels"] = KIND_LABELS
    env.globals["card_id"] = card_id
    env.globals["long_meeting"] = long_meeting
    return env


def stylesheet(name: str) -> str:
    return (TEMPLATES / name).read_text("utf-8")


def _context(paper: Paper, media: str, themes: list[Theme], images: dict[str, str]) -> dict:
    anchors = Anchors()
    footnotes = {note.label: note for note in paper.footnotes}
    render = InlineRenderer(footnotes, media, images)
    meta = paper.metadata
    profile = paper.profile
    keywords = ["RAN", meta.short_name or "", *[theme.title_text for theme in themes]]
    return {
        "paper": paper,
        "meta": meta,
        "themes": themes,
        "media": media,
        "inline": render,
        "anchor": anchors,
        "practices": practice_index(paper, anchors, themes),
        "keywords": ", ".join(k for k in keywords if k),
        "published": published(paper),
        "profile": profile,
        "page_css": page_css(profile) if media == "print" else "",
        "word": partial(_word, profile),
        "linked_word": partial(_linked_word, profile),
        "published_iso": meta.date.isoformat() if meta.date else "",
        "footnote_numbers": render.numbers,
        "practice_heading": partial(practice_heading, render),
        "leaders_box": leaders_box(paper),
        "breakable": render.breakable,  # the templates' own text, prepared as the inline's
    }


def _word(profile: Profile, key: str, **values: object) -> Markup:
    """An interface word for a template, escaped as text and for a double-quoted attribute
    (`'` is left as it is: the templates quote attributes with `"`)."""
    text = profile.word(key, **values)
    return Markup(
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    )


def _linked_word(profile: Profile, key: str, placeholder: str, href: str, text: str) -> Markup:
    """An interface word with a link in place of its `{placeholder}` (`Profile.around`),
    escaped as `_word`'s."""
    before, after = profile.around(key, placeholder)
    return escape(before) + Markup('<a href="{}">{}</a>').format(href, text) + escape(after)


STYLESHEET_PAGE_NUMBER = "{page} / {pages}"
"""How print.css numbers pages; a profile that says otherwise gets its own rule (`page_css`)."""
STYLESHEET_PAGE_REF = "p. {page}"
"""How print.css writes a practice's page in the index; likewise."""


def css_string(text: str) -> str:
    """`text` as a CSS string, safe inside `<style>`: quotes, backslashes, controls and the
    characters of markup (`<`, `>`, `&`) written as CSS hex escapes, never as HTML entities
    (which CSS would print as written)."""
    out = []
    for char in text:
        if char in "\\\"<>&'" or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):X} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _counters(label: str, names: tuple[str, ...], counter: str) -> str:
    """`Seite {page} von {pages}` → `"Seite " counter(page) " von " counter(pages)`; with
    `counter` `target-counter(attr(href), page)` for a reference to another element's page."""
    parts = []
    for piece in re.split("(" + "|".join(re.escape("{" + n + "}") for n in names) + ")", label):
        if piece in {"{" + name + "}" for name in names}:
            parts.append(counter.replace("NAME", piece[1:-1]))
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def page_css(profile: Profile) -> Markup:
    """The print rules for a profile's page numbers (`Seite {page} von {pages}`) and page
    references (`S. {page}`), or "" when print.css already writes them so. Markup: the
    strings are escaped for CSS (`css_string`), and Jinja must not escape them again for HTML."""
    rules = []
    label = profile.word("page-number")
    if label != STYLESHEET_PAGE_NUMBER:
        content = _counters(label, ("page", "pages"), "counter(NAME)")
        rules.append("@page { @bottom-right { content: " + content + "; } }")
    reference = profile.word("page-ref")
    if reference != STYLESHEET_PAGE_REF:
        content = _counters(reference, ("page",), "target-counter(attr(href), page)")
        rules.append('.index-mentions a::after { content: ", " ' + content + "; }")
    return Markup("\n".join(rules))


def screen_css(profile: Profile) -> str:
    """The web page's stylesheet; a profile that hyphenates (`hyphens = "auto"`) has the
    browser hyphenate by the page's `lang` too (print.css holds the same rule for the PDF)."""
    css = stylesheet("screen.css")
    if profile.hyphens == "auto":
        css += ".hyphenate { hyphens: auto; }\n"
    return css


def published(paper: Paper) -> str:
    """The paper's date as its outputs write it (`24 November 2021`), or ""."""
    date = paper.metadata.date
    return paper.profile.format_day(date.day, date.month, date.year) if date else ""


def leaders_box(paper: Paper) -> bool:
    """Whether the outputs show the front matter's leaders in a box after the introduction:
    not when the introduction already names every one of them (the published paper does, in
    its own words), which would print them twice."""
    from ranpaper.model import block_texts

    leaders = [*paper.metadata.leaders.current, *paper.metadata.leaders.previous]
    if not leaders:
        return False
    written = " ".join(plain(text) for text, _span in block_texts(paper.introduction))
    return not all(leader.name in written for leader in leaders)


def render_paper(
    paper: Paper, media: str, timeline_svg: str = "", images: dict[str, str] | None = None
) -> str:
    """The paper for `media`; `images` maps each image's src to its file URL (the web page
    embeds them as data URIs)."""
    images = images or {}
    if media == "screen":
        images = embedded_images(images)
    context = _context(paper, media, paper.themes, images)
    context["timeline_svg"] = Markup(timeline_svg)
    data = meetings_per_year(paper.themes)
    context["timeline_rows"] = table_rows(data, paper.profile)
    context["timeline_legend"] = legend_items(data, paper.profile) if timeline_svg else []
    if media != "screen":
        context["css"] = ""
        return environment().get_template("paper.html.j2").render(context)
    from ranpaper.render.fonts import web_font_faces

    context["css"] = Markup(_FONTS_HERE + screen_css(paper.profile))
    page = environment().get_template("paper.html.j2").render(context)
    return page.replace(_FONTS_HERE, web_font_faces(page), 1)


_FONTS_HERE = "/* the fonts, subset to the page's characters */\n"
"""Where the web page's `@font-face` rules go, once the page they must cover is rendered."""


def render_brief(
    paper: Paper,
    theme: Theme,
    images: dict[str, str] | None = None,
    paper_pdf: str | None = None,
) -> str:
    """A theme's brief as print HTML; with `paper_pdf` (the paper's PDF, relative to the
    brief) it links back to the theme there (`brief.paper_link`)."""
    context = _context(paper, "print", [theme], images or {})
    context["theme"] = theme
    context["paper_link"] = brief.paper_link(paper, theme, paper_pdf)
    context["plan"] = brief.plan(paper, theme)  # what the brief holds, as every form of it
    return environment().get_template("brief.html.j2").render(context)
