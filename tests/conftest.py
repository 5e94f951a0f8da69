from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import ranpaper
from ranpaper.model import Paper
from ranpaper.render.fonts import FONTCONFIG_FILE

# The system's fonts are hidden from WeasyPrint for the whole session, set before anything
# imports it (fontconfig reads FONTCONFIG_FILE when a configuration is loaded, and render
# workers inherit the environment): a PDF set in a fallback font can never pass here just
# because this machine happens to have the font. ranpaper renders this way itself
# (`render/fonts.py`); this also covers WeasyPrint's own start-up and any direct use.
os.environ["FONTCONFIG_FILE"] = str(FONTCONFIG_FILE)

ROOT = Path(__file__).resolve().parent.parent


def run(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`ranpaper ARGS` as a user runs it, in its own process (without the GitHub Actions
    variables of the machine running the tests, unless `env` sets them), with `input` on its
    standard input (else none)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [sys.executable, "-m", "ranpaper", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        input=input if input is not None else "",
        timeout=60,
        env={**environment, **(env or {})},
    )


PAPER_PATH = ROOT / "source" / "rehabilitation-overview.md"
PUBLISHED = Path(__file__).parent / "published" / "rehabilitation-overview.txt"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def paper() -> Paper:
    return ranpaper.load(PAPER_PATH)


@pytest.fixture(scope="session")
def paper_text() -> str:
    return PAPER_PATH.read_text("utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled paper built once for the session: every output, as `ranpaper build`."""
    from ranpaper.cli import main

    out = tmp_path_factory.mktemp("build")
    assert main(["build", str(ROOT / "source"), "--out", str(out), "--quiet"]) == 0
    return out


# CI explores the same examples every run (a red CI must mean a real regression, not an
# unlucky draw); developers' runs keep exploring new ones.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
