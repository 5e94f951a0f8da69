"""Hypothesis strategies for whole papers written to docs/authoring.md, with hostile text."""

from __future__ import annotations

from hypothesis import strategies as st

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzÄéß", min_size=1, max_size=8)
_META = st.sampled_from(
    [
        "*",
        "_",
        "`",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "#",
        "&",
        "\\",
        "!",
        ":",
        "-",
        "+",
        "1.",
        "[^x]",
        "**",
        "&amp;",
        "|",
        "~",
        "=",
        "'",
        '"',
        "–",
    ]
)
_TOKEN = st.one_of(_WORD, _WORD, _WORD, _META)


@st.composite
def phrase(draw: st.DrawFn, min_words: int = 1, max_words: int = 8) -> str:
    words = draw(st.lists(_TOKEN, min_size=min_words, max_size=max_words))
    text = " ".join(words).strip()
    if not any(c.isalpha() for c in text):
        text = "word " + text
    return text


@st.composite
def inline(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["plain", "plain", "em", "strong", "link", "lost"]))
        text = draw(phrase())
        safe = draw(_WORD)
        if kind == "em":
            parts.append(f"*{safe}*")
        elif kind == "strong":
            parts.append(f"**{safe}**")
        elif kind == "link":
            parts.append(f"[{safe}](https://example.org/{safe})")
        elif kind == "lost":
            parts.append(f"[{safe}](#)")
        else:
            parts.append(
                text.replace("\\", "\\\\")
                .replace("[", "\\[")
                .replace("*", "\\*")
                .replace("_", "\\_")
                .replace("`", "\\`")
                .replace("<", "\\<")
                .replace("#", "\\#")
                .replace("&", "\\&")
                .replace("-", "\\-")
                .replace("+", "\\+")
                .replace("1.", "1\\.")
                .replace("|", "\\|")
                .replace("=", "\\=")
                .replace("~", "\\~")
                .replace("]", "\\]")
                .replace("!", "\\!")
                .replace(">", "\\>")
            )
    return " ".join(parts)


_DATE = st.sampled_from(
    [
        "2012",
        "December 2018",
        "30 June 2020",
        "04-05 June 2012",
        "30 November-1 December 2020",
        "31 June 2020",
        "2-3 September 2015",
    ]
)


@st.composite
def meeting(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from(["EXIT WG Meeting: ", "P&P: ", "Paper: ", "", "Webinar: "]))
    place = draw(st.sampled_from(["", "Berlin, ", "online, ", "Wiesbaden & Frankfurt, "]))
    return f"- {head}{draw(inline())}, {place}{draw(_DATE)}"


@st.composite
def bullets(draw: st.DrawFn, depth: int = 0) -> list[str]:
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        lines.append("  " * depth + "- " + draw(inline()))
        if depth < 2 and draw(st.booleans()):
            lines.extend(draw(bullets(depth + 1)))
    return lines


@st.composite
def topic(draw: st.DrawFn, level: int) -> list[str]:
    out = [f"{'#' * level} {draw(phrase())}", ""]
    if draw(st.booleans()):
        out += [draw(inline()), ""]
    section = "#" * (level + 1)
    out += [f"{section} Meetings and papers", ""]
    out += [draw(meeting()) for _ in range(draw(st.integers(1, 3)))] + [""]
    out += [f"{section} Practices", ""]
    if draw(st.booleans()):
        out += ["None", ""]
    else:
        for _ in range(draw(st.integers(1, 2))):
            name = draw(_WORD)
            if draw(st.booleans()):
                out += [f"**{name} (Sweden)**", "", draw(inline()), ""]
            else:
                out += [f"[{name}, Org, Norway](#): {draw(inline())}", ""]
    out += [f"{section} Lessons learned and recommendations", ""]
    if draw(st.booleans()):
        out += [draw(inline()) + ":", ""]
    out += [*draw(bullets()), ""]
    out += [f"{section} What needs to be further explored?", ""]
    out += [draw(inline()), ""] if draw(st.booleans()) else [*draw(bullets()), ""]
    return out


@st.composite
def paper_source(draw: st.DrawFn) -> str:
    lines = ["---", "title: Generated", "date: 2021-11-24", "---", "", "# Introduction", ""]
    lines += [draw(inline()), ""]
    for number in range(1, draw(st.integers(1, 3)) + 1):
        lines += [f"# Main theme {number}: {draw(phrase())}", ""]
        for _ in range(draw(st.integers(1, 2))):
            lines += draw(topic(2))
    return "\n".join(lines) + "\n"
