"""Triple stores: an embedded Oxigraph store on disk, or any SPARQL 1.1 server.

The only package that imports pyoxigraph. Both kinds of store offer the same
interface (:class:`Store`, made by :func:`open_store`):

* each article's triples live in a named graph named after the article's
  IRI, the ontology in :data:`ONTOLOGY_GRAPH`, and whatever else a file holds
  in a graph named after the file, so loading anything again *replaces* its
  graphs and counts never grow on a re-load;
* queries see the merge of the named graphs as their default graph.

How the default graph is the merge differs. Oxigraph 0.5's union default
graph (``use_default_graph_as_union``, ``oxigraph serve
--union-default-graph``) does not merge: a triple that N articles state (an
entity's label, a fact they all report) matches N times (oxigraph#1919), and
a join over labels of entities that hundreds of articles mention multiplies
out (measured on 600 articles sharing their entities: a join of two labels
did not finish in 15 minutes; on the merge, who-leads-what takes 0.1 s).
So the embedded store keeps its real default graph equal to the merge,
updated in the same transaction as each graph it replaces, and queries it
as is. A server is loaded through the Graph Store Protocol and must be set
up to query the union: ``oxigraph serve --union-default-graph``, Fuseki
``tdb2:unionDefaultGraph true``; GraphDB and Virtuoso do it by default. On
an Oxigraph server the repeats remain, so the saved queries look labels up
in DISTINCT subqueries and give the same rows either way.

Nothing half-written: the embedded store applies a whole
:meth:`Store.replace_graphs` call in one transaction (all graphs or none,
also under Ctrl-C or kill -9); a server gets one PUT per graph, each applied
whole, so a failure midway leaves every graph either replaced or as it was
(:class:`PartialLoadError` lists them).

Modules: :mod:`~kg.store.split` (files → graphs per article),
:mod:`~kg.store.sparql` (query checks, term conversion),
:mod:`~kg.store.base` (the interface, stats, export),
:mod:`~kg.store.embedded`, :mod:`~kg.store.remote` and
:mod:`~kg.store.http` (retries and one-line errors).
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.errors import StoreError
from kg.settings import default_store
from kg.store.base import EXPORT_FORMATS, ONTOLOGY_GRAPH, PartialLoadError, Store, StoreStats
from kg.store.embedded import EmbeddedStore
from kg.store.remote import DEFAULT_TIMEOUT, RemoteStore
from kg.store.sparql import check_query
from kg.store.split import LOAD_FORMATS, STDIN_GRAPH, graphs_from_file, split_by_article

__all__ = [
    "DEFAULT_TIMEOUT",
    "EXPORT_FORMATS",
    "LOAD_FORMATS",
    "ONTOLOGY_GRAPH",
    "STDIN_GRAPH",
    "EmbeddedStore",
    "PartialLoadError",
    "RemoteStore",
    "Store",
    "StoreStats",
    "check_query",
    "graphs_from_file",
    "open_store",
    "split_by_article",
]


def open_store(
    store_dir: Path | str | None = None,
    endpoint: str | None = None,
    *,
    read_only: bool = False,
    user: str | None = None,
    password: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    graph_store: str | None = None,
) -> Store:
    """Open the embedded store (``store_dir``, else :func:`kg.settings.default_store`)
    or a remote one (``endpoint``).

    Remote: ``user``/``password`` default to ``$KG_ENDPOINT_USER`` /
    ``$KG_ENDPOINT_PASSWORD``, then to credentials in the endpoint URL;
    ``graph_store`` defaults to the endpoint's ``/store`` (Oxigraph's layout;
    Fuseki's is ``/data``); ``timeout`` (seconds) bounds every HTTP call.
    Embedded: ``read_only`` opens without taking the lock (for queries);
    ``timeout`` does not apply (:meth:`Store.stream_query` takes its own).

    Raises:
        StoreError: both or a bad location given, the store is locked by
            another process, or it cannot be opened.
    """
    if endpoint:
        if store_dir is not None:
            raise StoreError("give a store folder or an endpoint, not both")
        return RemoteStore(
            endpoint,
            graph_store=graph_store,
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            user=user if user is not None else os.environ.get("KG_ENDPOINT_USER"),
            password=password if password is not None else os.environ.get("KG_ENDPOINT_PASSWORD"),
        )
    path = Path(store_dir) if store_dir is not None else default_store()
    return EmbeddedStore(path, read_only=read_only)
