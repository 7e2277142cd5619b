"""Query parameters: ``--param`` values read as typed RDF terms, bound into the query text.

A value is never pasted into SPARQL: it becomes an escaped term in a
VALUES block at the top of the query's WHERE group, so any variable of the
query can be bound and a FILTER of the group sees it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kg.errors import QueryError
from kg.prefixes import PREFIXES
from kg.query import CURIE, VARNAME, XSD, Term

__all__ = ["bind_params", "parse_param", "parse_value", "values_clause"]

_INTEGER = re.compile(r"[+-]?\d+\Z")
_DECIMAL = re.compile(r"[+-]?(?:\d+\.\d*|\.\d+)\Z")
_DOUBLE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+\Z")
_DATE = re.compile(r"-?\d{4}-\d\d-\d\d(?:Z|[+-]\d\d:\d\d)?\Z")
_DATETIME = re.compile(r"-?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?\Z")
_LITERAL = re.compile(
    r'"(?P<text>.*)"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<dt>\S+))?\Z', re.S
)


def parse_value(value: str) -> Term:
    """A ``--param`` value as an RDF term, typed the way SPARQL would read it.

    ``<iri>`` and ``prefix:name`` (a CONTRACT.md prefix) are IRIs; ``42`` an
    xsd:integer, ``0.8`` an xsd:decimal, ``1e3`` an xsd:double, ``true`` /
    ``false`` xsd:boolean, ``2020-01-19`` an xsd:date,
    ``2020-01-19T10:00:00Z`` an xsd:dateTime; ``"text"@en`` a
    language-tagged string, ``"2020"^^xsd:gYear`` a typed literal,
    ``"0.8"`` the string; anything else a plain string.
    """
    if value.startswith("<") and value.endswith(">"):
        return Term.iri(value[1:-1])
    quoted = _LITERAL.match(value)
    if quoted:
        text, lang, dt = quoted["text"], quoted["lang"], quoted["dt"]
        if lang:
            return Term("literal", text, lang=lang.lower())
        if dt:
            return Term("literal", text, datatype=_datatype(dt))
        return Term("literal", text)
    curie = CURIE.match(value)
    if curie and curie.group(1) in PREFIXES:
        return Term("uri", PREFIXES[curie.group(1)] + curie.group(2))
    for pattern, datatype in (
        (_INTEGER, "integer"),
        (_DECIMAL, "decimal"),
        (_DOUBLE, "double"),
        (_DATE, "date"),
        (_DATETIME, "dateTime"),
    ):
        if pattern.match(value):
            return Term("literal", value, datatype=XSD + datatype)
    if value in ("true", "false"):
        return Term("literal", value, datatype=XSD + "boolean")
    return Term("literal", value)


def _datatype(text: str) -> str:
    if text.startswith("<") and text.endswith(">"):
        return Term.iri(text[1:-1]).value
    curie = CURIE.match(text)
    if curie and curie.group(1) in PREFIXES:
        return PREFIXES[curie.group(1)] + curie.group(2)
    raise QueryError(f"unknown datatype {text!r}: use <IRI> or a kg prefix (xsd:date)")


def parse_param(text: str) -> tuple[str, Term]:
    """``name=value`` from ``--param`` → (variable name, term); see :func:`parse_value`."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not VARNAME.match(name):
        raise QueryError(f"--param {text!r}: expected NAME=VALUE with NAME a SPARQL variable name")
    return name, parse_value(value)


def _skip_token(text: str, i: int) -> int:
    """The index after a comment, string or IRI starting at ``i`` (else ``i``)."""
    c = text[i]
    if c == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if c in "\"'":
        quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
        j = i + len(quote)
        while j < len(text):
            if text[j] == "\\":
                j += 2
                continue
            if text.startswith(quote, j):
                return j + len(quote)
            j += 1
        return len(text)
    if c == "<":
        m = re.compile(r"<[^<>\"{}|^`\\\s]*>").match(text, i)
        if m:
            return m.end()
    return i


def _where_brace(sparql: str) -> int | None:
    """Index of the ``{`` that opens the query's outermost WHERE group (None if none)."""
    i, depth, seen_where, construct = 0, 0, False, False
    while i < len(sparql):
        j = _skip_token(sparql, i)
        if j != i:
            i = j
            continue
        c = sparql[i]
        if c == "{":
            if depth == 0 and (seen_where or not construct):
                return i
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and c.isalpha() and (i == 0 or not sparql[i - 1].isalnum()):
            word = re.match(r"[A-Za-z]+", sparql[i:])
            keyword = word.group(0).upper() if word else ""
            seen_where = seen_where or keyword == "WHERE"
            construct = construct or keyword == "CONSTRUCT"
            i += len(keyword) or 1
            continue
        i += 1
    return None


def bind_params(sparql: str, params: Mapping[str, Term]) -> str:
    """``sparql`` with ``params`` bound: a VALUES block at the top of its WHERE group.

    Any variable of the query can be bound (not only those it selects), and
    the values are escaped terms, never pasted text. A FILTER of the group
    sees them, which is what lets a saved query compare case-folded names.

    Raises:
        QueryError: a parameter whose variable the query does not use.
    """
    if not params:
        return sparql
    for name in params:
        if not re.search(rf"[?$]{re.escape(name)}\b", sparql):
            raise QueryError(f"--param {name}: the query has no ?{name}")
    brace = _where_brace(sparql)
    if brace is None:
        return f"{sparql}\n{values_clause(params)}"
    return f"{sparql[: brace + 1]}\n  {values_clause(params)}\n{sparql[brace + 1 :]}"


def values_clause(params: Mapping[str, Term]) -> str:
    """A trailing ``VALUES`` clause binding ``params``, built from escaped terms."""
    if not params:
        return ""
    names = " ".join(f"?{name}" for name in params)
    row = " ".join(term.n3() for term in params.values())
    return f"VALUES ({names}) {{ ({row}) }}"
