"""Deterministic serialisation: sorted N-Triples, N-Quads and Turtle.

A run keeps each article's graph as sorted N-Triples (compact bytes, cheap to
merge); Turtle is written from them by pyoxigraph (about 6× faster than
rdflib's writer), in subject order, so the same triples give the same bytes.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph

from kg.vocab import PREFIXES

_NAMESPACES = {p: b"<" + ns.encode() for p, ns in PREFIXES.items()}


def to_turtle(graph: Graph) -> bytes:
    """Turtle with the contract's prefixes; the same graph always gives the same bytes."""
    return turtle_from_ntriples(to_ntriples(graph))


def turtle_from_ntriples(data: bytes) -> bytes:
    """Sorted N-Triples as Turtle: one block per subject, prefixes sorted, a blank line
    between blocks."""
    used = {p: ns for p, ns in PREFIXES.items() if b"<" + ns.encode() in data}
    body = ox.serialize(
        ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=used
    )
    # Literals never hold a raw line break (Turtle escapes it), so every line is
    # structural: drop oxigraph's own header, indent with spaces, and end each
    # block (a line ending " .") with a blank line.
    lines = [line for line in body.split(b"\n") if line and not line.startswith(b"@prefix ")]
    head = [f"@prefix {p}: <{ns}> .".encode() for p, ns in sorted(used.items())]
    text = b"\n".join(_layout(line) for line in lines)
    return (
        b"\n".join(head) + (b"\n\n" if head else b"") + text.rstrip(b"\n") + b"\n" if lines else b""
    )


def trig_from_nquads(data: bytes) -> bytes:
    """Sorted N-Quads as TriG: one block per named graph, the contract's prefixes."""
    used = {p: ns for p, ns in PREFIXES.items() if b"<" + ns.encode() in data}
    quads = ox.parse(data, format=ox.RdfFormat.N_QUADS)
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=used) if data else b""


def jsonld_from_ntriples(data: bytes) -> bytes:
    """Sorted N-Triples as expanded JSON-LD (no remote context: readable offline)."""
    return _jsonld(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))


def jsonld_from_nquads(data: bytes) -> bytes:
    """Sorted N-Quads as expanded JSON-LD, one ``@graph`` per named graph."""
    return _jsonld(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def _jsonld(quads: Iterable[ox.Quad]) -> bytes:
    import json

    doc = json.loads(ox.serialize(quads, format=ox.RdfFormat.JSON_LD) or b"[]")
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode()


def _layout(line: bytes) -> bytes:
    if line.startswith(b"\t"):
        line = b"    " + line[1:]
        if b'"' not in line:  # IRIs hold no spaces: one object per line
            line = line.replace(b" , ", b" ,\n        ")
    return line + b"\n" if line.endswith(b" .") else line


class TripleLines:
    """Collects graphs' sorted N-Triples as one sorted set of lines: each triple kept once
    (past a bound, sorted runs go to disk: :class:`kg.sortlines.SortedLines`)."""

    unique = True

    def __init__(self, folder: str | None = None) -> None:
        from kg.sortlines import SortedLines

        self.lines = SortedLines(folder, unique=self.unique)
        #: the contract's prefixes whose namespace some line uses (for Turtle's header)
        self.used: set[str] = set()

    def _lines_of(self, name: str, data: bytes) -> Iterable[bytes]:
        return data.split(b"\n")

    def add(self, name: str, data: bytes) -> None:
        """Take the N-Triples of the graph named ``name`` (a triple has no graph here)."""
        self.used.update(p for p, ns in _NAMESPACES.items() if ns in data and p not in self.used)
        self.lines.extend(line for line in self._lines_of(name, data) if line)

    def ntriples(self) -> bytes:
        """The union, sorted, as bytes; the collector is emptied."""
        return b"".join(line + b"\n" for line in self.lines.merged())

    def write(self, fmt: str, out: BinaryIO) -> None:
        """Write the union as ``nt`` or ``turtle`` to ``out``, a block at a time."""
        if fmt == "turtle":
            write_turtle(self.lines.merged(), {p: PREFIXES[p] for p in self.used}, out)
        else:
            for line in self.lines.merged():
                out.write(line + b"\n")


class QuadLines(TripleLines):
    """Collects graphs' N-Triples as N-Quad lines, each graph's triples in its graph."""

    unique = False  # a graph's triples are unique, and graphs differ

    def _lines_of(self, name: str, data: bytes) -> Iterable[bytes]:
        suffix = f" <{name}> .".encode()
        return (line[:-1].rstrip() + suffix for line in data.split(b"\n") if line)

    def nquads(self) -> bytes:
        """Every quad, sorted; the collector is emptied."""
        return self.ntriples()

    def write(self, fmt: str, out: BinaryIO) -> None:
        """Write every quad, sorted, to ``out``."""
        for line in self.lines.merged():
            out.write(line + b"\n")


#: Lines of N-Triples turned into Turtle at once: whole subjects, about this many lines.
TURTLE_CHUNK = 20_000


def write_turtle(lines: Iterable[bytes], used: Mapping[str, str], out: BinaryIO) -> None:
    """Sorted N-Triples lines as Turtle on ``out``: the bytes :func:`turtle_from_ntriples`
    gives for their whole, written a few thousand subjects at a time.

    A subject's triples are contiguous in sorted lines and oxigraph writes one
    block per subject, so blocks of whole subjects serialised apart join into
    the same text.
    """
    head = [f"@prefix {p}: <{ns}> .".encode() for p, ns in sorted(used.items())]
    first = True
    trailing = b""
    for chunk in _subject_chunks(lines, TURTLE_CHUNK):
        body = ox.serialize(
            ox.parse(b"\n".join(chunk) + b"\n", format=ox.RdfFormat.N_TRIPLES),
            format=ox.RdfFormat.TURTLE,
            prefixes=dict(used),
        )
        for line in body.split(b"\n"):
            if not line or line.startswith(b"@prefix "):
                continue
            if first:
                out.write(b"\n".join(head) + (b"\n\n" if head else b""))
                first = False
            else:
                out.write(trailing + b"\n")
            laid = _layout(line)
            # The last block's blank line is not written: held until a line follows.
            trailing = b"\n" if laid.endswith(b"\n") else b""
            out.write(laid.rstrip(b"\n"))
    if not first:
        out.write(b"\n")


def _subject_chunks(lines: Iterable[bytes], size: int) -> Iterator[list[bytes]]:
    """Lines in runs of about ``size``, each run ending where a subject does."""
    chunk: list[bytes] = []
    for line in lines:
        if len(chunk) >= size and not line.startswith(chunk[-1][: chunk[-1].find(b" ") + 1]):
            yield chunk
            chunk = []
        chunk.append(line)
    if chunk:
        yield chunk


def merge_ntriples(graphs: Mapping[str, bytes]) -> bytes:
    """The union of several graphs' sorted N-Triples, sorted, each triple once."""
    lines = TripleLines()
    for name, data in graphs.items():
        lines.add(name, data)
    return lines.ntriples()


def nquads_from_ntriples(graphs: Mapping[str, bytes]) -> bytes:
    """Sorted N-Quads with each graph's triples in its named graph."""
    quads = QuadLines()
    for name, data in graphs.items():
        quads.add(name, data)
    return quads.nquads()


# Lines are sorted as UTF-8 bytes, never decoded: byte order of UTF-8 is code point
# order, so the result is the same as sorting text, for less time and memory.


def _ntriples_lines(graph: Graph) -> list[bytes]:
    data = graph.serialize(format="nt", encoding="utf-8")
    # split(b"\n"), not splitlines(): literals may hold \x1c-\x1e, \x85 or U+2028.
    return [line for line in data.split(b"\n") if line.strip()]


def to_ntriples(graph: Graph) -> bytes:
    """Sorted N-Triples (one line per triple, diff-friendly)."""
    lines = _ntriples_lines(graph)
    lines.sort()
    return b"\n".join(lines) + b"\n" if lines else b""


def to_nquads(graphs: Iterable[tuple[str, Graph]]) -> bytes:
    """Sorted N-Quads with each article's triples in the article's named graph."""
    return nquads_from_ntriples({name: to_ntriples(graph) for name, graph in graphs})


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` without ever leaving half a file or losing one
    (see :func:`atomic_writer`)."""
    with atomic_writer(path) as fh:
        fh.write(data)


@contextmanager
def atomic_writer(path: str) -> Iterator[BinaryIO]:
    """A file to write ``path`` through, in pieces, without ever leaving half a file.

    A regular file (or a new one) is written through a temporary file next to
    it, renamed into place when the block ends: an error or Ctrl-C leaves the
    old file as it was. A symbolic link is written through (the file it
    points to is replaced, the link stays). A FIFO, a device or a socket is
    opened and written to as it is, never replaced by a regular file. The new
    file gets the old file's permission bits, or those the umask gives a new
    file (not mkstemp's 0600).
    """
    try:
        info: os.stat_result | None = Path(path).stat()  # through links
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory", path)
        # A FIFO or a device (/dev/stdout, a link to a pipe): written through, as
        # it is named (its real path may be no path at all: "pipe:[123]").
        with Path(path).open("wb") as fh:
            yield fh
        return
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), mode)
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
