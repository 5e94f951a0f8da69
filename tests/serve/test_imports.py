"""The live tools' libraries stay out of `check` and `build`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import PAPER_PATH

LIVE = (
    "starlette",
    "uvicorn",
    "watchfiles",
    "pygls",
    "lsprotocol",
    "ranpaper.serve",
    "ranpaper.lsp",
)


def _imported(argv: list[str]) -> list[str]:
    code = (
        "import sys; from ranpaper.cli import main; main(sys.argv[1:]); "
        f"print(sorted(m for m in {LIVE!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120
    )
    return result.stdout.strip().splitlines()[-1:]


def test_check_imports_none_of_the_live_tools() -> None:
    assert _imported(["check", str(PAPER_PATH), "--quiet"]) == ["[]"]


def test_build_imports_none_of_the_live_tools(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _imported(
        ["build", str(PAPER_PATH), "--out", str(out), "--quiet", "--format", "html,json"]
    ) == ["[]"]
    assert (out / f"{PAPER_PATH.stem}.html").is_file()
