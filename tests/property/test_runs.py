"""Any split of the same articles into runs, in any order, gives the same store.

The articles are the three examples and two dozen short ones in
tests/data/runs (shared people, surnames alone, acronyms, short company
names, two people called Bush). Each split is ingested run by run into a
fresh embedded store (and once into a real `oxigraph serve`); the default
graph must be isomorphic to the store that ingested everything in one run:
the same entity IRIs, one label each, the same facts and statements.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.pipeline import ingest
from kg.settings import Settings
from kg.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCES = sorted((ROOT / "examples").glob("*.txt")) + sorted(
    (ROOT / "tests" / "data" / "runs").glob("*.txt")
)
NAMES = [p.name for p in SOURCES]
SETTINGS = Settings(jobs=1)
MERGED = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"

pytestmark = pytest.mark.slow


def default_graph(store: Store) -> Graph:
    """The store's default graph (the merge of its named graphs) as an rdflib graph."""
    turtle = store.query(MERGED).turtle
    assert turtle is not None
    return Graph().parse(data=turtle, format="turtle")


def ingest_runs(store: Store, runs: Sequence[Sequence[str]], work: Path) -> None:
    """Ingest each run's articles (by file name) in order, each from its own folder."""
    by_name = {p.name: p for p in SOURCES}
    for i, run in enumerate(runs):
        folder = work / f"run{i}"
        folder.mkdir(parents=True)
        for name in run:
            shutil.copy(by_name[name], folder / name)
        outcome = ingest([str(folder)], SETTINGS, store)
        assert not outcome.run.failures
        assert outcome.loaded


def assert_same(got: Graph, expected: Graph) -> None:
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(
            "store differs from the one-run store\nonly here:\n"
            + only_got.serialize(format="nt")
            + "\nonly in the one-run store:\n"
            + only_expected.serialize(format="nt")
        )


@pytest.fixture(scope="module")
def one_run(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    # The fixed run time of tests/conftest.py is function-scoped; set it here too.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        work = tmp_path_factory.mktemp("one-run")
        with open_store(work / "store") as store:
            ingest_runs(store, [NAMES], work)
            graph = default_graph(store)
    assert len(graph) > 1000
    return graph


def _runs(order: list[str], cuts: list[int]) -> list[list[str]]:
    bounds = [0, *sorted(set(cuts)), len(order)]
    return [order[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


@settings(
    max_examples=6,
    deadline=None,
    # Each example ingests 27 articles: report the failing split as found, unshrunk.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    order=st.permutations(NAMES),
    cuts=st.lists(st.integers(min_value=1, max_value=len(NAMES) - 1), max_size=5),
)
def test_any_split_and_order_gives_the_one_run_store(
    one_run: Graph, tmp_path_factory: pytest.TempPathFactory, order: list[str], cuts: list[int]
) -> None:
    from kg.pipeline import validate_store

    work = tmp_path_factory.mktemp("split")
    with open_store(work / "store") as store:
        ingest_runs(store, _runs(order, cuts), work)
        assert_same(default_graph(store), one_run)
        assert validate_store(store).conforms


def test_one_article_per_run_in_reverse_order(one_run: Graph, tmp_path: Path) -> None:
    with open_store(tmp_path / "store") as store:
        ingest_runs(store, [[name] for name in reversed(NAMES)], tmp_path)
        assert_same(default_graph(store), one_run)


def test_the_same_splits_against_a_sparql_server(
    one_run: Graph, start_oxigraph: Callable[..., str], tmp_path: Path
) -> None:
    url = start_oxigraph()
    half = len(NAMES) // 2
    runs = [NAMES[half:][::-1], NAMES[:3], NAMES[3:half]]
    with open_store(endpoint=url) as store:
        ingest_runs(store, runs, tmp_path)
        assert_same(default_graph(store), one_run)


@pytest.mark.parametrize("where", ["embedded", "server"])
def test_edits_and_deletes_give_the_store_of_what_is_left(
    where: str, start_oxigraph: Callable[..., str], tmp_path: Path
) -> None:
    """Ingest everything, edit one article, delete three: the store of the articles
    left as they are now, ingested in one run; and it conforms to the shapes."""
    from kg.pipeline import delete, validate_store

    gone = ["09-kate-bush.txt", "14-acme-singapore.txt", "21-eu-budget.txt"]
    target = (
        open_store(tmp_path / "store")
        if where == "embedded"
        else open_store(endpoint=start_oxigraph())
    )
    with target as store:
        ingest_runs(store, [NAMES[:10], NAMES[10:]], tmp_path / "first")
        edited = tmp_path / "edit"
        edited.mkdir()
        text = (ROOT / "tests" / "data" / "runs" / "02-tanabe-canberra.txt").read_text()
        (edited / "02-tanabe-canberra.txt").write_text(text.replace("Canberra", "Perth"))
        outcome = ingest([str(edited)], SETTINGS, store)
        assert (outcome.replaced, len(outcome.built.graphs)) == (1, 1)
        assert len(delete(gone, SETTINGS, store)) == 3
        assert validate_store(store).conforms
        got = default_graph(store)
    with open_store(tmp_path / "fresh") as fresh:
        rest = [n for n in NAMES if n not in gone and n != "02-tanabe-canberra.txt"]
        ingest_runs(fresh, [rest], tmp_path / "rest")
        assert ingest([str(edited)], SETTINGS, fresh).loaded
        assert_same(got, default_graph(fresh))
