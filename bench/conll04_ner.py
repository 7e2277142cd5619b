"""How far a better entity stage would take the relation model on CoNLL04 (an experiment).

Run from the project root, with a relation model that `kg train --conll04
conll04_train_dev.json -o DIR` built::

    .venv/bin/python bench/conll04_ner.py DIR [--epochs 15]

Fine-tunes spaCy sm's NER on CoNLL04 train+dev's four entity types (in
memory: nothing is saved, CoNLL04 is for evaluation only), then scores end
to end on the test split as `kg eval --conll04` does, strictly, with that
NER's entities in place of kg's: NER precision, recall and F1, then the
relation micro scores. This is the ceiling study of issue 12, point 5, not
part of kg: kg's entity stage keeps spaCy's finer OntoNotes labels.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import spacy
from spacy.tokens import Doc, Span
from spacy.training import Example

from kg.evaluation.conll04 import MAPPING, detok, doc_name, gold_relations, read_split, score
from kg.evaluation.gold import norm
from kg.nlp.relmodel.apply import relation_model
from kg.nlp.relmodel.features import COARSE, Ent, pair_features
from kg.settings import DEFAULT_MODEL

SPLITS = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "conll04"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="a relation model folder trained on CoNLL04 train+dev")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--splits", type=Path, default=SPLITS)
    a = ap.parse_args()
    train = read_split(a.splits / "conll04_train_dev.json")
    test = read_split(a.splits / "conll04_test.json")
    nlp = spacy.load(DEFAULT_MODEL)
    ner = nlp.get_pipe("ner")
    for label in ("Peop", "Org", "Loc", "Other"):
        ner.add_label(label)

    examples = []
    for s in train:
        ref = Doc(nlp.vocab, words=s["tokens"])
        ref.ents = [Span(ref, e["start"], e["end"], label=e["type"]) for e in s["entities"]]
        examples.append(Example(Doc(nlp.vocab, words=s["tokens"]), ref))
    random.seed(0)
    optimizer = nlp.resume_training()
    started = time.perf_counter()
    with nlp.select_pipes(enable=["ner"]):
        for epoch in range(a.epochs):
            random.shuffle(examples)
            losses: dict[str, float] = {}
            for i in range(0, len(examples), 16):
                nlp.update(examples[i : i + 16], sgd=optimizer, drop=0.2, losses=losses)
            print(f"epoch {epoch}: loss {losses['ner']:.1f}, {time.perf_counter() - started:.0f} s")
    model = relation_model(a.model)
    pred: dict[str, dict] = {}
    tp = n_pred = n_gold = 0
    docs = nlp.pipe(detok(s["tokens"]) for s in test)
    for n, (s, doc) in enumerate(zip(test, docs, strict=True)):
        ents = [e for e in doc.ents if e.label_ in COARSE]
        gold = {(norm(detok(s["tokens"][e["start"] : e["end"]])), e["type"]) for e in s["entities"]}
        found = {(norm(e.text), e.label_) for e in ents}
        tp, n_pred, n_gold = tp + len(gold & found), n_pred + len(found), n_gold + len(gold)
        mentions = [Ent(e.start, e.end, COARSE[e.label_]) for e in ents]
        best: dict[tuple[int, int], tuple[float, int, int, str]] = {}
        for i, x in enumerate(mentions):
            for j, y in enumerate(mentions):
                if i == j:
                    continue
                label, p = model.best(pair_features(doc, x, y, mentions), f"{x.kind}>{y.kind}")
                pair = (min(i, j), max(i, j))
                if p >= model.threshold and label in MAPPING and p > best.get(pair, (0.0,))[0]:
                    best[pair] = (p, i, j, label)
        for _p, i, j, label in best.values():
            rel = MAPPING[label]
            key = ((norm(ents[i].text), ents[i].label_), rel, (norm(ents[j].text), ents[j].label_))
            pred.setdefault(doc_name(n), {}).setdefault(key, set()).add((i, rel, j))
    p, r = tp / n_pred, tp / n_gold
    print(f"NER (exact name and type): P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r):.3f}")
    m = score(gold_relations(test), pred).micro()
    print(f"relations, strict: P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f}")


if __name__ == "__main__":
    main()
