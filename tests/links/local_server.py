"""A local HTTP server for the link checker's tests (127.0.0.1 only, started and stopped by
the tests' `server` fixture, counting every request and how many it serves at once).

Not a conftest.py: `tests/conftest.py` is imported by name (`from conftest import …`), and a
second conftest module would shadow it."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW = 1.0  # seconds the /slow page takes: longer than the tests' timeout
HOLD = 0.3  # seconds each /hold/… page takes, so that requests overlap


@dataclass
class Served:
    """What the server saw."""

    requests: Counter[tuple[str, str]] = field(default_factory=Counter)  # (method, path)
    active: int = 0
    most_at_once: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.requests.values())


ROUTES: dict[str, tuple[int, dict[str, str]]] = {
    "/ok": (200, {}),
    "/moved": (301, {"Location": "/ok"}),
    "/moved-for-good": (308, {"Location": "/ok"}),
    "/found": (302, {"Location": "/ok"}),
    "/missing": (404, {}),
    "/gone": (410, {}),
    "/forbidden": (403, {}),
    "/limited": (429, {"Retry-After": "0"}),
    "/broken": (500, {}),
}


def _handler(served: Served) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_HEAD(self) -> None:
            self.answer(body=False)

        def do_GET(self) -> None:
            self.answer(body=True)

        def answer(self, body: bool) -> None:
            path = self.path
            with served.lock:
                served.requests[(self.command, path)] += 1
                seen = (
                    served.requests[(self.command, path)]
                    + served.requests[("HEAD" if self.command == "GET" else "GET", path)]
                )
                served.active += 1
                served.most_at_once = max(served.most_at_once, served.active)
            try:
                if path == "/slow":
                    time.sleep(SLOW)
                    status, headers = 200, {}
                elif path.startswith("/hold/"):
                    time.sleep(HOLD)
                    status, headers = 200, {}
                elif path == "/head-refused":
                    status, headers = (405, {}) if self.command == "HEAD" else (200, {})
                elif path == "/flaky":  # fails once, then answers
                    status, headers = (503, {}) if seen == 1 else (200, {})
                else:
                    status, headers = ROUTES.get(path, (404, {}))
                payload = b"page\n"
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if body:
                    self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                pass
            finally:
                with served.lock:
                    served.active -= 1

    return Handler


@contextmanager
def serving() -> Iterator[tuple[str, Served]]:
    """A running server's base URL (http://127.0.0.1:PORT) and what it saw; stopped after."""
    served = Served()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(served))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
