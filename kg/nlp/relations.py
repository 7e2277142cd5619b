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
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from kg.gazetteer import Gazetteer
from kg.nlp.coref import Arg, Mentions
from kg.nlp.entities import Found
from kg.nlp.modality import Reading, assess, penalty
from kg.nlp.rules import load_rules, word_set
from kg.records import AGREEMENT, COUNTRY, EVENT, ORGANIZATION, PERSON, PLACE, Modality, Relation
from kg.vocab import KG, RELATIONS, SCHEMA

_PREFIXES = {"kg": KG, "schema": SCHEMA}
# Relations where a capital city stands for its country's government.
_METONYMY = frozenset({"kg:partyTo", "kg:opposes", "kg:metWith", "kg:partnerOf",
                       "schema:memberOf"})
_SYMMETRIC = frozenset({"kg:partnerOf", "kg:metWith"})
_POSS = {"'s", "’s", "'"}
_SUBJ = ("nsubj", "nsubjpass")
RuleFn = Callable[[Token, "_Ctx"], None]


@functools.cache
def _w(rule: str, key: str) -> frozenset[str]:
    return word_set("relations", rule, key)


@functools.cache
def _num(rule: str, key: str, default: float = 0.0) -> float:
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


# --- parse helpers ----------------------------------------------------------------------

def _kids(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _pobjs(tok: Token, preps: Iterable[str]) -> list[Token]:
    """Objects of ``tok``'s prepositions among ``preps`` ("office in X" → X)."""
    words = set(preps)
    return [o for p in tok.children if p.dep_ in ("prep", "agent", "dative")
            and p.lower_ in words for o in p.children if o.dep_ in ("pobj", "pcomp")]


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _has_prt(verb: Token, words: Iterable[str]) -> bool:
    return any(c.dep_ == "prt" and c.lower_ in words for c in verb.children)


def _subject_child(verb: Token, *, passive_ok: bool) -> Token | None:
    deps = _SUBJ if passive_ok else ("nsubj",)
    for c in verb.children:
        if c.dep_ in deps:
            return c  # a relative pronoun resolves to its antecedent in kg.nlp.coref
    return None


def _possessor(noun: Token) -> Token | None:
    """ "X's noun" (the parser sometimes hangs "the latter's" as an amod with a case marker)."""
    for c in noun.children:
        if c.dep_ == "poss" and c.tag_ != "PRP$":
            return c
        if c.dep_ in ("amod", "compound", "nmod") and c.i < noun.i \
                and any(g.dep_ == "case" and g.text in _POSS for g in c.children):
            return c
    return None


def controller(verb: Token) -> Token | None:
    """The token that does what ``verb`` says, through control and coordination chains.

    "X plans to open" and "X has announced plans to open" give X for
    "open"; "urged Japan to exercise" gives Japan (object control); "X, who
    heads Y" gives X. The trigger's own passive subject is not its agent
    (the rules read "by" phrases themselves).
    """
    v = verb
    for depth in range(8):
        subj = _subject_child(v, passive_ok=depth > 0)
        if subj is not None:
            return subj
        if depth == 0 and _passive(v):
            return None
        dep, head = v.dep_, v.head
        if dep == "xcomp":
            obj = _kids(head, "dobj")
            if obj:
                return obj[0]
            v = head
        elif dep in ("conj", "advcl"):
            v = head
        elif dep in ("acl", "pcomp"):
            noun = head.head if dep == "pcomp" and head.pos_ == "ADP" else head
            if noun.pos_ in ("VERB", "AUX"):
                v = noun
                continue
            if dep == "acl" and v.tag_ in ("VBN", "VBG") and not _kids(v, "aux"):
                return v  # "the man convicted of killing Y": kg.nlp.coref reads it as the man
            owner = _possessor(noun)
            if owner is not None:
                return owner
            if noun.dep_ in ("dobj", "attr") and noun.head.pos_ in ("VERB", "AUX"):
                v = noun.head
            else:
                return None
        else:
            return None
    return None


def _anchor(tok: Token) -> Token:
    """The first conjunct of a list: every member of "A, B and C" is as near as A."""
    while tok.dep_ == "conj":
        tok = tok.head
    return tok


def _dist(a: Token, b: Token) -> int:
    """Dependency edges between two tokens."""
    up: dict[int, int] = {}
    t, n = a, 0
    while True:
        up[t.i] = n
        if t.head.i == t.i:
            break
        t, n = t.head, n + 1
    t, n = b, 0
    while t.i not in up:
        if t.head.i == t.i:
            return n + len(up)
        t, n = t.head, n + 1
    return n + up[t.i]


# --- the context and the emitter ------------------------------------------------------

@dataclass
class _Ctx:
    doc: Doc
    m: Mentions
    gaz: Gazetteer
    published: date | None
    out: list[Relation] = field(default_factory=list)
    once: set[tuple[str, str]] = field(default_factory=set)

    def args(self, tok: Token | None, *, descriptions: bool = True) -> list[Arg]:
        return [] if tok is None else self.m.resolve(tok, descriptions=descriptions)

    def emit(self, rule: str, predicate: str, subjects: Iterable[Arg], objects: Iterable[Arg],
             trigger: Token, *, scope: Iterable[Token] = (), base: float | None = None,
             explicit: bool = False, local: bool = False,
             at_least: Modality | None = None) -> None:
        objs = list(objects)
        subs = list(subjects)
        if not subs or not objs:
            return
        reading = assess(trigger, self.m, scope, local=local)
        if at_least is not None and _STRENGTH[at_least.value] > _STRENGTH[reading.modality.value]:
            reading = Reading(at_least, reading.source, "")
        family = rule.split(":", 1)[0]
        conf = load_rules("relations")["confidence"]
        start = _num(family, "base", 0.7) if base is None else base
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
                hops = _dist(trigger, _anchor(self.doc[s.token])) \
                    + _dist(trigger, _anchor(self.doc[o.token]))
                extra = max(0, hops - int(_num(family, "hops", 2)))
                c = start - conf["hop"] * extra - penalty(reading)
                c -= sum(conf["indirect"] for a in (s, o)
                         if a.via in ("description", "latter", "pronoun"))
                c -= sum(conf["metonymy"] for a in (s, o) if a.via == "metonymy")
                if explicit and extra == 0:
                    c += conf["explicit"]
                self._add(Relation(
                    s.name, s.cls, predicate, o.name, o.cls, _evidence(trigger),
                    modality=reading.modality, confidence=_clamp(c),
                    attributed_to=reading.source.name if reading.source else None,
                    attributed_cls=reading.source.cls if reading.source else None,
                    rule=rule))

    def emit_literal(self, rule: str, predicate: str, subject: Arg, value: str,
                     datatype: str, trigger: Token, *, local: bool = False) -> None:
        if not fits(predicate, subject.cls, None):
            return
        reading = assess(trigger, self.m, local=local)
        conf = load_rules("relations")["confidence"]
        extra = max(0, _dist(trigger, self.doc[subject.token]) - 1)
        c = _num("dates", "base") - conf["hop"] * extra - penalty(reading)
        self._add(Relation(subject.name, subject.cls, predicate, value, None, _evidence(trigger),
                           modality=reading.modality, confidence=_clamp(c),
                           attributed_to=reading.source.name if reading.source else None,
                           attributed_cls=reading.source.cls if reading.source else None,
                           rule=rule, literal_datatype=datatype))

    def _add(self, rel: Relation) -> None:
        self.out.append(rel)


def _clamp(c: float) -> float:
    conf = load_rules("relations")["confidence"]
    return round(min(conf["ceiling"], max(conf["floor"], c)), 2)


def _evidence(tok: Token) -> str:
    return " ".join(tok.sent.text.split())


_STRENGTH = {"Negated": 3, "Planned": 2, "Reported": 1, "Asserted": 0}


def _dedupe(relations: list[Relation]) -> list[Relation]:
    """One relation per fact and sentence: the most cautious modality, then the best confidence."""
    best: dict[tuple[str, ...], Relation] = {}
    for rel in relations:
        ends = sorted([(rel.subject, rel.subject_cls), (rel.obj, rel.obj_cls or "")]) \
            if rel.predicate in _SYMMETRIC else [(rel.subject, rel.subject_cls),
                                                 (rel.obj, rel.obj_cls or "")]
        key = (rel.predicate, *ends[0], *ends[1], rel.evidence)
        old = best.get(key)
        if old is None or (_STRENGTH[rel.modality.value], rel.confidence) > (
                _STRENGTH[old.modality.value], old.confidence):
            best[key] = rel
    return list(best.values())


def find_relations(doc: Doc, entities: list[Found], gaz: Gazetteer,
                   published: date | None = None) -> list[Relation]:
    """Every contract relation between the entity mentions of each sentence.

    ``published`` (the article's date) resolves dates without a year ("on
    July 11-12"); without it such dates are left out.
    """
    ctx = _Ctx(doc, Mentions(doc, entities, gaz), gaz, published)
    counts: dict[int, int] = {}
    for f in entities:
        s = doc[f.start].sent.start
        counts[s] = counts.get(s, 0) + 1
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
        for f in ctx.m.entities:
            if sent.start <= f.start < sent.end:
                for mention_rule in _MENTION_RULES:
                    mention_rule(f, ctx)
        _gazetteer_contained(sent, ctx)
    return _dedupe(ctx.out)


# --- kg:hasOfficeIn ---------------------------------------------------------------------

def _places(ctx: _Ctx, node: Token, depth: int = 0) -> Iterator[Arg]:
    """Places under a node's in/at prepositions, their conjuncts and nested attachments.

    "offices at the United Nations in New York, the Organization for … in
    Vienna, as well as in Georgia, Ukraine …" gives New York, Vienna,
    Georgia, Ukraine; "the first of its kind in Asia" is not reached (only
    in/at, appositions and conjuncts are followed). Of two "in" phrases
    after an organisation's name, the first belongs to the name ("… in
    Europe in Vienna").
    """
    if depth > 3:
        return
    preps = [p for p in node.children if p.dep_ == "prep" and p.lower_ in _w("office", "preps")]
    mention = ctx.m.at(node)
    if mention is not None and mention.cls not in (PLACE, COUNTRY) and len(preps) > 1 \
            and preps[0].i == mention.end:
        preps = preps[1:]
    for prep in preps:
        for obj in _kids(prep, "pobj"):
            for t in (obj, *obj.conjuncts):
                found = ctx.m.at(t)
                if found is not None and found.cls in (PLACE, COUNTRY):
                    yield ctx.m.arg(found)
                elif found is not None or t.pos_ in ("NOUN", "PROPN"):
                    yield from _places(ctx, t, depth + 1)
    for c in _kids(node, "appos"):
        yield from _places(ctx, c, depth + 1)


def _office(tok: Token, ctx: _Ctx) -> None:
    if tok.pos_ not in ("NOUN", "PROPN") or _lemma(tok) not in _w("office", "nouns"):
        return
    verb = tok.head if tok.dep_ in ("dobj", "nsubjpass") else None
    if verb is not None and (_lemma(verb) not in _w("office", "verbs") or (
            _lemma(verb) in _w("office", "particle_verbs") and not _has_prt(verb, {"up"}))):
        verb = None
    places = list(_places(ctx, tok))
    compound = [ctx.m.arg(f) for c in _kids(tok, "compound") if (f := ctx.m.at(c))
                and f.cls in (PLACE, COUNTRY)]
    places += compound
    if verb is not None:
        places += list(_places_of_verb(ctx, verb))
    if not places:
        return
    subjects: list[Arg] = []
    if verb is not None:
        subjects = ctx.args(_agent(verb) if tok.dep_ == "nsubjpass" else controller(verb))
    if not subjects:
        owner = _possessor(tok) or next((o for o in _pobjs(tok, ["of"])), None)
        subjects = ctx.args(owner)
    if not subjects:
        subjects = [ctx.m.arg(f) for c in _kids(tok, "compound") if (f := ctx.m.at(c))
                    and f.cls == ORGANIZATION]
    trigger = verb if verb is not None else tok
    ctx.emit("office:" + ("verb" if verb is not None else "noun"), "kg:hasOfficeIn",
             subjects, places, trigger, scope=[tok], explicit=verb is not None,
             local=verb is None)


def _places_of_verb(ctx: _Ctx, verb: Token) -> Iterator[Arg]:
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in _w("office", "preps"):
            for obj in _kids(prep, "pobj"):
                for t in (obj, *obj.conjuncts):
                    found = ctx.m.at(t)
                    if found is not None and found.cls in (PLACE, COUNTRY):
                        yield ctx.m.arg(found)


def _agent(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            for o in c.children:
                if o.dep_ == "pobj":
                    return o
    return None


# --- schema:location, dates, schema:containedInPlace ------------------------------------

def _places_at(ctx: _Ctx, obj: Token) -> list[Arg]:
    """A place phrase's places: the place, its conjuncts, its apposition ("Vilnius, Lithuania")."""
    out = []
    for t in (obj, *obj.conjuncts):
        found = ctx.m.at(t)
        if found is None or found.cls not in (PLACE, COUNTRY):
            continue
        out.append(ctx.m.arg(found))
        for c in _kids(t, "appos"):
            inner = ctx.m.at(c)
            if inner is not None and inner.cls in (PLACE, COUNTRY):
                out.append(ctx.m.arg(inner))
    return out


def _event(f: Found, ctx: _Ctx) -> None:
    if f.cls != EVENT:
        return
    if parse_when(f.name, date(2000, 1, 1)) or re.fullmatch(r"\d{1,2} \w+", f.name):
        return  # "9 November" taken for an event
    root = ctx.m.root(f)
    event = ctx.m.arg(f)
    preps = _w("event_location", "preps")
    places = [a for o in _pobjs(root, preps) for a in _places_at(ctx, o)]
    ctx.emit("event_location:noun", "schema:location", [event], places, root, explicit=True,
             local=True)
    _dates(ctx, event, root, root, local=True)
    verb = root.head
    if root.dep_ in _SUBJ and _lemma(verb) in _w("event_location", "verbs") and (
            _lemma(verb) != "take" or any(_lemma(c) == "place" for c in _kids(verb, "dobj"))):
        places = [a for o in _pobjs(verb, preps) for a in _places_at(ctx, o)]
        ctx.emit("event_location:verb", "schema:location", [event], places, verb)
        _dates(ctx, event, verb, verb)


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_M = "(?P<m>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_D1, _D2 = r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?", r"(?P<d2>\d{1,2})(?:st|nd|rd|th)?"
_Y = r"(?P<y>(?:19|20)\d\d)"
_DATE_FORMS = [re.compile(p, re.IGNORECASE) for p in (
    rf"{_M} {_D1}(?: ?(?:-|to|and) ?{_D2})?(?: {_Y})?",
    rf"{_D1}(?: ?(?:-|to|and) ?{_D2})? {_M}(?: {_Y})?",
    rf"{_M}(?: {_Y})?",
    _Y,
)]


def parse_when(text: str, published: date | None) -> list[tuple[str, str]]:
    """A date phrase as ISO literals with datatypes: one (start) or two (start, end).

    "July 11-12" → [("2023-07-11", "date"), ("2023-07-12", "date")] when
    published in 2023; "in July" → [("2023-07", "gYearMonth")]; "2024" →
    [("2024", "gYear")]. A phrase without a year takes the year that puts it
    nearest the publication date; without that date it gives nothing.
    """
    text = re.sub(r"[–—]", "-", text)
    text = " ".join(text.replace(",", " ").split())
    text = re.sub(r"^(?:the|on|in) ", "", text, flags=re.IGNORECASE)
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        if parts.get("m") is None:
            return [(parts["y"], "gYear")]
        month = _MONTHS[parts["m"].lower()]
        days = [int(d) for d in (parts.get("d1"), parts.get("d2")) if d]
        year = int(parts["y"]) if parts.get("y") else _nearest_year(month, days, published)
        if year is None:
            return []
        if not days:
            return [(f"{year:04d}-{month:02d}", "gYearMonth")]
        try:
            return [(date(year, month, d).isoformat(), "date") for d in days]
        except ValueError:
            return []
    return []


def _nearest_year(month: int, days: list[int], published: date | None) -> int | None:
    if published is None:
        return None
    day = min(days[0], 28) if days else 15
    return min((published.year - 1, published.year, published.year + 1),
               key=lambda y: abs((date(y, month, day) - published).days))


def _dates(ctx: _Ctx, event: Arg, head: Token, trigger: Token, *, local: bool = False) -> None:
    """ "the summit … on July 11-12": start and end dates of a one-off event.

    Only events named by a one-off head ("summit", "talks", "election") get
    dates: "the FA Cup in 2000" dates an edition, not the competition. A
    date phrase is skipped when another name stands between it and the
    event, or when it contradicts a year in the event's name.
    """
    mention = ctx.m.at(event.token)
    if mention is None or ctx.doc[mention.end - 1].lemma_.lower() not in _w("dates", "heads"):
        return
    years = {t.text for t in ctx.doc[mention.start:mention.end] if re.fullmatch(r"\d{4}", t.text)}
    for obj in _pobjs(head, _w("dates", "preps")):
        if obj.ent_type_ != "DATE" and not obj.like_num:
            continue
        between = {f for i in range(mention.end, obj.left_edge.i) if (f := ctx.m.at(i))}
        if any(f.cls not in (PLACE, COUNTRY) for f in between):
            continue
        phrase = ctx.doc[obj.left_edge.i:obj.right_edge.i + 1].text
        got = parse_when(phrase, ctx.published)
        if years and got and got[0][0][:4] not in years:
            continue
        for (value, datatype), predicate in zip(got, ("schema:startDate", "schema:endDate"),
                                                strict=False):
            ctx.emit_literal("dates:" + datatype, predicate, event, value, datatype, trigger,
                             local=local)


def _org_location(tok: Token, ctx: _Ctx) -> None:
    """ "X, based in Y", "X is headquartered in Y", "Y-based X"."""
    if tok.lower_ not in _w("org_location", "words"):
        return
    doc = ctx.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-":
        place = ctx.m.at(tok.i - 2)
        if place is None or place.cls not in (PLACE, COUNTRY):
            return
        orgs = _org_near(ctx, tok.head)
        ctx.emit("org_location:hyphen", "schema:location", orgs, [ctx.m.arg(place)], tok,
                 explicit=True, local=True)
        return
    places = [a for o in _pobjs(tok, ["in", "at"]) for a in _places_at(ctx, o)]
    if tok.dep_ in ("acl", "amod", "advcl"):
        org_tok: Token | None = tok.head
    else:
        org_tok = _subject_child(tok, passive_ok=True)
    orgs = [a for a in ctx.args(org_tok, descriptions=False) if a.cls == ORGANIZATION]
    ctx.emit("org_location:based", "schema:location", orgs, places, tok, explicit=True,
             local=tok.dep_ in ("acl", "amod"))


def _org_appos(f: Found, ctx: _Ctx) -> None:
    """ "Acme Holdings, a Hong Kong construction firm": where the company is based."""
    if f.cls != ORGANIZATION:
        return
    for noun in _kids(ctx.m.root(f), "appos"):
        if ctx.m.at(noun) is not None or _lemma(noun) not in _w("org_location", "kinds"):
            continue
        places = [ctx.m.arg(p) for c in _kids(noun, "compound", "nmod", "amod")
                  if (p := ctx.m.at(c)) is not None and p.cls in (PLACE, COUNTRY)
                  and ctx.m.trusted(p)]
        ctx.emit("org_location:appos", "schema:location", [ctx.m.arg(f)], places, noun,
                 local=True)


def _named(ctx: _Ctx, noun: Token, *classes: str) -> list[Arg]:
    """The entity a modified noun names: itself, its apposition, or the name it precedes
    ("London-born actor Tom Hardy" → Tom Hardy)."""
    for t in (noun, *_kids(noun, "appos"), noun.head if noun.dep_ == "compound" else noun):
        arg = ctx.m.one(t, descriptions=False)
        if arg is not None and arg.cls in classes:
            return [arg]
    return []


def _org_near(ctx: _Ctx, noun: Token) -> list[Arg]:
    """The organisation a modified noun names: itself, its apposition, or the name it precedes."""
    for t in (noun, *_kids(noun, "appos"), noun.head if noun.dep_ == "compound" else noun):
        found = ctx.m.at(t)
        if found is not None and found.cls == ORGANIZATION:
            return [ctx.m.arg(found)]
    return []


def _city_check(ctx: _Ctx, city: Found, area: Found) -> bool | None:
    """True or False when the gazetteer knows; None when "A, B" may be city and region."""
    if area.cls != COUNTRY:
        # "Houston, Texas": a known city, then a name that is no city.
        known = bool(ctx.gaz.countries_of_city(city.name))
        return None if known and not ctx.gaz.countries_of_city(area.name) else False
    country = ctx.gaz.country(area.name, allow_code=True)
    return None if country is None else ctx.gaz.city_in(city.name, country.alpha3)


def _in_list(ctx: _Ctx, first: Found, second: Found) -> bool:
    """Whether "A, B" is part of a list of places rather than "city, country"."""
    doc = ctx.doc
    a, b = ctx.m.root(first), ctx.m.root(second)
    if a.dep_ == "conj" or any(c.dep_ == "conj" for c in a.children) \
            or any(c.dep_ == "conj" for c in b.children) or b.dep_ == "conj":
        return True
    if first.start >= 2 and doc[first.start - 1].text in {",", "and", "or"} \
            and ctx.m.at(first.start - 2) is not None:
        return True
    after = second.end
    return after < len(doc) and (doc[after].lower_ in {"and", "or"} or (
        doc[after].text == "," and after + 1 < len(doc) and ctx.m.at(after + 1) is not None
        and ctx.m.at(after + 1).cls in (PLACE, COUNTRY)))


def _is_site(ctx: _Ctx, f: Found) -> bool:
    """A named site (a building, a district), not a city, country or region the gazetteer knows."""
    return f.cls == PLACE and len(f.name.split()) > 1 \
        and not ctx.gaz.countries_of_city(f.name) and ctx.gaz.country(f.name) is None


def _looks_like_address(ctx: _Ctx, first: Found, second: Found) -> bool:
    """ "in Plaisir, France," / "DAYTON, Ohio (AP)": a place phrase, not "the EU, Turkey"."""
    doc = ctx.doc
    before = doc[first.start - 1] if first.start > doc[first.start].sent.start else None
    after = doc[second.end] if second.end < len(doc) else None
    if before is None:  # a dateline
        return after is not None and after.text in ("(", "-", "—", "_", ":")
    return before.lower_ in ("in", "at", "near", "outside", "from") \
        and (after is None or after.is_punct or after.pos_ == "ADP")


def _contained(f: Found, ctx: _Ctx) -> None:
    if f.cls != PLACE:
        return
    doc = ctx.doc
    root = ctx.m.root(f)
    after = f.end
    if after + 1 < len(doc) and doc[after].text == ",":
        area = ctx.m.at(after + 1)
        if area is not None and area.start == after + 1 and area.cls in (PLACE, COUNTRY) \
                and ctx.m.trusted(area) and not _in_list(ctx, f, area):
            verdict = _city_check(ctx, f, area)
            if verdict is None and not _looks_like_address(ctx, f, area):
                verdict = False
            if verdict is not False:
                base = _num("contained", "base") if verdict else _num("contained", "unchecked_base")
                _static(ctx, "contained:apposition", "schema:containedInPlace", ctx.m.arg(f),
                        ctx.m.arg(area), root, base)
    for obj in _pobjs(root, ["in"]):
        area = ctx.m.at(obj)
        if area is None or not ctx.m.trusted(area):
            continue
        if area.cls == COUNTRY and _city_check(ctx, f, area):
            _static(ctx, "contained:in", "schema:containedInPlace", ctx.m.arg(f),
                    ctx.m.arg(area), root, _num("contained", "base"))
        elif area.cls in (PLACE, COUNTRY) and _is_site(ctx, f) and (
                area.cls == COUNTRY or bool(ctx.gaz.countries_of_city(area.name))):
            # "the Palace of Fine Arts, in San Francisco": a site in a known city.
            _static(ctx, "contained:site", "schema:containedInPlace", ctx.m.arg(f),
                    ctx.m.arg(area), root, _num("contained", "unchecked_base"))


def _gazetteer_contained(sent: Span, ctx: _Ctx) -> None:
    """A city and the one country the gazetteer puts it in, in one sentence (once per article)."""
    found = [f for f in ctx.m.entities if sent.start <= f.start < sent.end]
    countries = {}
    for f in found:
        if f.cls == COUNTRY:
            country = ctx.gaz.country(f.name, allow_code=True)
            if country is not None:
                countries[country.alpha3] = f
    if not countries:
        return
    for f in found:
        if f.cls != PLACE:
            continue
        codes = ctx.gaz.countries_of_city(f.name) or None
        if not codes or len(codes) != 1:
            continue
        (code,) = codes
        area = countries.get(code)
        if area is None or (f.name, area.name) in ctx.once:
            continue
        ctx.once.add((f.name, area.name))
        _static(ctx, "contained:gazetteer", "schema:containedInPlace", ctx.m.arg(f),
                ctx.m.arg(area), ctx.m.root(f), _num("contained", "gazetteer_base"))


def _static(ctx: _Ctx, rule: str, predicate: str, s: Arg, o: Arg, anchor: Token,
            base: float) -> None:
    """A fact about the world rather than an event (a city's country): always asserted."""
    if s.name == o.name or not fits(predicate, s.cls, o.cls):
        return
    ctx.out.append(Relation(s.name, s.cls, predicate, o.name, o.cls, _evidence(anchor),
                            confidence=_clamp(base), rule=rule))


# --- kg:visited -------------------------------------------------------------------------

def _place_args(ctx: _Ctx, toks: Iterable[Token]) -> list[Arg]:
    return [a for t in toks for a in ctx.args(t, descriptions=False) if a.cls in (PLACE, COUNTRY)]


def _visit(tok: Token, ctx: _Ctx) -> None:
    lemma = _lemma(tok)
    if tok.pos_ == "VERB" and not _passive(tok):
        if lemma in _w("visit", "verbs"):
            places = _place_args(ctx, _kids(tok, "dobj"))
        elif lemma in _w("visit", "travel_verbs"):
            places = _place_args(ctx, _pobjs(tok, ["to"] if lemma != "arrive" else ["in", "at"]))
        else:
            return
        if places:
            ctx.emit("visit:verb", "kg:visited", ctx.args(controller(tok)), places, tok,
                     explicit=True)
        return
    if tok.pos_ != "NOUN" or lemma not in _w("visit", "nouns"):
        return
    places = _place_args(ctx, _pobjs(tok, ["to"]))
    if not places:
        return
    agents = ctx.args(_possessor(tok)) or ctx.args(next(iter(_pobjs(tok, ["by"])), None))
    trigger = tok
    at_least = None
    if not agents and tok.dep_ == "pobj" and tok.head.head.pos_ in ("VERB", "AUX") \
            and tok.head.lower_ in _w("visit", "agent_preps"):
        # "During a visit to Japan, X pledged …": the visitor is the main clause's subject.
        agents = ctx.args(controller(tok.head.head))
        if tok.head.lower_ in _w("visit", "before_preps"):
            at_least = Modality.PLANNED
    elif not agents and tok.dep_ == "dobj" and _lemma(tok.head) in _w("visit", "support_verbs"):
        agents = ctx.args(controller(tok.head))
    ctx.emit("visit:noun", "kg:visited", agents, places, trigger, scope=[tok], at_least=at_least)


# --- kg:metWith -------------------------------------------------------------------------

def _pairs(ctx: _Ctx, rule: str, predicate: str, args: list[Arg], trigger: Token,
           scope: Iterable[Token] = ()) -> None:
    for i, a in enumerate(args):
        for b in args[i + 1:]:
            ctx.emit(rule, predicate, [a], [b], trigger, scope=scope)


def _meet(tok: Token, ctx: _Ctx) -> None:
    lemma = _lemma(tok)
    if tok.lower_ == "together" and tok.dep_ == "advmod" and tok.head.lower_ == "with":
        # "X, together with Y, pledged …"
        prep = tok.head
        ctx.emit("meet:together", "kg:metWith", ctx.args(prep.head),
                 ctx.args(next(iter(_kids(prep, "pobj")), None)), prep)
        return
    if tok.pos_ == "VERB" and lemma in _w("meet", "between_verbs"):
        between = [a for t in _pobjs(tok, ["between"]) for a in ctx.args(t)]
        _pairs(ctx, "meet:between", "kg:metWith", between, tok)
    if tok.pos_ == "VERB" and not _passive(tok):
        noun = None
        if lemma in _w("meet", "verbs"):
            objs = [a for t in _kids(tok, "dobj") + _pobjs(tok, ["with"]) for a in ctx.args(t)]
        elif lemma in _w("meet", "support_verbs"):
            nouns = [n for n in _kids(tok, "dobj") if _lemma(n) in _w("meet", "nouns")]
            if not nouns:
                return
            noun = nouns[0]
            objs = [a for t in _pobjs(noun, ["with"]) + _pobjs(tok, ["with"])
                    for a in ctx.args(t)]
        else:
            return
        subjects = ctx.args(controller(tok))
        scope = [noun] if noun is not None else []
        if objs:
            ctx.emit("meet:verb", "kg:metWith", subjects, objs, tok, scope=scope, explicit=True)
        elif len(subjects) > 1:
            _pairs(ctx, "meet:together", "kg:metWith", subjects, tok, scope)
        return
    if tok.pos_ == "NOUN" and lemma in _w("meet", "nouns"):
        between = [a for t in _pobjs(tok, ["between"]) for a in ctx.args(t)]
        _pairs(ctx, "meet:between", "kg:metWith", between, tok)
        owner = _possessor(tok)
        if owner is not None:
            ctx.emit("meet:noun", "kg:metWith", ctx.args(owner),
                     [a for t in _pobjs(tok, ["with"]) for a in ctx.args(t)], tok)


# --- kg:partnerOf -----------------------------------------------------------------------

def _governing_subject(noun: Token) -> Token | None:
    """The subject of the clause a noun phrase sits in ("X conducts talks with partners")."""
    t = noun
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX"):
            if _lemma(t) in _w("partner", "blocking_verbs"):
                return None
            return controller(t)
        if t.dep_ in ("pobj", "pcomp", "prep", "dobj", "attr", "conj", "dative"):
            t = t.head
        else:
            return None
    return None


def _listed(ctx: _Ctx, noun: Token, depth: int = 0) -> list[Arg]:
    """Entities a noun lists: "partners such as A, B and C", "members including A"."""
    out: list[Arg] = []
    for p in noun.children:
        if p.dep_ != "prep":
            continue
        if p.lower_ == "as" and any(c.lower_ == "such" for c in p.children) \
                or p.lower_ in ("like", "including"):
            out += [a for o in _kids(p, "pobj") for a in ctx.args(o)]
        elif depth < 2 and p.lower_ in ("in", "from", "across", "around"):
            out += [a for o in _kids(p, "pobj") for a in _listed(ctx, o, depth + 1)]
    for c in _kids(noun, "appos"):
        out += ctx.args(c)
    return out


def _partner(tok: Token, ctx: _Ctx) -> None:
    lemma = _lemma(tok)
    if tok.pos_ == "VERB" and not _passive(tok):
        if lemma in _w("partner", "verbs"):
            if lemma == "team" and not _has_prt(tok, {"up"}):
                return
            subjects = ctx.args(controller(tok))
            objs = [a for t in _pobjs(tok, ["with"]) for a in ctx.args(t)]
            if objs:
                ctx.emit("partner:verb", "kg:partnerOf", subjects, objs, tok, explicit=True)
            elif lemma != "work":
                _pairs(ctx, "partner:verb", "kg:partnerOf", subjects, tok)
        elif lemma in _w("partner", "upgrade_verbs"):
            for noun in _kids(tok, "dobj"):
                if _lemma(noun) not in _w("partner", "upgrade_nouns"):
                    continue
                subjects = ctx.args(controller(tok))
                objs = [a for t in _pobjs(noun, ["with"]) + _pobjs(tok, ["with"])
                        for a in ctx.args(t)]
                if objs:
                    ctx.emit("partner:upgrade", "kg:partnerOf", subjects, objs, tok,
                             scope=[noun])
                elif not _pobjs(noun, ["between", "among"]):
                    _pairs(ctx, "partner:upgrade", "kg:partnerOf", subjects, tok, [noun])
        return
    if tok.pos_ != "NOUN":
        return
    if lemma in _w("partner", "with_nouns"):
        objs = [a for t in _pobjs(tok, ["with"]) for a in ctx.args(t)]
        between = [a for t in _pobjs(tok, ["between", "among"]) for a in ctx.args(t)]
        _pairs(ctx, "partner:between", "kg:partnerOf", between, tok)
        if objs:
            owner = _possessor(tok)
            owners = ctx.args(owner) if owner is not None else ctx.args(_governing_subject(tok))
            ctx.emit("partner:with", "kg:partnerOf", owners, objs, tok)
    elif lemma in _w("partner", "partner_nouns"):
        members = _listed(ctx, tok)
        if tok.dep_ == "conj" or any(c.dep_ == "conj" for c in tok.children):
            # "with Japan and key partners": Japan is one of the partners.
            members += [a for t in (tok, *tok.conjuncts) for a in ctx.args(t, descriptions=False)]
        if tok.dep_ in ("compound", "appos"):
            members += ctx.args(tok.head, descriptions=False)
        if tok.dep_ == "attr":
            members += ctx.args(controller(tok.head))
        if tok.dep_ == "nsubj" and _lemma(tok.head) == "include":
            members += [a for o in _kids(tok.head, "dobj") for a in ctx.args(o)]
        if not members:
            return
        owners = _owner(ctx, tok)
        if not owners and tok.dep_ not in ("compound", "appos", "attr"):
            owners = ctx.args(_governing_subject(tok))
        ctx.emit("partner:noun", "kg:partnerOf", owners, members, tok)


def _owner(ctx: _Ctx, noun: Token, *, descriptions: bool = True) -> list[Arg]:
    """Whose partners, members, units: "X's partners", "X partners", "partners of X"."""
    owner = _possessor(noun)
    if owner is not None:
        return ctx.args(owner, descriptions=descriptions)
    names = [c for c in noun.children if c.dep_ in ("compound", "nmod") and c.i < noun.i]
    if noun.dep_ == "compound":
        names += [c for c in noun.head.children if c.dep_ == "compound" and c.i < noun.i]
    for c in names:
        found = ctx.m.at(c)
        if found is not None and found.cls in (ORGANIZATION, COUNTRY):
            return [ctx.m.arg(found)]
    return [a for t in _pobjs(noun, ["of"]) for a in ctx.args(t, descriptions=descriptions)]


# --- kg:partyTo -------------------------------------------------------------------------

def _agreements(ctx: _Ctx, toks: Iterable[Token]) -> list[Arg]:
    return [a for t in toks for a in ctx.args(t, descriptions=False) if a.cls == AGREEMENT]


def _party(tok: Token, ctx: _Ctx) -> None:
    lemma = _lemma(tok)
    if tok.pos_ == "VERB" and lemma in _w("party", "verbs"):
        objs = _kids(tok, "dobj") + _pobjs(tok, _w("party", "verb_preps"))
        if _passive(tok) or tok.dep_ == "acl":
            subj = _subject_child(tok, passive_ok=True)
            agreements = _agreements(ctx, [subj] if subj is not None else [])
            if tok.dep_ == "acl":
                agreements = _agreements(ctx, [tok.head])
            parties = ctx.args(_agent(tok))
        else:
            agreements = _agreements(ctx, objs)
            parties = ctx.args(controller(tok))
        if not agreements:
            return
        others = [a for t in _pobjs(tok, ["with"]) + [o for d in objs for o in _pobjs(d, ["with"])]
                  for a in ctx.args(t)]
        ctx.emit("party:verb", "kg:partyTo", parties + others, agreements, tok, explicit=True)
    elif tok.pos_ == "NOUN" and lemma in _w("party", "nouns") and tok.dep_ == "attr":
        agreements = _agreements(ctx, _pobjs(tok, ["to", "of"]))
        ctx.emit("party:noun", "kg:partyTo", ctx.args(controller(tok.head)), agreements,
                 tok.head)


def _agreement(f: Found, ctx: _Ctx) -> None:
    if f.cls != AGREEMENT:
        return
    root = ctx.m.root(f)
    parties = [a for t in _pobjs(root, ["between", "among"]) for a in ctx.args(t)]
    ctx.emit("party:between", "kg:partyTo", parties, [ctx.m.arg(f)], root)


# --- kg:opposes -------------------------------------------------------------------------

def _targets(ctx: _Ctx, obj: Token, *, possessive_only: bool = False) -> list[Arg]:
    """What an opposing phrase targets: the entity it names, or the first one inside it.

    "denounced NATO's Strategic Concept" gives the Concept (when it is a
    mention) and NATO; "blasted the push to create a global NATO" gives
    NATO; "rejected claims that …" gives nothing.
    """
    if _lemma(obj) in _w("oppose", "statement_nouns"):
        return []
    # No description here: "criticised the US-led coalition" names a new body more often
    # than it points back.
    direct = ctx.args(obj, descriptions=False)
    if direct:
        out = [] if possessive_only and any(a.cls in (PERSON, PLACE, COUNTRY) for a in direct) \
            else direct
        owner = _possessor(obj)
        return out + ctx.args(owner) if owner is not None else out
    first = _inside(ctx, obj)
    if first is None:
        # "blasted the push to create X": the parser hangs the infinitive on the verb.
        verb = obj.head
        for c in verb.children:
            if c.dep_ in ("advcl", "xcomp") and c.left_edge.i == obj.right_edge.i + 1 \
                    and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                first = _inside(ctx, c)
    return [first] if first is not None else []


def _inside(ctx: _Ctx, head: Token, depth: int = 0) -> Arg | None:
    """The entity whose thing a phrase names: "NATO's strategy", "the NATO plan", "the plan
    of the IMF", "the push to create a global NATO" (only the infinitive's own object: "a
    plan to sell IMF gold" is not against the IMF). A place after "of" is part of a name
    ("the Treaty of Lisbon"), not a target."""
    if depth > 2:
        return None
    arg = ctx.m.one(head, descriptions=depth > 0 or head.dep_ in ("nsubj", "nsubjpass"))
    if arg is not None:
        return arg if depth == 0 else replace(arg, via="inside")
    for c in sorted(head.children, key=lambda t: t.i):
        found: Arg | None = None
        if c.dep_ in ("poss", "compound", "nmod", "dobj") and c.tag_ != "PRP$":
            found = ctx.m.one(c)
        elif c.dep_ == "prep" and c.lower_ in ("of", "by", "from"):
            for o in _kids(c, "pobj"):
                found = found or _inside(ctx, o, depth + 1)
            if found is not None and found.cls in (PLACE, COUNTRY) and c.lower_ == "of":
                found = None
        elif c.dep_ in ("acl", "xcomp") and any(a.lower_ == "to" for a in c.children
                                                if a.dep_ == "aux"):
            for o in _kids(c, "dobj"):
                found = found or ctx.m.one(o)
        if found is not None:
            return replace(found, via="inside") if found.via == "mention" else found
    return None


def _oppose(tok: Token, ctx: _Ctx) -> None:
    lemma = _lemma(tok)
    if tok.pos_ == "VERB" and lemma in _w("oppose", "verbs"):
        preps = _w("oppose", "verb_preps")
        if lemma in _w("oppose", "particle_only") and not _pobjs(tok, ["at", "against"]) \
                or tok.lower_ in _w("oppose", "attributive"):
            return
        only = lemma in _w("oppose", "possessive_only")
        if _passive(tok):
            sources = ctx.args(_agent(tok))
            subj = _subject_child(tok, passive_ok=True)
            targets = _targets(ctx, subj, possessive_only=only) if subj is not None else []
        else:
            sources = ctx.args(controller(tok))
            targets = [a for o in _kids(tok, "dobj") + _pobjs(tok, preps)
                       for a in _targets(ctx, o, possessive_only=only)]
        ctx.emit("oppose:verb", "kg:opposes", sources, targets, tok, explicit=True)
    elif tok.pos_ == "ADJ" and lemma in _w("oppose", "adjectives") and tok.dep_ == "acomp":
        targets = [a for o in _pobjs(tok, ["to", "of"]) for a in _targets(ctx, o)]
        ctx.emit("oppose:adjective", "kg:opposes", ctx.args(controller(tok.head)), targets,
                 tok.head)
    elif tok.pos_ == "NOUN" and lemma in _w("oppose", "nouns"):
        gov = tok.head if tok.dep_ == "dobj" else None
        froms = _pobjs(tok, ["from", "by"])
        if not froms and gov is not None and _lemma(gov) in _w("oppose", "receive_verbs"):
            froms = _pobjs(gov, ["from"])  # "drew criticism on Monday from X"
        sources = [a for t in froms for a in ctx.args(t)]
        targets = [a for o in _pobjs(tok, ["of", "to", "against", "over", "toward", "towards"])
                   for a in _targets(ctx, o)]
        trigger = gov if gov is not None else tok
        if sources and not targets and gov is not None \
                and _lemma(gov) in _w("oppose", "receive_verbs"):
            subj = _subject_child(gov, passive_ok=False)
            first = _inside(ctx, subj) if subj is not None else None
            targets = [first] if first is not None else []
        elif not sources and gov is not None and _lemma(gov) in _w("oppose", "express_verbs"):
            sources = ctx.args(controller(gov))
        elif not sources and _possessor(tok) is not None:
            sources = ctx.args(_possessor(tok))
            trigger = tok
        ctx.emit("oppose:noun", "kg:opposes", sources, targets, trigger, scope=[tok])


# --- schema:memberOf --------------------------------------------------------------------

def _non(noun: Token) -> bool:
    """ "non-NATO members": membership denied outright, no relation drawn."""
    return any(t.lower_ in ("non", "non-") or t.lower_.startswith("non-")
               for t in noun.subtree if t.i < noun.i)


def _member(tok: Token, ctx: _Ctx) -> None:
    lemma = _lemma(tok)
    if tok.pos_ == "VERB" and lemma in _w("member", "verbs") and not _passive(tok):
        orgs = [a for a in ctx.args(next(iter(_kids(tok, "dobj")), None))
                if a.cls == ORGANIZATION]
        if not orgs or _pobjs(tok, ["as"]):
            return
        joiners = ctx.args(controller(tok))
        heads = _w("member", "person_org_heads")
        joiners = [a for a in joiners if a.cls != PERSON
                   or any(o.name.split()[-1].lower() in heads for o in orgs)]
        ctx.emit("member:join", "schema:memberOf", joiners, orgs, tok, explicit=True)
        return
    if tok.pos_ != "NOUN":
        return
    is_member = lemma == "member" or (lemma in _w("member", "member_heads") and any(
        c.lower_ == "member" for c in tok.children if c.dep_ in ("compound", "amod")))
    if not is_member or _non(tok):
        return
    orgs = [a for a in _owner(ctx, tok, descriptions=False) if a.cls == ORGANIZATION]
    if not orgs:
        return
    members = _listed(ctx, tok)
    trigger = tok
    if tok.dep_ in ("attr", "oprd") or (tok.dep_ == "conj" and tok.head.dep_ == "attr"):
        verb = tok.head if tok.dep_ != "conj" else tok.head.head
        if _lemma(verb) in _w("member", "copulas"):
            members += ctx.args(controller(verb))
            trigger = verb
    if tok.dep_ in ("appos", "compound"):
        members += ctx.args(tok.head, descriptions=False)
    if tok.dep_ == "nsubj" and _lemma(tok.head) == "include":
        members += [a for o in _kids(tok.head, "dobj") for a in ctx.args(o)]
        trigger = tok.head
    ctx.emit("member:noun", "schema:memberOf", members, orgs, trigger, scope=[tok],
             local=tok.dep_ in ("appos", "compound"))


# --- schema:attendee --------------------------------------------------------------------

def _events(ctx: _Ctx, toks: Iterable[Token]) -> list[Arg]:
    return [a for t in toks for a in ctx.args(t, descriptions=False) if a.cls == EVENT]


def _attend(tok: Token, ctx: _Ctx) -> None:
    lemma = _lemma(tok)
    if tok.pos_ != "VERB":
        return
    if lemma == "take":
        if not any(_lemma(c) == "part" for c in _kids(tok, "dobj")):
            return
    elif lemma not in _w("attend", "verbs"):
        return
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        events, people = _events(ctx, [tok.head]), ctx.args(_agent(tok))
    elif _passive(tok):
        subj = _subject_child(tok, passive_ok=True)
        events = _events(ctx, [subj] if subj is not None else [])
        people = ctx.args(_agent(tok))
    else:
        events = _events(ctx, _kids(tok, "dobj") + _pobjs(tok, _w("attend", "verb_preps")))
        people = ctx.args(controller(tok))
    ctx.emit("attend:verb", "schema:attendee", events, people, tok, explicit=True)


def _at_event(f: Found, ctx: _Ctx) -> None:
    """ "P spoke at the summit", "P at the summit": P attends."""
    if f.cls != EVENT:
        return
    root = ctx.m.root(f)
    if root.dep_ != "pobj" or root.head.lower_ != "at":
        return
    head = root.head.head
    # Only people: "the film won a prize at the festival" is no attendance.
    if head.pos_ in ("VERB", "AUX"):
        people = [a for a in ctx.args(controller(head)) if a.cls == PERSON]
    else:
        found = ctx.m.at(head)
        people = [ctx.m.arg(found)] if found is not None and found.cls == PERSON else []
    ctx.emit("attend:at", "schema:attendee", [ctx.m.arg(f)], people, head,
             base=_num("attend", "at_base"))


# --- schema:worksFor, kg:leaderOf -------------------------------------------------------

def _typed(ctx: _Ctx, tok: Token | None, *classes: str) -> list[Arg]:
    return [a for a in ctx.args(tok, descriptions=False) if a.cls in classes]


def _works(tok: Token, ctx: _Ctx) -> None:
    lemma = _lemma(tok)
    if tok.pos_ != "VERB":
        return
    if lemma in _w("works", "verbs") and not _passive(tok):
        preps = _w("works", "preps")
        orgs = [a for o in _pobjs(tok, preps) for a in _typed(ctx, o, ORGANIZATION)]
        orgs += [a for r in _pobjs(tok, ["as"]) for o in _pobjs(r, preps)
                 for a in _typed(ctx, o, ORGANIZATION)]
        ctx.emit("works:verb", "schema:worksFor", _typed(ctx, controller(tok), PERSON), orgs,
                 tok, explicit=True)
    elif lemma in _w("works", "join_verbs") and _pobjs(tok, ["as"]) and not _passive(tok):
        orgs = [a for o in _kids(tok, "dobj") for a in _typed(ctx, o, ORGANIZATION)]
        ctx.emit("works:join", "schema:worksFor", _typed(ctx, controller(tok), PERSON), orgs,
                 tok, explicit=True)
    elif lemma in _w("works", "hire_verbs"):
        if _passive(tok) or tok.dep_ == "acl":
            person = tok.head if tok.dep_ == "acl" else _subject_child(tok, passive_ok=True)
            people, orgs = _typed(ctx, person, PERSON), _typed(ctx, _agent(tok), ORGANIZATION)
        else:
            people = [a for o in _kids(tok, "dobj") for a in _typed(ctx, o, PERSON)]
            orgs = _typed(ctx, controller(tok), ORGANIZATION)
        ctx.emit("works:hire", "schema:worksFor", people, orgs, tok, explicit=True)


def _leader(tok: Token, ctx: _Ctx) -> None:
    lemma = _lemma(tok)
    if tok.pos_ != "VERB" or lemma not in _w("leader", "verbs") or _has_prt(tok, {"out"}):
        return
    if _pobjs(tok, ["to"]):
        return  # "led France to victory": a match, not an office
    if _passive(tok) or tok.dep_ == "acl":
        subj = tok.head if tok.dep_ == "acl" else _subject_child(tok, passive_ok=True)
        orgs = _typed(ctx, subj, ORGANIZATION, PLACE, COUNTRY)
        people = _typed(ctx, _agent(tok), PERSON)
    else:
        orgs = [a for o in _kids(tok, "dobj") for a in _typed(ctx, o, ORGANIZATION, PLACE,
                                                               COUNTRY)]
        people = _typed(ctx, controller(tok), PERSON)
    ctx.emit("leader:verb", "kg:leaderOf", people, orgs, tok, explicit=True)


def _person_of(f: Found, ctx: _Ctx) -> None:
    """ "Jo Park of Acme" (works for), "Jo Park, 50, of Springfield" (lives in), "Jo Park at
    Acme" (works for)."""
    if f.cls != PERSON or f in ctx.m.weak or f.start > 0 \
            and ctx.doc[f.start - 1].lower_ in _w("home", "peerages"):
        return
    doc = ctx.doc
    root = ctx.m.root(f)
    i = f.end
    aged = i + 3 < len(doc) and doc[i].text == "," and doc[i + 1].like_num \
        and doc[i + 2].text == ","
    if aged:
        i += 3  # "Jo Park, 50, of …": a home town, however small
    elif i + 1 < len(doc) and doc[i].text == "," and doc[i + 1].lower_ == "of":
        i += 1
    if i + 1 >= len(doc) or doc[i].lower_ not in ("of", "at") or doc[i].head.i != root.i:
        return
    j = i + 2 if doc[i + 1].lower_ == "the" else i + 1
    other = ctx.m.at(j)
    if other is None or other.start != j or not ctx.m.trusted(other):
        return
    person = ctx.m.arg(f)
    if doc[i].lower_ == "at" and not (root.dep_ == "nsubj" and _lemma(root.head) in _w(
            "works", "speech_verbs")):
        return  # "said Jo Park at Acme" is a source's affiliation; "joined by Jo at a school" not
    if other.cls == ORGANIZATION and not ctx.gaz.countries_of_city(other.name):
        ctx.emit("works:" + doc[i].lower_, "schema:worksFor", [person], [ctx.m.arg(other)],
                 doc[i], base=_num("works", "person_of_base"), local=True)
    elif other.cls in (PLACE, COUNTRY) and doc[i].lower_ == "of" \
            and (aged or _known_place(ctx, other)):
        ctx.emit("home:of", "schema:homeLocation", [person], [ctx.m.arg(other)], doc[i],
                 base=_num("home", "person_of_base"), local=True)


# --- schema:parentOrganization, schema:founder ------------------------------------------

def _parent(tok: Token, ctx: _Ctx) -> None:
    lemma = _lemma(tok)
    org = ORGANIZATION
    if tok.pos_ == "NOUN" and lemma in _w("parent", "nouns"):
        parents = [a for a in _owner(ctx, tok, descriptions=False) if a.cls == org]
        units: list[Arg] = []
        if tok.dep_ in ("appos", "compound"):
            units = _typed(ctx, tok.head, org)
        elif tok.dep_ == "attr":
            units = _typed(ctx, controller(tok.head), org)
        units += [a for c in _kids(tok, "appos") for a in _typed(ctx, c, org)]
        ctx.emit("parent:unit", "schema:parentOrganization", units, parents, tok,
                 local=tok.dep_ != "attr")
    elif tok.pos_ == "NOUN" and lemma in _w("parent", "parent_nouns"):
        if tok.dep_ in ("compound", "amod") and tok.head.pos_ == "NOUN":
            tok = tok.head  # "parent company"
        owner = _possessor(tok)
        units = _typed(ctx, owner, org) if owner is not None else []
        parents = [a for c in _kids(tok, "appos") for a in _typed(ctx, c, org)]
        if tok.dep_ == "appos":
            parents += _typed(ctx, tok.head, org)
        ctx.emit("parent:owner", "schema:parentOrganization", units, parents, tok, local=True)
    elif tok.pos_ == "VERB" and (lemma in _w("parent", "buy_verbs") or lemma in
                                 _w("parent", "own_verbs")):
        if lemma in ("take", "snap") and not _has_prt(tok, _w("parent", "buy_particles")):
            return
        if _passive(tok) or tok.dep_ == "acl":
            unit = tok.head if tok.dep_ == "acl" else _subject_child(tok, passive_ok=True)
            units, parents = _typed(ctx, unit, org), _typed(ctx, _agent(tok), org)
        else:
            units = [a for o in _kids(tok, "dobj") for a in _typed(ctx, o, org)]
            parents = _typed(ctx, controller(tok), org)
        ctx.emit("parent:buy", "schema:parentOrganization", units, parents, tok, explicit=True)
    elif tok.pos_ == "NOUN" and lemma in _w("parent", "buy_nouns"):
        units = [a for o in _pobjs(tok, ["of"]) for a in _typed(ctx, o, org)]
        buyer = _possessor(tok)
        parents = _typed(ctx, buyer, org) if buyer is not None else [
            a for o in _pobjs(tok, ["by"]) for a in _typed(ctx, o, org)]
        ctx.emit("parent:buy", "schema:parentOrganization", units, parents, tok)


def _founder(tok: Token, ctx: _Ctx) -> None:
    lemma = _lemma(tok)
    org = ORGANIZATION
    if tok.pos_ == "VERB" and lemma in _w("founder", "verbs"):
        if lemma == "set" and not _has_prt(tok, {"up"}):
            return
        if _passive(tok) or tok.dep_ == "acl":
            made = tok.head if tok.dep_ == "acl" else _subject_child(tok, passive_ok=True)
            orgs, founders = _typed(ctx, made, org), _typed(ctx, _agent(tok), PERSON, org)
        else:
            objs = _kids(tok, "dobj")
            if lemma in _w("founder", "org_only"):
                # "created a global X" is no founding: only a named, definite object counts,
                # and only the verb's own subject.
                objs = [o for o in objs if not any(d.lower_ in ("a", "an") for d in o.children)]
                subject = _subject_child(tok, passive_ok=False)
            else:
                subject = controller(tok)
            orgs = [a for o in objs for a in _typed(ctx, o, org)]
            founders = _typed(ctx, subject, PERSON, org)
        ctx.emit("founder:verb", "schema:founder", orgs, founders, tok, explicit=True)
    elif tok.pos_ == "NOUN" and lemma in _w("founder", "nouns"):
        orgs = [a for a in _owner(ctx, tok, descriptions=False) if a.cls == org]
        people: list[Arg] = []
        if tok.dep_ in ("compound", "appos"):
            people = _typed(ctx, tok.head, PERSON)
        elif tok.dep_ == "attr":
            people = _typed(ctx, controller(tok.head), PERSON)
        people += [a for c in _kids(tok, "appos") for a in _typed(ctx, c, PERSON)]
        ctx.emit("founder:noun", "schema:founder", orgs, people, tok, local=tok.dep_ != "attr")


# --- schema:homeLocation, kg:killed ------------------------------------------------------

def _home(tok: Token, ctx: _Ctx) -> None:
    lemma = _lemma(tok)
    if tok.pos_ == "VERB" and lemma in _w("home", "verbs") and not _passive(tok):
        if lemma == "grow" and not _has_prt(tok, {"up"}):
            return
        places = _place_args(ctx, _pobjs(tok, ["in"]))
        ctx.emit("home:verb", "schema:homeLocation", _typed(ctx, controller(tok), PERSON),
                 places, tok, explicit=True)
    elif tok.lower_ in _w("home", "born"):
        doc = ctx.doc
        if tok.i >= 2 and doc[tok.i - 1].text == "-":
            place = ctx.m.at(tok.i - 2)
            if place is not None and place.cls in (PLACE, COUNTRY):
                people = _named(ctx, tok.head, PERSON)
                ctx.emit("home:born", "schema:homeLocation", people, [ctx.m.arg(place)], tok,
                         local=True)
            return
        places = _place_args(ctx, _pobjs(tok, ["in"]))
        person = tok.head if tok.dep_ == "acl" else _subject_child(tok, passive_ok=True)
        ctx.emit("home:born", "schema:homeLocation", _typed(ctx, person, PERSON), places, tok,
                 local=tok.dep_ == "acl")
    elif tok.pos_ == "NOUN" and lemma in _w("home", "nouns"):
        if lemma == "home":
            owner = _possessor(tok)
            people = _typed(ctx, owner, PERSON) if owner is not None else []
            places = _place_args(ctx, _pobjs(tok, ["in"]))
        else:
            places = _place_args(ctx, _pobjs(tok, ["of"]) + _kids(tok, "compound"))
            people = []
            if tok.dep_ in ("appos", "compound"):  # "Jo, a Leeds native" / "Leeds native Jo"
                people = [a for a in [ctx.m.one(tok.head, descriptions=False)]
                          if a is not None and a.cls == PERSON]
            elif tok.dep_ == "attr":
                people = _typed(ctx, controller(tok.head), PERSON)
            people += [a for c in _kids(tok, "appos") for a in _typed(ctx, c, PERSON)]
        ctx.emit("home:noun", "schema:homeLocation", people, places, tok,
                 local=tok.dep_ != "attr")


def _known_place(ctx: _Ctx, place: Found) -> bool:
    """A country, a city the gazetteer knows, or a place followed by its region ("Bethany,
    Conn."): enough to read "Jo Park of X" as where Jo lives (NER often calls a firm a place)."""
    if place.cls == COUNTRY or bool(ctx.gaz.countries_of_city(place.name)):
        return True
    doc = ctx.doc
    if place.end + 1 >= len(doc) or doc[place.end].text != ",":
        return False
    nxt = ctx.m.at(place.end + 1)
    return nxt is not None and nxt.cls in (PLACE, COUNTRY)


def _from_place(f: Found, ctx: _Ctx) -> None:
    """ "Jo Park, from Leeds," / "Jo Park from Leeds"."""
    if f.cls != PERSON or f in ctx.m.weak:
        return
    root = ctx.m.root(f)
    places = [a for a in _place_args(ctx, _pobjs(root, ["from"]) + [
        o for a in _kids(root, "appos") if ctx.m.at(a) is None for o in _pobjs(a, ["from"])])
        if (p := ctx.m.at(a.token)) is not None and _known_place(ctx, p)]
    ctx.emit("home:from", "schema:homeLocation", [ctx.m.arg(f)], places, root,
             base=_num("home", "from_base"), local=True)


def _killed(tok: Token, ctx: _Ctx) -> None:
    lemma = _lemma(tok)
    killers_cls = (PERSON, ORGANIZATION)
    if tok.pos_ == "VERB" and lemma in _w("killed", "verbs"):
        if lemma in _w("killed", "need_dead") and not (
                any(c.lower_ == "dead" for c in tok.children)
                or any(_lemma(o) == "death" for o in _pobjs(tok, ["to"]))
                or any(_lemma(c) == "kill" for c in tok.conjuncts)):
            return
        if _passive(tok) or tok.dep_ == "acl":
            victim = tok.head if tok.dep_ == "acl" else _subject_child(tok, passive_ok=True)
            victims = _typed(ctx, victim, PERSON)
            killers = _typed(ctx, _agent(tok), *killers_cls)
        else:
            objs = _kids(tok, "dobj") or _kids(tok, "npadvmod")  # "shot dead X"
            victims = [a for o in objs for a in _typed(ctx, o, PERSON)]
            killers = _typed(ctx, controller(tok), *killers_cls)
        ctx.emit("killed:verb", "kg:killed", killers, victims, tok, explicit=True)
    elif tok.pos_ == "NOUN" and lemma in _w("killed", "killer_nouns"):
        owner = _possessor(tok)
        victims = _typed(ctx, owner, PERSON) if owner is not None else [
            a for o in _pobjs(tok, ["of"]) for a in _typed(ctx, o, PERSON)]
        if not victims:  # "King assassin James Earl Ray"
            victims = [a for c in _kids(tok, "compound") for a in _typed(ctx, c, PERSON)]
        killers = [a for c in _kids(tok, "appos") for a in _typed(ctx, c, *killers_cls)]
        if tok.dep_ in ("appos", "compound"):
            killers += _typed(ctx, tok.head, *killers_cls)
        elif tok.dep_ == "attr":
            killers += _typed(ctx, controller(tok.head), *killers_cls)
        ctx.emit("killed:killer", "kg:killed", killers, victims, tok, local=tok.dep_ != "attr")

    elif tok.pos_ == "NOUN" and lemma in _w("killed", "act_nouns"):
        victims = [a for o in _pobjs(tok, ["of"]) for a in _typed(ctx, o, PERSON)]
        killers = [a for o in _pobjs(tok, ["by"]) for a in _typed(ctx, o, *killers_cls)]
        ctx.emit("killed:act", "kg:killed", killers, victims, tok)


# Token rules and the data keys naming the words (lemmas or lower-case forms) that trigger them.
_TOKEN_RULES: tuple[tuple[RuleFn, str, tuple[str, ...]], ...] = (
    (_office, "office", ("nouns",)),
    (_org_location, "org_location", ("words",)),
    (_visit, "visit", ("verbs", "travel_verbs", "nouns")),
    (_meet, "meet", ("verbs", "support_verbs", "nouns", "between_verbs", "words")),
    (_partner, "partner", ("verbs", "upgrade_verbs", "with_nouns", "partner_nouns")),
    (_party, "party", ("verbs", "nouns")),
    (_oppose, "oppose", ("verbs", "adjectives", "nouns")),
    (_member, "member", ("verbs", "nouns", "member_heads")),
    (_attend, "attend", ("verbs", "words")),
    (_works, "works", ("verbs", "join_verbs", "hire_verbs")),
    (_leader, "leader", ("verbs",)),
    (_parent, "parent", ("nouns", "parent_nouns", "buy_verbs", "own_verbs", "buy_nouns")),
    (_founder, "founder", ("verbs", "nouns")),
    (_home, "home", ("verbs", "born", "nouns")),
    (_killed, "killed", ("verbs", "killer_nouns", "act_nouns")),
)


@functools.cache
def _dispatch() -> dict[str, tuple[RuleFn, ...]]:
    """Trigger word → the token rules it starts, built once from the rule data."""
    table: dict[str, tuple[RuleFn, ...]] = {}
    for rule, family, keys in _TOKEN_RULES:
        for key in keys:
            for word in _w(family, key):
                table[word] = (*table.get(word, ()), rule)
    return table
_MENTION_RULES = (_event, _contained, _agreement, _at_event, _person_of, _from_place,
                  _org_appos)
