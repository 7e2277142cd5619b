"""Reading RDF files into named graphs: one graph per article, the rest per file."""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

if TYPE_CHECKING:
    from rdflib import Graph

from kg.errors import InputError
from kg.prefixes import KG_NS, PROV_NS, RDF_NS, RDFS_NS, SCHEMA_NS, SKOS_NS
from kg.store.sparql import one_line

__all__ = [
    "LOAD_FORMATS",
    "STDIN_GRAPH",
    "file_format",
    "graphs_from_file",
    "graphs_of_nquads",
    "holds_articles",
    "is_article_type",
    "names_articles",
    "ntriples_of",
    "parse_quads",
    "split_by_article",
    "too_large_term",
    "TermTooLarge",
]

STDIN_GRAPH = "urn:kg:stdin"
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
# (plain strings: the query path imports this module and should not load rdflib)
_TYPE, _LABEL, _ALT = f"<{RDF_NS}type>", f"<{RDFS_NS}label>", f"<{SKOS_NS}altLabel>"
_NEWS_ARTICLE, _STATEMENT = f"<{SCHEMA_NS}NewsArticle>", f"<{KG_NS}Statement>"
_DERIVED, _MODALITY, _SOURCE = (
    f"<{PROV_NS}wasDerivedFrom>",
    f"<{KG_NS}modality>",
    f"<{KG_NS}attributedTo>",
)
_SUBJECT, _PREDICATE, _OBJECT = f"<{RDF_NS}subject>", f"<{RDF_NS}predicate>", f"<{RDF_NS}object>"
_PLAIN = frozenset({f"<{KG_NS}Asserted>", f"<{KG_NS}Reported>"})
_DESCRIBE = frozenset({_TYPE, _LABEL, _ALT})


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


def too_large_term(exc: MemoryError) -> str:
    """The problem with a file holding a term (a literal) over Oxigraph's 16 MB limit."""
    return f"a term (literal or IRI) is longer than the parser's limit ({one_line(exc)})"


def ntriples_of(data: bytes, fmt: str, base: str | None = None) -> bytes:
    """Every triple of an RDF document (``fmt`` a key of :data:`LOAD_FORMATS`; the graph
    names of quads dropped) as N-Triples, parsed by Oxigraph: linear in the size of
    literals and in the depth of nesting, where rdflib's Turtle parser is neither.

    Raises:
        SyntaxError: the document does not parse (``lineno`` is its line).
        MemoryError: a term is over the parser's limit (16 MB).
    """
    quads = ox.parse(data, format=LOAD_FORMATS[fmt], base_iri=base)
    return ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""


def _graph() -> Graph:
    from rdflib import Graph

    return Graph(bind_namespaces="none")


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
    return {iri: _graph().parse(data=_nt(part), format="nt") for iri, part in parts.items()}


def _read_input(path: Path) -> bytes:
    try:
        return sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror})") from None


def file_format(path: Path, fmt: str | None = None) -> str:
    """``fmt``, else the format of ``path`` by its suffix (Turtle for ``-``).

    Raises:
        InputError: the format is unknown.
    """
    name = str(path)
    if fmt is None:
        fmt = "turtle" if name == "-" else _SUFFIXES.get(path.suffix.lower())
    if fmt not in LOAD_FORMATS:
        raise InputError(
            name, "unknown RDF format: name it .ttl, .nt, .nq or .trig, or pass --format"
        )
    return fmt


def _group(quads: Iterable[ox.Quad], file_graph: str, groups: dict[str, set[Triple]]) -> None:
    for quad in quads:
        graph = quad.graph_name
        key = graph.value if isinstance(graph, ox.NamedNode) else file_graph
        triple = (str(quad.subject), str(quad.predicate), str(quad.object))
        groups.setdefault(key, set()).add(triple)


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
    fmt = file_format(path, fmt)
    file_graph = STDIN_GRAPH if name == "-" else path.resolve().as_uri()
    data = _read_input(path)
    groups: dict[str, set[Triple]] = {file_graph: set()}
    base = None if name == "-" else file_graph
    try:
        quads: Iterable[ox.Quad] = ox.parse(data, format=LOAD_FORMATS[fmt], base_iri=base)
        _group(quads, file_graph, groups)
    except SyntaxError as exc:
        raise InputError(name, f"cannot parse {fmt}: {one_line(exc)}") from None
    except MemoryError as exc:  # Oxigraph's parser: "Reached the buffer maximal size"
        if name == "-" or fmt not in ("ntriples", "nquads"):
            raise InputError(name, too_large_term(exc)) from None
        groups = {file_graph: set()}
        _group(parse_quads(path, fmt, file_graph, long_lines=True), file_graph, groups)
    if fmt in ("turtle", "ntriples"):
        triples = groups[file_graph]
        parts = _split(triples)
        groups = {**parts, file_graph: triples.difference(*parts.values())}
    return {iri: _nt(triples) for iri, triples in groups.items()}


class TermTooLarge(InputError):
    """A term over Oxigraph's 16 MB limit (in N-Triples and N-Quads, see :func:`parse_quads`)."""


def parse_quads(path: Path, fmt: str, base: str, *, long_lines: bool = False) -> Iterator[ox.Quad]:
    """The quads of a file as Oxigraph parses them, streamed; errors as InputError.

    Oxigraph's parser refuses a term over 16 MB (:class:`TermTooLarge`). With
    ``long_lines``, an N-Triples or N-Quads file is read line by line
    instead, and a literal of any size is cut out of its line before parsing
    (:func:`_long_line`): slower, for files that need it.
    """
    try:
        if long_lines and fmt in ("ntriples", "nquads"):
            yield from _line_by_line(path, fmt, base)
            return
        yield from ox.parse(
            path=str(path), format=LOAD_FORMATS[fmt], base_iri=base, rename_blank_nodes=True
        )
    except SyntaxError as exc:
        raise InputError(str(path), f"cannot parse {fmt}: {one_line(exc)}") from None
    except MemoryError as exc:
        raise TermTooLarge(str(path), too_large_term(exc)) from None
    except OSError as exc:  # Oxigraph's: "No such file or directory (os error 2)"
        why = exc.strerror or re.sub(r" \(os error \d+\)$", "", str(exc))
        raise InputError(str(path), f"cannot read ({why})") from None


#: Lines at least this long are parsed by :func:`_long_line` (Oxigraph's limit is 16 MiB).
LONG_LINE = 8_000_000
_CHUNK = 4_000_000
_ESCAPE = re.compile(rb'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(["\'\\\\tbnrf]))')
_ESCAPED = {b"t": "\t", b"b": "\b", b"n": "\n", b"r": "\r", b"f": "\f"}


def _unescape(body: bytes) -> str:
    """An N-Triples string's text, its escapes replaced, in linear time."""
    parts: list[str] = []
    at = 0
    for match in _ESCAPE.finditer(body):
        parts.append(body[at : match.start()].decode("utf-8"))
        short, long, char = match.groups()
        code = short or long
        parts.append(chr(int(code, 16)) if code else _ESCAPED.get(char, char.decode()))
        at = match.end()
    parts.append(body[at:].decode("utf-8"))
    return "".join(parts)


def _long_line(line: bytes, fmt: str, base: str) -> Iterator[ox.Quad]:
    """The quad of one line whose literal is over Oxigraph's limit: parsed with a short
    stand-in for the literal, which is then put back."""
    start, end = line.find(b'"'), line.rfind(b'"')
    if start < 0 or end <= start:
        raise MemoryError(f"a line of {len(line)} bytes with no literal")
    stand_in = line[:start] + b'"x"' + line[end + 1 :]
    for quad in ox.parse(stand_in, format=LOAD_FORMATS[fmt], base_iri=base):
        short = quad.object
        assert isinstance(short, ox.Literal)
        language = short.language
        value = _unescape(line[start + 1 : end])
        literal = (
            ox.Literal(value, language=language)
            if language
            else (ox.Literal(value, datatype=short.datatype))
        )
        yield ox.Quad(quad.subject, quad.predicate, literal, quad.graph_name)


def _line_by_line(path: Path, fmt: str, base: str) -> Iterator[ox.Quad]:
    """N-Triples or N-Quads read in chunks of whole lines; long lines alone. Blank
    node labels are made unique to this read, as ``rename_blank_nodes`` does."""
    salt = f"k{uuid.uuid4().hex}"

    def renamed(term: Any) -> Any:
        return ox.BlankNode(salt + term.value) if isinstance(term, ox.BlankNode) else term

    def own_blank_nodes(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        for q in quads:
            if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
                q = ox.Quad(renamed(q.subject), q.predicate, renamed(q.object), q.graph_name)
            yield q

    chunk: list[bytes] = []
    size = 0
    with path.open("rb") as lines:
        for line in lines:
            if len(line) < LONG_LINE:
                chunk.append(line)
                size += len(line)
                if size < _CHUNK:
                    continue
            if chunk:
                data = b"".join(chunk)
                yield from own_blank_nodes(ox.parse(data, format=LOAD_FORMATS[fmt], base_iri=base))
                chunk, size = [], 0
            if len(line) >= LONG_LINE:
                yield from own_blank_nodes(_long_line(line, fmt, base))
    if chunk:
        data = b"".join(chunk)
        yield from own_blank_nodes(ox.parse(data, format=LOAD_FORMATS[fmt], base_iri=base))


_RDF_TYPE = ox.NamedNode(f"{RDF_NS}type")
_ARTICLE_CLASS = ox.NamedNode(f"{SCHEMA_NS}NewsArticle")


def is_article_type(quad: ox.Quad) -> bool:
    """Whether ``quad`` makes an IRI a schema:NewsArticle (what :func:`split_by_article`
    splits on)."""
    return (
        quad.object == _ARTICLE_CLASS
        and quad.predicate == _RDF_TYPE
        and isinstance(quad.subject, ox.NamedNode)
    )


def holds_articles(path: Path, fmt: str) -> bool:
    """Whether a Turtle or N-Triples file names a schema:NewsArticle, read as a stream:
    a file without one is all one graph (the file's), which can be loaded in pieces.

    Raises:
        InputError: the file cannot be read or parsed.
    """
    return any(is_article_type(q) for q in parse_quads(path, fmt, path.resolve().as_uri()))


def graphs_of_nquads(path: Path) -> Iterator[bytes]:
    """The graphs of an N-Quads file as N-Triples, streamed: one run of quads of a graph
    at a time (kg export writes each graph's quads together).

    Raises:
        InputError: the file cannot be read or parsed.
    """
    last: object = None
    triples: list[ox.Triple] = []
    for quad in parse_quads(path, "nquads", path.resolve().as_uri()):
        if quad.graph_name != last:
            if triples:
                yield ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            last, triples = quad.graph_name, []
        triples.append(quad.triple)
    if triples:
        yield ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def names_articles(quads: Iterator[ox.Quad], fmt: str) -> bool:
    """Read every quad (so that a bad file fails here); whether Turtle or N-Triples names
    a schema:NewsArticle (and must be split by article, in memory)."""
    if fmt in ("turtle", "ntriples"):
        return any(map(is_article_type, quads))
    for _ in quads:
        pass
    return False
