"""The main job: inputs → articles → records → per-article graphs, validated in batches."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from kg import __version__
from kg.build import Builder
from kg.errors import InputError
from kg.ingest import read_inputs
from kg.iris import article_iri
from kg.records import Article, Extraction, RunInfo
from kg.resolve import resolve
from kg.settings import Settings
from kg.validate import ValidationReport, combine
from kg.validate import validate_store as validate_store  # kg.pipeline.validate_store, as before

if TYPE_CHECKING:
    from kg.phases import Part
    from kg.store import Store
    from kg.stream import Streamed

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
    #: the SHACL outcome over the graphs kept (None when validation was off)
    report: ValidationReport | None = None
    #: articles whose graph does not conform: (identifier, its SHACL report);
    #: their graphs are in neither ``graphs`` nor the sink
    rejected: list[tuple[str, ValidationReport]] = field(default_factory=list)


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
    """Build each article's graph, validate them a batch at a time, keep N-Triples
    (:func:`kg.phases.build_part`, in this process, over records held in memory).

    Each article's IRI and sorted N-Triples go to ``sink`` if given (a writer
    that keeps only what its output needs), else into :attr:`Built.graphs`.
    """
    from kg.phases import build_part

    out = Built()
    if result.builder is None:
        return out
    keep = sink if sink is not None else out.graphs.__setitem__
    reports: list[ValidationReport] = []
    for start in range(0, len(result.extractions), batch):
        part = build_part(result.extractions[start : start + batch], result.builder, check)
        _take(part, out, keep, reports)
    if check:
        out.report = combine(reports)
    return out


def _take(
    part: Part, out: Built, keep: Callable[[str, bytes], None], reports: list[ValidationReport]
) -> None:
    for name, data in part.graphs:
        keep(name, data)
    out.articles += len(part.graphs)
    out.statements += part.statements
    out.rejected.extend(part.rejected)
    reports.extend(part.reports)


def _articles(
    inputs: Sequence[str],
    result: RunResult | Streamed,
    on_error: Callable[[InputError], None] | None,
    globs: Sequence[str] = (),
) -> Iterator[Article]:
    """The inputs' articles, read one at a time; failures go to ``result.failures``."""
    seen: dict[str, str] = {}
    for item in read_inputs(inputs, globs=globs):
        if isinstance(item, Article) and item.identifier in seen:
            # An article is its identifier: two inputs with one identifier would
            # overwrite each other's graph.
            item = InputError(
                item.source, f"same identifier {item.identifier!r} as {seen[item.identifier]}"
            )
        if isinstance(item, InputError):
            result.failures.append(item)
            if on_error:
                on_error(item)
        else:
            seen[item.identifier] = item.source
            yield item


def _model_version(model: str) -> str:
    """The installed version of a spaCy pipeline package, or of a pipeline folder."""
    try:
        return metadata.version(model.replace("_", "-"))
    except metadata.PackageNotFoundError:
        pass
    meta = Path(model) / "meta.json"
    if meta.is_file():
        import json

        try:
            return str(json.loads(meta.read_text(encoding="utf-8")).get("version", "unknown"))
        except (OSError, ValueError):
            return "unknown"
    return "unknown"


def run_info(settings: Settings) -> RunInfo:
    """What made this run's graphs and when: ``$SOURCE_DATE_EPOCH`` fixes the time,
    for reproducible output (https://reproducible-builds.org/specs/source-date-epoch/)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    started = (
        datetime.fromtimestamp(int(epoch), UTC)
        if epoch.isdigit()
        else datetime.now(UTC).replace(microsecond=0)
    )
    name = Path(settings.model).name if "/" in settings.model else settings.model
    return RunInfo(__version__, name, _model_version(settings.model), started)


Progress = Callable[[int, int, int], None]


def run(
    inputs: Sequence[str],
    settings: Settings,
    on_error: Callable[[InputError], None] | None = None,
    skip: Callable[[Sequence[Article]], Sequence[Article]] | None = None,
    on_progress: Progress | None = None,
    stored: Callable[[], Sequence[Extraction]] | None = None,
) -> RunResult:
    """Read, extract, resolve and build every input; bad inputs are collected, not raised.

    ``skip`` keeps the articles a caller still needs (kg ingest leaves out
    those it has); ``stored`` gives the names of the articles a store already
    holds, resolved together with the run's; ``on_progress(done, total,
    words)`` is called after each article's NLP.
    """
    from kg.extract import extract_articles  # spaCy: only when extracting

    result = RunResult()
    articles = list(_articles(inputs, result, on_error, settings.globs))
    if skip is not None:
        articles = list(skip(articles))
    result.articles = articles
    extractions = []
    words = 0
    for ex in extract_articles(articles, settings):
        extractions.append(ex)
        words += len(ex.article.text.split())
        if on_progress is not None:
            on_progress(len(extractions), len(articles), words)
    result.extractions = extractions
    others = list(stored()) if stored is not None and extractions else []
    result.builder = Builder(settings.base, resolve([*others, *extractions]), run_info(settings))
    logger.info("%d articles, %d failed inputs", len(articles), len(result.failures))
    return result


@dataclass
class IngestResult:
    """What ``ingest`` did: the run, its graphs, what it skipped or replaced, if it loaded."""

    run: Streamed
    built: Built
    skipped: int
    loaded: bool
    replaced: int = 0
    rewritten: int = 0

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
    *,
    force: bool = False,
) -> IngestResult:
    """Extract, validate and load into ``store``, resolving with what it holds.

    An article is its identifier: one already in the store with the same
    content hash is skipped (unless ``force``), one whose text changed is
    extracted again and its graph replaced. The run's articles resolve
    together with the names of every stored article, so the store is what one
    run over all of them would give; stored graphs that this changes are
    rewritten. Everything goes in one load (one transaction in the embedded
    store). A graph that does not conform is not loaded (``loaded`` False).
    """
    from kg.known import article_graphs, stored_names, updates

    skipped = 0
    replaced: list[str] = []
    held: dict[str, Extraction] = {}

    def keep(articles: Sequence[Article]) -> list[Article]:
        nonlocal skipped
        hashes = article_graphs(store, (a.identifier for a in articles))
        out = []
        for article in articles:
            iri = article_iri(settings.base, article.identifier)
            if iri in hashes and hashes[iri] == article.content_hash and not force:
                skipped += 1
                continue
            if iri in hashes:
                replaced.append(iri)
            out.append(article)
        return out

    def others() -> list[Extraction]:
        held.update(stored_names(store))
        return [ex for iri, ex in held.items() if iri not in replaced]

    from kg.stream import stream

    result = stream(
        inputs,
        settings,
        None,
        on_error=on_error,
        skip=keep,
        on_progress=on_progress,
        stored=others,
    )
    built = result.built
    # Nothing new, or a graph that does not conform: nothing is loaded.
    if not built.graphs or (built.report is not None and not built.report.conforms):
        return IngestResult(result, built, skipped, loaded=False)
    assert result.resolution is not None
    rest = {iri: ex for iri, ex in held.items() if iri not in built.graphs}
    extra = updates(store, settings.base, resolve(held.values()), result.resolution, rest)
    store.replace_graphs({**built.graphs, **extra})
    store.load_ontology()
    return IngestResult(
        result, built, skipped, loaded=True, replaced=len(replaced), rewritten=len(extra)
    )


def delete(identifiers: Sequence[str], settings: Settings, store: Store) -> list[str]:
    """Remove articles (by identifier or IRI) from ``store``, with the entities no
    other article names; the other articles resolve again without them.

    Returns the IRIs of the graphs removed.

    Raises:
        InputError: an identifier names no article in the store (nothing removed).
    """
    from kg.known import article_graphs, delete_plan
    from kg.query import Term

    found: set[str] = set()
    for name in identifiers:
        held = article_graphs(store, [name])
        if not held and ":" in name:
            ask = "ASK { GRAPH ?g { ?g a schema:NewsArticle } }"
            if store.query(ask, {"g": Term.iri(name)}).boolean:
                held = {name: ""}
        if not held:
            raise InputError(name, "no such article in the store")
        found.update(held)
    graphs = sorted(found)
    store.replace_graphs(delete_plan(store, settings.base, graphs))
    return graphs
