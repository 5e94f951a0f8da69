"""`ranpaper build`: render every requested output of every paper, then move all of them into
place at once.

- Outputs are staged in a hidden folder inside the output folder and renamed into place only
  when every output succeeded: a failed or interrupted build leaves the previous outputs
  exactly as they were and no staging files behind.
- PDFs (the paper and its briefs) are independent, so they render in a process pool on all
  cores; the HTML for them is made once, in this process, from the one parsed model.
- A content hash of the source, the templates, the fonts and ranpaper's version decides
  whether a paper needs rendering at all: an unchanged paper is not rendered again.
- Outputs are reproducible: dates come from the paper (or SOURCE_DATE_EPOCH), the PDF file
  identifier from the content hash.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ranpaper import __version__
from ranpaper.assets import resolve_asset
from ranpaper.errors import RanpaperError
from ranpaper.model import Image, Paper, Theme, inline_texts, walk_inline
from ranpaper.parse.practice import slugify
from ranpaper.resources import TEMPLATES

if TYPE_CHECKING:
    # Imported where renders start: a no-change rebuild never needs the process pool.
    import concurrent.futures

ALL_FORMATS = ("pdf", "html", "json", "briefs")
CACHE_FILE = ".ranpaper-cache.json"
RENDER_TIMEOUT = 300  # seconds for all PDFs of a build; WeasyPrint on the paper takes ~10 s


@dataclass
class PdfJob:
    html: str
    target: Path  # relative to the staging folder
    paper_folder: Path
    identifier: str


@dataclass
class Plan:
    """What one paper's build writes: text files now, PDFs in the pool."""

    paper: Paper
    key: str
    texts: dict[Path, str] = field(default_factory=dict)
    pdfs: list[PdfJob] = field(default_factory=list)

    @property
    def outputs(self) -> list[Path]:
        return sorted([*self.texts, *(job.target for job in self.pdfs)])


def content_key(source: str, formats: tuple[str, ...]) -> str:
    """Changes whenever anything that shapes the outputs changes."""
    digest = hashlib.sha256()
    digest.update(f"ranpaper {__version__}\n{','.join(formats)}\n".encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    digest.update(_templates_digest())
    digest.update(source.encode())
    return digest.hexdigest()


@functools.cache
def _templates_digest() -> bytes:
    """The templates, stylesheets and fonts, hashed once per run (the fonts are most of
    the bytes, and every paper's key needs them)."""
    digest = hashlib.sha256()
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(TEMPLATES).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.digest()


def brief_name(theme: Theme) -> str:
    return f"{theme.number:02d}-{slugify(theme.title_text)[:60]}"


def expected_outputs(paper: Paper, formats: tuple[str, ...], brief_dir: Path) -> list[Path]:
    """The files a build of `paper` writes, known without rendering anything."""
    stem = Path(paper.path or "paper").stem
    names = [Path(f"{stem}.{fmt}") for fmt in ("json", "html", "pdf") if fmt in formats]
    if "briefs" in formats:
        for theme in paper.themes:
            name = brief_dir / brief_name(theme)
            names += [name.with_suffix(".md"), name.with_suffix(".pdf")]
    return sorted(names)


class BuildError(RanpaperError):
    """The paper cannot be rendered as it is (exit 1, like a failing check)."""


def paper_images(paper: Paper, folder: Path) -> dict[str, str]:
    """Every image of the paper → the file URL the renderer may fetch; refuse the others."""
    images: dict[str, str] = {}
    for text, span in inline_texts(paper):
        for node in walk_inline(text):
            if isinstance(node, Image):
                path, reason = resolve_asset(folder, node.src)
                if path is None:
                    line = (node.span or span).line
                    raise BuildError(f'image "{node.src}" {reason}', paper.path, line)
                images[node.src] = path.as_uri()
    return images


def plan_paper(
    paper: Paper,
    key: str,
    formats: tuple[str, ...],
    brief_dir: Path,
    submit: Callable[[PdfJob], None],
) -> Plan:
    """Everything but the PDF rendering itself: HTML, JSON and Markdown are made here. Each
    PDF job goes to `submit` the moment its HTML exists — the paper's first, as it is the
    longest — so that rendering starts while the rest is prepared."""
    from ranpaper.render.json import to_json

    stem = Path(paper.path or "paper").stem
    plan = Plan(paper, key)
    folder = Path(paper.path or ".").resolve().parent
    images = paper_images(paper, folder)

    def add(job: PdfJob) -> None:
        plan.pdfs.append(job)
        submit(job)

    if "pdf" in formats or "briefs" in formats:
        from ranpaper.render.fonts import missing_glyphs

        for char, line in missing_glyphs(paper)[:1]:
            raise BuildError(
                f"the shipped font (Open Sans) has no glyph for {char!r} (U+{ord(char):04X}); "
                "the PDF would show an empty box: use another character",
                paper.path,
                line,
            )

    svg = ""
    if "pdf" in formats or "html" in formats:
        from ranpaper.render.html import meetings_per_year, render_paper
        from ranpaper.render.timeline import timeline_svg

        svg = timeline_svg(meetings_per_year(paper.themes), "Meetings and papers per year")
        if "pdf" in formats:
            html = render_paper(paper, "print", svg, images)
            add(PdfJob(html, Path(f"{stem}.pdf"), folder, plan.key + stem))
    if "briefs" in formats:
        from ranpaper.render.html import render_brief
        from ranpaper.render.markdown import write_brief

        for theme in paper.themes:
            name = brief_dir / brief_name(theme)
            html = render_brief(paper, theme, images)
            add(PdfJob(html, name.with_suffix(".pdf"), folder, plan.key + name.as_posix()))
            plan.texts[name.with_suffix(".md")] = write_brief(paper, theme)
    if "html" in formats:
        # The web page fetches nothing: its images are embedded in it (data URIs).
        plan.texts[Path(f"{stem}.html")] = render_paper(paper, "screen", svg, images)
    if "json" in formats:
        plan.texts[Path(f"{stem}.json")] = to_json(paper)
    return plan


def _render_pdf(job: PdfJob, staging: Path) -> Path:
    from ranpaper.render.pdf import write_pdf

    target = staging / job.target
    target.parent.mkdir(parents=True, exist_ok=True)
    write_pdf(job.html, target, job.paper_folder, job.identifier)
    return job.target


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A fresh folder inside `out` (same file system, so renames are atomic); always removed."""
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ranpaper-staging-", dir=out))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _read_cache(out: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    try:
        data = json.loads((out / CACHE_FILE).read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def cached_up_to_date(sources: dict[str, str], out: Path, formats: tuple[str, ...]) -> bool:
    """Whether every paper (path → source text) is already built, judged from the cache
    alone: no parsing, so a no-change rebuild costs no more than a check."""
    cache = _read_cache(out)
    for path, source in sources.items():
        entry = cache.get(path)
        if entry is None or entry.get("key") != content_key(source, formats):
            return False
        if not all((out / name).is_file() for name in entry.get("outputs", [])):
            return False
    return True


def _up_to_date(
    path: str,
    key: str,
    outputs: list[Path],
    cache: dict[str, dict],
    out: Path,  # type: ignore[type-arg]
) -> bool:
    entry = cache.get(path)
    return (
        entry is not None
        and entry.get("key") == key
        and entry.get("outputs") == [p.as_posix() for p in outputs]
        and all((out / p).is_file() for p in outputs)
    )


Progress = Callable[[str], None]


@dataclass
class BuildResult:
    paper: str
    outputs: list[Path]
    rendered: bool


def build(
    papers: list[tuple[Paper, str]],
    out: Path,
    formats: tuple[str, ...],
    progress: Progress | None = None,
    pool: concurrent.futures.ProcessPoolExecutor | None = None,
) -> list[BuildResult]:
    """Build `papers` (each with its source text) into `out`; all or nothing. PDFs render in
    `pool` (from `start_workers`, ideally started before the papers were checked, so that
    the workers import WeasyPrint meanwhile); the pool is shut down when the build ends."""
    say = progress or (lambda message: None)
    several = len(papers) > 1
    cache = _read_cache(out)
    results: list[BuildResult] = []
    todo: list[tuple[Paper, str, Path]] = []
    for paper, source in papers:
        path = paper.path or ""
        brief_dir = Path("briefs") / Path(path or "paper").stem if several else Path("briefs")
        key = content_key(source, formats)
        outputs = expected_outputs(paper, formats, brief_dir)
        if _up_to_date(path, key, outputs, cache, out):
            results.append(BuildResult(path, [out / p for p in outputs], False))
        else:
            todo.append((paper, key, brief_dir))
    try:
        if not todo:
            return sorted(results, key=lambda result: result.paper)
        if pool is None and ("pdf" in formats or "briefs" in formats):
            pool = start_workers()
        return _write(todo, formats, results, cache, out, say, pool)
    except TimeoutError:  # concurrent.futures.TimeoutError is the builtin since 3.11
        raise BuildError(
            f"rendering took longer than {RENDER_TIMEOUT} s and was stopped; nothing was written",
            str(out),
        ) from None
    except OSError as error:
        raise RanpaperError(
            f"cannot write the outputs: {error.strerror or error}", str(error.filename or out)
        ) from None
    finally:
        stop_workers(pool)


def _warm_up() -> None:
    """Import WeasyPrint in a worker while the main process is still preparing the HTML."""
    import weasyprint  # noqa: F401


def start_workers(workers: int | None = None) -> concurrent.futures.ProcessPoolExecutor:
    """The PDF render workers, one per core, already importing WeasyPrint. Every render runs
    in a worker, even a single one: that is what puts a time limit on rendering."""
    import concurrent.futures

    count = max(1, workers or os.cpu_count() or 1)
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=count)
    for _ in range(count):
        pool.submit(_warm_up)
    return pool


def stop_workers(pool: concurrent.futures.ProcessPoolExecutor | None) -> None:
    """Stop the workers now, running or not: after a timeout, a failure or an interrupt there
    is nothing to wait for (the executor has no public way to kill a running worker)."""
    if pool is None:
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _write(
    todo: list[tuple[Paper, str, Path]],
    formats: tuple[str, ...],
    results: list[BuildResult],
    cache: dict,  # type: ignore[type-arg]
    out: Path,
    say: Progress,
    pool: concurrent.futures.ProcessPoolExecutor | None,
) -> list[BuildResult]:
    import concurrent.futures

    with staging_folder(out) as staging:
        futures: list[concurrent.futures.Future[Path]] = []

        def submit(job: PdfJob) -> None:
            assert pool is not None
            futures.append(pool.submit(_render_pdf, job, staging))

        plans = []
        for paper, key, brief_dir in todo:
            say(f"preparing {Path(paper.path or 'paper').stem}")
            plans.append(plan_paper(paper, key, formats, brief_dir, submit))
        for plan in plans:
            for relative, text in plan.texts.items():
                target = staging / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, "utf-8")
        for future in concurrent.futures.as_completed(futures, timeout=RENDER_TIMEOUT):
            say(f"rendered {future.result()}")
        with _signals_deferred():
            for plan in plans:
                path = plan.paper.path or ""
                placed = [_publish(staging, out, relative) for relative in plan.outputs]
                cache[path] = {"key": plan.key, "outputs": [p.as_posix() for p in plan.outputs]}
                results.append(BuildResult(path, placed, True))
            cache_tmp = staging / CACHE_FILE
            cache_tmp.write_text(json.dumps(cache, indent=1, sort_keys=True), "utf-8")
            os.replace(cache_tmp, out / CACHE_FILE)
    results.sort(key=lambda result: result.paper)
    return results


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C or a CI cancellation during the final renames would leave half the outputs new
    and half old: hold those signals for the few milliseconds the renames take."""
    signals = {signal.SIGINT, signal.SIGTERM}
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _publish(staging: Path, out: Path, relative: Path) -> Path:
    target = out / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staging / relative, target)
    return target


def terminal_progress(quiet: bool) -> Progress | None:
    """One line per step on a terminal; nothing when quiet or when output is redirected."""
    if quiet or not sys.stderr.isatty():
        return None

    def show(message: str) -> None:
        sys.stderr.write(f"\r\x1b[2K  {message} …")
        sys.stderr.flush()

    return show
