"""ranpaper: a RAN overview paper kept as checked Markdown source.

import ranpaper
paper = ranpaper.load("source/rehabilitation-overview.md")
for topic, meeting in paper.meetings():
    print(topic, "|", meeting)          # str() of a node is its plain text

See docs/api.md.

The names below are imported when first used (PEP 562), so that `ranpaper lsp` and `--version`
do not pay for the parser and the rules before they need them. `ranpaper.parse` is the
function, as it always was, also once the subpackage `ranpaper.parse` has been imported (the
import system then sets the package's attribute to the subpackage; `_Package` keeps the
function there).
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ranpaper.errors import RanpaperError
    from ranpaper.model import Paper
    from ranpaper.parse import parse
    from ranpaper.workspace import Document, Workspace, load, load_all

__all__ = [
    "Document",
    "Paper",
    "RanpaperError",
    "Workspace",
    "load",
    "load_all",
    "parse",
]
__version__ = "0.1.0"

_HOMES = {
    "Document": "ranpaper.workspace",
    "Paper": "ranpaper.model",
    "RanpaperError": "ranpaper.errors",
    "Workspace": "ranpaper.workspace",
    "load": "ranpaper.workspace",
    "load_all": "ranpaper.workspace",
    "parse": "ranpaper.parse",
}


_SUBMODULES = frozenset({"check"})  # `ranpaper.check.check_paper` without importing it first


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return import_module(f"ranpaper.{name}")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'ranpaper' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


class _Package(ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        if name == "parse" and isinstance(value, ModuleType):
            value = value.parse  # the subpackage, just imported: its function
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
