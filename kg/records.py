"""Plain records passed between stages: no spaCy or rdflib objects inside."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Modality(StrEnum):
    """How the text holds a fact (kg:modality)."""

    ASSERTED = "Asserted"
    REPORTED = "Reported"
    PLANNED = "Planned"
    NEGATED = "Negated"
    PAST = "Past"

    @property
    def is_plain(self) -> bool:
        """Whether the fact is also written as a plain triple."""
        return self in (Modality.ASSERTED, Modality.REPORTED)

    @property
    def caution(self) -> int:
        """How far the text is from stating the fact as holding now (higher: more cautious)."""
        return _CAUTION[self]


_CAUTION = {
    Modality.ASSERTED: 0,
    Modality.REPORTED: 1,
    Modality.PLANNED: 2,
    Modality.PAST: 3,
    Modality.NEGATED: 4,
}


# Contract classes by short name; kg.build maps them to IRIs.
PERSON = "Person"
ORGANIZATION = "Organization"
COUNTRY = "Country"
PLACE = "Place"
EVENT = "Event"
AGREEMENT = "Agreement"
CLASSES = (PERSON, ORGANIZATION, COUNTRY, PLACE, EVENT, AGREEMENT)


@dataclass(frozen=True, slots=True)
class Article:
    """One input document, its cleaned text and the metadata read from it.

    ``text`` is the body fed to NLP: whole lines of the source, furniture
    removed, so every sentence in it is verbatim source text (white space
    aside).
    """

    identifier: str
    text: str
    source: str
    headline: str | None = None
    date_published: date | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    cited: tuple[str, ...] = ()
    url: str | None = None
    content_hash: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """One surface form of an entity in an article's text."""

    text: str
    cls: str
    start: int
    end: int
    name: str = ""
    rule: str = ""

    @property
    def canonical_hint(self) -> str:
        """The name this mention gives (``name`` when set, e.g. "France" for "French")."""
        return self.name or self.text


@dataclass(frozen=True, slots=True)
class Entity:
    """A resolved real-world thing: canonical name, class and aliases."""

    key: str
    label: str
    cls: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RunInfo:
    """How a run made its graphs (prov:wasGeneratedBy): kg, the spaCy model, when."""

    kg_version: str
    model: str
    model_version: str
    started: datetime


@dataclass(frozen=True, slots=True)
class Relation:
    """A fact between two mentions (or a mention and a literal) in one sentence.

    ``subject`` and ``obj`` are entity surface names as found by the NLP
    stage (resolved to entities later); a literal object sets ``literal``.
    """

    subject: str
    subject_cls: str
    predicate: str
    obj: str
    obj_cls: str | None
    evidence: str
    modality: Modality = Modality.ASSERTED
    confidence: float = 0.5
    attributed_to: str | None = None
    attributed_cls: str | None = None
    rule: str = ""
    literal_datatype: str | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the NLP stage found in one article."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    cited: tuple[tuple[str, str], ...] = ()
    extra_entities: tuple[tuple[str, str], ...] = field(default_factory=tuple)


_SYMMETRIC = frozenset({"kg:partnerOf", "kg:metWith"})


def dedupe_relations(relations: Iterable[Relation]) -> list[Relation]:
    """One relation per fact and sentence, in first-seen order.

    The one rule for a fact read twice from a sentence (by two rules, or
    twice by one): the most cautious modality wins ("did not meet" beats
    "met"; a Negated reading is never lost to an Asserted one), then the
    higher confidence. Symmetric properties match either way round.
    """
    best: dict[tuple[str, ...], Relation] = {}
    for rel in relations:
        ends = [(rel.subject, rel.subject_cls), (rel.obj, rel.obj_cls or "")]
        if rel.predicate in _SYMMETRIC:
            ends.sort()
        key = (rel.predicate, *ends[0], *ends[1], rel.evidence)
        old = best.get(key)
        if old is None or (rel.modality.caution, rel.confidence) > (
            old.modality.caution,
            old.confidence,
        ):
            best[key] = rel
    return list(best.values())
