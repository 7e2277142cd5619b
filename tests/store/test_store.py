"""The embedded store on a real Oxigraph (RocksDB) folder: load, re-load, query, lock."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS

from kg.errors import InputError, QueryError, StoreError
from kg.query import QueryResult, Term, parse_param, render_result, saved_queries, saved_query
from kg.store import ONTOLOGY_GRAPH, Store, graphs_from_file, open_store, split_by_article
from kg.vocab import KG, SCHEMA

TWO_ARTICLES = Path(__file__).parent.parent / "data" / "store" / "two-articles.ttl"
BASE = "https://w3id.org/kg-populator/id/"
NATO_ARTICLE = f"{BASE}article/nato-tokyo-0123456789ab"
G7_ARTICLE = f"{BASE}article/g7-summit-fedcba987654"

EXPECTED_STATS = {
    "articles": 2,
    "graphs": 3,
    "quads": 193,
    "entities": {
        "schema:Country": 2,
        "schema:Event": 1,
        "schema:Organization": 4,
        "schema:Person": 3,
        "schema:Place": 2,
        "kg:Agreement": 1,
    },
    "facts": {
        "schema:jobTitle": 3,
        "schema:location": 1,
        "schema:startDate": 1,
        "kg:leaderOf": 3,
        "kg:metWith": 1,
        "kg:partyTo": 1,
    },
    "statements": {"kg:Asserted": 10, "kg:Negated": 1, "kg:Planned": 2, "kg:Reported": 1},
}
NEGATED = "Japan had no plans to become a member of NATO, Kishida said."
PLANNED_OFFICE = "NATO is planning to open a liaison office in Tokyo, Nikkei Asia reported."


def values(result: QueryResult) -> list[tuple[str | None, ...]]:
    """Rows as tuples of plain values, in the query's variable order."""
    return [
        tuple(row[v].value if v in row else None for v in result.variables) for row in result.rows
    ]


def run_saved(store: Store, name: str, **params: str) -> QueryResult:
    bindings = dict(parse_param(f"{k}={v}") for k, v in params.items())
    return store.query(saved_query(name).text, bindings)


# --------------------------------------------------------------------------- splitting


@pytest.fixture(scope="module")
def fixture_graph() -> Graph:
    return Graph().parse(TWO_ARTICLES)


def test_split_gives_one_graph_per_article(fixture_graph: Graph) -> None:
    parts = split_by_article(fixture_graph)
    assert sorted(parts) == [G7_ARTICLE, NATO_ARTICLE]
    nato = parts[NATO_ARTICLE]
    japan, org_nato = URIRef(f"{BASE}country/japan"), URIRef(f"{BASE}organization/nato")
    kishida = URIRef(f"{BASE}person/fumio-kishida")
    # its own triples, its statements, their evidence
    assert (URIRef(NATO_ARTICLE), SCHEMA.identifier, Literal("nato-tokyo.txt")) in nato
    assert len(set(nato.subjects(PROV.wasDerivedFrom, URIRef(NATO_ARTICLE)))) == 7
    assert (None, KG.evidence, Literal(NEGATED)) in nato
    # plain triples only for asserted and reported statements
    assert (kishida, KG.leaderOf, japan) in nato  # Reported
    assert (japan, SCHEMA.memberOf, org_nato) not in nato  # Negated: not in the file either
    assert (org_nato, KG.hasOfficeIn, None) not in nato
    assert (kishida, SCHEMA.jobTitle, Literal("Prime Minister")) in nato
    # entity descriptions of what it mentions, nothing of the other article
    assert (japan, RDFS.label, Literal("Japan")) in nato
    assert (URIRef(f"{BASE}person/anthony-albanese"), None, None) not in nato
    assert (None, PROV.wasDerivedFrom, URIRef(G7_ARTICLE)) not in nato
    # shared facts and entities are in both graphs
    g7 = parts[G7_ARTICLE]
    assert (kishida, KG.leaderOf, japan) in g7
    assert (kishida, RDFS.label, Literal("Fumio Kishida")) in g7
    assert (URIRef(f"{BASE}event/g7-hiroshima-summit"), SCHEMA.startDate, None) in g7


def test_split_leaves_only_stray_triples_over(fixture_graph: Graph) -> None:
    parts = split_by_article(fixture_graph)
    used = set().union(*(set(p) for p in parts.values()))
    stray = {t for t in fixture_graph if t not in used}
    unmentioned = URIRef(f"{BASE}organization/unmentioned")
    assert stray == {
        (unmentioned, RDF.type, SCHEMA.Organization),
        (unmentioned, RDFS.label, Literal("Unmentioned Ltd")),
    }


def test_graphs_from_file_names_the_rest_after_the_file() -> None:
    graphs = graphs_from_file(TWO_ARTICLES)
    assert sorted(graphs) == sorted([G7_ARTICLE, NATO_ARTICLE, TWO_ARTICLES.resolve().as_uri()])
    assert graphs[TWO_ARTICLES.resolve().as_uri()].count(b"\n") == 2


def test_graphs_from_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n")
    with pytest.raises(InputError, match=r"^.*bad\.ttl: cannot parse turtle: "):
        graphs_from_file(bad)
    with pytest.raises(InputError, match="unknown RDF format"):
        graphs_from_file(tmp_path / "x.rdf")
    with pytest.raises(InputError, match=r"missing\.nq: cannot read \(No such file"):
        graphs_from_file(tmp_path / "missing.nq")


# --------------------------------------------------------------------------- load, re-load


def test_load_and_stats(loaded: Store) -> None:
    assert loaded.stats().to_json() == EXPECTED_STATS


def test_reload_leaves_counts_unchanged(loaded: Store) -> None:
    loaded.load_file(TWO_ARTICLES)
    loaded.load_file(TWO_ARTICLES)
    assert loaded.stats().to_json() == EXPECTED_STATS


def test_reload_of_a_changed_article_replaces_its_graph(loaded: Store, tmp_path: Path) -> None:
    text = TWO_ARTICLES.read_text()
    # article 1 without its denied fact: that statement must disappear from the store
    start = text.index("st:a4 a kg:Statement")
    changed = text[:start] + text[text.index("st:a5 a kg:Statement") :]
    edited = tmp_path / "edited.ttl"
    edited.write_text(changed)
    loaded.load_file(edited)
    stats = loaded.stats().to_json()
    assert stats["statements"] == {"kg:Asserted": 10, "kg:Planned": 2, "kg:Reported": 1}
    assert stats["articles"] == 2
    assert values(run_saved(loaded, "planned-and-denied"))[0][0] == str(KG.Planned)


def test_reload_in_a_new_process_keeps_counts(store_dir: Path) -> None:
    for _ in range(2):
        with open_store(store_dir) as store:
            store.load_ontology()
            store.load_file(TWO_ARTICLES)
    with open_store(store_dir, read_only=True) as store:
        stats = store.stats()
        graphs = {
            r["g"].value
            for r in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        }
    assert stats.articles == 2
    assert ONTOLOGY_GRAPH in graphs and len(graphs) == 4
    ontology = stats.quads - EXPECTED_STATS["quads"]
    assert ontology > 100  # the ontology's own graph, once


def test_default_graph_is_the_merge_without_repeats(loaded: Store) -> None:
    kishida = f"<{BASE}person/fumio-kishida>"
    label = f"SELECT ?l WHERE {{ {kishida} rdfs:label ?l }}"
    fact = f"SELECT ?o WHERE {{ {kishida} kg:leaderOf ?o }}"
    in_graphs = f"SELECT ?g WHERE {{ GRAPH ?g {{ {kishida} rdfs:label ?l }} }}"
    assert len(loaded.query(in_graphs).rows) == 2  # both articles describe him
    assert values(loaded.query(label)) == [("Fumio Kishida",)]  # the merge holds it once
    assert values(loaded.query(fact)) == [(f"{BASE}country/japan",)]
    # what one article still says stays; what none says goes
    loaded.replace_graphs({NATO_ARTICLE: b""})
    assert values(loaded.query(label)) == [("Fumio Kishida",)]
    assert values(loaded.query(fact)) == [(f"{BASE}country/japan",)]
    assert (
        loaded.query("ASK { ?s kg:leaderOf ?o . ?s rdfs:label 'Jens Stoltenberg' }").boolean
        is False
    )
    loaded.replace_graphs({G7_ARTICLE: b""})
    assert loaded.query(label).rows == ()
    assert loaded.query("SELECT * WHERE { ?s ?p ?o }").rows == tuple(
        loaded.query(
            f"SELECT * WHERE {{ GRAPH <{TWO_ARTICLES.resolve().as_uri()}> {{ ?s ?p ?o }} }}"
        ).rows
    )


def test_relative_iris_resolve_against_the_file(store_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "plain.ttl"
    data.write_text('<thing> <http://example.org/p> "a \\"b\\"\\n}" .\n')
    with open_store(store_dir) as store:
        store.load_file(data)
        assert store.export("nquads").decode() == (
            f"<{(tmp_path / 'thing').as_uri()}> <http://example.org/p> "
            f'"a \\"b\\"\\n}}" <{data.as_uri()}> .\n'
        )


def test_nquads_and_trig_keep_their_graphs(loaded: Store, tmp_path: Path) -> None:
    for fmt, suffix in (("nquads", "nq"), ("trig", "trig")):
        dump = tmp_path / f"dump.{suffix}"
        dump.write_bytes(loaded.export(fmt))
        with open_store(tmp_path / f"copy-{fmt}") as copy:
            copy.load_file(dump)
            copy.load_file(dump)
            assert copy.stats().to_json() == EXPECTED_STATS
            assert copy.export("nquads") == loaded.export("nquads")


def test_load_from_stdin(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TWO_ARTICLES.read_bytes())))
    with open_store(store_dir) as store:
        graphs = store.load_file(Path("-"))
        assert sorted(graphs) == sorted([G7_ARTICLE, NATO_ARTICLE, "urn:kg:stdin"])
        assert store.stats().to_json() == EXPECTED_STATS


def test_replace_graphs_is_all_or_nothing(loaded: Store) -> None:
    before = loaded.export("nquads")
    with pytest.raises(StoreError, match=r"^graph <urn:x:bad>: "):
        loaded.replace_graphs({NATO_ARTICLE: b"", "urn:x:bad": b"<a> <b> ."})
    assert loaded.export("nquads") == before
    loaded.replace_graphs({NATO_ARTICLE: b""})  # an empty graph is removed
    assert loaded.stats().articles == 1


def test_replace_graphs_keeps_blank_nodes_apart(store_dir: Path) -> None:
    data = b'_:b <http://example.org/p> "x" .\n'
    with open_store(store_dir) as store:
        store.replace_graphs({"urn:x:g1": data, "urn:x:g2": data})
        result = store.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert values(result) == [("2",)]


def test_ontology_goes_to_its_own_graph(store_dir: Path) -> None:
    with open_store(store_dir) as store:
        count = store.load_ontology()
        store.load_ontology()
        result = store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    assert values(result) == [(ONTOLOGY_GRAPH, str(count))]


def test_article_hash(loaded: Store) -> None:
    assert loaded.article_hash(NATO_ARTICLE) == "0123456789abcdef" * 4
    assert loaded.article_hash(f"{BASE}article/unknown") is None
    with pytest.raises(QueryError, match="not an absolute IRI"):
        loaded.article_hash("x> } <y")


# --------------------------------------------------------------------------- saved queries


def test_saved_queries_are_described() -> None:
    queries = saved_queries()
    assert {
        "who-leads-what",
        "facts-about",
        "entities-by-type",
        "planned-and-denied",
        "articles-citing",
    } <= set(queries)
    for query in queries.values():
        assert query.description and "\n" not in query.description


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_runs(loaded: Store, name: str) -> None:
    # The fixture's two articles agree with each other; a third file disagrees.
    loaded.load_file(Path(__file__).parent.parent / "data" / "store" / "conflicts.ttl")
    assert run_saved(loaded, name).rows


def test_who_leads_what(loaded: Store) -> None:
    assert values(run_saved(loaded, "who-leads-what")) == [
        (
            "Anthony Albanese",
            "Prime Minister",
            "Australia",
            "Australian Prime Minister Anthony Albanese met Kishida on Saturday.",
            "g7-summit.txt",
        ),
        (
            "Fumio Kishida",
            "Prime Minister",
            "Japan",
            "Prime Minister Fumio Kishida hosted the G7 Hiroshima Summit.",
            "g7-summit.txt",
        ),
        (
            "Fumio Kishida",
            "Prime Minister",
            "Japan",
            "Japanese Prime Minister Fumio Kishida backs the office, according to Nikkei.",
            "nato-tokyo.txt",
        ),
        (
            "Jens Stoltenberg",
            "Secretary General",
            "NATO",
            "NATO Secretary General Jens Stoltenberg welcomed the plan.",
            "nato-tokyo.txt",
        ),
    ]


def test_facts_about(loaded: Store) -> None:
    result = run_saved(loaded, "facts-about", entity="NATO")
    assert result.variables == (
        "entity",
        "subject",
        "property",
        "object",
        "modality",
        "evidence",
        "article",
    )
    assert [r[1:5] for r in values(result)] == [
        ("Japan", str(SCHEMA.memberOf), "NATO", str(KG.Negated)),
        ("Jens Stoltenberg", str(KG.leaderOf), "NATO", str(KG.Asserted)),
        ("NATO", str(KG.hasOfficeIn), "Tokyo", str(KG.Planned)),
    ]
    assert values(result)[0][5:] == (NEGATED, "nato-tokyo.txt")
    # an alias finds the same facts
    by_alias = run_saved(loaded, "facts-about", entity="North Atlantic Treaty Organization")
    assert [r[1:] for r in values(by_alias)] == [r[1:] for r in values(result)]


def test_entities_by_type(loaded: Store) -> None:
    assert len(run_saved(loaded, "entities-by-type").rows) == 13
    # with the ontology, schema:Country rdfs:subClassOf schema:Place counts
    loaded.load_ontology()
    assert len(run_saved(loaded, "entities-by-type").rows) == 15
    places = run_saved(loaded, "entities-by-type", type="schema:Place")
    assert places.column("label") == ["Australia", "Hiroshima", "Japan", "Tokyo"]
    agreements = values(run_saved(loaded, "entities-by-type", type=f"<{KG.Agreement}>"))
    assert [r[2] for r in agreements] == ["Individually Tailored Partnership Program"]
    assert set(str(agreements[0][3]).split(" | ")) == {"ITPP", 'the "ITPP" } pact'}


def test_planned_and_denied(loaded: Store) -> None:
    assert values(run_saved(loaded, "planned-and-denied")) == [
        (str(KG.Negated), "Japan", str(SCHEMA.memberOf), "NATO", None, NEGATED, "nato-tokyo.txt"),
        (
            str(KG.Planned),
            "Anthony Albanese",
            str(KG.visited),
            "Tokyo",
            "Reuters",
            "Albanese plans to visit Tokyo next year, Reuters reported.",
            "g7-summit.txt",
        ),
        (
            str(KG.Planned),
            "NATO",
            str(KG.hasOfficeIn),
            "Tokyo",
            "Nikkei Asia",
            PLANNED_OFFICE,
            "nato-tokyo.txt",
        ),
    ]


def test_articles_citing(loaded: Store) -> None:
    assert values(run_saved(loaded, "articles-citing", source="Nikkei")) == [
        ("Nikkei", "nato-tokyo.txt", "NATO plans an office in Tokyo", "2023-05-04")
    ]
    # kg:attributedTo counts as citing too
    assert run_saved(loaded, "articles-citing", source="Reuters").column("article") == [
        "g7-summit.txt"
    ]


def test_articles_and_mentions(loaded: Store) -> None:
    assert values(run_saved(loaded, "articles")) == [
        ("nato-tokyo.txt", "NATO plans an office in Tokyo", "2023-05-04", "Nikkei Asia", "7"),
        ("g7-summit.txt", "Leaders meet in Hiroshima", "2023-05-20", "Reuters", "7"),
    ]
    mentions = run_saved(loaded, "mentions", article="g7-summit.txt")
    assert len(mentions.rows) == 7


# --------------------------------------------------------------------------- params


def test_params_bind_iris_curies_and_strings() -> None:
    assert parse_param("e=<https://example.org/x>") == ("e", Term("uri", "https://example.org/x"))
    assert parse_param("?t=schema:Person") == ("t", Term("uri", str(SCHEMA.Person)))
    assert parse_param("n=ex:thing") == ("n", Term("literal", "ex:thing"))
    assert parse_param("n=a=b") == ("n", Term("literal", "a=b"))
    for bad in ("novalue", "1x=y", "a b=c"):
        with pytest.raises(QueryError, match="expected NAME=VALUE"):
            parse_param(bad)
    with pytest.raises(QueryError, match="not an absolute IRI"):
        parse_param("e=<x> } <y>")


def test_param_with_quotes_and_brace_matches_exactly(loaded: Store) -> None:
    result = run_saved(loaded, "facts-about", entity='the "ITPP" } pact')
    assert [r[:4] for r in values(result)] == [
        ('the "ITPP" } pact', "Japan", str(KG.partyTo), "Individually Tailored Partnership Program")
    ]


def test_param_cannot_inject(loaded: Store) -> None:
    sneaky = 'x" } UNION { ?e ?p ?entity } #'
    assert run_saved(loaded, "facts-about", entity=sneaky).rows == ()
    q = "SELECT ?l WHERE { ?e rdfs:label ?l }"
    assert loaded.query(q, {"l": Term("literal", '") } #')}).rows == ()


def test_param_must_be_in_the_query(loaded: Store) -> None:
    with pytest.raises(QueryError, match=r"^--param x: the query has no \?x$"):
        loaded.query("SELECT ?l WHERE { ?e rdfs:label ?l }", {"x": Term("literal", "1")})


def test_params_bind_variables_not_selected_with_types(loaded: Store) -> None:
    confident = "SELECT ?st WHERE { ?st kg:confidence ?c . FILTER(?c >= ?min) }"
    assert len(loaded.query(confident, dict([parse_param("min=0.8")])).rows) == 11
    assert len(loaded.query(confident, dict([parse_param("min=0.85")])).rows) == 7
    assert len(loaded.query(confident, dict([parse_param("min=1")])).rows) == 0
    dated = "SELECT ?a WHERE { ?a schema:datePublished ?d . FILTER(?d > ?after) }"
    assert len(loaded.query(dated, dict([parse_param("after=2023-05-10")])).rows) == 1
    assert len(loaded.query(dated, dict([parse_param("after=2023-05-01")])).rows) == 2
    # a string is not a date: the comparison is an error, so no row
    assert loaded.query(dated, dict([parse_param('after="2023-05-01"')])).rows == ()
    typed = "SELECT ?a WHERE { ?a schema:datePublished ?d }"
    assert len(loaded.query(typed, dict([parse_param('d="2023-05-04"^^xsd:date')])).rows) == 1
    tagged = "SELECT ?x WHERE { BIND(LANG(?v) AS ?x) }"
    assert values(loaded.query(tagged, dict([parse_param('v="Tokio"@de')]))) == [("de",)]


def test_facts_about_ignores_case(loaded: Store) -> None:
    exact = values(run_saved(loaded, "facts-about", entity="NATO"))
    assert exact
    assert values(run_saved(loaded, "facts-about", entity="nato")) == [
        ("nato", *row[1:]) for row in exact
    ]


def test_params_in_ask_and_construct(loaded: Store) -> None:
    ask = "ASK { ?e rdfs:label ?l }"
    assert loaded.query(ask, {"l": Term("literal", "Japan")}).boolean is True
    assert loaded.query(ask, {"l": Term("literal", "Narnia")}).boolean is False
    construct = "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e rdfs:label ?l }"
    turtle = loaded.query(construct, {"l": Term("literal", "Japan")}).turtle
    assert turtle is not None
    assert len(Graph().parse(data=turtle, format="turtle")) == 1


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "update",
    [
        'INSERT DATA { <urn:a> <urn:b> "c" }',
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX ex: <urn:x:> DELETE { ?s ex:p ?o } INSERT { ?s ex:q ?o } WHERE { ?s ex:p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <urn:g>",
        "CREATE GRAPH <urn:g>",
        "COPY <urn:a> TO <urn:b>",
    ],
)
def test_updates_are_refused(loaded: Store, update: str) -> None:
    before = loaded.export("nquads")
    with pytest.raises(QueryError, match=r"^query is read-only: SPARQL updates"):
        loaded.query(update)
    assert loaded.export("nquads") == before


@pytest.mark.parametrize(
    ("sparql", "where"),
    [
        # Oxigraph reports where its parser gave up, at or just after the mistake
        ("SELECT ?s WHERE { ?s ?p ?o", "line 1, column 27"),
        ("SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?s = ) }", "line 3, column 18"),
        ("SELECT ?s WHERE { ?s nope:p ?o }", "line 1, column 28: undeclared prefix"),
    ],
)
def test_syntax_errors_are_one_line_with_position(loaded: Store, sparql: str, where: str) -> None:
    with pytest.raises(QueryError) as info:
        loaded.query(sparql)
    message = str(info.value)
    assert message.startswith(f"SPARQL syntax error at {where}")
    assert "\n" not in message and len(message) <= 300


def test_default_prefixes_and_union_graph(loaded: Store) -> None:
    result = loaded.query("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }")
    assert values(result) == [("2",)]
    # a prefix the query declares wins over the predeclared one
    redeclared = "PREFIX schema: <http://schema.org/> ASK { ?a a schema:NewsArticle }"
    assert loaded.query(redeclared).boolean is False


# --------------------------------------------------------------------------- output formats


SELECT_TWO = (
    "SELECT ?label ?date WHERE { ?a a schema:NewsArticle ; schema:headline ?label ; "
    "schema:datePublished ?date } ORDER BY ?date"
)


def test_json_results(loaded: Store) -> None:
    doc = json.loads(render_result(loaded.query(SELECT_TWO), "json"))
    assert doc["head"]["vars"] == ["label", "date"]
    assert doc["results"]["bindings"][0] == {
        "label": {"type": "literal", "value": "NATO plans an office in Tokyo"},
        "date": {
            "type": "literal",
            "value": "2023-05-04",
            "datatype": "http://www.w3.org/2001/XMLSchema#date",
        },
    }
    assert json.loads(render_result(loaded.query("ASK { ?s ?p ?o }"), "json")) == {
        "head": {},
        "boolean": True,
    }


def test_csv_tsv_and_table(loaded: Store) -> None:
    result = loaded.query(SELECT_TWO)
    rows = list(csv.reader(io.StringIO(render_result(result, "csv").decode(), newline="")))
    assert rows == [
        ["label", "date"],
        ["NATO plans an office in Tokyo", "2023-05-04"],
        ["Leaders meet in Hiroshima", "2023-05-20"],
    ]
    assert render_result(result, "csv").endswith(b"\r\n")
    xsd_date = "<http://www.w3.org/2001/XMLSchema#date>"
    assert render_result(result, "tsv").decode() == (
        "?label\t?date\n"
        f'"NATO plans an office in Tokyo"\t"2023-05-04"^^{xsd_date}\n'
        f'"Leaders meet in Hiroshima"\t"2023-05-20"^^{xsd_date}\n'
    )
    assert render_result(result, "table").decode() == textwrap.dedent("""\
        label                          date
        -----------------------------  ----------
        NATO plans an office in Tokyo  2023-05-04
        Leaders meet in Hiroshima      2023-05-20
        """)
    assert render_result(loaded.query("ASK { ?s ?p ?o }"), "csv") == b"true\n"


def test_tsv_escapes_and_iris(loaded: Store) -> None:
    result = loaded.query('SELECT ?e ?l WHERE { ?e skos:altLabel ?l FILTER(CONTAINS(?l, "}")) }')
    assert render_result(result, "tsv").decode().splitlines()[1] == (
        f'<{BASE}agreement/itpp>\t"the \\"ITPP\\" }} pact"'
    )
    assert (
        render_result(result, "table")
        .decode()
        .splitlines()[2]
        .startswith(f'{BASE}agreement/itpp  the "ITPP" }} pact')
    )


def test_construct_and_describe_give_turtle(loaded: Store) -> None:
    construct = loaded.query("CONSTRUCT WHERE { ?c a schema:Country ; rdfs:label ?l }")
    assert construct.kind == "graph"
    text = render_result(construct, "csv")  # the format does not apply to graphs
    assert b"@prefix schema: <https://schema.org/> ." in text
    graph = Graph().parse(data=text, format="turtle")
    assert len(graph) == 4
    describe = loaded.query(f"DESCRIBE <{BASE}country/japan>")
    assert (URIRef(f"{BASE}country/japan"), RDFS.label, Literal("Japan")) in Graph().parse(
        data=describe.turtle, format="turtle"
    )


def test_export_formats(loaded: Store) -> None:
    nquads = Dataset().parse(data=loaded.export("nquads"), format="nquads")
    trig = Dataset().parse(data=loaded.export("trig"), format="trig")
    for dataset in (nquads, trig):
        assert len(list(dataset.quads())) == EXPECTED_STATS["quads"]
        names = {str(g.identifier) for g in dataset.graphs() if len(g)}
        assert names == {G7_ARTICLE, NATO_ARTICLE, TWO_ARTICLES.resolve().as_uri()}
    assert loaded.export("nquads") == loaded.export("nquads")  # sorted, so stable
    with pytest.raises(StoreError, match="unknown export format"):
        loaded.export("rdfxml")


# --------------------------------------------------------------------------- opening, locking


def test_read_only_store_must_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        open_store(tmp_path / "none", read_only=True)
    assert str(info.value) == f"no store at {tmp_path / 'none'}; load data first with `kg load`"


def test_read_only_store_refuses_loads(loaded: Store, store_dir: Path) -> None:
    loaded.close()
    with (
        open_store(store_dir, read_only=True) as reader,
        pytest.raises(StoreError, match="is open read-only"),
    ):
        reader.load_file(TWO_ARTICLES)


def test_store_and_endpoint_are_exclusive(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not both"):
        open_store(tmp_path, endpoint="http://127.0.0.1:1")


Holder = Callable[[str], "subprocess.Popen[str]"]

HOLDER = """
import sys, threading
from pathlib import Path
from kg.store import open_store
mode = sys.argv[2]
store = open_store(Path(sys.argv[1]), read_only=mode == "ro")
if mode != "ro":
    store.load_file(Path(sys.argv[3]))
print("ready", flush=True)
done = threading.Event()
threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
while not done.wait(0.05 if mode == "busy" else 60):
    if mode == "busy":  # keep rewriting the store, as `kg ingest` does between articles
        store.load_file(Path(sys.argv[3]))
store.close()
"""


@pytest.fixture
def holder(store_dir: Path) -> Iterator[Holder]:
    procs: list[subprocess.Popen[str]] = []

    def start(mode: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(store_dir), mode, str(TWO_ARTICLES)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        procs.append(proc)
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n", (
            proc.stderr.read() if proc.stderr else ""
        )
        return proc

    yield start
    for proc in procs:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_second_writer_gets_a_one_line_error(holder: Holder, store_dir: Path) -> None:
    holder("rw")  # another process holds the store read-write, as `kg load` does
    with pytest.raises(StoreError) as info:
        open_store(store_dir)
    assert str(info.value) == (
        f"store {store_dir} is in use by another process; try again when it has finished"
    )
    # readers do not need the lock: they see what the writer committed
    with open_store(store_dir, read_only=True) as reader:
        assert reader.stats().to_json() == EXPECTED_STATS


def test_queries_work_while_another_process_writes(holder: Holder, store_dir: Path) -> None:
    holder("busy")
    for _ in range(10):
        with open_store(store_dir, read_only=True) as reader:
            assert reader.stats().to_json() == EXPECTED_STATS
            assert len(run_saved(reader, "who-leads-what").rows) == 4


def test_reader_opens_right_after_a_write(tmp_path: Path) -> None:
    # The writer's first compaction can remove a file that a reader opening
    # at that moment reads about; the reader must retry, not fail.
    for trial in range(8):
        store_dir = tmp_path / f"store{trial}"
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(store_dir), "rw", str(TWO_ARTICLES)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
            with open_store(store_dir, read_only=True) as reader:
                assert reader.stats().articles == 2
        finally:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=10)


def test_reader_does_not_block_a_writer(holder: Holder, store_dir: Path) -> None:
    with open_store(store_dir) as store:
        store.load_file(TWO_ARTICLES)
    holder("ro")
    with open_store(store_dir) as store:
        store.load_file(TWO_ARTICLES)
        assert store.stats().articles == 2


def test_closing_releases_the_lock(store_dir: Path) -> None:
    first = open_store(store_dir)
    first.close()
    with pytest.raises(StoreError, match="is closed"):
        first.query("ASK {}")
    with open_store(store_dir) as second:
        assert second.stats().quads == 0
