"""Running kg for scoring: inputs (articles, or graphs kg wrote before) → one rdflib Graph."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from rdflib import Graph

from kg.errors import InputError
from kg.settings import Settings

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
    from kg.pipeline import build, run
    from kg.resources import ontology_graph

    result = run(list(inputs), settings, on_error=on_error)
    chunks: list[bytes] = []
    build(result, check=False, sink=lambda _name, data: chunks.append(data))
    graph = Graph()
    graph.parse(data=b"".join(chunks).decode("utf-8"), format="nt")
    graph += ontology_graph()
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
