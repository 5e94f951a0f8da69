"""`ranpaper init [FOLDER]` (issue 23): a minimal paper, its configuration and a profile stub
that `check` passes without a finding and `build` builds, run in the new folder with the
defaults; it never replaces a file."""

from __future__ import annotations

from pathlib import Path

from conftest import run


def test_init_writes_a_paper_that_check_passes_and_build_builds(tmp_path: Path) -> None:
    created = run("init", "new", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    folder = tmp_path / "new"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "profile.toml",
        "ranpaper.toml",
        "source/paper.md",
    ]
    assert created.stdout.endswith("next: cd new && ranpaper check && ranpaper build\n")
    check = run("check", "--strict", cwd=folder)
    assert check.returncode == 0, check.stdout
    assert check.stdout == "passed: 0 errors, 0 warnings, 0 infos in 1 paper\n"
    build = run("build", "--format", "html,json", cwd=folder)
    assert build.returncode == 0, build.stderr
    assert (folder / "build" / "paper.html").is_file()
    assert (folder / "build" / "paper.json").is_file()


def test_init_uses_the_profile_stub(tmp_path: Path) -> None:
    assert run("init", cwd=tmp_path).returncode == 0
    (tmp_path / "profile.toml").write_text(
        (tmp_path / "profile.toml").read_text("utf-8")
        + '\n[headings]\nintroduction = "Background"\n',
        "utf-8",
    )
    check = run("check", cwd=tmp_path)
    assert check.returncode == 1 and "Introduction" in check.stdout  # read with its words


def test_init_never_replaces_a_file(tmp_path: Path) -> None:
    (tmp_path / "ranpaper.toml").write_text("# mine\n", "utf-8")
    refused = run("init", str(tmp_path))
    assert refused.returncode == 2
    assert "ranpaper.toml: already exists; nothing was written" in refused.stderr
    assert (tmp_path / "ranpaper.toml").read_text("utf-8") == "# mine\n"
    assert not (tmp_path / "source").exists()
    (tmp_path / "file").write_text("", "utf-8")
    not_a_folder = run("init", str(tmp_path / "file"))
    assert not_a_folder.returncode == 2 and "is not a folder" in not_a_folder.stderr
