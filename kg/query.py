"""SPARQL for users: query text, --param values, saved queries and result rendering.

Pure Python (no pyoxigraph): kg.store runs the queries and hands back a
:class:`QueryResult`; this module turns it into JSON, CSV, TSV, a table or
Turtle, the same way whichever store answered.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from kg.errors import QueryError
from kg.prefixes import PREFIXES

__all__ = [
    "RESULT_FORMATS",
    "QueryResult",
    "SavedQuery",
    "Term",
    "compact",
    "markdown_table",
    "read_query",
    "render_result",
    "render_stats",
    "saved_queries",
    "saved_query",
    "table",
]

RESULT_FORMATS = ("json", "csv", "tsv", "table", "markdown")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

XSD = "http://www.w3.org/2001/XMLSchema#"
VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Characters the IRIREF production forbids (besides controls and space).
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
CURIE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?)\Z")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True, slots=True)
class Term:
    """An RDF term as SPARQL 1.1 Results JSON describes it.

    ``type`` is ``uri``, ``literal``, ``bnode`` or ``triple``; plain strings
    (xsd:string) carry no datatype, language-tagged strings carry ``lang``.
    """

    type: str
    value: str
    datatype: str | None = None
    lang: str | None = None

    def n3(self) -> str:
        """The term in N-Triples / SPARQL syntax, escaped."""
        if self.type == "uri":
            return f"<{self.value}>"
        if self.type == "bnode":
            return f"_:{self.value}"
        if self.type == "triple":
            return self.value
        text = '"' + "".join(_ESCAPES.get(c, c) for c in self.value) + '"'
        if self.lang:
            return f"{text}@{self.lang}"
        if self.datatype and self.datatype != XSD_STRING:
            return f"{text}^^<{self.datatype}>"
        return text

    def to_json(self) -> dict[str, str]:
        """The SPARQL 1.1 Results JSON object for this term."""
        out = {"type": self.type, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype:
            out["datatype"] = self.datatype
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, object]) -> Term:
        """Read a SPARQL 1.1 Results JSON term (``typed-literal`` of old servers too)."""
        kind = str(obj.get("type", "literal"))
        if kind == "triple":
            return cls("triple", json.dumps(obj.get("value"), sort_keys=True))
        value = str(obj.get("value", ""))
        if kind in ("literal", "typed-literal"):
            lang = obj.get("xml:lang")
            datatype = obj.get("datatype")
            if lang or datatype in (XSD_STRING, RDF_LANG_STRING):
                datatype = None
            return cls(
                "literal", value, str(datatype) if datatype else None, str(lang) if lang else None
            )
        return cls(kind, value)

    @classmethod
    def iri(cls, value: str) -> Term:
        """An IRI term; refuses characters that would break out of ``<…>``."""
        if not value or _BAD_IRI.search(value) or ":" not in value:
            raise QueryError(f"not an absolute IRI: <{value}>")
        return cls("uri", value)


@dataclass(frozen=True, slots=True)
class QueryResult:
    """What a query gave: solutions (SELECT), a boolean (ASK) or Turtle (CONSTRUCT)."""

    variables: tuple[str, ...] = ()
    rows: tuple[dict[str, Term], ...] = field(default=(), hash=False)
    boolean: bool | None = None
    turtle: bytes | None = None

    @property
    def kind(self) -> str:
        """``"bindings"``, ``"boolean"`` or ``"graph"``."""
        if self.turtle is not None:
            return "graph"
        return "boolean" if self.boolean is not None else "bindings"

    def column(self, name: str) -> list[str | None]:
        """The plain values of one variable, row by row (None where unbound)."""
        return [row[name].value if name in row else None for row in self.rows]


def read_query(arg: str) -> str:
    """The QUERY argument: SPARQL text, ``-`` for stdin, or ``@file.rq``."""
    if arg == "-":
        return sys.stdin.read()
    if arg.startswith("@"):
        path = Path(arg[1:])
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise QueryError(f"{path}: cannot read the query ({why})") from None
    return arg


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """A query shipped under kg/_data/queries: its name, one-line description and text."""

    name: str
    description: str
    text: str


def _queries_dir() -> Traversable:
    # Read through importlib.resources (like kg.resources) so a wheel or zip works.
    return files("kg") / "_data" / "queries"


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query by name, sorted by name."""
    out: dict[str, SavedQuery] = {}
    for item in sorted(_queries_dir().iterdir(), key=lambda f: f.name):
        if not item.name.endswith(".rq"):
            continue
        text = item.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        description = first.lstrip("#").strip() if first.startswith("#") else ""
        out[item.name[:-3]] = SavedQuery(item.name[:-3], description, text)
    return out


def saved_query(name: str) -> SavedQuery:
    """One saved query by name."""
    queries = {key.casefold(): q for key, q in saved_queries().items()}
    if name.casefold() not in queries:
        raise QueryError(f"no saved query {name!r}; `kg query --list` shows them")
    return queries[name.casefold()]


def compact(iri: str) -> str:
    """``https://schema.org/Person`` → ``schema:Person`` for the CONTRACT.md prefixes."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and CURIE.match(f"{prefix}:{iri[len(namespace) :]}"):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _display(term: Term | None) -> str:
    if term is None:
        return ""
    if term.type == "uri":
        return compact(term.value)
    if term.type == "bnode":
        return f"_:{term.value}"
    return " ".join(term.value.split())


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    return f"_:{term.value}" if term.type == "bnode" else term.value


def table(header: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None) -> str:
    """Columns padded to their widest cell, a rule under the header.

    With ``width`` (the terminal's), the widest columns are narrowed until a
    line fits and their cells wrap onto more lines, each at least
    ``_MIN_COLUMN`` wide.
    """
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    if width:
        widths = _fit(widths, width)
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for r in rows:
        cells = [textwrap.wrap(c, w) or [""] for c, w in zip(r, widths, strict=True)]
        for i in range(max(len(c) for c in cells)):
            parts = [
                (c[i] if i < len(c) else "").ljust(w) for c, w in zip(cells, widths, strict=True)
            ]
            lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


_MIN_COLUMN = 12


def _fit(widths: list[int], width: int) -> list[int]:
    widths = list(widths)
    gaps = 2 * (len(widths) - 1)
    while sum(widths) + gaps > width:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= _MIN_COLUMN:
            break
        widths[widest] -= 1
    return widths


def render_result(result: QueryResult, fmt: str = "json") -> bytes:
    """Render a result: SELECT/ASK as json, csv, tsv or table; CONSTRUCT always as Turtle.

    json is SPARQL 1.1 Results JSON, csv and tsv follow SPARQL 1.1 Results
    CSV/TSV (CSV lines end in CRLF, as that note requires).
    """
    if result.turtle is not None:
        return result.turtle
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown result format {fmt!r}; use one of {', '.join(RESULT_FORMATS)}")
    if result.boolean is not None:
        if fmt == "json":
            return (json.dumps({"head": {}, "boolean": result.boolean}) + "\n").encode()
        return (("true" if result.boolean else "false") + "\n").encode()
    names = result.variables
    if fmt == "json":
        bindings = [{k: v.to_json() for k, v in row.items()} for row in result.rows]
        doc = {"head": {"vars": list(names)}, "results": {"bindings": bindings}}
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)  # excel dialect: CRLF, quotes where needed
        writer.writerow(names)
        writer.writerows([_csv_value(row.get(n)) for n in names] for row in result.rows)
        return buffer.getvalue().encode()
    if fmt == "tsv":
        lines = ["\t".join(f"?{n}" for n in names)]
        lines += ["\t".join(row[n].n3() if n in row else "" for n in names) for row in result.rows]
        return ("\n".join(lines) + "\n").encode()
    rows = [[_display(row.get(n)) for n in names] for row in result.rows]
    if fmt == "markdown":
        return markdown_table(names, rows).encode()
    return table(names, rows, width=shutil.get_terminal_size((120, 24)).columns).encode()


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table; ``|`` in cells escaped."""

    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |"]
    lines.append("|" + "|".join(" --- " for _ in header) + "|")
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


_STATS_SECTIONS = (
    ("entities", "entities per class"),
    ("facts", "facts per property"),
    ("statements", "statements per modality"),
)


def render_stats(doc: Mapping[str, Any]) -> str:
    """kg.store.StoreStats.to_json() as a human table."""
    rows: list[tuple[str, str]] = [
        ("articles", str(doc["articles"])),
        ("named graphs", str(doc["graphs"])),
        ("quads", str(doc["quads"])),
    ]
    for key, title in _STATS_SECTIONS:
        counts: Mapping[str, int] = doc.get(key) or {}
        rows.append(("", ""))
        rows.append((title, "" if counts else "0"))
        rows += [(f"  {name}", str(n)) for name, n in counts.items()]
    width = max(len(label) for label, _ in rows)
    numbers = max(len(n) for _, n in rows)
    return (
        "\n".join(
            f"{label.ljust(width)}  {n.rjust(numbers)}".rstrip() if label else ""
            for label, n in rows
        )
        + "\n"
    )


# Parameters live in kg.params (which imports Term from here); their names are
# also offered here, as before, without an import cycle.
_PARAMS = frozenset({"bind_params", "parse_param", "parse_value", "values_clause"})


def __getattr__(name: str) -> Any:
    if name in _PARAMS:
        from kg import params

        return getattr(params, name)
    raise AttributeError(f"module 'kg.query' has no attribute {name!r}")
