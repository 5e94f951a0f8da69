"""`ranpaper links --check-external` against a local server: each kind of answer classified,
nothing asked twice within the cache's time-to-live, never more than N requests to a host at
once, and nothing asked at all offline. No test reaches the internet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_server import Served, serving

from ranpaper.cli import main
from ranpaper.links.external import Settings, Status, check_urls

FAST = Settings(timeout=0.5, retries=2, backoff=0.01, per_host=4)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Served]]:
    # No request may leave the machine, not even through a proxy the environment names.
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    with serving() as running:
        yield running


def test_each_answer_is_classified(server: tuple[str, Served]) -> None:
    base, served = server
    results = check_urls(
        [
            f"{base}{path}"
            for path in (
                "/ok",
                "/moved",
                "/moved-for-good",
                "/found",
                "/missing",
                "/gone",
                "/forbidden",
                "/limited",
                "/broken",
                "/slow",
                "/head-refused",
                "/flaky",
            )
        ],
        FAST,
    )
    got = {url.removeprefix(base): (r.status, r.code, r.permanent) for url, r in results.items()}
    assert got == {
        "/ok": (Status.ok, 200, False),
        "/moved": (Status.redirected, 200, True),
        "/moved-for-good": (Status.redirected, 200, True),
        "/found": (Status.redirected, 200, False),
        "/missing": (Status.broken, 404, False),
        "/gone": (Status.broken, 410, False),
        "/forbidden": (Status.unverified, 403, False),
        "/limited": (Status.unverified, 429, False),
        "/broken": (Status.error, 500, False),
        "/slow": (Status.error, None, False),
        "/head-refused": (Status.ok, 200, False),
        "/flaky": (Status.ok, 200, False),
    }
    assert results[f"{base}/moved"].final_url == f"{base}/ok"
    assert "could not verify" in results[f"{base}/limited"].detail
    assert "no answer within 0.5 s" in results[f"{base}/slow"].detail
    # HEAD first, GET only when HEAD is refused
    # (/ok is asked once itself and once at the end of each of the three redirects)
    assert served.requests[("HEAD", "/ok")] == 4 and served.requests[("GET", "/ok")] == 0
    assert served.requests[("GET", "/head-refused")] == 1
    # server errors and rate limits are retried (2 retries: 3 tries), a 404 is not
    assert served.requests[("HEAD", "/broken")] == 3
    assert served.requests[("HEAD", "/limited")] == 3
    assert served.requests[("HEAD", "/flaky")] == 2
    assert served.requests[("GET", "/missing")] == 1


def test_at_most_n_requests_per_host_at_once(server: tuple[str, Served]) -> None:
    base, served = server
    urls = [f"{base}/hold/{n}" for n in range(12)]
    settings = Settings(timeout=5, retries=0, backoff=0.01, per_host=3)
    results = check_urls(urls, settings)
    assert all(r.status is Status.ok for r in results.values())
    assert served.most_at_once == 3  # concurrent, and never more than the limit


def paper_citing(base: str, folder: Path) -> Path:
    paper = Path(__file__).parents[1] / "rules" / "minimal.md"
    text = (
        paper.read_text("utf-8")
        .replace("https://example.org/kick-off", f"{base}/moved")
        .replace("https://example.org/manual", f"{base}/missing")
    )
    target = folder / "paper.md"
    target.write_text(text, "utf-8")
    (folder / "links.toml").write_text(
        f'[[link]]\ntext = "Kick-off"\ntopic = "Topic"\nurl = "{base}/ok"\n', "utf-8"
    )
    return target


def test_a_second_run_within_the_ttl_asks_nothing(
    server: tuple[str, Served], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, served = server
    paper = paper_citing(base, tmp_path)
    cache = tmp_path / "cache.json"
    args = ["links", str(paper), "--check-external", "--cache", str(cache), "--timeout", "2"]
    assert main(args) == 1  # /missing is broken
    first = capsys.readouterr().out
    asked = served.total
    assert asked >= 3  # the paper's two URLs and the registry's
    assert f"{paper}:20:20: redirected: {base}/moved: moved permanently (301)" in first
    assert f"    = fix (unsafe): replace with {base}/ok" in first
    assert f"{paper}:21:10: broken: {base}/missing: 404" in first
    assert main(args) == 1
    second = capsys.readouterr().out
    assert served.total == asked  # nothing asked again
    assert "3 URL(s) (3 answered from the cache)" in second
    # once the answers are older than the time-to-live, they are asked again
    assert main([*args, "--ttl", "0"]) == 1
    capsys.readouterr()
    assert served.total > asked


def test_offline_asks_nothing_and_fails_nothing_unknown(
    server: tuple[str, Served], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, served = server
    paper = paper_citing(base, tmp_path)
    cache = tmp_path / "cache.json"
    assert main(["links", str(paper), "--check-external", "--offline", "--cache", str(cache)]) == 0
    assert served.total == 0
    assert "3 URL(s) (0 answered from the cache): 3 unchecked" in capsys.readouterr().out
    assert not cache.exists()


def test_json_report_carries_the_fix_of_a_permanent_redirect(
    server: tuple[str, Served], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ranpaper.diagnostics import Edit
    from ranpaper.lines import apply_edits

    base, _ = server
    paper = paper_citing(base, tmp_path)
    cache = str(tmp_path / "cache.json")
    main(["links", str(paper), "--check-external", "--format", "json", "--cache", cache])
    report = {item["url"]: item for item in json.loads(capsys.readouterr().out)}
    moved = report[f"{base}/moved"]
    assert moved["status"] == "redirected" and moved["permanent"] is True
    fix = moved["places"][0]["fix"]
    assert fix["applicability"] == "unsafe"
    fixed, _ = apply_edits(paper.read_text("utf-8"), [[Edit(**e) for e in fix["edits"]]])
    assert f"[Kick-off]({base}/ok), Berlin" in fixed
    assert report[f"{base}/ok"]["places"] == [
        {"path": str(tmp_path / "links.toml"), "line": 1, "column": 1, "fix": None}
    ]


def test_no_connection_is_an_error_after_retries() -> None:
    import socket

    with socket.socket() as probe:  # a port that nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    result = check_urls([url], FAST)[url]
    assert result.status is Status.error and result.status.fails
    assert "ConnectError" in result.detail


def test_the_cache_is_read_within_a_cap_and_never_written_through_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ranpaper.errors import RanpaperError
    from ranpaper.links.external import CACHE_CAP, Result, read_cache, write_cache

    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (CACHE_CAP + 1))
    with pytest.raises(RanpaperError, match="cap") as caught:
        read_cache(huge)
    assert caught.value.path == str(huge)
    assert read_cache(tmp_path / "absent.json") == {}
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not ranpaper's", "utf-8")
    link = tmp_path / "cache.json"
    link.symlink_to(elsewhere)
    with pytest.raises(RanpaperError, match="symbolic link"):
        write_cache(
            link, {"https://example.org/": Result("https://example.org/", Status.ok, "200")}
        )
    assert elsewhere.read_text("utf-8") == "not ranpaper's" and link.is_symlink()
    # through the command: one line naming the file, exit 2, nothing asked
    paper = tmp_path / "paper.md"
    paper.write_text((Path(__file__).parent.parent / "rules" / "minimal.md").read_text("utf-8"))
    assert main(["links", str(paper), "--check-external", "--offline", "--cache", str(huge)]) == 2
    assert "huge.json: file is over the 16 MiB cap" in capsys.readouterr().err
