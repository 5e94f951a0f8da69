"""What a command imports before it can start: `ranpaper check` takes nothing of the server,
the renderers, HTTP, DOCX or pydantic, and the language server answers `initialize` without
the checker (imported later, in its worker thread). These are sets of modules, not timings:
the time they save is measured in bench/ (`bench/run.py`, `bench/live.py`)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import PAPER_PATH

NEVER_FOR_CHECK = {
    "docx",
    "httpx",
    "jinja2",
    "lsprotocol",
    "matplotlib",
    "pydantic",
    "pygls",
    "rfc3986",  # the paper's web addresses are plain ones (ranpaper.urls)
    "starlette",
    "uvicorn",
    "watchfiles",
    "weasyprint",
    "ranpaper.formatting",
    "ranpaper.lsp",
    "ranpaper.render",
    "ranpaper.serve",
}


def _imported(code: str, *args: str) -> set[str]:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def _packages(modules: set[str], wanted: set[str]) -> set[str]:
    return {name for name in wanted if any(m == name or m.startswith(f"{name}.") for m in modules)}


def test_check_imports_only_what_checking_needs() -> None:
    modules = _imported(
        "import sys\nfrom ranpaper.cli import main\nmain(['check', sys.argv[1], '--quiet'])",
        str(PAPER_PATH),
    )
    assert "ranpaper.rules" in modules and "markdown_it" in modules  # it did check
    assert _packages(modules, NEVER_FOR_CHECK) == set()


def test_the_language_server_starts_without_the_checker() -> None:
    """Through the door an editor uses (`ranpaper lsp`: the command line's parser first, whose
    `build --format` help reads the outputs' registry), not only by importing the module."""
    modules = _imported(
        "from ranpaper.cli import _parser\n_parser().parse_args(['lsp'])\nimport ranpaper.lsp"
    )
    assert "pygls" in modules
    checker = {"markdown_it", "ranpaper.parse", "ranpaper.rules", "ranpaper.workspace"}
    assert _packages(modules, checker) == set()
