"""Reading RDF files into named graphs: one graph per article, the rest per file."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

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
    "ntriples_of",
    "split_by_article",
    "too_large_term",
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
    try:
        base = None if name == "-" else file_graph
        for quad in ox.parse(data, format=LOAD_FORMATS[fmt], base_iri=base):
            graph = quad.graph_name
            key = graph.value if isinstance(graph, ox.NamedNode) else file_graph
            groups.setdefault(key, set()).add(
                (str(quad.subject), str(quad.predicate), str(quad.object))
            )
    except SyntaxError as exc:
        raise InputError(name, f"cannot parse {fmt}: {one_line(exc)}") from None
    except MemoryError as exc:  # Oxigraph's parser: "Reached the buffer maximal size"
        raise InputError(name, too_large_term(exc)) from None
    if fmt in ("turtle", "ntriples"):
        triples = groups[file_graph]
        parts = _split(triples)
        groups = {**parts, file_graph: triples.difference(*parts.values())}
    return {iri: _nt(triples) for iri, triples in groups.items()}
