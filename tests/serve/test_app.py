"""The `Host` check of `serve` (`serve/app.py`, `HostCheck`) without a server: which names a
request may use, for each address serve can listen on."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT
from ranpaper.serve.app import Server
from ranpaper.serve.state import Live


def _server(tmp_path: Path, host: str, port: int) -> Server:
    shutil.copy(ROOT / "tests" / "rules" / "minimal.md", tmp_path / "paper.md")
    return Server(Live([tmp_path]), host=host, port=port)


def test_the_loopback_names_and_the_given_host_on_the_port(tmp_path: Path) -> None:
    server = _server(tmp_path, "::1", 8000)
    for value in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "Localhost:8000"):
        assert server.host_allowed(value), value
    for value in (
        "evil.example:8000",
        "localhost",  # port 80 is another server
        "localhost:80",
        "127.0.0.1:8001",
        "localhost.evil.example:8000",
        "10.0.0.1:8000",  # not the address it listens on
        "",
        None,
    ):
        assert not server.host_allowed(value), value


def test_every_interface_answers_its_addresses_but_no_other_name(tmp_path: Path) -> None:
    """`--host 0.0.0.0`: other machines use this one's IP address; a name (which DNS could
    rebind) must still be one of the loopback names."""
    server = _server(tmp_path, "0.0.0.0", 8000)
    for value in ("192.168.1.20:8000", "[fe80::1]:8000", "localhost:8000", "0.0.0.0:8000"):
        assert server.host_allowed(value), value
    for value in ("192.168.1.20:8001", "192.168.1.20", "evil.example:8000", "[fe80::1]"):
        assert not server.host_allowed(value), value
    on_80 = _server(tmp_path, "0.0.0.0", 80)
    assert on_80.host_allowed("192.168.1.20") and on_80.host_allowed("localhost")
    assert not on_80.host_allowed("evil.example")
