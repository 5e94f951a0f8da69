"""HTML → PDF with WeasyPrint: tagged PDF/UA, fonts embedded, nothing fetched from outside.

Fonts: the stylesheet's `@font-face` rules are honoured only through a `FontConfiguration`
given both to the stylesheet and to `write_pdf`; it sees the shipped fonts and no others
(`render/fonts.py`), so the PDF is set in Open Sans on any machine.

The URL fetcher is the security boundary of a build from untrusted source: it serves files
only from inside the allowed folders (the paper's own folder and the package's templates),
resolved with symlinks, size-capped, and refuses every other URL — no network, no `file://`
elsewhere. A refused fetch fails the build instead of leaving an image silently out.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ranpaper.assets import MAX_ASSET_BYTES
from ranpaper.errors import RanpaperError
from ranpaper.resources import TEMPLATES


class RefusedFetch(RanpaperError):
    pass


def _fetcher_class():
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class PaperFetcher(URLFetcher):
        def __init__(self, roots: list[Path]) -> None:
            super().__init__(allowed_protocols={"file"}, fail_on_errors=True, timeout=5)
            self.roots = [root.resolve() for root in roots]
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict | None = None):
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                return self.refuse(url, "only files inside the paper's folder may be used")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                return self.refuse(url, "is outside the paper's folder")
            if not path.is_file():
                return self.refuse(url, "does not exist")
            if path.stat().st_size > MAX_ASSET_BYTES:
                return self.refuse(url, "is larger than 10 MiB")
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), status=200)

        def refuse(self, url: str, reason: str):
            self.refused.append(f"{url}: {reason}")
            raise FatalURLFetchingError(f"refused to fetch {url}: {reason}")

    return PaperFetcher


class TooManyPages(RanpaperError):
    pass


def _finish(document: object, pdf: object) -> None:
    """What WeasyPrint leaves for the file to do before it is written (its `finisher`)."""
    _header_scopes(document, pdf)
    _relative_links(pdf)
    _plain_bookmarks(pdf)


def _plain_bookmarks(pdf: object) -> None:
    """A bookmark's title is its heading's text as CSS's `content()` gives it, invisible
    characters included: the word joiner that keeps `VL/RWE` on one line (`render.html`,
    `breakable_text`) is taken out, so that a bookmark reads, searches and is spoken as the
    heading shows it."""
    import pydyf

    from ranpaper.render.html import WORD_JOINER

    for item in pdf.objects:  # type: ignore[attr-defined]
        if not isinstance(item, pydyf.Dictionary):
            continue
        title = item.get("Title")
        if isinstance(title, pydyf.String) and WORD_JOINER in str(title.string):
            item["Title"] = pydyf.String(str(title.string).replace(WORD_JOINER, ""))


def _relative_links(pdf: object) -> None:
    """A link the HTML writes relative (a brief's to its paper, `../paper.pdf#nameddest=…`)
    leaves WeasyPrint resolved against the templates folder: a `file:` URL of the machine
    that built it, dead anywhere else. It is written back relative to the PDF: to a PDF, as a
    go-to-remote action that opens that file at the named destination (ISO 32000-1, 12.6.4.3;
    WeasyPrint names a destination after each HTML id); to anything else, as a relative URI.
    Its description (`/Contents`, read by screen readers) is the file's name, not the URL."""
    import os
    from urllib.request import url2pathname

    import pydyf

    for annotation in pdf.objects:  # type: ignore[attr-defined]
        if not isinstance(annotation, pydyf.Dictionary) or annotation.get("Subtype") != "/Link":
            continue
        action = annotation.get("A")
        uri = action.get("URI") if isinstance(action, pydyf.Dictionary) else None
        if not isinstance(uri, pydyf.String):
            continue
        parts = urlsplit(str(uri.string))
        if parts.scheme != "file":
            continue  # a web address: the policy (`ranpaper.urls`) let it through as it is
        target = os.path.relpath(url2pathname(parts.path), TEMPLATES).replace(os.sep, "/")
        name = unquote(target.rpartition("/")[2])
        destination = unquote(parts.fragment).removeprefix("nameddest=")
        if target.lower().endswith(".pdf"):
            remote = {"Type": "/Action", "S": "/GoToR", "F": pydyf.String(unquote(target))}
            if destination:
                remote["D"] = pydyf.String(destination)
            annotation["A"] = pydyf.Dictionary(remote)
        else:
            relative = target + (f"#{parts.fragment}" if parts.fragment else "")
            annotation["A"] = pydyf.Dictionary(
                {"Type": "/Action", "S": "/URI", "URI": pydyf.String(relative)}
            )
        annotation["Contents"] = pydyf.String(name)


def _header_scopes(_document: object, pdf: object) -> None:
    """Give each table header cell its scope (PDF/UA-1, ISO 14289-1 7.5 / Matterhorn 15-003):
    a `TH` in the table's head is a column's header, one in its body a row's. WeasyPrint tags
    the cells but writes no `/Scope`; HTML's `scope` says the same thing, and this finisher
    writes it into the structure element's attributes before the file is written."""
    import pydyf

    objects = [o for o in pdf.objects if isinstance(o, pydyf.Dictionary)]  # type: ignore[attr-defined]
    by_reference = {f"{o.number} 0 R".encode(): o for o in objects if o.number is not None}

    def parent(element: pydyf.Dictionary) -> pydyf.Dictionary | None:
        reference = element.get("P")
        return by_reference.get(reference) if isinstance(reference, bytes) else None

    for element in objects:
        if element.get("Type") != "/StructElem" or element.get("S") != "/TH":
            continue
        row = parent(element)
        group = parent(row) if row is not None else None
        scope = "/Column" if group is not None and group.get("S") == "/THead" else "/Row"
        element["A"] = pydyf.Dictionary({"O": "/Table", "Scope": scope})


def write_pdf(
    html: str, target: Path, paper_folder: Path, identifier: str, max_pages: int | None = None
) -> None:
    """Render `html` to `target`. `identifier` seeds the PDF's file ID (reproducible); a
    layout of more than `max_pages` pages is refused before anything is written."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    from ranpaper.render.fonts import font_configuration

    fetcher = _fetcher_class()([paper_folder, TEMPLATES])
    fonts = font_configuration()
    document = weasyprint.HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(
        filename=str(TEMPLATES / "print.css"), url_fetcher=fetcher, font_config=fonts
    )
    options = {
        "pdf_variant": "pdf/ua-1",
        "pdf_identifier": hashlib.sha256(identifier.encode()).hexdigest()[:32].encode(),
        "uncompressed_pdf": False,
    }
    try:
        # What `HTML.write_pdf` does, in its two steps, to count the pages in between.
        rendered = document.render(font_config=fonts, stylesheets=[stylesheet], **options)
        if max_pages and len(rendered.pages) > max_pages:
            raise TooManyPages(
                f"{target.name} would have {len(rendered.pages)} pages, over the limit of "
                f"{max_pages} (`max-pages` in [tool.ranpaper]); nothing was replaced"
            )
        rendered.write_pdf(target, finisher=_finish, **options)
    except FatalURLFetchingError as error:
        raise RefusedFetch(str(error)) from None
    if fetcher.refused:
        raise RefusedFetch("; ".join(fetcher.refused))
