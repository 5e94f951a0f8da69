"""The build's errors. Both exit with 1, like a failing check: the paper cannot be built as
it is. (An output folder that cannot be written safely is `staging.OutputFolderError`, exit 2:
the build could not run.)"""

from __future__ import annotations

from ranpaper.errors import RanpaperError


class BuildError(RanpaperError):
    """The paper cannot be rendered as it is (exit 1, like a failing check)."""


class LimitError(BuildError):
    """The paper is larger than a build limit allows (pages, elements, memory, time)."""
