"""What the checker reports: a `Diagnostic` is one finding at one place, with a code and a
severity, shaped like a compiler message (path, 1-based line and column, end position)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Applicability(StrEnum):
    """Whether a fix may be applied without a person looking (as ruff's `Applicability`):
    `safe` fixes keep the paper's meaning and are applied by `--fix`; `unsafe` ones may change
    it and need `--unsafe-fixes`."""

    safe = "safe"
    unsafe = "unsafe"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the source text from (`line`, `column`) up to but not including (`end_line`,
    `end_column`) with `text`. 1-based; columns count characters (code points) of the line.
    An insertion has its start equal to its end; a deletion has empty `text`."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A finding's remedy as data: edits to source spans, applied together or not at all."""

    message: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.safe


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
    fix: Fix | None = None

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
