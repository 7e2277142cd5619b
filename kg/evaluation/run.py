"""Running kg for scoring: inputs (articles, or graphs kg wrote before) → one rdflib Graph."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from kg.errors import InputError
from kg.settings import Settings

if TYPE_CHECKING:
    from kg.pipeline import RunResult

logger = logging.getLogger(__name__)

#: Inputs with these endings are read as graphs already extracted, not as articles.
GRAPH_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig"}


def is_graph_file(name: str) -> bool:
    """Whether an input names an RDF file (scored as it is) rather than an article."""
    return Path(name).suffix.lower() in GRAPH_SUFFIXES


def read_graphs(files: Sequence[str]) -> Graph:
    """The union of RDF files, with the ontology's subclass triples (InputError if unreadable)."""
    from kg.resources import ontology_graph

    graph = Graph()
    for name in files:
        fmt = GRAPH_SUFFIXES[Path(name).suffix.lower()]
        try:
            graph.parse(name, format=fmt)
        except OSError as exc:
            raise InputError(name, exc.strerror or "cannot be read") from None
        except Exception as exc:  # rdflib's parsers raise many kinds; all mean a bad file
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError(name, f"not valid RDF ({first})") from None
    graph += ontology_graph()
    return graph


def read_texts(folder: str) -> dict[str, str]:
    """The files of a folder by base name: the articles' texts, for provenance."""
    texts = {}
    for path in sorted(Path(folder).iterdir()):
        if path.is_file():
            texts[path.name] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def extracted_graph(
    inputs: Sequence[str],
    settings: Settings,
    on_error: Callable[[InputError], None] | None = None,
) -> tuple[Graph, dict[str, str], int]:
    """kg's graph of ``inputs`` (validation off), the texts by identifier, the failed inputs.

    The graph carries the ontology, so that a subclass (a Country) counts
    for its class (a Place) as it does in kg-score with ``--ontology``.
    """
    from kg.pipeline import run

    result = run(list(inputs), settings, on_error=on_error)
    graph = _graph_of(result)
    texts = {}
    for article in result.articles:
        source = Path(article.source)
        try:
            texts[article.identifier] = (
                source.read_text(encoding="utf-8", errors="replace")
                if source.is_file()
                else article.text
            )
        except OSError:
            texts[article.identifier] = article.text
    return graph, texts, len(result.failures)


def _graph_of(result: RunResult) -> Graph:
    from kg.pipeline import build
    from kg.resources import ontology_graph

    chunks: list[bytes] = []
    build(result, check=False, sink=lambda _name, data: chunks.append(data))
    graph = Graph()
    graph.parse(data=b"".join(chunks).decode("utf-8"), format="nt")
    graph += ontology_graph()
    return graph


def sentences_graph(sentences: Sequence[tuple[str, str]], settings: Settings) -> Graph:
    """kg's graph of sentences given as (identifier, text): each one article, straight to
    NLP. For benchmark sentences, which are no news pages: kg's page reading would take
    a one-line text ("PERUGIA, Italy (AP)") for a headline and leave no article."""
    from kg.build import Builder
    from kg.extract import extract_articles
    from kg.metadata import content_hash
    from kg.pipeline import RunResult
    from kg.records import Article
    from kg.resolve import resolve

    articles = [Article(i, text, i, content_hash=content_hash(text)) for i, text in sentences]
    extractions = list(extract_articles(articles, settings))
    result = RunResult(articles=articles, extractions=extractions)
    result.builder = Builder(settings.base, resolve(extractions))
    return _graph_of(result)
