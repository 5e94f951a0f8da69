"""The served page: the built web page with the findings overlay and the reload script.

Only `serve` adds these: `ranpaper build` writes the page without any script. The overlay
lists the errors over the last good page (a dialog-like panel) and the warnings and infos
in a small panel that opens on demand; every finding shows its code, message and line.
File names, messages and hints pass through `printing.html_text` (visible, then escaped), and
a paper's name in a URL is percent-encoded: none of them can add markup to the page.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from ranpaper.diagnostics import Diagnostic, Severity
from ranpaper.printing import html_text
from ranpaper.serve.state import PaperView

EVENTS_PATH = "/_live/events"

_STYLE = """
#ranpaper-live{position:fixed;z-index:2147483647;inset:auto 1rem 1rem auto;max-width:min(46rem,
calc(100vw - 2rem));font:14px/1.4 system-ui,sans-serif;color:#1a1a1a}
#ranpaper-live .rp-errors{position:fixed;inset:1rem 1rem auto 1rem;max-height:70vh;overflow:auto;
background:#fff5f5;border:2px solid #b00020;border-radius:6px;padding:.75rem 1rem;
box-shadow:0 4px 24px rgba(0,0,0,.3)}
#ranpaper-live h2{font-size:16px;margin:0 0 .5rem;color:#b00020}
#ranpaper-live ol{margin:0;padding:0;list-style:none}
#ranpaper-live li{margin:.25rem 0;font-family:ui-monospace,monospace;font-size:13px}
#ranpaper-live .rp-code{font-weight:bold;margin:0 .5em}
#ranpaper-live details{background:#fff;border:1px solid #888;border-radius:6px;
padding:.25rem .75rem;max-height:50vh;overflow:auto;box-shadow:0 2px 12px rgba(0,0,0,.2)}
#ranpaper-live summary{cursor:pointer}
#ranpaper-live .rp-hint{color:#555}
#ranpaper-live a{color:#0645ad}
"""

_SCRIPT = """(() => {
  const page = %s;
  const events = new EventSource(%s + "?paper=" + encodeURIComponent(page.name));
  events.addEventListener("version", (event) => {
    if (Number(event.data) !== page.version) { events.close(); location.reload(); }
  });
})();"""


def _finding(diagnostic: Diagnostic) -> str:
    code = html_text(diagnostic.code)
    return (
        f'<li class="rp-finding rp-{diagnostic.severity.value}" data-code="{code}">'
        f'<span class="rp-line">line {diagnostic.line}</span>'
        f'<span class="rp-code">{code}</span>'
        f'<span class="rp-message">{html_text(diagnostic.message)}</span>'
        + (
            f'<span class="rp-hint"> — {html_text(diagnostic.hint)}</span>'
            if diagnostic.hint
            else ""
        )
        + "</li>"
    )


def overlay(view: PaperView) -> str:
    """The findings panel: the errors in the way, the rest folded away."""
    parts = ['<div id="ranpaper-live" role="complementary" aria-label="ranpaper findings">']
    errors = view.errors
    file = html_text(view.path.name)
    if errors:
        shown = (
            "the page below is the last version without errors"
            if view.html is not None
            else "no version of it without errors has been seen yet"
        )
        parts.append(
            f'<section class="rp-errors" role="alert"><h2>{file}: '
            f"{len(errors)} error{'s' if len(errors) != 1 else ''} — {shown}</h2><ol>"
            + "".join(_finding(d) for d in errors)
            + "</ol></section>"
        )
    rest = [d for d in view.diagnostics if d.severity is not Severity.error]
    counts = ", ".join(
        f"{n} {severity.value}{'s' if n != 1 else ''}"
        for severity in (Severity.warning, Severity.info)
        if (n := sum(d.severity is severity for d in rest))
    )
    pdf = f'<a href="/{html_text(quote(view.name))}.pdf">PDF</a>'
    parts.append(
        f'<details class="rp-others"><summary>{file}: {counts or "no warnings"} · {pdf}</summary>'
        f"<ol>{''.join(_finding(d) for d in rest)}</ol></details>"
    )
    parts.append("</div>")
    return "".join(parts)


def _script(view: PaperView) -> str:
    data = json.dumps({"name": view.name, "version": view.version})
    # `</` cannot occur in the JSON of a name and a number, but never let it end the script.
    return _SCRIPT % (data.replace("</", "<\\/"), json.dumps(EVENTS_PATH))


def _empty_page(view: PaperView) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html_text(view.path.name)} — no page yet</title></head><body>"
        f"<p>{html_text(view.path.name)} has no version without errors yet; fix the errors "
        "below and this page shows the paper.</p></body></html>"
    )


def served_page(view: PaperView) -> str:
    """The page a browser gets: the last good page (or a placeholder), with the overlay and
    the reload script just before `</body>`."""
    html = view.html if view.html is not None else _empty_page(view)
    extra = f"<style>{_STYLE}</style>{overlay(view)}<script>{_script(view)}</script>\n"
    at = html.rfind("</body>")
    if at < 0:
        return html + extra
    return html[:at] + extra + html[at:]
