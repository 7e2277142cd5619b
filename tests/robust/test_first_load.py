"""The fast first load (kg.store.bulk): what a transactional load writes, at bulk speed, whole."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import StoreError
from kg.query import saved_queries
from kg.store import Store, open_store
from kg.store.atomic import exchange, staging_dir

TWO_ARTICLES = Path(__file__).parent.parent / "data" / "store" / "two-articles.ttl"
CONFLICTS = TWO_ARTICLES.with_name("conflicts.ttl")
StateOf = Callable[[Store], tuple[Any, ...]]


def _files(tmp_path: Path) -> list[Path]:
    """kg's Turtle, its export as N-Quads, and files that are not kg's (blank nodes,
    a default graph, relative IRIs)."""
    with open_store(tmp_path / "source") as source:
        source.load_file(TWO_ARTICLES)
        exported = source.export("nquads")
    # the same articles under other graph names, so that no two files fill one graph
    dump = tmp_path / "dump.nq"
    renamed = exported.replace(b"/id/article/", b"/id/copy/")
    dump.write_bytes(renamed.replace(TWO_ARTICLES.resolve().as_uri().encode(), b"urn:x:copy"))
    other = tmp_path / "other.ttl"
    other.write_text('@prefix ex: <http://example.org/> .\nex:a ex:p [ ex:q "1" ] ; ex:r <rel> .\n')
    quads = tmp_path / "quads.nq"
    quads.write_text(
        '_:b <http://example.org/p> "in the default graph" .\n'
        '_:b <http://example.org/p> "named" <http://example.org/g> .\n'
        '<http://example.org/a> <http://example.org/p> "named" <http://example.org/g> .\n'
    )
    return [TWO_ARTICLES, CONFLICTS, dump, other, quads]


def _load(store_dir: Path, files: list[Path], *, first: bool) -> list[tuple[str, dict[str, int]]]:
    with open_store(store_dir) as store:
        if not first:  # a store with data: every file in its own transaction
            store.load_ontology()
        return [(f.name, f.counts) for f in store.load_files(files)]


def test_oxigraph_union_default_graph_repeats_triples() -> None:
    # Why kg keeps a real default graph: Oxigraph's union of named graphs is a
    # bag, so a triple that N graphs hold matches N times and joins multiply.
    store = ox.Store()
    triple = (ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.Literal("v"))
    store.extend(ox.Quad(*triple, ox.NamedNode(f"urn:g:{i}")) for i in range(3))
    rows = store.query("SELECT * WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    assert len(list(rows)) == 3
    join = store.query("SELECT * WHERE { ?s ?p ?o . ?s ?p ?o2 }", use_default_graph_as_union=True)
    assert len(list(join)) == 9


def test_first_load_writes_what_a_transactional_load_writes(
    tmp_path: Path, store_state: StateOf, caplog: pytest.LogCaptureFixture
) -> None:
    files = _files(tmp_path)
    with caplog.at_level(logging.DEBUG, logger="kg.store.bulk"):
        fast = _load(tmp_path / "fast", files, first=True)
    assert "building the new store" in caplog.text
    assert "a transactional load instead" not in caplog.text
    slow = _load(tmp_path / "slow", files, first=False)
    assert fast == slow
    with open_store(tmp_path / "fast") as a, open_store(tmp_path / "slow") as b:
        assert store_state(a) == store_state(b)
        for query in saved_queries().values():  # the same answers, row for row
            assert a.query(query.text) == b.query(query.text), query.name
    assert not staging_dir(tmp_path / "fast").exists()
    # the store took the new data whole: loading again replaces, counts stay
    _load(tmp_path / "fast", files, first=True)
    with open_store(tmp_path / "fast") as a, open_store(tmp_path / "slow") as b:
        assert store_state(a) == store_state(b)


def test_a_graph_two_files_fill_is_replaced_as_in_a_transaction(
    tmp_path: Path, store_state: StateOf
) -> None:
    one, two = tmp_path / "one.nq", tmp_path / "two.nq"
    one.write_text('<urn:x:a> <urn:x:p> "old" <urn:x:g> .\n<urn:x:a> <urn:x:p> "1" <urn:x:h> .\n')
    two.write_text('<urn:x:a> <urn:x:p> "new" <urn:x:g> .\n')
    _load(tmp_path / "fast", [one, two], first=True)
    _load(tmp_path / "slow", [one, two], first=False)
    with open_store(tmp_path / "fast") as a, open_store(tmp_path / "slow") as b:
        assert store_state(a) == store_state(b)
        rows = a.query("SELECT ?o WHERE { GRAPH <urn:x:g> { ?s ?p ?o } }").rows
        assert [r["o"].value for r in rows] == ["new"]


def test_a_bad_file_is_named_and_the_others_load(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.nq", tmp_path / "bad.nq"
    good.write_text('<urn:x:a> <urn:x:p> "1" <urn:x:g> .\n')
    bad.write_text('<urn:x:a> <urn:x:p> "2" <urn:x:h> .\n<urn:x:a> <urn:x:b> .\n')
    store_dir = tmp_path / "store"
    result = CliRunner().invoke(cli, ["load", str(bad), str(good), "--store", str(store_dir)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Error: {bad}: cannot parse nquads: ")
    assert lines[1:] == [f"kg: {good}: 1 graphs, 1 triples loaded into {store_dir}"]
    with open_store(store_dir, read_only=True) as store:
        graphs = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        names = {r["g"].value for r in graphs}
    assert "urn:x:g" in names and "urn:x:h" not in names  # nothing of the bad file


def test_a_folder_holding_other_files_is_loaded_in_place(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    (store_dir / "notes.txt").write_text("mine")  # --store named a folder of the user's
    result = CliRunner().invoke(cli, ["load", str(TWO_ARTICLES), "--store", str(store_dir)])
    assert result.exit_code == 0, result.stderr
    assert (store_dir / "notes.txt").read_text() == "mine"
    assert not staging_dir(store_dir).exists()
    with open_store(store_dir, read_only=True) as store:
        assert store.stats().articles == 2


def test_a_store_named_by_a_link_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    link = tmp_path / "store"
    link.symlink_to(tmp_path / "real")
    result = CliRunner().invoke(cli, ["load", str(TWO_ARTICLES), "--store", str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    with open_store(tmp_path / "real", read_only=True) as store:
        assert store.stats().articles == 2


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    new, old = tmp_path / "new", tmp_path / "old"
    new.mkdir()
    old.mkdir()
    (new / "n").write_text("new")
    (old / "o").write_text("old")
    exchange(new, old)
    assert [p.name for p in old.iterdir()] == ["n"]
    assert [p.name for p in new.iterdir()] == ["o"]


# ------------------------------------------------------------------ other processes

BIG = 300_000


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """N-Quads of BIG quads in 1,000 graphs: a first load of a few seconds."""
    path = tmp_path_factory.mktemp("big") / "big.nq"
    with path.open("w") as out:
        for i in range(BIG):
            out.write(f'<urn:x:s{i // 10}> <urn:x:p{i % 10}> "v{i}" <urn:x:g{i % 1000}> .\n')
    return path


def _start_load(store_dir: Path, data: Path) -> subprocess.Popen[str]:
    """`kg load` into an empty store, returned once it has begun the new store."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "load", str(data), "--store", str(store_dir), "-vv"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "building the new store" in line:
            return proc
    proc.wait()
    pytest.fail("the load ended before building a new store: " + "".join(seen))


def _finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    try:
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, err


def test_a_second_writer_is_refused_during_a_first_load(tmp_path: Path, big_file: Path) -> None:
    store_dir = tmp_path / "store"
    proc = _start_load(store_dir, big_file)
    try:
        with pytest.raises(StoreError) as info:
            open_store(store_dir)
        assert str(info.value) == (
            f"store {store_dir} is in use by another process; try again when it has finished"
        )
    finally:
        code, err = _finish(proc)
    assert code == 0, err
    with open_store(store_dir) as store:
        count = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(count.rows[0]["n"].value) > BIG  # the file and the ontology


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_first_load_leaves_the_empty_store(
    tmp_path: Path, big_file: Path, sig: signal.Signals
) -> None:
    store_dir = tmp_path / "store"
    proc = _start_load(store_dir, big_file)
    time.sleep(0.2)  # into the bulk writes (several seconds)
    os.kill(proc.pid, sig)
    code, err = _finish(proc)
    if sig == signal.SIGKILL:
        assert code == -signal.SIGKILL
    else:
        assert code == 130, err
        assert err.splitlines()[-1] == "Interrupted: nothing was left half-written.", err
        assert not staging_dir(store_dir).exists()  # cleared on the way out
    with open_store(store_dir) as store:  # the old store: empty, and writable
        assert store.stats().quads == 0
    # loading again clears what a kill left and finishes the job
    result = CliRunner().invoke(cli, ["load", str(big_file), "--store", str(store_dir), "-q"])
    assert result.exit_code == 0, result.stderr
    assert not staging_dir(store_dir).exists()
    with open_store(store_dir, read_only=True) as store:
        assert store.stats().graphs == 1001  # 1,000 graphs, the ontology (the file's is empty)
