"""`ranpaper serve` as a command: the page over HTTP, reloads after saves, the PDF on
request, a port in use, Ctrl-C, and a long editing session."""

from __future__ import annotations

import queue
import shutil
import socket
import subprocess
import sys
import time
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


def _request(serving: Serving, path: str, host: str | None) -> tuple[int, bytes]:
    """A GET with the `Host` header as given (None: none at all)."""
    import http.client
    from urllib.parse import urlsplit

    address = urlsplit(serving.root)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_request_for_another_host_is_refused(minimal: Path) -> None:
    """DNS rebinding: a page of evil.example, its name made to resolve to 127.0.0.1, reaches
    the server with `Host: evil.example:PORT`; it must never get the paper."""
    with Serving(minimal) as serving:
        port = serving.root.rsplit(":", 1)[1].strip("/")
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
            status, body = _request(serving, "/paper/", host)
            assert status == 200 and b"Minimal paper" in body, host
        for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1:{int(port) + 1}", ""):
            status, body = _request(serving, "/paper/", host)
            assert status == 421, (host, status)
            assert b"Minimal paper" not in body
        status, _ = _request(serving, "/paper.pdf", f"evil.example:{port}")
        assert status == 421
        assert _request(serving, "/paper/", None)[0] in (400, 421)  # h11 refuses it first
        assert serving.stop() == 0


def test_file_names_are_inert_in_the_index_and_the_terminal(tmp_path: Path) -> None:
    """A paper's file name is text, never markup or a terminal command."""
    text = MINIMAL.read_text("utf-8")
    hostile = "<img src=x onerror=alert(1)>.md"
    terminal = "red\x1b[31m\x07.md"
    for name in (hostile, terminal, "paper.md"):
        (tmp_path / name).write_text(text, "utf-8")
    with Serving(tmp_path) as serving:
        index = serving.get("/").decode()
        assert "<img" not in index
        assert "&lt;img src=x onerror=alert(1)&gt;.md" in index
        assert "red\\x1b[31m\\x07.md" in index
        page = serving.get("/red%1B%5B31m%07/").decode()
        assert "\x1b" not in page and "red\\x1b[31m\\x07.md" in page
        assert serving.wait_for_output("red\\x1b[31m\\x07.md: ok") == 1
        assert serving.stop() == 0
    assert "\x1b" not in serving.output and "\x07" not in serving.output


def test_a_paper_with_a_non_latin_name_serves_its_pdf_and_ctrl_c_leaks_nothing(
    tmp_path: Path,
) -> None:
    """`日本.md`: the PDF once rendered and then failed with a 500 (a header that Latin-1
    cannot encode); and after a PDF, Ctrl-C printed "leaked semaphore objects"."""
    import urllib.request

    paper = tmp_path / "日本.md"
    shutil.copy(MINIMAL, paper)
    with Serving(paper) as serving:
        url = serving.root + "%E6%97%A5%E6%9C%AC.pdf"
        with urllib.request.urlopen(url, timeout=120) as response:
            assert response.status == 200
            assert response.read().startswith(b"%PDF-")
            disposition = response.headers["Content-Disposition"]
        assert "filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf" in disposition
        assert serving.stop() == 0
    assert "leaked" not in serving.output, serving.output
    assert "Traceback" not in serving.output


def test_the_pdf_is_refused_where_the_build_refuses_it(tmp_path: Path) -> None:
    """serve renders the PDF through the build's job, checks and worker: the build's limits
    hold, with the build's message, and a change to them in the configuration is followed."""
    import urllib.error

    paper = tmp_path / "paper.md"
    shutil.copy(MINIMAL, paper)
    config = tmp_path / "ranpaper.toml"
    config.write_text("max-elements = 10\n", "utf-8")

    def refusal(serving: Serving) -> str:
        try:
            serving.get("/paper.pdf")
        except urllib.error.HTTPError as error:
            assert error.code == 409
            return error.read().decode()
        return "rendered"

    with Serving(paper) as serving:
        message = refusal(serving)
        assert "more than 10 elements" in message and "`max-elements`" in message, message
        assert str(paper) in message
        save(config, "max-pages = 1\n")  # the minimal paper has a cover, contents, …
        for _ in range(300):
            message = refusal(serving)
            if "max-elements" not in message:
                break
            time.sleep(0.1)
        assert "max-pages" in message and "pages" in message, message
        save(config, "")
        for _ in range(300):
            if (message := refusal(serving)) == "rendered":
                break
            time.sleep(0.1)
        assert message == "rendered"
        assert serving.stop() == 0
    assert "cannot render the PDF" in serving.output


def test_a_pdf_over_its_time_is_stopped_and_the_next_one_renders(tmp_path: Path) -> None:
    """The build's clock stops the render at `render-seconds` (issue 27: the parent ends the
    worker, no timer signal in it); the message names the output, and the next request
    gets a new worker."""
    import urllib.error

    paper = tmp_path / "paper.md"
    text = MINIMAL.read_text("utf-8")
    paper.write_text(text.replace("An introduction.", "A long paragraph. " * 50_000), "utf-8")
    (tmp_path / "ranpaper.toml").write_text("render-seconds = 1\n", "utf-8")
    with Serving(paper) as serving:
        with pytest.raises(urllib.error.HTTPError) as refused:
            serving.get("/paper.pdf")
        assert refused.value.code == 409
        message = refused.value.read().decode()
        assert "rendering paper.pdf took longer than 1 s and was stopped" in message, message
        save(paper, text)
        for _ in range(300):
            try:
                assert serving.get("/paper.pdf").startswith(b"%PDF-")
                break
            except urllib.error.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("no PDF after the paper was shortened:\n" + serving.output)
        assert serving.stop() == 0
    assert "Traceback" not in serving.output and "leaked" not in serving.output


def test_the_address_comes_before_the_findings(tmp_path: Path) -> None:
    """The paper has some 80 findings: the address is the first line, not under them."""
    paper = tmp_path / PAPER_PATH.name
    shutil.copy(PAPER_PATH, paper)
    with Serving(paper) as serving:
        serving.wait_for_output("warning[RP301]")
        lines = serving.output.splitlines()
    assert lines[0].startswith("ranpaper serve: http://"), lines[:3]
    assert any("warning[RP301]" in line for line in lines[1:])
