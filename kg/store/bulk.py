"""First loads into an empty embedded store: built beside it at bulk speed, then swapped in whole.

A transaction (``Store.extend``) keeps everything it writes in memory and
writes each quad through RocksDB's log; ``Store.bulk_extend`` writes sorted
table files straight to disk, several times faster, but is not atomic. When
the store holds nothing yet, nothing can be lost by building the new store
apart: :func:`first_load` bulk-writes every file (and the ontology) into a
fresh folder beside the store, ``.NAME.kg-new``, closes it, and exchanges
the two folders in one ``renameat2(RENAME_EXCHANGE)`` (two renames where the
system has no exchange; the old store was empty, so a kill between them
leaves no data behind). Whatever interrupts the build, the store is the old
(empty) one; a re-run clears the half-built folder. The store's writer lock
(:class:`~kg.store.atomic.DirLock`, beside RocksDB's own) is held throughout, so a second
writer gets "in use" until the new store is in place.

The new store holds exactly what a transactional load writes: each quad in
its named graph and in the default graph (the merge, see :mod:`kg.store`),
blank nodes renamed per file, a file's default graph in the graph named
after the file. Anything the fast path cannot give the same meaning to (a
graph that an earlier file of the same load filled, which a transactional
load would replace, or stdin, which cannot be read twice) makes it decline,
and the caller loads transactionally instead.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, StoreError
from kg.store.atomic import staging_dir
from kg.store.base import LoadedFile
from kg.store.split import (
    TermTooLarge,
    file_format,
    graphs_from_file,
    holds_articles,
    parse_quads,
)

__all__ = ["first_load"]

logger = logging.getLogger(__name__)

#: Quads handed to one ``bulk_extend`` call (measured: 100,000 quads a call use
#: 125 MB where one call for everything used 380 MB, at the same speed).
BULK_PIECE = 200_000


def _twice(iri: str, ntriples: bytes) -> Iterator[ox.Quad]:
    """The triples of one graph (N-Triples) in that graph and in the default graph."""
    graph = ox.NamedNode(iri)
    for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True):
        yield ox.Quad(t.subject, t.predicate, t.object, graph)
        yield ox.Quad(t.subject, t.predicate, t.object)


def _file_quads(
    path: Path, fmt: str, index: int, counts: dict[str, int], owner: dict[str, int]
) -> Iterator[ox.Quad]:
    """What a transactional load of ``path`` writes: each quad in its named graph
    (counted per graph in ``counts``) and in the default graph.

    The loop runs once per quad of the file, so it does as little as it can.

    Raises:
        _Decline: a graph that another file (``owner``) filled.
        InputError: the file cannot be read or parsed.
    """
    file_graph = ox.NamedNode(path.resolve().as_uri())
    counts[file_graph.value] = 0
    owner.setdefault(file_graph.value, index)

    def claim(iri: str) -> None:
        if owner.setdefault(iri, index) != index:
            raise _Decline(f"{path} fills <{iri}>, which an earlier file filled")

    if fmt in ("turtle", "ntriples") and holds_articles(path, fmt):
        # split by article in memory, as a transactional load does
        for iri, data in graphs_from_file(path, fmt).items():
            claim(iri)
            counts[iri] = data.count(b"\n")
            yield from _twice(iri, data)
        return
    last: object = None
    key, unnamed = file_graph.value, False
    for quad in parse_quads(path, fmt, file_graph.value):
        graph = quad.graph_name
        if graph != last:
            last, unnamed = graph, isinstance(graph, ox.DefaultGraph)
            key = file_graph.value if unnamed else graph.value  # type: ignore[union-attr]
            claim(key)
        counts[key] = counts.get(key, 0) + 1
        triple = (quad.subject, quad.predicate, quad.object)
        yield ox.Quad(*triple, file_graph) if unnamed else quad
        yield ox.Quad(*triple)


class _Decline(Exception):
    """The fast path cannot give this load the meaning a transactional one has."""


class _FileFailed(Exception):
    """A file of the load cannot be read or parsed (``index`` among the files built)."""

    def __init__(self, index: int, error: InputError) -> None:
        super().__init__(str(error))
        self.index = index
        self.error = error


def _build(
    folder: Path, paths: Sequence[Path], fmt: str | None, ontology: tuple[str, bytes] | None
) -> list[LoadedFile]:
    """Bulk-write the ontology and ``paths`` into a new store at ``folder``.

    Raises:
        _Decline: two files fill the same graph.
        _FileFailed: a file cannot be read or parsed (the folder is then half-built).
    """
    files = [LoadedFile(str(p)) for p in paths]
    owner: dict[str, int] = {}

    def quads() -> Iterator[ox.Quad]:
        if ontology is not None:
            iri, data = ontology
            owner[iri] = -1
            yield from _twice(iri, data)
        for index, (path, loaded) in enumerate(zip(paths, files, strict=True)):
            try:
                yield from _file_quads(path, file_format(path, fmt), index, loaded.counts, owner)
            except TermTooLarge as exc:
                if file_format(path, fmt) in ("ntriples", "nquads"):
                    raise _Decline(f"{path}: {exc.problem}") from None  # read line by line
                raise _FileFailed(index, exc) from None
            except InputError as exc:
                raise _FileFailed(index, exc) from None

    store = ox.Store(str(folder))
    try:
        stream = quads()
        while (first := next(stream, None)) is not None:
            # Oxigraph's bulk loader holds what it is given until it writes a table
            # file: pieces of BULK_PIECE quads keep memory flat (and cost no speed).
            store.bulk_extend(itertools.chain([first], itertools.islice(stream, BULK_PIECE - 1)))
        store.flush()
    finally:
        del store  # closes RocksDB: the folder can be moved
    return files


def first_load(
    path: Path,
    paths: Sequence[Path],
    fmt: str | None,
    ontology: tuple[str, bytes] | None,
    swap: Callable[[Path], None],
) -> list[LoadedFile] | None:
    """Load ``ontology`` (graph IRI, N-Triples) and ``paths`` into a new store built
    beside the empty store at ``path``; ``swap(folder)`` puts it in place (the caller
    closes its own handle, calls :func:`exchange`, and reopens). Files that fail are
    left out, each with its error. None if the fast path declines (nothing changed).

    Raises:
        StoreError: the new store could not be written or moved into place.
    """
    if any(str(p) == "-" for p in paths):
        return None
    folder = staging_dir(path)
    left_out: dict[int, InputError] = {}
    logger.debug("store %s is empty: building the new store in %s", path, folder)
    try:
        while True:
            shutil.rmtree(folder, ignore_errors=True)
            kept = [i for i in range(len(paths)) if i not in left_out]
            try:
                built = _build(folder, [paths[i] for i in kept], fmt, ontology)
            except _FileFailed as failed:
                # Rare: build again without that file (bulk writes cannot be undone).
                left_out[kept[failed.index]] = failed.error
                continue
            except _Decline as why:
                logger.info("store %s: a transactional load instead (%s)", path, why)
                return None
            break
        logger.debug("store %s: new store built in %s; moving it into place", path, folder)
        swap(folder)
    except OSError as exc:
        raise StoreError(f"store {path}: load failed ({exc.strerror or exc})") from None
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(folder)  # the half-built store, or the old empty one
    by_index = dict(zip(kept, built, strict=True))
    return [by_index.get(i) or LoadedFile(str(p), error=left_out[i]) for i, p in enumerate(paths)]
