"""The main job: inputs → articles → records → per-article graphs, validated in batches."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Graph
from rdflib.namespace import RDF

from kg.build import Builder, new_graph
from kg.errors import InputError
from kg.extract import extract_articles
from kg.ingest import read_inputs
from kg.iris import article_iri
from kg.records import Article, Extraction
from kg.resolve import resolve
from kg.serialize import to_ntriples
from kg.settings import Settings
from kg.validate import ValidationReport, validate
from kg.vocab import KG

if TYPE_CHECKING:
    from kg.store import Store

logger = logging.getLogger(__name__)


@dataclass
class RunResult:
    """What a run read and extracted: its articles' records, and the inputs that failed.

    Graphs are not built here: :func:`build` turns the records into each
    article's N-Triples a batch at a time, so a run never holds thousands of
    rdflib graphs at once.
    """

    failures: list[InputError] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    extractions: list[Extraction] = field(default_factory=list)
    builder: Builder | None = None


@dataclass
class Built:
    """A run's graphs: each article's sorted N-Triples under its IRI, in input order."""

    graphs: dict[str, bytes] = field(default_factory=dict)
    articles: int = 0
    statements: int = 0
    #: the SHACL outcome over every batch (None when validation was off)
    report: ValidationReport | None = None


#: Articles validated together. pySHACL's cost per article falls as graphs
#: grow to ~50 articles and is flat after; a batch's graph is dropped once
#: validated, so memory does not grow with the run.
VALIDATION_BATCH = 100


def build(
    result: RunResult,
    *,
    check: bool = True,
    batch: int = VALIDATION_BATCH,
    sink: Callable[[str, bytes], None] | None = None,
) -> Built:
    """Build each article's graph, validate them a batch at a time, keep N-Triples.

    Each article's IRI and sorted N-Triples go to ``sink`` if given (a writer
    that keeps only what its output needs), else into :attr:`Built.graphs`.

    Validating batches of whole article graphs is the same as validating
    their merge: every shape is about one node and the triples around it,
    and each article's graph carries the type and label of every entity it
    names (one label per entity in a run).
    """
    out = Built()
    if result.builder is None:
        return out
    keep = sink if sink is not None else out.graphs.__setitem__
    reports: list[ValidationReport] = []
    for start in range(0, len(result.extractions), batch):
        merged = new_graph() if check else None
        for ex in result.extractions[start : start + batch]:
            graph = result.builder.article_graph(ex)
            keep(str(result.builder.article_node(ex.article)), to_ntriples(graph))
            out.articles += 1
            out.statements += sum(1 for _ in graph.subjects(RDF.type, KG.Statement))
            if merged is not None:
                merged += graph
        if merged is not None:
            reports.append(validate(merged))
    if check:
        out.report = combine(reports)
    return out


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


def _articles(
    inputs: Sequence[str],
    result: RunResult,
    on_error: Callable[[InputError], None] | None,
    globs: Sequence[str] = (),
) -> list[Article]:
    articles = []
    for item in read_inputs(inputs, globs=globs):
        if isinstance(item, InputError):
            result.failures.append(item)
            if on_error:
                on_error(item)
        else:
            articles.append(item)
    return articles


Progress = Callable[[int, int, int], None]


def run(
    inputs: Sequence[str],
    settings: Settings,
    on_error: Callable[[InputError], None] | None = None,
    skip: Callable[[Article], bool] | None = None,
    on_progress: Progress | None = None,
) -> RunResult:
    """Read, extract, resolve and build every input; bad inputs are collected, not raised.

    ``skip`` lets a caller leave out articles it already has (kg ingest);
    ``on_progress(done, total, words)`` is called after each article's NLP.
    """
    result = RunResult()
    articles = _articles(inputs, result, on_error, settings.globs)
    if skip is not None:
        articles = [a for a in articles if not skip(a)]
    result.articles = articles
    extractions = []
    words = 0
    for ex in extract_articles(articles, settings):
        extractions.append(ex)
        words += len(ex.article.text.split())
        if on_progress is not None:
            on_progress(len(extractions), len(articles), words)
    result.extractions = extractions
    result.builder = Builder(settings.base, resolve(extractions))
    logger.info("%d articles, %d failed inputs", len(articles), len(result.failures))
    return result


@dataclass
class IngestResult:
    """What ``ingest`` did: the run, its graphs, how many articles it skipped, if it loaded."""

    run: RunResult
    built: Built
    skipped: int
    loaded: bool

    @property
    def report(self) -> ValidationReport | None:
        """The validation outcome (None when validation was off)."""
        return self.built.report


def ingest(
    inputs: Sequence[str],
    settings: Settings,
    store: Store,
    on_error: Callable[[InputError], None] | None = None,
    on_progress: Progress | None = None,
) -> IngestResult:
    """Extract, validate and load into ``store``; articles already there are skipped.

    An article is already there when the store holds its IRI with the same
    content hash (the IRI is minted from the file name and the text's hash).
    A graph that does not conform is not loaded (``loaded`` is False).
    """
    skipped = 0

    def known(article: Article) -> bool:
        nonlocal skipped
        iri = article_iri(settings.base, article.identifier, article.content_hash)
        if store.article_hash(iri) == article.content_hash:
            skipped += 1
            return True
        return False

    result = run(inputs, settings, on_error=on_error, skip=known, on_progress=on_progress)
    built = build(result, check=settings.validate)
    # Nothing new, or a graph that does not conform: nothing is loaded.
    if not built.graphs or (built.report is not None and not built.report.conforms):
        return IngestResult(result, built, skipped, loaded=False)
    store.replace_graphs(built.graphs)
    store.load_ontology()
    return IngestResult(result, built, skipped, loaded=True)
