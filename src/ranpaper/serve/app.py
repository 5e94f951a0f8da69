"""The web side of `ranpaper serve`: a Starlette app, a file watcher and the reload events.

Routes:
- `/` — the papers (straight to the paper's page when there is one);
- `/<name>/` — a paper's web page with the findings overlay and the reload script;
- `/<name>.pdf` — the paper's PDF, rendered on request from its last good version, and
  cached by content (the print HTML and the bytes of its images). It is made as `ranpaper
  build` makes it: the build's PDF job (`build.formats.pdf`), refused by the same checks
  (`max-elements`, images, glyphs), run in the build's render worker (`build.workers`:
  `max-pages`, `render-seconds`, `render-memory-mib`); a paper build refuses is refused here
  with the build's message;
- `/_live/events?paper=<name>` — server-sent events: the paper's version, sent on connect
  and whenever it changes; the page reloads when it differs from its own.

Every request must name, in its `Host` header, the address the server listens on
(`HostCheck`): a web page elsewhere whose name was made to resolve to this machine (DNS
rebinding) gets a 421, never the paper. Names in pages go through `printing.html_text`, in
the terminal through `printing.shown`/`visible`, in headers through
`printing.content_disposition`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import quote, unquote, urlsplit

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
from starlette.types import ASGIApp, Receive, Scope, Send

from ranpaper.build.limits import Limits
from ranpaper.diagnostics import summarise
from ranpaper.errors import RanpaperError
from ranpaper.model import Paper
from ranpaper.printing import content_disposition, html_text, shown, visible
from ranpaper.resources import TEMPLATES
from ranpaper.serve.page import EVENTS_PATH, served_page
from ranpaper.serve.state import Live, PaperView, Refresh

if TYPE_CHECKING:
    from ranpaper.build.artifacts import Job
    from ranpaper.build.workers import RenderWorkers

KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARDS = ("", "0.0.0.0", "::")


def pdf_job(paper: Paper, limits: Limits) -> tuple[Job, str]:
    """The PDF render job of a paper exactly as `ranpaper build` makes it, and its content
    key (the print HTML and its images' bytes). Refused, with the build's message, where the
    build refuses the paper before rendering: over `max-elements`, an image it may not use,
    a character the font lacks."""
    from ranpaper.build.artifacts import Job, PaperBuild
    from ranpaper.build.formats import pdf
    from ranpaper.build.limits import check_elements
    from ranpaper.build.run import refuse_missing_glyphs

    check_elements(paper, limits)
    paper_build = PaperBuild(paper, key="")
    images = paper_build.images
    refuse_missing_glyphs(paper)
    job = next(iter(pdf.make(paper_build)))
    if not isinstance(job, Job):  # the PDF output is one render job
        raise TypeError(f"the PDF output made {type(job).__name__}, not a render job")
    html, folder = job.args[0], job.args[1]
    digest = hashlib.sha256(html.encode("utf-8", "surrogatepass"))
    for url in images.values():
        digest.update(Path(unquote(urlsplit(url).path)).read_bytes())
    key = digest.hexdigest()
    # the PDF's file identifier from its content, as the build seeds it from its key
    return Job(job.path, job.function, (html, folder, key), job.paper), key


def allowed_hosts(host: str, port: int | None) -> frozenset[str]:
    """The `Host` values a request may carry: the loopback names and the address given to
    `--host`, each with the port (without it too on port 80); `port` None accepts any."""
    names = {*LOOPBACK_NAMES, f"[{host}]" if ":" in host else host}
    if port is None:
        return frozenset(name.lower() for name in names)
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:
        hosts |= names
    return frozenset(item.lower() for item in hosts)


def _split_host(value: str) -> tuple[str, str]:
    """`name:port`, `[v6]:port`, `name` or `[v6]` → (name, port or "")."""
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        return name, rest.removeprefix(":")
    name, colon, port = value.rpartition(":")
    return (name, port) if colon else (value, "")


def _ip_literal(value: str, port: int | None) -> bool:
    """Whether a `Host` value names the server by an IP address (no DNS, so no rebinding),
    on its port."""
    name, given = _split_host(value)
    if port is not None and given != str(port) and not (port == 80 and not given):
        return False
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class HostCheck:
    """ASGI middleware, the DNS-rebinding defence: a request whose `Host` header does not
    name the address the server listens on is refused (421) before any route sees it. A
    server listening on every interface (`--host 0.0.0.0`) also answers its IP addresses."""

    def __init__(self, app: ASGIApp, server: Server) -> None:
        self.app = app
        self.server = server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.server.host_allowed(_host_header(scope)):
            response = PlainTextResponse(
                "misdirected request: this server answers only requests for "
                f"{self.server.address()} (the Host header names another)",
                status_code=421,
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _host_header(scope: Scope) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"host":
            return value.decode("latin-1")
    return None


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

    def __init__(
        self,
        live: Live,
        out: TextIO | None = None,
        debounce_ms: int = 50,
        host: str = "127.0.0.1",
        port: int | None = None,
    ) -> None:
        self.live = live
        self.host = host
        self.port = port
        self.hosts = allowed_hosts(host, port)
        self.out = out or sys.stdout
        self.debounce_ms = debounce_ms
        self.hub: Hub | None = None
        self.lock: asyncio.Lock | None = None
        self.stop_watching: asyncio.Event | None = None
        self.pdfs: dict[str, tuple[str, bytes]] = {}  # paper name → (content key, PDF)
        self.pdf_locks: dict[str, asyncio.Lock] = {}
        self.pool: RenderWorkers | None = None
        self.pool_limits: Limits | None = None  # the limits the worker was started with
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
        self.app.add_middleware(HostCheck, server=self)

    def host_allowed(self, value: str | None) -> bool:
        if not value:
            return False
        value = value.strip().lower()
        if value in self.hosts:
            return True
        return self.host in WILDCARDS and _ip_literal(value, self.port)

    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.port is not None else host

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
            f"{shown(view.path)}: {state} ({refresh.seconds * 1000:.0f} ms) — "
            f"{summary.errors} errors, {summary.warnings} warnings, {summary.infos} infos"
        )
        for d in refresh.new:
            self.out.write(
                f"  {shown(d.path)}:{d.line}:{d.column}: {d.severity.value}[{d.code}] "
                f"{visible(d.message)}\n"
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
                self.say(f"error: {visible(str(error))}; still using the previous configuration")
                return
            except Exception as error:  # a bug must not stop the server: say it, go on
                self.say(f"internal error: {type(error).__name__}: {visible(str(error))}")
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
        items = "".join(
            f'<li><a href="/{html_text(quote(view.name))}/">{html_text(view.path.name)}</a></li>'
            for view in views
        )
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
                f"{visible(view.path.name)} has no version without errors yet: no PDF",
                status_code=409,
            )
        lock = self.pdf_locks.setdefault(view.name, asyncio.Lock())
        async with lock:  # one render per paper at a time; the second request gets the cache
            paper = view.good
            limits = self.live.workspace.limits  # the limits every door enforces
            try:
                job, key = await asyncio.to_thread(pdf_job, paper, limits)
                cached = self.pdfs.get(view.name)
                if cached is None or cached[0] != key:
                    started = time.perf_counter()
                    data = await self.render(job, limits)
                    self.pdfs[view.name] = cached = (key, data)  # one PDF per paper: memory flat
                    seconds = time.perf_counter() - started
                    self.say(f"{shown(view.path)}: PDF rendered in {seconds:.1f} s")
            except RanpaperError as error:  # refused as the build refuses it, or a limit hit
                error.path = error.path or str(view.path)
                self.say(f"{shown(view.path)}: cannot render the PDF: {visible(error.message)}")
                return PlainTextResponse(
                    f"cannot render the PDF: {visible(str(error))}", status_code=409
                )
        return Response(
            cached[1],
            media_type="application/pdf",
            headers={"Content-Disposition": content_disposition(f"{view.name}.pdf")},
        )

    async def render(self, job: Job, limits: Limits) -> bytes:
        """Run the build's PDF job in the render worker, within the build's limits (the
        pool's clock stops a render at `render-seconds`; this waits a little longer, for a
        worker that never starts the render, then stops the worker)."""
        from concurrent.futures.process import BrokenProcessPool

        from ranpaper.build.errors import LimitError
        from ranpaper.build.workers import run_job

        pool = self.worker(limits)
        with tempfile.TemporaryDirectory(prefix="ranpaper-serve-") as tmp:
            future = asyncio.get_running_loop().run_in_executor(pool, run_job, job, Path(tmp))
            backstop = limits.render_seconds + 30 if limits.render_seconds else None
            try:
                relative = await asyncio.wait_for(future, backstop)
            except TimeoutError:
                self.stop_pool()
                raise LimitError(
                    f"rendering {job.path} took longer than {limits.render_seconds} s and was "
                    "stopped (`render-seconds` in [tool.ranpaper])",
                    job.paper,
                ) from None
            except BrokenProcessPool:  # killed at `render-seconds`, or out of memory
                self.stop_pool()
                raise pool.failure(job.paper) from None
            return (Path(tmp) / relative).read_bytes()

    def worker(self, limits: Limits) -> RenderWorkers:
        """The build's render worker (`build.workers`: its memory limit, its clock, ended with
        this process, spawned as every render worker), one, started on the first request;
        started again when the limits in the configuration change or it broke."""
        from ranpaper.build.workers import start_workers

        if self.pool is not None and self.pool_limits != limits:
            self.stop_pool()
        if self.pool is None:
            self.pool = start_workers(1, limits)
            self.pool_limits = limits
        return self.pool

    def stop_pool(self) -> None:
        """Stop the worker now (a PDF half rendered is not worth waiting for), and wait for
        the executor to let go of its queues and semaphores: a spawned pool's semaphores are
        otherwise reported as leaked when the command leaves."""
        from ranpaper.build.workers import stop_workers

        pool, self.pool, self.pool_limits = self.pool, None, None
        stop_workers(pool, wait=True)
