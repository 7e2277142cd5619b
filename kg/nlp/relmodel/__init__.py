"""Relation model stage: a trained classifier over entity pairs, beside the rules.

A logistic regression (numpy, no pickle) reads features of each ordered
pair of entity mentions in a sentence off spaCy's parse (the dependency
path between their heads, the words between them, their types, their
distance) and gives each contract property a probability. ``features``
computes the features, ``model`` holds the weights (fit, predict, save,
load), ``data`` reads training sets (CoNLL04, Re-DocRED, gold YAML),
``train`` builds a model folder, ``apply`` proposes relations during
extraction (and on CoNLL04, between the gold entities or those of ``ner``:
the entity components that ``kg train`` fine-tunes on CoNLL04 beside
spaCy's NER, for the benchmark only).
"""

from __future__ import annotations
