"""ranpaper: a RAN overview paper kept as checked Markdown source.

import ranpaper
paper = ranpaper.load("source/rehabilitation-overview.md")
for topic, meeting in paper.meetings():
    print(topic, "|", meeting)          # str() of a node is its plain text

See docs/api.md.
"""

from ranpaper import check  # `ranpaper.check.check_paper` without importing it first
from ranpaper.errors import RanpaperError
from ranpaper.model import Paper
from ranpaper.parse import parse
from ranpaper.workspace import Document, Workspace, load, load_all

__all__ = [
    "Document",
    "Paper",
    "RanpaperError",
    "Workspace",
    "check",
    "load",
    "load_all",
    "parse",
]
__version__ = "0.1.0"
