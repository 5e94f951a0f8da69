"""One road: every door reads a paper the same way under every configuration.

For each configuration below, a paper that `fmt` wrote and `check` passes is left unchanged
by `check --fix`, passes `fmt --check`, has an empty `diff` with itself, loads through the
library with the same model, and gets from the language server exactly `check`'s findings."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

import ranpaper
from conftest import ROOT
from ranpaper.cli import main
from ranpaper.model import content

MINIMAL = (ROOT / "tests" / "rules" / "minimal.md").read_text("utf-8")
FRENCH = (ROOT / "examples" / "fr" / "rehabilitation-theme-5.md").read_text("utf-8")


@dataclass(frozen=True)
class Setup:
    name: str
    paper: str  # the paper's text
    files: dict[str, str]  # other files beside it (configuration, profiles)
    options: tuple[str, ...] = ()  # what the command line adds
    lsp: bool = True  # whether an editor would find the same configuration


SETUPS = [
    Setup("defaults", MINIMAL, {}),
    Setup(
        "extra-working-groups",
        MINIMAL.replace("- EXIT WG Meeting:", "- NEWWG WG Meeting:"),
        {"ranpaper.toml": 'extra-working-groups = ["NEWWG"]\n'},
    ),
    Setup(
        "fr profile in the configuration",
        FRENCH.replace("language: fr\n", ""),
        {"ranpaper.toml": 'profile = "fr"\n'},
    ),
    Setup(
        "custom profile file",
        MINIMAL.replace("### Lessons learned and recommendations", "### Key lessons"),
        {
            "ranpaper.toml": 'profile = "house.toml"\n',
            "house.toml": 'extends = "default"\n[sections.lessons]\nlabel = "Key lessons"\n',
        },
    ),
    Setup(
        "--config",
        MINIMAL.replace("- EXIT WG Meeting:", "- NEWWG WG Meeting:"),
        {"../pinned.toml": 'extra-working-groups = ["NEWWG"]\n'},
        ("--config", "{tmp}/pinned.toml"),
        lsp=False,
    ),
    Setup(
        "--isolated",
        MINIMAL,
        {"ranpaper.toml": 'extra-working-groups = ["EXIT"]\nselect = ["RP9"]\n'},
        ("--isolated",),
        lsp=False,
    ),
]


def _lay_out(tmp_path: Path, setup: Setup) -> tuple[Path, list[str]]:
    folder = tmp_path / "papers"
    folder.mkdir()
    paper = folder / "paper.md"
    paper.write_text(setup.paper, "utf-8")
    for name, text in setup.files.items():
        (folder / name).resolve().write_text(text, "utf-8")
    options = [option.replace("{tmp}", str(tmp_path)) for option in setup.options]
    return paper, options


def _check_json(paper: Path, options: list[str], capsys: pytest.CaptureFixture[str]) -> list:
    code = main(["check", str(paper), "--format", "json", *options])
    found = json.loads(capsys.readouterr().out)["diagnostics"]
    assert code == 0, found
    return found


@pytest.mark.parametrize("setup", SETUPS, ids=[s.name for s in SETUPS])
def test_every_door_agrees(
    tmp_path: Path, setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    paper, options = _lay_out(tmp_path, setup)
    # fmt writes the canonical form under the configuration; everything after reads that
    assert main(["fmt", str(paper), *options]) == 0, capsys.readouterr()
    capsys.readouterr()
    original = paper.read_bytes()
    found = _check_json(paper, options, capsys)
    assert not [d for d in found if d["severity"] == "error"]

    # check --fix leaves a clean paper as it is, and finds what check found
    assert main(["check", str(paper), "--fix", "--format", "json", *options]) == 0
    assert json.loads(capsys.readouterr().out)["diagnostics"] == found
    assert paper.read_bytes() == original

    # fmt --check passes, and fmt writes nothing new
    assert main(["fmt", "--check", str(paper), *options]) == 0, capsys.readouterr()
    capsys.readouterr()

    # diff of the paper with itself is empty
    twin = tmp_path / "papers" / "twin.md"
    shutil.copyfile(paper, twin)
    assert main(["diff", str(paper), str(twin), "--format", "json", *options]) == 0
    (report,) = json.loads(capsys.readouterr().out)
    assert report["changes"] == [] and report["new_findings"] == []
    twin.unlink()

    # the library reads the same paper (with the configuration found from its folder)
    if setup.lsp:
        workspace = ranpaper.Workspace.load(paper)
        assert content(ranpaper.load(paper)) == content(workspace.open(paper).paper)

    # the language server publishes exactly check's findings
    if setup.lsp:
        from ranpaper.lsp import PaperServer, analyse

        server = PaperServer()
        analysis = analyse(paper.read_text("utf-8"), paper, server.workspace_for(paper))
        published = [(d.code, d.line, d.column, d.message) for d, _ in analysis.findings]
        assert published == [(d["code"], d["line"], d["column"], d["message"]) for d in found]


def test_a_markdown_file_that_is_not_a_paper_gets_no_findings_in_the_editor() -> None:
    from ranpaper.lsp import analyse

    readme = ROOT / "README.md"
    analysis = analyse(readme.read_text("utf-8"), readme, ranpaper.Workspace())
    assert analysis.findings == [] and analysis.paper is None
