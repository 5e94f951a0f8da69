"""The reports CI reads: SARIF against the official schema, GitHub annotations and job
summary, statistics, and nothing from a paper that can pass for ranpaper's own output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURES, ROOT, run

MINIMAL = (ROOT / "tests" / "rules" / "minimal.md").read_text("utf-8")
SCHEMA = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text("utf-8"))


def validate_sarif(text: str) -> dict:  # type: ignore[type-arg]
    log = json.loads(text)
    validator = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return log  # type: ignore[no-any-return]


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A repository with a paper at `my papers/Überblick #1.md` that has an error (a lost
    link made an error), a warning and a multi-line finding."""
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "my papers"
    folder.mkdir()
    text = (
        MINIMAL.replace("(https://example.org/manual)", "(smb://server/manual)")
        .replace("### Lessons learned and", "### Lessons learnt and")
        .replace("(https://example.org/kick-off)", "(#)")
    )
    (folder / "Überblick #1.md").write_text(text, "utf-8")
    return tmp_path


def test_sarif_of_a_paper_with_space_umlaut_and_hash_validates(repository: Path) -> None:
    result = run("check", "my papers", "--format", "sarif", cwd=repository / "my papers" / "..")
    assert result.returncode == 1, result.stderr
    log = validate_sarif(result.stdout)
    run_ = log["runs"][0]
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repository.resolve().as_uri() + "/"
    locations = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]
    }
    assert locations == {"my%20papers/%C3%9Cberblick%20%231.md"}
    assert {r["ruleId"] for r in run_["results"]} >= {"RP310", "RP203"}
    assert run_["invocations"] == [{"executionSuccessful": True}]


def test_sarif_uris_are_relative_to_the_repository_not_the_current_folder(
    repository: Path,
) -> None:
    """Run from inside the paper's folder: the URI still starts at the repository root."""
    result = run("check", "Überblick #1.md", "--format", "sarif", cwd=repository / "my papers")
    log = validate_sarif(result.stdout)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"my%20papers/%C3%9Cberblick%20%231.md"}


def test_a_run_that_cannot_check_still_writes_a_sarif_log_that_says_why(
    repository: Path,
) -> None:
    out = repository / "ranpaper.sarif"
    result = run(
        "check", "no such folder", "--format", "sarif", "--output", str(out), cwd=repository
    )
    assert result.returncode == 2
    assert result.stderr == "ranpaper: error: no such folder: no such file or folder\n"
    log = validate_sarif(out.read_text("utf-8"))
    [invocation] = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["message"]["text"] == "no such folder: no such file or folder"
    assert log["runs"][0]["results"] == []


def test_github_annotations_most_severe_first_and_no_columns_on_multiline_spans(
    repository: Path,
) -> None:
    summary = repository / "summary.md"
    paper = repository / "my papers" / "Überblick #1.md"
    paper.write_text(
        paper.read_text("utf-8").replace(
            "# Main theme 1: Theme\n",
            "# Main theme 1: Theme\n\n" + "> " * 25 + "deep\n" + "> " * 25 + "deeper\n",
        ),
        "utf-8",
    )
    result = run(
        "check",
        "my papers",
        "--format",
        "github",
        cwd=repository,
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    lines = result.stdout.splitlines()
    kinds = [line.split(" ", 1)[0] for line in lines]
    assert kinds == sorted(kinds, key=["::error", "::warning", "::notice"].index)
    assert kinds[0] == "::error" and "::warning" in kinds
    for line in lines:
        props = dict(p.split("=", 1) for p in line.split(" ", 1)[1].split("::", 1)[0].split(","))
        assert props["file"] == "my papers/Überblick #1.md"
        if props["line"] != props["endLine"]:
            assert "col" not in props and "endColumn" not in props, line
        else:
            assert int(props["endColumn"]) >= int(props["col"])
    assert any(
        (p := dict(x.split("=", 1) for x in ln.split(" ", 1)[1].split("::", 1)[0].split(",")))[
            "line"
        ]
        != p["endLine"]
        for ln in lines
    ), "the case needs a multi-line finding"
    table = summary.read_text("utf-8").splitlines()
    assert table[0].startswith("### ranpaper check failed: ")
    rows = [row for row in table if row.startswith(("| error", "| warning", "| info"))]
    assert len(rows) == len(lines)  # the full list, not GitHub's first ten
    assert rows[0].startswith("| error | ")


def test_statistics_count_findings_per_rule(repository: Path) -> None:
    result = run("check", "my papers", "--statistics", "--select", "RP203,RP310", cwd=repository)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [  # the counts alone, as ruff's --statistics
        "1  RP203  error    [*] section-heading-unknown",
        "1  RP310  error        link-scheme-unknown",
        "[*] 1 fixable with `--fix`.",
    ]
    result = run("check", "my papers", "--statistics", "--format", "json", cwd=repository)
    assert json.loads(result.stdout)["diagnostics"]  # a machine report stays whole
    assert "RP203  error" in result.stderr


def test_nothing_from_a_paper_can_start_a_workflow_command_or_reach_the_terminal(
    tmp_path: Path,
) -> None:
    """A YAML key holding a line break followed by `::error`, a file name with a line break,
    ESC and BEL in the text: every format keeps them on ranpaper's own lines, escaped."""
    hostile = MINIMAL.replace(
        "title: Minimal paper", 'title: Minimal paper\n"x\\n::error file=a::pwned": 1'
    ).replace("Start early.", "Start early \x1b[2J\x07 [broken](a b).")
    name = "evil\n::error title=x::name.md"
    (tmp_path / name).write_text(hostile, "utf-8")
    (tmp_path / "::warning::x.md").write_text(hostile, "utf-8")
    for fmt in ("text", "github", "json", "sarif"):
        result = run("check", ".", "--format", fmt, cwd=tmp_path)
        assert result.returncode == 1, (fmt, result.stderr)
        output = result.stdout + result.stderr
        assert "\x1b" not in output and "\x07" not in output, fmt
        # The parser replaces them and says so (RP008), in every format ...
        assert "U+0007, U+001B" in output, fmt
        # ... and where a report quotes the source line, it shows them escaped, not dropped.
        if fmt == "text":
            assert "\\x1b[2J\\x07" in output
        lines = output.splitlines()
        if fmt == "github":
            assert all(
                re.match(r"::(error|warning|notice) file=[^,:]*,line=\d+,", ln) for ln in lines
            )
        else:
            assert not [line for line in lines if line.lstrip().startswith("::")], fmt


def test_sarif_of_a_paper_outside_the_repository_has_an_absolute_file_uri(
    tmp_path: Path,
) -> None:
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    outside = tmp_path / "elsewhere #2"
    outside.mkdir()
    (outside / "p.md").write_text(MINIMAL.replace("(https://example.org/manual)", "(#)"), "utf-8")
    result = run("check", str(outside / "p.md"), "--format", "sarif", cwd=repository)
    log = validate_sarif(result.stdout)
    [location] = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert location == (outside / "p.md").resolve().as_uri()
    assert location.endswith("/elsewhere%20%232/p.md")
