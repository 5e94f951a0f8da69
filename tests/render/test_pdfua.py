"""The PDFs checked for PDF/UA-1 by a checker that is not ranpaper's: `pdfua` (PyPI, built on
pikepdf, no JVM), which decides the machine-checkable part of ISO 14289-1 it implements
(docs/accessibility.md says which part, and what no checker can decide). The paper and every
brief have no finding; the header cells of the chart's table carry their scope."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

STEM = "rehabilitation-overview"


def _pdfs(built: Path) -> list[Path]:
    return [built / f"{STEM}.pdf", *sorted((built / "briefs").glob("*.pdf"))]


def test_pdfua_finds_nothing_in_the_paper_or_a_brief(built: Path) -> None:
    from pdfua import validate

    for pdf in _pdfs(built):
        report = validate(str(pdf))
        findings = [(f.rule_id, f.severity.name, f.message) for f in report.findings]
        assert findings == [], (pdf.name, findings)
        assert report.exit_code == 0


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
