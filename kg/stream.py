"""A streamed run: inputs read a chunk at a time, phase 1 in workers, resolution here,
phase 2 in workers, each article's graph handed on as it comes.

The run holds every article's names and the run's resolution, never the
records or the graphs: phase 1's records wait in a temporary folder (or in
a Dask cluster's workers), and a sink takes each graph's N-Triples.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.build import Builder
from kg.errors import InputError
from kg.pipeline import (
    VALIDATION_BATCH,
    Built,
    Progress,
    _articles,
    _take,
    run_info,
)
from kg.records import Article, Extraction
from kg.resolve import Resolution, from_names_record, resolve
from kg.settings import Settings
from kg.validate import ValidationReport, combine

if TYPE_CHECKING:
    from kg.cluster import DaskEngine
    from kg.phases import LocalEngine

    Engine = LocalEngine | DaskEngine

logger = logging.getLogger(__name__)


@dataclass
class Streamed:
    """What a streamed run did: the inputs that failed, the articles extracted, the
    graphs kept (in :attr:`Built.graphs` only when no sink took them)."""

    failures: list[InputError] = field(default_factory=list)
    extracted: int = 0
    built: Built = field(default_factory=Built)
    resolution: Resolution | None = None


#: Articles parsed and spilled together in phase 1 (a task of a worker).
CHUNK = 8
#: The same in one process: spaCy's batches (BATCH_WORDS) stay full across articles.
ONE_PROCESS_CHUNK = 64


def stream(
    inputs: Sequence[str],
    settings: Settings,
    sink: Callable[[str, bytes], None] | None,
    *,
    on_error: Callable[[InputError], None] | None = None,
    on_progress: Progress | None = None,
    skip: Callable[[Sequence[Article]], Sequence[Article]] | None = None,
    stored: Callable[[], Sequence[Extraction]] | None = None,
) -> Streamed:
    """Read, extract, resolve, build, validate and serialise, article by article.

    Phase 1 (NLP, in workers: :mod:`kg.phases`, or :mod:`kg.cluster` with
    ``settings.cluster``) keeps each article's records aside and gives back its
    names; resolution runs here over all names (with ``stored()``'s); phase 2
    (in workers) turns batches of records into validated N-Triples, handed to
    ``sink(article IRI, bytes)`` in input order. The parent holds the names and
    the resolution, never the records or the graphs. ``skip`` keeps the
    articles of a chunk that a caller still needs; ``on_progress(done, total,
    words)`` follows phase 1 (``total`` is 0 until every input is read).
    """
    result = Streamed()
    reading: dict[str, Any] = {"read": 0, "chunks": 0, "done": False}

    def chunks(size: int) -> Iterator[tuple[int, list[Article]]]:
        articles = _articles(inputs, result, on_error, settings.globs)
        index = 0
        # ``skip`` asks the store about a few chunks' articles at once.
        while group := list(islice(articles, 8 * CHUNK)):
            kept = list(skip(group)) if skip is not None else group
            reading["read"] += len(kept)
            for start in range(0, len(kept), size):
                yield index, kept[start : start + size]
                index += 1
        reading["chunks"], reading["done"] = index, True

    with _engine(settings) as engine:
        size = CHUNK if engine.workers > 1 else ONE_PROCESS_CHUNK
        names: list[tuple[str, str]] = []
        words = 0
        for chunk_names, chunk_words in engine.extract(chunks(size)):
            names.extend(chunk_names)
            words += chunk_words
            if on_progress is not None:
                total = reading["read"] if reading["done"] else 0
                on_progress(len(names), total, words)
        result.extracted = len(names)
        if not names:
            return result
        others = list(stored()) if stored is not None else []
        run_names = [from_names_record(identifier, record) for identifier, record in names]
        del names
        result.resolution = resolve([*others, *run_names])
        del run_names, others
        builder = Builder(settings.base, result.resolution, run_info(settings))
        keep = sink if sink is not None else result.built.graphs.__setitem__
        reports: list[ValidationReport] = []
        batches = _batches(int(reading["chunks"]), engine.workers, size)
        for part in engine.build(builder, settings.validate, batches):
            _take(part, result.built, keep, reports)
    if settings.validate:
        result.built.report = combine(reports)
    logger.info("%d articles, %d failed inputs", result.extracted, len(result.failures))
    return result


def _batches(chunks: int, workers: int, size: int) -> Iterator[list[int]]:
    """Phase 2's batches of chunks (of ``size`` articles): up to VALIDATION_BATCH
    articles, and with several workers at least four batches each, so that no
    worker waits long for the last."""
    step = max(1, VALIDATION_BATCH // size)
    if workers > 1:
        step = max(1, min(step, -(-chunks // (4 * workers))))
    for start in range(0, chunks, step):
        yield list(range(start, min(chunks, start + step)))


@contextmanager
def _engine(settings: Settings) -> Iterator[Engine]:
    """Where the phases run: a Dask cluster, or this machine (records spilled to a
    temporary folder that goes with the run)."""
    if settings.cluster:
        from kg.cluster import DaskEngine

        with DaskEngine(settings) as engine:
            yield engine
        return
    from kg.phases import LocalEngine

    with tempfile.TemporaryDirectory(prefix="kg-run-") as folder:
        yield LocalEngine(settings, Path(folder))
