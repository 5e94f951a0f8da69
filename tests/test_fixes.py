"""check --fix: each fixable mistake in a copy of the paper is put right, the fixed paper has
no new finding, and its model differs from the paper's only where the fix says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import ranpaper
from conftest import PAPER_PATH
from ranpaper.check import check_paper
from ranpaper.cli import main
from ranpaper.config import Config
from ranpaper.diagnostics import Edit, Fix
from ranpaper.fixes import fix_text
from ranpaper.lines import apply_edits
from ranpaper.model import content
from ranpaper.rules import REGISTRY, fix_kind
from ranpaper.rules import section_heading_unknown as rp203
from ranpaper.rules._base import Finding, Replace, RuleFix
from ranpaper.workspace import Workspace

PAPER = PAPER_PATH.read_text("utf-8")
CASES_DIR = Path(__file__).parent / "rules"
CASES: dict[str, dict[str, Any]] = yaml.safe_load((CASES_DIR / "cases.yml").read_text("utf-8"))
MINIMAL = (CASES_DIR / "minimal.md").read_text("utf-8")

# Each fixable mistake, made in a copy of the paper: (code, text in the paper, mistake).
MISTAKES = [
    (
        "RP203",
        "#### Lessons learned and recommendations\n",
        "#### Lessons learnt and recommendations\n",
    ),
    (
        "RP205",
        "### Peer- and self-review\n\n#### Meetings and papers",
        "### Peer- and self-review\n\n###### Meetings and papers",
    ),
    ("RP210", "# Main theme 2:", "# Main theme 4:"),
    ("RP108", "Stockholm, 04-05 June 2012", "Stockholm, 04 – 05 Jun. 2012"),
    (
        "RP902",
        "#### What needs to be further explored?\n",
        "<!-- ranpaper: ignore RP301 — nothing here to waive -->\n\n"
        "#### What needs to be further explored?\n",
    ),
]
# An alias of Exit Sweden written later in the paper, in another topic, without its identity
# (unsafe fix; in Exit Sweden's own topic it would be the practice written twice, RP212).
ALIAS = (
    "RP307",
    "**The Unity Initiative, United Kingdom**",
    "**Sweden Exit (Sweden)**: The same programme, another name.\n\n"
    "**The Unity Initiative, United Kingdom**",
)


def mistaken(*mistakes: tuple[str, str, str]) -> str:
    text = PAPER
    for _code, old, new in mistakes:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    return text


def codes(text: str) -> list[str]:
    return [d.code for d in check_paper(ranpaper.parse(text, "p.md"), Config(), text)]


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_safe_fix_restores_the_paper(mistake: tuple[str, str, str]) -> None:
    text = mistaken(mistake)
    assert mistake[0] in codes(text)
    result = fix_text(text, "p.md", Workspace())
    assert result.changed, result.refused
    assert [d.code for d in result.applied] == [mistake[0]] * len(result.applied)
    assert mistake[0] not in [d.code for d in result.remaining]
    # The model is the published paper's again: the fix changed only what the mistake did.
    assert content(ranpaper.parse(result.text)) == content(ranpaper.parse(PAPER))
    assert sorted(codes(result.text)) == sorted(codes(PAPER))


def test_all_mistakes_at_once_and_the_unsafe_alias() -> None:
    text = mistaken(*MISTAKES, ALIAS)
    safe = fix_text(text, "p.md", Workspace())
    assert "RP307" in [d.code for d in safe.remaining]  # not applied without unsafe fixes
    result = fix_text(text, "p.md", Workspace(), unsafe=True)
    assert result.changed, result.refused
    fixed = ranpaper.parse(result.text)
    alias = ranpaper.parse(mistaken(ALIAS))
    assert sorted(codes(result.text)) == sorted(codes(PAPER))
    # Only the alias differs from the mistaken paper: it now carries Exit Sweden's identity.
    changed = [
        (before, after)
        for (_t, before), (_u, after) in zip(alias.citations(), fixed.citations(), strict=True)
        if content(before) != content(after)
    ]
    assert [(b.id, a.id, a.explicit_id) for b, a in changed] == [
        ("sweden-exit", "exit-sweden", True)
    ]


def test_a_fix_that_would_add_a_finding_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(paper: ranpaper.Paper, config: Config) -> Any:
        for finding in original(paper, config):
            bad = RuleFix("break it", (Replace(finding.span.line, r"Lessons learnt", "Nonsense"),))
            yield Finding(finding.span, finding.message, fix=bad)

    original = rp203.check
    monkeypatch.setattr(rp203, "check", broken)
    text = mistaken(MISTAKES[0])
    result = fix_text(text, "p.md", Workspace())
    assert result.refused and not result.changed
    assert result.text == text


def test_edits_apply_bottom_up_and_overlapping_ones_wait() -> None:
    text = "one\ntwo\nthree\n"
    fixes = [
        Fix("a", (Edit(1, 1, 1, 4, "ONE"), Edit(3, 1, 3, 6, "THREE"))),
        Fix("b", (Edit(1, 2, 1, 3, "X"),)),  # overlaps the first: left for the next round
        Fix("c", (Edit(2, 1, 3, 1, ""),)),  # a whole line
    ]
    assert apply_edits(text, [f.edits for f in fixes]) == ("ONE\nTHREE\n", [0, 2])
    assert apply_edits("x", [(Edit(1, 2, 9, 1, "y"),)]) == ("xy", [0])


@pytest.mark.parametrize("code", sorted(CASES))
def test_a_rule_fixes_its_failing_case_exactly_when_it_says_it_can(code: str) -> None:
    text = MINIMAL
    for old, new in CASES[code]["fail"]:
        text = text.replace(old, new, 1)
    path = str(CASES_DIR / "case.md")
    found = [d for d in check_paper(ranpaper.parse(text, path), Config(), text) if d.code == code]
    declared = fix_kind(REGISTRY[code])
    assert all((d.fix is not None) == (declared is not None) for d in found)
    if declared is None:
        return
    assert "## Fix" in (REGISTRY[code].__doc__ or "")
    assert {d.fix.applicability.value for d in found if d.fix} == {declared}
    result = fix_text(text, path, Workspace(), unsafe=True)
    assert result.changed, result.refused
    assert code not in [d.code for d in result.remaining]


def test_cli_fix_diff_and_unsafe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paper = tmp_path / "p.md"
    text = mistaken(MISTAKES[3], ALIAS)
    paper.write_text(text, "utf-8")
    assert main(["check", "--diff", str(paper)]) == 1
    out = capsys.readouterr()
    assert "-- DERAD WG Meeting: Kick-off meeting, Stockholm, 04 – 05 Jun. 2012" in out.out
    assert "+- DERAD WG Meeting: Kick-off meeting, Stockholm, 04-05 June 2012" in out.out
    assert "ranpaper: practice" not in out.out  # unsafe: not without --unsafe-fixes
    assert "1 more fix(es) with --unsafe-fixes" in out.err
    assert paper.read_text("utf-8") == text  # --diff writes nothing
    assert main(["check", "--fix", str(paper)]) == 0
    assert "04-05 June 2012" in paper.read_text("utf-8")
    assert main(["check", "--fix", "--unsafe-fixes", str(paper)]) == 0
    assert "<!-- ranpaper: practice exit-sweden -->\n\n**Sweden Exit" in paper.read_text("utf-8")
    assert main(["check", "--diff", str(paper)]) == 0  # nothing left to fix


def test_cli_writes_nothing_when_fixes_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(paper: ranpaper.Paper, config: Config) -> Any:
        for finding in original(paper, config):
            bad = RuleFix("break it", (Replace(finding.span.line, r"Lessons learnt", "Nonsense"),))
            yield Finding(finding.span, finding.message, fix=bad)

    original = rp203.check
    monkeypatch.setattr(rp203, "check", broken)
    paper = tmp_path / "p.md"
    text = mistaken(MISTAKES[0], MISTAKES[3])
    paper.write_text(text, "utf-8")
    assert main(["check", "--fix", str(paper)]) == 1
    assert "fixes not applied, they would add findings" in capsys.readouterr().err
    assert paper.read_text("utf-8") == text  # not even the date, whose fix was fine


def test_a_waiver_for_a_rule_that_did_not_run_is_not_unused() -> None:
    waived = mistaken(MISTAKES[4])  # a waiver for RP301 before a block without lost links
    paper = ranpaper.parse(waived, "p.md")
    assert "RP902" in [d.code for d in check_paper(paper, Config(), waived)]
    only = Config().with_selection(["RP902"], None)
    assert check_paper(paper, only, waived) == []  # RP301 did not run: nothing is known
