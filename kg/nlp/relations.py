"""Relations between entity mentions from the dependency parse (first family: none yet)."""

from __future__ import annotations

from spacy.tokens import Doc

from kg.gazetteer import Gazetteer
from kg.nlp.entities import Found
from kg.records import Relation


def find_relations(doc: Doc, entities: list[Found], gaz: Gazetteer) -> list[Relation]:
    """Relations other than titles; filled in by the relations work."""
    return []
