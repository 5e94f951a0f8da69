"""The render workers: a process pool that runs the outputs' render jobs (PDFs, the DOCX)
within limits.

Every render runs in a worker, even a single one: that is what puts limits on it. Each worker
is started with an address-space limit (`resource.RLIMIT_AS`, `render-memory-mib`), and each
render with a time limit (`render-seconds`, a timer signal in the worker); the main process
also stops waiting once every job has had its share of time, in case a worker is stuck where
the timer cannot reach it. A limit that is hit fails the build with a clear error
(`LimitError`, exit 1) and nothing is replaced.

Workers end with their parent: a build whose main process is killed (SIGKILL, a CI timeout)
has no chance to stop them, so each worker watches its parent (`watch_parent`: a thread that
notices the worker was handed to another parent) and leaves within a fraction of a second;
on Linux the kernel also sends it SIGKILL when its parent dies (`PR_SET_PDEATHSIG`).
"""

from __future__ import annotations

import contextlib
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
    import concurrent.futures

_LIMITS = Limits()  # in a worker: the limits it was started with
PARENT_POLL_SECONDS = 0.2


def watch_parent(parent: int, poll: float = PARENT_POLL_SECONDS) -> None:
    """End this process as soon as `parent` is no longer its parent (it died, and the process
    was handed to init or a subreaper). Portable: a daemon thread polls `os.getppid()`; on
    Linux, `PR_SET_PDEATHSIG` makes the kernel send SIGKILL at once as well (for a worker
    stuck where no Python thread runs)."""
    if sys.platform.startswith("linux"):
        _kernel_kills_orphans()
    if os.getppid() != parent:  # the parent died before the watch began
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
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


def _initialise(limits: Limits, parent: int | None = None) -> None:
    """Runs first in every worker: watch the parent, set the memory limit, then import
    WeasyPrint while the main process is still preparing the HTML."""
    global _LIMITS
    _LIMITS = limits
    watch_parent(parent if parent is not None else os.getppid())
    if limits.render_memory_mib:
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


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def run_job(job: Job, staging: Path) -> Path:
    """Run one render job in a worker, within the time and memory limits."""
    target = staging / job.path
    target.parent.mkdir(parents=True, exist_ok=True)
    seconds = _LIMITS.render_seconds
    previous = signal.signal(signal.SIGALRM, _alarm)
    if seconds:
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        job.function(target, *job.args)
    except _Timeout:
        raise LimitError(
            f"rendering {job.path} took longer than {seconds} s and was stopped "
            "(`render-seconds` in [tool.ranpaper]); nothing was replaced",
            job.paper,
        ) from None
    except (MemoryError, SystemError):
        # Under the address-space limit an allocation fails as MemoryError in Python code, and
        # often as SystemError ("error return without exception set") in C extensions.
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
            "libpango-1.0-0; see docs/troubleshooting.md); nothing was replaced"
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return job.path


def start_workers(
    workers: int | None = None, limits: Limits | None = None, start_method: str | None = None
) -> concurrent.futures.ProcessPoolExecutor:
    """The render workers, one per core (or `workers`), already importing WeasyPrint.
    `start_method` "spawn" for a caller that runs threads (`serve`): forking one is unsafe."""
    import concurrent.futures
    import multiprocessing

    count = max(1, workers or os.cpu_count() or 1)
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context(start_method),
        initializer=_initialise,
        initargs=(limits or Limits(), os.getpid()),
    )
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
