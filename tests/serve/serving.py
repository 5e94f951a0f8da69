"""`ranpaper serve` as a user runs it: a process on a free port, stopped with Ctrl-C (for the
tests of the command and the browser test)."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path


class Serving:
    """A running `ranpaper serve`, its terminal output, and the version events of a paper."""

    def __init__(self, path: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ranpaper", "serve", str(path), "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[str] = []
        self.url = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + 60
        while not self.url:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("serve did not start:\n" + self.output)
            time.sleep(0.02)
        self.root = re.sub(r"(https?://[^/]+/).*", r"\1", self.url)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            found = re.search(r"ranpaper serve: (http://\S+)", line)
            if found:
                self.url = found.group(1)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_output(self, text: str, count: int = 1, timeout: float = 30) -> int:
        """How often `text` is in the terminal output, once it is there `count` times (the
        output is read in another thread, so it can lag behind a response)."""
        deadline = time.monotonic() + timeout
        while self.output.count(text) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.output.count(text)

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.root + path.lstrip("/"), timeout=120) as response:
            return response.read()

    def events(self, paper: str) -> queue.Queue[int]:
        """The versions the server announces for `paper`, as they come."""
        versions: queue.Queue[int] = queue.Queue()

        def listen() -> None:
            url = f"{self.root}_live/events?paper={paper}"
            try:
                with urllib.request.urlopen(url, timeout=120) as stream:
                    for raw in stream:
                        line = raw.decode().strip()
                        if line.startswith("data: "):
                            versions.put(int(line.removeprefix("data: ")))
            except OSError:
                return

        threading.Thread(target=listen, daemon=True).start()
        return versions

    def rss_kib(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]

    def stop(self, timeout: float = 15) -> int:
        """Ctrl-C, as a user stops it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        self._reader.join(5)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return code

    def __enter__(self) -> Serving:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.stop()


def save(path: Path, text: str) -> None:
    """Save as many editors do: write a temporary file beside it, then rename it over."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)
