"""What `ranpaper serve` knows about each paper, and how a change on disk becomes a new page.

Nothing here knows HTTP: `Live` reads, checks and renders papers when told which files
changed, and keeps for each paper its last good page (rendered from a version without
errors), its current findings and a version number that the browser's reload follows.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ranpaper.check import unreadable
from ranpaper.diagnostics import Diagnostic, Severity
from ranpaper.errors import RanpaperError
from ranpaper.model import Image, Paper, inline_texts, walk_inline
from ranpaper.workspace import Workspace

if TYPE_CHECKING:
    from ranpaper.config import Config
from ranpaper.resources import TEMPLATES


@dataclass
class PaperView:
    """One served paper. `html` is the last page rendered from a version without errors
    (None until there is one); `diagnostics` are always those of the file as it is now."""

    path: Path
    name: str  # its URL: /<name>/
    html: str | None = None
    good: Paper | None = None  # the model the page was rendered from (for the PDF)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    version: int = 0
    digest: str = ""  # of the source text last checked
    assets: frozenset[Path] = frozenset()  # the files its images name, existing or not

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.error]

    @property
    def broken(self) -> bool:
        """The file as it is now has errors: the page shown is the last good one, if any."""
        return bool(self.errors)


@dataclass(frozen=True)
class Refresh:
    """What re-reading one paper did, for the terminal."""

    view: PaperView
    changed: bool  # a new version: the browser reloads
    new: list[Diagnostic]  # findings that were not there before
    seconds: float


def asset_candidates(paper: Paper, folder: Path) -> frozenset[Path]:
    """The files the paper's images would be read from, whether they exist or not: a change
    to one of them (created, edited, deleted) can change the paper's findings or its PDF."""
    found: set[Path] = set()
    for text, _span in inline_texts(paper):
        for node in walk_inline(text):
            if isinstance(node, Image):
                parts = urlsplit(node.src.strip())
                if not parts.scheme and not parts.netloc and parts.path:
                    found.add((folder / unquote(parts.path)).resolve())
    return frozenset(found)


def timeline_for(paper: Paper) -> str:
    """The timeline chart, as `build` draws it (an SVG written directly: cheap enough to
    draw on every save)."""
    from ranpaper.render.html import meetings_per_year
    from ranpaper.render.timeline import timeline_svg

    profile = paper.profile
    return timeline_svg(
        meetings_per_year(paper.themes), profile.word("timeline-chart-title"), profile
    )


def render_page(paper: Paper) -> str:
    """The paper's web page exactly as `ranpaper build` writes it (screen media)."""
    from ranpaper.assets import paper_images
    from ranpaper.render.html import render_paper

    images, _refused = paper_images(paper, Path(paper.path or ".").resolve().parent)
    return render_paper(paper, "screen", timeline_for(paper), images)


def _names(paths: list[Path]) -> list[str]:
    """URL names: the file's stem, made unique by a number when two papers share one."""
    names: list[str] = []
    for path in paths:
        name, n = path.stem, 2
        while name in names:
            name, n = f"{path.stem}-{n}", n + 1
        names.append(name)
    return names


class Live:
    """The served papers, their configuration, and what to do when files change."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        # A local preview of one's own files: their configuration is trusted.
        self.workspace = Workspace.load(paths[0], trusted=True)
        files = self.workspace.papers(list(paths)).papers
        self.views: dict[str, PaperView] = {
            name: PaperView(path=path, name=name)
            for name, path in zip(_names(files), files, strict=True)
        }

    # --- what to watch -----------------------------------------------------------------

    def folders(self) -> list[Path]:
        """Folders watched recursively: the papers' folders (papers and images)."""
        roots: list[Path] = []
        for entry in self.paths:
            folder = (entry if entry.is_dir() else entry.parent).resolve()
            if not any(folder.is_relative_to(root) for root in roots):
                roots = [r for r in roots if not r.is_relative_to(folder)] + [folder]
        return roots

    @property
    def config(self) -> Config:
        return self.workspace.config

    @property
    def config_file(self) -> Path | None:
        return Path(self.config.source).resolve() if self.config.source else None

    # --- changes -----------------------------------------------------------------------

    def refresh_all(self, force: bool = False) -> list[Refresh]:
        return [self.refresh(view, force) for view in self.views.values()]

    def changed(self, paths: set[Path]) -> list[Refresh]:
        """Re-check and re-render what the changed files affect, and only that."""
        paths = {path.resolve() for path in paths}
        if self.config_file in paths:
            self.workspace = Workspace.load(self.paths[0], trusted=True)  # broken: RanpaperError
            return self.refresh_all(force=True)
        if any(path.is_relative_to(TEMPLATES) for path in paths):
            from ranpaper.render.html import environment

            environment.cache_clear()
            return self.refresh_all(force=True)
        self._discover()
        done = []
        for view in self.views.values():
            own = view.path.resolve()
            if own in paths:
                done.append(self.refresh(view))
            elif paths & view.assets:
                done.append(self.refresh(view, force=True))
        return done

    def _discover(self) -> None:
        """Papers added to a served folder are served too (a deleted one stays, as a
        finding, until it comes back)."""
        try:
            files = self.workspace.papers(list(self.paths)).papers
        except RanpaperError:
            return
        known = {view.path for view in self.views.values()}
        for path in files:
            if path not in known:
                name = _names([*(view.path for view in self.views.values()), path])[-1]
                self.views[name] = PaperView(path=path, name=name)

    def refresh(self, view: PaperView, force: bool = False) -> Refresh:
        """Read, check and (when it has no errors) render one paper. The page and the
        version change only when what the browser shows changes."""
        started = time.perf_counter()
        before = view.diagnostics
        paper: Paper | None = None
        try:
            text = self.workspace.read(view.path)
        except RanpaperError as error:
            view.digest = ""
            found = [unreadable(view.path, error, self.config)]
        else:
            digest = hashlib.sha256(text.encode()).hexdigest()
            if digest == view.digest and not force:
                return Refresh(view, False, [], time.perf_counter() - started)
            view.digest = digest
            document = self.workspace.open(view.path, text)
            paper, found = document.paper, document.diagnostics
        changed = found != before
        if paper is not None:
            view.assets = asset_candidates(paper, view.path.resolve().parent)
        if paper is not None and not any(d.severity is Severity.error for d in found):
            html = render_page(paper)
            changed = changed or html != view.html
            view.html, view.good = html, paper
        view.diagnostics = found
        if changed:
            view.version += 1
        seen = set(before)
        new = [d for d in found if d not in seen]
        return Refresh(view, changed, new, time.perf_counter() - started)
