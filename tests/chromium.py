"""Debian's headless Chromium driven by Selenium through `chromedriver`: the one set-up of every
test that looks at a page in a browser. CI installs both (`chromium`, `chromium-driver`:
`.ci/run`); where either is missing, those tests are skipped and pytest's summary says why."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

needed = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs Debian's chromium and chromium-driver (installed by .ci/run)",
)
"""Mark a module's tests with it (`pytestmark = chromium.needed`)."""


@contextmanager
def chromium(*arguments: str) -> Iterator[Any]:
    """A headless Chromium (a Selenium driver), quit on leaving; `arguments` are added to the
    quiet, sandbox-free defaults a container needs."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--no-first-run",
        *arguments,
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
