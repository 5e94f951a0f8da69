"""The web page checked by tools that are not ranpaper's: axe-core (Deque's accessibility
engine, from the npm registry) in Debian's headless Chromium, at a desktop's 1280 px and a
phone's 390 px; and the chart read as a phone shows it.

axe-core is installed with npm into a cache folder (`.cache/npm` at the repository's root, or
`RANPAPER_TEST_CACHE`), pinned to one version; `.ci/run` installs it before the tests, and the
test installs it itself when it is missing and npm is there. The test skips only when
Chromium, its driver or npm (Debian packages) are absent."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chromium import chromium, needed
from conftest import ROOT

STEM = "rehabilitation-overview"
AXE_VERSION = "4.14.1"
CACHE = Path(os.environ.get("RANPAPER_TEST_CACHE", ROOT / ".cache" / "npm"))
AXE = CACHE / "node_modules" / "axe-core" / "axe.min.js"
# The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

pytestmark = needed


def axe_source() -> str:
    if not AXE.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("needs npm (Debian's npm, installed by .ci/run) to install axe-core")
        package = f"axe-core@{AXE_VERSION}"
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(CACHE), package],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return AXE.read_text("utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        driver.set_script_timeout(120)
        yield driver


def _open(browser: Any, page: Path, width: int) -> None:
    browser.set_window_size(width, 1000)
    browser.get(page.as_uri())


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_core_finds_no_violation(built: Path, browser: Any, width: int) -> None:
    """Every rule of WCAG 2.0-2.2 A and AA and axe's best practices passes on the web page."""
    source = axe_source()
    _open(browser, built / f"{STEM}.html", width)
    browser.execute_script(source)
    violations = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => [v.id, v.help, v.nodes.length,"
        " v.nodes.slice(0, 3).map(n => n.target.join(' '))])));",
        TAGS,
    )
    assert violations == [], violations
    version = browser.execute_script("return axe.version")
    assert version == AXE_VERSION


CHART = """
const svg = document.querySelector('.timeline svg');
const box = svg.getBoundingClientRect();
const scale = box.width / svg.viewBox.baseVal.width;
const sizes = [...svg.querySelectorAll('text')].map(
  t => parseFloat(getComputedStyle(t).fontSize) * scale);
const legend = document.querySelector('.timeline-legend');
const years = [...svg.querySelectorAll('.x-axis text')].map(t => t.getBoundingClientRect());
return {
  smallest: Math.min(...sizes), largest: Math.max(...sizes),
  legend: parseFloat(getComputedStyle(legend).fontSize),
  caption: parseFloat(getComputedStyle(document.querySelector('figcaption')).fontSize),
  gap: legend.getBoundingClientRect().top - Math.max(...years.map(r => r.bottom)),
  overlaps: years.slice(1).filter((r, i) => r.left < years[i].right).length,
};
"""


def test_the_chart_is_legible_on_a_phone_and_no_larger_than_the_caption(
    built: Path, browser: Any
) -> None:
    """At 390 px every text of the chart is at least 11 px and the legend (HTML) at least
    12; at 1280 px no chart text is larger than the caption; the legend sits at least 8 px
    below the year labels, which never overlap."""
    page = built / f"{STEM}.html"
    _open(browser, page, 390)
    phone = browser.execute_script(CHART)
    assert phone["smallest"] >= 11, phone
    assert phone["legend"] >= 12, phone
    assert phone["gap"] >= 8 and phone["overlaps"] == 0, phone
    _open(browser, page, 1280)
    desktop = browser.execute_script(CHART)
    assert desktop["largest"] <= desktop["caption"] + 0.01, desktop
    assert desktop["gap"] >= 8 and desktop["overlaps"] == 0, desktop


LINES = """
const counts = [];
for (const block of document.querySelectorAll('main p, main li')) {
  if (block.closest('figure, table, .meeting, .toc, nav')) continue;
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  const lines = new Map();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.textContent.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (rect) lines.set(Math.round(rect.bottom), (lines.get(Math.round(rect.bottom)) || 0) + 1);
    }
  }
  counts.push(...[...lines.values()].slice(0, -1));  // a block's last line is short by nature
}
return counts;
"""


def test_the_page_is_set_in_its_own_open_sans_at_a_reading_measure(
    built: Path, browser: Any
) -> None:
    """The page carries its typeface (subset WOFF2 in data URIs: Debian's Chromium here has no
    Open Sans installed), so it looks the same on every machine; and at 1280 px its running
    text is set at 60 to 75 characters a line on the median (it was 91), none over 80."""
    _open(browser, built / f"{STEM}.html", 1280)
    faces = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "document.fonts.ready.then(() => done([...document.fonts].map("
        "f => [f.family, f.weight, f.style, f.status])));"
    )
    loaded = {
        (family.strip('"'), weight) for family, weight, _, status in faces if status == "loaded"
    }
    assert {("Open Sans", "400"), ("Open Sans", "600"), ("Open Sans", "700")} <= loaded, faces
    assert browser.execute_script("return document.fonts.check('16px \"Open Sans\"')")
    counts = browser.execute_script(LINES)
    full = sorted(count for count in counts if count >= 40)
    assert len(full) > 100
    assert 60 <= full[len(full) // 2] <= 75, full[len(full) // 2]
    assert max(counts) <= 80, max(counts)


def test_every_character_of_the_page_is_in_its_embedded_font(built: Path) -> None:
    """The subset leaves no character of the page to a fallback font."""
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    page = (built / f"{STEM}.html").read_text("utf-8")
    [regular] = re.findall(
        r"font-weight: 400; font-style: normal;[^}]*base64,([A-Za-z0-9+/=]+)", page
    )
    have = set(TTFont(io.BytesIO(base64.b64decode(regular))).getBestCmap())
    text = re.sub(
        r"<style>.*?</style>|<script>.*?</script>|<svg.*?</svg>|<[^>]+>", " ", page, flags=re.S
    )
    from html import unescape

    wanted = {ord(char) for char in unescape(text) if char.isprintable() and not char.isspace()}
    assert wanted - have == set(), sorted(chr(c) for c in wanted - have)
