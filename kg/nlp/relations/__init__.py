"""Relations between entity mentions from the dependency parse (all but the title relations).

Each rule starts from a trigger (a verb or noun lemma listed in
kg/_data/relations.toml, or an entity mention) and reads its arguments off
the parse: subjects through control and coordination chains ("X plans to
open", "X and Y met"), objects through prepositions and their conjuncts
("offices in A, B and C"). kg.nlp.coref says which entity a token stands
for; kg.nlp.modality says how the sentence holds the relation and who it
cites. Domain and range are checked against kg.vocab.RELATIONS before a
relation is emitted.

Confidence (every number from the ``[confidence]`` tables of
relations.toml and cues.toml)::

    c = base(rule)
        - hop      * max(0, path(trigger, subject) + path(trigger, object) - hops(rule))
        - indirect * (arguments resolved from "the bloc", "the latter", "it said")
        - metonymy * (capital cities read as their country)
        - penalty(modality)            # reported / planned / negated
        + explicit                     # both arguments attached straight to the trigger
    clamped to [floor, ceiling], rounded to 2 places.

``path`` counts dependency edges (to the first conjunct of a list, so that
"A, B and C" score alike); for a literal (a date) only the subject's path
counts, beyond one edge. Facts about the world rather than events (a city's
country) take their rule's base and are always asserted.

This module runs the rules over a document. They live in modules named for
what they relate: ``places`` (where organisations are, which place lies in
which), ``events`` (where and when, who attends), ``people`` (visits,
meetings, homes, killings), ``jobs`` (employers and offices held), ``orgs``
(offices, membership, ownership, founders) and ``diplomacy`` (partners,
agreements, opposition); ``core`` holds the context that emits relations and
``parse`` the dependency-parse helpers they share.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date

from spacy.tokens import Doc, Token

from kg.gazetteer import Gazetteer
from kg.nlp.coref import Mentions
from kg.nlp.entities import Found
from kg.nlp.relations.core import Ctx, dedupe, fits, rule_words
from kg.nlp.relations.diplomacy import agreement, oppose, partner, party
from kg.nlp.relations.events import at_event, attend, event_location, named_place, parse_when
from kg.nlp.relations.jobs import club_possessive, leader, person_of, role, works
from kg.nlp.relations.orgs import founder, member, office, parent, sub_brand
from kg.nlp.relations.people import (
    from_place,
    home,
    killed,
    meet,
    nationality,
    speaking_in,
    visit,
)
from kg.nlp.relations.places import (
    contained,
    gazetteer_contained,
    national_org,
    org_appos,
    org_described,
    org_location,
)
from kg.records import Relation

__all__ = ["find_relations", "fits", "parse_when"]

RuleFn = Callable[[Token, Ctx], None]


def find_relations(
    doc: Doc,
    entities: list[Found],
    gaz: Gazetteer,
    published: date | None = None,
    introduced: list[Found] | None = None,
) -> list[Relation]:
    """Every contract relation between the entity mentions of each sentence.

    ``published`` (the article's date) resolves dates without a year ("on
    July 11-12"); without it such dates are left out. Names that rules
    found inside other mentions ("London" in "the London Marathon") are
    added to ``introduced``: the caller makes mentions of them.
    """
    ctx = Ctx(doc, Mentions(doc, entities, gaz), gaz, published)
    counts: dict[int, int] = {}
    for f in entities:
        s = doc[f.start].sent.start
        counts[s] = counts.get(s, 0) + 1
    # Each sentence's mentions, found once: scanning every mention of the article
    # for every sentence was quadratic (minutes for a 100,000-word article).
    in_sentence: dict[int, list[Found]] = {}
    for f in ctx.m.entities:
        in_sentence.setdefault(doc[f.start].sent.start, []).append(f)
    for sent in doc.sents:
        if counts.get(sent.start, 0) == 0:
            continue
        table = _dispatch()
        for tok in sent:
            rules = table.get(tok.lemma_.lower(), ())
            if tok.lower_ != tok.lemma_.lower():
                rules = rules + table.get(tok.lower_, ())
            for rule in dict.fromkeys(rules):
                rule(tok, ctx)
        found = in_sentence.get(sent.start, [])
        for f in found:
            for mention_rule in _MENTION_RULES:
                mention_rule(f, ctx)
        gazetteer_contained(sent, ctx, found)
    if introduced is not None:
        introduced.extend(ctx.introduced)
    return dedupe(ctx.out)


# Token rules and the data keys naming the words (lemmas or lower-case forms) that trigger them.
_TOKEN_RULES: tuple[tuple[RuleFn, str, tuple[str, ...]], ...] = (
    (office, "office", ("nouns",)),
    (org_location, "org_location", ("words",)),
    (visit, "visit", ("verbs", "travel_verbs", "nouns")),
    (speaking_in, "visit", ("speech_verbs",)),
    (meet, "meet", ("verbs", "support_verbs", "nouns", "between_verbs", "words")),
    (partner, "partner", ("verbs", "upgrade_verbs", "with_nouns", "partner_nouns")),
    (party, "party", ("verbs", "nouns")),
    (oppose, "oppose", ("verbs", "adjectives", "nouns", "against_verbs")),
    (member, "member", ("verbs", "nouns", "member_heads", "sign_verbs")),
    (attend, "attend", ("verbs", "words", "result_nouns", "award_nouns")),
    (works, "works", ("verbs", "join_verbs", "hire_verbs")),
    (leader, "leader", ("verbs",)),
    (role, "role", ("verbs", "nouns", "as_words")),
    (parent, "parent", ("nouns", "parent_nouns", "buy_verbs", "own_verbs", "buy_nouns")),
    (founder, "founder", ("verbs", "nouns")),
    (home, "home", ("verbs", "born", "nouns")),
    (killed, "killed", ("verbs", "killer_nouns", "act_nouns")),
)


@functools.cache
def _dispatch() -> dict[str, tuple[RuleFn, ...]]:
    """Trigger word → the token rules it starts, built once from the rule data."""
    table: dict[str, tuple[RuleFn, ...]] = {}
    for rule, family, keys in _TOKEN_RULES:
        for key in keys:
            for word in rule_words(family, key):
                table[word] = (*table.get(word, ()), rule)
    return table


_MENTION_RULES = (
    event_location,
    named_place,
    contained,
    agreement,
    at_event,
    person_of,
    club_possessive,
    from_place,
    nationality,
    org_appos,
    org_described,
    national_org,
    sub_brand,
)
