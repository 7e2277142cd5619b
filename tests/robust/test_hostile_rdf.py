"""Hostile RDF for `kg validate` and `kg load`: huge literals, deep nesting (issue 16)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from kg.cli import cli
from kg.formats import read_rdf
from kg.validate import validate_files

ARTICLE = "https://w3id.org/kg-populator/id/article/a"
HEADLINE = "https://schema.org/headline"


@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_a_5_mb_literal_validates_in_linear_time(tmp_path: Path, suffix: str) -> None:
    # Escapes are what made rdflib's parsers quadratic: 83 s for 5 MB before.
    value = "word \\n " * 625_000
    path = tmp_path / f"big{suffix}"
    path.write_text(f'<{ARTICLE}> <{HEADLINE}> "{value}" .\n', encoding="utf-8")
    started = time.monotonic()
    graph = Graph()
    read_rdf(str(path), graph)
    assert time.monotonic() - started < 15
    (literal,) = graph.objects(URIRef(ARTICLE), URIRef(HEADLINE))
    assert literal == Literal("word \n " * 625_000)


def test_turtle_nested_10000_deep_validates_as_it_loads(tmp_path: Path) -> None:
    depth = 10_000
    path = tmp_path / "deep.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:p "
        + "[ ex:p " * depth
        + "ex:z"
        + " ]" * depth
        + " .\n"
    )
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert (result.exit_code, result.stderr) == (0, "1 file(s) conform to the shapes\n")
    store = tmp_path / "store"
    loaded = CliRunner().invoke(cli, ["load", str(path), "--store", str(store)])
    assert loaded.exit_code == 0, loaded.stderr
    assert loaded.stderr.endswith(f"{depth + 1} triples loaded into {store}\n")


def test_files_are_merged_with_their_own_blank_nodes(tmp_path: Path) -> None:
    one, two = tmp_path / "one.nt", tmp_path / "two.nt"
    one.write_text('_:b <http://example.org/p> "1" .\n')
    two.write_text('_:b <http://example.org/p> "2" .\n')
    graph = Graph()
    read_rdf(str(one), graph)
    read_rdf(str(two), graph)
    assert len(set(graph.subjects())) == 2  # _:b of one file is not _:b of the other
    assert validate_files([one, two]).conforms


# 21 MB in the file, as N-Triples escapes it
BIG_VALUE = 'a \\"quoted\\" word\\n, \\u00e9t\\u00e9 ' * 700_000
BIG_TEXT = 'a "quoted" word\n, été ' * 700_000


@pytest.mark.parametrize("first", [True, False], ids=["empty-store", "store-with-data"])
@pytest.mark.parametrize("suffix", [".nt", ".nq"])
def test_a_literal_over_the_parser_limit_loads_from_ntriples_and_nquads(
    tmp_path: Path, suffix: str, first: bool
) -> None:
    # Oxigraph's parser stops at 16 MiB per term (its limit, not kg's): such
    # lines are read apart and the literal put back whole.
    graph = " <urn:x:g>" if suffix == ".nq" else ""
    big = tmp_path / f"big{suffix}"
    big.write_text(
        f'<{ARTICLE}> <{HEADLINE}> "{BIG_VALUE}"@en{graph} .\n_:b <{HEADLINE}> "short"{graph} .\n'
    )
    store = tmp_path / "store"
    if not first:
        CliRunner().invoke(cli, ["load", str(TWO_ARTICLES), "--store", str(store), "-q"])
    result = CliRunner().invoke(cli, ["load", str(big), "--store", str(store)])
    assert (result.exit_code, result.stderr) == (
        0,
        f"kg: {big}: 1 graphs, 2 triples loaded into {store}\n",
    )
    from kg.store import open_store

    with open_store(store, read_only=True) as opened:
        rows = opened.query(
            f"SELECT ?o WHERE {{ GRAPH ?g {{ <{ARTICLE}> <{HEADLINE}> ?o }} }}"
        ).rows
    assert [(r["o"].value, r["o"].lang) for r in rows] == [(BIG_TEXT, "en")]


def test_a_turtle_literal_over_the_parser_limit_fails_its_file_only(tmp_path: Path) -> None:
    big, ok = tmp_path / "big.ttl", tmp_path / "ok.nt"
    big.write_text(f'<{ARTICLE}> <{HEADLINE}> "{"x" * 17_000_000}" .\n')
    ok.write_text('<http://example.org/b> <http://example.org/p> "ok" .\n')
    store = tmp_path / "store"
    result = CliRunner().invoke(cli, ["load", str(big), str(ok), "--store", str(store)])
    problem = (
        f"Error: {big}: a term (literal or IRI) is longer than the parser's limit "
        "(Reached the buffer maximal size of 16777216)\n"
    )
    assert result.exit_code == 1
    assert result.stderr == problem + f"kg: {ok}: 1 graphs, 1 triples loaded into {store}\n"
    checked = CliRunner().invoke(cli, ["validate", str(big)])
    assert (checked.exit_code, checked.stderr) == (1, problem)


# --------------------------------------------------------------------------- streaming loads

TWO_ARTICLES = Path(__file__).parent.parent / "data" / "store" / "two-articles.ttl"


def _dump(tmp_path: Path) -> tuple[Path, bytes]:
    """kg's two articles as N-Quads, as `kg export` writes them (graph by graph)."""
    from kg.store import open_store

    with open_store(tmp_path / "source") as source:
        source.load_file(TWO_ARTICLES)
        data = source.export("nquads")
    path = tmp_path / "dump.nq"
    path.write_bytes(data)
    return path, data


@pytest.mark.parametrize("batch", [1, 7, 1_000_000])
def test_nquads_stream_in_batches_of_whole_graphs(
    tmp_path: Path, batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.store import embedded, open_store

    monkeypatch.setattr(embedded, "LOAD_BATCH", batch)
    path, data = _dump(tmp_path)
    transactions: list[int] = []
    real = embedded.EmbeddedStore._write_batch

    def counted(self: embedded.EmbeddedStore, graphs: dict, written: set) -> None:  # type: ignore[type-arg]
        transactions.append(len(graphs))
        real(self, graphs, written)

    monkeypatch.setattr(embedded.EmbeddedStore, "_write_batch", counted)
    with open_store(tmp_path / "store") as store:
        for _ in range(2):  # loading again replaces: the same store
            counts = store.load_file(path)
            assert store.export("nquads") == data
        assert sum(counts.values()) == data.count(b"\n")
    graphs = len(counts) - 1  # the file's own graph is empty, and joins the last batch
    per_load = transactions[: len(transactions) // 2]
    assert sum(per_load) == graphs + 1
    if batch == 1:
        assert len(per_load) == graphs  # a transaction per graph: memory per graph
    elif batch > 1000:
        assert per_load == [graphs + 1]  # one transaction for the whole file
    else:
        assert 1 <= len(per_load) <= graphs


def test_a_graph_met_twice_in_a_file_keeps_both_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.store import embedded, open_store

    monkeypatch.setattr(embedded, "LOAD_BATCH", 1)
    path = tmp_path / "split.nq"
    path.write_text(
        '<urn:x:a> <urn:x:p> "1" <urn:x:g> .\n'
        '<urn:x:b> <urn:x:p> "2" <urn:x:h> .\n'
        '<urn:x:c> <urn:x:p> "3" <urn:x:g> .\n'
    )
    with open_store(tmp_path / "store") as store:
        store.load_file(path)
        rows = store.query("SELECT ?o WHERE { GRAPH <urn:x:g> { ?s ?p ?o } } ORDER BY ?o").rows
        assert [r["o"].value for r in rows] == ["1", "3"]
        merged = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"].value
        assert merged == "3"  # the default graph is the merge


def test_an_nquads_file_bad_at_its_end_loads_none_of_it(tmp_path: Path) -> None:
    from kg.store import open_store

    path, data = _dump(tmp_path)
    bad = tmp_path / "bad.nq"
    bad.write_bytes(data + b"<urn:x:a> <urn:x:b> .\n")
    store_dir = tmp_path / "store"
    result = CliRunner().invoke(cli, ["load", str(bad), "--store", str(store_dir)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}: cannot parse nquads: ")
    with open_store(store_dir, read_only=True) as store:
        assert store.stats().articles == 0


# --------------------------------------------------------------------------- memory

# Runs a command; prints its exit code and peak RSS in MB (wait4 of that child alone).
_PEAK = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss // 1024)\n"
)


@pytest.mark.parametrize("first", [True, False], ids=["empty-store", "store-with-data"])
def test_a_long_turtle_list_loads_in_bounded_memory(tmp_path: Path, first: bool) -> None:
    # One RDF list of 200,000 items (1.3 MB, 400,001 triples): it names no article, so
    # it streams, where it was read whole (about 1.1 GB; 5.7 GB for a 5 MB list).
    path = tmp_path / "list.ttl"
    items = " ".join(str(i) for i in range(200_000))
    path.write_text(f"@prefix ex: <http://example.org/> .\nex:a ex:p ( {items} ) .\n")
    store = tmp_path / "store"
    if not first:
        CliRunner().invoke(cli, ["load", str(TWO_ARTICLES), "--store", str(store), "-q"])
    kg = [sys.executable, "-m", "kg", "load", str(path), "--store", str(store), "-q"]
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *kg], capture_output=True, text=True, check=True
    )
    code, peak_mb = map(int, done.stdout.split())
    assert code == 0
    assert peak_mb < 450, f"peak RSS {peak_mb} MB"
    from kg.store import open_store

    with open_store(store, read_only=True) as opened:
        numbers = "SELECT (COUNT(*) AS ?n) WHERE { ?s rdf:first ?o FILTER(isLiteral(?o)) }"
        count = opened.query(numbers).rows
    assert count[0]["n"].value == "200000"


def test_an_interrupt_between_pieces_of_a_big_graph_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.store import embedded

    monkeypatch.setattr(embedded, "LOAD_BATCH", 2)
    monkeypatch.setattr(embedded, "GRAPH_PIECE", 3)
    path = tmp_path / "one-graph.nt"
    path.write_text("".join(f'<urn:x:s> <urn:x:p> "{i}" .\n' for i in range(10)))
    store = tmp_path / "store"
    CliRunner().invoke(cli, ["load", str(TWO_ARTICLES), "--store", str(store), "-q"])
    real = embedded.EmbeddedStore._write_batch
    calls: list[int] = []

    def interrupted(self: embedded.EmbeddedStore, batch: dict, written: set) -> None:  # type: ignore[type-arg]
        calls.append(sum(map(len, batch.values())))
        if len(calls) == 2:
            raise KeyboardInterrupt  # as Ctrl-C between two pieces
        real(self, batch, written)

    monkeypatch.setattr(embedded.EmbeddedStore, "_write_batch", interrupted)
    result = CliRunner().invoke(cli, ["load", str(path), "--store", str(store)])
    assert calls == [3, 3]
    assert result.exit_code == 130
    assert result.stderr == (
        f"Interrupted: 2 graph(s) had been written to {store}, each whole; "
        f"<{path.resolve().as_uri()}> was being written in pieces and holds part of its "
        "triples (load the file again to finish).\n"
    )
    monkeypatch.setattr(embedded.EmbeddedStore, "_write_batch", real)
    again = CliRunner().invoke(cli, ["load", str(path), "--store", str(store), "-q"])
    assert again.exit_code == 0
    from kg.store import open_store

    with open_store(store, read_only=True) as opened:
        rows = opened.query("SELECT ?o WHERE { GRAPH ?g { <urn:x:s> <urn:x:p> ?o } }").rows
    assert sorted(int(r["o"].value) for r in rows) == list(range(10))
