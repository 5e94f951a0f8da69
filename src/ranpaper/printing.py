"""The one escape for what ranpaper prints or serves: a file name or a paper's text made safe
for a terminal, a CI log (GitHub workflow commands), an HTML page and a header.

Every line ranpaper prints about a file passes its name through `shown` (or `visible`), and
every page `serve` makes passes names through `html_text`: a name may hold a line break, ESC,
a bidirectional override or `<script>`, and none of them may act.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import quote

# Control characters (ESC and BEL drive terminals), line and paragraph separators (a line
# break could start a GitHub workflow command such as `::error::`), bidirectional overrides
# (they reorder what a reader sees) and lone surrogates (no encoding can write them).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


def visible(value: str) -> str:
    """`value` with every unsafe character shown as an escape (`\\n`, `\\x1b`, `\\u2028`), so
    that what came from a paper or its file name stays on its own line and inert."""
    return UNSAFE.sub(_escape_char, value)


def shown(name: object) -> str:
    """A file name as printed at the start of a line: `visible`, and never starting with `:`
    (GitHub reads a line starting `::` as a workflow command)."""
    text = visible(str(name))
    return f"./{text}" if text.startswith(":") else text


def html_text(value: object) -> str:
    """A name or text for an HTML page: `visible`, then HTML-escaped (quotes too)."""
    return html.escape(visible(str(value)), quote=True)


def content_disposition(filename: str, disposition: str = "inline") -> str:
    """A `Content-Disposition` header for `filename` (RFC 6266): an ASCII fallback, and the
    real name as `filename*` in UTF-8 when it is not plain ASCII, so a header never fails to
    encode (`日本.pdf`) and never carries a quote or line break."""
    fallback = "".join(
        char if 32 <= ord(char) < 127 and char not in '"\\' else "_" for char in filename
    )
    header = f'{disposition}; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def written_before(count: int, last: Sequence[object]) -> str:
    """What an interrupted command had written, said truly: `nothing was written`, or how many
    files (each written whole: `fs.write_atomic`, a build's publish) and the last ones' names."""
    if not count:
        return "nothing was written"
    names = ", ".join(shown(path) for path in last)
    if count == 1:
        return f"1 file was written, whole: {names}"
    some = "the last: " if count > len(last) else ""
    return f"{count} files were written, each whole ({some}{names})"
