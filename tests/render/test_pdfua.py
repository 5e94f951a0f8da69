"""The PDFs checked for PDF/UA-1 by a checker that is not ranpaper's: `pdfua` (PyPI, built on
pikepdf, no JVM), which decides the machine-checkable part of ISO 14289-1 it implements
(docs/accessibility.md says which part, and what no checker can decide). The paper and every
brief have no finding; the header cells of the chart's table carry their scope."""

from __future__ import annotations

import itertools
from pathlib import Path

from pypdf import PdfReader

STEM = "rehabilitation-overview"


def _pdfs(built: Path) -> list[Path]:
    return [built / f"{STEM}.pdf", *sorted((built / "briefs").glob("*.pdf"))]


# A rule the checker could not run on ranpaper's files, and the test that decides it instead.
# pdfua 0.1.3's UA-14-001 ("heading elements are not empty") raises on a structure attribute
# WeasyPrint writes as an array: `test_no_heading_is_empty` below checks the same condition.
NOT_RUN_BY_PDFUA = {"UA-14-001"}


def test_pdfua_finds_nothing_in_the_paper_or_a_brief(built: Path) -> None:
    """No finding, and every rule run: a rule the checker skipped would pass unseen."""
    from pdfua import validate

    for pdf in _pdfs(built):
        report = validate(str(pdf))
        findings = [(f.rule_id, f.severity.name, f.message) for f in report.findings]
        assert findings == [], (pdf.name, findings)
        assert report.exit_code == 0
        skipped = {outcome.rule_id for outcome in report.skipped}
        assert skipped <= NOT_RUN_BY_PDFUA, (pdf.name, report.skipped)


def test_no_heading_is_empty(built: Path) -> None:
    """PDF/UA-1 7.4.2-1 and 7.4.4-1 (pdfua's UA-14-001, which cannot run here): every `H1`–`H6`
    structure element has content — marked content or a child — and the levels never skip
    one going down (the reading order of the tree)."""
    for pdf in _pdfs(built):
        reader = PdfReader(pdf)
        levels: list[int] = []

        def walk(element: object) -> None:
            element = element.get_object()  # type: ignore[attr-defined]
            if not isinstance(element, dict):
                return
            kind = str(element.get("/S", ""))
            kids = element.get("/K")
            listed = kids if isinstance(kids, list) else [] if kids is None else [kids]
            if kind in {f"/H{n}" for n in range(1, 7)}:
                assert listed, (pdf.name, kind, "empty heading")  # noqa: B023
                levels.append(int(kind[2]))  # noqa: B023
            for kid in listed:
                if hasattr(kid, "get_object"):
                    walk(kid)

        walk(reader.trailer["/Root"]["/StructTreeRoot"])
        assert len(levels) >= 5, pdf.name
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (pdf.name, levels)


def test_every_table_header_cell_has_its_scope(built: Path) -> None:
    """The chart's table: its three column headers are /Column, its ten year cells /Row, as the
    HTML's `scope` says (the issue counted 13 header cells without a scope)."""
    reader = PdfReader(built / f"{STEM}.pdf")
    scopes: list[str] = []

    def walk(element: object) -> None:
        element = element.get_object()  # type: ignore[attr-defined]
        if not isinstance(element, dict):
            return
        if element.get("/S") == "/TH":
            attributes = element.get("/A")
            scopes.append(str(attributes.get_object()["/Scope"]) if attributes else "")
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object"):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert scopes.count("/Column") == 3
    assert scopes.count("/Row") == len(scopes) - 3 >= 10
