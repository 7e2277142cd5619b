"""Servers for the robustness tests, on 127.0.0.1 only, each stopped when its test ends.

``oxigraph``: a real `oxigraph serve --union-default-graph` on a free port.
``fault_server``: a small http.server of the test's own, in a thread, that
answers each request as a script says (a status, silence, a connection
closed before or during the answer, or passing it on to a real server,
whole or cut off midway) and records every request it got.
"""

from __future__ import annotations

import http.client
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import to_isomorphic

from kg.store import Store

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
STARTUP_LIMIT = 20.0  # seconds for `oxigraph serve` to answer
SLEEP_LIMIT = 5.0  # no fault-server handler sleeps longer than this


def store_state(store: Store) -> tuple[object, dict[str, str], str]:
    """What a store holds, up to blank node labels (which a re-load of the
    ontology renews): its counts, a digest of each named graph, and a digest
    of its default graph (the merge)."""
    dataset = Dataset()
    dataset.parse(data=store.export("nquads"), format="nquads")
    graphs = {
        str(graph.identifier): to_isomorphic(graph).graph_digest()
        for graph in dataset.graphs()
        if len(graph)
    }
    merge = Graph().parse(data=store.query("CONSTRUCT WHERE { ?s ?p ?o }").turtle, format="turtle")
    return store.stats(), graphs, to_isomorphic(merge).graph_digest()


@pytest.fixture(name="store_state", scope="session")
def store_state_fixture() -> Callable[[Store], tuple[object, dict[str, str], str]]:
    """:func:`store_state`, for tests (conftest modules are not importable)."""
    return store_state


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def unused_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens: connections are refused."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def oxigraph(start_oxigraph: Callable[..., str]) -> Callable[[], str]:
    """Start `oxigraph serve --union-default-graph` (tests/conftest.py); its URL."""
    return start_oxigraph


@dataclass(frozen=True)
class Seen:
    """One request as the fault server got it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


# What the fault server does with a request:
#   ("status", code, text[, content type])  answer with that status (text/plain)
#   ("json", text)          answer 200 with SPARQL JSON results
#   ("silent",)             say nothing (until SLEEP_LIMIT or the end of the test)
#   ("close",)              close the connection without answering
#   ("cut",)                send headers promising 1000 bytes, send 10, close
#   ("trickle",)            send headers promising 1000 bytes, then a byte every 0.05 s
#   ("proxy",)              pass the request on to the upstream server and its answer back
#   ("proxy-cut",)          pass on the headers and half the body, then close both sides
Action = tuple[object, ...]
Script = Callable[[int, Seen], Action]


class FaultServer:
    """http.server in a thread; ``script(n, request)`` decides the n-th answer (from 0)."""

    def __init__(self, script: Script, upstream: str | None = None) -> None:
        self.script = script
        self.upstream = urllib.parse.urlsplit(upstream) if upstream else None
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.seen)

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def forward(self, seen: Seen, cut: bool) -> tuple[int, bytes, str] | None:
        assert self.upstream is not None and self.upstream.port is not None
        if cut:
            with socket.create_connection((self.upstream.hostname, self.upstream.port), 5) as up:
                head = [
                    f"{seen.method} {seen.path} HTTP/1.1",
                    f"Host: {self.upstream.netloc}",
                    f"Content-Length: {len(seen.body)}",
                    "Connection: close",
                ]
                head += [
                    f"{k}: {v}"
                    for k, v in seen.headers.items()
                    if k.lower() in ("content-type", "accept")
                ]
                half = seen.body[: len(seen.body) // 2]
                up.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + half)
                time.sleep(0.2)  # let the server start on the request before it breaks off
            return None
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=10)
        try:
            headers = {
                k: v
                for k, v in seen.headers.items()
                if k.lower() in ("content-type", "accept", "authorization")
            }
            conn.request(seen.method, seen.path, body=seen.body or None, headers=headers)
            answer = conn.getresponse()
            return answer.status, answer.read(), answer.getheader("Content-Type", "")
        finally:
            conn.close()


def _handler(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence
            pass

        def _answer(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen = Seen(self.command, self.path, dict(self.headers.items()), body)
            with server.lock:
                n = len(server.seen)
                server.seen.append(seen)
            action = server.script(n, seen)
            self.close_connection = True
            try:
                if action[0] == "status":
                    ctype = str(action[3]) if len(action) > 3 else "text/plain"
                    self._answer(int(str(action[1])), str(action[2]).encode(), ctype)
                elif action[0] == "json":
                    self._answer(200, str(action[1]).encode(), "application/sparql-results+json")
                elif action[0] == "silent":
                    server.stop.wait(SLEEP_LIMIT)
                elif action[0] == "cut":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b'{"head": {')
                elif action[0] == "trickle":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    ends = time.monotonic() + SLEEP_LIMIT
                    while not server.stop.wait(0.05) and time.monotonic() < ends:
                        self.wfile.write(b" ")
                        self.wfile.flush()
                elif action[0] in ("proxy", "proxy-cut"):
                    answer = server.forward(seen, cut=action[0] == "proxy-cut")
                    if answer is not None:
                        self._answer(*answer)
                # ("close",): return without a word; the server closes the socket
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (a timeout): what the test wanted

        do_GET = do_POST = do_PUT = do_DELETE = _handle  # noqa: N815

    return Handler


@pytest.fixture
def fault_server() -> Iterator[Callable[..., FaultServer]]:
    """Make fault servers: ``fault_server(script, upstream=None)``; all closed at the end."""
    servers: list[FaultServer] = []

    def make(script: Script, upstream: str | None = None) -> FaultServer:
        servers.append(FaultServer(script, upstream))
        return servers[-1]

    yield make
    for server in servers:
        server.close()
