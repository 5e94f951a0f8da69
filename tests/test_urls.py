"""The URL policy the rules and the outputs share: a target the checker refuses is never a
live link in the HTML (and so in the PDF, which WeasyPrint makes from it)."""

from __future__ import annotations

import re

import pytest

import ranpaper
from conftest import ROOT
from ranpaper.render.html import render_paper
from ranpaper.urls import ALLOWED_SCHEMES, live_href, problem, unknown_scheme, unsafe_scheme

MINIMAL = (ROOT / "tests" / "rules" / "minimal.md").read_text("utf-8")

REFUSED = [
    "javascript:alert(1)",
    " JaVa\tScript:alert(1)",
    "data:text/html,x",
    "file:///etc/passwd",
    "smb://server/share",
    "search-ms:query=x",
    "ms-excel:ofe|u|https://example.org/a.xlsx",
    "intent://x#Intent;end",
    "jar:https://example.org/a.jar!/",
    "blob:https://example.org/1",
    "htp://example.org/",
    "https://example.org:99999/",
    "https://ex..ample.org/",
    "https://exa\\mple.org/",
    "https://example.org/%zz",
    "https://example.org/a b",
    "www.example.org",
    "#",
    "",
]
ALLOWED = [
    "https://example.org/",
    "http://example.org/a?b=c#d",
    "https://user:pw@example.org/",
    "https://[2001:db8::1]/",
    "https://münchen.de/bericht",
    "mailto:team@example.org",
    "#introduction",
]


@pytest.mark.parametrize("url", REFUSED)
def test_refused_targets_are_never_live(url: str) -> None:
    assert live_href(url) is None
    # ... and exactly one rule says why (lost links are RP301's)
    reasons = [unsafe_scheme(url), unknown_scheme(url), problem(url)]
    assert sum(reason is not None for reason in reasons) == (0 if url.strip() in ("", "#") else 1)


@pytest.mark.parametrize("url", ALLOWED)
def test_allowed_targets_are_live(url: str) -> None:
    href = live_href(url)
    assert href is not None and href.isascii()
    assert href == url or not url.isascii()
    assert (unsafe_scheme(url), unknown_scheme(url), problem(url)) == (None, None, None)


def test_live_targets_are_ascii_as_pdf_links_need() -> None:
    assert live_href("https://münchen.de/Straße?q=ä#Ü") == (
        "https://xn--mnchen-3ya.de/Stra%C3%9Fe?q=%C3%A4#%C3%9C"
    )


def test_the_documented_schemes() -> None:
    assert ALLOWED_SCHEMES == ("https", "http", "mailto")


def test_the_web_page_writes_no_live_link_the_policy_refuses() -> None:
    targets = [url for url in REFUSED if url.strip() not in ("", "#") and "\t" not in url]
    lines = "".join(f"- Paper: [Link {n}]({url}), 2021\n" for n, url in enumerate(targets))
    lines = lines.replace("(https://example.org/a b)", "(<https://example.org/a b>)")
    text = MINIMAL.replace("- Paper: [Manual](https://example.org/manual), 2021\n", lines)
    paper = ranpaper.parse(text, path="p.md")
    html = render_paper(paper, "screen")
    hrefs = set(re.findall(r'<a href="([^"]*)"', html))
    assert hrefs and all(h == "https://example.org/kick-off" or h.startswith("#") for h in hrefs)
    for number in range(len(targets)):
        assert f"Link {number}" in html  # shown as text, not dropped
