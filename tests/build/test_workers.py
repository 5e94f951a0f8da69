"""The render workers (`build/workers.py`): spawned, never forked, on every system (issue 27),
and ended with their parent: a build whose main process is killed (SIGKILL, a CI timeout)
once left its workers rendering for minutes (issue 20)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PAPER_PATH
from ranpaper.cli import main

reads_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
MINIMAL = (Path(__file__).parent.parent / "rules" / "minimal.md").read_text("utf-8")


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) and fields[1] == str(pid):
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")  # a zombie has ended


@reads_proc
def test_workers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "ranpaper", "build", str(PAPER_PATH), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    try:
        for _ in range(600):  # at most 60 s for the renders to start
            if list(out.glob(".ranpaper-staging-*")) or process.poll() is not None:
                break
            time.sleep(0.1)
        assert process.poll() is None, "the build ended before it could be killed"
        workers = children(process.pid)
        assert workers, "the build has no render workers"
        process.kill()
        process.wait()
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = sorted(pid for pid in workers if alive(pid))
        assert left == [], f"render workers still running 5 s after their build was killed: {left}"
    finally:
        process.kill()
        for pid in workers:
            if alive(pid):
                os.kill(pid, 9)


@reads_proc
def test_the_portable_watch_alone_ends_an_orphaned_worker() -> None:
    """Without Linux's PR_SET_PDEATHSIG, the watching thread alone ends a worker whose
    parent died (what macOS and the BSDs rely on)."""
    code = (
        "import os, time\n"
        "import ranpaper.build.workers as workers\n"
        "workers._kernel_kills_orphans = lambda: None\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    workers.watch_parent(os.getppid(), poll=0.05)\n"
        "    time.sleep(30)\n"
        "    os._exit(0)\n"
        "print(child, flush=True)\n"
        "time.sleep(0.5)\n"  # the child is watching; now its parent dies
        "os._exit(0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=20
    )
    orphan = int(result.stdout)
    deadline = time.monotonic() + 5
    while alive(orphan) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert not alive(orphan), "the orphaned worker is still running"
    finally:
        if alive(orphan):
            os.kill(orphan, 9)


def test_the_build_spawns_its_workers_and_never_forks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`spawn`, the start method of Windows and macOS (and the default of none on Linux
    before Python 3.14): a build in a process that cannot fork renders every PDF."""
    from ranpaper.build import workers

    def no_fork() -> int:
        raise AssertionError("the build forked")

    monkeypatch.setattr(os, "fork", no_fork)
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "paper.md").write_text(MINIMAL, "utf-8")
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out), "--format", "pdf,briefs", "--quiet"]) == 0
    assert (out / "paper.pdf").read_bytes().startswith(b"%PDF-")
    assert [p.suffix for p in sorted((out / "briefs").iterdir())] == [".md", ".pdf"]
    assert workers.START_METHOD == "spawn"


def test_macos_renders_without_the_memory_cap_it_does_not_enforce_and_says_so_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """macOS has `RLIMIT_AS` but does not enforce it: the workers get no cap, and the person
    at the terminal one line, once however many pools start (serve starts one per change of
    the limits)."""
    from ranpaper.build import workers
    from ranpaper.build.limits import Limits

    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(workers, "_SAID", set())
    for _ in range(2):
        pool = workers.RenderWorkers(1, Limits(render_memory_mib=512))  # no worker starts yet
        assert pool.memory_mib == 0
        assert "out of memory" not in pool.failure("out").message
        pool.shutdown()
    assert capsys.readouterr().err == (
        "ranpaper: `render-memory-mib` is not enforced: macOS does not enforce an address-space "
        "limit (RLIMIT_AS); renders run without a memory cap (the other limits hold)\n"
    )
    monkeypatch.setattr(sys, "platform", "linux")
    assert workers.memory_cap_unavailable() is None


def test_a_render_finishes_when_its_pools_clock_is_gone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool shut down gracefully lets its last renders finish after its clock stopped
    reading: their reports go nowhere, and the render is not failed for it."""
    import multiprocessing

    from ranpaper.build import workers

    reader, writer = multiprocessing.Pipe(duplex=False)
    reader.close()
    monkeypatch.setattr(workers, "_REPORTS", (writer, multiprocessing.Lock()))
    workers._report((os.getpid(), "paper.pdf", "paper.md"))  # no BrokenPipeError
    writer.close()
