"""kg.nlp.relmodel.ner: the entity component trained beside spaCy's (CoNLL04 types)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from kg.evaluation.conll04 import read_split
from kg.nlp.relmodel.ner import (
    ONTONOTES,
    entity_model,
    find_entities,
    save_members,
    tag,
    train_ner,
)
from kg.settings import DEFAULT_MODEL

TINY = Path(__file__).resolve().parent.parent / "data" / "relmodel" / "tiny_conll04.json"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ner() -> spacy.language.Language:
    return train_ner(read_split(TINY), model=DEFAULT_MODEL, seed=1, epochs=4)


def test_it_is_spacys_ner_alone_with_the_types_mapped_back(ner):
    assert ner.pipe_names == ["ner"]
    labels = ner.meta["kg_labels"]
    # CoNLL04's types ride on spaCy's own labels for them, and come back as CoNLL04's
    for conll, onto in ONTONOTES.items():
        assert labels[onto] == conll
    assert labels["LOC"] == labels["FAC"] == "Loc"


def test_it_finds_the_training_sets_entities(ner):
    nlp = spacy.blank("en")
    split = read_split(TINY)
    right = total = 0
    for s in split:
        doc = nlp(" ".join(s["tokens"]))
        found = set(tag(ner, doc))
        gold = {(e["start"], e["end"], e["type"]) for e in s["entities"]}
        right += len(found & gold)
        total += len(gold)
    assert right / total >= 0.9


def test_labels_it_was_not_trained_on_are_left_out(ner):
    doc = spacy.blank("en")("Lisa Wong works for Hooli Systems in Denver .")
    found = tag(ner, doc)
    assert (0, 2, "Peop") in found
    kept = dict(ner.meta["kg_labels"])
    try:
        ner.meta["kg_labels"] = {k: v for k, v in kept.items() if v != "Peop"}
        assert all(t != "Peop" for _s, _e, t in tag(ner, doc))
    finally:
        ner.meta["kg_labels"] = kept


def test_same_data_and_seed_give_the_same_bytes(tmp_path: Path):
    # two fresh runs (a pipeline that has tagged text serialises a little differently)
    for name in ("one", "two"):
        train_ner(read_split(TINY), model=DEFAULT_MODEL, seed=2, epochs=2).to_disk(tmp_path / name)
    for part in ("ner/model", "ner/moves", "ner/cfg", "meta.json", "config.cfg"):
        assert (tmp_path / "one" / part).read_bytes() == (tmp_path / "two" / part).read_bytes()


def test_members_vote_by_majority(ner):
    doc = spacy.blank("en")("Lisa Wong works for Hooli Systems in Denver .")
    alone = [(*span, 1.0) for span in sorted(tag(ner, doc))]
    assert find_entities([ner], doc) == alone
    assert find_entities([ner, ner, ner], doc) == alone
    kept = dict(ner.meta["kg_labels"])
    try:
        # a member that sees no person: two of three still do, one of two is no majority
        other = train_ner(read_split(TINY), model=DEFAULT_MODEL, seed=1, epochs=4)
        other.meta["kg_labels"] = {k: v for k, v in kept.items() if v != "Peop"}
        assert (0, 2, "Peop", 2 / 3) in find_entities([ner, ner, other], doc)
        assert (4, 6, "Org", 1.0) in find_entities([ner, ner, other], doc)
        assert not any(f[:3] == (0, 2, "Peop") for f in find_entities([ner, other], doc))
    finally:
        ner.meta["kg_labels"] = kept


def test_a_folder_without_any_has_none_and_a_broken_one_says_so(ner, tmp_path: Path):
    assert entity_model(str(tmp_path)) == ()
    save_members([ner, ner], tmp_path / "good")
    loaded = entity_model(str(tmp_path / "good"))
    assert len(loaded) == 2 and loaded[1].meta["kg_labels"] == ner.meta["kg_labels"]
    bad = tmp_path / "bad" / "ner" / "1"
    bad.mkdir(parents=True)
    (bad / "config.cfg").write_text("not a config", encoding="utf-8")
    (bad / "meta.json").write_text(json.dumps({"lang": "en"}), encoding="utf-8")
    from kg.errors import ConfigError

    with pytest.raises(ConfigError, match="not a spaCy pipeline"):
        entity_model(str(tmp_path / "bad"))
