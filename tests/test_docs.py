"""Docs a newcomer can follow (issue 23): the configuration reference is generated from the one
place the keys are declared, so it cannot drift; the troubleshooting and contributing guides
exist and name what they promise."""

from __future__ import annotations

import os
import re
from pathlib import Path

from conftest import ROOT
from ranpaper.config import KEYS, reference
from ranpaper.workspace import Workspace

REFERENCE = ROOT / "docs" / "configuration.md"


def test_the_configuration_reference_is_generated_from_options() -> None:
    if os.environ.get("RANPAPER_UPDATE_DOCS"):
        REFERENCE.write_text(reference(), "utf-8")
    stale = "docs/configuration.md is stale: RANPAPER_UPDATE_DOCS=1 pytest tests/test_docs.py"
    assert REFERENCE.read_text("utf-8") == reference(), stale
    for key in KEYS:
        assert f"| `{key}` |" in reference()


def test_the_reference_example_is_a_valid_configuration(tmp_path: Path) -> None:
    example = reference().split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "pyproject.toml"
    path.write_text(example, "utf-8")
    config = Workspace.load(tmp_path, config=path).config
    assert config.per_file_ignores == (("drafts/*.md", ("RP301",)),)
    assert config.max_pages == 200


def test_troubleshooting_quotes_the_messages_ranpaper_prints() -> None:
    """Each message the guide explains is the one ranpaper prints (grep the source)."""
    guide = (ROOT / "docs" / "troubleshooting.md").read_text("utf-8")
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "src" / "ranpaper").rglob("*.py"))
    for quoted in (
        "the PDF would show an empty box: use another character",
        "needs the [{extra}] extra",
        "cannot load library",
        "build refused:",
        "a render worker stopped abruptly",
        "configuration found next to the papers",
    ):
        assert quoted in source, quoted
        assert quoted.replace("{extra}", "build") in guide.replace("\n", " "), quoted


def test_contributing_names_the_files_it_tells_you_to_change() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    for path in re.findall(r"`((?:src|tests)/[\w/.]+)`", guide):
        assert "NAME" in path or (ROOT / path).exists(), path
    assert "## Add a rule" in guide and "## Add a profile" in guide and "## Add an output" in guide
