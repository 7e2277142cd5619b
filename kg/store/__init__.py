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
also under Ctrl-C or kill -9), and builds a first load into an empty store
beside it, swapped in whole; a server gets one PUT per graph, each applied
whole, so a failure midway leaves every graph either replaced or as it was
(:class:`PartialLoadError` lists them).

Modules: :mod:`~kg.store.split` (files → graphs per article),
:mod:`~kg.store.sparql` (query checks, term conversion),
:mod:`~kg.store.base` (the interface, stats, export),
:mod:`~kg.store.embedded`, :mod:`~kg.store.bulk` (first loads),
:mod:`~kg.store.atomic` (commits, the writers' lock, folder swaps),
:mod:`~kg.store.remote` and :mod:`~kg.store.http` (retries and one-line errors).
"""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import StoreError
from kg.settings import default_store

if TYPE_CHECKING:
    from kg.store.base import Store

#: Seconds a remote store waits (kg.store.remote's default, named here so that
#: importing this package loads no HTTP code).
DEFAULT_TIMEOUT = 30.0

# Names this package offers, loaded when first used: the child process that runs
# an embedded query (kg.store.worker) imports this package and needs none of them.
_LAZY = {
    "EXPORT_FORMATS": "kg.store.base",
    "ONTOLOGY_GRAPH": "kg.store.base",
    "PartialLoadError": "kg.store.base",
    "Store": "kg.store.base",
    "StoreStats": "kg.store.base",
    "EmbeddedStore": "kg.store.embedded",
    "RemoteStore": "kg.store.remote",
    "check_query": "kg.store.sparql",
    "LOAD_FORMATS": "kg.store.split",
    "STDIN_GRAPH": "kg.store.split",
    "graphs_from_file": "kg.store.split",
    "split_by_article": "kg.store.split",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        from kg.store.remote import RemoteStore

        return RemoteStore(
            endpoint,
            graph_store=graph_store,
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            user=user if user is not None else os.environ.get("KG_ENDPOINT_USER"),
            password=password if password is not None else os.environ.get("KG_ENDPOINT_PASSWORD"),
        )
    from kg.store.embedded import EmbeddedStore

    path = Path(store_dir) if store_dir is not None else default_store()
    return EmbeddedStore(path, read_only=read_only)
