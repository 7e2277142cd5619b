"""Shared test options and fixtures: --update-golden, a real `oxigraph serve`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
STARTUP_LIMIT = 20.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the golden expected.ttl files from the current output.",
    )


@pytest.fixture(autouse=True, scope="session")
def fixed_run_time() -> Iterator[None]:
    """Runs stamp their graphs with the time they ran (prov:startedAtTime);
    tests fix it, as reproducible builds do, so that outputs can be compared.
    Session-wide, so that module-scoped fixtures that extract see it too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        yield


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def start_oxigraph(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start a real `oxigraph serve` on a free 127.0.0.1 port; returns its URL.

    Every server started is stopped by its pid when the test ends.
    """
    if not OXIGRAPH.is_file():
        pytest.fail(f"{OXIGRAPH} not found: install the test extra (pip install oxigraph)")
    procs: list[subprocess.Popen[bytes]] = []

    def start(union: bool = True) -> str:
        n = len(procs)
        port, log = free_port(), tmp_path / f"oxigraph{n}.log"
        args = [
            str(OXIGRAPH),
            "serve",
            "--location",
            str(tmp_path / f"oxigraph{n}"),
            "--bind",
            f"127.0.0.1:{port}",
        ] + (["--union-default-graph"] if union else [])
        with log.open("wb") as out:
            proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_LIMIT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited: {log.read_text()}")
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
                return url
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not answer at {url}: {log.read_text()}")
                time.sleep(0.05)

    yield start
    for proc in procs:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
