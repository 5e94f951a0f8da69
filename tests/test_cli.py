"""The command line as CI and editors use it: exit codes, report formats, messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, PAPER_PATH, ROOT, run
from ranpaper.cli import main


def test_check_the_paper_passes_with_warnings() -> None:
    result = run("check", "source/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error[" not in result.stdout
    assert result.stdout.count("warning[RP301]") == 65
    assert (
        'warning[RP201] topic "Formers" has no "What needs to be further explored?"'
        in result.stdout
    )
    assert result.stdout.rstrip().endswith("passed: 0 errors, 71 warnings, 9 infos in 1 paper")
    assert result.stderr == ""


def test_strict_makes_warnings_fail() -> None:
    assert run("check", "--strict", "--quiet").returncode == 1


def test_text_report_shows_line_caret_and_hint(tmp_path: Path) -> None:
    bad = tmp_path / "p.md"
    bad.write_text(
        PAPER_PATH.read_text("utf-8").replace(
            "### Lessons learned and recommendations\n\n- Working with multi-problem",
            "### Lessons learnt and recommendations\n\n- Working with multi-problem",
        ),
        "utf-8",
    )
    result = run("check", str(bad), "--select", "RP203")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"{bad}:331:5: error[RP203] [*] unknown section heading "
        '"Lessons learnt and recommendations"'
    )
    assert lines[2] == "331 | ### Lessons learnt and recommendations"
    assert lines[3] == "    |     " + "^" * len("Lessons learnt and recommendations")
    assert lines[4] == '    = hint: did you mean "Lessons learned and recommendations"?'


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PAPER_PATH), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == {
        "papers": 1,
        "errors": 0,
        "warnings": 71,
        "infos": 9,
        "failed": False,
    }
    first = report["diagnostics"][0]
    assert set(first) == {
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "name",
        "severity",
        "message",
        "hint",
        "fix",  # a Fix or null (ranpaper.diagnostics.Fix)
    }


def test_github_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(PAPER_PATH), "--format", "github", "--select", "RP201"])
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(f"::warning file={PAPER_PATH},line=527,col=1,")
    assert "title=RP201 section-missing::" in line


def test_sarif_log(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(PAPER_PATH), "--format", "sarif"])
    log = json.loads(capsys.readouterr().out)
    assert log["version"] == "2.1.0"
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"RP301", "RP201"}
    result = run_["results"][0]
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1 and region["startColumn"] >= 1
    assert {r["level"] for r in run_["results"]} == {"warning", "note"}


def test_select_and_ignore(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", str(PAPER_PATH), "--format", "json", "--select", "RP2"]
    main([*argv, "--ignore", "RP204,RP208"])
    codes = {d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]}
    assert codes == {"RP201"}
    main([*argv, "--ignore", "RP204"])
    codes = {d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]}
    assert codes == {"RP201", "RP208"}


def test_missing_path_is_exit_2() -> None:
    result = run("check", "no/such/paper.md")
    assert result.returncode == 2
    assert result.stderr.strip() == "ranpaper: error: no/such/paper.md: no such file or folder"


def test_bad_option_is_exit_2() -> None:
    assert run("check", "--format", "xml").returncode == 2


def test_folder_without_papers_is_exit_2(tmp_path: Path) -> None:
    result = run("check", str(tmp_path))
    assert result.returncode == 2 and "holds no paper" in result.stderr


def test_rules_lists_and_explains() -> None:
    listing = run("rules").stdout
    assert "RP203  error    section-heading-unknown" in listing
    explained = run("rules", "RP301").stdout
    assert explained.startswith("RP301 link-lost (default severity: warning; fix: none)")
    assert "fix: safe" in run("rules", "RP203").stdout
    assert "## Why it matters" in explained
    assert run("rules", "RP999").returncode == 2


def test_build_refuses_on_errors_unless_forced(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(
        PAPER_PATH.read_text("utf-8").replace("04-05 June 2012", "31 June 2012"), "utf-8"
    )
    out = tmp_path / "out"
    refused = run("build", str(bad), "--out", str(out), "--format", "json")
    assert refused.returncode == 1
    assert "error[RP102]" in refused.stderr and "build refused" in refused.stderr
    assert not (out / "bad.json").exists()
    forced = run("build", str(bad), "--out", str(out), "--format", "json", "--force")
    assert forced.returncode == 0 and (out / "bad.json").exists()


def test_schema_check_detects_a_stale_schema(tmp_path: Path) -> None:
    stale = tmp_path / "schema.json"
    stale.write_text("{}", "utf-8")
    assert run("schema", "--check", "--path", str(stale)).returncode == 1
    assert run("schema", "--check").returncode == 0


def test_config_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ranpaper]\nignore = ["RP204"]\n[tool.ranpaper.severity]\nRP301 = "error"\n', "utf-8"
    )
    (tmp_path / "p.md").write_text((FIXTURES / "other-wg.md").read_text("utf-8"), "utf-8")
    result = run("check", "p.md", "--format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert [(d["code"], d["severity"]) for d in report["diagnostics"]] == [("RP301", "error")]


def test_bad_config_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "ranpaper.toml").write_text('selekt = ["RP1"]\n', "utf-8")
    (tmp_path / "p.md").write_text((FIXTURES / "other-wg.md").read_text("utf-8"), "utf-8")
    result = run("check", "p.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"ranpaper: error: {tmp_path / 'ranpaper.toml'}: unknown key(s) 'selekt' (did you mean "
        "'select'?); known: select, ignore, per-file-ignores, severity, earliest-date, profile, "
        "working-groups, extra-working-groups, max-bytes, exclude, max-elements, max-pages, "
        "render-memory-mib, render-seconds\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_report_that_cannot_be_written_is_an_error_not_a_bug() -> None:
    """A full disk is the machine's problem: exit 2 with the reason, no 'internal error'."""
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "ranpaper", "check", "source/"],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr == "ranpaper: error: cannot write the output: No space left on device\n"


def test_a_reader_that_leaves_early_is_not_an_error(tmp_path: Path) -> None:
    """`ranpaper check | head -1`: the report stops, quietly, with the check's own status."""
    for index in range(8):  # a report larger than the pipe's buffer
        (tmp_path / f"paper-{index}.md").write_text(PAPER_PATH.read_text("utf-8"), "utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "ranpaper", "check", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    status = process.wait(timeout=60)
    assert first.startswith(str(tmp_path / "paper-0.md") + ":")
    assert status == 0
    assert process.stderr.read() == ""


def test_a_folder_is_checked_in_parallel_with_a_report_in_file_order(tmp_path: Path) -> None:
    """Papers are checked on all cores; the report lists them in file-name order and is the
    same as checking each paper alone, whichever worker finishes first."""
    minimal = (ROOT / "tests" / "rules" / "minimal.md").read_text("utf-8")
    broken = minimal.replace("### Lessons learned and", "### Lessons learnt and", 1)
    assert broken != minimal
    for index in range(6):
        text = broken if index in (1, 4) else minimal
        (tmp_path / f"paper-{index}.md").write_text(text, "utf-8")
    together = run("check", str(tmp_path), "--format", "json")
    alone = [run("check", str(path), "--format", "json") for path in sorted(tmp_path.glob("*.md"))]
    assert together.returncode == 1  # two papers have an error
    assert [result.returncode for result in alone] == [0, 1, 0, 0, 1, 0]
    found = json.loads(together.stdout)["diagnostics"]
    assert found == [d for result in alone for d in json.loads(result.stdout)["diagnostics"]]
    assert [d["path"] for d in found] == sorted(d["path"] for d in found)
    assert run("check", str(tmp_path), "--format", "json").stdout == together.stdout


def test_the_pre_commit_hook_finds_papers_wherever_they_are(tmp_path: Path) -> None:
    """The hook as pre-commit runs it (its entry, at the repository root, no file names):
    a paper deep in the tree is checked, a README is not taken for one."""
    import shlex

    import yaml

    from ranpaper.formatting import format_text

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks["ranpaper-check"]
    assert hook["pass_filenames"] is False
    deep = tmp_path / "working groups" / "youth"
    deep.mkdir(parents=True)
    minimal = (ROOT / "tests" / "rules" / "minimal.md").read_text("utf-8")
    (deep / "overview.md").write_text(minimal.replace("3-4 May", "31 June"), "utf-8")
    (tmp_path / "README.md").write_text("# Our papers\n", "utf-8")
    command, *args = shlex.split(hook["entry"])
    assert command == "ranpaper"
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 1
    assert "working groups/youth/overview.md:20:70: error[RP102]" in result.stdout
    assert "README.md:1:1: info[RP006]" in result.stdout

    # The formatter's hooks find the same paper and leave the README alone: `ranpaper-fmt`
    # rewrites it (as ruff-format's hook does), `ranpaper-fmt-check` only fails (for CI).
    untidy = minimal.replace("\n- ", "\n* ", 1)
    assert untidy != minimal
    check = hooks["ranpaper-fmt-check"]
    fmt = hooks["ranpaper-fmt"]
    assert check["pass_filenames"] is False and fmt["pass_filenames"] is False
    (deep / "overview.md").write_text(untidy, "utf-8")
    command, *args = shlex.split(check["entry"])
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "would reformat" in result.stdout and "working groups/youth/overview.md" in result.stdout
    assert (deep / "overview.md").read_text("utf-8") == untidy
    command, *args = shlex.split(fmt["entry"])
    result = run(*args, cwd=tmp_path)
    assert "formatted" in result.stdout and "working groups/youth/overview.md" in result.stdout
    assert "README" not in result.stdout + result.stderr
    assert (deep / "overview.md").read_text("utf-8") == format_text(untidy).text != untidy
    assert (tmp_path / "README.md").read_text("utf-8") == "# Our papers\n"
