"""Every rule: documented, and caught by its failing case at the right place and severity,
silent on its passing case (and on the clean minimal paper)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import ranpaper
from ranpaper.check import check_paper
from ranpaper.config import Config
from ranpaper.links.registry import parse_registry
from ranpaper.rules import REGISTRY

HERE = Path(__file__).parent
MINIMAL = (HERE / "minimal.md").read_text("utf-8")
CASES: dict[str, dict[str, Any]] = yaml.safe_load((HERE / "cases.yml").read_text("utf-8"))
ENGINE_ONLY = {"RP001", "RP006"}  # reading files: tested through the CLI
# Comparing a translation with its original takes two papers: tests/test_translate.py.
ENGINE_ONLY |= {"RP401", "RP402", "RP403"}


def edit(replacements: list[list[str]]) -> str:
    text = MINIMAL
    for old, new in replacements:
        assert old in text, f"case does not apply: {old!r}"
        text = text.replace(old, new, 1)
    return text


def findings(text: str, code: str, links: str | None = None) -> list[tuple[int, int, str]]:
    """The findings of `code` in the paper `text`, with the link registry `links` beside it."""
    paper = ranpaper.parse(text, path=str(HERE / "case.md"))  # images resolve next to it
    config = Config(links=parse_registry(links, "links.toml") if links is not None else None)
    found = check_paper(paper, config, text)  # with the source, as `ranpaper check` runs it
    return [(d.line, d.column, d.severity.value) for d in found if d.code == code]


def test_minimal_paper_is_clean() -> None:
    paper = ranpaper.parse(MINIMAL, path="minimal.md")
    assert [(d.code, d.line) for d in check_paper(paper, Config())] == []


def _cases(kind: str) -> list[Any]:
    """(code, case) for every case of a rule that has `kind`: the rule's own, then those of
    its `more` list (near misses and misses a rule must tell apart)."""
    return [
        pytest.param(code, case, id=f"{code}-{index}")
        for code in sorted(CASES)
        for index, case in enumerate([CASES[code], *CASES[code].get("more", [])])
        if kind in case
    ]


@pytest.mark.parametrize(("code", "case"), _cases("fail"))
def test_failing_case_is_caught_at_its_place(code: str, case: dict[str, Any]) -> None:
    found = findings(edit(case["fail"]), code, case.get("links"))
    assert found == [tuple(e) for e in case["expect"]]


@pytest.mark.parametrize(("code", "case"), _cases("pass"))
def test_passing_case_is_silent(code: str, case: dict[str, Any]) -> None:
    links = case.get("pass-links", case.get("links"))
    assert findings(edit(case["pass"]), code, links) == []


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_rule_is_documented_and_has_cases(code: str) -> None:
    rule = REGISTRY[code]
    doc = rule.__doc__ or ""
    for heading in ("## What it finds", "## Why it matters", "## Example", "## Use instead"):
        assert heading in doc, f"{code} lacks {heading}"
    assert rule.NAME and rule.NAME.lower() == rule.NAME
    assert code in CASES or code in ENGINE_ONLY
