"""Interrupts: Ctrl-C or kill -9 midway leaves the previous store or file, never half of one.

Real `kg` processes, real signals. `kg load` of 50,000 triples (one graph,
one transaction) is signalled once its transaction has begun (it says so on stderr with -vv);
the store must then hold what it held before, or, if the transaction
committed first, exactly that plus the new graph. `kg extract -o` is
signalled at the worst moment: its temporary file written, the rename next
(a hook in the child process sends the signal to itself there).
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kg.store import Store, open_store
from kg.store.embedded import GRAPH_PIECE

TWO_ARTICLES = Path(__file__).parent.parent / "data" / "store" / "two-articles.ttl"
BIG = 200_000
LIMIT = 120.0  # seconds any child process may take
StateOf = Callable[[Store], tuple[Any, ...]]


class Child:
    """A child process whose stderr is read line by line in a thread."""

    def __init__(self, args: list[str]) -> None:
        self.proc = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, text: str, limit: float = LIMIT) -> None:
        deadline = time.monotonic() + limit
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                pytest.fail(f"no {text!r} on stderr within {limit} s: {''.join(self.stderr)}")
            if line is None:
                pytest.fail(f"exited before {text!r}: {''.join(self.stderr)}")
            if text in line:
                return

    def finish(self, limit: float = LIMIT) -> tuple[int, str]:
        try:
            code = self.proc.wait(timeout=limit)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(timeout=5)
        return code, "".join(self.stderr)


def merged_triples(store_dir: Path) -> int:
    with open_store(store_dir, read_only=True) as store:
        result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(result.rows[0]["n"].value)


@pytest.fixture(scope="module")
def nt_file(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    """N-Triples files of n triples, made once per size."""
    folder = tmp_path_factory.mktemp("nt")

    def make(n: int) -> Path:
        path = folder / f"{n}.nt"
        if not path.exists():
            with path.open("w") as out:
                for i in range(n):
                    s, p = f"https://example.org/s{i // 10}", f"https://example.org/p{i % 10}"
                    out.write(f'<{s}> <{p}> "v{i}" .\n')
        return path

    return make


@pytest.fixture(scope="module")
def base_store(
    tmp_path_factory: pytest.TempPathFactory, store_state: StateOf
) -> tuple[Path, tuple[Any, ...], int]:
    """A closed store holding the ontology and two articles: its state and merge size."""
    path = tmp_path_factory.mktemp("base") / "store"
    with open_store(path) as store:
        store.load_ontology()
        store.load_file(TWO_ARTICLES)
        state = store_state(store)
    return path, state, merged_triples(path)


@pytest.mark.parametrize(
    ("sig", "moment", "size"),
    [
        # one graph of GRAPH_PIECE triples: the most a transaction holds (a bigger
        # graph is written in pieces, tests/robust/test_hostile_rdf.py)
        pytest.param(signal.SIGKILL, "transaction", GRAPH_PIECE, id="SIGKILL-in-transaction"),
        pytest.param(signal.SIGINT, "reading", BIG, id="SIGINT-while-reading"),
        # Python acts on SIGINT only when the transaction returns
        pytest.param(signal.SIGINT, "transaction", GRAPH_PIECE, id="SIGINT-in-transaction"),
    ],
)
def test_load_interrupted(
    sig: signal.Signals,
    moment: str,
    size: int,
    base_store: tuple[Path, tuple[Any, ...], int],
    nt_file: Callable[[int], Path],
    tmp_path: Path,
    store_state: StateOf,
) -> None:
    source, before, before_merged = base_store
    store_dir = tmp_path / "store"
    shutil.copytree(source, store_dir)
    data = nt_file(size)
    child = Child([sys.executable, "-m", "kg", "load", str(data), "--store", str(store_dir), "-vv"])
    # The ontology's transaction comes first; then the file is read and split
    # (over a second for 200,000 triples), then its own transaction.
    child.wait_for("in one transaction" if moment == "reading" else f"({size} triples) in one")
    time.sleep(0.1)  # into the read, or into the transaction (both take over a second)
    os.kill(child.proc.pid, sig)
    code, stderr = child.finish()
    if sig == signal.SIGKILL:
        assert code == -signal.SIGKILL
    else:
        assert code == 130, f"exit {code}: the load ended before the signal? {stderr}"
        assert stderr.splitlines()[-1].startswith("Interrupted"), stderr
    # openable read-write: the lock went with the process
    with open_store(store_dir) as store:
        stats = store.stats()
        if stats.graphs == before[0].graphs:
            assert store_state(store) == before
            merged = before_merged
            written = 1  # the ontology's transaction, before the file's
        else:  # the transaction committed before the signal: all of it is there
            assert moment == "transaction"
            written = 2  # the ontology and the file's graph
            old = before[0].to_json()
            assert stats.to_json() == old | {
                "graphs": old["graphs"] + 1,
                "quads": old["quads"] + size,
            }
            merged = before_merged + size
    assert merged_triples(store_dir) == merged
    if sig == signal.SIGINT:
        # The message says what had been committed when the interrupt took effect.
        assert stderr.endswith(
            f"Interrupted: {written} graph(s) had been written to {store_dir}, each whole; "
            "nothing was left half-written.\n"
        ), stderr
    if moment == "reading":
        assert merged == before_merged


ARTICLE = """\
NATO to open an office in Tokyo

NATO Secretary General Jens Stoltenberg said on Thursday that the alliance
plans to open a liaison office in Tokyo. Japanese Prime Minister Fumio
Kishida welcomed the plan.
"""

# Runs `kg ARGS…` and sends itself SIGNAL when the output file is about to be
# renamed into place: the temporary file is complete, the target untouched.
HOOK = """
import os, signal, sys, time
from pathlib import Path
sig, name = getattr(signal, sys.argv[1]), sys.argv[2]
real_replace = os.replace
def replace(src, dst, *args, **kwargs):
    if Path(dst).name == name:
        os.kill(os.getpid(), sig)
        time.sleep(30)  # the signal ends this (SIGINT raises in here)
    return real_replace(src, dst, *args, **kwargs)
os.replace = replace
sys.argv = ["kg", *sys.argv[3:]]
from kg.cli import main
main()
"""


@pytest.mark.slow
def test_extract_interrupted_before_the_rename(tmp_path: Path) -> None:
    runs = {}
    for sig in ("SIGINT", "SIGTERM", "SIGKILL"):
        folder = tmp_path / sig
        folder.mkdir()
        (folder / "article.txt").write_text(ARTICLE)
        (folder / "out.ttl").write_text("# the previous output\n")
        args = ["extract", str(folder / "article.txt"), "-o", str(folder / "out.ttl"), "-j", "1"]
        runs[sig] = Child([sys.executable, "-c", HOOK, sig, "out.ttl", *args])
    for sig, child in runs.items():
        code, stderr = child.finish()
        folder = tmp_path / sig
        assert (folder / "out.ttl").read_text() == "# the previous output\n"
        left = sorted(p.name for p in folder.iterdir() if p.name not in ("article.txt", "out.ttl"))
        if sig in ("SIGINT", "SIGTERM"):  # kill's SIGTERM cleans up as Ctrl-C does
            assert code == 130, stderr
            assert stderr.endswith("Interrupted: nothing was left half-written.\n"), stderr
            assert left == []  # write_atomic removed its temporary file
        else:
            # Nothing runs after kill -9: the hidden temporary file stays,
            # complete but never renamed; the previous output is untouched.
            assert code == -signal.SIGKILL
            assert len(left) == 1 and re.fullmatch(r"\.out\.ttl\..+\.tmp", left[0]), left
            assert (folder / left[0]).read_text().startswith("@prefix")
