"""kg.evaluation.gold: the rules of CONTRACT.md "How output is scored", on hand-built graphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.errors import InputError
from kg.evaluation.gold import load_gold, norm, score_graph
from kg.resources import ontology_graph

PREFIXES = """
@prefix kg: <https://w3id.org/kg-populator/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix : <https://example.org/> .
"""

GRAPH = (
    PREFIXES
    + """
:berg a schema:Person ; rdfs:label "Ola Berg" ; skos:altLabel "Berg" .
:berg2 a schema:Person ; rdfs:label "Mr. Berg" ; skos:altLabel "BERG" .
:norway a schema:Country ; rdfs:label "Norway" .
:holm a schema:Person ; rdfs:label "Kari Holm" .
:acme a schema:Organization ; rdfs:label "The Acme Energy" .
:oslo a schema:Place ; rdfs:label "Oslo" .
:share a schema:Organization ; rdfs:label "Share this!" .
:art a schema:NewsArticle ; schema:identifier "a.txt" ; schema:headline "Talks in Oslo" .

:berg kg:leaderOf :norway ; schema:jobTitle "Prime Minister" .
:holm kg:metWith :berg .
:holm kg:leaderOf :oslo .
:acme kg:partnerOf :norway .

[] a kg:Statement ; rdf:subject :holm ; rdf:predicate kg:leaderOf ; rdf:object :acme ;
   kg:modality kg:Planned ; prov:wasDerivedFrom :art ; kg:evidence "Holm will lead Acme." .
[] a kg:Statement ; rdf:subject :berg ; rdf:predicate kg:leaderOf ; rdf:object :norway ;
   kg:modality kg:Asserted ; prov:wasDerivedFrom :art ;
   kg:evidence "Prime Minister   Ola Berg leads Norway." .
"""
)

GOLD = {
    "documents": {"a.txt": {"headline": "Talks in Oslo", "datePublished": "2024-05-05"}},
    "entities": [
        {"name": "Ola Berg", "type": "Person", "aliases": ["Berg"]},
        {"name": "Norway", "type": "Place"},  # a Country is a Place through the ontology
        {"name": "Kari Holm", "type": "Person"},
        {"name": "Acme Energy", "type": "Organization"},
        {"name": "Oslo", "type": "Place"},
        {"name": "Bergen", "type": "Place"},
    ],
    "facts": [
        {"s": "Ola Berg", "p": "kg:leaderOf", "o": "Norway"},
        {"s": "Ola Berg", "p": "schema:jobTitle", "o": "prime minister"},
        {"s": "Ola Berg", "p": "kg:metWith", "o": "Kari Holm"},
        {"s": "Kari Holm", "p": "kg:leaderOf", "o": "Acme Energy", "modality": "planned"},
        {"s": "Acme Energy", "p": "kg:hasOfficeIn", "o": "Bergen"},
    ],
    "optional": [{"s": "Norway", "p": "kg:partnerOf", "o": "Acme Energy"}],
    "negatives": [{"s": "Kari Holm", "p": "kg:leaderOf", "o": "Oslo"}],
    "noise": ["Share this"],
}

TEXTS = {"a.txt": "Prime Minister Ola Berg\nleads Norway. Holm will lead Acme."}


@pytest.fixture(scope="module")
def score():
    graph = Graph().parse(data=GRAPH, format="turtle")
    graph += ontology_graph()
    return score_graph(graph, GOLD, TEXTS)


def test_norm_folds_case_punctuation_the_and_space():
    assert norm("The U.S.") == norm("us") == "us"
    assert norm("  Ｏｓｌｏ\tcity ") == "oslo city"


def test_entities_found_by_alias_and_subclass_missing_and_duplicates(score):
    assert score.measures["entity_recall"] == round(5 / 6, 3)
    assert score.detail["entities_missing"] == ["Bergen"]
    assert score.detail["duplicates"] == ["Ola Berg"]  # "Berg" names two Person nodes
    assert score.measures["entity_duplicates"] == 1


def test_facts_plain_statement_symmetric_and_literal(score):
    assert score.detail["facts_missing"] == ["Acme Energy kg:hasOfficeIn Bergen"]
    assert score.measures["fact_recall"] == 0.8
    assert score.measures["planned_modality_right"] == "1/1"
    leader = score.properties["kg:leaderOf"]
    assert (leader.gold, leader.found) == (2, 2)
    assert score.properties["kg:metWith"].found == 1  # stored the other way round
    assert score.properties["schema:jobTitle"].found == 1


def test_precision_counts_relations_between_gold_entities(score):
    # leaderOf Norway (right), metWith (right, symmetric), partnerOf (optional: right),
    # Holm leaderOf Oslo (wrong); Planned statements are no plain triples.
    assert score.detail["relations_wrong"] == ["Kari Holm kg:leaderOf Oslo"]
    assert score.measures["fact_precision"] == 0.75
    leader = score.properties["kg:leaderOf"]
    assert (leader.predicted, leader.right, leader.precision) == (2, 1, 0.5)
    assert score.measures["fact_f1"] == round(2 * 0.75 * 0.8 / 1.55, 3)


def test_negatives_noise_provenance_and_documents(score):
    assert score.detail["negatives_broken"] == ["Kari Holm kg:leaderOf Oslo"]
    assert score.detail["noise"] == ["Share this!"]
    # 4 plain relations (jobTitle is no relation), one with evidence in its article
    assert score.measures["provenance"] == 0.25
    assert score.measures["document_metadata"] == 0.5
    assert score.detail["document_metadata_wrong"] == ["a.txt datePublished"]


def test_as_dict_has_properties_and_detail_only_when_asked(score):
    plain = score.as_dict()
    assert plain["properties"]["kg:leaderOf"]["precision"] == 0.5
    # jobTitle is a datatype property: its precision is not scored, so it is undefined
    assert plain["properties"]["schema:jobTitle"] == {
        "gold": 1,
        "found": 1,
        "predicted": 0,
        "right": 0,
        "precision": None,
        "recall": 1.0,
        "f1": None,
    }
    assert "detail" not in plain
    assert score.as_dict(verbose=True)["detail"]["entities_missing"] == ["Bergen"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("entities: [\n", "not a YAML gold file"),
        ("- just a list\n", "not a gold file"),
        ("entities:\n  - {type: Person}\n", "entity 1 has no name"),
        ("entities:\n  - {name: X, type: Robot}\n", "unknown type 'Robot'"),
        ("facts:\n  - {s: X, p: ex:knows, o: Y}\n", "unknown property 'ex:knows'"),
        ("facts:\n  - {s: X, o: Y}\n", "facts 1 needs s, p and o"),
    ],
)
def test_bad_gold_files_name_the_problem(tmp_path: Path, text: str, problem: str):
    path = tmp_path / "gold.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_gold(path)
    assert str(err.value).startswith(f"{path}: ")
    assert problem in str(err.value)


def test_missing_gold_file(tmp_path: Path):
    with pytest.raises(InputError, match="No such file"):
        load_gold(tmp_path / "nope.yaml")
