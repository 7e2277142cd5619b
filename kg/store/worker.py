"""Queries of the embedded store in a child process: stopped by a deadline or Ctrl-C.

Oxigraph evaluates a query in Rust and offers no way to stop it: a cross
product under an aggregate runs until it ends, whatever Python does. So
``kg query`` runs it in a child process (``python -m kg.store.worker``)
that opens the store read-only, writes the results as they come
(:mod:`kg.store.stream`) into a pipe, and is killed when the deadline
passes or the user presses Ctrl-C; the parent copies the pipe to its
output. Memory stays flat in the number of rows on both sides. The child
dies with its parent (``PR_SET_PDEATHSIG``), so a killed ``kg`` leaves no
query running.

The deadline counts the time spent waiting for the child, not the time
spent writing to a slow reader of the output (a pager).
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from kg.errors import KgError, QueryError, StoreError
from kg.query import Term

__all__ = ["main", "run_in_child"]

_CHUNK = 65536
_EXIT_QUERY = 2
_EXIT_STORE = 4


def run_in_child(
    path: Path,
    sparql: str,
    params: Mapping[str, Term],
    fmt: str,
    out: BinaryIO,
    *,
    timeout: float | None = None,
) -> None:
    """Run a checked query on the store at ``path`` in a child; copy its output to ``out``.

    Raises:
        StoreError: the deadline passed (the child is killed), or the store failed.
        QueryError: the store refused the query.
    """
    request = {
        "path": str(path),
        "sparql": sparql,
        "params": {k: v.to_json() for k, v in params.items()},
        "fmt": fmt,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.store.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        proc.stdin.write(json.dumps(request).encode())
        proc.stdin.close()
        errors = _copy(proc, out, timeout, path)
        code = proc.wait()
    finally:
        if proc.poll() is None:  # a deadline, Ctrl-C, or a reader that went away
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    if code == -signal.SIGINT:  # Ctrl-C reached the child first: the same interrupt
        raise KeyboardInterrupt
    if code != 0:
        message = errors.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"query process ended with code {code}"
        raise (QueryError if code == _EXIT_QUERY else StoreError)(detail)


def _copy(proc: subprocess.Popen[bytes], out: BinaryIO, timeout: float | None, path: Path) -> bytes:
    """Copy the child's stdout to ``out`` until it closes; its stderr, returned."""
    assert proc.stdout is not None and proc.stderr is not None
    errors = bytearray()
    left = timeout
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        selector.register(proc.stderr, selectors.EVENT_READ)
        while selector.get_map():
            started = time.monotonic()
            ready = selector.select(None if left is None else max(left, 0.0))
            if left is not None:
                left -= time.monotonic() - started
                if not ready and left <= 0:
                    raise StoreError(
                        f"store {path}: query stopped after {timeout:g} s "
                        "(--timeout SECONDS allows longer)"
                    )
            for key, _ in ready:
                data = os.read(key.fd, _CHUNK)
                if not data:
                    selector.unregister(key.fileobj)
                elif key.fileobj is proc.stdout:
                    out.write(data)
                else:
                    errors += data[: _CHUNK - len(errors)] if len(errors) < _CHUNK else b""
    out.flush()
    return bytes(errors)


def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the child ends at its next write
        pass


def main() -> None:
    """The child: read the request on stdin, write the results on stdout."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it at once, even in Rust
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # so does a parent that went away
    _die_with_parent()
    request = json.loads(sys.stdin.buffer.read())
    from kg.store.embedded import EmbeddedStore

    params = {k: Term.from_json(v) for k, v in request["params"].items()}
    out = sys.stdout.buffer
    try:
        with EmbeddedStore(Path(request["path"]), read_only=True) as store:
            store.write_results(request["sparql"], params, request["fmt"], out)
        out.flush()
    except KgError as exc:
        sys.stderr.write(f"{exc}\n")
        sys.exit(_EXIT_QUERY if isinstance(exc, QueryError) else _EXIT_STORE)


if __name__ == "__main__":
    main()
