"""`kg eval` through click's CliRunner, on the tiny gold set in tests/data/eval."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

DATA = Path(__file__).resolve().parent.parent / "data" / "eval"
GOLD = DATA / "gold.yaml"
ARTICLES = DATA / "articles"


@pytest.mark.slow
def test_eval_extracts_and_scores_json():
    result = CliRunner().invoke(cli, ["eval", str(GOLD), str(ARTICLES), "--format", "json", "-q"])
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["entity_recall"] == 1.0
    assert out["negatives_broken"] == 0
    assert out["document_metadata"] == 1.0
    props = out["properties"]
    assert props["kg:leaderOf"]["gold"] == 3 + 1
    assert props["kg:leaderOf"]["found"] >= 3
    assert 0.0 < out["fact_recall"] <= 1.0
    assert out["fact_precision"] >= 0.8


@pytest.mark.slow
def test_eval_of_a_graph_file_equals_eval_of_the_articles(tmp_path: Path):
    runner = CliRunner()
    graph = tmp_path / "out.ttl"
    done = runner.invoke(cli, ["extract", str(ARTICLES), "-o", str(graph), "-q"])
    assert done.exit_code == 0, done.stderr
    from_graph = runner.invoke(
        cli, ["eval", str(GOLD), str(graph), "--texts", str(ARTICLES), "--format", "json"]
    )
    from_text = runner.invoke(cli, ["eval", str(GOLD), str(ARTICLES), "--format", "json", "-q"])
    assert from_graph.exit_code == from_text.exit_code == 0
    a, b = json.loads(from_graph.stdout), json.loads(from_text.stdout)
    a.pop("triples"), b.pop("triples")  # the extracted graph also holds the ontology
    assert a == b


def test_eval_table_lists_properties_and_all(tmp_path: Path):
    graph = tmp_path / "g.ttl"
    graph.write_text(
        "@prefix kg: <https://w3id.org/kg-populator/ontology#> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<x:b> a schema:Person ; rdfs:label 'Ola Berg' ; kg:leaderOf <x:n> .\n"
        "<x:n> a schema:Country ; rdfs:label 'Norway' .\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["eval", str(GOLD), str(graph)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "property",
        "gold",
        "found",
        "recall",
        "pred",
        "right",
        "prec",
        "f1",
    ]
    leader = next(line.split() for line in lines if line.startswith("kg:leaderOf"))
    assert leader == ["kg:leaderOf", "4", "1", "0.250", "1", "1", "1.000", "0.400"]
    assert any(line.startswith("all ") for line in lines)
    assert "entity_recall: 0.182" in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["eval", str(GOLD)], "give a gold file and at least one input"),
        (["eval", "--conll04", "x.json", str(GOLD)], "--conll04 takes no GOLD"),
        (["eval", str(GOLD), "a.ttl", "--gold-entities"], "--gold-entities goes with --conll04"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_unreadable_inputs_give_one_error_line(tmp_path: Path):
    runner = CliRunner()
    missing = runner.invoke(cli, ["eval", str(tmp_path / "gold.yaml"), str(tmp_path / "a.ttl")])
    assert missing.exit_code == 1
    assert missing.stderr.startswith(f"Error: {tmp_path / 'gold.yaml'}: ")
    assert len(missing.stderr.splitlines()) == 1
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    broken = runner.invoke(cli, ["eval", str(GOLD), str(bad)])
    assert broken.exit_code == 1
    assert broken.stderr.startswith(f"Error: {bad}: not valid RDF")
    split = tmp_path / "split.json"
    split.write_text("{}", encoding="utf-8")
    conll = runner.invoke(cli, ["eval", "--conll04", str(split)])
    assert conll.exit_code == 1
    assert (
        conll.stderr
        == f"Error: {split}: not a CoNLL04 split (a list of tokens/entities/relations)\n"
    )
