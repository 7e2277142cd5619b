"""Triple stores: an embedded Oxigraph store on disk, or any SPARQL 1.1 server.

The only module that imports pyoxigraph. Both kinds of store offer the same
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

Remote stores speak the SPARQL 1.1 Protocol (POST ``application/sparql-query``)
for queries and the Graph Store HTTP Protocol (``PUT …?graph=IRI``) for
loads, with urllib only, HTTP basic auth and a timeout on every call.

Locking: RocksDB lets one process open a store read-write. A second writer
gets :class:`StoreError` "store DIR is in use by another process". Readers
open the store read-only, which takes no lock, so queries work while a load
runs; they see the store as it was when they opened it. RocksDB calls that
"undefined behaviour"; what happens in practice is that a reader opening
just as the writer compacts may miss a file, which the reader here retries.
A writer flushes on close, so that readers need not replay a long log.

This module is longer than the house's 400 lines because the two stores and
the per-article split share one interface; query text and rendering live in
kg.query.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.errors import InputError, QueryError, StoreError
from kg.query import XSD_STRING, QueryResult, Term, compact, values_clause
from kg.settings import default_store
from kg.vocab import KG, PREFIXES, SCHEMA

__all__ = [
    "DEFAULT_TIMEOUT",
    "EXPORT_FORMATS",
    "LOAD_FORMATS",
    "ONTOLOGY_GRAPH",
    "EmbeddedStore",
    "RemoteStore",
    "Store",
    "StoreStats",
    "check_query",
    "graphs_from_file",
    "open_store",
    "split_by_article",
]

logger = logging.getLogger(__name__)
T = TypeVar("T")

ONTOLOGY_GRAPH = "https://w3id.org/kg-populator/ontology"
DEFAULT_TIMEOUT = 30.0
STDIN_GRAPH = "urn:kg:stdin"
EXPORT_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
LOAD_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
_SUFFIXES = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".trig": "trig",
}
# Terms in N-Triples syntax: the splitter works on these strings, which is
# fast, hashable and round-trips blank nodes and literals exactly.
Triple = tuple[str, str, str]
_TYPE, _LABEL, _ALT = f"<{RDF.type}>", f"<{RDFS.label}>", f"<{SKOS.altLabel}>"
_NEWS_ARTICLE, _STATEMENT = f"<{SCHEMA.NewsArticle}>", f"<{KG.Statement}>"
_DERIVED, _MODALITY, _SOURCE = (
    f"<{PROV.wasDerivedFrom}>",
    f"<{KG.modality}>",
    f"<{KG.attributedTo}>",
)
_SUBJECT, _PREDICATE, _OBJECT = f"<{RDF.subject}>", f"<{RDF.predicate}>", f"<{RDF.object}>"
_PLAIN = frozenset({f"<{KG.Asserted}>", f"<{KG.Reported}>"})
_DESCRIBE = frozenset({_TYPE, _LABEL, _ALT})


# --------------------------------------------------------------------------- splitting


def _is_node(term: str | None) -> bool:
    return term is not None and (term.startswith("_:") or term.startswith("<"))


def _split(triples: set[Triple]) -> dict[str, set[Triple]]:
    """The algorithm of :func:`split_by_article`, on N-Triples term strings."""
    about: dict[str, list[Triple]] = {}
    for t in triples:
        about.setdefault(t[0], []).append(t)

    def value(node: str, predicate: str) -> str | None:
        return next((o for _, p, o in about.get(node, ()) if p == predicate), None)

    def closure(node: str, out: set[Triple]) -> None:
        todo, seen = [node], {node}
        while todo:
            for t in about.get(todo.pop(), ()):
                out.add(t)
                if t[2].startswith("_:") and t[2] not in seen:
                    seen.add(t[2])
                    todo.append(t[2])

    statements: dict[str, list[str]] = {}
    for s, p, o in triples:
        if p == _DERIVED and (s, _TYPE, _STATEMENT) in triples:
            statements.setdefault(o, []).append(s)
    articles = {s for s, p, o in triples if p == _TYPE and o == _NEWS_ARTICLE}
    parts: dict[str, set[Triple]] = {}
    for article in sorted(a for a in articles if a.startswith("<")):
        out: set[Triple] = set()
        closure(article, out)
        entities = {o for _, p, o in about[article] if p != _TYPE and _is_node(o)}
        for st in statements.get(article, ()):
            closure(st, out)
            subject, predicate, obj = (
                value(st, _SUBJECT),
                value(st, _PREDICATE),
                value(st, _OBJECT),
            )
            entities.update(n for n in (subject, obj, value(st, _SOURCE)) if _is_node(n))
            modality = value(st, _MODALITY)
            if subject and predicate and obj and (modality is None or modality in _PLAIN):
                fact = (subject, predicate, obj)
                if fact in triples:
                    out.add(fact)
        for entity in entities:
            out.update(t for t in about.get(entity, ()) if t[1] in _DESCRIBE)
        parts[article[1:-1]] = out
    return parts


def _nt(triples: Iterable[Triple]) -> bytes:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(triples)).encode()


def _strings(triples: Iterable[ox.Triple]) -> set[Triple]:
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in triples}


def split_by_article(graph: Graph) -> dict[str, Graph]:
    """The triples of each schema:NewsArticle, keyed by the article's IRI.

    An article's graph holds its own triples (and those of blank nodes they
    lead to); every kg:Statement ``prov:wasDerivedFrom`` it, with the plain
    triple it describes when its modality is kg:Asserted or kg:Reported (or
    missing); and the rdf:type, rdfs:label and skos:altLabel of every entity
    it links to (schema:mentions, publisher, …) or its statements name, so
    literal facts (schema:jobTitle, startDate) come with their statements.
    A triple can go to several articles. Triples in no article's graph are
    left out: :func:`graphs_from_file` puts them in the file's graph.
    """
    data = graph.serialize(format="nt", encoding="utf-8")
    parts = _split(_strings(q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)))
    return {
        iri: Graph(bind_namespaces="none").parse(data=_nt(part), format="nt")
        for iri, part in parts.items()
    }


def _read_input(path: Path) -> bytes:
    try:
        return sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from None


def graphs_from_file(path: Path, fmt: str | None = None) -> dict[str, bytes]:
    """Read an RDF file into named graphs, as N-Triples keyed by graph IRI.

    Turtle and N-Triples are split by article (:func:`split_by_article`);
    N-Quads and TriG keep their own graph names. Everything else, such as
    the default graph of a quads file or a file that is not kg output, goes
    to a graph named after the file (its ``file:`` IRI, also the base for
    relative IRIs; ``urn:kg:stdin`` for ``-``), always present in the
    result, even empty, so that loading the same file again replaces it.

    Raises:
        InputError: the file cannot be read, parsed or its format guessed.
    """
    name = str(path)
    if fmt is None:
        fmt = "turtle" if name == "-" else _SUFFIXES.get(path.suffix.lower())
    if fmt not in LOAD_FORMATS:
        raise InputError(
            name, "unknown RDF format: name it .ttl, .nt, .nq or .trig, or pass --format"
        )
    file_graph = STDIN_GRAPH if name == "-" else path.resolve().as_uri()
    data = _read_input(path)
    groups: dict[str, set[Triple]] = {file_graph: set()}
    try:
        base = None if name == "-" else file_graph
        for quad in ox.parse(data, format=LOAD_FORMATS[fmt], base_iri=base):
            graph = quad.graph_name
            key = graph.value if isinstance(graph, ox.NamedNode) else file_graph
            groups.setdefault(key, set()).add(
                (str(quad.subject), str(quad.predicate), str(quad.object))
            )
    except SyntaxError as exc:
        raise InputError(name, f"cannot parse {fmt}: {_one_line(exc)}") from None
    if fmt in ("turtle", "ntriples"):
        triples = groups[file_graph]
        parts = _split(triples)
        groups = {**parts, file_graph: triples.difference(*parts.values())}
    return {iri: _nt(triples) for iri, triples in groups.items()}


# --------------------------------------------------------------------------- queries


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one_line(exc: BaseException) -> str:
    return _clip(str(exc)) or type(exc).__name__


def _syntax_message(exc: SyntaxError) -> str:
    text = " ".join(str(exc).split())
    # Oxigraph lists Unicode character classes among what it expected: noise here.
    text = re.sub(r",? ?(?<![\"'])\[[^\]]*\]", "", text).replace("one of , ", "one of ")
    match = re.match(r"error at (\d+):(\d+): (.*)", text)
    where, detail = (f" at line {match[1]}, column {match[2]}", match[3]) if match else ("", text)
    if "Prefix not found" in detail:
        detail = "undeclared prefix (add PREFIX name: <IRI>)"
    return _clip(f"SPARQL syntax error{where}: {detail}")


def _is_update(sparql: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate  # slow import; only on failures

    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    try:
        parseUpdate(prologue + sparql)
    except Exception:  # pyparsing's ParseException and whatever a bad token raises
        return False
    return True


@cache
def _parser() -> ox.Store:
    # An empty in-memory store, used only to parse: its results are never
    # iterated, so nothing is evaluated (not even SERVICE calls).
    return ox.Store()


def check_query(
    sparql: str, params: Mapping[str, Term] | None = None
) -> tuple[str, tuple[str, ...]]:
    """Parse a query before it goes anywhere: its kind and SELECT variables.

    The kind is ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT, DESCRIBE).
    The CONTRACT.md prefixes are predeclared.

    Raises:
        QueryError: a syntax error (with line and column), an update, or a
            ``--param`` the query does not select.
    """
    try:
        result = _parser().query(sparql, prefixes=PREFIXES)
    except SyntaxError as exc:
        if _is_update(sparql):
            raise QueryError(
                "query is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, "
                "DROP, CREATE, …) are refused; use `kg load` to change the store"
            ) from None
        raise QueryError(_syntax_message(exc)) from None
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        for name in params or {}:
            if name not in variables:
                raise QueryError(f"--param {name}: the query has no ?{name} in its SELECT clause")
        return "select", variables
    return ("ask" if isinstance(result, ox.QueryBoolean) else "graph"), ()


def _to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if term.type == "uri":
        return ox.NamedNode(term.value)
    if term.type == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    if term.datatype:
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
    return ox.Literal(term.value)


def _from_ox(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        plain = term.language is not None or datatype == XSD_STRING
        return Term("literal", term.value, None if plain else datatype, term.language)
    return Term("triple", str(term))


def _turtle(triples: Iterable[ox.Triple]) -> bytes:
    # A graph is a set: a server's union may repeat a triple once per graph.
    unique = {(str(t.subject), str(t.predicate), str(t.object)): t for t in triples}
    ordered = [unique[key] for key in sorted(unique)]
    return ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


# --------------------------------------------------------------------------- stores


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
_ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


class Store(ABC):
    """A triple store kg loads into and queries; made by :func:`open_store`."""

    #: where the store is, for messages: a folder or the query endpoint's URL
    location: str

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[str, bytes]) -> None:
        """Replace each named graph (IRI → N-Triples) by the given triples.

        Each graph is replaced whole or not at all (embedded: all of them in
        one transaction; remote: one PUT each); an empty value removes it.

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

    def load_ontology(self) -> int:
        """(Re)load the packaged ontology into :data:`ONTOLOGY_GRAPH`; its triple count."""
        from kg.resources import ontology_graph

        data = ontology_graph().serialize(format="nt", encoding="utf-8")
        self.replace_graphs({ONTOLOGY_GRAPH: data})
        return data.count(b"\n")

    def query(self, sparql: str, params: Mapping[str, Term] | None = None) -> QueryResult:
        """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query over the merge of the graphs.

        ``params`` bind variables to terms without touching the query text
        (embedded: SEP-0007 substitution; remote: a trailing VALUES clause).
        The CONTRACT.md prefixes are predeclared.

        Raises:
            QueryError: bad syntax, an update, or a parameter not selected.
            StoreError: the store failed.
        """
        kind, _ = check_query(sparql, params)
        return self._execute(sparql, kind, dict(params or {}))

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


_READ_ATTEMPTS = 6  # waits 0.05 + 0.1 + … + 1.6 s: about 3 s at most


def _is_race(exc: BaseException) -> bool:
    return "Corruption" in str(exc) or "No such file" in str(exc)


def _store_error(path: Path, exc: BaseException) -> StoreError:
    if "lock" in str(exc).lower():
        return StoreError(
            f"store {path} is in use by another process; try again when it has finished"
        )
    return StoreError(f"store {path}: cannot open ({_one_line(exc)})")


class EmbeddedStore(Store):
    """An Oxigraph (RocksDB) store in a folder, opened read-write or read-only."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.location = str(path)
        self.read_only = read_only
        self._store: ox.Store | None = None
        self._closed = False
        try:
            if read_only:
                if not (path / "CURRENT").is_file():
                    raise StoreError(f"no store at {path}; load data first with `kg load`")
                self._read(lambda store: None)
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except (OSError, RuntimeError) as exc:
            raise _store_error(path, exc) from None

    def _read(self, action: Callable[[ox.Store], T]) -> T:
        """Run ``action`` on the store; a reader retries when a writer moved files.

        RocksDB calls a read-only open next to a writer "undefined
        behaviour". In practice a reader may look for a table file that the
        writer's compaction has just replaced ("Corruption: … No such
        file"): transient, so the reader reopens and tries again.
        """
        for attempt in range(_READ_ATTEMPTS):
            if self._closed:
                raise StoreError(f"store {self.path} is closed")
            try:
                if self._store is None:
                    self._store = ox.Store.read_only(str(self.path))
                return action(self._store)
            except (OSError, RuntimeError) as exc:
                if not (self.read_only and _is_race(exc)):
                    raise
                logger.debug("store %s changed under a reader (%s); retrying", self.path, exc)
                self._store = None
                time.sleep(0.05 * 2**attempt)
        raise StoreError(
            f"store {self.path} kept changing while being read by kg (another "
            "process is writing to it); try again"
        )

    def close(self) -> None:
        if self._store is not None and not self.read_only:
            # Write the memtable out: readers replay the write-ahead log at
            # every open, and it only grows until a flush.
            try:
                self._store.flush()
            except OSError as exc:
                logger.warning("store %s: flush failed (%s)", self.path, exc)
        # Dropping the last reference closes RocksDB and releases its lock.
        self._store = None
        self._closed = True

    def replace_graphs(self, graphs: Mapping[str, bytes]) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        operations: list[str] = []
        blocks: list[str] = []
        merged: list[str] = []
        for iri, data in graphs.items():
            try:
                name = str(ox.NamedNode(iri))
                # Fresh blank nodes per graph, so two graphs never share one.
                quads = ox.parse(data, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True)
                lines = [f"{q.subject} {q.predicate} {q.object} ." for q in quads]
            except (ValueError, SyntaxError) as exc:
                raise StoreError(f"graph <{iri}>: {_one_line(exc)}") from None
            # The default graph is the merge of the named graphs: take out what
            # only this graph says, before the graph itself goes.
            operations.append(
                f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {name}) }} }}"
            )
            operations.append(f"DROP SILENT GRAPH {name}")
            if lines:
                blocks.append(f"GRAPH {name} {{\n" + "\n".join(lines) + "\n}")
                merged += lines
        if blocks:
            operations.append("INSERT DATA {\n" + "\n".join([*merged, *blocks]) + "\n}")
        if not operations:
            return
        try:
            # One update is one transaction: every graph is replaced, or none.
            self._read(lambda store: store.update(" ;\n".join(operations)))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"store {self.path}: load failed ({_one_line(exc)})") from None

    def _execute(self, sparql: str, kind: str, params: Mapping[str, Term]) -> QueryResult:
        substitutions = {ox.Variable(k): _to_ox(v) for k, v in params.items()} or None

        def run(store: ox.Store) -> QueryResult:
            # Results are read to the end in here, so that a retry covers them.
            result = store.query(sparql, prefixes=PREFIXES, substitutions=substitutions)
            if isinstance(result, ox.QueryBoolean):
                return QueryResult(boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                names = tuple(v.value for v in result.variables)
                rows = tuple(
                    {n: _from_ox(sol[n]) for n in names if sol[n] is not None} for sol in result
                )
                return QueryResult(variables=names, rows=rows)
            return QueryResult(turtle=_turtle(result))

        try:
            return self._read(run)
        except (OSError, RuntimeError, ValueError) as exc:
            raise StoreError(f"store {self.path}: query failed ({_one_line(exc)})") from None

    def _quads(self) -> list[ox.Quad]:
        def named(store: ox.Store) -> list[ox.Quad]:
            return [q for q in store if not isinstance(q.graph_name, ox.DefaultGraph)]

        try:
            return self._read(named)
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"store {self.path}: export failed ({_one_line(exc)})") from None


def _safe_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return (
        urllib.parse.urlunsplit(parts._replace(netloc=parts.hostname or ""))
        if parts.username or parts.password
        else url
    )


def _endpoint_urls(endpoint: str) -> tuple[str, str]:
    """The query URL and the default Graph Store URL for an --endpoint.

    ``http://host:7878`` or ``http://host:7878/query`` (Oxigraph's layout)
    give ``…/query`` and ``…/store``; ``…/sparql`` counts as a query URL too.
    """
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise StoreError(f"endpoint {endpoint}: not an http(s) URL")
    path = parts.path.rstrip("/")
    if path.endswith(("/query", "/sparql")):
        base = path.rsplit("/", 1)[0]
        query_path = path
    else:
        base, query_path = path, path + "/query"
    query_url = urllib.parse.urlunsplit(parts._replace(path=query_path))
    return query_url, urllib.parse.urlunsplit(parts._replace(path=base + "/store", query=""))


class RemoteStore(Store):
    """A SPARQL 1.1 server: Protocol for queries, Graph Store HTTP Protocol for loads."""

    def __init__(
        self,
        endpoint: str,
        *,
        graph_store: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.query_url, default_graph_store = _endpoint_urls(endpoint)
        self.graph_store_url = graph_store or default_graph_store
        self.location = _safe_url(self.query_url)
        self.timeout = timeout
        self._auth: str | None = None
        if user is not None:
            pair = f"{user or ''}:{password or ''}".encode()
            self._auth = "Basic " + base64.b64encode(pair).decode("ascii")

    def _request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        allow: tuple[int, ...] = (),
    ) -> tuple[bytes, str]:
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
        if self._auth:
            request.add_header("Authorization", self._auth)
        where = f"{method} {_safe_url(url)}"
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            if exc.code in allow:
                return b"", ""
            detail = " ".join(exc.read(300).decode("utf-8", "replace").split())
            hint = (
                " (check --user/--password or KG_ENDPOINT_USER/KG_ENDPOINT_PASSWORD)"
                if exc.code in (401, 403)
                else ""
            )
            raise StoreError(
                f"{where}: HTTP {exc.code} {exc.reason}{hint}" + (f": {detail}" if detail else "")
            ) from None
        except TimeoutError:
            raise StoreError(f"{where}: no answer within {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise StoreError(f"{where}: no answer within {self.timeout:g} s") from None
            raise StoreError(f"{where}: cannot connect ({exc.reason})") from None
        except OSError as exc:
            raise StoreError(f"{where}: connection failed ({_one_line(exc)})") from None

    def _graph_url(self, iri: str) -> str:
        joiner = "&" if "?" in self.graph_store_url else "?"
        return f"{self.graph_store_url}{joiner}graph={urllib.parse.quote(iri, safe='')}"

    def replace_graphs(self, graphs: Mapping[str, bytes]) -> None:
        # One PUT per graph: the server replaces each graph atomically.
        for iri, data in graphs.items():
            if data.strip():
                self._request(
                    "PUT", self._graph_url(iri), data, {"Content-Type": "application/n-triples"}
                )
            else:
                self._request("DELETE", self._graph_url(iri), allow=(404,))

    def _execute(self, sparql: str, kind: str, params: Mapping[str, Term]) -> QueryResult:
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
        text = f"{prologue}{sparql}\n{values_clause(params)}"
        accept = "application/n-triples" if kind == "graph" else "application/sparql-results+json"
        body, ctype = self._request(
            "POST",
            self.query_url,
            text.encode("utf-8"),
            {"Content-Type": "application/sparql-query", "Accept": accept},
        )
        where = f"POST {self.location}"
        if kind == "graph":
            try:
                return QueryResult(
                    turtle=_turtle(q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
                )
            except SyntaxError as exc:
                raise StoreError(f"{where}: answer is not N-Triples ({_one_line(exc)})") from None
        try:
            doc = json.loads(body)
            if kind == "ask":
                return QueryResult(boolean=bool(doc["boolean"]))
            names = tuple(doc["head"]["vars"])
            rows = tuple(
                {k: Term.from_json(v) for k, v in b.items()} for b in doc["results"]["bindings"]
            )
        except (ValueError, KeyError, TypeError):
            raise StoreError(
                f"{where}: answer is not SPARQL JSON results (Content-Type {ctype or 'none'})"
            ) from None
        return QueryResult(variables=names, rows=rows)

    def _quads(self) -> list[ox.Quad]:
        return [
            ox.Quad(_to_ox(r["s"]), _to_ox(r["p"]), _to_ox(r["o"]), _to_ox(r["g"]))
            for r in self.query(_ALL_QUADS).rows
        ]


def open_store(
    store_dir: Path | str | None = None,
    endpoint: str | None = None,
    *,
    read_only: bool = False,
    user: str | None = None,
    password: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    graph_store: str | None = None,
) -> Store:
    """Open the embedded store (``store_dir``, else :func:`kg.settings.default_store`)
    or a remote one (``endpoint``).

    Remote: ``user``/``password`` default to ``$KG_ENDPOINT_USER`` /
    ``$KG_ENDPOINT_PASSWORD``; ``graph_store`` defaults to the endpoint's
    ``/store`` (Oxigraph's layout; Fuseki's is ``/data``); ``timeout``
    (seconds) bounds every HTTP call. Embedded: ``read_only`` opens without
    taking the lock (for queries); ``timeout`` does not apply.

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
            timeout=timeout,
            user=user if user is not None else os.environ.get("KG_ENDPOINT_USER"),
            password=password if password is not None else os.environ.get("KG_ENDPOINT_PASSWORD"),
        )
    path = Path(store_dir) if store_dir is not None else default_store()
    return EmbeddedStore(path, read_only=read_only)
