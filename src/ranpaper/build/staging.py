"""Where a build writes, and how its outputs replace the previous ones: all or nothing.

- The output folder may not be a paper's folder or hold a paper, nor lie inside a folder of
  papers being built (its Markdown briefs would be read as papers, or overwrite one).
- Every output is staged in a hidden folder inside the output folder (same file system, so
  renames are atomic) and moved into place only when every output of every paper succeeded.
- The move replaces only files that ranpaper wrote before (the cache lists them); a file it
  does not own is never replaced, and no symbolic link inside the output folder is followed.
- If a move fails half-way, the files already moved are put back: the previous outputs stay
  exactly as they were. Ctrl-C and SIGTERM wait for the few milliseconds the moves take.
- A staging folder left by a build that was killed (SIGKILL: no chance to clean up) is
  removed by the next build; its name carries the process id, so a running build's is kept.
  Only a folder ranpaper made is removed: one that carries the marker file written when it
  was made (`STAGING_MARKER`). A folder that merely has the name is left alone.
- Files are written into staging with `fs.write_atomic` (never through a symbolic link).

It runs on every system: the signals are held with POSIX's signal mask where there is one and
with Python's handlers elsewhere (`signals_deferred`), and whether a killed build's process
still runs is asked without `os.kill`'s signal 0 on Windows (`_running`), where it would end it.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ranpaper import fs
from ranpaper.errors import RanpaperError

STAGING_PREFIX = ".ranpaper-staging-"
STAGING_MARKER = ".ranpaper-staging"
MARKER_TEXT = "ranpaper build staging folder: the next build removes it if this build was killed\n"


class OutputFolderError(RanpaperError):
    """The output folder cannot be written safely (exit 2: the build could not run)."""


def check_output_folder(out: Path, papers: list[Path], folders: list[Path]) -> None:
    """Refuse an output folder that would put a paper at risk: one that is a symbolic link,
    that is or contains a paper's own folder, or that lies inside a folder of papers."""
    if out.is_symlink():
        raise OutputFolderError(
            "the output folder is a symbolic link; give the folder it points to", str(out)
        )
    target = out.resolve()
    for paper in papers:
        home = paper.resolve().parent
        if home.is_relative_to(target):
            raise OutputFolderError(
                f"the output folder holds the paper {paper}: its outputs could replace the "
                "source; choose a folder of its own (e.g. --out build)",
                str(out),
            )
    for folder in folders:
        if target.is_relative_to(folder.resolve()):
            raise OutputFolderError(
                f"the output folder is inside the folder of papers {folder}: its Markdown "
                "briefs would be read as papers; choose a folder outside it",
                str(out),
            )


def check_target(out: Path, relative: Path) -> None:
    """Refuse an output path that leaves the output folder or passes a symbolic link."""
    if relative.is_absolute() or ".." in relative.parts:
        raise OutputFolderError(f"output name {relative} leaves the output folder", str(out))
    here = out
    for part in relative.parts[:-1]:
        here = here / part
        if here.is_symlink():
            raise OutputFolderError(
                "is a symbolic link inside the output folder; ranpaper never writes through "
                "one (remove it)",
                str(here),
            )
        if here.exists() and not here.is_dir():
            raise OutputFolderError("is a file where a folder of outputs belongs", str(here))


def clean_stale_staging(out: Path) -> None:
    """Remove staging folders of builds that no longer run (killed before cleaning up): only
    folders ranpaper made (named with a process id, holding its marker file)."""
    if not out.is_dir():
        return
    for entry in out.iterdir():
        if not entry.name.startswith(STAGING_PREFIX) or not _made_by_ranpaper(entry):
            continue
        pid = entry.name[len(STAGING_PREFIX) :].split("-", 1)[0]
        if _running(int(pid)):
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _made_by_ranpaper(entry: Path) -> bool:
    """Whether `entry` is a staging folder a build made: a real folder (not a link) named
    `.ranpaper-staging-<pid>-…`, holding the marker (a regular file with ranpaper's text)."""
    pid = entry.name[len(STAGING_PREFIX) :].split("-", 1)[0]
    if not pid.isdigit() or entry.is_symlink() or not entry.is_dir():
        return False
    marker = entry / STAGING_MARKER
    if marker.is_symlink() or not marker.is_file():
        return False
    try:
        return fs.read_text(marker, len(MARKER_TEXT), within=entry) == MARKER_TEXT
    except RanpaperError:
        return False


if sys.platform == "win32":

    def _running(pid: int) -> bool:
        """Whether process `pid` runs. Not `os.kill(pid, 0)`: on Windows that ends it."""
        import ctypes

        if pid == os.getpid():
            return True
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: someone else's, alive
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)

else:

    def _running(pid: int) -> bool:
        """Whether process `pid` runs (signal 0 asks without sending anything)."""
        if pid == os.getpid():
            return True
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # someone else's process: alive
            return True
        return True


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A fresh folder inside `out`, named with this process's id; always removed."""
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out))
    try:
        fs.write_atomic(staging / STAGING_MARKER, MARKER_TEXT, staged=True)
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def check_replaceable(out: Path, outputs: list[Path], owned: set[str]) -> None:
    """Before anything is rendered: every output may be written, and replaces only a file
    ranpaper wrote."""
    for relative in outputs:
        check_target(out, relative)
        target = out / relative
        if target.is_symlink() or target.exists():
            if target.is_dir() and not target.is_symlink():
                raise OutputFolderError("is a folder where an output belongs", str(target))
            if relative.as_posix() not in owned:
                raise OutputFolderError(
                    "exists and was not written by ranpaper; it is not replaced (move it away "
                    "or choose another output folder)",
                    str(target),
                )


def publish(
    staging: Path, out: Path, outputs: list[Path], cache_text: str, cache_name: str
) -> None:
    """Move every staged output into place, and the cache after them, as one step: if any
    move fails, those already made are undone and the previous files put back."""
    backup = staging / ".previous"
    done: list[tuple[Path, bool]] = []  # (relative, whether a previous file was kept aside)
    with signals_deferred():
        try:
            fs.write_atomic(staging / cache_name, cache_text, staged=True)
            for relative in [*outputs, Path(cache_name)]:
                check_target(out, relative)
                target = out / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                kept = target.exists() or target.is_symlink()
                if kept and (target.is_symlink() or not target.is_file()):
                    # checked before rendering too; a folder put here since is not moved (and
                    # so never deleted with the staging folder)
                    raise OutputFolderError(
                        "is no longer a regular file; ranpaper never replaces it", str(target)
                    )
                if kept:
                    (backup / relative).parent.mkdir(parents=True, exist_ok=True)
                    _replace(target, backup / relative)
                done.append((relative, kept))
                _replace(staging / relative, target)
                fs.record(target)
        except BaseException:
            _undo(done, out, backup)
            raise


def _undo(done: list[tuple[Path, bool]], out: Path, backup: Path) -> None:
    for relative, kept in reversed(done):
        target = out / relative
        fs.record(target, done=False)
        try:
            if kept:
                os.replace(backup / relative, target)
            elif target.exists() and not target.is_symlink():
                target.unlink()
        except OSError:
            continue  # best effort: the previous file is still in the staging folder


def _replace(source: Path, target: Path) -> None:
    """One rename (a separate function so that tests can interrupt a publish half-way)."""
    os.replace(source, target)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Ctrl-C or a CI cancellation during the final renames would leave half the outputs new
    and half old: hold those signals for the few milliseconds the renames take. POSIX blocks
    them (`pthread_sigmask`); where that does not exist (Windows), Python's handlers are
    replaced for that time by one that notes the signal, and the signal is raised again
    afterwards. (A process ended without a signal, as Windows' TerminateProcess ends one,
    cannot be held: no system lets a program hold that.)"""
    signals = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "pthread_sigmask"):
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        return
    if threading.current_thread() is not threading.main_thread():
        yield  # Python runs signal handlers in the main thread only: this one is not disturbed
        return
    arrived: list[int] = []

    def note(signum: int, frame: object) -> None:
        arrived.append(signum)

    previous = {number: signal.signal(number, note) for number in signals}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for signum in dict.fromkeys(arrived):
            signal.raise_signal(signum)
