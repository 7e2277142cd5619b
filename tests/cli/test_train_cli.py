"""`kg train`, `--relations-model` and `kg eval --conll04` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal

from kg.cli import cli
from kg.vocab import KG

DATA = Path(__file__).resolve().parent.parent / "data"
TINY = DATA / "relmodel" / "tiny_conll04.json"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("models") / "tiny"
    result = CliRunner().invoke(
        cli,
        ["train", "--conll04", str(TINY), "-o", str(out), "--holdout", "0", "--threshold", "0.5"],
    )
    assert result.exit_code == 0, result.stderr
    assert "kg: model written to" in result.stderr
    assert result.stdout == ""
    return out


@pytest.fixture(scope="module")
def rules_only_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("models") / "no-entities"
    args = ["train", "--conll04", str(TINY), "-o", str(out), "--holdout", "0", "--no-entities"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    return out


def test_train_writes_a_model_folder(model_dir: Path):
    meta = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))
    assert meta["format"] == "kg-relation-model/1"
    assert meta["threshold"] == 0.5
    assert meta["info"]["sources"] == ["conll04:tiny_conll04.json"]
    # CoNLL04 data also train an entity component, beside the relation model
    for k in ("1", "2", "3"):  # three members, by default, that vote
        assert (model_dir / "ner" / k / "config.cfg").is_file()
    assert meta["info"]["entities"]["sentences"] == 20
    assert meta["info"]["entities"]["members"] == 3
    assert meta["info"]["entities"]["labels"]["PERSON"] == "Peop"


def test_no_entities_trains_the_relation_model_alone(rules_only_dir: Path):
    assert (rules_only_dir / "model.json").is_file()
    assert not (rules_only_dir / "ner").exists()
    meta = json.loads((rules_only_dir / "model.json").read_text(encoding="utf-8"))
    assert "entities" not in meta["info"]


def test_entities_need_conll04_data(tmp_path: Path):
    redocred = DATA / "relmodel" / "tiny_redocred.json"
    args = ["train", "--redocred", str(redocred), "--entities", "-o", str(tmp_path / "m")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "--entities needs --conll04 data" in result.stderr
    assert not (tmp_path / "m").exists()


def test_extract_with_the_model_marks_its_statements(model_dir: Path, tmp_path: Path):
    article = tmp_path / "a.txt"
    article.write_text("Hiring news\n\nLisa Wong works for Hooli Systems.\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["extract", str(article), "--relations-model", str(model_dir), "-q", "-j", "1"]
    )
    assert result.exit_code == 0, result.stderr
    graph = Graph().parse(data=result.stdout, format="turtle")
    rules = {str(r) for r in graph.objects(None, KG.rule)}
    assert any(r.endswith("model:relations") for r in rules)
    plain = CliRunner().invoke(cli, ["extract", str(article), "-q", "-j", "1"])
    assert "model:" not in plain.stdout
    assert (None, KG.rule, Literal("model:relations")) not in Graph().parse(
        data=plain.stdout, format="turtle"
    )


def test_eval_conll04_with_gold_entities(model_dir: Path):
    result = CliRunner().invoke(
        cli,
        ["eval", "--conll04", str(TINY), "--gold-entities", "--relations-model", str(model_dir)],
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["relation", "tp", "fp", "fn", "P", "R", "F1"]
    micro = next(line.split() for line in lines if line.startswith("micro"))
    assert int(micro[1]) + int(micro[3]) == 20  # every gold relation is a tp or an fn
    assert float(micro[6]) >= 0.9  # its own training data


def _eval_json(folder: Path) -> dict:
    result = CliRunner().invoke(
        cli,
        ["eval", "--conll04", str(TINY), "--relations-model", str(folder), "--format", "json"],
    )
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["micro"]["tp"] + out["micro"]["fn"] == 20
    assert set(out["relations"]) <= {"Kill", "Live_In", "Located_In", "OrgBased_In", "Work_For"}
    return out


def test_eval_conll04_end_to_end_with_the_folders_entities(model_dir: Path):
    # its own training data, its entity component: (nearly) everything is found
    assert _eval_json(model_dir)["micro"]["f1"] >= 0.9


def test_eval_conll04_end_to_end_through_kg_without_them(model_dir: Path, rules_only_dir: Path):
    # kg's own entities (spaCy's NER, kg's classes) miss some of CoNLL04's spans and types
    through_kg = _eval_json(rules_only_dir)["micro"]
    assert through_kg["f1"] < _eval_json(model_dir)["micro"]["f1"]


def test_model_errors_are_one_line(tmp_path: Path):
    runner = CliRunner()
    article = tmp_path / "a.txt"
    article.write_text("Lisa Wong works for Hooli.\n", encoding="utf-8")
    missing = runner.invoke(
        cli, ["extract", str(article), "--relations-model", str(tmp_path / "x")]
    )
    assert missing.exit_code == 2
    assert missing.stderr == (
        f"Error: {tmp_path / 'x'}: no such relation model folder (make one with `kg train`)\n"
    )
    no_model = runner.invoke(cli, ["eval", "--conll04", str(TINY), "--gold-entities"])
    assert no_model.exit_code == 2
    assert "needs a relation model" in no_model.stderr
    no_data = runner.invoke(cli, ["train", "-o", str(tmp_path / "m")])
    assert no_data.exit_code == 2
    assert "give training data" in no_data.stderr
    gold_only = runner.invoke(cli, ["train", "--gold", "g.yaml", "-o", str(tmp_path / "m")])
    assert gold_only.exit_code == 2
    assert "--gold needs --texts" in gold_only.stderr


def test_train_from_a_gold_file(tmp_path: Path):
    out = tmp_path / "gold-model"
    result = CliRunner().invoke(
        cli,
        [
            "train",
            "--gold",
            str(DATA / "eval" / "gold.yaml"),
            "--texts",
            str(DATA / "eval" / "articles"),
            "-o",
            str(out),
            "--holdout",
            "0",
            "--epochs",
            "20",
        ],
    )
    assert result.exit_code == 0, result.stderr
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert meta["info"]["positives"] >= 3
    assert "kg:leaderOf" in meta["labels"]


def test_output_with_the_model_is_the_same_for_any_number_of_jobs(model_dir: Path, tmp_path: Path):
    for i, text in enumerate(
        [
            "Lisa Wong works for Hooli Systems.",
            "Acme Energy is based in Denver.",
            "Ann Lee works for Initech.",
        ]
    ):
        (tmp_path / f"{i}.txt").write_text(f"News {i}\n\n{text}\n", encoding="utf-8")
    runner = CliRunner()
    outs = []
    for jobs in ("1", "2"):
        result = runner.invoke(
            cli, ["extract", str(tmp_path), "--relations-model", str(model_dir), "-q", "-j", jobs]
        )
        assert result.exit_code == 0, result.stderr
        outs.append(result.stdout)
    assert outs[0] == outs[1]
    assert "model:relations" in outs[0]


def test_a_broken_entity_component_is_one_error_line(rules_only_dir: Path, tmp_path: Path):
    import shutil

    folder = tmp_path / "broken"
    shutil.copytree(rules_only_dir, folder)
    (folder / "ner" / "1").mkdir(parents=True)
    (folder / "ner" / "1" / "config.cfg").write_text("x\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["eval", "--conll04", str(TINY), "--relations-model", str(folder)]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {folder / 'ner' / '1'}: not a spaCy pipeline (")
    assert result.stderr.count("\n") == 1
