"""`ranpaper serve` as a command: the page over HTTP, reloads after saves, the PDF on
request, a port in use, Ctrl-C, and a long editing session."""

from __future__ import annotations

import queue
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from serving import Serving, save

from conftest import PAPER_PATH, ROOT

MINIMAL = ROOT / "tests" / "rules" / "minimal.md"


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    shutil.copy(MINIMAL, tmp_path / "paper.md")
    return tmp_path / "paper.md"


def _next(versions: queue.Queue[int], timeout: float = 20) -> int:
    return versions.get(timeout=timeout)


def test_a_port_in_use_is_a_clear_error(minimal: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "ranpaper", "serve", str(minimal), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ranpaper", "serve", str(tmp_path / "nothing.md")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    missing = tmp_path / "nothing.md"
    assert result.stderr.strip() == f"ranpaper: error: {missing}: no such file or folder"


def test_listens_on_the_loopback_interface_only(minimal: Path) -> None:
    with Serving(minimal) as serving:
        assert serving.url.startswith("http://127.0.0.1:")


def test_ctrl_c_stops_cleanly_while_a_page_is_open(minimal: Path) -> None:
    with Serving(minimal) as serving:
        versions = serving.events("paper")
        assert _next(versions) == 1  # a browser's event stream is open
        code = serving.stop()
    assert code == 0
    assert serving.output.rstrip().endswith("ranpaper serve: stopped")
    assert "Traceback" not in serving.output


def test_the_pdf_is_rendered_on_request_and_cached_by_content(minimal: Path) -> None:
    with Serving(minimal) as serving:
        versions = serving.events("paper")
        assert _next(versions) == 1
        first = serving.get("/paper.pdf")
        assert first.startswith(b"%PDF-")
        assert serving.get("/paper.pdf") == first
        assert serving.wait_for_output("PDF rendered") == 1  # the second came from the cache
        save(minimal, minimal.read_text("utf-8").replace("Start early.", "Start earlier."))
        assert _next(versions) == 2
        assert serving.get("/paper.pdf") != first
        assert serving.wait_for_output("PDF rendered", 2) == 2


def test_survives_a_hundred_saves_with_memory_flat(tmp_path: Path) -> None:
    """An editing session on the real paper: every third save breaks it. Each save is one
    new version; the last page is right; memory after 100 saves is what it was after 20."""
    paper = tmp_path / PAPER_PATH.name
    text = PAPER_PATH.read_text("utf-8")
    paper.write_text(text, "utf-8")
    with Serving(tmp_path) as serving:
        versions = serving.events(paper.stem)
        assert _next(versions) == 1
        settled = 0
        for n in range(1, 101):
            if n % 3 == 0:
                edited = text.replace("# Main theme 1:", f"# Main theme 1 {n}", 1)  # RP201
            else:
                edited = text.replace("rehabilitation work", f"rehabilitation work {n}", 1)
            save(paper, edited)
            assert _next(versions) == n + 1, serving.output[-2000:]
            if n == 20:
                settled = serving.rss_kib()
            if n == 99:  # a broken save: the errors over the last good page
                page = serving.get(f"/{paper.stem}/").decode()
                assert 'class="rp-errors"' in page and "rehabilitation work 98" in page
        grown = serving.rss_kib() - settled
        page = serving.get(f"/{paper.stem}/").decode()
        assert "rehabilitation work 100" in page and 'class="rp-errors"' not in page
        assert serving.stop() == 0
    # Keeping each save's model and page (~2 MB) would add 160 MB over these 80 saves; the
    # allocator's own noise is a few MB either way.
    assert grown < 16 * 1024, f"memory grew by {grown} KiB over 80 saves"


def test_the_address_comes_before_the_findings(tmp_path: Path) -> None:
    """The paper has some 80 findings: the address is the first line, not under them."""
    paper = tmp_path / PAPER_PATH.name
    shutil.copy(PAPER_PATH, paper)
    with Serving(paper) as serving:
        serving.wait_for_output("warning[RP301]")
        lines = serving.output.splitlines()
    assert lines[0].startswith("ranpaper serve: http://"), lines[:3]
    assert any("warning[RP301]" in line for line in lines[1:])
