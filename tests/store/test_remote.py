"""The remote path against a real `oxigraph serve` on 127.0.0.1: same answers as embedded."""

from __future__ import annotations

import json
import logging
import socket
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import QueryError, StoreError
from kg.query import parse_param, saved_query
from kg.store import RemoteStore, Store, open_store

TWO_ARTICLES = Path(__file__).parent.parent / "data" / "store" / "two-articles.ttl"
NATO_ARTICLE = "https://w3id.org/kg-populator/id/article/nato-tokyo-0123456789ab"
OXIGRAPH = Path(sys.executable).parent / "oxigraph"

# Each saved query with the parameters to try it with.
CASES = [
    ("who-leads-what", {}),
    ("facts-about", {}),
    ("facts-about", {"entity": "NATO"}),
    ("facts-about", {"entity": 'the "ITPP" } pact'}),
    ("facts-about", {"entity": 'x" } UNION { ?e ?p ?entity } #'}),
    ("entities-by-type", {}),
    ("entities-by-type", {"type": "schema:Place"}),
    ("planned-and-denied", {}),
    ("articles-citing", {}),
    ("articles-citing", {"source": "Nikkei"}),
    ("articles", {}),
    ("mentions", {"article": "g7-summit.txt"}),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def start_server(start_oxigraph: Callable[..., str]) -> Callable[..., str]:
    """`oxigraph serve` (tests/conftest.py); ``start(union=False)`` for a plain one."""
    return start_oxigraph


@pytest.fixture
def remote(start_server: Callable[..., str]) -> Iterator[Store]:
    with open_store(endpoint=start_server()) as store:
        store.load_file(TWO_ARTICLES)
        yield store


def test_load_and_reload_keep_counts(remote: Store, loaded: Store) -> None:
    expected = loaded.stats()
    assert remote.stats() == expected
    remote.load_file(TWO_ARTICLES)
    remote.load_file(TWO_ARTICLES)
    assert remote.stats() == expected


@pytest.mark.parametrize(("name", "params"), CASES)
def test_saved_queries_give_the_same_answers(
    remote: Store, loaded: Store, name: str, params: dict[str, str]
) -> None:
    bindings = dict(parse_param(f"{k}={v}") for k, v in params.items())
    text = saved_query(name).text
    assert remote.query(text, bindings) == loaded.query(text, bindings)


def test_ask_construct_and_export_are_the_same(remote: Store, loaded: Store) -> None:
    for sparql in (
        "ASK { ?a a schema:NewsArticle }",
        "ASK { ?a a schema:Nothing }",
        "CONSTRUCT WHERE { ?e a schema:Person ; rdfs:label ?l }",
        "DESCRIBE <https://w3id.org/kg-populator/id/country/japan>",
    ):
        assert remote.query(sparql) == loaded.query(sparql), sparql
    assert remote.export("nquads") == loaded.export("nquads")
    assert remote.export("trig") == loaded.export("trig")


def test_ontology_and_article_hash(remote: Store, loaded: Store) -> None:
    assert remote.load_ontology() == loaded.load_ontology()
    assert remote.stats() == loaded.stats()
    assert remote.article_hash(NATO_ARTICLE) == loaded.article_hash(NATO_ARTICLE) is not None
    assert remote.article_hash(NATO_ARTICLE + "x") is None


def test_updates_and_bad_syntax_never_reach_the_server(remote: Store) -> None:
    before = remote.export("nquads")
    with pytest.raises(QueryError, match="^query is read-only"):
        remote.query("CLEAR ALL")
    with pytest.raises(QueryError, match="^SPARQL syntax error at line 1, column"):
        remote.query("SELECT * WHERE { ?s ?p ?o ")
    assert remote.export("nquads") == before


def test_endpoint_forms(start_server: Callable[..., str]) -> None:
    url = start_server()
    store = open_store(endpoint=url + "/query")
    assert isinstance(store, RemoteStore)
    assert (store.query_url, store.graph_store_url) == (f"{url}/query", f"{url}/store")
    store.load_file(TWO_ARTICLES)
    assert open_store(endpoint=url + "/").stats().articles == 2


def test_wrong_port_is_one_line_naming_the_url() -> None:
    port = free_port()
    store = open_store(endpoint=f"http://127.0.0.1:{port}", timeout=5)
    with pytest.raises(StoreError) as info:
        store.query("ASK {}")
    assert str(info.value) == (
        f"POST http://127.0.0.1:{port}/query: cannot connect: connection refused (tried 3 times)"
    )


def test_http_errors_name_the_url_and_status(start_server: Callable[..., str]) -> None:
    url = start_server()
    store = open_store(endpoint=url, graph_store=f"{url}/nowhere")
    with pytest.raises(StoreError) as info:
        store.replace_graphs({NATO_ARTICLE: b"<urn:a> <urn:b> <urn:c> .\n"})
    assert str(info.value).startswith(
        f"PUT {url}/nowhere?graph=https%3A%2F%2Fw3id.org%2Fkg-populator%2Fid%2Farticle%2F"
        "nato-tokyo-0123456789ab: HTTP 404 Not Found"
    )
    assert "\n" not in str(info.value)


def test_a_silent_server_times_out() -> None:
    with socket.socket() as sock:  # accepts connections (backlog) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]
        store = open_store(endpoint=f"http://127.0.0.1:{port}", timeout=0.3)
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            store.query("ASK {}")
    # Sent and not answered: not sent again (the server may be working on it).
    assert str(info.value) == f"POST http://127.0.0.1:{port}/query: no answer within 0.3 s"
    assert time.monotonic() - started < 2  # one try of 0.3 s


def test_bad_endpoint_url() -> None:
    with pytest.raises(StoreError, match="^endpoint ftp://x: not an http"):
        open_store(endpoint="ftp://x")


def test_server_without_union_default_graph_is_reported(
    start_server: Callable[..., str], caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(endpoint=start_server(union=False))
    store.load_file(TWO_ARTICLES)
    with caplog.at_level(logging.WARNING, logger="kg.store"):
        assert store.stats().articles == 0
    assert "--union-default-graph" in caplog.text


def test_cli_against_the_server(start_server: Callable[..., str], tmp_path: Path) -> None:
    url = start_server()
    runner = CliRunner()
    load = runner.invoke(cli, ["load", str(TWO_ARTICLES), "--endpoint", url])
    assert load.exit_code == 0, load.output
    assert load.stderr == (f"kg: {TWO_ARTICLES}: 3 graphs, 193 triples loaded into {url}/query\n")
    query = runner.invoke(
        cli, ["query", "--saved", "articles-citing", "--param", "source=Nikkei", "--endpoint", url]
    )
    assert query.exit_code == 0, query.output
    rows = json.loads(query.stdout)["results"]["bindings"]
    assert [r["article"]["value"] for r in rows] == ["nato-tokyo.txt"]
    both = runner.invoke(cli, ["stats", "--endpoint", url, "--store", str(tmp_path)])
    assert both.exit_code == 2
    assert both.stderr.endswith("Error: give --store or --endpoint, not both\n")
