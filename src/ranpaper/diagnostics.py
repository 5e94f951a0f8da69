"""What the checker reports: a `Diagnostic` is one finding at one place, with a code and a
severity, shaped like a compiler message (path, 1-based line and column, end position)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Diagnostic(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: Severity
    message: str
    hint: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


class Summary(BaseModel):
    papers: int
    errors: int
    warnings: int
    infos: int
    failed: bool


def summarise(diagnostics: list[Diagnostic], papers: int, strict: bool) -> Summary:
    counts = {severity: 0 for severity in Severity}
    for diagnostic in diagnostics:
        counts[diagnostic.severity] += 1
    failed = counts[Severity.error] > 0 or (strict and counts[Severity.warning] > 0)
    return Summary(
        papers=papers,
        errors=counts[Severity.error],
        warnings=counts[Severity.warning],
        infos=counts[Severity.info],
        failed=failed,
    )
