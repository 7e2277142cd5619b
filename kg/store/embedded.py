"""The embedded store: Oxigraph (RocksDB) in a folder, loads in one transaction, one writer.

Locking: a writer holds RocksDB's lock and kg's own (:class:`DirLock`); a
second writer gets "store DIR is in use by another process". Readers open
the store read-only, which takes no lock, so queries work while a load runs
and see the store as it was when they opened it (a reader opening just as
the writer compacts may miss a file, and retries). A writer flushes on close.

Atomicity: :meth:`EmbeddedStore.replace_graphs` parses every graph first,
then applies all of them in one transaction (``Store.extend``, or one SPARQL
update when some are in the store): an error, Ctrl-C or kill -9 leaves the
store as before the call or as after it. Files stream a batch of whole
graphs per transaction (:meth:`EmbeddedStore.load_file`); the first load
into an empty store is built beside it and swapped in (:mod:`kg.store.bulk`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence, Set
from pathlib import Path
from typing import BinaryIO, TypeVar

import pyoxigraph as ox

from kg.errors import StoreError
from kg.prefixes import PREFIXES
from kg.query import QueryResult, Term
from kg.store.atomic import DirLock, commit_whole, exchange, only_store_files
from kg.store.base import LoadedFile, Store
from kg.store.bulk import first_load
from kg.store.sparql import from_ox, one_line, to_ox, turtle
from kg.store.split import TermTooLarge, file_format, names_articles, parse_quads
from kg.store.stream import write_bindings, write_boolean

__all__ = ["EmbeddedStore"]

logger = logging.getLogger(__name__)
T = TypeVar("T")

_READ_ATTEMPTS = 6  # waits 0.05 + 0.1 + … + 1.6 s: about 3 s at most


def _is_race(exc: BaseException) -> bool:
    return "Corruption" in str(exc) or "No such file" in str(exc)


#: Quads per transaction when an N-Quads or TriG file streams in (a graph is
#: never cut: a batch ends at the first graph boundary past this many).
LOAD_BATCH = 20_000
#: Quads of one graph written in one transaction; a bigger graph is written in
#: pieces of this size (memory stays bounded; an interrupt may leave part of it).
GRAPH_PIECE = 50_000
#: Quads loaded between flushes of RocksDB's memtables to disk (memory stays flat).
FLUSH_EVERY = 100_000


def _store_error(path: Path, exc: BaseException) -> StoreError:
    if "lock" in str(exc).lower():
        return StoreError(
            f"store {path} is in use by another process; try again when it has finished"
        )
    return StoreError(f"store {path}: cannot open ({one_line(exc)})")


class EmbeddedStore(Store):
    """An Oxigraph (RocksDB) store in a folder, opened read-write or read-only.

    The store keeps its real default graph equal to the merge of the named
    graphs, updated in the same transaction as each graph it replaces, and
    queries it as is: Oxigraph's union default graph repeats a triple once
    per graph that holds it (see :mod:`kg.store`).
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.location = str(path)
        self.read_only = read_only
        self._store: ox.Store | None = None
        self._lock: DirLock | None = None
        self._closed = False
        try:
            if read_only:
                if not (path / "CURRENT").is_file():
                    raise StoreError(f"no store at {path}; load data first with `kg load`")
                self._read(lambda store: None)
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._lock = DirLock(path)
                self._store = ox.Store(str(path))
        except (OSError, RuntimeError) as exc:
            self._release()
            raise _store_error(path, exc) from None
        except StoreError:
            self._release()
            raise

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

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
        self._release()
        self._closed = True

    def load_files(
        self,
        paths: Sequence[Path],
        fmt: str | None = None,
        on_file: Callable[[LoadedFile], None] | None = None,
    ) -> list[LoadedFile]:
        """As :meth:`Store.load_files`; into an empty store at bulk speed (:mod:`kg.store.bulk`)."""
        loaded = None
        if not self.read_only and self._is_empty() and only_store_files(self.path):
            from kg.store.base import ONTOLOGY_GRAPH, ontology_ntriples

            loaded = first_load(
                self.path, paths, fmt, (ONTOLOGY_GRAPH, ontology_ntriples()), self._swap_in
            )
        if loaded is None:
            return super().load_files(paths, fmt, on_file)
        self.graphs_written += 1 + sum(len(f.counts) for f in loaded)
        for each in loaded if on_file is not None else ():
            on_file(each)
        return loaded

    def _is_empty(self) -> bool:
        return self._read(lambda store: next(iter(store), None) is None)

    def _swap_in(self, folder: Path) -> None:
        """Put the store built in ``folder`` in place of this (empty) one, whole."""
        with commit_whole():
            self._store = None  # RocksDB closed; our DirLock still keeps writers out
            try:
                exchange(folder, self.path)
            finally:
                self._store = ox.Store(str(self.path))

    def replace_graphs(self, graphs: Mapping[str, bytes]) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        # Everything is parsed before the store is touched: a graph that does
        # not parse, wherever it comes, fails the call with nothing changed.
        parsed: dict[ox.NamedNode, list[ox.Quad]] = {}
        for iri, data in graphs.items():
            try:
                # Fresh blank nodes per graph, so two graphs never share one.
                parsed[ox.NamedNode(iri)] = list(
                    ox.parse(data, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True)
                )
            except (ValueError, SyntaxError) as exc:
                raise StoreError(f"graph <{iri}>: {one_line(exc)}") from None
        if not parsed:
            return
        try:
            # Both paths are one transaction: every graph is replaced, or none.
            with commit_whole():
                if any(self._holds(g) for g in parsed):
                    self._replace(parsed)
                else:
                    self._add(parsed)
                self.graphs_written += len(graphs)
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"store {self.path}: load failed ({one_line(exc)})") from None

    def load_file(self, path: Path, fmt: str | None = None) -> dict[str, int]:
        """Load an RDF file; N-Quads, TriG, and Turtle or N-Triples that name no
        article stream (see :meth:`_load_quads`)."""
        fmt = file_format(path, fmt)
        if str(path) == "-" or self.read_only:
            return super().load_file(path, fmt)
        return self._load_quads(path, fmt)

    def _load_quads(self, path: Path, fmt: str) -> dict[str, int]:
        """Load a file with memory bounded by :data:`LOAD_BATCH` and :data:`GRAPH_PIECE`.

        The file is parsed twice: once to check it (a file that does not parse
        loads nothing; Turtle or N-Triples that names a schema:NewsArticle is
        split by article in memory instead, :meth:`Store.load_file`), then to
        load it a batch of whole graphs per transaction. Each graph is replaced
        whole, in one transaction, when the file holds its quads together (kg
        export writes them so) and they are fewer than :data:`GRAPH_PIECE`; a
        graph met again further on, or the rest of a bigger one, has those
        quads added in a later transaction. An interrupt or kill between
        batches leaves the graphs before it replaced and the rest as they were
        (a big graph in part); loading again finishes the job.
        """
        name = str(path)
        file_graph = ox.NamedNode(path.resolve().as_uri())
        long_lines = False
        try:
            # the whole file parses, or InputError before anything is written
            if names_articles(parse_quads(path, fmt, file_graph.value), fmt):
                return super().load_file(path, fmt)
        except TermTooLarge:
            if fmt not in ("ntriples", "nquads"):
                raise
            long_lines = True  # a literal over Oxigraph's limit: read line by line
            if names_articles(parse_quads(path, fmt, file_graph.value, long_lines=True), fmt):
                return super().load_file(path, fmt)
        counts: dict[str, int] = {file_graph.value: 0}
        written: set[ox.NamedNode] = set()
        batch: dict[ox.NamedNode, list[ox.Quad]] = {}
        size = 0
        unflushed = 0
        for quad in parse_quads(path, fmt, file_graph.value, long_lines=long_lines):
            graph = quad.graph_name if isinstance(quad.graph_name, ox.NamedNode) else file_graph
            if size >= LOAD_BATCH and (graph not in batch or size >= GRAPH_PIECE):
                self._write_batch(batch, written)
                # a graph cut here goes on in the next batch: until then it is in part
                self.graph_in_pieces = graph.value if graph in batch else None
                unflushed += size
                batch, size = {}, 0
                if unflushed >= FLUSH_EVERY:
                    # RocksDB's memtables grow with every transaction until
                    # flushed (~30 MB per batch): write them out as we go.
                    self._read(lambda store: store.flush())
                    unflushed = 0
            batch.setdefault(graph, []).append(ox.Quad(quad.subject, quad.predicate, quad.object))
            counts[graph.value] = counts.get(graph.value, 0) + 1
            size += 1
        if file_graph not in written:
            batch.setdefault(file_graph, [])  # so that loading again replaces it
        self._write_batch(batch, written)
        self.graph_in_pieces = None
        logger.debug("store %s: %s loaded in %d graphs", self.path, name, len(counts))
        return counts

    def _write_batch(
        self, batch: dict[ox.NamedNode, list[ox.Quad]], written: set[ox.NamedNode]
    ) -> None:
        """One transaction: each graph of ``batch`` replaced, or (if this load already
        replaced it) added to."""
        if not batch:
            return
        try:
            with commit_whole():
                if any(g not in written and self._holds(g) for g in batch):
                    self._replace(batch, keep=written)
                else:
                    self._add(batch)
                self.graphs_written += len(batch.keys() - written)
                written.update(batch)
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"store {self.path}: load failed ({one_line(exc)})") from None

    def _holds(self, graph: ox.NamedNode) -> bool:
        return self._read(lambda store: store.contains_named_graph(graph))

    def _add(self, parsed: Mapping[ox.NamedNode, list[ox.Quad]]) -> None:
        """Graphs the store does not hold yet: their quads, and the same
        triples in the default graph, added in one transaction (Store.extend)."""
        quads: list[ox.Quad] = []
        for name, triples in parsed.items():
            for q in triples:
                quads.append(ox.Quad(q.subject, q.predicate, q.object, name))
                quads.append(q)  # parsed N-Triples are in the default graph
        logger.debug(
            "store %s: adding %d new graphs (%d triples) in one transaction",
            self.path,
            len(parsed),
            len(quads) // 2,
        )
        assert self._store is not None
        self._store.extend(quads)

    def _replace(
        self, parsed: Mapping[ox.NamedNode, list[ox.Quad]], keep: Set[ox.NamedNode] = frozenset()
    ) -> None:
        """Some graphs are in the store already: one SPARQL update replaces them all
        (those in ``keep`` get the triples added, not replaced)."""
        operations: list[str] = []
        blocks: list[str] = []
        merged: list[str] = []
        for name, triples in parsed.items():
            lines = [f"{q.subject} {q.predicate} {q.object} ." for q in triples]
            if name not in keep:
                # The default graph is the merge of the named graphs: take out what
                # only this graph says, before the graph itself goes.
                operations.append(
                    f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} FILTER NOT "
                    f"EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {name}) }} }}"
                )
                operations.append(f"DROP SILENT GRAPH {name}")
            if lines:
                blocks.append(f"GRAPH {name} {{\n" + "\n".join(lines) + "\n}")
                merged += lines
        if blocks:
            operations.append("INSERT DATA {\n" + "\n".join([*merged, *blocks]) + "\n}")
        logger.debug(
            "store %s: replacing %d graphs (%d triples) in one transaction",
            self.path,
            len(parsed),
            len(merged),
        )
        self._read(lambda store: store.update(" ;\n".join(operations)))

    def _execute(self, sparql: str, kind: str, params: Mapping[str, Term]) -> QueryResult:
        substitutions = {ox.Variable(k): to_ox(v) for k, v in params.items()} or None

        def run(store: ox.Store) -> QueryResult:
            # Results are read to the end in here, so that a retry covers them.
            result = store.query(sparql, prefixes=PREFIXES, substitutions=substitutions)
            if isinstance(result, ox.QueryBoolean):
                return QueryResult(boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                names = tuple(v.value for v in result.variables)
                rows = tuple(
                    {n: from_ox(sol[n]) for n in names if sol[n] is not None} for sol in result
                )
                return QueryResult(variables=names, rows=rows)
            return QueryResult(turtle=turtle(result))

        try:
            return self._read(run)
        except (OSError, RuntimeError, ValueError) as exc:
            raise StoreError(f"store {self.path}: query failed ({one_line(exc)})") from None

    def _stream(
        self,
        sparql: str,
        kind: str,
        params: Mapping[str, Term],
        fmt: str,
        out: BinaryIO,
        timeout: float | None,
    ) -> None:
        from kg.store.worker import run_in_child

        run_in_child(self.path, sparql, params, fmt, out, timeout=timeout)

    def write_results(
        self, sparql: str, params: Mapping[str, Term], fmt: str, out: BinaryIO
    ) -> None:
        """Run a checked query here and write its results to ``out`` as they come
        (what the child process of :mod:`kg.store.worker` does)."""
        substitutions = {ox.Variable(k): to_ox(v) for k, v in params.items()} or None

        def run(store: ox.Store) -> None:
            result = store.query(sparql, prefixes=PREFIXES, substitutions=substitutions)
            if isinstance(result, ox.QueryBoolean):
                write_boolean(bool(result), fmt, out)
            elif isinstance(result, ox.QuerySolutions):
                names = tuple(v.value for v in result.variables)
                rows = ({n: from_ox(sol[n]) for n in names if sol[n] is not None} for sol in result)
                write_bindings(names, rows, fmt, out)
            else:
                out.write(turtle(result))

        try:
            # Not retried as _read would: rows may have been written already.
            run(self._read(lambda store: store))
        except (OSError, RuntimeError, ValueError) as exc:
            raise StoreError(f"store {self.path}: query failed ({one_line(exc)})") from None

    def _quads(self) -> list[ox.Quad]:
        def named(store: ox.Store) -> list[ox.Quad]:
            return [q for q in store if not isinstance(q.graph_name, ox.DefaultGraph)]

        try:
            return self._read(named)
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"store {self.path}: export failed ({one_line(exc)})") from None
