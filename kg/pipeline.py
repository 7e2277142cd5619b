"""The main job: inputs → articles → records → per-article graphs (and one merged graph)."""

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
from kg.records import Article
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
    """What a run produced: one graph per article, and the inputs that failed."""

    graphs: list[tuple[str, Graph]] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)

    def merged(self) -> Graph:
        """All article graphs as one graph."""
        graph = new_graph()
        for _, g in self.graphs:
            graph += g
        return graph

    @property
    def statements(self) -> int:
        """How many kg:Statement nodes the run wrote."""
        return sum(1 for _, g in self.graphs for _ in g.subjects(RDF.type, KG.Statement))


def _articles(inputs: Sequence[str], result: RunResult,
              on_error: Callable[[InputError], None] | None) -> list[Article]:
    articles = []
    for item in read_inputs(inputs):
        if isinstance(item, InputError):
            result.failures.append(item)
            if on_error:
                on_error(item)
        else:
            articles.append(item)
    return articles


Progress = Callable[[int, int, int], None]


def run(inputs: Sequence[str], settings: Settings,
        on_error: Callable[[InputError], None] | None = None,
        skip: Callable[[Article], bool] | None = None,
        on_progress: Progress | None = None) -> RunResult:
    """Read, extract, resolve and build every input; bad inputs are collected, not raised.

    ``skip`` lets a caller leave out articles it already has (kg ingest);
    ``on_progress(done, total, words)`` is called after each article's NLP.
    """
    result = RunResult()
    articles = _articles(inputs, result, on_error)
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
    resolution = resolve(extractions)
    builder = Builder(settings.base, resolution)
    for ex in extractions:
        result.graphs.append((str(builder.article_node(ex.article)), builder.article_graph(ex)))
    logger.info("%d articles, %d failed inputs", len(articles), len(result.failures))
    return result


@dataclass
class IngestResult:
    """What ``ingest`` did: the run, how many articles it skipped, the validation outcome."""

    run: RunResult
    skipped: int
    report: ValidationReport | None
    loaded: bool


def ingest(inputs: Sequence[str], settings: Settings, store: Store,
           on_error: Callable[[InputError], None] | None = None,
           on_progress: Progress | None = None) -> IngestResult:
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
    if not result.graphs:
        return IngestResult(result, skipped, None, loaded=False)
    report = validate(result.merged()) if settings.validate else None
    if report is not None and not report.conforms:
        return IngestResult(result, skipped, report, loaded=False)
    store.replace_graphs({iri: to_ntriples(graph) for iri, graph in result.graphs})
    store.load_ontology()
    return IngestResult(result, skipped, report, loaded=True)
