"""Every desk (issue 27): with what Windows lacks taken away — no `resource` module, no
`signal.SIGALRM` and its timer, no `signal.pthread_sigmask` — ranpaper still imports, checks,
formats, compares, analyses for the editor and builds; a limit it cannot enforce there is
named in one line, and the limits it can enforce still hold.

Each test runs ranpaper in a Python of its own, where a `sitecustomize` takes the pieces away
before anything is imported (in the render workers too: they are spawned with the same
environment). docs/desks.md says which limits hold on which system."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PAPER_PATH, ROOT

MINIMAL = (ROOT / "tests" / "rules" / "minimal.md").read_text("utf-8")

WITHOUT_POSIX = """\
import signal
import sys

sys.modules["resource"] = None  # `import resource` raises ImportError, as on Windows
for name in (
    "SIGALRM", "alarm", "setitimer", "getitimer", "ITIMER_REAL",
    "pthread_sigmask", "SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK",
):
    if hasattr(signal, name):
        delattr(signal, name)
"""

# What `check`, `fmt`, `diff`, `lsp` and `serve` import, and the build's own modules.
MODULES = [
    "ranpaper.cli",
    "ranpaper.commands.check",
    "ranpaper.commands.fmt",
    "ranpaper.commands.diff",
    "ranpaper.commands.build",
    "ranpaper.lsp",
    "ranpaper.serve",
    "ranpaper.serve.app",
    "ranpaper.build.run",
    "ranpaper.build.workers",
    "ranpaper.build.staging",
]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a Python without the POSIX-only pieces."""
    site = tmp_path_factory.mktemp("windowless")
    (site / "sitecustomize.py").write_text(WITHOUT_POSIX, "utf-8")
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def python(
    env: dict[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def ranpaper(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return python(env, "-m", "ranpaper", *args)


def paper_folder(tmp_path: Path, config: str = "", source: str = MINIMAL) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "paper.md").write_text(source, "utf-8")
    if config:
        (folder / "ranpaper.toml").write_text(config, "utf-8")
    return folder


def test_the_pieces_are_gone_and_every_door_still_imports(desk: dict[str, str]) -> None:
    code = (
        "import signal\n"
        "try:\n"
        "    import resource\n"
        "except ImportError:\n"
        "    resource = None\n"
        "assert resource is None\n"
        "assert not hasattr(signal, 'SIGALRM') and not hasattr(signal, 'pthread_sigmask')\n"
        f"for name in {MODULES!r}:\n"
        "    __import__(name)\n"
        "print('imported')\n"
    )
    result = python(desk, "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "imported\n"


def test_check_fmt_and_diff_run(desk: dict[str, str], tmp_path: Path) -> None:
    checked = ranpaper(desk, "check", str(PAPER_PATH), "--format", "json")
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["summary"]["papers"] == 1
    copy = tmp_path / "paper.md"
    copy.write_text(MINIMAL.replace("# Introduction", "#  Introduction"), "utf-8")
    formatted = ranpaper(desk, "fmt", str(copy))
    assert formatted.returncode == 0, formatted.stderr
    assert "\n# Introduction\n" in copy.read_text("utf-8")
    assert ranpaper(desk, "fmt", "--check", str(copy)).returncode == 0
    compared = ranpaper(desk, "diff", str(PAPER_PATH), str(PAPER_PATH))
    assert compared.returncode == 0, compared.stderr
    assert "Traceback" not in checked.stderr + formatted.stderr + compared.stderr


def test_the_language_servers_analysis_runs(desk: dict[str, str]) -> None:
    code = (
        "from pathlib import Path\n"
        "from ranpaper.lsp import analyse, symbols\n"
        "from ranpaper.workspace import Workspace\n"
        f"path = Path({str(PAPER_PATH)!r})\n"
        "text = path.read_text('utf-8').replace('](#)', '](javascript:alert(1))', 1)\n"
        "analysis = analyse(text, path, Workspace.load(path))\n"
        "print(sorted({d.code for d in analysis.diagnostics}))\n"
        "print(len(symbols(analysis)))\n"
    )
    result = python(desk, "-c", code)
    assert result.returncode == 0, result.stderr
    codes, themes = result.stdout.splitlines()
    assert "'RP308'" in codes  # the unsafe link, found as `check` finds it
    assert int(themes) > 1


def test_a_json_and_html_build_runs(desk: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = ranpaper(
        desk,
        "build",
        str(paper_folder(tmp_path)),
        "--out",
        str(out),
        "--format",
        "json,html",
        "--quiet",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "paper.html",
        "paper.json",
    ]


def test_a_pdf_build_names_the_memory_limit_it_cannot_enforce(
    desk: dict[str, str], tmp_path: Path
) -> None:
    """Once "a render worker stopped abruptly (most likely out of memory)": the worker died
    importing `resource`. Now the build says, in one line, that the cap does not hold, and
    renders within the other limits."""
    out = tmp_path / "out"
    result = ranpaper(
        desk, "build", str(paper_folder(tmp_path)), "--out", str(out), "--format", "pdf", "--quiet"
    )
    assert result.returncode == 0, result.stderr
    notices = [line for line in result.stderr.splitlines() if line]
    assert notices == [
        "ranpaper: `render-memory-mib` is not enforced: this system has no address-space "
        "limit (no `resource` module); renders run without a memory cap (the other limits "
        "hold)"
    ]
    assert (out / "paper.pdf").read_bytes().startswith(b"%PDF-")


def test_the_time_limit_holds_without_a_timer_signal(desk: dict[str, str], tmp_path: Path) -> None:
    """No SIGALRM: the build's main process keeps the render's time, and names the output."""
    long_line = "A sentence of a very long paragraph. " * 40_000
    source = MINIMAL.replace("An introduction.", long_line)
    folder = paper_folder(tmp_path, "render-seconds = 1\nmax-bytes = 8388608\n", source)
    out = tmp_path / "out"
    result = ranpaper(
        desk, "build", str(folder), "--out", str(out), "--format", "pdf", "--trust-config"
    )
    assert result.returncode == 1, result.stderr
    assert "rendering paper.pdf took longer than 1 s and was stopped" in result.stderr
    assert "render-seconds" in result.stderr and "Traceback" not in result.stderr
    assert not (out / "paper.pdf").exists()
