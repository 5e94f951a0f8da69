"""The live tools' benchmark (issue 13): `ranpaper serve` and `ranpaper lsp` on the paper, with
`check` on the same text as the anchor measured in the same run.

    python3 bench/live.py            # about a minute; report in bench/results/live.md
    python3 bench/live.py --quick    # fewer rounds, for a smoke test

It measures:
- the anchor: `check` of the paper in-process (parse + rules, the work `check` does once
  it has started);
- serve: the HTML re-render alone after a save (the timeline chart unchanged, as for most
  saves) and the whole re-check + re-render; also a save that changes the chart;
- serve, end to end: from writing the file to the edited text visible in the reloaded page
  in headless Chromium (Debian's chromium + chromium-driver, driven by Selenium);
- lsp: from a change to its diagnostics, in-process (the server's check and conversion to
  LSP types) and through a real client over stdio (pygls's client, JSON-RPC and all).

Targets: save → reloaded page ≤ 1 s; HTML re-render ≤ 2× check; LSP diagnostics ≤ 100 ms.
In-process figures are medians of rounds in which the compared steps run in turn.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAPER = ROOT / "source" / "rehabilitation-overview.md"
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "tests" / "serve"))  # the tests' way of running `serve`


def _ms(seconds: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(seconds) * 1000, 1),
        "max_ms": round(max(seconds) * 1000, 1),
        "runs": len(seconds),
    }


def edited(text: str, n: int) -> str:
    """A save that changes a word of the text (not the meetings: the chart stays)."""
    return text.replace("rehabilitation work", f"rehabilitation work {n}", 1)


def in_process(rounds: int) -> dict[str, dict[str, float]]:
    from ranpaper.check import check_file
    from ranpaper.config import load_config
    from ranpaper.lsp import analyse
    from ranpaper.serve.state import Live, _timeline, render_page, timeline_for

    text = PAPER.read_text("utf-8")
    config = load_config(PAPER)
    with tempfile.TemporaryDirectory() as tmp:
        paper = Path(tmp) / PAPER.name
        paper.write_text(text, "utf-8")
        live = Live([paper])
        live.refresh_all()  # start-up is paid once: imports, the chart
        view = live.views[paper.stem]
        times: dict[str, list[float]] = {"check": [], "render": [], "refresh": [], "lsp": []}
        chart: list[float] = []
        for n in range(rounds):
            changed = edited(text, n)
            started = time.perf_counter()
            model, _found = check_file(paper, config, changed)
            times["check"].append(time.perf_counter() - started)
            assert model is not None
            timeline_for(model)  # the chart as the previous save left it (not timed)
            started = time.perf_counter()
            render_page(model)
            times["render"].append(time.perf_counter() - started)
            paper.write_text(edited(text, n + 1000), "utf-8")
            started = time.perf_counter()
            live.changed({paper})
            times["refresh"].append(time.perf_counter() - started)
            assert view.html is not None and f"rehabilitation work {n + 1000}" in view.html
            started = time.perf_counter()
            analyse(changed, paper, config, paper.as_uri(), n)
            times["lsp"].append(time.perf_counter() - started)
            # A save that changes the meetings per year redraws the chart (matplotlib).
            year = "2012" if n % 2 else "2013"
            moved = text.replace("Amsterdam, 6 July 2017", f"Amsterdam, 6 July {year}", 1)
            assert moved != text
            paper.write_text(moved, "utf-8")
            _timeline.cache_clear()  # as if these counts had never been drawn
            started = time.perf_counter()
            live.changed({paper})
            chart.append(time.perf_counter() - started)
    out = {name: _ms(values) for name, values in times.items()}
    out["refresh_chart_redrawn"] = _ms(chart)
    out["render_over_check"] = {
        "ratio": round(
            statistics.median(r / c for r, c in zip(times["render"], times["check"], strict=True)),
            2,
        )
    }
    out["lsp_over_check"] = {
        "ratio": round(
            statistics.median(r / c for r, c in zip(times["lsp"], times["check"], strict=True)), 2
        )
    }
    out["refresh_over_check"] = {
        "ratio": round(
            statistics.median(r / c for r, c in zip(times["refresh"], times["check"], strict=True)),
            2,
        )
    }
    return out


def lsp_over_stdio(rounds: int) -> dict[str, float]:
    """did_change → publishDiagnostics through a real client and the `ranpaper lsp` process."""
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    async def run() -> list[float]:
        client = LanguageClient("bench", "1")
        published: asyncio.Queue[float] = asyncio.Queue()

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            published.put_nowait(time.perf_counter())

        await client.start_io(sys.executable, "-m", "ranpaper", "lsp")
        await client.initialize_async(
            types.InitializeParams(capabilities=types.ClientCapabilities())
        )
        client.initialized(types.InitializedParams())
        text = PAPER.read_text("utf-8")
        uri = PAPER.as_uri()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="markdown", version=1, text=text
                )
            )
        )
        await asyncio.wait_for(published.get(), 60)
        times = []
        for n in range(rounds):
            await asyncio.sleep(0.2)  # a pause in typing: the next change is checked at once
            started = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=n + 2),
                    content_changes=[
                        types.TextDocumentContentChangeWholeDocument(text=edited(text, n))
                    ],
                )
            )
            times.append(await asyncio.wait_for(published.get(), 60) - started)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
        return times

    return _ms(asyncio.run(run()))


def save_to_reload(rounds: int) -> dict[str, float] | str:
    """From writing the file to the edit visible in the page in headless Chromium."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        return "not measured: needs Debian's chromium and chromium-driver"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait
    from serving import Serving

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    text = PAPER.read_text("utf-8")
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        paper = Path(tmp) / PAPER.name
        paper.write_text(text, "utf-8")
        browser = webdriver.Chrome(service=Service(driver_path), options=options)
        try:
            with Serving(Path(tmp)) as serving:
                browser.get(serving.url)
                wait = WebDriverWait(browser, 10, poll_frequency=0.01)
                for n in range(rounds):
                    marker = f"rehabilitation work {n}"
                    started = time.perf_counter()
                    paper.write_text(edited(text, n), "utf-8")
                    wait.until(
                        lambda b, m=marker: b.execute_script(
                            "return document.readyState === 'complete' && "
                            "document.body.innerText.includes(arguments[0])",
                            m,
                        )
                    )
                    times.append(time.perf_counter() - started)
                    time.sleep(0.2)
                serving.stop()
        finally:
            browser.quit()
    return _ms(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rounds = 5 if args.quick else 30
    results: dict[str, object] = {"in_process": in_process(rounds)}
    results["lsp_stdio"] = lsp_over_stdio(rounds)
    results["save_to_reloaded_page"] = save_to_reload(5 if args.quick else 15)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "live.json").write_text(json.dumps(results, indent=1) + "\n", "utf-8")
    (RESULTS / "live.md").write_text(report(results, args.quick), "utf-8")
    print(report(results, args.quick))


def report(results: dict, quick: bool) -> str:  # type: ignore[type-arg]
    inner = results["in_process"]
    reload = results["save_to_reloaded_page"]
    stdio = results["lsp_stdio"]

    def met(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = [
        "# Live tools: `serve` and `lsp` (bench/live.py)" + (" — quick run" if quick else ""),
        "",
        "Medians (max) in ms; ratios are medians of per-round ratios against `check` of the "
        "same text in the same run. Milliseconds depend on the machine and its load; the "
        "ratios do not.",
        "",
        "| measure | median ms | max ms | target |",
        "| --- | ---: | ---: | --- |",
        f"| check of the paper, in-process (anchor) | {inner['check']['median_ms']} | "
        f"{inner['check']['max_ms']} | |",
        f"| serve: HTML re-render after a save | {inner['render']['median_ms']} | "
        f"{inner['render']['max_ms']} | ≤ 2× check: {inner['render_over_check']['ratio']}× "
        f"{met(inner['render_over_check']['ratio'] <= 2)} |",
        f"| serve: re-check + re-render after a save | {inner['refresh']['median_ms']} | "
        f"{inner['refresh']['max_ms']} | {inner['refresh_over_check']['ratio']}× check |",
        f"| serve: same, a save that changes the chart | "
        f"{inner['refresh_chart_redrawn']['median_ms']} | "
        f"{inner['refresh_chart_redrawn']['max_ms']} | |",
    ]
    if isinstance(reload, dict):
        lines.append(
            f"| serve: save → reloaded page in Chromium | {reload['median_ms']} | "
            f"{reload['max_ms']} | ≤ 1000: {met(reload['max_ms'] <= 1000)} |"
        )
    else:
        lines.append(f"| serve: save → reloaded page in Chromium | – | – | {reload} |")
    lines += [
        f"| lsp: diagnostics after a change, in-process | {inner['lsp']['median_ms']} | "
        f"{inner['lsp']['max_ms']} | ≤ 100: {met(inner['lsp']['median_ms'] <= 100)} "
        f"({inner['lsp_over_check']['ratio']}× check) |",
        f"| lsp: same, through a client over stdio | {stdio['median_ms']} | "
        f"{stdio['max_ms']} | ≤ 100: {met(stdio['median_ms'] <= 100)} |",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
