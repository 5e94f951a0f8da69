"""`ranpaper build`: make every requested output of every paper, then move all of them into
place at once.

- The outputs are a registry (`outputs.py`, one module each in `formats/`): `--format`, the
  expected files, the cache key and the staging all read it.
- Before anything is rendered: the output folder is checked (`staging`), two papers that
  would write the same file are refused, a file ranpaper did not write is never replaced,
  and a paper larger than the build's limits is refused (`limits`).
- Outputs are staged inside the output folder and moved into place only when every output of
  every paper succeeded (`staging`): a failed or interrupted build leaves the previous outputs
  exactly as they were.
- The slow renders (PDFs, DOCX) run in a process pool on all cores, within memory and time
  limits (`workers`); the HTML for them is made once, in this process, from the one model.
- A content key of the source, the templates, the fonts and ranpaper's version decides
  whether a paper needs building at all (`cache`).
- Outputs are reproducible: dates come from the paper (or SOURCE_DATE_EPOCH), file
  identifiers from the content key.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ranpaper.build.artifacts import brief_name as brief_name
    from ranpaper.build.cache import CACHE_FILE as CACHE_FILE
    from ranpaper.build.cache import cached_up_to_date as cached_up_to_date
    from ranpaper.build.cache import content_key as content_key
    from ranpaper.build.errors import BuildError as BuildError
    from ranpaper.build.errors import LimitError as LimitError
    from ranpaper.build.limits import Limits as Limits
    from ranpaper.build.outputs import ALL_FORMATS as ALL_FORMATS
    from ranpaper.build.outputs import DEFAULT_FORMATS as DEFAULT_FORMATS
    from ranpaper.build.outputs import REGISTRY as REGISTRY
    from ranpaper.build.outputs import parse_formats as parse_formats
    from ranpaper.build.run import BuildResult as BuildResult
    from ranpaper.build.run import build as build
    from ranpaper.build.run import terminal_progress as terminal_progress
    from ranpaper.build.staging import OutputFolderError as OutputFolderError
    from ranpaper.build.workers import start_workers as start_workers
    from ranpaper.build.workers import stop_workers as stop_workers

# What callers import from `ranpaper.build`, loaded when first used: `ranpaper check` reads the
# registry for its help text (`outputs`) and must not pay for the rest of the build.
_EXPORTS = {
    "ALL_FORMATS": "outputs",
    "BuildError": "errors",
    "BuildResult": "run",
    "CACHE_FILE": "cache",
    "DEFAULT_FORMATS": "outputs",
    "LimitError": "errors",
    "Limits": "limits",
    "OutputFolderError": "staging",
    "REGISTRY": "outputs",
    "brief_name": "artifacts",
    "build": "run",
    "cached_up_to_date": "cache",
    "content_key": "cache",
    "parse_formats": "outputs",
    "start_workers": "workers",
    "stop_workers": "workers",
    "terminal_progress": "run",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"ranpaper.build.{module}"), name)
