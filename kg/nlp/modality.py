"""Modality and attribution of a relation: asserted, reported (by whom), planned, past, negated.

In the manner of medspacy's ConText, cues are data (kg/_data/cues.toml)
with a scope; here the scope is the parse. A cue counts only when it
governs the relation's trigger (the verb or noun that carries the
relation): it sits on the trigger's *clause chain*, the path from the
trigger up through its heads, or is a child of a token on that chain
(a ``neg`` child, a ``will`` auxiliary, an "according to" attachment, a
"reportedly" adverb). A cue elsewhere in the sentence does not count.

Climbing the chain:

- through complements and modifiers (xcomp, acl, pcomp, prep, pobj, dobj,
  conj, nsubj of a noun trigger, …) the cue words of each head count:
  "plans to open", "the idea of opening", "no plans to become";
- through ``ccomp`` (a reported or denied clause) only the head verb's own
  lemma counts afterwards ("said", "denied", "expects"), never its
  auxiliaries or negation: "X did not say that Y met Z" does not deny the
  meeting;
- a conjunct inherits its first conjunct's auxiliary ("will meet Y and
  sign Z") but not its negation;
- a relative clause, an apposition or a subordinate clause with its own
  conjunction ("after …", "although …") ends the chain: it is a separate
  proposition ("if …" and "unless …" are hypothetical cues instead).

Precedence (``Modality.caution``): Negated > Past > Planned > Reported >
Asserted. The attribution is the source named by the nearest reporting
verb's subject or the object of "according to", whatever the final modality.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from kg.nlp.coref import Arg, Mentions
from kg.nlp.rules import load_rules, word_set
from kg.records import ORGANIZATION, PERSON, Modality

_CHAIN_DEPS = frozenset(
    {
        "xcomp",
        "ccomp",
        "acl",
        "pcomp",
        "prep",
        "pobj",
        "dobj",
        "conj",
        "advcl",
        "attr",
        "oprd",
        "nsubj",
        "nsubjpass",
        "agent",
        "dative",
        "npadvmod",
        "compound",
        "amod",
        "acomp",
        "csubj",
    }
)
# A head verb's own lemma is a cue ("plans to", "denied", "said that") when the chain
# reaches it through one of these: a complement, not an adjunct or a conjunct.
_LEMMA_VIA = frozenset(
    {"xcomp", "ccomp", "acl", "pcomp", "oprd", "attr", "dobj", "csubj", "nsubjpass"}
)


@dataclass(frozen=True, slots=True)
class Reading:
    """How a sentence holds a relation, and who it says so."""

    modality: Modality
    source: Arg | None = None
    cue: str = ""


@functools.cache
def _cues(*keys: str) -> frozenset[str]:
    return word_set("cues", *keys)


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


@functools.cache
def _clause_verbs() -> frozenset[str]:
    """Verbs whose clausal complement is another speaker's or a denied proposition."""
    return (
        _cues("reported", "verbs")
        | _cues("reported", "conditional_verbs")
        | _cues("negated", "verbs")
        | _cues("planned", "verbs")
    )


def _stronger(a: Reading, b: Reading) -> Reading:
    if b.modality.caution > a.modality.caution:
        return Reading(b.modality, a.source or b.source, b.cue)
    return Reading(a.modality, a.source or b.source, a.cue)


SAME, CROSSED, OPAQUE = 0, 1, 2


def chain(trigger: Token) -> Iterator[tuple[Token, str, int]]:
    """The trigger's clause chain: (token, dependency it was reached by, state).

    The state is SAME within the trigger's clause, CROSSED above a
    reporting or denying verb's complement (only verb lemmas count there),
    OPAQUE above a prepositional argument ("declined to comment on reports
    that …": only who reports still counts).
    """
    yield trigger, "", SAME
    tok, state = trigger, SAME
    marks_stop = _cues("scope", "stop_marks")
    transparent = _cues("scope", "transparent_preps")
    for _ in range(12):
        dep, head = tok.dep_, tok.head
        if head.i == tok.i or dep not in _CHAIN_DEPS:
            return
        if dep == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in marks_stop for c in tok.children
        ):
            return
        if dep == "ccomp" and _lemma(head) in _clause_verbs():
            # Reported or denied speech: the reporting verb's own auxiliaries and
            # negation are not the clause's ("did not say that …").
            state = max(state, CROSSED)
        if dep == "prep" and head.pos_ in ("VERB", "AUX") and tok.lower_ not in transparent:
            state = OPAQUE
        yield head, dep, state
        tok = head


def _own_cues(tok: Token, via: str, state: int, is_trigger: bool) -> Iterable[Reading]:
    """The cues that a chain token carries for the trigger below it."""
    lemma = _lemma(tok)
    if not is_trigger and tok.pos_ in ("VERB", "AUX") and via in _LEMMA_VIA:
        if via == "ccomp":
            yield from _reporting(tok)
        if state == OPAQUE:
            return
        if (
            lemma in _cues("negated", "verbs")
            or lemma in _cues("negated", "particle_verbs")
            and any(
                c.dep_ == "prt" and c.lower_ in _cues("negated", "particles") for c in tok.children
            )
        ):
            yield Reading(Modality.NEGATED, cue=lemma)
        if (
            lemma in _cues("planned", "verbs")
            or lemma in _cues("planned", "raising")
            and via == "xcomp"
        ):
            yield Reading(Modality.PLANNED, cue=lemma)
        if (
            via == "xcomp"
            and lemma in _cues("reported", "verbs")
            and any(c.dep_ == "auxpass" for c in tok.children)
        ):
            yield Reading(Modality.REPORTED, cue=lemma)  # "X is reported to have met Y"
    if (
        not is_trigger
        and tok.pos_ in ("NOUN", "PROPN")
        and via in ("acl", "ccomp", "relcl")
        and lemma in _cues("reported", "nouns")
    ):
        yield Reading(Modality.REPORTED, cue=lemma)  # "reports that X met Y"
    if state == OPAQUE:
        yield from _source_cues(tok)
        return
    if not is_trigger and tok.pos_ in ("NOUN", "PROPN") and via in ("acl", "prep", "pcomp"):
        if lemma in _cues("planned", "nouns"):
            yield Reading(Modality.PLANNED, cue=lemma)
        if lemma in _cues("negated", "nouns"):
            yield Reading(Modality.NEGATED, cue=lemma)
    if tok.pos_ == "ADP" and tok.lower_ in _cues("negated", "preps") and via == "pcomp":
        yield Reading(Modality.NEGATED, cue=tok.lower_)
    if tok.pos_ == "ADJ" and lemma in _cues("planned", "adjectives") and via == "xcomp":
        yield Reading(Modality.PLANNED, cue=lemma)
    if state == SAME:
        yield from _children_cues(tok, via, is_trigger)
    else:
        yield from _source_cues(tok)


def _source_cues(tok: Token) -> Iterator[Reading]:
    """Only the cues that name a source: "according to", "reportedly"."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "according":
            yield Reading(Modality.REPORTED, cue="according to")
        elif c.dep_ == "advmod" and c.lower_ in _cues("reported", "adverbs"):
            yield Reading(Modality.REPORTED, cue=c.lower_)


def _children_cues(tok: Token, via: str, is_trigger: bool) -> Iterator[Reading]:
    """Cues attached as children of a chain token in the same clause."""
    for c in tok.children:
        low, dep = c.lower_, c.dep_
        found: Modality | None = None
        if dep == "neg":
            found = Modality.NEGATED if is_trigger or via not in ("conj", "prep", "pobj") else None
        elif dep == "det" and low in _cues("negated", "determiners"):
            found = Modality.NEGATED if is_trigger or via in ("acl", "prep", "pcomp") else None
        elif dep == "aux" and low in _cues("planned", "aux"):
            found = Modality.PLANNED
        elif (
            dep == "aux"
            and low == "to"
            and tok.dep_ == "advcl"
            and _lemma(tok.head) not in _cues("planned", "result_verbs")
        ):
            found = Modality.PLANNED  # a purpose clause: "… to create a global X"
        elif dep in ("amod", "compound") and low in _cues("past", "adjectives"):
            found = Modality.PAST if is_trigger or via in ("acl", "prep", "dobj", "pobj") else None
        elif dep == "amod" and _lemma(c) in _cues("planned", "adjectives"):
            found = (
                Modality.PLANNED if is_trigger or via in ("acl", "prep", "dobj", "pobj") else None
            )
        elif dep in ("npadvmod", "poss", "advmod") and (
            low in _cues("planned", "time")
            or any(g.dep_ == "amod" and g.lower_ in _cues("planned", "time") for g in c.children)
        ):
            found = Modality.PLANNED  # "next year", "next summer's tour", "later"
        elif dep == "mark" and low in _cues("planned", "marks"):
            found = Modality.PLANNED
        elif dep == "advmod" and low in _cues("negated", "adverbs"):
            found = Modality.NEGATED
        elif (
            dep == "advcl"
            and _lemma(c) in _cues("reported", "verbs")
            and c.i > tok.i
            and any(g.dep_ == "nsubj" for g in c.children)
            and not any(g.dep_ == "mark" for g in c.children)
        ):
            # "X met Y, Z said": the reporting verb trails as an adverbial clause.
            yield from _reporting(c, force=True)
        if found is not None:
            yield Reading(found, cue=low)
    yield from _source_cues(tok)


def _reporting(verb: Token, *, force: bool = False) -> Iterator[Reading]:
    """A reporting verb governing the chain: "X said", "Nikkei reported", "reports suggested"."""
    lemma = verb.lemma_.lower()
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    by_source = lemma in _cues("reported", "conditional_verbs") and any(
        s.lemma_.lower() in _cues("reported", "source_nouns") for s in subjects
    )
    if lemma in _cues("reported", "verbs") or force or by_source:
        yield Reading(Modality.REPORTED, cue=lemma)


def _source(tok: Token, mentions: Mentions) -> Arg | None:
    """The person or organisation a source phrase names ("a spokesperson from X" → X)."""
    arg = mentions.one(tok)
    if arg is None:
        arg = mentions.first_in(tok, skip=frozenset({"relcl", "acl", "ccomp", "appos"}))
    return arg if arg is not None and arg.cls in (PERSON, ORGANIZATION) else None


def _attribution(tok: Token, reading: Reading, mentions: Mentions) -> Arg | None:
    """Who a Reported cue on ``tok`` names as the source."""
    if reading.cue == "according to":
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "according":
                for p in c.children:
                    for o in p.children if p.lower_ == "to" else ():
                        if o.dep_ == "pobj":
                            return _source(o, mentions)
        return None
    verbs = [tok] + [c for c in tok.children if c.dep_ == "advcl"]
    for v in verbs:
        if v.lemma_.lower() != reading.cue:
            continue
        for c in v.children:
            if c.dep_ == "nsubj":
                return _source(c, mentions)
    return None


def assess(
    trigger: Token, mentions: Mentions, scope: Iterable[Token] = (), *, local: bool = False
) -> Reading:
    """The modality and source of a relation carried by ``trigger``.

    ``scope`` adds tokens whose own modifiers count as well (the office noun
    of "open a planned office"), as children of the trigger do. ``local``
    reads only the trigger's own modifiers: for what a noun phrase says of
    its head ("the summit in Vilnius"), whatever the clause around it does
    with the phrase.
    """
    reading = Reading(Modality.ASSERTED)
    links = [(trigger, "", SAME)] if local else chain(trigger)
    for tok, via, state in links:
        for cue in _own_cues(tok, via, state, tok.i == trigger.i):
            if cue.modality is Modality.REPORTED and reading.source is None:
                cue = Reading(cue.modality, _attribution(tok, cue, mentions), cue.cue)
            reading = _stronger(reading, cue)
    for tok in scope:
        for c in tok.children:
            if c.dep_ == "amod" and c.lemma_.lower() in _cues("planned", "adjectives"):
                reading = _stronger(reading, Reading(Modality.PLANNED, cue=c.lower_))
            elif c.dep_ in ("neg", "det") and c.lower_ in _cues("negated", "determiners"):
                reading = _stronger(reading, Reading(Modality.NEGATED, cue=c.lower_))
    return reading


def penalty(reading: Reading) -> float:
    """What a modality takes off a relation's confidence (data: cues.toml [confidence])."""
    table = load_rules("cues")["confidence"]
    return float(table.get(reading.modality.value.lower(), 0.0))
