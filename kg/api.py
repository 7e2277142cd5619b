"""The Python API: extract texts or files to a graph, open a store, ingest, query.

The names are not ``extract``, ``ingest`` and ``query``: those are kg's
modules, and importing one would replace a function of that name on ``kg``.

Everything the command line does, as functions that return values and
raise :class:`kg.errors.KgError` subclasses instead of printing and
exiting. Re-exported lazily from :mod:`kg`, so ``import kg`` stays light::

    import kg

    result = kg.extract_texts({"oslo.txt": "Norwegian Prime Minister Ola Berg visited Paris."})
    print(result.serialize("turtle").decode())
    with kg.open_store("my-store") as store:
        kg.ingest_files(["articles/"], store)
        rows = kg.run_query(store, "--saved facts-about", entity="ola berg")
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, NonConformingError
from kg.settings import DEFAULT_BASE, DEFAULT_MODEL, Settings

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.pipeline import IngestResult, RunResult
    from kg.query import QueryResult, Term
    from kg.records import Article
    from kg.store import Store

__all__ = [
    "Extracted",
    "extract_files",
    "extract_texts",
    "ingest_files",
    "open_store",
    "run_query",
]

GRAPH_FORMATS = ("turtle", "nt", "nquads", "trig", "jsonld")


@dataclass
class Extracted:
    """A validated graph: each article's N-Triples under its IRI, and what failed."""

    graphs: dict[str, bytes] = field(default_factory=dict)
    articles: list[Article] = field(default_factory=list)
    statements: int = 0
    failures: list[InputError] = field(default_factory=list)

    @property
    def graph(self) -> Graph:
        """The merge of the articles' graphs as an rdflib Graph (kg's prefixes bound)."""
        from rdflib import Graph

        from kg.vocab import bind_prefixes

        graph = Graph()
        bind_prefixes(graph)
        graph.parse(data=self.serialize("nt"), format="nt")
        return graph

    def serialize(self, fmt: str = "turtle") -> bytes:
        """The graph as turtle, nt, nquads or trig (one graph per article), or jsonld;
        the same bytes as ``kg extract --format``."""
        from kg import serialize as ser

        if fmt in ("nquads", "trig"):
            data = ser.nquads_from_ntriples(self.graphs)
            return ser.trig_from_nquads(data) if fmt == "trig" else data
        data = ser.merge_ntriples(self.graphs)
        if fmt == "turtle":
            return ser.turtle_from_ntriples(data)
        if fmt == "jsonld":
            return ser.jsonld_from_ntriples(data)
        if fmt == "nt":
            return data
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(GRAPH_FORMATS)}")


def _settings(base: str, model: str, validate: bool, jobs: int) -> Settings:
    return Settings(base=base, model=model, validate=validate, jobs=jobs)


def _finish(result: RunResult, settings: Settings) -> Extracted:
    from kg.pipeline import build

    built = build(result, check=settings.validate)
    if built.report is not None and not built.report.conforms:
        raise NonConformingError(
            f"the graph does not conform to the shapes ({built.report.violations} violations)"
            f":\n{built.report.text}"
        )
    # An article whose own graph does not conform is left out, and listed as a failure.
    failures = list(result.failures) + [
        InputError(identifier, f"its graph does not conform to the shapes:\n{outcome.text}")
        for identifier, outcome in built.rejected
    ]
    return Extracted(built.graphs, list(result.articles), built.statements, failures)


def extract_files(
    inputs: Sequence[str | Path],
    *,
    base: str = DEFAULT_BASE,
    model: str = DEFAULT_MODEL,
    validate: bool = True,
    jobs: int = 1,
) -> Extracted:
    """Extract a graph from files and folders (``-`` for stdin), as ``kg extract`` does.

    Inputs that cannot be read are in :attr:`Extracted.failures`; the rest
    are processed.

    Raises:
        NonConformingError: the graph does not conform to the shapes.
        ConfigError: the spaCy pipeline ``model`` is not installed.
    """
    from kg.pipeline import run

    settings = _settings(base, model, validate, jobs)
    return _finish(run([str(p) for p in inputs], settings), settings)


def extract_texts(
    texts: Mapping[str, str] | Iterable[str],
    *,
    base: str = DEFAULT_BASE,
    model: str = DEFAULT_MODEL,
    validate: bool = True,
    jobs: int = 1,
) -> Extracted:
    """Extract a graph from texts in memory: ``{identifier: text}`` or a list of texts
    (named ``text-1``, ``text-2``, …). HTML is recognised and read as a page.

    Raises:
        InputError: a text is empty or not an article.
        NonConformingError: the graph does not conform to the shapes.
    """
    from kg.build import Builder
    from kg.extract import extract_articles
    from kg.ingest import article_from_bytes
    from kg.pipeline import RunResult, run_info
    from kg.resolve import resolve

    named = (
        texts.items()
        if isinstance(texts, Mapping)
        else ((f"text-{i}", t) for i, t in enumerate(texts, start=1))
    )
    articles = [article_from_bytes(t.encode("utf-8"), name, name) for name, t in named]
    settings = _settings(base, model, validate, jobs)
    extractions = list(extract_articles(articles, settings))
    result = RunResult(articles=articles, extractions=extractions)
    result.builder = Builder(settings.base, resolve(extractions), run_info(settings))
    return _finish(result, settings)


def open_store(
    path: str | Path | None = None,
    *,
    endpoint: str | None = None,
    read_only: bool = False,
    **options: Any,
) -> Store:
    """An embedded store at ``path`` (default: ``$KG_STORE`` or the user's data folder), or
    a SPARQL server at ``endpoint`` (``graph_store``, ``user``, ``password``, ``timeout``
    as for ``kg query --endpoint``). Use it as a context manager to close it."""
    from kg.store import open_store as _open

    store_dir = str(path) if path is not None else None
    return _open(store_dir=store_dir, endpoint=endpoint, read_only=read_only, **options)


def ingest_files(
    inputs: Sequence[str | Path],
    store: Store,
    *,
    base: str = DEFAULT_BASE,
    model: str = DEFAULT_MODEL,
    validate: bool = True,
    jobs: int = 1,
) -> IngestResult:
    """Extract, validate and load articles into ``store``, skipping those already there.

    Raises:
        NonConformingError: the graph does not conform (nothing is loaded).
    """
    from kg.pipeline import ingest as _ingest

    settings = _settings(base, model, validate, jobs)
    outcome = _ingest([str(p) for p in inputs], settings, store)
    if outcome.report is not None and not outcome.report.conforms:
        raise NonConformingError(
            f"the graph does not conform to the shapes ({outcome.report.violations} "
            f"violations); nothing loaded:\n{outcome.report.text}"
        )
    return outcome


def run_query(store: Store, sparql: str, **params: str | Term) -> QueryResult:
    """Run a read-only query; ``sparql`` may be ``"--saved NAME"`` for a saved query.

    Keyword arguments bind any variable of the query; a string is read as
    ``kg query --param`` reads it (:func:`kg.params.parse_value`: ``min="0.8"``
    is a decimal, ``"<iri>"`` an IRI), a :class:`kg.query.Term` is taken as it is.
    """
    from kg.params import parse_value
    from kg.query import Term, saved_query

    if sparql.startswith("--saved "):
        sparql = saved_query(sparql.removeprefix("--saved ").strip()).text
    bound = {k: v if isinstance(v, Term) else parse_value(v) for k, v in params.items()}
    return store.query(sparql, bound)
