"""kg.evaluation.conll04: strict scoring of CoNLL04, on a hand-made split and graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from kg.errors import InputError
from kg.evaluation.conll04 import (
    detok,
    gold_relations,
    predicted_from_graph,
    prepare,
    read_split,
    score,
)

SPLIT = [
    {
        "tokens": ["John", "Smith", "works", "for", "Acme", "Corp", "in", "Boston", "."],
        "entities": [
            {"type": "Peop", "start": 0, "end": 2},
            {"type": "Org", "start": 4, "end": 6},
            {"type": "Loc", "start": 7, "end": 8},
        ],
        "relations": [
            {"type": "Work_For", "head": 0, "tail": 1},
            {"type": "OrgBased_In", "head": 1, "tail": 2},
        ],
    },
    {
        "tokens": ["Ann", "Lee", "lives", "in", "Paris", "."],
        "entities": [{"type": "Peop", "start": 0, "end": 2}, {"type": "Loc", "start": 4, "end": 5}],
        "relations": [{"type": "Live_In", "head": 0, "tail": 1}],
    },
]

GRAPH = """
@prefix kg: <https://w3id.org/kg-populator/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix : <https://example.org/> .
:a0 schema:identifier "0000.txt" .
:a1 schema:identifier "0001.txt" .
:smith a schema:Person ; rdfs:label "John Smith" .
:acme a schema:Organization ; rdfs:label "Acme Corp" .
:boston a schema:Organization ; rdfs:label "Boston" .
:lee a schema:Person ; rdfs:label "Ann Lee" .
:paris a schema:Place ; rdfs:label "Paris" .
[] a kg:Statement ; rdf:subject :smith ; rdf:predicate kg:leaderOf ; rdf:object :acme ;
   prov:wasDerivedFrom :a0 .
[] a kg:Statement ; rdf:subject :acme ; rdf:predicate schema:location ; rdf:object :boston ;
   prov:wasDerivedFrom :a0 .
[] a kg:Statement ; rdf:subject :lee ; rdf:predicate schema:homeLocation ; rdf:object :paris ;
   prov:wasDerivedFrom :a1 ; kg:modality kg:Negated .
[] a kg:Statement ; rdf:subject :lee ; rdf:predicate kg:visited ; rdf:object :paris ;
   prov:wasDerivedFrom :a1 .
"""


def test_detok_joins_tokens_as_the_reference_tool():
    assert detok(["He", "did", "n't", "go", "to", "(", "St.", "Paul", ")", "."]) == (
        "He didn't go to (St. Paul)."
    )


def test_strict_scoring_wants_names_types_and_relation():
    gold = gold_relations(SPLIT)
    result = score(gold, predicted_from_graph(Graph().parse(data=GRAPH, format="turtle")))
    # leaderOf counts as Work_For; Boston typed Organization fails the strict Loc check;
    # the negated homeLocation is left out, visited maps to no CoNLL04 relation.
    assert (result.tp["Work_For"], result.fp["Work_For"], result.fn["Work_For"]) == (1, 0, 0)
    assert (result.tp["OrgBased_In"], result.fp["OrgBased_In"]) == (0, 1)
    assert result.fn["Live_In"] == 1
    micro = result.micro()
    assert (micro["tp"], micro["fp"], micro["fn"]) == (1, 1, 2)
    assert micro["precision"] == 0.5
    assert round(micro["f1"], 3) == round(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3), 3)
    assert result.as_dict()["relations"]["Work_For"]["f1"] == 1.0


def test_boundaries_mode_ignores_types():
    gold = gold_relations(SPLIT, strict=False)
    pred = predicted_from_graph(Graph().parse(data=GRAPH, format="turtle"), strict=False)
    assert score(gold, pred).tp["OrgBased_In"] == 1


def test_prepare_and_read_split(tmp_path: Path):
    path = tmp_path / "split.json"
    path.write_text(json.dumps(SPLIT), encoding="utf-8")
    split = read_split(path)
    files = prepare(split, tmp_path / "out")
    assert [f.name for f in files] == ["0000.txt", "0001.txt"]
    assert files[1].read_text(encoding="utf-8") == "Ann Lee lives in Paris.\n"


@pytest.mark.parametrize("text", ["{}", "[1, 2]", "not json", "[]"])
def test_bad_splits_are_input_errors(tmp_path: Path, text: str):
    path = tmp_path / "split.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=str(path)):
        read_split(path)
