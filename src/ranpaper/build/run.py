"""`ranpaper build` itself: plan every paper, make its outputs, publish them at once (the
package's docstring says how)."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ranpaper import fs
from ranpaper.build.artifacts import Bytes, Job, PaperBuild, Text
from ranpaper.build.cache import (
    CACHE_FILE,
    cache_text,
    content_key,
    owned_outputs,
    read_cache,
    up_to_date,
)
from ranpaper.build.errors import BuildError, LimitError
from ranpaper.build.ledger import verify
from ranpaper.build.limits import Limits, check_elements
from ranpaper.build.outputs import (
    REGISTRY,
    expected_outputs,
)
from ranpaper.build.staging import (
    check_output_folder,
    check_replaceable,
    clean_stale_staging,
    publish,
    staging_folder,
)
from ranpaper.build.workers import RenderWorkers, start_workers, stop_workers
from ranpaper.errors import RanpaperError
from ranpaper.model import Paper

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
    pool: RenderWorkers | None = None,
    limits: Limits | None = None,
    folders: list[Path] | None = None,
) -> list[BuildResult]:
    """Build `papers` (each with its source text) into `out`; all or nothing. `folders` are
    the folders of papers the build was given (the output folder may not lie inside one).
    Renders run in `pool` (from `start_workers`, ideally started before the papers were
    checked, so that the workers import WeasyPrint meanwhile), shut down when the build ends;
    a pool that broke (a render stopped for its time) cannot be given to another build."""
    say = progress or (lambda message: None)
    limits = limits or Limits()
    try:
        check_output_folder(out, [Path(p.path or "paper") for p, _ in papers], folders or [])
        clean_stale_staging(out)
        cache = read_cache(out)
        builds = _plan(papers, formats)
        results: list[BuildResult] = []
        todo: list[tuple[PaperBuild, list[Path]]] = []
        for paper_build, outputs in builds:
            path = paper_build.paper.path or ""
            if up_to_date(path, paper_build.key, outputs, cache, out):
                results.append(BuildResult(path, [out / p for p in outputs], False))
            else:
                todo.append((paper_build, outputs))
        if not todo:
            return sorted(results, key=lambda result: result.paper)
        for paper_build, _outputs in todo:
            check_elements(paper_build.paper, limits)
            paper_build.images  # noqa: B018  # refuses an image it may not use, before rendering
            if any(name in formats for name in ("pdf", "briefs", "docx")):
                refuse_missing_glyphs(paper_build.paper)
        check_replaceable(out, [p for _, outputs in todo for p in outputs], owned_outputs(cache))
        if pool is None and any(REGISTRY[name].renders for name in formats):
            pool = start_workers(limits=limits)
        return _write(todo, formats, results, cache, out, say, pool, limits)
    except OSError as error:
        raise RanpaperError(
            f"cannot write the outputs: {error.strerror or error}", str(error.filename or out)
        ) from None
    finally:
        stop_workers(pool, wait=True)


def refuse_missing_glyphs(paper: Paper) -> None:
    """A character the shipped font lacks would print as an empty box: refuse it, at its line."""
    from ranpaper.render.fonts import missing_glyphs

    for char, line in missing_glyphs(paper)[:1]:
        raise BuildError(
            f"the shipped font (Open Sans) has no glyph for {char!r} (U+{ord(char):04X}); "
            "the PDF would show an empty box: use another character",
            paper.path,
            line,
        )


def _plan(
    papers: list[tuple[Paper, str]], formats: tuple[str, ...]
) -> list[tuple[PaperBuild, list[Path]]]:
    """Each paper's build and the files it writes; refused when two papers would write the
    same file (the second would silently replace the first)."""
    several = len(papers) > 1
    builds = []
    writers: dict[Path, str] = {}
    for paper, source in papers:
        path = paper.path or "paper"
        brief_dir = Path("briefs") / Path(path).stem if several else Path("briefs")
        paper_build = PaperBuild(paper, content_key(source, formats), brief_dir)
        outputs = expected_outputs(paper_build, formats)
        for output in outputs:
            other = writers.setdefault(output, path)
            if other != path:
                raise RanpaperError(
                    f"this paper and {other} would both write {output.as_posix()}; rename one "
                    "of them or build them into separate output folders",
                    path,
                )
        builds.append((paper_build, outputs))
    return builds


def _write(
    todo: list[tuple[PaperBuild, list[Path]]],
    formats: tuple[str, ...],
    results: list[BuildResult],
    cache: dict,
    out: Path,
    say: Progress,
    pool: RenderWorkers | None,
    limits: Limits,
) -> list[BuildResult]:
    from concurrent.futures.process import BrokenProcessPool

    with staging_folder(out) as staging:
        try:
            _make(todo, formats, staging, say, pool, limits)
        except TimeoutError:  # concurrent.futures.TimeoutError is the builtin since 3.11
            raise LimitError(
                "rendering took longer than its limit in all and was stopped "
                "(`render-seconds` in [tool.ranpaper]); nothing was replaced",
                str(out),
            ) from None
        except BrokenProcessPool:  # a worker died: killed for its time, or out of memory
            assert pool is not None
            raise pool.failure(str(out)) from None
        for paper_build, outputs in todo:  # nothing is published that lost text
            say(f"reading back {paper_build.stem}")
            verify(paper_build, outputs, staging)
        written = []
        for paper_build, outputs in todo:
            path = paper_build.paper.path or ""
            names = [p.as_posix() for p in outputs]
            # Every file a build of this paper ever wrote stays ranpaper's to replace, so that
            # building other formats in between does not disown the earlier ones.
            before = cache.get(path, {})
            owned = {*before.get("outputs", []), *before.get("owned", []), *names}
            cache[path] = {"key": paper_build.key, "outputs": names, "owned": sorted(owned)}
            written.append(BuildResult(path, [out / p for p in outputs], True))
        publish(
            staging,
            out,
            [p for _, outputs in todo for p in outputs],
            cache_text(cache),
            CACHE_FILE,
        )
    results.extend(written)
    results.sort(key=lambda result: result.paper)
    return results


def _make(
    todo: list[tuple[PaperBuild, list[Path]]],
    formats: tuple[str, ...],
    staging: Path,
    say: Progress,
    pool: RenderWorkers | None,
    limits: Limits,
) -> None:
    """Every output of every paper into `staging`: text and bytes here, render jobs in the
    pool, each submitted the moment it exists."""
    import concurrent.futures

    from ranpaper.build.workers import run_job

    futures: list[concurrent.futures.Future[Path]] = []
    for paper_build, _outputs in todo:
        say(f"preparing {paper_build.stem}")
        for name in REGISTRY:  # registry order: render jobs first
            if name not in formats:
                continue
            for artifact in REGISTRY[name].make(paper_build):
                if isinstance(artifact, Job):
                    assert pool is not None
                    futures.append(pool.submit(run_job, artifact, staging))
                    continue
                target = staging / artifact.path
                target.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(artifact, Text | Bytes):
                    data = artifact.text if isinstance(artifact, Text) else artifact.data
                    fs.write_atomic(target, data, staged=True)
    workers = max(1, getattr(pool, "_max_workers", 1))
    # The pool's clock stops each render at its time; this is the backstop for a worker that
    # never starts a render (stuck starting up): every job's share of time, and one more.
    timeout = (
        limits.render_seconds * (math.ceil(len(futures) / workers) + 1) + 30
        if limits.render_seconds
        else None
    )
    done = concurrent.futures.as_completed(futures, timeout=timeout)
    for number, future in enumerate(done, start=1):
        say(f"{number}/{len(futures)} rendered {future.result()}")


def terminal_progress(quiet: bool) -> Progress | None:
    """Each step on stderr: on a terminal one line rewritten in place; elsewhere (a CI log)
    plain lines, so that a long render is not silence ("2/5 rendered paper.pdf"). Nothing
    when quiet."""
    if quiet:
        return None
    if not sys.stderr.isatty():

        def log(message: str) -> None:
            sys.stderr.write(f"{message}\n")
            sys.stderr.flush()

        return log

    def show(message: str) -> None:
        sys.stderr.write(f"\r\x1b[2K  {message} …")
        sys.stderr.flush()

    return show
