"""Every file ranpaper reads or writes goes through here: the one reader and the one writer.

Reading (`read_bytes`, `read_text`; `read_stdin` for `-`, capped alike): regular files only
(a FIFO, socket or device is refused without waiting on it), never through a symbolic link
that leads out of the folder the caller trusts (`within`), and never more than the cap plus
one byte, whatever `stat` says. Papers,
configurations, profiles, `links.toml`, baselines, schemas and caches are read this way.

Writing (`write_atomic`): the whole file or nothing (a temporary file beside it, renamed over
it), never through a symbolic link (a link committed by a pull request could point anywhere),
and never over anything but a regular file. Outputs, `--output`, `--baseline`,
`schema --write`, fixes, `fmt` and `links --apply` are written this way.

Errors are `RanpaperError`s that name the file and say why, in words a person can act on.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections import deque
from pathlib import Path

from ranpaper.errors import RanpaperError

SMALL_FILE_CAP = 1024 * 1024
"""The cap on files that are not papers (configurations, profiles, links.toml, baselines,
schemas, caches): each is a few KiB; a MiB is generous, and keeps a hostile one harmless."""


def mib(size: int) -> str:
    return f"{size / 1048576:.0f} MiB" if size >= 1048576 else f"{size} bytes"


def outside(path: Path, within: Path) -> bool:
    """Whether `path`, its links followed, lies outside the folder `within`."""
    try:
        return not path.resolve().is_relative_to(within.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return True


def read_bytes(
    path: Path,
    cap: int = SMALL_FILE_CAP,
    *,
    within: Path | None = None,
    what: str = "file",
    too_large_hint: str | None = None,
) -> bytes:
    """The bytes of the regular file `path`, at most `cap` (see the module's docstring).
    `within`: refuse a link that leads out of this folder. `what` names the file in errors
    ("paper file", "configuration"); `too_large_hint` is the hint added to the size error."""
    name = str(path)
    if within is not None and path.is_symlink() and outside(path, within):
        raise RanpaperError(f"is a link to a file outside {within}; refused to read it", name)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise RanpaperError("no such file or folder", name) from None
    except IsADirectoryError:
        raise RanpaperError(f"is a folder, not a {what}", name) from None
    except OSError as error:
        raise RanpaperError(f"cannot read: {error.strerror}", name) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise RanpaperError(f"is a folder, not a {what}", name)
        if not stat.S_ISREG(mode):
            raise RanpaperError(
                "is not a regular file (a pipe, socket or device); refused to read it", name
            )
        chunks: list[bytes] = []
        remaining = cap + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as error:
        raise RanpaperError(f"cannot read: {error.strerror}", name) from None
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    if len(data) > cap:
        hint = f" ({too_large_hint})" if too_large_hint else ""
        raise RanpaperError(f"file is over the {mib(cap)} cap{hint}", name)
    return data


def read_text(
    path: Path,
    cap: int = SMALL_FILE_CAP,
    *,
    within: Path | None = None,
    what: str = "file",
    too_large_hint: str | None = None,
) -> str:
    """`read_bytes` decoded as UTF-8; a NUL byte or invalid UTF-8 is an error at its line."""
    data = read_bytes(path, cap, within=within, what=what, too_large_hint=too_large_hint)
    return decode(data, str(path))


def read_stdin(cap: int, name: str) -> str:
    """Standard input (`ranpaper check -`), at most `cap` bytes read plus one, decoded as a
    file is; `name` is what errors call it (`--stdin-filename`, or `-`)."""
    import sys

    data = sys.stdin.buffer.read(cap + 1)
    if len(data) > cap:
        raise RanpaperError(f"standard input is over the {mib(cap)} cap", name)
    return decode(data, name)


def decode(data: bytes, name: str) -> str:
    """UTF-8 text of `data` (from a file or a git blob called `name`), or an error at the
    line of the first NUL byte or invalid sequence."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise RanpaperError("contains NUL bytes: this is a binary file, not text", name, line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RanpaperError(
            f"is not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8",
            name,
            line,
        ) from None


def refuse_unwritable(path: Path) -> None:
    """Refuse to write `path` when it is a symbolic link (dangling or not) or exists as
    anything but a regular file. Call it before work whose result is written there."""
    if path.is_symlink():
        raise RanpaperError(
            "is a symbolic link; ranpaper never writes through one (remove it, or name the "
            "file it points to)",
            str(path),
        )
    if path.exists() and not path.is_file():
        raise RanpaperError("exists and is not a regular file; refused to replace it", str(path))


class _Journal:
    """What this command has written where a user sees it: how many files, and the last few
    (a long-running `serve` publishes a build on every save: it keeps no more than these)."""

    def __init__(self) -> None:
        self.count = 0
        self.last: deque[Path] = deque(maxlen=3)


_JOURNAL = _Journal()


def written() -> tuple[int, tuple[Path, ...]]:
    """How many files this command has written where a user sees them (not a build's staging
    folder), and the last ones: what the command line says when it is interrupted."""
    return _JOURNAL.count, tuple(_JOURNAL.last)


def forget_written() -> None:
    """A command starts: nothing of it is written yet."""
    _JOURNAL.count = 0
    _JOURNAL.last.clear()


def record(path: Path, done: bool = True) -> None:
    """Note that `path` is now written where a user sees it (a build's published output), or
    no longer (`done=False`: its previous file was put back)."""
    if done:
        _JOURNAL.count += 1
        _JOURNAL.last.append(path)
    elif path in _JOURNAL.last:
        _JOURNAL.count -= 1
        _JOURNAL.last.remove(path)
    elif _JOURNAL.count:
        _JOURNAL.count -= 1


def write_atomic(path: Path, data: str | bytes, *, staged: bool = False) -> None:
    """Write `data` (text as UTF-8, line breaks as given) to `path` whole or not at all; see
    the module's docstring. A file that existed keeps its permissions. A file `staged` in a
    build's staging folder is not yet the user's: it is not `record`ed."""
    refuse_unwritable(path)
    folder = path.parent
    if not folder.is_dir():
        raise RanpaperError("cannot write: its folder does not exist", str(path))
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise RanpaperError(f"cannot write: {error.strerror}", str(path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
        refuse_unwritable(path)  # a link put there while we wrote is not written through
        os.replace(temporary, path)
        if not staged:
            record(path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError) and not isinstance(error, RanpaperError):
            raise RanpaperError(f"cannot write: {error.strerror}", str(path)) from None
        raise
