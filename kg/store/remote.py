"""Remote stores: any SPARQL 1.1 server, by the SPARQL Protocol and the Graph Store Protocol.

Queries go as POST ``application/sparql-query`` to the query URL; each
graph is replaced by one ``PUT …?graph=IRI`` (N-Triples) to the Graph Store
URL, or removed by one DELETE. Every call has a timeout and a bounded retry
of transient failures (:mod:`kg.store.http`).

What a failed load leaves: kg relies on the server applying each PUT whole
or not at all, as servers that run each request in one transaction do
(tests/robust checks that an Oxigraph 0.5 server keeps a graph as it was
when a PUT fails to parse or is cut off midway; other servers are not
tested here). So a load that fails midway leaves the graphs before the
failure replaced and the rest as they were, never half a graph, and
:class:`~kg.store.base.PartialLoadError` says which are which. Loading
again finishes the job (``kg ingest`` skips the articles already there).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping

import pyoxigraph as ox

from kg.errors import StoreError
from kg.prefixes import PREFIXES
from kg.query import QueryResult, Term, values_clause
from kg.store.base import PartialLoadError, Store
from kg.store.http import Http, safe_url, split_credentials
from kg.store.sparql import one_line, to_ox, turtle

__all__ = ["DEFAULT_TIMEOUT", "RemoteStore"]

DEFAULT_TIMEOUT = 30.0  # kg.store.DEFAULT_TIMEOUT too
_ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


def _endpoint_urls(endpoint: str) -> tuple[str, str]:
    """The query URL and the default Graph Store URL for an --endpoint.

    ``http://host:7878`` or ``http://host:7878/query`` (Oxigraph's layout)
    give ``…/query`` and ``…/store``; ``…/sparql`` counts as a query URL too.
    """
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"endpoint {safe_url(endpoint)}: not an http(s) URL")
    path = parts.path.rstrip("/")
    if path.endswith(("/query", "/sparql")):
        base = path.rsplit("/", 1)[0]
        query_path = path
    else:
        base, query_path = path, path + "/query"
    query_url = urllib.parse.urlunsplit(parts._replace(path=query_path))
    return query_url, urllib.parse.urlunsplit(parts._replace(path=base + "/store", query=""))


class RemoteStore(Store):
    """A SPARQL 1.1 server: Protocol for queries, Graph Store HTTP Protocol for loads.

    Credentials come from ``user``/``password``, else from the endpoint URL
    (``http://user:pw@host``); they never appear in :attr:`location` or in
    error messages.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        graph_store: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        endpoint, url_user, url_password = split_credentials(endpoint)
        if graph_store is not None:
            graph_store, store_user, store_password = split_credentials(graph_store)
            url_user, url_password = url_user or store_user, url_password or store_password
        self.query_url, default_graph_store = _endpoint_urls(endpoint)
        self.graph_store_url = graph_store or default_graph_store
        self.location = self.query_url
        self.timeout = timeout
        if user is None:
            user, password = url_user, url_password
        self._http = Http(timeout, user, password)

    def _graph_url(self, iri: str) -> str:
        joiner = "&" if "?" in self.graph_store_url else "?"
        return f"{self.graph_store_url}{joiner}graph={urllib.parse.quote(iri, safe='')}"

    def replace_graphs(self, graphs: Mapping[str, bytes]) -> None:
        # One PUT per graph, which the server applies whole or not at all.
        # The ontology is not added here (one more PUT in every partial-load
        # message): `kg load` loads it first and `kg ingest` checks it at the end.
        items = list(graphs.items())
        for done, (iri, data) in enumerate(items):
            try:
                if data.strip():
                    self._http.request(
                        "PUT",
                        self._graph_url(iri),
                        data,
                        {"Content-Type": "application/n-triples"},
                        idempotent=True,
                    )
                else:
                    self._http.request(
                        "DELETE", self._graph_url(iri), idempotent=True, allow=(404,)
                    )
                self.graphs_written += 1
            except StoreError as exc:
                if len(items) == 1:
                    raise
                raise PartialLoadError(
                    str(exc), [i for i, _ in items[:done]], [i for i, _ in items[done:]]
                ) from None

    def _execute(self, sparql: str, kind: str, params: Mapping[str, Term]) -> QueryResult:
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
        text = f"{prologue}{sparql}\n{values_clause(params)}"
        accept = "application/n-triples" if kind == "graph" else "application/sparql-results+json"
        # Read-only (check_query refused updates), hence safe to send again.
        answer = self._http.request(
            "POST",
            self.query_url,
            text.encode("utf-8"),
            {"Content-Type": "application/sparql-query", "Accept": accept},
            idempotent=True,
        )
        where = f"POST {self.location}"
        if kind == "graph":
            try:
                triples = [q.triple for q in ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)]
            except SyntaxError as exc:
                raise StoreError(f"{where}: answer is not N-Triples ({one_line(exc)})") from None
            return QueryResult(turtle=turtle(triples))
        try:
            doc = json.loads(answer.body)
            if kind == "ask":
                return QueryResult(boolean=bool(doc["boolean"]))
            names = tuple(doc["head"]["vars"])
            rows = tuple(
                {k: Term.from_json(v) for k, v in b.items()} for b in doc["results"]["bindings"]
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise StoreError(
                f"{where}: answer is not SPARQL JSON results "
                f"(Content-Type {answer.content_type or 'none'})"
            ) from None
        return QueryResult(variables=names, rows=rows)

    def _quads(self) -> list[ox.Quad]:
        return [
            ox.Quad(to_ox(r["s"]), to_ox(r["p"]), to_ox(r["o"]), to_ox(r["g"]))
            for r in self.query(_ALL_QUADS).rows
        ]
