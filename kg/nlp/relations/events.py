"""Event relations: where and when events happen, and who attends them."""

from __future__ import annotations

import calendar
import re
from datetime import date

from spacy.tokens import Token

from kg.nlp.coref import Arg
from kg.nlp.entities import Found
from kg.nlp.relations.core import Ctx, rule_number, rule_words, typed, typed_all
from kg.nlp.relations.parse import (
    SUBJ,
    agent,
    controller,
    is_passive,
    kids,
    lemma_of,
    pobjs,
    possessor,
    subject_child,
)
from kg.nlp.relations.places import places_at
from kg.records import COUNTRY, EVENT, PERSON, PLACE

# --- schema:location, schema:startDate, schema:endDate -------------------------------------


def event_location(f: Found, ctx: Ctx) -> None:
    """ "the summit in Vilnius on July 11-12", "the talks took place in Geneva"."""
    if f.cls != EVENT:
        return
    if parse_when(f.name, date(2000, 1, 1)) or re.fullmatch(r"\d{1,2} \w+", f.name):
        return  # "9 November" taken for an event
    root = ctx.m.root(f)
    event = ctx.m.arg(f)
    preps = rule_words("event_location", "preps")
    places = [a for o in pobjs(root, preps) for a in places_at(ctx, o)]
    ctx.emit(
        "event_location:noun", "schema:location", [event], places, root, explicit=True, local=True
    )
    _dates(ctx, event, root, root, local=True)
    _year_before(ctx, f, event)
    for held in kids(root, "acl"):
        # "the conference currently being held in San Francisco"
        if lemma_of(held) in rule_words("event_location", "verbs") and lemma_of(held) != "take":
            places = [a for o in pobjs(held, preps) for a in places_at(ctx, o)]
            ctx.emit("event_location:held", "schema:location", [event], places, held, local=True)
    verb = root.head
    if (
        root.dep_ in SUBJ
        and lemma_of(verb) in rule_words("event_location", "verbs")
        and (lemma_of(verb) != "take" or any(lemma_of(c) == "place" for c in kids(verb, "dobj")))
    ):
        places = [a for o in pobjs(verb, preps) for a in places_at(ctx, o)]
        ctx.emit("event_location:verb", "schema:location", [event], places, verb)
        _dates(ctx, event, verb, verb)


def _big_city(ctx: Ctx, name: str) -> bool:
    """A city an event is named after: a large one ("the Davis Cup" is a man's)."""
    return ctx.gaz.population(name) >= rule_number("event_location", "name_min_population")


def named_place(f: Found, ctx: Ctx) -> None:
    """ "the London Marathon", "the Iraq war": an event named after a place is there.

    The place is the longest run of capitalised words in the name that
    ends just before its last word ("Flora London Marathon" → London) and
    that the gazetteer knows as a country or a large city, or the article
    names as a place of several words ("New York"): NER's one-word guesses
    and small towns are not enough ("the Olivier Awards" and "the Davis Cup"
    are named after men). A run that a place
    word opens ("New", "San") must be known whole: "York" in "New York
    Marathon" is not the place.
    """
    if f.cls != EVENT or f.end - f.start < 2:
        return
    doc = ctx.doc
    named = {g.name for g in ctx.m.entities if g.cls == PLACE and g.end - g.start > 1}
    end = f.end - 1
    for i in range(f.start, end):
        span = doc[i:end]
        if not all(t.is_title or t.is_upper for t in span):
            continue
        if i > f.start and doc[i - 1].lower_ in rule_words("event_location", "place_prefixes"):
            return
        country = ctx.gaz.country(span.text)
        if country is not None:
            place = Found(i, end, COUNTRY, country.name, "event-name")
        elif span.text in named or _big_city(ctx, span.text):
            place = Found(i, end, PLACE, span.text, "event-name")
        else:
            continue
        ctx.emit_fact(
            "event_location:name",
            "schema:location",
            ctx.m.arg(f),
            ctx.introduce(place),
            doc[f.start],
            rule_number("event_location", "name_base", 0.75),
        )
        return


_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_M = "(?P<m>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_D1, _D2 = r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?", r"(?P<d2>\d{1,2})(?:st|nd|rd|th)?"
_Y = r"(?P<y>(?:19|20)\d\d)"
_DATE_FORMS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"{_M} {_D1}(?: ?(?:-|to|and) ?{_D2})?(?: {_Y})?",
        rf"{_D1}(?: ?(?:-|to|and) ?{_D2})? {_M}(?: {_Y})?",
        rf"{_M}(?: {_Y})?",
        _Y,
    )
]


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
    return min(
        (published.year - 1, published.year, published.year + 1),
        key=lambda y: abs((date(y, month, day) - published).days),
    )


def _year_before(ctx: Ctx, f: Found, event: Arg) -> None:
    """ "the 1994 Rwandan genocide": a year right before a one-off event's name."""
    doc = ctx.doc
    i = f.start - 1
    if i < 0 or not re.fullmatch(r"(1[89]|20)\d\d", doc[i].text) or doc[i].head.i < f.start:
        return
    if lemma_of(doc[f.end - 1]) not in rule_words("dates", "heads"):
        return
    ctx.emit_literal(
        "dates:gYear", "schema:startDate", event, doc[i].text, "gYear", doc[i], local=True
    )


def _dates(ctx: Ctx, event: Arg, head: Token, trigger: Token, *, local: bool = False) -> None:
    """ "the summit … on July 11-12": start and end dates of a one-off event.

    Only events named by a one-off head ("summit", "talks", "election") get
    dates: "the FA Cup in 2000" dates an edition, not the competition. A
    date phrase is skipped when another name stands between it and the
    event, or when it contradicts a year in the event's name.
    """
    mention = ctx.m.at(event.token)
    if mention is None or lemma_of(ctx.doc[mention.end - 1]) not in rule_words("dates", "heads"):
        return
    years = {t.text for t in ctx.doc[mention.start : mention.end] if re.fullmatch(r"\d{4}", t.text)}
    for obj in pobjs(head, rule_words("dates", "preps")):
        if obj.ent_type_ != "DATE" and not obj.like_num:
            continue
        between = {f for i in range(mention.end, obj.left_edge.i) if (f := ctx.m.at(i))}
        if any(f.cls not in (PLACE, COUNTRY) for f in between):
            continue
        phrase = ctx.doc[obj.left_edge.i : obj.right_edge.i + 1].text
        got = parse_when(phrase, ctx.published)
        if years and got and got[0][0][:4] not in years:
            continue
        for (value, datatype), predicate in zip(
            got, ("schema:startDate", "schema:endDate"), strict=False
        ):
            ctx.emit_literal(
                "dates:" + datatype, predicate, event, value, datatype, trigger, local=local
            )


# --- schema:attendee -----------------------------------------------------------------------


def attend(tok: Token, ctx: Ctx) -> None:
    lemma = lemma_of(tok)
    if tok.pos_ == "NOUN" and lemma in rule_words("attend", "result_nouns") | rule_words(
        "attend", "award_nouns"
    ):
        owner = possessor(tok)
        events = typed_all(ctx, pobjs(tok, ["in", "at"]), EVENT)
        people = ctx.args(owner) if owner is not None else []
        if lemma in rule_words("attend", "award_nouns"):
            # "Leigh received three Oscar nominations", "her Bafta award"
            events += typed_all(ctx, kids(tok, "compound"), EVENT)
            if not people and tok.dep_ == "dobj":
                people = [a for a in ctx.args(controller(tok.head)) if a.cls == PERSON]
        ctx.emit("attend:result", "schema:attendee", events, people, tok, local=True)
        return
    if tok.pos_ != "VERB":
        return
    if lemma == "take":
        if not any(lemma_of(c) == "part" for c in kids(tok, "dobj")):
            return
    elif lemma not in rule_words("attend", "verbs"):
        return
    if lemma in ("nominate", "shortlist"):
        # "X was nominated for an Oscar", "nominated for best actress at the Baftas"
        if not is_passive(tok):
            return
        targets = pobjs(tok, ["for", "at"])
        events = typed_all(ctx, targets + [o for t in targets for o in pobjs(t, ["at"])], EVENT)
        people = [a for a in ctx.args(subject_child(tok, passive_ok=True)) if a.cls == PERSON]
    elif tok.dep_ == "acl" and tok.tag_ == "VBN":
        events, people = typed(ctx, tok.head, EVENT), ctx.args(agent(tok))
    elif is_passive(tok):
        subj = subject_child(tok, passive_ok=True)
        events = typed(ctx, subj, EVENT)
        people = ctx.args(agent(tok))
    else:
        preps = rule_words("attend", "verb_preps")
        if lemma == "join":
            preps = preps | rule_words("attend", "join_preps")
        events = typed_all(ctx, kids(tok, "dobj") + pobjs(tok, preps), EVENT)
        people = ctx.args(controller(tok))
        if lemma == "lose":  # "X lost the Oscar": a nominee, a person
            people = [a for a in people if a.cls == PERSON]
    ctx.emit("attend:verb", "schema:attendee", events, people, tok, explicit=True)


def at_event(f: Found, ctx: Ctx) -> None:
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
    ctx.emit(
        "attend:at",
        "schema:attendee",
        [ctx.m.arg(f)],
        people,
        head,
        base=rule_number("attend", "at_base"),
    )
