"""The render workers: a process pool that runs the outputs' render jobs (PDFs, the DOCX)
within limits.

Every render runs in a worker, even a single one: that is what puts limits on it.

- **Spawned, on every system** (`START_METHOD`). `spawn` is the one start method every
  system has (Windows and macOS know no other by default; Python 3.14 leaves `fork` on Linux
  too), so the method the tests run is the one every user gets. `forkserver` would start a
  worker faster on Linux, but it does not exist on Windows, and its workers are children of
  the fork server, not of the build, so they could not watch the build to end with it. A
  worker imports WeasyPrint while the main process checks the papers, so the start-up is
  hidden. `fork` is never used: the build process runs threads (the executor's, the time
  watch below), and forking a threaded process may deadlock the child. Everything a worker
  runs is a module-level function with picklable arguments (`artifacts.Job`).
- **The time limit is kept by the parent** (`render-seconds`): each worker reports when it
  starts and ends a render, and a thread of the main process (`RenderWorkers`) kills a worker
  whose render passes its time. Killing a worker breaks the pool; the caller asks the pool
  why it broke (`RenderWorkers.failure`), and reports the limit and the output, and the next
  render needs a new pool. No signal is needed inside the worker: it works on every system
  and wherever the worker is stuck.
- **The memory limit** (`render-memory-mib`) is an address-space limit (`RLIMIT_AS`) set in
  each worker. Windows has none and macOS does not enforce it: there the build says once,
  in one line, that it cannot enforce it (`memory_cap_unavailable`) and renders without it;
  the other limits (elements, pages, time) still bound a render.

A limit that is hit fails the build with a clear error (`LimitError`, exit 1) and nothing is
replaced.

Workers end with their parent: a build whose main process is killed (SIGKILL, a CI timeout)
has no chance to stop them, so each worker watches its parent (`watch_parent`: a thread that
notices the parent is gone) and leaves within a fraction of a second; on Linux the kernel also
sends it SIGKILL when its parent dies (`PR_SET_PDEATHSIG`).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ranpaper.build.artifacts import Job
from ranpaper.build.errors import LimitError
from ranpaper.build.limits import Limits
from ranpaper.errors import RanpaperError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.synchronize import Lock

START_METHOD = "spawn"
PARENT_POLL_SECONDS = 0.2
CLOCK_POLL_SECONDS = 0.5  # how soon the time watch notices its pool was shut down

_LIMITS = Limits()  # in a worker: the limits it was started with
_REPORTS: tuple[Connection, Lock] | None = None  # in a worker: where it says what it renders
_SAID: set[str] = set()  # the notices this process has given (each is given once)


def watch_parent(parent: int, poll: float = PARENT_POLL_SECONDS) -> None:
    """End this process as soon as `parent` is gone. Portable: a daemon thread polls
    `os.getppid()` (POSIX hands an orphan to another parent) and, in a process multiprocessing
    started, the parent's sentinel (what tells on Windows, where a parent's id stays); on
    Linux, `PR_SET_PDEATHSIG` makes the kernel send SIGKILL at once as well (for a worker
    stuck where no Python thread runs)."""
    if sys.platform.startswith("linux"):
        _kernel_kills_orphans()
    started_by = multiprocessing.parent_process()
    if os.getppid() != parent:  # the parent died before the watch began
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent and (started_by is None or started_by.is_alive()):
            time.sleep(poll)
        os._exit(1)  # no clean-up to do: the staging folder is the next build's to remove

    previous = threading.stack_size()
    threading.stack_size(256 * 1024)  # it only sleeps; set before the memory limit
    try:
        threading.Thread(target=watch, name="ranpaper-parent-watch", daemon=True).start()
    finally:
        threading.stack_size(previous)


def _kernel_kills_orphans() -> None:
    """Linux: SIGKILL this process when the thread that started it ends. That thread is the
    process that submitted the first job (the executor starts its workers there), which in
    `ranpaper build` and `serve` lives as long as the pool."""
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def memory_cap_unavailable() -> str | None:
    """Why this system cannot cap a worker's address space (`render-memory-mib`), or None
    when it can."""
    if sys.platform == "darwin":
        return "macOS does not enforce an address-space limit (RLIMIT_AS)"
    try:
        import resource
    except ImportError:
        return "this system has no address-space limit (no `resource` module)"
    if not hasattr(resource, "RLIMIT_AS"):
        return "this system has no address-space limit (RLIMIT_AS)"
    return None


def say_once(line: str) -> None:
    """A notice for the person at the terminal (stderr), given once per process."""
    if line not in _SAID:
        _SAID.add(line)
        print(f"ranpaper: {line}", file=sys.stderr, flush=True)


def _initialise(
    limits: Limits, parent: int | None = None, reports: tuple[Connection, Lock] | None = None
) -> None:
    """Runs first in every worker: watch the parent, set the memory limit, then import
    WeasyPrint while the main process is still preparing the HTML. `reports`: where to say
    which render starts and ends (when the parent keeps a time limit)."""
    global _LIMITS, _REPORTS
    _LIMITS, _REPORTS = limits, reports
    watch_parent(parent if parent is not None else os.getppid())
    if limits.render_memory_mib:  # the parent passes 0 where the system has no such limit
        import resource

        cap = limits.render_memory_mib * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what Ctrl-C means
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # and `stop_workers` ends a worker at once
    # Under a tight memory limit, or without Pango, the import may fail: the job's own import
    # fails again, and `run_job` says why.
    with contextlib.suppress(MemoryError, SystemError, OSError):
        import weasyprint  # noqa: F401


def worker_limits() -> Limits:
    """The limits of the worker this runs in (render functions read `max_pages` here)."""
    return _LIMITS


def run_job(job: Job, staging: Path) -> Path:
    """Run one render job in a worker, within the memory limit (the parent keeps the time)."""
    target = staging / job.path
    target.parent.mkdir(parents=True, exist_ok=True)
    _report((os.getpid(), job.path.as_posix(), job.paper))
    try:
        job.function(target, *job.args)
    except (MemoryError, SystemError):
        # Under the address-space limit an allocation fails as MemoryError in Python code, and
        # often as SystemError ("error return without exception set") in C extensions.
        if not _LIMITS.render_memory_mib:
            raise LimitError(
                f"rendering {job.path} ran out of memory; nothing was replaced", job.paper
            ) from None
        raise LimitError(
            f"rendering {job.path} needed more than {_LIMITS.render_memory_mib} MiB and was "
            "stopped (`render-memory-mib` in [tool.ranpaper]); nothing was replaced",
            job.paper,
        ) from None
    except RanpaperError as error:
        error.path = error.path or job.paper  # say which paper
        raise
    except RecursionError:
        raise LimitError(
            f"{job.path} is nested too deeply to render; nothing was replaced", job.paper
        ) from None
    except OSError as error:
        if "cannot load library" not in str(error):
            raise
        # WeasyPrint loads Pango (and its fellows) when imported: a machine without them.
        raise RanpaperError(
            f"cannot render {job.path}: WeasyPrint {error}. Install Pango (Debian, Ubuntu: "
            "libpango-1.0-0; macOS, Windows: docs/desks.md; see docs/troubleshooting.md); "
            "nothing was replaced"
        ) from None
    finally:
        _report((os.getpid(), None, None))
    return job.path


def _report(message: tuple[int, str | None, str | None]) -> None:
    """Tell the parent's time watch that this worker starts (a path) or ends (None) a render."""
    if _REPORTS is not None:
        connection, lock = _REPORTS
        # A pool shut down while its last renders finish has no clock any more: they finish.
        with lock, contextlib.suppress(OSError):
            connection.send(message)


class RenderWorkers(concurrent.futures.ProcessPoolExecutor):
    """The render workers, and the thread of the main process that holds each render to
    `render-seconds`: it kills the worker of a render that passes its time, which breaks the
    pool. `failure()` then says why the pool broke."""

    def __init__(self, count: int, limits: Limits, start_method: str = START_METHOD) -> None:
        context = multiprocessing.get_context(start_method)
        self.limits = limits
        self.overdue: tuple[str, str | None] | None = None  # the render stopped for its time
        self._stopped = threading.Event()
        reports = None
        if limits.render_seconds:
            self._reader, writer = context.Pipe(duplex=False)
            reports = (writer, context.Lock())
        unavailable = memory_cap_unavailable() if limits.render_memory_mib else None
        if unavailable:
            say_once(
                f"`render-memory-mib` is not enforced: {unavailable}; renders run without a "
                "memory cap (the other limits hold)"
            )
            limits = dataclasses.replace(limits, render_memory_mib=0)
        super().__init__(
            max_workers=count,
            mp_context=context,
            initializer=_initialise,
            initargs=(limits, os.getpid(), reports),
        )
        self.memory_mib = limits.render_memory_mib  # as enforced
        if reports is not None:
            clock = threading.Thread(target=self._keep_time, name="ranpaper-clock", daemon=True)
            clock.start()

    def _keep_time(self) -> None:
        seconds = self.limits.render_seconds
        running: dict[int, tuple[str, str | None, float]] = {}  # pid → path, paper, deadline
        try:
            while not self._stopped.is_set():
                now = time.monotonic()
                nearest = min((deadline for *_, deadline in running.values()), default=None)
                wait = CLOCK_POLL_SECONDS if nearest is None else nearest - now
                if self._reader.poll(max(0.0, min(wait, CLOCK_POLL_SECONDS))):
                    pid, path, paper = self._reader.recv()
                    if path is None:
                        running.pop(pid, None)
                    else:
                        running[pid] = (path, paper, time.monotonic() + seconds)
                    continue  # every report that arrived counts before a deadline is judged
                now = time.monotonic()
                for pid, (path, paper, deadline) in running.items():
                    if deadline <= now:
                        self.overdue = (path, paper)
                        self._kill(pid)
                        return  # the pool is broken: its renders are over
        except (EOFError, OSError):
            return
        finally:
            self._reader.close()

    def _kill(self, pid: int) -> None:
        process = (getattr(self, "_processes", None) or {}).get(pid)
        if process is not None:
            process.kill()

    def failure(self, where: str | None) -> LimitError:
        """Why the pool broke (`BrokenProcessPool`): the render the time watch stopped, or a
        worker that died (out of memory, most likely, when a cap is set)."""
        if self.overdue is not None:
            path, paper = self.overdue
            return LimitError(
                f"rendering {path} took longer than {self.limits.render_seconds} s and was "
                "stopped (`render-seconds` in [tool.ranpaper]); nothing was replaced",
                paper,
            )
        if self.memory_mib:
            return LimitError(
                "a render worker stopped abruptly (most likely out of memory: "
                f"`render-memory-mib` is {self.memory_mib}); nothing was replaced",
                where,
            )
        return LimitError("a render worker stopped abruptly; nothing was replaced", where)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Shut down as the executor does; once its workers are gone (`wait`), also let go of
        the reports' lock, so that its semaphore is released now: a spawned pool's
        semaphores live until they are collected, and `ranpaper` leaves without collecting
        (`cli.run`), which the resource tracker reports as leaked."""
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
        self._stopped.set()  # after the renders that were still to finish (`wait`)
        if wait:
            self._initargs = ()


def start_workers(
    workers: int | None = None, limits: Limits | None = None, start_method: str = START_METHOD
) -> RenderWorkers:
    """The render workers, one per core (or `workers`), already importing WeasyPrint."""
    count = max(1, workers or os.cpu_count() or 1)
    pool = RenderWorkers(count, limits or Limits(), start_method)
    for _ in range(count):
        pool.submit(_nothing)  # start every worker now, not at the first job
    return pool


def _nothing() -> None:
    return None


def stop_workers(pool: concurrent.futures.ProcessPoolExecutor | None, wait: bool = False) -> None:
    """Stop the workers now, running or not: after a timeout, a failure or an interrupt there
    is nothing to wait for (the executor has no public way to kill a running worker).
    `wait`: also wait until the executor has closed its queues (a long-running caller such
    as `serve` does, so that nothing of the pool outlives it)."""
    if pool is None:
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=wait, cancel_futures=True)
