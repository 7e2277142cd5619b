"""No half-written named graph, remote or embedded.

Remote: each graph is one PUT, which the server applies whole or not at all;
a load that fails midway leaves the graphs before the failure replaced, the
rest as they were, and says which are which. Tested against a real
`oxigraph serve` behind the test's fault server, which passes requests on,
refuses one, or breaks one off halfway through its body.

Embedded: one call is one transaction, so a graph that does not parse,
wherever it comes, leaves the store exactly as it was.
"""

from __future__ import annotations

import hashlib
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import StoreError
from kg.store import PartialLoadError, Store, graphs_from_file, open_store

TWO_ARTICLES = Path(__file__).parent.parent / "data" / "store" / "two-articles.ttl"
BASE = "https://w3id.org/kg-populator/id/"
NATO = f"{BASE}article/nato-tokyo-0123456789ab"
G7 = f"{BASE}article/g7-summit-fedcba987654"
MakeServer = Callable[..., Any]
StateOf = Callable[[Store], object]


def edit(text: str) -> str:
    """The fixture with a changed literal in each of its three graphs."""
    for old in ("NATO plans an office in Tokyo", "Leaders meet in Hiroshima", "Unmentioned Ltd"):
        assert old in text
        text = text.replace(old, f"{old} (updated)")
    return text


def graph_of(store: Store, iri: str) -> list[str]:
    """The graph's triples, sorted, as N-Triples lines, from the store's export."""
    suffix = f" <{iri}> .\n"
    lines = store.export("nquads").decode().splitlines(keepends=True)
    return sorted(line[: -len(suffix)] + " .\n" for line in lines if line.endswith(suffix))


def expected(path: Path, iri: str) -> list[str]:
    return sorted(graphs_from_file(path)[iri].decode().splitlines(keepends=True))


def quoted(iri: str) -> str:
    return urllib.parse.quote(iri, safe="")


def test_a_put_cut_off_midway_leaves_that_graph_as_it_was(
    oxigraph: Callable[[], str], fault_server: MakeServer, tmp_path: Path
) -> None:
    url = oxigraph()
    server = open_store(endpoint=url)
    articles = tmp_path / "articles.ttl"
    articles.write_text(TWO_ARTICLES.read_text())
    file_graph = articles.resolve().as_uri()
    server.load_file(articles)
    before = {iri: graph_of(server, iri) for iri in (G7, NATO, file_graph)}
    articles.write_text(edit(TWO_ARTICLES.read_text()))
    # The first PUT goes through; every later one reaches the server with
    # half its body and the connection then breaks.
    proxy = fault_server(lambda n, seen: ("proxy",) if n == 0 else ("proxy-cut",), upstream=url)
    with pytest.raises(PartialLoadError) as info:
        open_store(endpoint=proxy.url).load_file(articles)
    assert str(info.value) == (
        f"PUT {proxy.url}/store?graph={quoted(NATO)}: the server closed the connection "
        f"without answering (tried 3 times); 1 of 3 graphs loaded (<{G7}>), "
        f"2 left as they were (<{NATO}>, <{file_graph}>); load again to finish"
    )
    assert (info.value.loaded, info.value.not_loaded) == ((G7,), (NATO, file_graph))
    assert proxy.count == 1 + 3
    assert graph_of(server, G7) == expected(articles, G7) != before[G7]
    assert graph_of(server, NATO) == before[NATO]
    assert graph_of(server, file_graph) == before[file_graph]
    # loading again finishes the job
    server.load_file(articles)
    for iri in (G7, NATO, file_graph):
        assert graph_of(server, iri) == expected(articles, iri)


def test_kg_load_says_which_graphs_were_loaded(
    oxigraph: Callable[[], str], fault_server: MakeServer
) -> None:
    url = oxigraph()
    # the ontology and the first article go through; the second article gets 500
    proxy = fault_server(
        lambda n, seen: ("status", 500, "disk full") if n == 2 else ("proxy",), upstream=url
    )
    runner = CliRunner()
    result = runner.invoke(cli, ["load", "--endpoint", proxy.url, str(TWO_ARTICLES)])
    assert result.exit_code == 4
    file_graph = TWO_ARTICLES.resolve().as_uri()
    assert result.stderr == (
        f"Error: PUT {proxy.url}/store?graph={quoted(NATO)}: HTTP 500 Internal Server Error: "
        f"disk full; 1 of 3 graphs loaded (<{G7}>), 2 left as they were (<{NATO}>, "
        f"<{file_graph}>); load again to finish\n"
    )
    assert proxy.count == 3  # a 500 is not retried
    server = open_store(endpoint=url)
    assert graph_of(server, NATO) == graph_of(server, file_graph) == []
    again = runner.invoke(cli, ["load", "--endpoint", proxy.url, str(TWO_ARTICLES), "-q"])
    assert again.exit_code == 0, again.output
    assert server.stats().articles == 2
    assert graph_of(server, NATO) == expected(TWO_ARTICLES, NATO)


def test_oxigraph_keeps_a_graph_whose_put_does_not_parse(oxigraph: Callable[[], str]) -> None:
    url = oxigraph()
    server = open_store(endpoint=url)
    server.load_file(TWO_ARTICLES)
    before = server.export("nquads")
    # the article's whole new graph, then one bad line at the very end
    bad = graphs_from_file(TWO_ARTICLES)[NATO].replace(b"Tokyo", b"Osaka") + b"<urn:x> <urn:y> .\n"
    with pytest.raises(StoreError) as info:
        server.replace_graphs({NATO: bad})
    assert str(info.value).startswith(
        f"PUT {url}/store?graph={quoted(NATO)}: HTTP 400 Bad Request: Parser error at line "
    )
    assert server.export("nquads") == before


# --------------------------------------------------------------------------- embedded


def state(store: Store) -> tuple[object, str, str]:
    """Counts, a digest of every named graph, and a digest of the default graph (the merge)."""
    merge = store.query("CONSTRUCT WHERE { ?s ?p ?o }").turtle or b""
    return (
        store.stats(),
        hashlib.sha256(store.export("nquads")).hexdigest(),
        hashlib.sha256(merge).hexdigest(),
    )


@pytest.mark.parametrize(
    ("bad_iri", "bad_data", "message"),
    [
        ("urn:x:bad", b"<urn:x:a> <urn:x:b> .\n", r"^graph <urn:x:bad>: "),
        ("not an IRI", b"<urn:x:a> <urn:x:b> <urn:x:c> .\n", r"^graph <not an IRI>: "),
    ],
)
def test_embedded_load_is_all_or_nothing(
    tmp_path: Path, bad_iri: str, bad_data: bytes, message: str
) -> None:
    with open_store(tmp_path / "store") as store:
        store.load_ontology()
        store.load_file(TWO_ARTICLES)
        before = state(store)
        graphs = {
            "urn:x:new": b'<urn:x:a> <urn:x:b> "new" .\n',  # a new graph
            NATO: b'<urn:x:a> <urn:x:b> "replaced" .\n',  # a graph replaced
            G7: b"",  # a graph removed
            bad_iri: bad_data,  # and, last, one that cannot go in
        }
        with pytest.raises(StoreError, match=message):
            store.replace_graphs(graphs)
        assert state(store) == before
        del graphs[bad_iri]
        store.replace_graphs(graphs)  # without it, all of them go in at once
        assert store.stats().articles == 0
        assert store.query('ASK { <urn:x:a> <urn:x:b> "new", "replaced" }').boolean


def test_kg_load_of_a_file_bad_at_its_end_loads_none_of_it(
    tmp_path: Path, store_state: StateOf
) -> None:
    store_dir = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(cli, ["load", str(TWO_ARTICLES), "--store", str(store_dir)]).exit_code == 0
    with open_store(store_dir, read_only=True) as store:
        before = store_state(store)
    bad = tmp_path / "bad.nt"
    bad.write_bytes(graphs_from_file(TWO_ARTICLES)[NATO] + b"<urn:x:a> <urn:x:b> .\n")
    result = runner.invoke(cli, ["load", str(bad), "--store", str(store_dir)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}: cannot parse ntriples: ")
    with open_store(store_dir, read_only=True) as store:
        assert store_state(store) == before
