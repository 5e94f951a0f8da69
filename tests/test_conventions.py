"""ruff's command-line conventions, each driven as a user runs the command (issue 23): `-q`,
`--exit-zero`, `--extend-select`, `-` with `--stdin-filename`, `[*]` on fixable findings, the
summary after `--fix`, `--unsafe-fixes` alone, rules by name, per-file ignores, `--debug`
after the subcommand, help texts, `build -q`, and build progress in a CI log."""

from __future__ import annotations

from pathlib import Path

from conftest import PAPER_PATH, run

PAPER = PAPER_PATH.read_text("utf-8")
# A misspelt section heading (RP203, an error with a safe fix), once.
MISSPELT = PAPER.replace(
    "Lessons learned and recommendations", "Lessons learnt and recommendations", 1
)
# A date not in the paper's form (RP108, a warning with a safe fix).
BAD_DATE = PAPER.replace("Stockholm, 04-05 June 2012", "Stockholm, 04 – 05 Jun. 2012", 1)


def _paper(folder: Path, text: str = PAPER, name: str = "paper.md") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def _counted() -> tuple[int, int]:
    """(findings, warnings) `check` reports on the bundled paper, as its JSON says: the
    expected summaries follow the paper and the rules rather than a number written here."""
    import json

    found = json.loads(run("check", "--format", "json").stdout)["diagnostics"]
    return len(found), sum(d["severity"] == "warning" for d in found)


def test_strict_quiet_prints_the_warnings_that_failed_it() -> None:
    for flag in ("-q", "--quiet"):
        result = run("check", "--strict", flag)
        assert result.returncode == 1
        assert "warning[RP301]" in result.stdout
        assert "info[" not in result.stdout  # an info never fails, so it is not printed
        assert f"failed: 0 errors, {_counted()[1]} warnings" in result.stdout


def test_quiet_without_strict_prints_nothing_for_a_clean_check() -> None:
    result = run("check", "-q")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_exit_zero_keeps_exit_2(tmp_path: Path) -> None:
    assert run("check", "--strict", "--exit-zero").returncode == 0
    assert run("check", str(_paper(tmp_path, MISSPELT)), "--exit-zero").returncode == 0
    assert run("check", "--exit-zero", str(tmp_path / "none.md")).returncode == 2


def test_extend_select_adds_to_the_selection(tmp_path: Path) -> None:
    paper = str(_paper(tmp_path, BAD_DATE))
    only = run("check", paper, "--select", "RP301")
    assert "RP301" in only.stdout and "RP108" not in only.stdout
    both = run("check", paper, "--select", "RP301", "--extend-select", "RP108")
    assert "RP301" in both.stdout and "RP108" in both.stdout
    wrong = run("check", paper, "--extend-select", "RP999")
    assert wrong.returncode == 2 and "--extend-select" in wrong.stderr


def test_check_reads_standard_input_under_the_stdin_filename(tmp_path: Path) -> None:
    result = run("check", "-", "--stdin-filename", "drafts/new.md", input=MISSPELT)
    assert result.returncode == 1
    assert "drafts/new.md:86:6: error[RP203] [*]" in result.stdout
    assert "86 | #### Lessons learnt and recommendations" in result.stdout  # stdin's line
    anonymous = run("check", "-", input=PAPER)
    assert anonymous.returncode == 0 and "-:70:34: warning[RP301]" in anonymous.stdout
    # The configuration is the one the named file would have.
    (tmp_path / "ranpaper.toml").write_text('ignore = ["RP301"]\n', "utf-8")
    named = run("check", "-", "--stdin-filename", str(tmp_path / "x.md"), input=PAPER)
    assert "RP301" not in named.stdout
    mixed = run("check", "-", "source")
    assert mixed.returncode == 2 and "cannot be combined" in mixed.stderr
    stray = run("check", "source", "--stdin-filename", "x.md")
    assert stray.returncode == 2 and "pass `-`" in stray.stderr


def test_check_fix_on_standard_input_writes_the_fixed_text_to_stdout(tmp_path: Path) -> None:
    result = run("check", "-", "--fix", input=MISSPELT)
    assert result.stdout == PAPER
    total = _counted()[0]
    assert f"Found {total + 1} findings (1 fixed, {total} remaining)." in result.stderr
    # The report's excerpts are of the fixed text, not of a file of that name on disk.
    other = _paper(tmp_path, "---\ntitle: other\n---\n")
    named = run("check", "-", "--fix", "--stdin-filename", str(other), input=MISSPELT)
    assert "70 | - EXIT WG Meeting: Ex Post Paper" in named.stderr


def test_fmt_reads_standard_input_and_writes_the_result_to_stdout() -> None:
    loose = PAPER.replace("\n- ", "\n* ")
    assert loose != PAPER
    result = run("fmt", "-", "--stdin-filename", "p.md", input=loose)
    assert (result.returncode, result.stdout) == (0, PAPER)
    check = run("fmt", "--check", "-", "--stdin-filename", "p.md", input=loose)
    assert (check.returncode, check.stdout) == (1, "would reformat p.md\n")
    assert run("fmt", "--check", "-", input=PAPER).returncode == 0
    diff = run("fmt", "--diff", "-", input=loose)
    assert diff.returncode == 1 and "-* " in diff.stdout and "+- " in diff.stdout


def test_fixable_findings_are_marked_and_counted(tmp_path: Path) -> None:
    paper = str(_paper(tmp_path, MISSPELT))
    result = run("check", paper)
    assert "error[RP203] [*] unknown section heading" in result.stdout
    assert "warning[RP301] [*]" not in result.stdout  # no fix: no mark
    assert result.stdout.endswith("[*] 1 fixable with `--fix`.\n")
    statistics = run("check", paper, "--statistics").stdout.splitlines()
    assert any(
        line.split()[1:] == ["RP203", "error", "[*]", "section-heading-unknown"]
        for line in statistics
    ), statistics
    assert statistics[-1] == "[*] 1 fixable with `--fix`."


def test_fix_ends_with_how_many_were_fixed_and_remain(tmp_path: Path) -> None:
    paper = _paper(tmp_path, MISSPELT)
    result = run("check", str(paper), "--fix")
    assert result.returncode == 0
    total = _counted()[0]
    assert result.stdout.endswith(f"Found {total + 1} findings (1 fixed, {total} remaining).\n")
    assert paper.read_text("utf-8") == PAPER
    again = run("check", str(paper), "--fix")
    assert again.stdout.endswith(f"Found {total} findings (0 fixed, {total} remaining).\n")
    machine = run("check", str(paper), "--fix", "--format", "json")
    assert f"Found {total} findings" in machine.stderr  # stdout stays JSON


def test_unsafe_fixes_alone_says_it_does_nothing() -> None:
    result = run("check", "--unsafe-fixes")
    assert result.returncode == 0
    assert "--unsafe-fixes does nothing without --fix or --diff" in result.stderr
    assert "does nothing" not in run("check", "--unsafe-fixes", "--diff").stderr


def test_rules_by_name_on_the_command_line_and_by_prefix_in_the_configuration(
    tmp_path: Path,
) -> None:
    by_name = run("check", "--select", "link-lost")
    assert by_name.returncode == 0
    assert "warning[RP301]" in by_name.stdout and "RP208" not in by_name.stdout
    _paper(tmp_path, BAD_DATE)
    (tmp_path / "ranpaper.toml").write_text('select = ["RP1"]\n', "utf-8")
    configured = run("check", str(tmp_path))
    assert configured.returncode == 0, configured.stderr
    assert "RP108" in configured.stdout and "RP301" not in configured.stdout
    # A found configuration narrows the ordinary rules; the safety rules stay on.
    _paper(tmp_path, PAPER.replace("(#)", "(javascript:alert(1))", 1), "hostile.md")
    hostile = run("check", str(tmp_path / "hostile.md"))
    assert hostile.returncode == 1 and "error[RP308]" in hostile.stdout
    assert "RP301" not in hostile.stdout


def test_per_file_ignores(tmp_path: Path) -> None:
    _paper(tmp_path, name="drafts/a.md")
    _paper(tmp_path, name="final/b.md")
    (tmp_path / "ranpaper.toml").write_text(
        'per-file-ignores = {"drafts/*.md" = ["RP301"], "b.md" = ["meeting-incomplete"]}\n',
        "utf-8",
    )
    result = run("check", str(tmp_path))
    lines = result.stdout.splitlines()
    assert not [line for line in lines if "drafts/a.md" in line and "RP301" in line]
    assert [line for line in lines if "final/b.md" in line and "RP301" in line]
    assert not [line for line in lines if "final/b.md" in line and "RP208" in line]
    assert [line for line in lines if "drafts/a.md" in line and "RP208" in line]
    # Found next to the papers, it may not switch off a safety rule, nor name no rule.
    (tmp_path / "ranpaper.toml").write_text('per-file-ignores = {"*.md" = ["RP3"]}\n', "utf-8")
    refused = run("check", str(tmp_path))
    assert refused.returncode == 2 and "turns off RP308 for *.md" in refused.stderr
    (tmp_path / "ranpaper.toml").write_text('per-file-ignores = {"*.md" = ["RP3O1"]}\n', "utf-8")
    unknown = run("check", str(tmp_path))
    assert unknown.returncode == 2 and "no rule or prefix 'RP3O1'" in unknown.stderr


def test_debug_before_or_after_the_subcommand() -> None:
    for args in (("--debug", "check"), ("check", "--debug"), ("rules", "--debug")):
        result = run(*args)
        assert result.returncode == 0, (args, result.stderr)


def test_every_option_of_check_fmt_build_schema_has_a_help_text() -> None:
    import argparse

    from ranpaper.cli import _parser

    commands = next(
        a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)
    ).choices
    for name in ("check", "fmt", "build", "schema", "init"):
        for action in commands[name]._actions:
            assert action.help, (name, action.option_strings or action.dest)
    assert "the committed schema" in run("schema", "--help").stdout
    assert "-q, --quiet" in run("build", "--help").stdout


def test_build_quiet_prints_nothing_and_progress_is_plain_lines_in_a_log(tmp_path: Path) -> None:
    quiet = run("build", "-q", "--format", "json", "--out", str(tmp_path / "q"))
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    logged = run("build", "--format", "pdf", "--out", str(tmp_path / "l"))
    assert logged.returncode == 0, logged.stderr
    assert "1/1 rendered" in logged.stderr
    assert "\x1b" not in logged.stderr and "\r" not in logged.stderr


def test_per_file_ignores_of_a_pinned_configuration_match_from_the_current_folder(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    _paper(repo, name="drafts/a.md")
    pinned = tmp_path / "ci" / "ranpaper.toml"
    pinned.parent.mkdir()
    pinned.write_text('per-file-ignores = {"drafts/*" = ["RP301"]}\n', "utf-8")
    for path in (".", str(repo / "drafts" / "a.md")):
        result = run("check", path, "--config", str(pinned), cwd=repo)
        assert result.returncode == 0 and "RP301" not in result.stdout, path


def test_standard_input_is_read_as_a_file_is(tmp_path: Path) -> None:
    """Capped, UTF-8 or refused in one line, its name escaped (never a traceback)."""
    import subprocess
    import sys

    def check(data: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "ranpaper", "check", "-", *args],
            input=data,
            capture_output=True,
            timeout=60,
            cwd=tmp_path,
        )

    invalid = check(b"abc\xff", "--stdin-filename", "x\x1b.md")
    assert invalid.returncode == 2
    assert invalid.stderr == (
        b"ranpaper: error: x\\x1b.md:1: is not valid UTF-8 (byte 0xff); save the file as UTF-8\n"
    )
    large = check(b"a" * (1024 * 1024 + 1))
    assert large.returncode == 2
    assert large.stderr == b"ranpaper: error: -: standard input is over the 1 MiB cap\n"
