"""Reading RDF: every format kg writes (Turtle, N-Triples, N-Quads, TriG, JSON-LD), files or stdin.

Used by ``kg validate``, ``kg explain`` and ``kg report``; rdflib and
Oxigraph only, so that none of them loads pySHACL or spaCy to read a graph.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph

from kg.errors import InputError

__all__ = [
    "FORMATS",
    "FORMAT_NAMES",
    "STDIN",
    "format_of",
    "one_line",
    "parse_text",
    "read_graph",
    "read_rdf",
]

STDIN = "-"
# File suffix -> rdflib parser name.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}
# The names users give with --format -> rdflib parser name.
FORMAT_NAMES: dict[str, str] = {
    "turtle": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
}
_QUADS = frozenset({"nquads", "trig", "json-ld"})


def format_of(path: str, fmt: str | None = None) -> str:
    """The rdflib parser for ``path``: ``fmt`` if given, else by suffix; Turtle for stdin.

    Raises:
        InputError: the suffix is not one kg knows and no ``fmt`` was given.
    """
    if fmt:
        return FORMAT_NAMES.get(fmt, fmt)
    if path == STDIN:
        return "turtle"
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        raise InputError(path, f"unknown RDF format {suffix!r}: expected one of {known}")
    return FORMATS[suffix]


# rdflib parser names of the formats Oxigraph parses → kg.store.split's names.
_OXIGRAPH = {"turtle": "turtle", "nt": "ntriples", "nquads": "nquads", "trig": "trig"}


class _Lines:
    """N-Triples text read a whole line at a time: rdflib's N-Triples reader rescans
    its buffer for every 2 KB it reads, which is quadratic in the length of a line
    (a 5 MB literal took minutes); given whole lines, it never rescans."""

    encoding = "utf-8"  # text, not bytes: rdflib reads it as it is

    def __init__(self, text: str) -> None:
        self._text = text
        self._at = 0

    def read(self, size: int = -1) -> str:
        """At least ``size`` characters, and then to the end of the line."""
        start = self._at
        end = self._text.find("\n", start + max(size, 1) - 1) if size >= 0 else -1
        self._at = len(self._text) if end < 0 else end + 1
        return self._text[start : self._at]


def _parse_ntriples(data: bytes, into: Graph) -> None:
    from rdflib.plugins.parsers.ntriples import W3CNTriplesParser

    class Sink:
        def triple(self, s: object, p: object, o: object) -> None:
            into.add((s, p, o))  # type: ignore[arg-type]

    W3CNTriplesParser(Sink()).parse(_Lines(data.decode("utf-8")))  # type: ignore[arg-type]


def parse_text(text: str, fmt: str, base: str, into: Graph) -> None:
    """Parse ``text`` as ``fmt`` into ``into``; named graphs (N-Quads, TriG, JSON-LD) are merged.

    Turtle, N-Triples, N-Quads and TriG are parsed by Oxigraph, as ``kg load``
    parses them, so that whatever loads also validates (literals of any size,
    Turtle nested 10,000 deep), in time linear in the text; rdflib then reads
    the triples as N-Triples. JSON-LD goes through rdflib.

    Raises:
        SyntaxError: Oxigraph cannot parse it (``lineno`` is the line).
        MemoryError: a term is over Oxigraph's 16 MB limit.
    """
    if fmt in _OXIGRAPH:
        from kg.store.split import ntriples_of

        try:
            data = ntriples_of(text.encode("utf-8"), _OXIGRAPH[fmt], base)
        except MemoryError:  # a term over Oxigraph's 16 MB limit
            if fmt != "nt":
                raise
            data = text.encode("utf-8")  # rdflib's reader, given whole lines, is linear too
        _parse_ntriples(data, into)
        return
    if fmt not in _QUADS:
        into.parse(data=text, format=fmt, publicID=base)
        return
    # Quads need a context-aware sink (a plain Graph silently drops them).
    dataset = Dataset()
    with warnings.catch_warnings():
        # rdflib 7.6's own N-Quads parser uses its deprecated default_context.
        warnings.filterwarnings(
            "ignore", message=r"Dataset\.default_context", category=DeprecationWarning
        )
        dataset.parse(data=text, format=fmt, publicID=base)
    into.addN((s, p, o, into) for s, p, o, _graph in dataset.quads())


def one_line(exc: BaseException) -> str:
    """A parser's complaint on one line."""
    why = getattr(exc, "_why", None)
    if isinstance(why, str) and why:
        return why
    text = str(exc).strip()
    return text.splitlines()[0].rstrip(":") if text else type(exc).__name__


def _first_bad_line(text: str, fmt: str) -> tuple[int, str] | None:
    """Line number and parser message of the first line that fails alone.

    N-Triples and N-Quads are line-based, but rdflib's parsers do not say
    where they stopped: find the line by re-parsing line by line.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            parse_text(line + "\n", fmt, "urn:kg:line", Graph(bind_namespaces="none"))
        except Exception as exc:  # any parser error marks the line
            return number, one_line(exc)
    return None


def _read_text(path: str) -> str:
    try:
        if path == STDIN:
            data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else b""
            text = data.decode("utf-8") if data else sys.stdin.read()
            if not text.strip():
                raise InputError("stdin", "empty input")
            return text
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc


def read_rdf(path: str, into: Graph, fmt: str | None = None) -> None:
    """Parse one file (or ``-``, stdin) into ``into``; the format from ``fmt`` or the suffix.

    A file that fails leaves partial triples in ``into``: the caller gets
    the error and must drop the graph.

    Raises:
        InputError: missing, unreadable, unknown format or unparsable; the
            message names the file and, where the parser says, the line.
    """
    parser = format_of(path, fmt)
    text = _read_text(path)
    name = "stdin" if path == STDIN else path
    base = (Path.cwd() / "stdin" if path == STDIN else Path(path).resolve()).as_uri()
    try:
        parse_text(text, parser, base, into)
    except MemoryError as exc:
        from kg.store.split import too_large_term

        raise InputError(name, too_large_term(exc)) from None
    except SyntaxError as exc:  # Oxigraph's: the line, and the message without its place
        place = f"line {exc.lineno}: " if exc.lineno else ""
        why = re.sub(
            r"^Parser error at line \d+ (?:column \d+|between columns \d+ and \d+): ",
            "",
            exc.msg or "",
        )
        why = " ".join(why.split())
        raise InputError(name, f"{place}cannot parse as {parser}: {why}") from None
    except Exception as exc:  # BadSyntax, ParserError, ValueError... all mean bad input
        line = getattr(exc, "lines", None)  # Turtle's BadSyntax: 0-based line
        if isinstance(line, int):
            where, why = line + 1, one_line(exc)
        else:
            found = _first_bad_line(text, parser) if parser in ("nt", "nquads") else None
            where, why = found if found else (None, one_line(exc))
        place = f"line {where}: " if where else ""
        raise InputError(name, f"{place}cannot parse as {parser}: {why}") from exc


def read_graph(paths: Iterable[str | Path], fmt: str | None = None) -> Graph:
    """The union of RDF files (``-`` for stdin) as one rdflib graph."""
    graph = Graph(bind_namespaces="none")
    for path in paths:
        read_rdf(str(path), graph, fmt)
    return graph
