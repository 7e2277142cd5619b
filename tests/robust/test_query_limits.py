"""Queries that never end, that fetch from elsewhere, or that return a lot (issue 16).

A real embedded store; `kg query` in a real process where a signal is involved.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import QueryError
from kg.query import QueryResult, Term, render_result
from kg.store import check_query, open_store
from kg.store.stream import TABLE_ROWS, write_bindings

# Three copies of the store's triples joined: 3,000^3 rows to count, which never ends.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIMIT = 20.0  # no test here waits longer for a process


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("limits")
    data = folder / "data.nt"
    data.write_text(
        "".join(
            f'<https://example.org/s{i}> <https://example.org/p> "v{i}" .\n' for i in range(3000)
        )
    )
    path = folder / "store"
    with open_store(path) as store:
        store.load_file(data)
    return path


def _workers_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_timeout_stops_an_embedded_query(store_dir: Path) -> None:
    started = time.monotonic()
    result = CliRunner().invoke(
        cli, ["query", "--store", str(store_dir), "--timeout", "1", ENDLESS]
    )
    assert time.monotonic() - started < LIMIT
    assert result.exit_code == 4
    assert result.stderr == (
        f"Error: store {store_dir}: query stopped after 1 s (--timeout SECONDS allows longer)\n"
    )


def _start_query(store_dir: Path, *args: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "query", "--store", str(store_dir), *args, ENDLESS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + LIMIT
    while not _workers_of(proc.pid):  # the query runs in the worker
        assert time.monotonic() < deadline, "no query process started"
        time.sleep(0.05)
    time.sleep(0.5)  # well into the query
    return proc


@pytest.mark.parametrize("how", ["ctrl-c", "sigint-to-kg-only", "kill-9"])
def test_a_signal_stops_an_endless_query(store_dir: Path, how: str) -> None:
    proc = _start_query(store_dir)
    workers = _workers_of(proc.pid)
    if how == "ctrl-c":  # the terminal signals the whole foreground group
        for pid in [proc.pid, *workers]:
            os.kill(pid, signal.SIGINT)
    else:
        os.kill(proc.pid, signal.SIGINT if how == "sigint-to-kg-only" else signal.SIGKILL)
    try:
        _, stderr = proc.communicate(timeout=LIMIT)
    finally:
        proc.kill()
    if how == "kill-9":
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode == 130, stderr
        assert stderr.decode().endswith("Interrupted: nothing was left half-written.\n")
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers):  # the query does not run on
        assert time.monotonic() < deadline, "the query process outlived kg"
        time.sleep(0.05)


# --------------------------------------------------------------------------- SERVICE


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP port on 127.0.0.1 that records what each connection sends."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    got: list[bytes] = []
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            held.append(conn)  # kept open, never answered
            conn.settimeout(1)
            try:
                got.append(conn.recv(65536))
            except OSError:
                got.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", got
    stop.set()
    thread.join(timeout=5)
    for conn in held:
        conn.close()
    sock.close()


def test_service_is_refused_unless_allowed(
    store_dir: Path, listener: tuple[str, list[bytes]]
) -> None:
    url, got = listener
    query = f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    result = CliRunner().invoke(cli, ["query", "--store", str(store_dir), query])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: SERVICE clauses are refused: they make the store fetch from other servers; "
        "pass --allow-service to run them\n"
    )
    # Checking the syntax, even of an ASK (which Oxigraph evaluates at once), sends nothing.
    for text in (query, query.replace("SERVICE", "service silent")):
        assert check_query(text, allow_service=True) == ("ask", ())
    time.sleep(0.3)
    assert got == []


def test_service_allowed_runs_within_the_timeout(
    store_dir: Path, listener: tuple[str, list[bytes]]
) -> None:
    url, got = listener  # accepts, reads, never answers
    query = f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
    started = time.monotonic()
    result = CliRunner().invoke(
        cli, ["query", "--store", str(store_dir), "--allow-service", "--timeout", "2", query]
    )
    assert time.monotonic() - started < LIMIT
    assert result.exit_code == 4, result.stderr
    assert "query stopped after 2 s" in result.stderr
    assert got and got[0].startswith((b"POST", b"GET"))  # it did reach out, when allowed


@pytest.mark.parametrize(
    "text",
    [
        "DROP ALL ; SELECT * WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://example.org/> # a comment\nINSERT DATA { ex:a ex:b ex:c }",
        "with <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_named_as_such(text: str) -> None:
    with pytest.raises(QueryError, match="^query is read-only: SPARQL updates"):
        check_query(text)


def test_words_in_strings_iris_and_names_are_not_keywords() -> None:
    text = (
        "SELECT ?service WHERE { ?service <http://example.org/SERVICE> 'SERVICE' ; "
        'schema:name """DROP\nSERVICE""" . # SERVICE <http://x/>\n }'
    )
    assert check_query(text) == ("select", ("service",))


# --------------------------------------------------------------------------- streaming


def _rows(n: int) -> Iterator[dict[str, Term]]:
    for i in range(n):
        yield {"s": Term("uri", f"https://example.org/s{i}"), "o": Term("literal", f"v,{i}\n")}


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "table"])
def test_streamed_results_are_the_rendered_bytes(fmt: str) -> None:
    for n in (0, 3, TABLE_ROWS + 5):
        out = io.BytesIO()
        assert write_bindings(("s", "o", "x"), _rows(n), fmt, out) == n
        expected = render_result(QueryResult(variables=("s", "o", "x"), rows=tuple(_rows(n))), fmt)
        if fmt == "table" and n > TABLE_ROWS:  # widths from the first rows only
            got, want = out.getvalue().decode().splitlines(), expected.decode().splitlines()
            del got[1], want[1]  # the rules under the headers differ in length
            assert [line.split() for line in got] == [line.split() for line in want]
            head = render_result(
                QueryResult(variables=("s", "o", "x"), rows=tuple(_rows(TABLE_ROWS))), fmt
            )
            first = head.decode().splitlines()
            del first[1]
            assert got[: TABLE_ROWS + 1] == first  # the first rows set the widths
        else:
            assert out.getvalue() == expected


class _Null(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return len(data)


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "table"])
def test_streaming_memory_is_flat_in_rows(fmt: str) -> None:
    tracemalloc.start()
    try:
        write_bindings(("s", "o"), _rows(10_000), fmt, _Null())  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 500_000, peak  # rendered whole, 10,000 rows take 1.4 to 21 MB


def test_query_output_streams_from_the_store(store_dir: Path) -> None:
    result = CliRunner().invoke(
        cli, ["query", "--store", str(store_dir), "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"]
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert len(rows) == 3000
    assert rows[0] == {"s": {"type": "uri", "value": "https://example.org/s0"}}
