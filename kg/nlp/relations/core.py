"""Shared core of the relation rules: rule data, the context that emits relations, arguments."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Token

from kg.gazetteer import Gazetteer
from kg.nlp.coref import Arg, Mentions
from kg.nlp.entities import Found
from kg.nlp.modality import Reading, assess, penalty
from kg.nlp.relations.parse import edges_between, first_conjunct, kids, pobjs, possessor
from kg.nlp.rules import load_rules, word_set
from kg.records import (
    COUNTRY,
    EVENT,
    ORGANIZATION,
    PERSON,
    PLACE,
    Modality,
    Relation,
    dedupe_relations,
)
from kg.vocab import KG, RELATIONS, SCHEMA

_PREFIXES = {"kg": KG, "schema": SCHEMA}
# Relations where a capital city stands for its country's government.
_METONYMY = frozenset({"kg:partyTo", "kg:opposes", "kg:metWith", "kg:partnerOf", "schema:memberOf"})
_SYMMETRIC = frozenset({"kg:partnerOf", "kg:metWith"})


@functools.cache
def rule_words(rule: str, key: str) -> frozenset[str]:
    """A word list of a rule in relations.toml."""
    return word_set("relations", rule, key)


@functools.cache
def rule_number(rule: str, key: str, default: float = 0.0) -> float:
    """A number of a rule in relations.toml (a base confidence, a hop allowance)."""
    return float(load_rules("relations")[rule].get(key, default))


def _admits(allowed: tuple[str, ...], cls: str) -> bool:
    return "any" in allowed or cls in allowed or (cls == COUNTRY and PLACE in allowed)


def fits(predicate: str, subject_cls: str, obj_cls: str | None) -> bool:
    """Whether the ontology allows these classes at the ends of a relation (a literal: no range)."""
    prefix, local = predicate.split(":", 1)
    iri = _PREFIXES[prefix][local]
    if iri not in RELATIONS:
        return obj_cls is None and subject_cls == EVENT
    domain, range_ = RELATIONS[iri]
    return obj_cls is not None and _admits(domain, subject_cls) and _admits(range_, obj_cls)


# --- the context and the emitters ----------------------------------------------------------


@dataclass
class Ctx:
    """What the rules share over one document: its mentions, and the relations found so far."""

    doc: Doc
    m: Mentions
    gaz: Gazetteer
    published: date | None
    out: list[Relation] = field(default_factory=list)
    once: set[tuple[str, str]] = field(default_factory=set)
    introduced: list[Found] = field(default_factory=list)

    def introduce(self, found: Found) -> Arg:
        """A name inside another mention that a rule relates ("London" in "the London
        Marathon"): it becomes a mention of its own, and an argument."""
        if found not in self.introduced:
            self.introduced.append(found)
        return Arg(found.name, found.cls, found.end - 1)

    def args(self, tok: Token | None, *, descriptions: bool = True) -> list[Arg]:
        """The entities a token stands for, its conjuncts included (see kg.nlp.coref)."""
        return [] if tok is None else self.m.resolve(tok, descriptions=descriptions)

    def args_all(self, toks: Iterable[Token]) -> list[Arg]:
        """The entities several tokens stand for, in order."""
        return [a for t in toks for a in self.args(t)]

    def emit(
        self,
        rule: str,
        predicate: str,
        subjects: Iterable[Arg],
        objects: Iterable[Arg],
        trigger: Token,
        *,
        scope: Iterable[Token] = (),
        base: float | None = None,
        explicit: bool = False,
        local: bool = False,
        at_least: Modality | None = None,
    ) -> None:
        objs = list(objects)
        subs = list(subjects)
        if not subs or not objs:
            return
        reading = assess(trigger, self.m, scope, local=local)
        if at_least is not None and at_least.caution > reading.modality.caution:
            reading = Reading(at_least, reading.source, "")
        family = rule.split(":", 1)[0]
        conf = load_rules("relations")["confidence"]
        start = rule_number(family, "base", 0.7) if base is None else base
        for s in subs:
            for o in objs:
                if predicate in _METONYMY:
                    # Only a capital named outright stands for its country.
                    s = self.m.metonymy(s) if s.via == "mention" else s
                    o = self.m.metonymy(o) if o.via == "mention" else o
                if (s.name, s.cls) == (o.name, o.cls) or not fits(predicate, s.cls, o.cls):
                    continue
                if predicate in _SYMMETRIC and not fits(predicate, o.cls, s.cls):
                    continue
                hops = edges_between(trigger, first_conjunct(self.doc[s.token])) + edges_between(
                    trigger, first_conjunct(self.doc[o.token])
                )
                extra = max(0, hops - int(rule_number(family, "hops", 2)))
                c = start - conf["hop"] * extra - penalty(reading)
                c -= sum(
                    conf["indirect"]
                    for a in (s, o)
                    if a.via in ("description", "latter", "pronoun")
                )
                c -= sum(conf["metonymy"] for a in (s, o) if a.via == "metonymy")
                if explicit and extra == 0:
                    c += conf["explicit"]
                self._add(
                    Relation(
                        s.name,
                        s.cls,
                        predicate,
                        o.name,
                        o.cls,
                        _evidence(trigger),
                        modality=reading.modality,
                        confidence=_clamp(c),
                        attributed_to=reading.source.name if reading.source else None,
                        attributed_cls=reading.source.cls if reading.source else None,
                        rule=rule,
                    )
                )

    def emit_literal(
        self,
        rule: str,
        predicate: str,
        subject: Arg,
        value: str,
        datatype: str,
        trigger: Token,
        *,
        local: bool = False,
    ) -> None:
        if not fits(predicate, subject.cls, None):
            return
        reading = assess(trigger, self.m, local=local)
        conf = load_rules("relations")["confidence"]
        extra = max(0, edges_between(trigger, self.doc[subject.token]) - 1)
        c = rule_number("dates", "base") - conf["hop"] * extra - penalty(reading)
        self._add(
            Relation(
                subject.name,
                subject.cls,
                predicate,
                value,
                None,
                _evidence(trigger),
                modality=reading.modality,
                confidence=_clamp(c),
                attributed_to=reading.source.name if reading.source else None,
                attributed_cls=reading.source.cls if reading.source else None,
                rule=rule,
                literal_datatype=datatype,
            )
        )

    def emit_title(self, rule: str, person: Arg, title: str, trigger: Token) -> None:
        """A person's job title (schema:jobTitle) read from a verb or noun ("was appointed
        chief executive"), with the modality the trigger's clause gives it."""
        if person.cls != PERSON:
            return
        reading = assess(trigger, self.m)
        conf = rule_number(rule.split(":", 1)[0], "base", 0.8) - penalty(reading)
        if person.via != "mention":
            conf -= load_rules("relations")["confidence"]["indirect"]
        self._add(
            Relation(
                person.name,
                PERSON,
                "schema:jobTitle",
                title,
                None,
                _evidence(trigger),
                modality=reading.modality,
                confidence=_clamp(conf),
                rule=rule,
            )
        )

    def emit_fact(
        self, rule: str, predicate: str, s: Arg, o: Arg, anchor: Token, base: float
    ) -> None:
        """A fact about the world rather than an event (a city's country): always asserted."""
        if s.name == o.name or not fits(predicate, s.cls, o.cls):
            return
        self._add(
            Relation(
                s.name,
                s.cls,
                predicate,
                o.name,
                o.cls,
                _evidence(anchor),
                confidence=_clamp(base),
                rule=rule,
            )
        )

    def _add(self, rel: Relation) -> None:
        self.out.append(rel)


def _clamp(c: float) -> float:
    conf = load_rules("relations")["confidence"]
    return round(min(conf["ceiling"], max(conf["floor"], c)), 2)


def _evidence(tok: Token) -> str:
    return " ".join(tok.sent.text.split())


def dedupe(relations: list[Relation]) -> list[Relation]:
    """One relation per fact and sentence (see kg.records.dedupe_relations)."""
    return dedupe_relations(relations)


# --- arguments -----------------------------------------------------------------------------


def typed(ctx: Ctx, tok: Token | None, *classes: str) -> list[Arg]:
    """The named entities a token stands for (no descriptions) that are of one of ``classes``."""
    return [a for a in ctx.args(tok, descriptions=False) if a.cls in classes]


def typed_all(ctx: Ctx, toks: Iterable[Token], *classes: str) -> list[Arg]:
    """``typed`` over several tokens, in order."""
    return [a for t in toks for a in typed(ctx, t, *classes)]


def pairs(
    ctx: Ctx,
    rule: str,
    predicate: str,
    args: list[Arg],
    trigger: Token,
    scope: Iterable[Token] = (),
) -> None:
    """One relation for each pair of ``args`` ("X and Y met", "talks between X, Y and Z")."""
    for i, a in enumerate(args):
        for b in args[i + 1 :]:
            ctx.emit(rule, predicate, [a], [b], trigger, scope=scope)


def listed(ctx: Ctx, noun: Token, depth: int = 0) -> list[Arg]:
    """Entities a noun lists: "partners such as A, B and C", "members including A"."""
    out: list[Arg] = []
    for p in noun.children:
        if p.dep_ != "prep":
            continue
        if (
            p.lower_ == "as"
            and any(c.lower_ == "such" for c in p.children)
            or p.lower_ in ("like", "including")
        ):
            out += ctx.args_all(kids(p, "pobj"))
        elif depth < 2 and p.lower_ in ("in", "from", "across", "around"):
            out += [a for o in kids(p, "pobj") for a in listed(ctx, o, depth + 1)]
    for c in kids(noun, "appos"):
        out += ctx.args(c)
    return out


def owners_of(ctx: Ctx, noun: Token, *, descriptions: bool = True) -> list[Arg]:
    """Whose partners, members, units: "X's partners", "X partners", "partners of X"."""
    owner = possessor(noun)
    if owner is not None:
        return ctx.args(owner, descriptions=descriptions)
    names = [c for c in noun.children if c.dep_ in ("compound", "nmod") and c.i < noun.i]
    if noun.dep_ == "compound":
        names += [c for c in noun.head.children if c.dep_ == "compound" and c.i < noun.i]
    for c in names:
        found = ctx.m.at(c)
        if found is not None and found.cls in (ORGANIZATION, COUNTRY):
            return [ctx.m.arg(found)]
    return [a for t in pobjs(noun, ["of"]) for a in ctx.args(t, descriptions=descriptions)]
