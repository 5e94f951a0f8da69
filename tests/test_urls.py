"""The URL policy the rules and the outputs share: a target the checker refuses is never a
live link in the HTML (and so in the PDF, which WeasyPrint makes from it)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ranpaper
from conftest import ROOT
from ranpaper import urls
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


_LABELS = st.one_of(
    st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,4}[A-Za-z0-9])?", fullmatch=True),
    st.integers(0, 999).map(str),  # what an IP address is made of
)
_ADDRESSES = st.one_of(
    st.from_regex(urls._PLAIN_WEB, fullmatch=True),
    st.builds(
        lambda scheme, labels, rest: f"{scheme}://{'.'.join(labels)}{rest}",
        st.sampled_from(["http", "https", "HTTPS"]),
        st.lists(_LABELS, min_size=1, max_size=4),
        st.text(alphabet="/?#%:@!$&'()*+,;=-._~aZ09[] ", max_size=12),
    ),
)


@settings(max_examples=400, deadline=None)
@given(_ADDRESSES)
def test_a_plain_web_address_is_one_the_full_grammar_accepts(url: str) -> None:
    """The shortcut that spares `check` the import of `rfc3986` accepts only what the full
    judgement (RFC 3986's grammar and the host rules) accepts too."""
    if urls._PLAIN_WEB.match(url.strip()):
        assert urls._judged(url.strip()) is None


def test_the_shortcut_leaves_the_doubtful_to_the_full_grammar() -> None:
    for url in ("https://999.1.1.1/", "https://example.org:99999/", "https://ex..ample.org/"):
        assert not urls._PLAIN_WEB.match(url) and problem(url) is not None
    assert urls._PLAIN_WEB.match("https://www.example.org/a/b-c?d=e&f=%20#g")
