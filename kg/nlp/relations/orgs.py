"""Organisation relations: offices, membership, ownership and founders."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.nlp.coref import Arg
from kg.nlp.entities import Found
from kg.nlp.relations.core import Ctx, listed, owners_of, rule_number, rule_words, typed, typed_all
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
from kg.nlp.rules import word_set
from kg.records import COUNTRY, ORGANIZATION, PERSON, PLACE

# --- kg:hasOfficeIn ------------------------------------------------------------------------


def _places(ctx: Ctx, node: Token, depth: int = 0) -> Iterator[Arg]:
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
    preps = _office_preps(node)
    mention = ctx.m.at(node)
    if (
        mention is not None
        and mention.cls not in (PLACE, COUNTRY)
        and len(preps) > 1
        and preps[0].i == mention.end
    ):
        preps = preps[1:]
    for prep in preps:
        for obj in kids(prep, "pobj"):
            for t in (obj, *obj.conjuncts):
                found = ctx.m.at(t)
                if found is not None and found.cls in (PLACE, COUNTRY):
                    yield ctx.m.arg(found)
                elif found is not None or t.pos_ in ("NOUN", "PROPN"):
                    yield from _places(ctx, t, depth + 1)
    for c in kids(node, "appos"):
        yield from _places(ctx, c, depth + 1)


def office(tok: Token, ctx: Ctx) -> None:
    if tok.pos_ not in ("NOUN", "PROPN") or lemma_of(tok) not in rule_words("office", "nouns"):
        return
    verb = tok.head if tok.dep_ in ("dobj", "nsubjpass") else None
    if verb is not None and (
        lemma_of(verb) not in rule_words("office", "verbs")
        or (
            lemma_of(verb) in rule_words("office", "particle_verbs")
            and not has_particle(verb, {"up"})
        )
    ):
        verb = None
    places = list(_places(ctx, tok))
    compound = [
        ctx.m.arg(f)
        for c in kids(tok, "compound")
        if (f := ctx.m.at(c)) and f.cls in (PLACE, COUNTRY)
    ]
    places += compound
    if verb is not None:
        places += list(_places_of_verb(ctx, verb))
    if not places:
        return
    subjects: list[Arg] = []
    if verb is not None:
        subjects = ctx.args(agent(verb) if tok.dep_ == "nsubjpass" else controller(verb))
    if not subjects:
        owner = possessor(tok) or next((o for o in pobjs(tok, ["of"])), None)
        subjects = ctx.args(owner)
    if not subjects:
        subjects = [
            ctx.m.arg(f)
            for c in kids(tok, "compound")
            if (f := ctx.m.at(c)) and f.cls == ORGANIZATION
        ]
    trigger = verb if verb is not None else tok
    ctx.emit(
        "office:" + ("verb" if verb is not None else "noun"),
        "kg:hasOfficeIn",
        subjects,
        places,
        trigger,
        scope=[tok],
        explicit=verb is not None,
        local=verb is None,
    )


def _places_of_verb(ctx: Ctx, verb: Token) -> Iterator[Arg]:
    for prep in _office_preps(verb):
        for obj in kids(prep, "pobj"):
            for t in (obj, *obj.conjuncts):
                found = ctx.m.at(t)
                if found is not None and found.cls in (PLACE, COUNTRY):
                    yield ctx.m.arg(found)


def _office_preps(node: Token) -> list[Token]:
    return [
        p for p in node.children if p.dep_ == "prep" and p.lower_ in rule_words("office", "preps")
    ]


# --- schema:memberOf -----------------------------------------------------------------------


def _owning_orgs(ctx: Ctx, noun: Token) -> list[Arg]:
    """The organisations that have the members, units or founders a noun names."""
    return [a for a in owners_of(ctx, noun, descriptions=False) if a.cls == ORGANIZATION]


def _non(noun: Token) -> bool:
    """ "non-NATO members": membership denied outright, no relation drawn."""
    return any(
        t.lower_ in ("non", "non-") or t.lower_.startswith("non-")
        for t in noun.subtree
        if t.i < noun.i
    )


def member(tok: Token, ctx: Ctx) -> None:
    lemma = lemma_of(tok)
    if tok.pos_ == "VERB" and lemma in rule_words("member", "sign_verbs") and not is_passive(tok):
        # "X has signed for Leeds United": a player joins a team.
        teams = typed_all(ctx, pobjs(tok, ["for"]), ORGANIZATION)
        players = typed(ctx, controller(tok), PERSON)
        ctx.emit("member:sign", "schema:memberOf", players, teams, tok, explicit=True)
        return
    if tok.pos_ == "VERB" and lemma in rule_words("member", "verbs") and not is_passive(tok):
        orgs = [a for a in ctx.args(next(iter(kids(tok, "dobj")), None)) if a.cls == ORGANIZATION]
        if not orgs or pobjs(tok, ["as"]):
            return
        joiners = ctx.args(controller(tok))
        # A person joins a party or a club as a member, a firm as its staff ("X, who
        # joined Barclays Bank in 2001"); a name that says neither says nothing.
        members = rule_words("member", "person_org_heads") | word_set(
            "entities", "organization", "club_suffixes"
        )
        firms = word_set("entities", "organization", "heads") - members
        people = [a for a in joiners if a.cls == PERSON]
        ctx.emit(
            "member:join",
            "schema:memberOf",
            [a for a in joiners if a.cls != PERSON] + (people if _ends_in(orgs, members) else []),
            orgs,
            tok,
            explicit=True,
        )
        if _ends_in(orgs, firms) and not _ends_in(orgs, members):
            ctx.emit("works:join", "schema:worksFor", people, orgs, tok, explicit=True)
        return
    if tok.pos_ != "NOUN":
        return
    is_member = lemma == "member" or (
        lemma in rule_words("member", "member_heads")
        and any(c.lower_ == "member" for c in tok.children if c.dep_ in ("compound", "amod"))
    )
    if not is_member or _non(tok):
        return
    orgs = _owning_orgs(ctx, tok)
    if not orgs:
        return
    members = listed(ctx, tok)
    trigger = tok
    if tok.dep_ in ("attr", "oprd") or (tok.dep_ == "conj" and tok.head.dep_ == "attr"):
        verb = tok.head if tok.dep_ != "conj" else tok.head.head
        if lemma_of(verb) in rule_words("member", "copulas"):
            members += ctx.args(controller(verb))
            trigger = verb
    if tok.dep_ in ("appos", "compound"):
        members += ctx.args(tok.head, descriptions=False)
    if tok.dep_ == "nsubj" and lemma_of(tok.head) == "include":
        members += ctx.args_all(kids(tok.head, "dobj"))
        trigger = tok.head
    ctx.emit(
        "member:noun",
        "schema:memberOf",
        members,
        orgs,
        trigger,
        scope=[tok],
        local=tok.dep_ in ("appos", "compound"),
    )


def sub_brand(f: Found, ctx: Ctx) -> None:
    """ "BBC Radio 4", "BT Retail": a name that opens with the acronym of another
    organisation the article names is a part of it (schema:parentOrganization)."""
    doc = ctx.doc
    first = doc[f.start]
    if (
        f.cls != ORGANIZATION
        or f.end - f.start < 2
        or not (first.is_upper and len(first) >= 2)
        or doc[f.start + 1].lower_ not in rule_words("parent", "unit_words")
    ):
        return
    parent = next(
        (
            g
            for g in ctx.m.entities
            if g.cls == ORGANIZATION and g.name == first.text and g.end - g.start == 1
        ),
        None,
    )
    if parent is None or f.name == parent.name:
        return
    ctx.emit(
        "parent:name",
        "schema:parentOrganization",
        [ctx.m.arg(f)],
        [ctx.m.arg(parent)],
        first,
        base=rule_number("parent", "name_base"),
        local=True,
    )


def _ends_in(orgs: list[Arg], words: frozenset[str]) -> bool:
    """Whether an organisation's name ends in one of ``words`` ("Labour Party", "Leeds United")."""
    return any(o.name.split()[-1].lower() in words for o in orgs if o.name.split())


# --- schema:parentOrganization, schema:founder ---------------------------------------------


def parent(tok: Token, ctx: Ctx) -> None:
    lemma = lemma_of(tok)
    org = ORGANIZATION
    if tok.pos_ == "NOUN" and lemma in rule_words("parent", "nouns"):
        parents = _owning_orgs(ctx, tok)
        units: list[Arg] = []
        if tok.dep_ in ("appos", "compound"):
            units = typed(ctx, tok.head, org)
        elif tok.dep_ == "attr":
            units = typed(ctx, controller(tok.head), org)
        units += typed_all(ctx, kids(tok, "appos"), org)
        ctx.emit(
            "parent:unit",
            "schema:parentOrganization",
            units,
            parents,
            tok,
            local=tok.dep_ != "attr",
        )
    elif tok.pos_ == "NOUN" and lemma in rule_words("parent", "parent_nouns"):
        if tok.dep_ in ("compound", "amod") and tok.head.pos_ == "NOUN":
            tok = tok.head  # "parent company"
        owner = possessor(tok)
        units = typed(ctx, owner, org) if owner is not None else []
        parents = typed_all(ctx, kids(tok, "appos"), org)
        if tok.dep_ == "appos":
            parents += typed(ctx, tok.head, org)
        ctx.emit("parent:owner", "schema:parentOrganization", units, parents, tok, local=True)
    elif tok.pos_ == "VERB" and (
        lemma in rule_words("parent", "buy_verbs") or lemma in rule_words("parent", "own_verbs")
    ):
        if lemma in ("take", "snap") and not has_particle(
            tok, rule_words("parent", "buy_particles")
        ):
            return
        if is_passive(tok) or tok.dep_ == "acl":
            unit = tok.head if tok.dep_ == "acl" else subject_child(tok, passive_ok=True)
            units, parents = typed(ctx, unit, org), typed(ctx, agent(tok), org)
        else:
            objs = kids(tok, "dobj")
            units = typed_all(ctx, objs, org)
            if lemma in rule_words("parent", "own_verbs"):
                # "owns 34 Grosvenor casinos": the brand named in the object's compound.
                objs += [c for o in objs for c in kids(o, "conj", "appos")]
                objs += [c for o in objs for c in kids(o, "conj") if c not in objs]
                units += [
                    a
                    for o in objs
                    if ctx.m.at(o) is None
                    for c in kids(o, "compound")
                    for a in typed(ctx, c, org)
                ]
            parents = typed(ctx, controller(tok), org)
        ctx.emit("parent:buy", "schema:parentOrganization", units, parents, tok, explicit=True)
    elif tok.pos_ == "NOUN" and lemma in rule_words("parent", "buy_nouns"):
        units = typed_all(ctx, pobjs(tok, ["of"]), org)
        buyer = possessor(tok)
        parents = (
            typed(ctx, buyer, org) if buyer is not None else typed_all(ctx, pobjs(tok, ["by"]), org)
        )
        ctx.emit("parent:buy", "schema:parentOrganization", units, parents, tok)


def founder(tok: Token, ctx: Ctx) -> None:
    lemma = lemma_of(tok)
    org = ORGANIZATION
    if tok.pos_ == "VERB" and lemma in rule_words("founder", "verbs"):
        if lemma == "set" and not has_particle(tok, {"up"}):
            return
        if is_passive(tok) or tok.dep_ == "acl":
            made = tok.head if tok.dep_ == "acl" else subject_child(tok, passive_ok=True)
            orgs, founders = typed(ctx, made, org), typed(ctx, agent(tok), PERSON, org)
        else:
            objs = kids(tok, "dobj")
            if lemma in rule_words("founder", "org_only"):
                # "created a global X" is no founding: only a named, definite object counts,
                # and only the verb's own subject.
                objs = [o for o in objs if not any(d.lower_ in ("a", "an") for d in o.children)]
                subject = subject_child(tok, passive_ok=False)
            else:
                subject = controller(tok)
            orgs = typed_all(ctx, objs, org)
            founders = typed(ctx, subject, PERSON, org)
        ctx.emit("founder:verb", "schema:founder", orgs, founders, tok, explicit=True)
    elif tok.pos_ == "NOUN" and lemma in rule_words("founder", "nouns"):
        orgs = _owning_orgs(ctx, tok)
        people: list[Arg] = []
        if tok.dep_ in ("compound", "appos"):
            people = typed(ctx, tok.head, PERSON)
        elif tok.dep_ == "attr":
            people = typed(ctx, controller(tok.head), PERSON)
        people += typed_all(ctx, kids(tok, "appos"), PERSON)
        ctx.emit("founder:noun", "schema:founder", orgs, people, tok, local=tok.dep_ != "attr")
