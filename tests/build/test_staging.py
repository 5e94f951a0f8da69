"""Nothing lost: the build writes only files it owns, inside the output folder, and replaces
the previous outputs only when every output of every paper succeeded (issue 17, item 1)."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

import ranpaper.build.staging
from ranpaper.cli import main

MINIMAL = (Path(__file__).parent.parent / "rules" / "minimal.md").read_text("utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "paper.md").write_text(MINIMAL, "utf-8")
    return folder


def build(*args: str) -> int:
    return main(["build", *args, "--quiet"])


def test_an_output_folder_holding_the_paper_is_refused(
    source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ranpaper build paper.md --out .` once replaced a Markdown file of the source folder
    with a brief of the same name."""
    (source / "briefs").mkdir()
    (source / "briefs" / "01-theme.md").write_text("the editor's own notes", "utf-8")
    before = snapshot(source)
    assert build(str(source / "paper.md"), "--out", str(source), "--format", "json,html") == 2
    assert "holds the paper" in capsys.readouterr().err
    assert snapshot(source) == before
    assert build(str(source / "paper.md"), "--out", str(source.parent)) == 2
    assert snapshot(source) == before


def test_an_output_folder_inside_the_folder_of_papers_is_refused(
    source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build(str(source), "--out", str(source / "out"), "--format", "json") == 2
    assert "inside the folder of papers" in capsys.readouterr().err
    assert not (source / "out").exists()


def test_a_file_ranpaper_did_not_write_is_never_replaced(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "paper.json").write_text("someone's data", "utf-8")
    assert build(str(source), "--out", str(out), "--format", "json,html") == 2
    assert "was not written by ranpaper" in capsys.readouterr().err
    assert snapshot(out) == {"paper.json": b"someone's data"}


def test_outputs_ranpaper_wrote_are_replaced(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(str(source), "--out", str(out), "--format", "json") == 0
    (source / "paper.md").write_text(MINIMAL.replace("An introduction.", "Changed."), "utf-8")
    assert build(str(source), "--out", str(out), "--format", "json") == 0
    assert "Changed." in (out / "paper.json").read_text("utf-8")


def test_symbolic_links_are_never_followed_out_of_the_output_folder(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefs").symlink_to(elsewhere, target_is_directory=True)
    assert build(str(source), "--out", str(out), "--format", "briefs") == 2
    assert "symbolic link inside the output folder" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []
    linked = tmp_path / "linked-out"
    linked.symlink_to(elsewhere, target_is_directory=True)
    assert build(str(source), "--out", str(linked), "--format", "json") == 2
    assert list(elsewhere.iterdir()) == []


def test_two_papers_writing_the_same_file_are_refused_before_anything_is_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two `paper.md` in two subfolders: the build once failed only after replacing the
    previous outputs with the other paper's, and the cache then said "up to date"."""
    papers = tmp_path / "papers"
    for name in ("a", "b"):
        (papers / name).mkdir(parents=True)
        (papers / name / "paper.md").write_text(MINIMAL.replace("Theme", name.upper()), "utf-8")
    out = tmp_path / "out"
    assert build(str(papers / "a" / "paper.md"), "--out", str(out), "--format", "json") == 0
    before = snapshot(out)
    assert build(str(papers), "--out", str(out), "--format", "json") == 2
    error = capsys.readouterr().err
    assert "would both write paper.json" in error and "rename one" in error
    assert snapshot(out) == before
    # Still not "up to date": the next build of paper a alone is what the cache says it is.
    assert build(str(papers / "a" / "paper.md"), "--out", str(out), "--format", "json") == 0
    assert snapshot(out) == before


def test_one_failing_paper_replaces_nothing_of_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    for name in ("one", "two"):
        (papers / f"{name}.md").write_text(MINIMAL, "utf-8")
    out = tmp_path / "out"
    assert build(str(papers), "--out", str(out), "--format", "json") == 0
    before = snapshot(out)
    (papers / "one.md").write_text(MINIMAL.replace("An introduction.", "Changed."), "utf-8")
    (papers / "two.md").write_text(
        MINIMAL.replace("# Introduction\n", "# Introduction\n\n![x](gone.png)\n"), "utf-8"
    )
    assert build(str(papers), "--out", str(out), "--format", "json", "--force") == 1
    assert 'image "gone.png" does not exist' in capsys.readouterr().err
    assert snapshot(out) == before


def test_a_publish_that_fails_half_way_puts_the_previous_outputs_back(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert build(str(source), "--out", str(out), "--format", "json,html") == 0
    before = snapshot(out)
    (source / "paper.md").write_text(MINIMAL.replace("An introduction.", "Changed."), "utf-8")
    replace = ranpaper.build.staging._replace
    moves: list[Path] = []

    def disk_full_on_the_third_move(source: Path, target: Path) -> None:
        if len(moves) == 3:
            raise OSError(28, "No space left on device")
        moves.append(target)
        replace(source, target)

    monkeypatch.setattr(ranpaper.build.staging, "_replace", disk_full_on_the_third_move)
    assert build(str(source), "--out", str(out), "--format", "json,html") == 2
    assert snapshot(out) == before
    assert not list(out.glob(".ranpaper-staging-*"))


@pytest.mark.parametrize("mask", [True, False], ids=["signal-mask", "no-signal-mask"])
def test_ctrl_c_during_the_renames_waits_for_them(
    source: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    mask: bool,
) -> None:
    """Ctrl-C in the middle of the renames is held until every output is in place; without a
    signal mask (Windows has none: issue 27) by Python's handlers, never an AttributeError."""
    out = tmp_path / "out"
    assert build(str(source), "--out", str(out), "--format", "json,html") == 0
    (source / "paper.md").write_text(MINIMAL.replace("An introduction.", "Changed."), "utf-8")
    if not mask:
        monkeypatch.delattr(signal, "pthread_sigmask")
    replace = ranpaper.build.staging._replace
    moves: list[Path] = []

    def interrupted_at_the_first_move(source: Path, target: Path) -> None:
        if not moves:
            signal.raise_signal(signal.SIGINT)
        moves.append(target)
        replace(source, target)

    monkeypatch.setattr(ranpaper.build.staging, "_replace", interrupted_at_the_first_move)
    assert build(str(source), "--out", str(out), "--format", "json,html") == 130
    into_place = [p.name for p in moves if p.parent == out]  # not the previous files' moves
    assert into_place == ["paper.html", "paper.json", ".ranpaper-cache.json"]
    assert "Changed." in (out / "paper.html").read_text("utf-8")
    assert "Changed." in (out / "paper.json").read_text("utf-8")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    # Said truly: the outputs are in place, so "nothing was written" would be false.
    said = capsys.readouterr().err.strip().splitlines()[-1]
    assert said == (
        "ranpaper: interrupted; 3 files were written, each whole "
        f"({out / 'paper.html'}, {out / 'paper.json'}, {out / '.ranpaper-cache.json'})"
    )


def test_staging_folders_of_killed_builds_are_removed(source: Path, tmp_path: Path) -> None:
    """SIGKILL leaves a build no chance to clean up: the next build does it, and leaves the
    staging folder of a build still running alone."""
    out = tmp_path / "out"
    assert build(str(source), "--out", str(out), "--format", "json") == 0
    from ranpaper.build.staging import MARKER_TEXT, STAGING_MARKER

    dead = _dead_pid()
    stale = out / f".ranpaper-staging-{dead}-x1y2"
    running = out / f".ranpaper-staging-{os.getppid()}-live"
    for folder in [stale, running]:
        (folder / "briefs").mkdir(parents=True)
        (folder / "briefs" / "half.pdf").write_bytes(b"%PDF-")
        (folder / STAGING_MARKER).write_text(MARKER_TEXT, "utf-8")  # as a build makes them
    (source / "paper.md").write_text(MINIMAL.replace("An introduction.", "Changed."), "utf-8")
    assert build(str(source), "--out", str(out), "--format", "json") == 0
    assert [p.name for p in out.glob(".ranpaper-staging-*")] == [running.name]
    shutil.rmtree(running)


def test_folders_that_only_bear_ranpapers_names_are_never_deleted(
    source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20: a folder named `.ranpaper-cache.json` or `.ranpaper-staging-x` in the output
    folder was deleted with its contents. Only what ranpaper made is removed or replaced."""
    out = tmp_path / "out"
    assert build(str(source), "--out", str(out), "--format", "json") == 0
    dead = _dead_pid()
    lookalikes = [
        out / ".ranpaper-staging-x",  # no process id
        out / f".ranpaper-staging-{dead}-nomarker",  # a dead build's name, but no marker
        out / f".ranpaper-staging-{dead}-badmarker",  # a marker ranpaper did not write
    ]
    for folder in lookalikes:
        folder.mkdir()
        (folder / "thesis.tex").write_text("years of work", "utf-8")
    (lookalikes[2] / ".ranpaper-staging").write_text("someone else's", "utf-8")
    (source / "paper.md").write_text(MINIMAL.replace("An introduction.", "Changed."), "utf-8")
    assert build(str(source), "--out", str(out), "--format", "json") == 0
    for folder in lookalikes:
        assert (folder / "thesis.tex").read_text("utf-8") == "years of work"
    # a folder where the cache belongs: a clear error before rendering, and it stays
    (out / ".ranpaper-cache.json").unlink()
    (out / ".ranpaper-cache.json").mkdir()
    (out / ".ranpaper-cache.json" / "notes.txt").write_text("mine", "utf-8")
    before = snapshot(out)
    capsys.readouterr()
    assert build(str(source), "--out", str(out), "--format", "json,html") == 2
    err = capsys.readouterr().err
    assert ".ranpaper-cache.json: is not the cache file ranpaper writes" in err
    assert snapshot(out) == before
    assert not [p for p in out.glob(".ranpaper-staging-*") if p not in lookalikes]
    # and a symbolic link there is neither followed nor replaced
    shutil.rmtree(out / ".ranpaper-cache.json")
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text("{}", "utf-8")
    (out / ".ranpaper-cache.json").symlink_to(elsewhere)
    assert build(str(source), "--out", str(out), "--format", "json") == 2
    assert elsewhere.read_text("utf-8") == "{}"
    assert (out / ".ranpaper-cache.json").is_symlink()


def _dead_pid() -> int:
    """A process id that no process has (the largest ids are rarely in use)."""
    for pid in range(4_194_000, 4_194_304):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            continue
    pytest.skip("no free process id found")


def test_a_cancelled_build_cleans_up_and_replaces_nothing(tmp_path: Path) -> None:
    """CI cancels a job with SIGTERM: the build stops as on Ctrl-C, its workers and staging
    folder go, and the previous outputs stay."""
    import signal
    import subprocess
    import sys
    import time

    from conftest import PAPER_PATH

    out = tmp_path / "out"
    assert build(str(PAPER_PATH), "--out", str(out), "--format", "json") == 0
    before = snapshot(out)
    process = subprocess.Popen(
        [sys.executable, "-m", "ranpaper", "build", str(PAPER_PATH), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(600):  # at most 60 s for the rendering to start
            if list(out.glob(".ranpaper-staging-*")) or process.poll() is not None:
                break
            time.sleep(0.1)
        assert process.poll() is None, "the build ended before it could be cancelled"
        process.send_signal(signal.SIGTERM)
        _, error = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, error
    assert "interrupted" in error
    assert snapshot(out) == before
    assert not list(out.glob(".ranpaper-staging-*"))
