"""Query results written as they come: JSON, CSV, TSV and tables row by row, flat in memory.

The bytes are those of :func:`kg.query.render_result` for the same rows
(tests hold the two to that), but no list of rows is ever built: a query
of millions of rows costs the memory of one. Tables are the exception that
proves it: their columns are as wide as the widest cell of the first
:data:`TABLE_ROWS` rows (all of them, for shorter results), and later rows
are printed as they come.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import BinaryIO

from kg.query import Term, compact, table

__all__ = ["TABLE_ROWS", "write_bindings", "write_boolean"]

TABLE_ROWS = 1000
Row = Mapping[str, Term]


def write_boolean(value: bool, fmt: str, out: BinaryIO) -> None:
    """An ASK result, as :func:`kg.query.render_result` writes it."""
    if fmt == "json":
        out.write((json.dumps({"head": {}, "boolean": value}) + "\n").encode())
    else:
        out.write((("true" if value else "false") + "\n").encode())


def write_bindings(names: Sequence[str], rows: Iterable[Row], fmt: str, out: BinaryIO) -> int:
    """SELECT solutions in ``fmt`` (json, csv, tsv, table), one row at a time; the rows."""
    writer = {"json": _json, "csv": _csv, "tsv": _tsv, "table": _table}[fmt]
    return writer(names, iter(rows), out)


def _json(names: Sequence[str], rows: Iterator[Row], out: BinaryIO) -> int:
    empty = {"head": {"vars": list(names)}, "results": {"bindings": []}}
    text = json.dumps(empty, ensure_ascii=False, indent=2)
    head, tail = text.split('"bindings": []')
    out.write((head + '"bindings": [').encode())
    count = 0
    for row in rows:
        item = json.dumps({k: v.to_json() for k, v in row.items()}, ensure_ascii=False, indent=2)
        out.write(((",\n" if count else "\n") + _indent(item, "      ")).encode())
        count += 1
    out.write((("\n    ]" if count else "]") + tail + "\n").encode())
    return count


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.split("\n"))


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    return f"_:{term.value}" if term.type == "bnode" else term.value


def _csv(names: Sequence[str], rows: Iterator[Row], out: BinaryIO) -> int:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # excel dialect: CRLF, quotes where needed
    writer.writerow(names)
    count = 0
    for row in rows:
        writer.writerow([_csv_value(row.get(n)) for n in names])
        count += 1
        if buffer.tell() > 16384 or count == 1:
            out.write(buffer.getvalue().encode())
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue().encode())
    return count


def _tsv(names: Sequence[str], rows: Iterator[Row], out: BinaryIO) -> int:
    out.write(("\t".join(f"?{n}" for n in names) + "\n").encode())
    count = 0
    for row in rows:
        out.write(("\t".join(row[n].n3() if n in row else "" for n in names) + "\n").encode())
        count += 1
    return count


def _display(term: Term | None) -> str:
    if term is None:
        return ""
    if term.type == "uri":
        return compact(term.value)
    if term.type == "bnode":
        return f"_:{term.value}"
    return " ".join(term.value.split())


def _table(names: Sequence[str], rows: Iterator[Row], out: BinaryIO) -> int:
    cells = ([_display(row.get(n)) for n in names] for row in rows)
    first = list(islice(cells, TABLE_ROWS))
    text = table(names, first)
    out.write(text.encode())
    if len(first) < TABLE_ROWS:
        return len(first)
    widths = [len(cell) for cell in text.split("\n")[1].split("  ")]
    count = len(first)
    for row in cells:
        line = "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        out.write((line + "\n").encode())
        count += 1
    return count
