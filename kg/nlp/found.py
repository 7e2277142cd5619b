"""The entity-mention record of kg's spaCy stage (no spaCy objects in it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Found:
    """An entity mention by token offsets, with its class and the name it gives."""

    start: int
    end: int
    cls: str
    name: str
    rule: str = "ner"
