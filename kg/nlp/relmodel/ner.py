"""The entity component a relation model folder may carry: a NER trained beside spaCy's.

``kg train`` on CoNLL04 data fine-tunes a copy of the spaCy pipeline's own
``ner`` (its tok2vec and weights as the starting point) on the training
set's entity types, and saves it, alone in a blank pipeline, as the
folder's ``ner/``. It never replaces spaCy's NER in extraction: kg's news
path needs spaCy's finer OntoNotes labels. ``kg eval --conll04`` uses it
for the entities of end-to-end scoring, where the benchmark's own types
(Peop, Org, Loc, Other) and spans are what counts. Training is in memory,
on CPU, deterministic for a seed.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from kg.errors import ConfigError

logger = logging.getLogger(__name__)

#: The sub-folder of a relation model folder that holds its entity component.
FOLDER = "ner"
#: CoNLL04's types → the OntoNotes labels of spaCy's NER that mean the same: fine-tuning
#: starts from what spaCy's NER knows of them (CoNLL04 dev, first epoch: entity F1 0.68
#: with new labels, 0.79 with these).
ONTONOTES = {"Peop": "PERSON", "Org": "ORG", "Loc": "GPE"}
#: The fine-tuned component's labels → the training set's types (in the pipeline's meta).
BACK = {"PERSON": "Peop", "ORG": "Org", "GPE": "Loc", "LOC": "Loc", "FAC": "Loc"}


def conll04_examples(
    split: Sequence[dict[str, Any]], vocab: Any, labels: dict[str, str]
) -> list[Example]:
    """Training examples: each sentence's own tokens with its gold entity spans, their
    types renamed by ``labels``."""
    out = []
    for s in split:
        ref = Doc(vocab, words=s["tokens"])
        ref.ents = [
            Span(ref, e["start"], e["end"], label=labels.get(e["type"], e["type"]))
            for e in s["entities"]
        ]
        out.append(Example(Doc(vocab, words=s["tokens"]), ref))
    return out


def train_ner(
    split: Sequence[dict[str, Any]],
    *,
    model: str,
    seed: int = 0,
    epochs: int = 12,
    drop: float = 0.3,
    batch: int = 16,
) -> Language:
    """A blank pipeline holding ``model``'s ``ner`` fine-tuned on ``split``'s entities.

    The examples are shuffled by ``seed`` (one order per epoch) and thinc's
    random state is fixed, so that the same data and seed give the same weights.
    """
    try:
        base = spacy.load(model)
    except OSError as exc:
        raise ConfigError(f"cannot load the spaCy pipeline {model!r}") from exc
    if "ner" not in base.pipe_names:
        raise ConfigError(f"{model}: has no ner component to fine-tune")
    fix_random_seed(seed)
    nlp = spacy.blank(base.lang)
    nlp.add_pipe("ner", source=base)
    ner = nlp.get_pipe("ner")
    known = set(ner.labels)  # type: ignore[attr-defined]
    labels = {t: o for t, o in ONTONOTES.items() if o in known}
    types = sorted({e["type"] for s in split for e in s["entities"]})
    back = {o: t for o, t in BACK.items() if t in labels and o in known}
    for t in types:
        ner.add_label(labels.get(t, t))  # type: ignore[attr-defined]
        back.setdefault(labels.get(t, t), t)
    examples = conll04_examples(split, nlp.vocab, labels)
    optimizer = nlp.resume_training()
    started = time.perf_counter()
    for epoch in range(epochs):
        random.Random(seed * 1000 + epoch).shuffle(examples)
        losses: dict[str, float] = {}
        for part in minibatch(examples, size=batch):
            nlp.update(part, sgd=optimizer, drop=drop, losses=losses)
        logger.info(
            "entities, epoch %d of %d: loss %.1f (%.0f s)",
            epoch + 1,
            epochs,
            losses.get("ner", 0.0),
            time.perf_counter() - started,
        )
    nlp.meta["kg_labels"] = dict(sorted(back.items()))
    nlp.meta["name"] = "kg_relmodel_ner"
    nlp.meta["description"] = f"{model}'s ner fine-tuned by kg train (seed {seed}, {epochs} epochs)"
    return nlp


def train_members(
    split: Sequence[dict[str, Any]],
    *,
    model: str,
    seed: int = 0,
    epochs: int = 12,
    members: int = 3,
) -> list[Language]:
    """``members`` entity components, seeds ``seed``, ``seed + 1``, …: they vote
    (CoNLL04 dev, relations end to end: 0.619, 0.623, 0.626 alone, 0.637 by majority)."""
    return [train_ner(split, model=model, seed=seed + k, epochs=epochs) for k in range(members)]


def member_folders(folder: str | Path) -> list[Path]:
    """The entity components saved in a model folder (``ner/1``, ``ner/2``, …), in order."""
    path = Path(folder) / FOLDER
    found = [p for p in path.iterdir() if (p / "config.cfg").is_file()] if path.is_dir() else []
    return sorted(found, key=lambda p: (len(p.name), p.name))


def save_members(members: Sequence[Language], folder: Path) -> None:
    """Each component as ``folder/ner/K`` (K from 1)."""
    (folder / FOLDER).mkdir(parents=True, exist_ok=True)
    for k, nlp in enumerate(members, 1):
        nlp.to_disk(folder / FOLDER / str(k))


@functools.cache
def entity_model(folder: str) -> tuple[Language, ...]:
    """The entity components of a model folder, loaded once per process (none: empty)."""
    out = []
    for path in member_folders(folder):
        try:
            out.append(spacy.load(path))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: not a spaCy pipeline ({exc})") from None
    return tuple(out)


def tag(ner: Language, doc: Doc) -> list[tuple[int, int, str]]:
    """One component's spans over ``doc``'s own tokens: (start, end, type), in the
    training set's types (labels it was not trained on left out)."""
    words = [t.text for t in doc]
    spaces = [bool(t.whitespace_) for t in doc]
    tagged = ner(Doc(ner.vocab, words=words, spaces=spaces))
    back = ner.meta.get("kg_labels", {})
    return [(e.start, e.end, back[e.label_]) for e in tagged.ents if e.label_ in back]


def find_entities(members: Sequence[Language], doc: Doc) -> list[tuple[int, int, str, float]]:
    """The spans (start, end, type) that most components find, each with the share of
    them that did; where two overlap, the one with more votes, then the longer, then
    the first."""
    votes: Counter[tuple[int, int, str]] = Counter()
    for ner in members:
        votes.update(set(tag(ner, doc)))
    chosen: list[tuple[int, int, str]] = []
    for span, n in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0][0] - kv[0][1], kv[0])):
        if 2 * n > len(members) and all(span[1] <= o[0] or o[1] <= span[0] for o in chosen):
            chosen.append(span)
    return [(*span, votes[span] / len(members)) for span in sorted(chosen)]
