"""The caps every door enforces, declared once: the size of a paper, and the bounds of a
render. `check`, `fmt`, `diff`, `build`, `serve`, `lsp`, `links` and the library read them
from the workspace's configuration (`ranpaper.config`); `ranpaper.build.limits` enforces the
render bounds.

- `max-bytes`: papers above this size are refused before parsing (also an editor's buffer);
- `max-elements`: the paper's model nodes, counted before anything is rendered;
- `max-pages`: pages of one PDF, counted after layout and before writing;
- `render-memory-mib`: the address space of each render worker;
- `render-seconds`: the time one render (a PDF, the DOCX) may take.

0 switches a render bound off.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

MAX_BYTES = 1024 * 1024
"""Default size cap. A paper is tens of KiB (the bundled one 66 KiB); 1 MiB is fifteen times
that, and keeps `check` of any input under the cap within 10 s, even text made only of
Markdown's special characters (`bench/pathological.py`: markdown-it alone takes 3 µs a byte
on such text). A CI owner may raise it in the configuration CI pins (`max-bytes`)."""

# The bundled paper has about 1,100 elements and 40 pages, and its PDF takes about 10 s: the
# defaults leave room for papers many times its size.
DEFAULT_MAX_ELEMENTS = 20_000
DEFAULT_MAX_PAGES = 400
DEFAULT_RENDER_MEMORY_MIB = 3072
DEFAULT_RENDER_SECONDS = 120


@dataclass(frozen=True)
class Limits:
    max_elements: int = DEFAULT_MAX_ELEMENTS
    max_pages: int = DEFAULT_MAX_PAGES
    render_memory_mib: int = DEFAULT_RENDER_MEMORY_MIB
    render_seconds: int = DEFAULT_RENDER_SECONDS

    @classmethod
    def from_config(cls, config: object) -> Limits:
        return cls(
            **{
                item.name: getattr(config, item.name)
                for item in dataclasses.fields(cls)
                if isinstance(getattr(config, item.name, None), int)
            }
        )
