"""Every problem the parser can report reaches the user: each kind belongs to exactly one
registered, documented rule, and the parser names kinds, never rule codes."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from ranpaper.model import ProblemKind
from ranpaper.rules import REGISTRY

PARSE_DIR = Path(importlib.import_module("ranpaper.parse").__file__ or "").parent


@pytest.mark.parametrize("kind", list(ProblemKind))
def test_every_problem_kind_is_reported_by_one_documented_rule(kind: ProblemKind) -> None:
    owners = [rule for rule in REGISTRY.values() if getattr(rule, "PROBLEM", None) is kind]
    assert len(owners) == 1, f"{kind} is declared by {len(owners)} registered rules"
    rule = owners[0]
    assert rule.check is not None
    for heading in ("## What it finds", "## Why it matters", "## Example", "## Use instead"):
        assert heading in (rule.__doc__ or ""), (rule.CODE, heading)


def test_rules_declare_only_problem_kinds() -> None:
    for rule in REGISTRY.values():
        declared = getattr(rule, "PROBLEM", None)
        assert declared is None or isinstance(declared, ProblemKind), rule.CODE


@pytest.mark.parametrize("source", sorted(PARSE_DIR.glob("*.py")), ids=lambda p: p.name)
def test_the_parser_names_no_rule_codes(source: Path) -> None:
    """A code written in the parser could name no rule, and its problem would vanish."""
    text = source.read_text("utf-8")
    assert not re.findall(r"\bRP\d{3}\b", text)
    assert "code=" not in text
