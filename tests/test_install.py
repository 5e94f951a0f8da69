"""The newcomer's first hour (issue 23): the README's two commands make their own virtual
environment (so they work on a Python that refuses system-wide installs, PEP 668) and CI runs
the README's test command as written; the core install runs every command but the outputs,
`serve` and the external link checker, and a command whose extra is missing says which to
install, in one line; the wheel carries the licence's text."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, run

README = (ROOT / "README.md").read_text("utf-8")
CI = (ROOT / ".ci" / "run").read_text("utf-8")


def _two_commands() -> list[str]:
    section = README.split("## Two commands on a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_the_readme_commands_make_their_own_environment_and_ci_runs_the_test_command() -> None:
    build, tests = _two_commands()
    for command in (build, tests):
        assert command.startswith("python3 -m venv .venv && ")  # never a system-wide install
        assert "pip install" in command and "--break-system-packages" not in command
    assert "'.[all]'" in build and command_runs(build, "ranpaper build")
    assert "'.[test]'" in tests and command_runs(tests, "pytest")
    # CI runs the README's test command verbatim, stopping if any part of it fails.
    assert f"{tests} || exit 1" in CI.splitlines()


def command_runs(command: str, what: str) -> bool:
    return command.rstrip().endswith(what)


def test_the_debian_packages_the_tests_need_are_listed_where_ci_installs_them() -> None:
    installed = re.search(r"for pkg in ([^;]+); do", CI)
    assert installed
    for package in installed.group(1).split():
        assert f"`{package}`" in README, package


BLOCK = "import sys\nfor name in {names!r}:\n    sys.modules[name] = None\n"
EXTRA_MODULES = (
    "weasyprint",
    "jinja2",
    "fontTools",
    "docx",
    "pypdfium2",
    "starlette",
    "uvicorn",
    "watchfiles",
    "httpx",
)


def _without_extras(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`ranpaper ARGS` in a Python where the extras' modules cannot be imported."""
    code = BLOCK.format(names=EXTRA_MODULES) + (
        "from ranpaper.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("check", "source"),
        ("check", "source", "--format", "sarif"),
        ("fmt", "--check", "source"),
        ("rules", "RP301"),
        ("schema", "--check"),
        ("diff", "source/rehabilitation-overview.md", "source/rehabilitation-overview.md"),
        ("links", "--lost", "source"),
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_the_core_install_runs_every_command_but_the_extras(args: tuple[str, ...]) -> None:
    result = _without_extras(*args)
    assert result.returncode == 0, result.stderr
    assert "needs the" not in result.stderr


def test_the_language_server_needs_no_extra() -> None:
    code = BLOCK.format(names=EXTRA_MODULES) + "import ranpaper.lsp\n"
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (("build", "--out", "OUT"), "build"),
        (("serve", "--port", "0"), "serve"),
        (("links", "--check-external", "--offline"), "links"),
    ],
)
def test_a_command_whose_extra_is_missing_says_which_in_one_line(
    tmp_path: Path, args: tuple[str, ...], extra: str
) -> None:
    args = tuple(str(tmp_path / "out") if a == "OUT" else a for a in args)
    result = _without_extras(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert f"needs the [{extra}] extra" in lines[0]
    assert f"pip install 'ranpaper[{extra}]'" in lines[0]
    assert not (tmp_path / "out").exists()


def test_the_wheel_carries_the_licence(tmp_path: Path) -> None:
    licence = (ROOT / "LICENSE").read_text("utf-8")
    assert licence.lstrip().startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if built.returncode != 0:
        pytest.skip(f"no wheel could be built here (no package index?): {built.stderr[-200:]}")
    (wheel,) = tmp_path.glob("ranpaper-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        licences = [n for n in names if n.endswith("licenses/LICENSE")]
        assert licences, names
        assert archive.read(licences[0]).decode("utf-8") == licence
        metadata = archive.read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "License-Expression: EUPL-1.2" in metadata
    assert "Provides-Extra: build" in metadata and "Provides-Extra: all" in metadata


def test_pytest_names_each_skipped_test_and_why() -> None:
    import tomllib

    options = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "-rs" in options["tool"]["pytest"]["ini_options"]["addopts"].split()


def test_a_machine_without_pango_is_told_what_to_install(tmp_path: Path) -> None:
    """WeasyPrint raises OSError when it cannot load Pango: one line that says so, exit 2,
    not a worker's traceback and a guess about memory."""
    fake = tmp_path / "fake" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open "
        'shared object file: No such file or directory")\n',
        "utf-8",
    )
    result = run(
        "build",
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "out"),
        env={"PYTHONPATH": str(tmp_path / "fake")},
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    error = result.stderr.splitlines()[-1]
    assert error.startswith("ranpaper: error: cannot render rehabilitation-overview.pdf: ")
    assert "Install Pango (Debian, Ubuntu: libpango-1.0-0" in error
    assert not (tmp_path / "out" / "rehabilitation-overview.pdf").exists()


def _installed_size(name: str, seen: dict[str, int]) -> None:
    """The bytes `name` and what it requires (without extras) occupy where they are
    installed, each distribution once."""
    import importlib.metadata

    from packaging.requirements import Requirement

    key = name.lower().replace("_", "-")
    if key in seen:
        return
    distribution = importlib.metadata.distribution(name)
    seen[key] = sum(
        path.stat().st_size
        for file in distribution.files or []
        if (path := Path(str(file.locate()))).is_file()
    )
    for requirement in map(Requirement, distribution.requires or []):
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            _installed_size(requirement.name, seen)


def test_the_core_dependencies_stay_under_40_mb() -> None:
    """What a check-only install adds besides ranpaper itself, from the distributions installed
    here (bench/install_size.py measures a fresh install: 20.8 MB with ranpaper)."""
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    seen: dict[str, int] = {}
    for line in project["dependencies"]:
        _installed_size(Requirement(line).name, seen)
    assert "weasyprint" not in seen and "httpx" not in seen and "starlette" not in seen
    assert sum(seen.values()) < 36 * 1_000_000, seen  # and ranpaper's own 3 MB: under 40
