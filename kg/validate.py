"""SHACL validation of kg graphs: the only module that calls pySHACL."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import Graph
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import RDF, SH

from kg import resources
from kg.errors import InputError, ShapesError

__all__ = ["FORMATS", "ValidationReport", "validate", "validate_files"]

logger = logging.getLogger(__name__)

# File suffix -> rdflib parser name, for validate_files.
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
}


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of one validation.

    Attributes:
        conforms: whether the graph conforms to the shapes.
        text: pySHACL's human-readable report.
        graph: the SHACL validation report as RDF (sh:ValidationReport).
        violations: how many results have severity sh:Violation.
    """

    conforms: bool
    text: str
    graph: Graph
    violations: int


def validate(data: Graph, *, shapes: Graph | None = None) -> ValidationReport:
    """Validate ``data`` against the packaged shapes (or ``shapes``).

    ``data`` is not modified or copied. The ontology's ``rdfs:subClassOf``
    triples are seen with it, so that a schema:Country meets a schema:Place
    constraint without RDFS inference (4x slower, and not needed).

    Raises:
        ShapesError: the packaged shapes or ontology cannot be parsed.
    """
    shapes_graph = resources.shapes_graph() if shapes is None else shapes
    # pySHACL follows rdfs:subClassOf triples found in the data graph, so it
    # is given a read-only union of the data and the class hierarchy. Measured
    # on a 1,900-triple graph (8 articles): copying the data and adding the
    # hierarchy, or passing ont_graph= (pySHACL then clones the data itself),
    # both cost ~145 ms of which ~14 ms is the copy; the union view avoids
    # the copy (~135 ms) and leaves ``data`` untouched.
    target = ReadOnlyGraphAggregate([data, resources.class_hierarchy()])
    conforms, report_graph, report_text = pyshacl.validate(
        target,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=False,
        inplace=True,  # nothing is written: no inference, no rules
    )
    if not isinstance(report_graph, Graph):  # pySHACL's ValidationFailure: broken shapes
        raise ShapesError(f"the shapes cannot be applied: {report_text}")
    violations = sum(
        1
        for result in report_graph.subjects(RDF.type, SH.ValidationResult)
        if (result, SH.resultSeverity, SH.Violation) in report_graph
    )
    logger.debug("validated: %d violations", violations)
    return ValidationReport(
        conforms=bool(conforms),
        text=str(report_text),
        graph=report_graph,
        violations=violations,
    )


# validate's suffixes → kg.store.split's format names (Oxigraph parses every file).
_OX_FORMATS = {"turtle": "turtle", "nt": "ntriples", "nquads": "nquads"}


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


def _parse_file(path: Path, into: Graph) -> None:
    """Parse one RDF file into ``into`` (named graphs of N-Quads merged).

    Oxigraph parses it, as ``kg load`` does, so that whatever loads also
    validates (literals of any size, Turtle nested 10,000 deep), in time
    linear in the file; rdflib then reads the triples as N-Triples.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(FORMATS)
        raise InputError(str(path), f"unknown RDF format {path.suffix!r}: expected one of {known}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (byte {exc.start})") from exc
    from kg.store.split import ntriples_of, too_large_term

    try:
        triples = ntriples_of(data, _OX_FORMATS[fmt], path.resolve().as_uri())
    except MemoryError as exc:
        raise InputError(str(path), too_large_term(exc)) from None
    except SyntaxError as exc:
        place = f"line {exc.lineno}: " if exc.lineno else ""
        why = re.sub(
            r"^Parser error at line \d+ (?:column \d+|between columns \d+ and \d+): ",
            "",
            exc.msg or "",
        )
        raise InputError(
            str(path), f"{place}cannot parse as {fmt}: {' '.join(why.split())}"
        ) from None
    del data
    _parse_ntriples(triples, into)


def validate_files(paths: Iterable[str | Path]) -> ValidationReport:
    """Validate the union of RDF files (.ttl, .nt, .nq; format by suffix).

    Raises:
        InputError: a file is missing, unreadable, of unknown format or
            unparsable; the message names the file and, where rdflib says,
            the line.
        ShapesError: the packaged shapes or ontology cannot be parsed.
    """
    data = Graph(bind_namespaces="none")
    for path in paths:
        _parse_file(Path(path), data)
    return validate(data)
