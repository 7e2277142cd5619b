"""A run's two phases as work for workers, on this machine: articles → records (spilled
to disk) and their names; records + the run's resolution → validated article N-Triples.

Phase 1 reads nothing but its articles and gives back what resolution needs
of each (:func:`kg.resolve.names_record`, ~0.7 kB an article); its records
go to a file of the run's temporary folder. Resolution runs in the parent
over every article's names (the same rule as over the whole records: issue
13). Phase 2 reads the records back a batch at a time, builds each article's
graph with that resolution, validates the batch (quarantining articles whose
graph does not conform) and returns sorted N-Triples. Workers are forked:
each inherits the run's state (the resolution included) once, when it starts.
The same phases run on a Dask cluster in :mod:`kg.cluster`.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rdflib import Graph
from rdflib.namespace import RDF

from kg.build import Builder, new_graph
from kg.records import Article, Extraction
from kg.resolve import names_record
from kg.serialize import to_ntriples
from kg.validate import ValidationReport, validate
from kg.vocab import KG

if TYPE_CHECKING:
    from kg.settings import Settings

logger = logging.getLogger(__name__)

T = TypeVar("T")
H = TypeVar("H")
R = TypeVar("R")

#: An article's identifier and its names record.
Names = tuple[str, str]


@dataclass
class Part:
    """What phase 2 made of a batch of articles."""

    #: (article IRI, sorted N-Triples) of each article kept, in input order
    graphs: list[tuple[str, bytes]] = field(default_factory=list)
    statements: int = 0
    #: the reports of the validations that conformed
    reports: list[ValidationReport] = field(default_factory=list)
    #: articles whose graph does not conform: (identifier, its SHACL report)
    rejected: list[tuple[str, ValidationReport]] = field(default_factory=list)


def names_of(extractions: Iterable[Extraction]) -> list[Names]:
    """What resolution needs of each article (phase 1's answer to the parent)."""
    return [(ex.article.identifier, names_record(ex)) for ex in extractions]


def build_part(extractions: Sequence[Extraction], builder: Builder, check: bool) -> Part:
    """Each article's graph, the batch validated as one graph, sorted N-Triples.

    Validating a batch of whole article graphs is the same as validating
    their merge: every shape is about one node and the triples around it, and
    each article's graph carries the type and label of every entity it names.
    A batch that does not conform is validated article by article: an article
    whose graph does not conform is quarantined (:attr:`Part.rejected`).
    """
    out = Part()
    built = [(ex, builder.article_graph(ex)) for ex in extractions]
    if check and built:
        merged = new_graph()
        for _, graph in built:
            merged += graph
        report = validate(merged)
        if report.conforms:
            out.reports.append(report)
        else:
            built = _quarantine(built, out)
    for ex, graph in built:
        out.graphs.append((str(builder.article_node(ex.article)), to_ntriples(graph)))
        out.statements += sum(1 for _ in graph.subjects(RDF.type, KG.Statement))
    return out


def _quarantine(built: list[tuple[Extraction, Graph]], out: Part) -> list[tuple[Extraction, Graph]]:
    """The articles of a failed batch whose own graphs conform; the others are rejected."""
    good = []
    for ex, graph in built:
        alone = new_graph()
        alone += graph
        report = validate(alone)
        if report.conforms:
            good.append((ex, graph))
            out.reports.append(report)
        else:
            logger.info("%s: graph does not conform; quarantined", ex.article.identifier)
            out.rejected.append((ex.article.identifier, report))
    return good


def ordered(
    submit: Callable[[T], H], result: Callable[[H], R], items: Iterable[T], window: int
) -> Iterator[R]:
    """Results of work on ``items``, in their order, at most ``window`` items in flight:
    items are taken (read) only as results are given back."""
    pending: deque[H] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


@dataclass(frozen=True)
class _RunState:
    model: str
    relations_model: str | None
    folder: Path
    builder: Builder | None = None
    check: bool = True


#: The run a worker works for: set in the parent before a pool forks its workers.
_state: _RunState | None = None


def _extract_chunk(task: tuple[int, list[Article]]) -> tuple[list[Names], int]:
    """Phase 1 of a chunk: records to ``<folder>/<index>``; (names, words) back."""
    from kg.extract import extract_batch

    assert _state is not None
    index, articles = task
    extractions = extract_batch(articles, _state.model, _state.relations_model)
    with (_state.folder / str(index)).open("wb") as fh:
        pickle.dump(extractions, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return names_of(extractions), sum(len(a.text.split()) for a in articles)


def _build_batch(chunks: list[int]) -> Part:
    """Phase 2 of the chunks of a batch (their files are removed once read)."""
    assert _state is not None and _state.builder is not None
    extractions: list[Extraction] = []
    for index in chunks:
        path = _state.folder / str(index)
        with path.open("rb") as fh:
            extractions.extend(pickle.load(fh))  # our own run's file, written above
        path.unlink()
    return build_part(extractions, _state.builder, _state.check)


class LocalEngine:
    """Runs the phases in this process (``jobs`` 1) or in forked worker processes.

    Workers of phase 1 load the spaCy pipeline themselves (the parent never
    does): the parent stays small, so phase 2's workers, forked from it once
    resolution is done, start small too.
    """

    def __init__(self, settings: Settings, folder: Path) -> None:
        self.jobs = self.workers = settings.jobs
        self.state = _RunState(settings.model, settings.relations_model, folder)

    def _map(self, func: Callable[[Any], R], items: Iterable[Any]) -> Iterator[R]:
        global _state
        _state = self.state
        if self.jobs <= 1:
            yield from map(func, items)
            return
        from kg.extract import _init_worker

        args = (self.state.model, self.state.relations_model)
        context = multiprocessing.get_context("fork")
        with context.Pool(self.jobs, initializer=_init_worker, initargs=args) as pool:
            yield from ordered(
                lambda item: pool.apply_async(func, (item,)),
                lambda handle: handle.get(),
                items,
                window=4 * self.jobs,
            )

    def extract(
        self, chunks: Iterable[tuple[int, list[Article]]]
    ) -> Iterator[tuple[list[Names], int]]:
        """Phase 1, chunk by chunk, in order: each chunk's names and words."""
        if self.state.relations_model and self.jobs > 1:
            from kg.nlp.relmodel.apply import relation_model

            relation_model(self.state.relations_model)  # a bad folder fails here, once
        return self._map(_extract_chunk, chunks)

    def build(self, builder: Builder, check: bool, batches: Iterable[list[int]]) -> Iterator[Part]:
        """Phase 2, batch by batch (lists of chunk indexes), in order."""
        self.state = _RunState(
            self.state.model, self.state.relations_model, self.state.folder, builder, check
        )
        return self._map(_build_batch, batches)
