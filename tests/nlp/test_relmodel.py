"""kg.nlp.relmodel: features, training (deterministic), saving, readers and extraction."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kg.errors import ConfigError
from kg.gazetteer import gazetteer
from kg.nlp import build_nlp
from kg.nlp.entities import Found
from kg.nlp.relmodel.data import read_redocred, redocred_sentences
from kg.nlp.relmodel.features import Ent, dep_path, pair_features
from kg.nlp.relmodel.model import NONE, RelationModel, load_model, save_atomic
from kg.nlp.relmodel.train import Source, choose_threshold, train
from kg.records import ORGANIZATION, PERSON, Relation
from kg.settings import DEFAULT_MODEL

DATA = Path(__file__).resolve().parent.parent / "data" / "relmodel"
TINY = DATA / "tiny_conll04.json"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(DEFAULT_MODEL)


@pytest.fixture(scope="module")
def tiny_model() -> RelationModel:
    return train([Source("conll04", str(TINY))], model=DEFAULT_MODEL, holdout=0.0, epochs=100)


def test_features_read_the_path_the_words_between_and_the_types(nlp):
    doc = nlp("John Smith works for Acme Energy.")
    a, b = Ent(0, 2, "PER"), Ent(4, 6, "ORG")
    up, top, down = dep_path(doc[1], doc[5])  # type: ignore[misc]
    assert top.text == "works"
    assert [t.text for t in up] == ["Smith"]
    assert [t.text for t in down] == ["for", "Energy"]
    feats = pair_features(doc, a, b, [a, b])
    assert "T:PER>ORG" in feats and "OT:ab:PER>ORG" in feats
    assert "B:ab:work for" in feats
    assert "L:work" in feats
    assert "P:nsubj|prep_pobj" in feats
    reverse = pair_features(doc, b, a, [a, b])
    assert "T:ORG>PER" in reverse and "OT:ba:ORG>PER" in reverse


def test_training_learns_the_patterns(tiny_model, nlp):
    assert tiny_model.labels[0] == NONE
    assert set(tiny_model.labels[1:]) == {
        "kg:killed",
        "schema:containedInPlace",
        "schema:homeLocation",
        "schema:location",
        "schema:worksFor",
    }
    doc = nlp("Lisa Wong works for Hooli.")
    label, p = tiny_model.best(pair_features(doc, Ent(0, 2, "PER"), Ent(4, 5, "ORG")), "PER>ORG")
    assert label == "schema:worksFor"
    assert p > 0.5
    # types never seen with a label give no relation at all
    assert tiny_model.proba(["BIAS"], "MISC>MISC")[1:].sum() == 0.0


def test_same_data_and_seed_give_the_same_bytes(tmp_path: Path):
    for name in ("one", "two"):
        m = train([Source("conll04", str(TINY))], model=DEFAULT_MODEL, holdout=0.25, seed=3)
        save_atomic(m, tmp_path / name)
    for part in ("model.json", "features.json.gz", "weights.npz"):
        assert (tmp_path / "one" / part).read_bytes() == (tmp_path / "two" / part).read_bytes()
    info = json.loads((tmp_path / "one" / "model.json").read_text())["info"]
    assert info["seed"] == 3 and info["held_out"] > 0


def test_save_and_load_round_trip(tiny_model, tmp_path: Path):
    save_atomic(tiny_model, tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert loaded.labels == tiny_model.labels
    assert loaded.features == tiny_model.features
    assert np.allclose(loaded.weights, tiny_model.weights)
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == [
        "features.json.gz",
        "model.json",
        "weights.npz",
    ]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_bad_model_folders_are_config_errors(tmp_path: Path):
    with pytest.raises(ConfigError, match="not a relation model folder"):
        load_model(tmp_path)
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ConfigError, match="exists and is not a relation model folder"):
        save_atomic(RelationModel([NONE], [], np.zeros((0, 1)), np.zeros(1)), taken)
    assert (taken / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_threshold_keeps_precision_first():
    probs = np.array([[0.1, 0.9], [0.4, 0.6], [0.6, 0.4], [0.3, 0.7]])
    gold = np.array([1, 0, 1, 1])
    t, (p, r, _f) = choose_threshold(probs, gold, min_precision=1.0)
    assert t == 0.65 and p == 1.0 and r == pytest.approx(2 / 3)
    best_t, (_p, _r, f) = choose_threshold(probs, gold, None)
    assert f == pytest.approx(max(2 * 0.75 * 1.0 / 1.75, 0.8))


def test_redocred_reader_maps_and_inverts_properties(nlp):
    docs = read_redocred(DATA / "tiny_redocred.json")
    sents = list(redocred_sentences(docs, nlp))
    assert len(sents) == 2
    first, second = sents
    # P488 chairperson: Acme → John Smith becomes John Smith kg:leaderOf Acme
    assert first.labels == {(0, 1): "kg:leaderOf"}
    # P159 headquarters: schema:location; the unknown P999 is ignored
    assert second.labels == {(0, 1): "schema:location"}


def test_model_relations_in_extraction(tiny_model, nlp):
    from kg.nlp.relmodel.apply import model_relations

    doc = nlp("Lisa Wong works for Hooli.")
    ents = [Found(0, 2, PERSON, "Lisa Wong"), Found(4, 5, ORGANIZATION, "Hooli")]
    alone = model_relations(doc, ents, gazetteer(), [], tiny_model)
    assert [(r.subject, r.predicate, r.obj, r.rule) for r in alone] == [
        ("Lisa Wong", "schema:worksFor", "Hooli", "model:relations")
    ]
    assert alone[0].evidence == "Lisa Wong works for Hooli."
    assert alone[0].modality.value == "Asserted"
    p = alone[0].confidence
    rule = Relation(
        "Lisa Wong",
        PERSON,
        "schema:worksFor",
        "Hooli",
        ORGANIZATION,
        alone[0].evidence,
        confidence=0.6,
        rule="works:verb",
    )
    both = model_relations(doc, ents, gazetteer(), [rule], tiny_model)
    assert len(both) == 1
    assert both[0].rule == "works:verb+model:relations"
    assert both[0].confidence == pytest.approx(min(0.99, 1 - 0.4 * (1 - p)), abs=0.011)
    negated = nlp("Lisa Wong did not work for Hooli.")
    out = model_relations(negated, ents, gazetteer(), [], tiny_model)
    assert all(r.modality.value == "Negated" for r in out)


def test_the_shipped_model_loads_and_only_knows_contract_properties():
    from kg.nlp.relmodel.apply import DEFAULT, relation_model
    from kg.nlp.relmodel.data import fits_types

    model = relation_model(DEFAULT)
    assert model.info["name"] == "redocred"
    assert model.labels[0] == NONE
    assert model.emit and set(model.emit) <= set(model.labels[1:])
    for types, labels in model.allowed.items():
        a, b = types.split(">")
        assert all(fits_types(label, a, b) for label in labels)
    assert 0.0 < model.threshold < 1.0


def test_emit_limits_what_the_model_proposes(nlp):
    model = train(
        [Source("conll04", str(TINY))],
        model=DEFAULT_MODEL,
        holdout=0.0,
        epochs=100,
        emit=["schema:worksFor"],
    )
    assert model.emit == ["schema:worksFor"]
    assert len(model.labels) == 6  # it still learns every label
    doc = nlp("Lisa Wong lives in Denver.")
    label, p = model.best(pair_features(doc, Ent(0, 2, "PER"), Ent(4, 5, "LOC")), "PER>LOC")
    assert label == "schema:worksFor"
    assert p < 0.1  # the probability of what it proposes, not of homeLocation


def test_the_model_counts_once_and_only_above_its_threshold(tiny_model, nlp):
    from kg.nlp.relmodel.apply import model_relations

    doc = nlp("Lisa Wong works for Hooli.")
    ents = [Found(0, 2, PERSON, "Lisa Wong"), Found(4, 5, ORGANIZATION, "Hooli")]
    twice = model_relations(
        doc, ents + [Found(0, 2, PERSON, "Lisa Wong")], gazetteer(), [], tiny_model
    )
    assert len(twice) == 1
    rule = Relation(
        "Lisa Wong",
        PERSON,
        "schema:worksFor",
        "Hooli",
        ORGANIZATION,
        "Lisa Wong works for Hooli.",
        confidence=0.6,
        rule="works:verb",
    )
    saved = tiny_model.threshold
    tiny_model.threshold = 1.0
    try:
        assert model_relations(doc, ents, gazetteer(), [rule], tiny_model) == [rule]
    finally:
        tiny_model.threshold = saved


def test_cross_fitting_sets_threshold_from_every_sentence():
    one, two = (
        train([Source("conll04", str(TINY))], model=DEFAULT_MODEL, folds=3, epochs=60, seed=1)
        for _ in range(2)
    )
    assert one.info["folds"] == 3
    holdout = train([Source("conll04", str(TINY))], model=DEFAULT_MODEL, holdout=0.0, epochs=1)
    assert one.info["examples"] == holdout.info["examples"]  # the final fit sees every pair
    assert one.info["out_of_fold_scores"]["f1"] > 0.5
    assert (one.threshold, one.temperature) == (two.threshold, two.temperature)
    assert np.array_equal(one.weights, two.weights)
