"""SPARQL checked before it reaches a store, and RDF terms between pyoxigraph and kg.query."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

import pyoxigraph as ox

from kg.errors import QueryError, printable
from kg.prefixes import PREFIXES
from kg.query import XSD_STRING, Term

__all__ = ["check_query", "clip", "from_ox", "one_line", "printable", "to_ox", "turtle"]


def clip(text: str, limit: int = 300) -> str:
    """``text`` on one printable line, at most ``limit`` characters."""
    text = " ".join(printable(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(exc: BaseException) -> str:
    """An exception's message on one short line (its class name if it has none)."""
    return clip(str(exc)) or type(exc).__name__


def _syntax_message(exc: SyntaxError) -> str:
    text = " ".join(str(exc).split())
    # Oxigraph lists Unicode character classes among what it expected: noise here.
    text = re.sub(r",? ?(?<![\"'])\[[^\]]*\]", "", text).replace("one of , ", "one of ")
    match = re.match(r"error at (\d+):(\d+): (.*)", text)
    where, detail = (f" at line {match[1]}, column {match[2]}", match[3]) if match else ("", text)
    if "Prefix not found" in detail:
        detail = "undeclared prefix (add PREFIX name: <IRI>)"
    return clip(f"SPARQL syntax error{where}: {detail}")


# SPARQL tokens, enough to find keywords outside strings, IRIs and comments.
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
    |(?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][^\s{}()<>,;.=!|&+*/^"'\[\]\#-]+)
    |(?P<word>[^\s{}()<>,;=!|&+*/^"'\[\]\#?$:]*:[^\s{}()<>,;=!|&+*/^"'\[\]\#]*
        |[A-Za-z_][A-Za-z0-9_-]*)
    |(?P<other>\S)""",
    re.VERBOSE | re.DOTALL,
)
_UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
_PROLOGUE_WORDS = frozenset({"PREFIX", "BASE"})


def _keywords(sparql: str) -> list[re.Match[str]]:
    """The bare words of a query (keywords, not prefixed names), in order."""
    return [m for m in _TOKEN.finditer(sparql) if m.lastgroup == "word" and ":" not in m[0]]


def _first_keyword(sparql: str) -> str | None:
    """The first keyword after the prologue (PREFIX and BASE declarations)."""
    tokens = [m for m in _TOKEN.finditer(sparql) if m.lastgroup != "comment"]
    i = 0
    while i < len(tokens) and tokens[i][0].upper() in _PROLOGUE_WORDS:
        i += 3 if tokens[i][0].upper() == "PREFIX" else 2
    return tokens[i][0].upper() if i < len(tokens) and tokens[i].lastgroup == "word" else None


def _services(sparql: str) -> list[tuple[int, int]]:
    """Spans of each ``SERVICE`` (with its ``SILENT``) in the query."""
    words = _keywords(sparql)
    spans = []
    for i, m in enumerate(words):
        if m[0].upper() == "SERVICE":
            end = m.end()
            if i + 1 < len(words) and words[i + 1][0].upper() == "SILENT":
                end = words[i + 1].end()
            spans.append((m.start(), end))
    return spans


def _without_services(sparql: str, spans: list[tuple[int, int]]) -> str:
    """The query with each ``SERVICE [SILENT]`` read as ``GRAPH``: the same grammar,
    so parsing it checks the syntax, and nothing can be fetched."""
    for start, end in reversed(spans):
        sparql = sparql[:start] + "GRAPH" + sparql[end:]
    return sparql


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


_UPDATE_REFUSED = (
    "query is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, "
    "DROP, CREATE, …) are refused; use `kg load` to change the store"
)


def check_query(
    sparql: str, params: Mapping[str, Term] | None = None, *, allow_service: bool = False
) -> tuple[str, tuple[str, ...]]:
    """Parse a query before it goes anywhere: its kind and SELECT variables.

    The kind is ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT, DESCRIBE).
    The CONTRACT.md prefixes are predeclared. Because updates are refused
    here, every query that reaches a store is read-only, which is what lets
    a remote store send it again after a transient failure. A ``SERVICE``
    clause (which makes the store fetch from any URL) is refused unless
    ``allow_service``; either way the check itself sends nothing anywhere.

    Raises:
        QueryError: a syntax error (with line and column), an update, a
            SERVICE clause not allowed, or a ``--param`` the query does not
            select.
    """
    if _first_keyword(sparql) in _UPDATE_WORDS:
        raise QueryError(_UPDATE_REFUSED)
    services = _services(sparql)
    if services and not allow_service:
        raise QueryError(
            "SERVICE clauses are refused: they make the store fetch from other "
            "servers; pass --allow-service to run them"
        )
    try:
        # Read as GRAPH, a SERVICE clause parses the same and fetches nothing.
        result = _parser().query(_without_services(sparql, services), prefixes=PREFIXES)
    except SyntaxError as exc:
        if _is_update(sparql):
            raise QueryError(_UPDATE_REFUSED) from None
        raise QueryError(_syntax_message(exc)) from None
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        for name in params or {}:
            if name not in variables:
                raise QueryError(f"--param {name}: the query has no ?{name} in its SELECT clause")
        return "select", variables
    return ("ask" if isinstance(result, ox.QueryBoolean) else "graph"), ()


def to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A kg.query Term as a pyoxigraph term."""
    if term.type == "uri":
        return ox.NamedNode(term.value)
    if term.type == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    if term.datatype:
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
    return ox.Literal(term.value)


def from_ox(term: object) -> Term:
    """A pyoxigraph term as a kg.query Term (plain strings carry no datatype)."""
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        plain = term.language is not None or datatype == XSD_STRING
        return Term("literal", term.value, None if plain else datatype, term.language)
    return Term("triple", str(term))


def turtle(triples: Iterable[ox.Triple]) -> bytes:
    """Sorted Turtle with the CONTRACT.md prefixes, each triple once."""
    # A graph is a set: a server's union may repeat a triple once per graph.
    unique = {(str(t.subject), str(t.predicate), str(t.object)): t for t in triples}
    ordered = [unique[key] for key in sorted(unique)]
    return ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
