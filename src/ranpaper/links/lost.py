"""What is still lost, grouped by document: `ranpaper links --lost`.

The same document is often cited from several topics ("Rehabilitation manual" three times):
the people who search for it want one row per document with every place it is cited, so that
one URL found recovers them all. Titles are grouped as a reader would, ignoring case and blanks;
a link that is a part of a meeting line rather than its title ("Video", "Part 1") is named with
the meeting's title, so that two meetings' videos stay two documents. Nothing else is guessed:
two different titles for one document stay two rows.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from ranpaper.links.citations import Citation, citations, match
from ranpaper.links.registry import Registry
from ranpaper.model import Paper


@dataclass
class LostDocument:
    """A document whose links are lost: its title as first cited, and every citation."""

    paper: str
    title: str
    citations: list[Citation] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "paper": self.paper,
            "document": self.title,
            "citations": [
                {
                    "text": c.text,
                    "topic": c.place,
                    "line": c.span.line,
                    "column": c.span.column,
                }
                for c in self.citations
            ],
        }


def still_lost(paper: Paper, registry: Registry | None) -> tuple[list[LostDocument], int]:
    """The documents of `paper` with lost links the registry does not recover, in order of
    first citation, and how many links the registry recovers."""
    recovered: set[int] = set()
    if registry is not None:
        recovered = {id(c.link) for c in match(paper, registry).recovered}
    documents: dict[str, LostDocument] = {}
    for citation in citations(paper):
        if not citation.link.is_lost or id(citation.link) in recovered:
            continue
        key = citation.document.casefold()
        if key not in documents:
            documents[key] = LostDocument(paper.path or "<input>", citation.document)
        documents[key].citations.append(citation)
    return list(documents.values()), len(recovered)


def as_table(documents: list[LostDocument]) -> str:
    """A plain-text table: one block of rows per document, its title on the first row."""
    rows = [("document", "line", "cited in (topic)")]
    for document in documents:
        for index, citation in enumerate(document.citations):
            title = document.title if index == 0 else ""
            rows.append((title, str(citation.span.line), citation.place))
    width = min(60, max(len(row[0]) for row in rows))
    line_width = max(len(row[1]) for row in rows)
    out = []
    for title, line, place in rows:
        shown = title if len(title) <= width else title[: width - 1] + "…"
        out.append(f"{shown:<{width}}  {line:>{line_width}}  {place}".rstrip())
    return "\n".join(out) + "\n"


def as_csv(documents: list[LostDocument]) -> str:
    """One row per document, for a spreadsheet of links to find: where it is cited, and an
    empty `url` column to fill in."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["paper", "document", "cited", "lines", "topics", "url"])
    for document in documents:
        writer.writerow(
            [
                document.paper,
                document.title,
                len(document.citations),
                " ".join(str(c.span.line) for c in document.citations),
                " | ".join(dict.fromkeys(c.place for c in document.citations)),
                "",
            ]
        )
    return stream.getvalue()


def as_json(documents: list[LostDocument]) -> str:
    return json.dumps([d.to_dict() for d in documents], indent=2, ensure_ascii=False) + "\n"


FORMATS = {"table": as_table, "csv": as_csv, "json": as_json}
