"""The web side of `ranpaper serve`: a Starlette app, a file watcher and the reload events.

Routes:
- `/` — the papers (straight to the paper's page when there is one);
- `/<name>/` — a paper's web page with the findings overlay and the reload script;
- `/<name>.pdf` — the paper's PDF, rendered on request from its last good version, in a
  worker process, and cached by content (the print HTML and the bytes of its images);
- `/_live/events?paper=<name>` — server-sent events: the paper's version, sent on connect
  and whenever it changes; the page reloads when it differs from its own.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import hashlib
import multiprocessing
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TextIO

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from ranpaper.assets import resolve_asset
from ranpaper.diagnostics import summarise
from ranpaper.errors import RanpaperError
from ranpaper.model import Image, Paper, inline_texts, walk_inline
from ranpaper.resources import TEMPLATES
from ranpaper.serve.page import EVENTS_PATH, served_page
from ranpaper.serve.state import Live, PaperView, Refresh, timeline_for

KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream


def _pdf_bytes(html: str, folder: str, identifier: str) -> bytes:
    """Render in a worker process (WeasyPrint holds the interpreter for seconds)."""
    from ranpaper.render.pdf import write_pdf

    with tempfile.TemporaryDirectory(prefix="ranpaper-serve-") as tmp:
        target = Path(tmp) / "paper.pdf"
        write_pdf(html, target, Path(folder), identifier)
        return target.read_bytes()


def _print_html(paper: Paper, folder: Path) -> tuple[str, str]:
    """The print HTML of a paper and its content key (the HTML and its images' bytes)."""
    from ranpaper.render.html import render_paper

    images: dict[str, str] = {}
    digest = hashlib.sha256()
    for text, span in inline_texts(paper):
        for node in walk_inline(text):
            if isinstance(node, Image) and node.src not in images:
                path, reason = resolve_asset(folder, node.src)
                if path is None:
                    line = (node.span or span).line
                    raise RanpaperError(f'image "{node.src}" {reason}', paper.path, line)
                images[node.src] = path.as_uri()
                digest.update(path.read_bytes())
    html = render_paper(paper, "print", timeline_for(paper), images)
    digest.update(html.encode())
    return html, digest.hexdigest()


class Hub:
    """Wakes every open event stream when any paper changes."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.stopping = False

    def notify(self) -> None:
        event, self.event = self.event, asyncio.Event()
        event.set()

    def stop(self) -> None:
        self.stopping = True
        self.notify()


class Server:
    """The app and everything it holds: the papers, the watcher task, the PDF worker."""

    def __init__(self, live: Live, out: TextIO | None = None, debounce_ms: int = 50) -> None:
        self.live = live
        self.out = out or sys.stdout
        self.debounce_ms = debounce_ms
        self.hub: Hub | None = None
        self.lock: asyncio.Lock | None = None
        self.stop_watching: asyncio.Event | None = None
        self.pdfs: dict[str, tuple[str, bytes]] = {}  # paper name → (content key, PDF)
        self.pdf_locks: dict[str, asyncio.Lock] = {}
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.app = Starlette(
            routes=[
                Route("/", self.index),
                Route(EVENTS_PATH, self.events),
                Route("/{name}.pdf", self.pdf),
                Route("/{name}/", self.page),
                Route("/{name}", self.to_page),
            ],
            lifespan=self.lifespan,
        )

    # --- the terminal ------------------------------------------------------------------

    def say(self, message: str) -> None:
        self.out.write(f"{time.strftime('%H:%M:%S')} {message}\n")
        self.out.flush()

    def report(self, refresh: Refresh) -> None:
        """One line per re-read paper, then one line per finding that is new since the
        previous version (all of them the first time)."""
        view = refresh.view
        if not refresh.changed:
            return
        summary = summarise(view.diagnostics, 1, strict=False)
        state = "has errors: the page stays at the last good version" if view.broken else "ok"
        self.say(
            f"{view.path}: {state} ({refresh.seconds * 1000:.0f} ms) — {summary.errors} errors,"
            f" {summary.warnings} warnings, {summary.infos} infos"
        )
        for d in refresh.new:
            self.out.write(
                f"  {d.path}:{d.line}:{d.column}: {d.severity.value}[{d.code}] {d.message}\n"
            )
        self.out.flush()

    # --- the watcher -------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.hub = Hub()
        self.lock = asyncio.Lock()
        self.stop_watching = asyncio.Event()
        tasks = [
            asyncio.create_task(self.watch(roots, recursive)) for roots, recursive in self.roots()
        ]
        try:
            yield
        finally:
            self.stop()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self.stop_pool()

    def stop(self) -> None:
        """Ends the event streams and the watchers (Ctrl-C: the server is going down)."""
        if self.hub is not None:
            self.hub.stop()
        if self.stop_watching is not None:
            self.stop_watching.set()

    def roots(self) -> list[tuple[list[Path], bool]]:
        """The folders to watch: the papers' (recursively: papers and images), the
        templates', and the configuration file's (only that file)."""
        recursive = [*self.live.folders(), TEMPLATES]
        watched = [(recursive, True)]
        config = self.live.config_file
        if config is not None and not any(config.is_relative_to(r) for r in recursive):
            watched.append(([config.parent], False))
        return watched

    async def watch(self, roots: list[Path], recursive: bool) -> None:
        from watchfiles import DefaultFilter, awatch

        # watchfiles's default filter leaves out version control, caches, virtual
        # environments and editors' swap and backup files: none of them is the paper.
        async for changes in awatch(
            *roots,
            stop_event=self.stop_watching,
            recursive=recursive,
            step=self.debounce_ms,
            watch_filter=DefaultFilter(),
        ):
            await self.apply({Path(path) for _change, path in changes})

    async def apply(self, paths: set[Path]) -> None:
        assert self.lock is not None and self.hub is not None
        async with self.lock:
            try:
                done = await asyncio.to_thread(self.live.changed, paths)
            except RanpaperError as error:  # the configuration cannot be read
                self.say(f"error: {error}; still using the previous configuration")
                return
            except Exception as error:  # a bug must not stop the server: say it, go on
                self.say(f"internal error: {type(error).__name__}: {error}")
                return
        for refresh in done:
            self.report(refresh)
        if any(refresh.changed for refresh in done):
            self.hub.notify()

    # --- the routes --------------------------------------------------------------------

    def _view(self, request: Request) -> PaperView | None:
        return self.live.views.get(request.path_params.get("name", ""))

    async def index(self, request: Request) -> Response:
        views = list(self.live.views.values())
        if len(views) == 1:
            return RedirectResponse(f"/{views[0].name}/")
        items = "".join(f'<li><a href="/{view.name}/">{view.path.name}</a></li>' for view in views)
        return HTMLResponse(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>ranpaper serve'
            f"</title></head><body><h1>Papers</h1><ul>{items}</ul></body></html>"
        )

    async def to_page(self, request: Request) -> Response:
        view = self._view(request)
        if view is None:
            return PlainTextResponse("no such paper", status_code=404)
        return RedirectResponse(f"/{view.name}/")

    async def page(self, request: Request) -> Response:
        view = self._view(request)
        if view is None:
            return PlainTextResponse("no such paper", status_code=404)
        return HTMLResponse(served_page(view), headers={"Cache-Control": "no-store"})

    async def events(self, request: Request) -> Response:
        view = self.live.views.get(request.query_params.get("paper", ""))
        if view is None or self.hub is None:
            return PlainTextResponse("no such paper", status_code=404)
        hub = self.hub

        async def stream() -> AsyncIterator[str]:
            sent = None
            while not hub.stopping:
                waiter = hub.event  # taken before the version is read: no change is missed
                if view.version != sent:
                    sent = view.version
                    yield f"event: version\ndata: {sent}\n\n"
                try:
                    await asyncio.wait_for(waiter.wait(), KEEP_ALIVE)
                except TimeoutError:
                    yield ": still here\n\n"

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    async def pdf(self, request: Request) -> Response:
        view = self._view(request)
        if view is None:
            return PlainTextResponse("no such paper", status_code=404)
        if view.good is None:
            return PlainTextResponse(
                f"{view.path.name} has no version without errors yet: no PDF", status_code=409
            )
        lock = self.pdf_locks.setdefault(view.name, asyncio.Lock())
        async with lock:  # one render per paper at a time; the second request gets the cache
            paper, folder = view.good, view.path.resolve().parent
            try:
                html, key = await asyncio.to_thread(_print_html, paper, folder)
            except RanpaperError as error:
                return PlainTextResponse(f"cannot render the PDF: {error}", status_code=409)
            cached = self.pdfs.get(view.name)
            if cached is None or cached[0] != key:
                started = time.perf_counter()
                loop = asyncio.get_running_loop()
                try:
                    data = await loop.run_in_executor(
                        self.worker(), _pdf_bytes, html, str(folder), key
                    )
                except RanpaperError as error:  # e.g. a file WeasyPrint was refused
                    self.say(f"{view.path}: cannot render the PDF: {error}")
                    return PlainTextResponse(f"cannot render the PDF: {error}", status_code=409)
                self.pdfs[view.name] = cached = (key, data)  # one PDF per paper: memory flat
                self.say(f"{view.path}: PDF rendered in {time.perf_counter() - started:.1f} s")
        return Response(
            cached[1],
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{view.name}.pdf"'},
        )

    def worker(self) -> concurrent.futures.ProcessPoolExecutor:
        """One worker process for PDFs, started on the first request (spawned, not forked:
        this process runs threads)."""
        if self.pool is None:
            context = multiprocessing.get_context("spawn")
            self.pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=context)
        return self.pool

    def stop_pool(self) -> None:
        if self.pool is None:
            return
        for process in list((getattr(self.pool, "_processes", None) or {}).values()):
            process.terminate()  # a PDF half rendered is not worth waiting for
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None
