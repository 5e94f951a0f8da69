from __future__ import annotations

import os
from pathlib import Path

import pytest

import ranpaper
from ranpaper.model import Paper

ROOT = Path(__file__).resolve().parent.parent
PAPER_PATH = ROOT / "source" / "rehabilitation-overview.md"
PUBLISHED = Path(__file__).parent / "published" / "rehabilitation-overview.txt"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def paper() -> Paper:
    return ranpaper.load(PAPER_PATH)


@pytest.fixture(scope="session")
def paper_text() -> str:
    return PAPER_PATH.read_text("utf-8")


# CI explores the same examples every run (a red CI must mean a real regression, not an
# unlucky draw); developers' runs keep exploring new ones.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
