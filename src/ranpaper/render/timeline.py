"""The timeline figure: dated meetings and papers per year, as a small SVG of our own.

What it counts: each distinct dated event once (however many topics cite it), in one of:
- the working group that organised it, when one group did;
- "Joint event (2+ groups)", when several did — counted once, not once per group,
  so that a year's bar is the number of events its axis says;
- for an event no working group is named for, what it is: "RAN publication, no
  group" (a paper, manual or brochure) or "RAN event, no group" — "other" said out loud —
  or, when its line does not say what it was, "No group, kind not stated" (never guessed).
Forthcoming and undated events are left out; the caption says so.

Colours are Okabe–Ito's eight (distinct for the common colour-vision deficiencies), in an
order that sets light against dark and keeps the two reds (orange, vermilion) far apart; "kind
not stated" is no ninth colour but an outline (a white segment with a dashed dark edge: what
the paper does not say is drawn as a gap, not as a group). Each segment also has a white edge,
and the data table beside the figure gives every number, so no reading depends on telling two
colours apart. The SVG carries a `<title>` (WeasyPrint turns it into the tagged figure's `/Alt`
text), `role="img"` and a `<desc>`. Text is real text set in the document's font, 12 units
high: 8 pt (the caption's size) where print sets the chart 113 mm wide, 13.6 px where the web
page shows it 544 px wide; a phone's stylesheet sets it larger. The legend is the page's own
HTML list (`legend_items`), under the chart and clear of its axis, so it reflows at any width;
`timeline_svg(..., legend=True)` draws it inside the SVG for the Word document's picture.
Written by hand, in a few lines, instead of matplotlib (about 120 MB installed for one bar
chart); the output is deterministic, so two builds are byte-identical.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from ranpaper.model import Meeting, MeetingKind
from ranpaper.profiles import Profile, default_profile

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any common colour-vision
# deficiency. Ordered so that neighbouring segments in a bar alternate dark and light and the
# two reds (orange, vermilion) are never neighbours.
PALETTE = [
    "#0072B2",  # blue (dark)
    "#E69F00",  # orange (light)
    "#009E73",  # bluish green (dark)
    "#F0E442",  # yellow (light)
    "#CC79A7",  # reddish purple
    "#000000",  # black
    "#56B4E9",  # sky blue (light)
    "#D55E00",  # vermilion (dark)
]
# What the paper does not say (a kind not stated): an outline, not a ninth colour.
OUTLINE_FILL, OUTLINE_STROKE, OUTLINE_DASH = "#ffffff", "#1c2630", "3 2"
JOINT = "Joint event (2+ groups)"
PUBLICATION = "RAN publication, no group"
EVENT = "RAN event, no group"
UNSTATED = "No group, kind not stated"
MORE_GROUPS = "Other working groups"
PUBLICATION_KINDS = {MeetingKind.paper, MeetingKind.manual, MeetingKind.brochure}
# Groups drawn in a colour of their own (with joint events, publications and events, the
# palette's eight); when there are more, the smallest share MORE_GROUPS (the table names them).
MAX_GROUPS = len(PALETTE) - 3
_NOT_GROUPS = (JOINT, PUBLICATION, EVENT, UNSTATED)


@dataclass
class Timeline:
    """Distinct dated events per year, by category, and the events themselves."""

    years: list[int] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # in drawing order, bottom first
    counts: dict[int, Counter[str]] = field(default_factory=dict)
    events: dict[int, list[Meeting]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(sum(per_year.values()) for per_year in self.counts.values())

    def colour(self, category: str) -> str:
        """The category's fill; "kind not stated" is white, drawn with a dashed outline."""
        if category == UNSTATED:
            return OUTLINE_FILL
        filled = [c for c in self.categories if c != UNSTATED]
        return PALETTE[filled.index(category) % len(PALETTE)]

    def breakdown(self, year: int) -> list[tuple[str, int]]:
        """(category, count) for a year, in the legend's order, zeros left out."""
        per_year = self.counts.get(year, Counter())
        return [(c, per_year[c]) for c in self.categories if per_year[c]]


def category(meeting: Meeting) -> str:
    if len(meeting.organisers) > 1:
        return JOINT
    if meeting.organisers:
        return meeting.organisers[0]
    if meeting.kind is None:
        return UNSTATED
    return PUBLICATION if meeting.kind in PUBLICATION_KINDS else EVENT


def timeline(meetings: list[Meeting]) -> Timeline:
    """The chart's data from distinct meetings (see `render.html.unique_meetings`)."""
    dated = [m for m in meetings if m.date is not None and not m.forthcoming]
    raw = [category(m) for m in dated]
    groups = Counter(c for c in raw if c not in _NOT_GROUPS)
    ranked = [g for g, _ in sorted(groups.items(), key=lambda gc: (-gc[1], gc[0]))]
    own = ranked if len(ranked) <= MAX_GROUPS else ranked[: MAX_GROUPS - 1]
    merged = [c if c in own or c in _NOT_GROUPS else MORE_GROUPS for c in raw]
    present = set(merged)
    order = [*own, MORE_GROUPS, *_NOT_GROUPS]
    result = Timeline(categories=[c for c in order if c in present])
    if not dated:
        return result
    first = min(m.date.start.year for m in dated if m.date)
    last = max(m.date.start.year for m in dated if m.date)
    result.years = list(range(first, last + 1))
    result.counts = {year: Counter() for year in result.years}
    result.events = {year: [] for year in result.years}
    for meeting, cat in zip(dated, merged, strict=True):
        assert meeting.date is not None
        year = meeting.date.start.year
        result.counts[year][cat] += 1
        result.events[year].append(meeting)
    return result


# The categories that are not a working group's name → their interface word in a profile.
_CATEGORY_WORDS = {
    JOINT: "timeline-joint",
    PUBLICATION: "timeline-publication",
    EVENT: "timeline-event",
    UNSTATED: "timeline-unstated",
    MORE_GROUPS: "timeline-more-groups",
}


def label(category: str, profile: Profile | None = None) -> str:
    """A category as the profile's outputs name it (a working group's name stays as it is)."""
    key = _CATEGORY_WORDS.get(category)
    return (profile or default_profile()).word(key) if key else category


def describe(data: Timeline, profile: Profile | None = None) -> str:
    """The figure's text alternative: what it shows and every year's total."""
    profile = profile or default_profile()
    if not data.years:
        return profile.word("timeline-alt-empty")
    per_year = "; ".join(f"{y}: {sum(data.counts[y].values())}" for y in data.years)
    busiest = max(data.years, key=lambda y: (sum(data.counts[y].values()), -y))
    return profile.word(
        "timeline-alt",
        total=data.total,
        first=data.years[0],
        last=data.years[-1],
        per_year=per_year,
        busiest=busiest,
    )


# Geometry, in SVG user units: 480 wide, text 12 high (see the module's docstring for the
# sizes each medium gives it).
WIDTH = 480
FONT = 12
PLOT_TOP, PLOT_HEIGHT = 14, 170
LEFT, RIGHT = 34, 6
LEGEND_ROW = 18


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if top / step <= 6:
            return step
    return 1000


def legend_items(data: Timeline, profile: Profile | None = None) -> list[tuple[str, str, bool]]:
    """(label, fill, outlined) for each category, in the bars' order (bottom first): the web
    page's and the PDF's legend."""
    return [(label(c, profile), data.colour(c), c == UNSTATED) for c in data.categories]


def _segment_style(data: Timeline, category: str) -> str:
    if category == UNSTATED:
        return f'stroke="{OUTLINE_STROKE}" stroke-dasharray="{OUTLINE_DASH}" '
    return ""


def timeline_svg(
    data: Timeline, title: str, profile: Profile | None = None, *, legend: bool = False
) -> str:
    """A stacked bar chart of `data` as inline SVG (no XML prolog: it sits inside HTML), in
    the words of `profile` (default: the default profile); with `legend`, its legend drawn
    inside (for a picture, where no HTML list can stand beside it)."""
    totals = [sum(data.counts[y].values()) for y in data.years]
    top = max(totals, default=0)
    step = _nice_step(max(top, 1))
    axis_top = max(step, -(-top // step) * step)
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(len(data.years), 1)
    bar = slot * 0.68
    base = PLOT_TOP + PLOT_HEIGHT
    label_every = 1 if slot >= FONT * 2.6 else 2 if slot >= FONT * 1.3 else 5
    legend_top = base + FONT * 2 + 20  # a clear band between the years and the legend
    rows = -(-len(data.categories) // 2) if legend else 0
    height = legend_top + rows * LEGEND_ROW + 4 if legend else base + FONT * 2 + 8

    def y_of(value: float) -> float:
        return base - value * PLOT_HEIGHT / axis_top

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        'aria-labelledby="timeline-title timeline-desc" class="timeline-chart" '
        f'font-family="Open Sans, sans-serif" font-size="{FONT}">',
        f'<title id="timeline-title">{escape(describe(data, profile))}</title>',
        f'<desc id="timeline-desc">{escape(title)}</desc>',
        '<g class="grid" stroke="#dde4ea" stroke-width="1">',
    ]
    for value in range(0, axis_top + 1, step):
        y = y_of(value)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
    out.append("</g>")
    out.append('<g class="y-axis" fill="#3d4852" text-anchor="end">')
    for value in range(0, axis_top + 1, step):
        out.append(f'<text x="{LEFT - 5}" y="{y_of(value) + FONT * 0.35:.1f}">{value}</text>')
    out.append("</g>")
    out.append('<g class="bars" stroke="#ffffff" stroke-width="1">')
    for index, year in enumerate(data.years):
        x = LEFT + index * slot + (slot - bar) / 2
        bottom = 0
        for cat, count in data.breakdown(year):
            y1, y2 = y_of(bottom + count), y_of(bottom)
            out.append(
                f'<rect x="{x:.1f}" y="{y1:.1f}" width="{bar:.1f}" height="{y2 - y1:.1f}" '
                f'fill="{data.colour(cat)}" {_segment_style(data, cat)}>'
                f"<title>{year}: {escape(label(cat, profile))}, {count}</title></rect>"
            )
            bottom += count
        if bottom:
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{y_of(bottom) - 3:.1f}" stroke="none" '
                f'fill="#1c2630" text-anchor="middle" font-size="{FONT - 2}">{bottom}</text>'
            )
    out.append("</g>")
    out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" stroke="#5b6875"/>')
    out.append('<g class="x-axis" fill="#3d4852" text-anchor="middle">')
    for index, year in enumerate(data.years):
        if index % label_every == 0:
            x = LEFT + index * slot + slot / 2
            out.append(f'<text x="{x:.1f}" y="{base + FONT + 4}">{year}</text>')
    out.append("</g>")
    if legend:
        out.append('<g class="legend" fill="#1c2630">')
        column = (WIDTH - 4) / 2
        for index, cat in enumerate(data.categories):
            x = 4 + (index % 2) * column
            y = legend_top + (index // 2) * LEGEND_ROW
            edge = (
                f'stroke="{OUTLINE_STROKE}" stroke-dasharray="{OUTLINE_DASH}" stroke-width="1"'
                if cat == UNSTATED
                else 'stroke="#5b6875" stroke-width="0.5"'
            )
            out.append(
                f'<rect x="{x:.1f}" y="{y - FONT + 2}" width="{FONT - 2}" height="{FONT - 2}" '
                f'fill="{data.colour(cat)}" {edge}/>'
            )
            out.append(f'<text x="{x + FONT + 3:.1f}" y="{y}">{escape(label(cat, profile))}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def table_rows(data: Timeline, profile: Profile | None = None) -> list[tuple[int, int, str]]:
    """(year, events, breakdown) for the figure's data table."""
    rows = []
    for year in data.years:
        parts = []
        for cat, count in data.breakdown(year):
            if cat in (JOINT, MORE_GROUPS):
                groups = sorted(
                    " + ".join(m.organisers)
                    for m in data.events[year]
                    if (len(m.organisers) > 1) == (cat == JOINT)
                    and category(m) not in data.categories[: data.categories.index(cat)]
                    and m.organisers
                )
                parts.append(f"{label(cat, profile)}: {count} ({', '.join(groups)})")
            else:
                parts.append(f"{label(cat, profile)}: {count}")
        rows.append((year, sum(data.counts[year].values()), " · ".join(parts)))
    return rows
