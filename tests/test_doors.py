"""Every door reads, writes, limits and prints through the same code (the workspace issue):
each case here was a way in that one command forgot."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run
from ranpaper.cli import main

MINIMAL = (ROOT / "tests" / "rules" / "minimal.md").read_text("utf-8")


def _paper(folder: Path, text: str = MINIMAL, name: str = "paper.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, "utf-8")
    return path


# --- writing never goes through a symbolic link ----------------------------------------------


def test_check_output_through_a_committed_symlink_is_refused(tmp_path: Path) -> None:
    paper = _paper(tmp_path / "repo")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", "utf-8")
    report = tmp_path / "repo" / "ranpaper.sarif"
    report.symlink_to(victim)
    result = run("check", str(paper), "--format", "sarif", "--output", str(report))
    assert result.returncode == 2
    assert "symbolic link" in result.stderr and "Traceback" not in result.stderr
    assert victim.read_text("utf-8") == "precious"


def test_a_dangling_baseline_symlink_creates_nothing_outside(tmp_path: Path) -> None:
    paper = _paper(tmp_path / "repo")
    outside = tmp_path / "elsewhere" / "planted.json"
    outside.parent.mkdir()
    baseline = tmp_path / "repo" / "baseline.json"
    baseline.symlink_to(outside)
    result = run("check", str(paper), "--baseline", str(baseline))
    assert result.returncode == 2 and "symbolic link" in result.stderr
    assert not outside.exists()


def test_schema_reads_and_writes_no_symlink(tmp_path: Path) -> None:
    link = tmp_path / "schema.json"
    link.symlink_to("/dev/zero")
    checked = run("schema", "--check", "--path", str(link))
    assert checked.returncode == 2 and "regular file" in checked.stderr
    target = tmp_path / "target.json"
    target.write_text("keep", "utf-8")
    other = tmp_path / "other.json"
    other.symlink_to(target)
    written = run("schema", "--write", "--path", str(other))
    assert written.returncode == 2 and "symbolic link" in written.stderr
    assert target.read_text("utf-8") == "keep"


def test_fix_and_fmt_refuse_to_write_through_a_symlinked_paper(tmp_path: Path) -> None:
    real = _paper(tmp_path / "repo", MINIMAL.replace("### Practices", "### Practises"), "real.md")
    link = tmp_path / "repo" / "link.md"
    link.symlink_to(real)
    before = real.read_text("utf-8")
    result = run("check", str(link), "--fix")
    assert result.returncode == 2 and "symbolic link" in result.stderr
    assert real.read_text("utf-8") == before


# --- one line model ----------------------------------------------------------------------------


def test_fix_with_stray_carriage_returns_edits_the_right_place(tmp_path: Path) -> None:
    # A bare CR is a line break for markdown-it: the fix engine must count it as one too.
    text = MINIMAL.replace("An introduction.[^1]", "An introduction.[^1]\r\rStill introduction.")
    text = text.replace(
        "### Lessons learned and recommendations", "### Lessons learnt and recommendations"
    )
    paper = _paper(tmp_path, text)
    assert main(["check", str(paper), "--fix", "--unsafe-fixes", "--quiet"]) in (0, 1)
    fixed = paper.read_bytes().decode("utf-8")  # as written: no newline translation
    assert "### Lessons learned and recommendations" in fixed
    assert "- Start early.\n" in fixed  # the lesson is untouched
    assert "\r\rStill introduction." in fixed  # the CRs are kept where they were


def test_fix_keeps_crlf_and_bom(tmp_path: Path) -> None:
    text = "\ufeff" + MINIMAL.replace("### Practices", "### Practises").replace("\n", "\r\n")
    paper = tmp_path / "paper.md"
    paper.write_bytes(text.encode("utf-8"))
    assert main(["check", str(paper), "--fix", "--unsafe-fixes", "--quiet"]) == 0
    fixed = paper.read_bytes().decode("utf-8")
    assert fixed.startswith("\ufeff---\r\n") and "\n" not in fixed.replace("\r\n", "")
    assert "### Practices\r\n" in fixed


# --- limits hold at every door ------------------------------------------------------------------


def test_diff_of_revisions_refuses_a_blob_over_the_cap(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _paper(repo / "source")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@e", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    big = MINIMAL + "\n" + ("Padding words. " * 80_000) + "\n"
    (repo / "source" / "paper.md").write_text(big, "utf-8")
    (repo / "ranpaper.toml").write_text("max-bytes = 100000\n", "utf-8")
    subprocess.run([*git, "commit", "-qam", "two"], check=True)
    result = run("diff", "HEAD~1", "HEAD", "--config", str(repo / "ranpaper.toml"), cwd=repo)
    assert result.returncode == 2
    assert "cap" in result.stderr and "paper.md (HEAD)" in result.stderr


def test_diff_of_revisions_finds_a_paper_whose_name_git_would_quote(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    paper = _paper(repo / "source", name="überblick.md")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@e", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    paper.write_text(MINIMAL.replace("3-4 May 2020", "5-6 May 2020"), "utf-8")
    subprocess.run([*git, "commit", "-qam", "two"], check=True)
    result = run("diff", "HEAD~1", "HEAD", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "überblick.md" in result.stdout and "no change" not in result.stdout
    assert "2020-05-05" in result.stdout or "5-6 May 2020" in result.stdout


def test_the_language_server_refuses_a_buffer_over_the_cap(tmp_path: Path) -> None:
    from ranpaper.lsp import analyse
    from ranpaper.workspace import Workspace

    text = MINIMAL + "x" * (1024 * 1024 + 1)
    analysis = analyse(text, tmp_path / "paper.md", Workspace())
    assert [d.code for d, _ in analysis.findings] == ["RP001"]
    assert "cap" in analysis.findings[0][0].message and analysis.paper is None


def test_a_configured_profile_that_is_a_device_is_refused_not_read(tmp_path: Path) -> None:
    paper = _paper(tmp_path / "papers")
    (tmp_path / "papers" / "house.toml").symlink_to("/dev/zero")
    (tmp_path / "papers" / "ranpaper.toml").write_text('profile = "house.toml"\n', "utf-8")
    result = run("check", str(paper))
    assert result.returncode == 2
    assert "regular file" in result.stderr and "MemoryError" not in result.stderr


def test_links_toml_that_leads_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    paper = _paper(tmp_path / "papers")
    secret = tmp_path / "secret.toml"
    secret.write_text('[[link]]\ntext = "x"\ntopic = "y"\nurl = "https://e.org"\n', "utf-8")
    (tmp_path / "papers" / "links.toml").symlink_to(secret)
    result = run("check", str(paper))
    assert result.returncode == 2 and "outside" in result.stderr


# --- papers are found one way ------------------------------------------------------------------


def test_folder_scans_skip_what_git_ignores(tmp_path: Path) -> None:
    from ranpaper.workspace import Workspace

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".gitignore").write_text("drafts/\n*.copy.md\n", "utf-8")
    _paper(repo / "source")
    _paper(repo / "source" / "drafts", name="draft.md")
    _paper(repo / "source", name="paper.copy.md")
    found = Workspace().papers([repo / "source"]).papers
    assert [p.name for p in found] == ["paper.md"]


def test_a_folder_nested_1100_deep_is_scanned(tmp_path: Path) -> None:
    from ranpaper.workspace import Workspace

    deep = tmp_path
    try:
        try:
            for _ in range(1100):  # one by one: os.makedirs itself recurses
                deep = deep / "d"
                os.mkdir(deep)
        except OSError:
            pytest.skip("this file system refuses paths that long")
        _paper(tmp_path, name="top.md")
        _paper(deep, name="deep.md")
        found = Workspace().papers([tmp_path]).papers
        assert [p.name for p in found] == ["deep.md", "top.md"]
    finally:
        # Removed here, deepest first: pytest's own clean-up (shutil.rmtree) recurses, and a
        # tree this deep would crash it in the next session.
        while deep != tmp_path:
            for entry in deep.iterdir():
                entry.unlink()
            deep.rmdir()
            deep = deep.parent


# --- names are printed safely everywhere ----------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["fmt", "--check"],
        ["check", "--fix"],
        ["build", "--format", "json", "--out", "OUT"],
        ["links", "--check-external", "--offline", "--cache", "OUT.json"],
    ],
)
def test_file_names_with_control_characters_are_printed_escaped(
    tmp_path: Path, command: list[str]
) -> None:
    name = "a\n::error::owned\x1b[31m.md"
    paper = _paper(tmp_path / "papers", MINIMAL.replace("### Practices", "### Practises"), name)
    argv = [part.replace("OUT", str(tmp_path / "out")) for part in command]
    result = run(*argv, str(paper))
    printed = result.stdout + result.stderr
    assert "\x1b" not in printed
    assert not any(line.startswith("::") for line in printed.splitlines())
    assert "\\n::error::owned\\x1b[31m.md" in printed
