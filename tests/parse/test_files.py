"""What is read: papers recognised by their front matter, folders scanned without the output
folder or non-paper Markdown, and only regular files inside their folder, never more than the
size cap."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import ranpaper
from conftest import ROOT, run
from ranpaper.errors import RanpaperError
from ranpaper.fs import read_text
from ranpaper.papers import is_paper, scan

MINIMAL = (ROOT / "tests" / "rules" / "minimal.md").read_text("utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A checkout after a build: a paper, a README beside it, briefs in build/, a .venv."""
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "paper.md").write_text(MINIMAL, "utf-8")
    (tmp_path / "source" / "README.md").write_text("# How to edit\n\nNotes.\n", "utf-8")
    (tmp_path / "build" / "briefs").mkdir(parents=True)
    (tmp_path / "build" / "briefs" / "01-theme.md").write_text("# Main theme 1: x\n", "utf-8")
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / ".venv" / "lib" / "README.md").write_text("# a package\n", "utf-8")
    return tmp_path


def test_a_paper_is_recognised_by_front_matter_with_a_title(tmp_path: Path) -> None:
    cases = {
        "paper.md": MINIMAL,
        "bom.md": "\ufeff---\r\ntitle: x\r\n---\r\n",
        "no-front-matter.md": "# Title\n",
        "other-front-matter.md": "---\nlayout: post\n---\ntitle: not in the front matter\n",
        "title-later.md": "Intro\n---\ntitle: x\n---\n",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text, "utf-8")
    assert {name for name in cases if is_paper(tmp_path / name)} == {"paper.md", "bom.md"}


def test_a_folder_scan_skips_the_output_folder_and_non_papers_with_a_note(
    project: Path,
) -> None:
    result = run("check", ".", "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["papers"] == 1
    assert [(d["path"], d["code"], d["severity"]) for d in report["diagnostics"]] == [
        ("source/README.md", "RP006", "info")
    ]
    papers = ranpaper.load_all([project])
    assert [paper.path for paper in papers] == [str(project / "source" / "paper.md")]


def test_exclude_in_the_config_skips_files_and_folders(project: Path) -> None:
    (project / "source" / "drafts").mkdir()
    (project / "source" / "drafts" / "draft.md").write_text(MINIMAL, "utf-8")
    (project / "source" / "old.md").write_text(MINIMAL, "utf-8")
    assert [p.name for p in scan([project]).papers] == ["draft.md", "old.md", "paper.md"]
    assert [p.name for p in scan([project], ("drafts", "source/old.md")).papers] == ["paper.md"]
    (project / "ranpaper.toml").write_text('exclude = ["drafts", "old.md"]\n', "utf-8")
    report = json.loads(run("check", ".", "--format", "json", cwd=project).stdout)
    assert report["summary"]["papers"] == 1


def test_a_file_named_on_the_command_line_is_checked_whatever_it_holds(project: Path) -> None:
    result = run("check", "source/README.md", cwd=project)
    assert result.returncode == 1
    assert "error[RP002]" in result.stdout


def test_a_link_out_of_its_folder_is_refused_when_named_too(tmp_path: Path) -> None:
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "passwd.md").symlink_to("/etc/passwd")
    result = run("check", "papers/passwd.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "ranpaper: error: papers/passwd.md: is a link to a file outside the folder; "
        "refused to read it\n"
    )
    assert "root:" not in result.stdout
    (tmp_path / "papers" / "real.md").write_text(MINIMAL, "utf-8")
    (tmp_path / "papers" / "alias.md").unlink(missing_ok=True)
    (tmp_path / "papers" / "alias.md").symlink_to("real.md")
    assert run("check", "papers/alias.md", cwd=tmp_path).returncode == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    for target in ("pipe.md", "."):
        result = run("check", target, cwd=tmp_path)
        assert result.returncode in (1, 2), target
        assert "is not a regular file" in result.stdout + result.stderr, target


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused_not_read_without_end() -> None:
    with pytest.raises(RanpaperError, match="not a regular file"):
        read_text(Path("/dev/zero"))


def test_reads_stop_at_the_cap_whatever_stat_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size is judged on what is read, at most cap + 1 bytes, not on `stat`'s word (a
    file can grow, and /proc files say 0)."""
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 5000)
    read: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting_read)
    with pytest.raises(RanpaperError, match="over the 1000 bytes cap"):
        read_text(big, 1000)
    assert sum(read) == 1001
    assert read_text(big, 5000) == "x" * 5000
