"""The timeline figure: meetings per year by working group, as a vector SVG (matplotlib).

The SVG is made deterministic (fixed hash salt, no date metadata) so that two builds of the
same paper are byte-identical, and its text stays text (`svg.fonttype: none`) so that it is
set in the document's font and can be read by screen readers and text extraction.
"""

from __future__ import annotations

import io
from typing import cast

from ranpaper.resources import FONTS

PALETTE = [
    "#15355a",
    "#0b7a75",
    "#d9962b",
    "#7a4e9c",
    "#c0504d",
    "#4f81bd",
    "#8c9aa7",
    "#9bbb59",
    "#2e6e8e",
    "#b5651d",
    "#5b6875",
    "#e07b91",
]


def timeline_svg(counts: dict[int, dict[str, int]], title: str) -> str:
    """A stacked bar chart of `counts` (year → working group → number of meetings)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    # The figure is set in the document's own font, the one shipped with ranpaper.
    for font in sorted(FONTS.glob("OpenSans-*.ttf")):
        font_manager.fontManager.addfont(str(font))

    years = list(range(min(counts), max(counts) + 1)) if counts else []
    groups = sorted(
        {g for per_year in counts.values() for g in per_year}, key=lambda g: (g == "other", g)
    )
    with plt.rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "ranpaper",
            "font.family": "Open Sans",
            "font.size": 8,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": "#8c9aa7",
            "xtick.color": "#5b6875",
            "ytick.color": "#5b6875",
        }
    ):
        figure, axes = plt.subplots(figsize=(6.6, 3.2))
        bottoms = [0] * len(years)
        for index, group in enumerate(groups):
            values = [counts.get(year, {}).get(group, 0) for year in years]
            axes.bar(
                years,
                values,
                bottom=bottoms,
                width=0.7,
                label=group,
                color=PALETTE[index % len(PALETTE)],
                edgecolor="white",
                linewidth=0.4,
            )
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
        axes.set_xticks(years)
        axes.set_xticklabels([str(y) for y in years])
        axes.set_ylabel("Meetings and papers")
        # The default locator is an AutoLocator, a MaxNLocator: ticks at whole meetings only.
        cast(MaxNLocator, axes.yaxis.get_major_locator()).set_params(integer=True)
        axes.grid(axis="y", color="#dde4ea", linewidth=0.5)
        axes.set_axisbelow(True)
        if groups:
            axes.legend(
                title="Working group",
                frameon=False,
                fontsize=7,
                title_fontsize=7,
                loc="upper left",
                bbox_to_anchor=(1.0, 1.0),
            )
        axes.set_title(title, loc="left", fontsize=9, color="#15355a")
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        plt.close(figure)
    svg = buffer.getvalue()
    # Inline in HTML: drop the XML prolog and doctype that only a standalone file needs.
    return svg[svg.index("<svg") :]
