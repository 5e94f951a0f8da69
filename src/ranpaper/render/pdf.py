"""HTML → PDF with WeasyPrint: tagged PDF/UA, fonts embedded, nothing fetched from outside.

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


def _fetcher_class():  # type: ignore[no-untyped-def]
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class PaperFetcher(URLFetcher):
        def __init__(self, roots: list[Path]) -> None:
            super().__init__(allowed_protocols={"file"}, fail_on_errors=True, timeout=5)
            self.roots = [root.resolve() for root in roots]
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict | None = None):  # type: ignore[no-untyped-def, type-arg]
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

        def refuse(self, url: str, reason: str):  # type: ignore[no-untyped-def]
            self.refused.append(f"{url}: {reason}")
            raise FatalURLFetchingError(f"refused to fetch {url}: {reason}")

    return PaperFetcher


def write_pdf(html: str, target: Path, paper_folder: Path, identifier: str) -> None:
    """Render `html` to `target`. `identifier` seeds the PDF's file ID (reproducible)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _fetcher_class()([paper_folder, TEMPLATES])
    document = weasyprint.HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher)
    # The stylesheet's @font-face rules load the bundled Open Sans only into a font
    # configuration given here; without one WeasyPrint ignores them and falls back to
    # whatever the system has (DejaVu on a fresh machine).
    fonts = FontConfiguration()
    stylesheet = weasyprint.CSS(
        filename=str(TEMPLATES / "print.css"), url_fetcher=fetcher, font_config=fonts
    )
    try:
        document.write_pdf(
            target,
            font_config=fonts,
            stylesheets=[stylesheet],
            pdf_variant="pdf/ua-1",
            pdf_identifier=hashlib.sha256(identifier.encode()).hexdigest()[:32].encode(),
            uncompressed_pdf=False,
        )
    except FatalURLFetchingError as error:
        raise RefusedFetch(str(error)) from None
    if fetcher.refused:
        raise RefusedFetch("; ".join(fetcher.refused))
