"""What the checker reports: a `Diagnostic` is one finding at one place, with a code and a
severity, shaped like a compiler message (path, 1-based line and column, end position)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding as the reports print it; a check can make tens of thousands of them."""

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

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


@dataclass(frozen=True, slots=True)
class Summary:
    papers: int
    errors: int
    warnings: int
    infos: int
    failed: bool

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


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
