"""Pathological inputs for `check`: each shape that once made it quadratic (issue 17), scaled
1× to 64× up to the size cap, with the cost per byte reported so that a flat column shows the
work is linear. It asserts nothing; it writes bench/results/pathological.md.

    python3 bench/pathological.py            # 1×–64× (64× is just under the size cap)
    python3 bench/pathological.py --quick    # 1×–8×, one round

Each size is timed in this process, with the collector tuned as `ranpaper check` tunes it,
`check` (parse and every rule) against a bare markdown-it parse of the same text, in turn,
round after round; the ratio is the median of the rounds'
ratios, so a slow spell of the machine falls on both sides. `check / bare` flat from 1× to 64×
means check's cost per byte grows no faster than markdown-it's own.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

from ranpaper.check import check_paper
from ranpaper.config import Config
from ranpaper.limits import MAX_BYTES
from ranpaper.parse import parse

RESULTS = Path(__file__).resolve().parent / "results" / "pathological.md"
UNIT = MAX_BYTES // 64 - 1024  # 64 units and the paper around them stay under the cap

HEAD = "---\ntitle: T\ndate: 2021-11-24\n---\n# Main theme 1: T\n\n## Topic\n\n"
MEETINGS = HEAD + "### Meetings and papers\n\n"


def _repeat(piece: str, size: int) -> str:
    return piece * max(1, size // len(piece))


def brackets_before_link(size: int) -> str:
    """`](` many times in one paragraph, then a link: each `](` was matched to the end."""
    return HEAD + _repeat("](", size) + " [a](https://example.org/)\n"


def leaders_with_escapes(size: int) -> str:
    """Leader names written with YAML escapes: each name was searched for line by line."""
    entry = '    - name: "Le\\u00e4der {i}"\n      period: 2019–present\n'
    count = max(1, size // len(entry.format(i=size)))  # the longest entry: stay under `size`
    leaders = "".join(entry.format(i=i) for i in range(count))
    front = f"---\ntitle: T\ndate: 2021-11-24\nleaders:\n  current:\n{leaders}---\n"
    return front + "# Main theme 1: T\n"


def escaped_footnote_refs(size: int) -> str:
    """`&#91;^zz]` reads as `[^zz]` but is not written so: each was searched for to the end."""
    return HEAD + _repeat("&#91;^zz] ", size) + "\n"


def place_on_a_long_word(size: int) -> str:
    """A meeting whose place is one long word: the place pattern backtracked."""
    return MEETINGS + "- EXIT: Title, A" + _repeat("andA", size) + "!, 3 May 2020\n"


def percent_autolinks(size: int) -> str:
    """Autolinks with percent escapes: markdown-it decodes them, so each was not found."""
    return HEAD + _repeat("<https://example.org/%41%42> ", size) + "\n"


def many_link_groups(size: int) -> str:
    """A meeting line with many parenthesised link groups (was recursive)."""
    return MEETINGS + "- Title " + _repeat("([a](#), [b](#)) ", size) + ", 3 May 2020\n"


def nested_bullets(size: int) -> str:
    """Bullets nested ever deeper (markdown-it's limit dropped the rest of the file)."""
    lines, depth = [], 0
    while sum(len(line) for line in lines) < size:
        lines.append("  " * (depth % 40) + "- x\n")
        depth += 1
    return HEAD + "".join(lines)


SHAPES: dict[str, Callable[[int], str]] = {
    "`](` before a link": brackets_before_link,
    "leader names with YAML escapes": leaders_with_escapes,
    "`&#91;^zz]` repeated": escaped_footnote_refs,
    "place pattern on a long word": place_on_a_long_word,
    "autolinks with percent escapes": percent_autolinks,
    "meeting with many link groups": many_link_groups,
    "nested bullets": nested_bullets,
}

BARE = MarkdownIt("commonmark")
CONFIG = Config()


def _time(action: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(text: str, rounds: int) -> tuple[float, float]:
    """(median seconds of check, median of check / bare round by round)."""
    checks, ratios = [], []
    for _ in range(rounds):
        bare = _time(lambda: BARE.parse(text))
        check = _time(lambda: check_paper(parse(text, "p.md"), CONFIG))
        checks.append(check)
        ratios.append(check / max(bare, 1e-6))
    return statistics.median(checks), statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1×–8×, one round")
    args = parser.parse_args()
    # As `ranpaper check` runs (cli.run): with the default thresholds the collector rescans
    # the growing model over and over, which alone makes a 4 MB paper look superlinear.
    gc.set_threshold(200_000, 30, 30)
    factors = [1, 2, 4, 8] if args.quick else [1, 4, 16, 64]
    rounds = 1 if args.quick else 3
    lines = [
        "# Pathological inputs: check's cost per byte",
        "",
        f"`python3 bench/pathological.py{' --quick' if args.quick else ''}`, "
        f"Python {sys.version.split()[0]}. Unit 1× = {UNIT // 1024} KiB; 64× is just under "
        f"the {MAX_BYTES // 1048576} MiB cap. µs/KiB is check's time per KiB of input; "
        "`÷ bare` is check's time over a bare markdown-it parse of the same text, timed in "
        f"turn ({rounds} round(s), median of the rounds' ratios). Flat columns: linear.",
        "",
        "| shape | × | KiB | check s | µs/KiB | ÷ bare |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    worst = 0.0
    for name, shape in SHAPES.items():
        for factor in factors:
            text = shape(UNIT * factor)
            size = len(text.encode("utf-8"))
            seconds, over_bare = measure(text, rounds)
            worst = max(worst, seconds)
            row = (
                f"| {name} | {factor} | {size // 1024} | {seconds:.3f} | "
                f"{seconds * 1e6 / (size / 1024):.0f} | {over_bare:.2f} |"
            )
            print(row, flush=True)
            lines.append(row)
    lines += ["", f"Slowest check of any input: {worst:.2f} s (target: ≤ 10 s under the cap)."]
    if not args.quick:
        RESULTS.write_text("\n".join(lines) + "\n", "utf-8")
        print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
