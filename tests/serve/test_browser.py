"""`ranpaper serve` in a real browser (Debian's headless Chromium, driven by Selenium through
`chromedriver`): open the page, edit the file, see the change; break it, see the overlay;
fix it, see the overlay go. CI installs `chromium` and `chromium-driver` (`.ci/run`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import Serving, save

from chromium import chromium, needed
from conftest import PAPER_PATH

pytestmark = needed


@pytest.fixture
def browser() -> Iterator[object]:
    with chromium("--window-size=1280,1600") as driver:
        yield driver


def test_edit_break_and_fix_the_paper_in_a_browser(tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    paper = tmp_path / PAPER_PATH.name
    text = PAPER_PATH.read_text("utf-8")
    paper.write_text(text, "utf-8")
    # The page reloads under the test's feet: an element found before a reload is stale.
    wait = WebDriverWait(
        browser, 20, poll_frequency=0.05, ignored_exceptions=[StaleElementReferenceException]
    )

    # Each read is one script run in the page, so a reload between finding an element and
    # reading it cannot fail the read (Chromium answers "Node with given id does not belong to
    # the document" for a node found in the page before the reload).
    def title() -> str:
        return str(
            browser.execute_script(
                "const e = document.querySelector('#theme-1 h1, h1#theme-1, #theme-1');"
                "return e ? e.innerText : '';"
            )
        )

    def errors() -> list[str]:
        return list(
            browser.execute_script(
                "return Array.from(document.querySelectorAll('#ranpaper-live .rp-error'),"
                " e => e.innerText);"
            )
        )

    with Serving(tmp_path) as serving:
        browser.get(serving.url)
        assert "Guidelines for Rehabilitation work" in title()
        assert errors() == []

        # Edit: the heading changes in the open page, without touching the browser.
        save(paper, text.replace("Guidelines for Rehabilitation work", "Guidelines, edited"))
        wait.until(lambda _: "Guidelines, edited" in title())

        # Break: a misspelt section heading; the overlay names it over the last good page.
        broken = text.replace("Guidelines for Rehabilitation work", "Guidelines, edited").replace(
            "#### Lessons learned and recommendations", "#### Lessons learnt and recommendations", 1
        )
        save(paper, broken)
        wait.until(lambda _: errors())
        [shown] = errors()
        line = broken.splitlines().index("#### Lessons learnt and recommendations") + 1
        assert f"line {line}" in shown and "RP203" in shown
        assert 'unknown section heading "Lessons learnt and recommendations"' in shown
        assert "Guidelines, edited" in title()  # the last good page is still there
        overlay = browser.find_element(By.CSS_SELECTOR, "#ranpaper-live .rp-errors")
        assert overlay.is_displayed()
        browser.save_screenshot(str(tmp_path / "overlay.png"))

        # Fix: the overlay goes.
        save(paper, text)
        wait.until(lambda _: not errors())
        assert "Guidelines for Rehabilitation work" in title()
        assert serving.stop() == 0
