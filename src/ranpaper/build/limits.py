"""The bounds of a build: what a paper may cost to render, set by whoever runs CI.

A paper under the size cap can still describe a document no renderer should be asked to lay
out (a hundred thousand list items, tens of thousands of meetings or footnotes). Four limits
keep a build bounded; each failure is a `LimitError` (exit 1) and replaces nothing:

- `max-elements`: the paper's model nodes (blocks, items, inline pieces, footnotes, leaders),
  counted before anything is rendered — the cheap, early guard;
- `max-pages`: pages of one PDF, counted after layout and before writing;
- `render-memory-mib`: the address space of each render worker (`RLIMIT_AS`, where the
  system enforces one: `workers.memory_cap_unavailable`);
- `render-seconds`: the time one render (a PDF, the DOCX) may take, kept by the main
  process (`workers.RenderWorkers`).

Set them in `[tool.ranpaper]` (`config.py`); 0 switches a limit off.
"""

from __future__ import annotations

import dataclasses

from ranpaper.build.errors import LimitError
from ranpaper.limits import (  # declared once, below the configuration
    DEFAULT_MAX_ELEMENTS,
    DEFAULT_MAX_PAGES,
    DEFAULT_RENDER_MEMORY_MIB,
    DEFAULT_RENDER_SECONDS,
    Limits,
)
from ranpaper.model import Node, Paper, Span

__all__ = [
    "DEFAULT_MAX_ELEMENTS",
    "DEFAULT_MAX_PAGES",
    "DEFAULT_RENDER_MEMORY_MIB",
    "DEFAULT_RENDER_SECONDS",
    "Limits",
    "check_elements",
    "count_elements",
]


def count_elements(paper: Paper, stop_after: int | None = None) -> int:
    """The paper's model nodes (source positions not counted), without recursion, so that
    nesting of any depth is counted; stops early once `stop_after` is passed."""
    count = 0
    stack: list[object] = [paper]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, Node) and not isinstance(value, Span):
            count += 1
            if stop_after is not None and count > stop_after:
                return count
            stack.extend(
                getattr(value, item.name)
                for item in dataclasses.fields(value)  # type: ignore[arg-type]
                if item.name not in ("problems", "waivers", "ignored")
            )
    return count


def check_elements(paper: Paper, limits: Limits) -> None:
    if not limits.max_elements:
        return
    count = count_elements(paper, stop_after=limits.max_elements)
    if count > limits.max_elements:
        raise LimitError(
            f"the paper has more than {limits.max_elements:,} elements (blocks, list items, "
            "meetings, footnotes, inline pieces) and is not rendered (`max-elements` in "
            "[tool.ranpaper]); nothing was replaced",
            paper.path,
        )
