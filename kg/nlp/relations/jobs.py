"""Job relations: who works for and who leads what, and "Jo Park of Acme" phrases."""

from __future__ import annotations

from spacy.tokens import Token

from kg.nlp.coref import Arg
from kg.nlp.entities import Found, is_honorific
from kg.nlp.relations.core import Ctx, rule_number, rule_words, typed, typed_all
from kg.nlp.relations.parse import (
    agent,
    controller,
    has_particle,
    is_passive,
    kids,
    lemma_of,
    pobjs,
    possessor,
    subject_child,
)
from kg.nlp.relations.people import known_place
from kg.nlp.titles import (
    LEADER,
    MEMBER,
    WORKS,
    is_employed_leader,
    is_title_modifier,
    leads_place,
    match_title,
    past_marked,
)
from kg.records import COUNTRY, ORGANIZATION, PERSON, PLACE

# --- schema:worksFor, kg:leaderOf ----------------------------------------------------------


def works(tok: Token, ctx: Ctx) -> None:
    lemma = lemma_of(tok)
    if tok.pos_ != "VERB":
        return
    if lemma in rule_words("works", "verbs") and not is_passive(tok):
        preps = rule_words("works", "preps")
        orgs = typed_all(ctx, pobjs(tok, preps), ORGANIZATION)
        orgs += [
            a
            for r in pobjs(tok, ["as"])
            for o in pobjs(r, preps)
            for a in typed(ctx, o, ORGANIZATION)
        ]
        ctx.emit(
            "works:verb",
            "schema:worksFor",
            typed(ctx, controller(tok), PERSON),
            orgs,
            tok,
            explicit=True,
        )
    elif lemma in rule_words("works", "join_verbs") and pobjs(tok, ["as"]) and not is_passive(tok):
        orgs = typed_all(ctx, kids(tok, "dobj"), ORGANIZATION)
        ctx.emit(
            "works:join",
            "schema:worksFor",
            typed(ctx, controller(tok), PERSON),
            orgs,
            tok,
            explicit=True,
        )
    elif lemma in rule_words("works", "hire_verbs"):
        if is_passive(tok) or tok.dep_ == "acl":
            person = tok.head if tok.dep_ == "acl" else subject_child(tok, passive_ok=True)
            people, orgs = typed(ctx, person, PERSON), typed(ctx, agent(tok), ORGANIZATION)
        else:
            people = typed_all(ctx, kids(tok, "dobj"), PERSON)
            orgs = typed(ctx, controller(tok), ORGANIZATION)
        ctx.emit("works:hire", "schema:worksFor", people, orgs, tok, explicit=True)


def leader(tok: Token, ctx: Ctx) -> None:
    lemma = lemma_of(tok)
    if (
        tok.pos_ != "VERB"
        or lemma not in rule_words("leader", "verbs")
        or has_particle(tok, {"out"})
    ):
        return
    if pobjs(tok, ["to"]):
        return  # "led France to victory": a match, not an office
    if is_passive(tok) or tok.dep_ == "acl":
        subj = tok.head if tok.dep_ == "acl" else subject_child(tok, passive_ok=True)
        orgs = typed(ctx, subj, ORGANIZATION, PLACE, COUNTRY)
        people = typed(ctx, agent(tok), PERSON)
    else:
        orgs = typed_all(ctx, kids(tok, "dobj"), ORGANIZATION, PLACE, COUNTRY)
        people = typed(ctx, controller(tok), PERSON)
    ctx.emit("leader:verb", "kg:leaderOf", people, orgs, tok, explicit=True)


_AFFILIATION = ("of", "at", "from")


def person_of(f: Found, ctx: Ctx) -> None:
    """ "Jo Park of Acme" (works for), "Jo Park, 50, of Springfield" (lives in), "said Jo
    Park at Acme", "Jo Park, from Acme, said" (works for)."""
    if (
        f.cls != PERSON
        or f in ctx.m.weak
        or f.start > 0
        and ctx.doc[f.start - 1].lower_ in rule_words("home", "peerages")
    ):
        return
    doc = ctx.doc
    root = ctx.m.root(f)
    i = f.end
    aged = (
        i + 3 < len(doc) and doc[i].text == "," and doc[i + 1].like_num and doc[i + 2].text == ","
    )
    if aged:
        i += 3  # "Jo Park, 50, of …": a home town, however small
    elif i + 1 < len(doc) and doc[i].text == "," and doc[i + 1].lower_ in _AFFILIATION:
        i += 1
    if i + 1 >= len(doc) or doc[i].lower_ not in _AFFILIATION:
        return
    if doc[i].head.i != root.i and not (
        # "said Jo Park, at Acme.": the parse may hang the phrase on the verb
        doc[i - 1].text == ","
        and root.dep_ == "nsubj"
        and doc[i].head.i == root.head.i
        and doc[i].head.i < root.i
    ):
        return
    j = i + 2 if doc[i + 1].lower_ == "the" else i + 1
    # "Andrew Beh, of brokers ING": a kind noun may come before the name
    while j < len(doc) and j - i <= 3 and doc[j].is_lower and doc[j].pos_ == "NOUN":
        j += 1
    other = ctx.m.at(j)
    if other is None or other.start != j or not ctx.m.trusted(other):
        return
    person = ctx.m.arg(f)
    if doc[i].lower_ != "of" and not (
        root.dep_ == "nsubj" and lemma_of(root.head) in rule_words("works", "speech_verbs")
    ):
        # "said Jo Park at Acme", "Jo Park, from Acme, said": a source's affiliation;
        # "joined by Jo at a school", "a letter to Jo from Acme" not.
        return
    if other.cls == ORGANIZATION and not ctx.gaz.countries_of_city(other.name):
        ctx.emit(
            "works:" + doc[i].lower_,
            "schema:worksFor",
            [person],
            [ctx.m.arg(other)],
            doc[i],
            base=rule_number("works", "person_of_base"),
            local=True,
        )
    elif (
        other.cls in (PLACE, COUNTRY)
        and doc[i].lower_ == "of"
        and (aged or known_place(ctx, other))
    ):
        ctx.emit(
            "home:of",
            "schema:homeLocation",
            [person],
            [ctx.m.arg(other)],
            doc[i],
            base=rule_number("home", "person_of_base"),
            local=True,
        )


def club_possessive(f: Found, ctx: Ctx) -> None:
    """ "Arsenal's Robert Vale", "Acme's Jo Park": the organisation's own person (memberOf)."""
    doc = ctx.doc
    start = f.start
    # "Labour's Mr Livingstone": an honorific between is fine, and vouches for a surname.
    honorific = start > 0 and is_honorific(doc[start - 1])
    if honorific:
        start -= 1
    if f.cls != PERSON or start < 2 or doc[start - 1].text not in ("'s", "’s"):
        return
    owner = ctx.m.at(doc[start - 2])
    if owner is None or owner.cls != ORGANIZATION or owner.end != start - 1:
        return
    if (
        f.end - f.start < 2
        and not honorific
        or f.end < len(doc)
        and doc[f.end].is_title
        and not doc[f.end].ent_type_
    ):
        return  # a full name, not "the EU's Humanitarian Aid Commissioner" taken for one
    if ctx.m.root(f).dep_ in ("compound", "amod", "nmod"):
        return  # "Sony's Blu-ray Disc technology": a name used as a modifier is no person
    ctx.emit(
        "member:possessive",
        "schema:memberOf",
        [ctx.m.arg(f)],
        [ctx.m.arg(owner)],
        doc[f.start],
        base=rule_number("member", "possessive_base", 0.7),
        local=True,
    )


# --- offices taken: "was appointed chief executive of Y", "X's appointment as chairman" ---


def role(tok: Token, ctx: Ctx) -> None:
    """A person given an office by a verb or a noun, with the office's title and holder."""
    lemma = lemma_of(tok)
    org_subject: list[Arg] = []
    if tok.pos_ in ("VERB", "AUX") and lemma in rule_words("role", "verbs"):
        titles = [c for c in tok.children if c.dep_ in ("oprd", "attr", "xcomp", "acomp")]
        titles += pobjs(tok, ["as"])
        # "to succeed X at the head of Renault": a head or helm is the leader's office.
        titles += [o for o in pobjs(tok, ["at"]) if lemma_of(o) in rule_words("role", "helms")]
        if lemma in rule_words("role", "copular") or lemma in rule_words("role", "successors"):
            people = typed(ctx, controller(tok), PERSON)
        elif is_passive(tok):
            people = typed(ctx, subject_child(tok, passive_ok=True), PERSON)
        else:
            people = typed_all(ctx, kids(tok, "dobj"), PERSON)
            org_subject = typed(ctx, controller(tok), ORGANIZATION)
    elif tok.lower_ in rule_words("role", "as_words"):
        # "As chairman of Y, X said": only opening the sentence, on the main verb
        if tok.dep_ != "prep" or tok.i != tok.sent.start or tok.head.pos_ not in ("VERB", "AUX"):
            return
        titles = [
            n for n in kids(tok, "pobj") if not past_marked([t.text for t in ctx.doc[tok.i : n.i]])
        ]  # "As a former chairman": no current office
        people = typed(ctx, controller(tok.head), PERSON)
    elif tok.pos_ == "NOUN" and lemma in rule_words("role", "nouns"):
        owner = possessor(tok)
        people = typed(ctx, owner, PERSON) if owner is not None else []
        people = people or typed_all(ctx, pobjs(tok, ["of"]), PERSON)
        titles = pobjs(tok, ["as"])
    else:
        return
    for noun in titles:
        if any(lemma_of(o) in rule_words("role", "award_periods") for o in pobjs(noun, ["of"])):
            continue  # "was named Player of the Tournament": an award
        start = noun.i
        while start > 0 and noun.i - start < 4 and is_title_modifier(ctx.doc[start - 1]):
            start -= 1  # the title's own modifiers, right before it ("deputy enforcement")
        got = match_title([t.text for t in ctx.doc[start : noun.i + 1]])
        if lemma_of(noun) in rule_words("role", "helms"):
            got = (LEADER, "head", 0)
        if got is None or not people:
            continue
        kind, title, _ = got
        org = possessor(noun)
        orgs = typed(ctx, org, ORGANIZATION, COUNTRY, PLACE) if org is not None else []
        orgs = orgs or typed_all(
            ctx, pobjs(noun, ["of", "at", "for"]), ORGANIZATION, COUNTRY, PLACE
        )
        orgs = orgs or org_subject
        for person in people if lemma_of(noun) not in rule_words("role", "helms") else []:
            ctx.emit_title("role:title", person, title, tok)
        for predicate in _office_predicates(kind, title):
            targets = [o for o in orgs if o.cls == ORGANIZATION or predicate == "kg:leaderOf"]
            if predicate == "kg:leaderOf":
                targets = [o for o in targets if o.cls == ORGANIZATION or leads_place(title)]
            ctx.emit("role:" + kind, predicate, people, targets, tok, scope=[noun])


def _office_predicates(kind: str, title: str) -> list[str]:
    if kind == LEADER:
        return ["kg:leaderOf", "schema:worksFor"] if is_employed_leader(title) else ["kg:leaderOf"]
    if kind == MEMBER:
        return ["schema:memberOf"]
    return ["schema:worksFor"] if kind == WORKS else []
