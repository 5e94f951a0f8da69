"""Under a custom profile, the default section headings are near misses of the profile's
labels (issue 21): a topic that kept them must not pass the check while the build drops its
meetings."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, run
from ranpaper.workspace import Workspace

FRENCH = ROOT / "examples" / "fr" / "rehabilitation-theme-5.md"
DEFAULT_HEADINGS = {
    "### Réunions et documents": "### Meetings and papers",
    "### Pratiques": "### Practices",
    "### Enseignements et recommandations": "### Lessons learned and recommendations",
    "### Ce qui reste à approfondir": "### What needs to be further explored?",
}


def _with_default_headings() -> str:
    text = FRENCH.read_text("utf-8")
    for french, english in DEFAULT_HEADINGS.items():
        assert french in text
        text = text.replace(french, english, 1)  # the first topic keeps the default words
    return text


def test_default_headings_are_read_as_their_sections_and_reported() -> None:
    workspace = Workspace.load(FRENCH)
    original = workspace.open(FRENCH)
    document = workspace.open(FRENCH, _with_default_headings())
    assert document.paper is not None and original.paper is not None
    # Every meeting is still a meeting: no output drops them.
    assert len(list(document.paper.meetings())) == len(list(original.paper.meetings()))
    found = [d for d in document.diagnostics if d.code == "RP203"]
    assert [d.message for d in found] == [
        f'unknown section heading "{english[4:]}"' for english in DEFAULT_HEADINGS.values()
    ]
    assert all(d.fix is not None for d in found)
    assert not [d for d in document.diagnostics if d.code == "RP201"]


def test_check_fails_and_fix_writes_the_profiles_labels(tmp_path: Path) -> None:
    for name in ("rehabilitation-theme-5.md", "fr-local.toml"):
        source = FRENCH.parent / name
        if source.exists():
            (tmp_path / name).write_bytes(source.read_bytes())
    paper = tmp_path / FRENCH.name
    paper.write_text(_with_default_headings(), "utf-8")
    assert run("check", "--isolated", str(paper)).returncode == 1
    assert run("check", "--isolated", "--fix", str(paper)).returncode in (0, 1)
    assert paper.read_text("utf-8") == FRENCH.read_text("utf-8")
