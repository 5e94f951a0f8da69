"""`ranpaper serve`: each paper's web page, re-rendered when its files change, reloaded in
the browser, with the paper's findings over the page and in the terminal.

Neither `check` nor `build` imports this package (or Starlette, Uvicorn and watchfiles).
What it reuses: the workspace (`ranpaper.workspace`: finding, reading and checking papers),
`ranpaper.render.html.render_paper` and `ranpaper.render.timeline.timeline_svg` (the page,
exactly as `build` writes it), the build's PDF job, checks, limits and render worker
(`ranpaper.build`: the PDF, refused where the build refuses it), and `ranpaper.printing` for
every name it prints or serves.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import sys
import threading
import webbrowser
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from ranpaper.errors import RanpaperError
from ranpaper.printing import visible


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the server starts so that a port in use is a
    clear error rather than a log line from deep inside the server."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise RanpaperError(f"cannot listen on host {host!r}: {error.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise RanpaperError(
                f"port {port} on {host} is in use (another `ranpaper serve`?); "
                "choose another with --port"
            ) from None
        raise RanpaperError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.set_inheritable(True)
    return sock


def _loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def url_of(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(
    paths: list[Path],
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    out: TextIO | None = None,
) -> int:
    """Serve until Ctrl-C (or SIGTERM); returns the exit status."""
    import uvicorn

    from ranpaper.serve.app import Server
    from ranpaper.serve.state import Live

    stream = out or sys.stdout
    live = Live(paths)
    sock = bind(host, port)
    server = Server(live, stream, host=host, port=sock.getsockname()[1])
    first_reads = live.refresh_all()  # reported once the address is printed, below it
    url = url_of(sock, host)
    first = next(iter(live.views.values()))
    page = url + (f"{quote(first.name)}/" if len(live.views) == 1 else "")
    config = uvicorn.Config(
        server.app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=2,
    )

    class _Uvicorn(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            server.loop = asyncio.get_running_loop()
            stream.write(f"ranpaper serve: {page}  (Ctrl-C stops)\n")
            if not _loopback(host):
                stream.write(
                    f"ranpaper serve: listening on {visible(host)}: other machines can read the "
                    "paper\n"
                )
            stream.flush()
            for refresh in first_reads:
                server.report(refresh)
            if open_browser:
                threading.Thread(target=webbrowser.open, args=(page,), daemon=True).start()

        def handle_exit(self, sig: int, frame: object) -> None:
            # The event streams never end by themselves: end them, or shutdown would wait.
            if server.loop is not None:
                server.loop.call_soon_threadsafe(server.stop)
            super().handle_exit(sig, frame)  # type: ignore[arg-type]

    runner = _Uvicorn(config)
    try:
        runner.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    stream.write("ranpaper serve: stopped\n")
    stream.flush()
    return 0
