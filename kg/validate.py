"""SHACL validation of kg graphs: the only module that calls pySHACL."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyshacl
from rdflib import Graph
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import RDF, SH

from kg import resources
from kg.errors import ShapesError
from kg.formats import FORMATS, read_graph

__all__ = ["FORMATS", "ValidationReport", "validate", "validate_files"]

logger = logging.getLogger(__name__)


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


def validate_files(paths: Iterable[str | Path], fmt: str | None = None) -> ValidationReport:
    """Validate the union of RDF files (.ttl, .nt, .nq, .trig, .jsonld; format by
    suffix unless ``fmt`` is given; ``-`` is stdin, Turtle unless ``fmt`` says).

    Raises:
        InputError: a file is missing, unreadable, of unknown format or
            unparsable; the message names the file and, where rdflib says,
            the line.
        ShapesError: the packaged shapes or ontology cannot be parsed.
    """
    return validate(read_graph(paths, fmt))
