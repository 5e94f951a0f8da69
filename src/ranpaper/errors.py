"""The one error type the library raises: something stops ranpaper from reading a paper at all.

Findings about a paper's content are not errors: they are `Problem`s in the model and
diagnostics from the checker. `RanpaperError` is for could-not-run: a missing path, a file
that is not text, a file over the size cap. It always names the file, and the line if any.
"""

from __future__ import annotations


class RanpaperError(Exception):
    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"
