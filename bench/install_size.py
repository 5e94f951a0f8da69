"""How much a check-only install weighs: a fresh virtual environment (no system packages),
`pip install <this repository>` without extras, and the size of everything it put in
site-packages besides pip itself. A pre-commit hook or a lint job installs exactly this.

    python3 bench/install_size.py [--extras build] [--limit 40]

Prints the total and the largest distributions; exits 1 if the total is over `--limit` MB
(decimal megabytes, as pip and PyPI show sizes). Needs a package index (or pip's
configured local one); takes a minute.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = ("pip", "setuptools", "_distutils_hack", "pkg_resources", "wheel")


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def measure(extras: str | None) -> tuple[int, dict[str, int]]:
    with tempfile.TemporaryDirectory() as folder:
        venv = Path(folder) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        target = f"{ROOT}[{extras}]" if extras else str(ROOT)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", target],
            check=True,
            env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        )
        site = next((venv / "lib").glob("python3*/site-packages"))
        sizes: dict[str, int] = {}
        for entry in site.iterdir():
            name = entry.name.split("-")[0].split(".")[0].lower()
            if name in LEFT_OUT or (entry.name.endswith(".pth") and "distutils" in entry.name):
                continue
            sizes[name] = sizes.get(name, 0) + _size(entry)
        return sum(sizes.values()), sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extras", help="e.g. build, or all (default: none, the core)")
    parser.add_argument("--limit", type=float, default=40.0, help="MB (default 40)")
    args = parser.parse_args()
    total, sizes = measure(args.extras)
    what = f"ranpaper[{args.extras}]" if args.extras else "ranpaper (core: check, fmt, lsp …)"
    print(f"{what}: {total / 1e6:.1f} MB in site-packages (pip left out)")
    for name, size in sorted(sizes.items(), key=lambda item: -item[1])[:8]:
        print(f"  {size / 1e6:6.1f} MB  {name}")
    if total > args.limit * 1e6:
        print(f"over the limit of {args.limit:g} MB")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
