"""What every store offers: load, query, stats and export over named graphs."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import pyoxigraph as ox

from kg.errors import InputError, StoreError
from kg.prefixes import PREFIXES
from kg.query import QueryResult, Term, compact, render_result
from kg.store.sparql import check_query
from kg.store.split import graphs_from_file

__all__ = [
    "EXPORT_FORMATS",
    "ONTOLOGY_GRAPH",
    "LoadedFile",
    "PartialLoadError",
    "Store",
    "StoreStats",
]

logger = logging.getLogger(__name__)

ONTOLOGY_GRAPH = "https://w3id.org/kg-populator/ontology"
EXPORT_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


def _names(iris: Sequence[str], shown: int = 3) -> str:
    listed = ", ".join(f"<{iri}>" for iri in iris[:shown])
    return listed + (f" and {len(iris) - shown} more" if len(iris) > shown else "")


class PartialLoadError(StoreError):
    """A load of several graphs stopped midway (remote stores only).

    Every graph is whole: those in ``loaded`` were replaced, those in
    ``not_loaded`` (the one that failed first) were left as they were.
    """

    def __init__(self, cause: str, loaded: Sequence[str], not_loaded: Sequence[str]) -> None:
        total = len(loaded) + len(not_loaded)
        done = f" ({_names(loaded)})" if loaded else ""
        super().__init__(
            f"{cause}; {len(loaded)} of {total} graphs loaded{done}, "
            f"{len(not_loaded)} left as they were ({_names(not_loaded)}); load again to finish"
        )
        self.loaded = tuple(loaded)
        self.not_loaded = tuple(not_loaded)


@dataclass
class LoadedFile:
    """One file of a load: the triples per graph it filled, or why it failed."""

    name: str
    counts: dict[str, int] = field(default_factory=dict)
    error: InputError | None = None


@dataclass(frozen=True, slots=True)
class StoreStats:
    """What a store holds. Keys are IRIs; a statement without modality counts under ""."""

    articles: int
    graphs: int
    quads: int
    entities: dict[str, int]
    facts: dict[str, int]
    statements: dict[str, int]

    def to_json(self) -> dict[str, object]:
        """The counts with IRIs shortened to CONTRACT.md prefixes."""
        short = {
            k: {compact(iri) if iri else "none": n for iri, n in v.items()}
            for k, v in (
                ("entities", self.entities),
                ("facts", self.facts),
                ("statements", self.statements),
            )
        }
        return {"articles": self.articles, "graphs": self.graphs, "quads": self.quads, **short}


_STATS_TOTALS = (
    "SELECT (COUNT(DISTINCT ?g) AS ?graphs) (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } }"
)
_STATS_ARTICLES = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }"
_STATS_ENTITIES = """SELECT ?key (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e a ?key .
  FILTER(?key NOT IN (schema:NewsArticle, kg:Statement, kg:Modality))
  FILTER(!STRSTARTS(STR(?key), STR(owl:)) && !STRSTARTS(STR(?key), STR(rdfs:))
         && !STRSTARTS(STR(?key), STR(rdf:)) && !STRSTARTS(STR(?key), STR(sh:)))
} GROUP BY ?key ORDER BY ?key"""
_STATS_FACTS = """SELECT ?key (COUNT(*) AS ?n) WHERE {
  { SELECT DISTINCT ?s ?key ?o WHERE {
      ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?key ; rdf:object ?o .
      ?s ?key ?o } }
} GROUP BY ?key ORDER BY ?key"""
_STATS_MODALITIES = """SELECT ?key (COUNT(DISTINCT ?st) AS ?n) WHERE {
  ?st a kg:Statement . OPTIONAL { ?st kg:modality ?key }
} GROUP BY ?key ORDER BY ?key"""
_GRAPHS_HAVE_ARTICLES = "ASK { GRAPH ?g { ?a a schema:NewsArticle } }"
_ARTICLE_HASH = "SELECT ?article ?hash WHERE { ?article kg:contentHash ?hash } ORDER BY ?hash"


def ontology_ntriples() -> bytes:
    """The packaged ontology as N-Triples, for :data:`ONTOLOGY_GRAPH`."""
    from kg.resources import ontology_graph

    return ontology_graph().serialize(format="nt", encoding="utf-8")


_HAS_ONTOLOGY = f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"


class Store(ABC):
    """A triple store kg loads into and queries; made by :func:`kg.store.open_store`."""

    #: where the store is, for messages: a folder or the query endpoint's URL
    location: str
    #: graphs this object has written, each whole (for messages after an interrupt)
    graphs_written: int = 0
    #: a graph too big for one transaction, written in part so far (None when none is)
    graph_in_pieces: str | None = None

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[str, bytes]) -> None:
        """Replace each named graph (IRI → N-Triples) by the given triples.

        Each graph is replaced whole or not at all; an empty value removes
        it. Embedded: all of them in one transaction, so a failure changes
        nothing. Remote: one PUT (or DELETE) each, in order, so a failure
        midway leaves the graphs before it replaced and the rest as they were
        (:class:`PartialLoadError` names both).

        Raises:
            StoreError: the store refused or failed.
        """

    @abstractmethod
    def _execute(self, sparql: str, kind: str, params: Mapping[str, Term]) -> QueryResult: ...

    @abstractmethod
    def _quads(self) -> list[ox.Quad]: ...

    def close(self) -> None:  # noqa: B027 - a remote store holds nothing to release
        """Release the store (the embedded store's lock)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def load_file(self, path: Path, fmt: str | None = None) -> dict[str, int]:
        """Load an RDF file, replacing the graphs it fills: graph IRI → triples loaded.

        Raises:
            InputError: the file cannot be read or parsed (nothing loaded).
            StoreError: the store failed.
        """
        graphs = graphs_from_file(path, fmt)
        self.replace_graphs(graphs)
        return {iri: data.count(b"\n") for iri, data in graphs.items()}

    def load_files(
        self,
        paths: Sequence[Path],
        fmt: str | None = None,
        on_file: Callable[[LoadedFile], None] | None = None,
    ) -> list[LoadedFile]:
        """(Re)load the ontology, then each file (as :meth:`load_file`); a file that
        cannot be read or parsed is reported in its :class:`LoadedFile` and the others
        still load. ``on_file`` is called with each file once its graphs are in the store.

        Raises:
            StoreError: the store failed.
        """
        self.load_ontology()
        done: list[LoadedFile] = []
        for path in paths:
            try:
                loaded = LoadedFile(str(path), self.load_file(path, fmt))
            except InputError as exc:
                loaded = LoadedFile(str(path), error=exc)
            done.append(loaded)
            if on_file is not None:
                on_file(loaded)
        return done

    def load_ontology(self) -> int:
        """(Re)load the packaged ontology into :data:`ONTOLOGY_GRAPH`; its triple count."""
        data = ontology_ntriples()
        self.replace_graphs({ONTOLOGY_GRAPH: data})
        return data.count(b"\n")

    def ensure_ontology(self) -> bool:
        """Load the ontology if the store lacks it (a run killed between its articles'
        write and the ontology's); whether it had to."""
        if self.query(_HAS_ONTOLOGY).boolean:
            return False
        logger.info("%s: the ontology graph was missing; loading it", self.location)
        self.load_ontology()
        return True

    def query(
        self,
        sparql: str,
        params: Mapping[str, Term] | None = None,
        *,
        allow_service: bool = False,
    ) -> QueryResult:
        """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query over the merge of the graphs.

        ``params`` bind any variable of the query to terms (a VALUES block
        at the top of its WHERE group; see :func:`kg.params.bind_params`).
        The CONTRACT.md prefixes are predeclared. SERVICE clauses are
        refused unless ``allow_service``.

        Raises:
            QueryError: bad syntax, an update, SERVICE, or a parameter the query lacks.
            StoreError: the store failed.
        """
        from kg.params import bind_params

        # Bound in the text as a VALUES block of escaped terms (kg.query), so
        # any variable can be bound and a FILTER sees it, on every store alike.
        sparql = bind_params(sparql, params or {})
        kind, _ = check_query(sparql, None, allow_service=allow_service)
        return self._execute(sparql, kind, {})

    def stream_query(
        self,
        sparql: str,
        params: Mapping[str, Term] | None,
        fmt: str,
        out: BinaryIO,
        *,
        timeout: float | None = None,
        allow_service: bool = False,
    ) -> None:
        """Run a query as :meth:`query` does and write its results to ``out`` in ``fmt``
        (json, csv, tsv or table; Turtle for CONSTRUCT and DESCRIBE).

        The embedded store runs it in a child process, stopped after
        ``timeout`` seconds (no limit if None) or by Ctrl-C, and writes rows
        as they come; a remote store's request is bounded by its own timeout.

        Raises:
            QueryError: as :meth:`query`.
            StoreError: the store failed, or the query ran out of time.
        """
        from kg.params import bind_params

        sparql = bind_params(sparql, params or {})
        kind, _ = check_query(sparql, None, allow_service=allow_service)
        self._stream(sparql, kind, {}, fmt, out, timeout)

    def _stream(
        self,
        sparql: str,
        kind: str,
        params: Mapping[str, Term],
        fmt: str,
        out: BinaryIO,
        timeout: float | None,
    ) -> None:
        out.write(render_result(self._execute(sparql, kind, params), fmt))

    def _count(self, sparql: str) -> dict[str, int]:
        result = self.query(sparql)
        return {
            row["key"].value if "key" in row else "": int(row["n"].value) for row in result.rows
        }

    def stats(self) -> StoreStats:
        """Articles, named graphs, quads; entities per class, facts per property,
        statements per modality."""
        totals = self.query(_STATS_TOTALS).rows[0]
        stats = StoreStats(
            articles=int(self.query(_STATS_ARTICLES).rows[0]["n"].value),
            graphs=int(totals["graphs"].value),
            quads=int(totals["quads"].value),
            entities=self._count(_STATS_ENTITIES),
            facts=self._count(_STATS_FACTS),
            statements=self._count(_STATS_MODALITIES),
        )
        if stats.articles == 0 and self.query(_GRAPHS_HAVE_ARTICLES).boolean:
            logger.warning(
                "%s: queries do not see the named graphs; the server must use the "
                "union of named graphs as default graph (oxigraph serve "
                "--union-default-graph, Fuseki tdb2:unionDefaultGraph)",
                self.location,
            )
        return stats

    def export(self, fmt: str = "nquads") -> bytes:
        """Every quad of every named graph, sorted, as N-Quads or TriG."""
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"unknown export format {fmt!r}; use nquads or trig")
        quads = sorted(
            self._quads(),
            key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)),
        )
        prefixes = PREFIXES if fmt == "trig" else None
        return ox.serialize(quads, format=EXPORT_FORMATS[fmt], prefixes=prefixes)

    def article_hash(self, article_iri: str) -> str | None:
        """The kg:contentHash recorded for an article, or None if it is not in the store."""
        result = self.query(_ARTICLE_HASH, {"article": Term.iri(article_iri)})
        return result.rows[0]["hash"].value if result.rows else None
