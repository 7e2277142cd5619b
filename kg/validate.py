"""SHACL validation of kg graphs: the only module that calls pySHACL."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyshacl
from rdflib import Graph
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import RDF, SH

from kg import resources
from kg.errors import InputError, ShapesError
from kg.formats import FORMATS, format_of, parse_text, read_graph
from kg.store.split import graphs_of_nquads, ntriples_of

if TYPE_CHECKING:
    from kg.store import Store

__all__ = [
    "FORMATS",
    "ValidationReport",
    "combine",
    "validate",
    "validate_files",
    "validate_graphs",
    "validate_store",
]

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


def combine(reports: Sequence[ValidationReport]) -> ValidationReport:
    """One report for several validations: conforms if all do, results of all."""
    failed = [r for r in reports if not r.conforms]
    graph = Graph(bind_namespaces="none")
    for r in failed:
        graph += r.graph
    return ValidationReport(
        conforms=not failed,
        text="\n".join(r.text for r in failed)
        if failed
        else (reports[0].text if reports else "Validation Report\nConforms: True\n"),
        graph=graph,
        violations=sum(r.violations for r in failed),
    )


#: Triples validated at once when a dataset is validated graph by graph.
BATCH_TRIPLES = 20_000


def _graph_of(ntriples: bytes) -> Graph:
    graph = Graph(bind_namespaces="none")
    parse_text(ntriples.decode("utf-8"), "nt", "urn:kg:part", graph)
    return graph


def validate_graphs(graphs: Iterable[bytes]) -> ValidationReport:
    """Validate a dataset given graph by graph (N-Triples each), in batches of whole
    graphs of about :data:`BATCH_TRIPLES` triples: memory bounded by a batch.

    Validating batches of whole article graphs is the same as validating their
    merge (see :func:`kg.pipeline.build`).
    """
    reports: list[ValidationReport] = []
    batch: list[bytes] = []
    size = 0
    for data in graphs:
        batch.append(data)
        size += data.count(b"\n")
        if size >= BATCH_TRIPLES:
            reports.append(validate(_graph_of(b"".join(batch))))
            batch, size = [], 0
    if batch or not reports:
        reports.append(validate(_graph_of(b"".join(batch))))
    return combine(reports)


#: Memory a file takes as an rdflib graph, per byte of the file (measured on kg's
#: output: about 8 for N-Triples; Turtle is terser), to refuse early what cannot fit.
_GRAPH_BYTES_PER_FILE_BYTE = {"nt": 10, "nquads": 10}
_OTHER_BYTES_PER_FILE_BYTE = 25


def _available_memory() -> int | None:
    try:
        with Path("/proc/meminfo").open(encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


#: N-Quads files bigger than this are validated graph by graph (bytes).
STREAM_BYTES = 64_000_000


def _size(path: str) -> int:
    """The size of a file; 0 for stdin or what cannot be read (read_rdf says why)."""
    try:
        return 0 if path == "-" else Path(path).stat().st_size
    except OSError:
        return 0


def _check_fits(path: str, fmt: str) -> None:
    """Refuse a file whose graph would not fit in memory, before reading it."""
    need = _size(path) * _GRAPH_BYTES_PER_FILE_BYTE.get(fmt, _OTHER_BYTES_PER_FILE_BYTE)
    free = _available_memory()
    if free is not None and need > free:
        raise InputError(
            path,
            f"too large to validate in memory (about {need / 1e9:.1f} GB needed, "
            f"{free / 1e9:.1f} GB available); N-Quads are validated graph by graph: "
            "`kg load` it and `kg validate --store`, or validate `kg export` output",
        )


def validate_files(paths: Iterable[str | Path], fmt: str | None = None) -> ValidationReport:
    """Validate the union of RDF files (.ttl, .nt, .nq, .trig, .jsonld; format by
    suffix unless ``fmt`` is given; ``-`` is stdin, Turtle unless ``fmt`` says).

    The files are validated together, as one graph, which must fit in memory
    (a file that clearly cannot is refused), except N-Quads files over
    :data:`STREAM_BYTES`: each is validated graph by graph, streamed, in
    batches of whole graphs (:func:`validate_graphs`), which for kg's article
    graphs is the same as validating their merge.

    Raises:
        InputError: a file is missing, unreadable, of unknown format, unparsable
            or too large; the message names the file and, where rdflib says,
            the line.
        ShapesError: the packaged shapes or ontology cannot be parsed.
    """
    names = [str(p) for p in paths]
    streamed = [n for n in names if format_of(n, fmt) == "nquads" and _size(n) > STREAM_BYTES]
    reports = [validate_graphs(graphs_of_nquads(Path(n))) for n in streamed]
    rest = [n for n in names if n not in streamed]
    if rest or not reports:
        for name in rest:
            _check_fits(name, format_of(name, fmt))
        try:
            reports.append(validate(read_graph(rest, fmt)))
        except MemoryError:
            raise InputError(
                ", ".join(rest), "too large to validate in memory; see `kg validate --help`"
            ) from None
    return combine(reports)


#: Named graphs fetched from a store by one query in :func:`validate_store`.
GRAPHS_PER_QUERY = 100
#: Stores holding more quads than this are validated graph by graph.
STREAM_QUADS = 500_000


def validate_store(store: Store) -> ValidationReport:
    """Validate the whole store: the merge of its graphs, or, when it holds more than
    :data:`STREAM_QUADS` quads, a batch of whole named graphs at a time (memory
    bounded by a batch, as :func:`validate_graphs`)."""
    count = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    if int(count[0]["n"].value) <= STREAM_QUADS:
        merged = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").turtle or b""
        return validate(_graph_of(ntriples_of(merged, "turtle")))
    listing = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    names = [row["g"].value for row in listing.rows]

    def graphs() -> Iterator[bytes]:
        for start in range(0, len(names), GRAPHS_PER_QUERY):
            values = " ".join(f"<{iri}>" for iri in names[start : start + GRAPHS_PER_QUERY])
            result = store.query(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} "
                "GRAPH ?g { ?s ?p ?o } }"
            )
            yield ntriples_of(result.turtle or b"", "turtle")

    return validate_graphs(graphs())
