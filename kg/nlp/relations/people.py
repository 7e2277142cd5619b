"""People's relations: visits, meetings, homes and killings."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from kg.nlp.coref import Arg
from kg.nlp.entities import Found
from kg.nlp.relations.core import Ctx, pairs, rule_number, rule_words, typed, typed_all
from kg.nlp.relations.parse import (
    agent,
    controller,
    has_particle,
    is_passive,
    kids,
    lemma_of,
    named_tokens,
    pobjs,
    possessor,
    subject_child,
)
from kg.nlp.titles import is_title_word
from kg.records import COUNTRY, ORGANIZATION, PERSON, PLACE, Modality

# --- kg:visited ----------------------------------------------------------------------------


def _destinations(ctx: Ctx, toks: list[Token]) -> list[Arg]:
    """Where a visit goes: places and countries, and a city NER took for an organisation
    or a person ("visited Leeds"), unless a rule of the article made it a club or a firm."""
    out: list[Arg] = []
    for t in [c for tok in toks for c in (tok, *tok.conjuncts)]:
        found = ctx.m.at(t)
        if (
            found is not None
            and found.cls in (ORGANIZATION, PERSON)
            and found.rule.startswith("ner")
            and ":" not in found.rule.removeprefix("ner:")
            and (found.cls == ORGANIZATION or found.end - found.start == 1)
            and ctx.gaz.countries_of_city(found.name)
        ):
            out.append(replace(ctx.m.arg(found), cls=PLACE))
            continue
        arg = ctx.m.one(t, descriptions=False)
        if arg is not None and arg.cls in (PLACE, COUNTRY) and arg not in out:
            out.append(arg)
    return out


def visit(tok: Token, ctx: Ctx) -> None:
    lemma = lemma_of(tok)
    if tok.pos_ == "VERB" and not is_passive(tok):
        if lemma in rule_words("visit", "verbs"):
            places = _destinations(ctx, kids(tok, "dobj"))
        elif lemma in rule_words("visit", "travel_verbs"):
            places = _destinations(ctx, pobjs(tok, ["to"] if lemma != "arrive" else ["in", "at"]))
        else:
            return
        if places:
            ctx.emit(
                "visit:verb", "kg:visited", ctx.args(controller(tok)), places, tok, explicit=True
            )
        return
    if tok.pos_ != "NOUN" or lemma not in rule_words("visit", "nouns"):
        return
    places = typed_all(ctx, pobjs(tok, ["to"]), PLACE, COUNTRY)
    if not places:
        return
    agents = ctx.args(possessor(tok)) or ctx.args(next(iter(pobjs(tok, ["by"])), None))
    trigger = tok
    at_least = None
    if (
        not agents
        and tok.dep_ == "pobj"
        and tok.head.head.pos_ in ("VERB", "AUX")
        and tok.head.lower_ in rule_words("visit", "agent_preps")
    ):
        # "During a visit to Japan, X pledged …": the visitor is the main clause's subject.
        agents = ctx.args(controller(tok.head.head))
        if tok.head.lower_ in rule_words("visit", "before_preps"):
            at_least = Modality.PLANNED
    elif (
        not agents
        and tok.dep_ == "dobj"
        and lemma_of(tok.head) in rule_words("visit", "support_verbs")
    ):
        agents = ctx.args(controller(tok.head))
    ctx.emit("visit:noun", "kg:visited", agents, places, trigger, scope=[tok], at_least=at_least)


def speaking_in(tok: Token, ctx: Ctx) -> None:
    """ "Speaking in Harrogate, X said …": the speaker was there."""
    if tok.tag_ != "VBG" or tok.dep_ != "advcl" or tok.head.pos_ != "VERB":
        return
    objs = pobjs(tok, ["in", "at"])
    places = typed_all(ctx, objs, PLACE, COUNTRY)
    speakers = typed(ctx, controller(tok.head), PERSON)
    if not places and not speakers:
        # "Speaking in Harrogate Mr Kennedy said" (no comma): the parse makes the place
        # a modifier of the speaker's name.
        for o in objs:
            speakers = typed(ctx, o, PERSON)
            places = typed_all(ctx, kids(o, "compound"), PLACE, COUNTRY) if speakers else []
            if places:
                break
    ctx.emit("visit:speaking", "kg:visited", speakers, places, tok, explicit=True)


# --- kg:metWith ----------------------------------------------------------------------------


def meet(tok: Token, ctx: Ctx) -> None:
    lemma = lemma_of(tok)
    if tok.lower_ == "together" and tok.dep_ == "advmod" and tok.head.lower_ == "with":
        # "X, together with Y, pledged …"
        prep = tok.head
        ctx.emit(
            "meet:together",
            "kg:metWith",
            ctx.args(prep.head),
            ctx.args(next(iter(kids(prep, "pobj")), None)),
            prep,
        )
        return
    if tok.pos_ == "VERB" and lemma in rule_words("meet", "between_verbs"):
        between = ctx.args_all(pobjs(tok, ["between"]))
        pairs(ctx, "meet:between", "kg:metWith", between, tok)
    if tok.pos_ == "VERB" and not is_passive(tok):
        noun = None
        if lemma in rule_words("meet", "verbs"):
            objs = ctx.args_all(kids(tok, "dobj") + pobjs(tok, ["with"]))
        elif lemma in rule_words("meet", "support_verbs"):
            nouns = [n for n in kids(tok, "dobj") if lemma_of(n) in rule_words("meet", "nouns")]
            if not nouns:
                return
            noun = nouns[0]
            objs = ctx.args_all(pobjs(noun, ["with"]) + pobjs(tok, ["with"]))
        else:
            return
        subjects = ctx.args(controller(tok))
        scope = [noun] if noun is not None else []
        if objs:
            ctx.emit("meet:verb", "kg:metWith", subjects, objs, tok, scope=scope, explicit=True)
        elif len(subjects) > 1:
            pairs(ctx, "meet:together", "kg:metWith", subjects, tok, scope)
        return
    if tok.pos_ == "NOUN" and lemma in rule_words("meet", "nouns"):
        between = ctx.args_all(pobjs(tok, ["between"]))
        pairs(ctx, "meet:between", "kg:metWith", between, tok)
        owner = possessor(tok)
        if owner is not None:
            ctx.emit(
                "meet:noun",
                "kg:metWith",
                ctx.args(owner),
                ctx.args_all(pobjs(tok, ["with"])),
                tok,
            )


# --- schema:homeLocation -------------------------------------------------------------------


def _own_home(ctx: Ctx, home_noun: Token) -> list[Arg]:
    """ "X died at his home in Y": "his" is the subject of the clause the home is in."""
    if not any(c.dep_ == "poss" and c.lower_ in ("his", "her") for c in home_noun.children):
        return []
    verb = home_noun.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subj = controller(verb)
    # "Veteran comedian Cyril Fletcher has died …": the subject noun's apposition names him.
    people = typed(ctx, subj, PERSON) or typed_all(ctx, kids(subj, "appos") if subj else [], PERSON)
    return [replace(a, via="pronoun") for a in people]


def home(tok: Token, ctx: Ctx) -> None:
    lemma = lemma_of(tok)
    if tok.pos_ == "VERB" and lemma in rule_words("home", "verbs") and not is_passive(tok):
        if lemma == "grow" and not has_particle(tok, {"up"}):
            return
        places = typed_all(ctx, pobjs(tok, ["in"]), PLACE, COUNTRY)
        ctx.emit(
            "home:verb",
            "schema:homeLocation",
            typed(ctx, controller(tok), PERSON),
            places,
            tok,
            explicit=True,
        )
    elif tok.lower_ in rule_words("home", "born"):
        doc = ctx.doc
        if tok.i >= 2 and doc[tok.i - 1].text == "-":
            place = ctx.m.at(tok.i - 2)
            if place is not None and place.cls in (PLACE, COUNTRY):
                people = _named(ctx, tok.head, PERSON)
                ctx.emit(
                    "home:born", "schema:homeLocation", people, [ctx.m.arg(place)], tok, local=True
                )
            return
        places = typed_all(ctx, pobjs(tok, ["in"]), PLACE, COUNTRY)
        person = tok.head if tok.dep_ == "acl" else subject_child(tok, passive_ok=True)
        ctx.emit(
            "home:born",
            "schema:homeLocation",
            typed(ctx, person, PERSON),
            places,
            tok,
            local=tok.dep_ == "acl",
        )
    elif tok.pos_ == "NOUN" and lemma in rule_words("home", "nouns"):
        if lemma == "home":
            owner = possessor(tok)
            people = typed(ctx, owner, PERSON) if owner is not None else _own_home(ctx, tok)
            places = typed_all(ctx, pobjs(tok, ["in"]), PLACE, COUNTRY)
        else:
            places = typed_all(ctx, pobjs(tok, ["of"]) + kids(tok, "compound"), PLACE, COUNTRY)
            people = []
            if tok.dep_ in ("appos", "compound"):  # "Jo, a Leeds native" / "Leeds native Jo"
                people = [
                    a
                    for a in [ctx.m.one(tok.head, descriptions=False)]
                    if a is not None and a.cls == PERSON
                ]
            elif tok.dep_ == "attr":
                people = typed(ctx, controller(tok.head), PERSON)
            people += typed_all(ctx, kids(tok, "appos"), PERSON)
        ctx.emit("home:noun", "schema:homeLocation", people, places, tok, local=tok.dep_ != "attr")


def _named(ctx: Ctx, noun: Token, *classes: str) -> list[Arg]:
    """The entity a modified noun names: itself, its apposition, or the name it precedes
    ("London-born actor Tom Hardy" → Tom Hardy)."""
    for t in named_tokens(noun):
        arg = ctx.m.one(t, descriptions=False)
        if arg is not None and arg.cls in classes:
            return [arg]
    return []


def known_place(ctx: Ctx, place: Found) -> bool:
    """A country, a city the gazetteer knows, or a place followed by its region ("Bethany,
    Conn."): enough to read "Jo Park of X" as where Jo lives (NER often calls a firm a place)."""
    if place.cls == COUNTRY or bool(ctx.gaz.countries_of_city(place.name)):
        return True
    doc = ctx.doc
    if place.end + 1 >= len(doc) or doc[place.end].text != ",":
        return False
    nxt = ctx.m.at(place.end + 1)
    return nxt is not None and nxt.cls in (PLACE, COUNTRY)


def from_place(f: Found, ctx: Ctx) -> None:
    """ "Jo Park, from Leeds," / "Jo Park from Leeds"."""
    if f.cls != PERSON or f in ctx.m.weak:
        return
    root = ctx.m.root(f)
    places = [
        a
        for a in typed_all(
            ctx,
            pobjs(root, ["from"])
            + [o for a in kids(root, "appos") if ctx.m.at(a) is None for o in pobjs(a, ["from"])],
            PLACE,
            COUNTRY,
        )
        if (p := ctx.m.at(a.token)) is not None and known_place(ctx, p)
    ]
    ctx.emit(
        "home:from",
        "schema:homeLocation",
        [ctx.m.arg(f)],
        places,
        root,
        base=rule_number("home", "from_base"),
        local=True,
    )


def nationality(f: Found, ctx: Ctx) -> None:
    """ "Italy's Luca Verdecchia", "Swede Daniel Persson", "Brazilian soccer legend Pele":
    a person's nation, before the name (homeLocation)."""
    if f.cls != PERSON or f in ctx.m.weak or f.end - f.start < 2 or f.start < 1:
        return
    doc = ctx.doc
    sent_start = doc[f.start].sent.start
    nation: Arg | None = None
    if doc[f.start - 1].text in ("'s", "’s") and f.start - 2 >= sent_start:
        # a full name, not "Britain's Prime Minister" nor "the UK's Film Council"
        owner = ctx.m.at(f.start - 2)
        if (
            owner is not None
            and owner.end == f.start - 1
            and owner.cls in (COUNTRY, PLACE)
            and ctx.gaz.is_nation(owner.name)
            and ctx.m.trusted(owner)
            and not (f.end < len(doc) and doc[f.end].is_title and not doc[f.end].ent_type_)
            and ctx.m.root(f).dep_ not in ("compound", "amod", "nmod")
        ):
            nation = ctx.m.arg(owner)
    else:
        i = f.start - 1
        # "Canadian qualifier X", "US business tycoon Y": words for a person between (the
        # one next to the name a word for a person, those before it common words)
        nouns = rule_words("home", "person_nouns")
        next_to_name = doc[i].lower_ in nouns or is_title_word(doc[i])
        while (
            next_to_name
            and i > sent_start
            and f.start - i <= 3
            and doc[i].is_lower
            and doc[i].is_alpha
            and (doc[i].pos_ in ("NOUN", "ADJ") or doc[i].lower_ in nouns)
        ):
            i -= 1
        tok = doc[i]
        named = ctx.m.at(tok)
        if named is not None:
            # "US tycoon X": a country named outright, not "US Treasury Secretary X"
            if (
                (named.cls == COUNTRY or named.cls == PLACE and ctx.gaz.is_nation(named.name))
                and named.end == tok.i + 1
                and tok.i < f.start - 1
                # "Italy coach X" is the national side's, "US tycoon Y" a national
                and doc[f.start - 1].lower_ in nouns
                and ctx.m.trusted(named)
            ):
                nation = ctx.m.arg(named)
            country = None
        else:
            country = ctx.gaz.demonym(tok.text) if tok.is_title else None
        if (
            country is not None
            and tok.ent_type_ in ("NORP", "PERSON", "")
            and (i == sent_start or doc[i - 1].text not in ("-", "'s", "’s"))
            and (i + 1 >= len(doc) or doc[i + 1].text != "-")
        ):
            nation = ctx.introduce(Found(i, i + 1, COUNTRY, country.name, "demonym"))
    if nation is not None:
        ctx.emit(
            "home:nation",
            "schema:homeLocation",
            [ctx.m.arg(f)],
            [nation],
            doc[f.start],
            base=rule_number("home", "nation_base", 0.75),
            local=True,
        )


# --- kg:killed -----------------------------------------------------------------------------


def killed(tok: Token, ctx: Ctx) -> None:
    lemma = lemma_of(tok)
    killers_cls = (PERSON, ORGANIZATION)
    if tok.pos_ == "VERB" and lemma in rule_words("killed", "verbs"):
        if lemma in rule_words("killed", "need_dead") and not (
            any(c.lower_ == "dead" for c in tok.children)
            or any(lemma_of(o) == "death" for o in pobjs(tok, ["to"]))
            or any(lemma_of(c) == "kill" for c in tok.conjuncts)
        ):
            return
        if is_passive(tok) or tok.dep_ == "acl":
            victim = tok.head if tok.dep_ == "acl" else subject_child(tok, passive_ok=True)
            victims = typed(ctx, victim, PERSON)
            killers = typed(ctx, agent(tok), *killers_cls)
        else:
            objs = kids(tok, "dobj") or kids(tok, "npadvmod")  # "shot dead X"
            victims = typed_all(ctx, objs, PERSON)
            killers = typed(ctx, controller(tok), *killers_cls)
        ctx.emit("killed:verb", "kg:killed", killers, victims, tok, explicit=True)
    elif tok.pos_ == "NOUN" and lemma in rule_words("killed", "killer_nouns"):
        owner = possessor(tok)
        victims = (
            typed(ctx, owner, PERSON)
            if owner is not None
            else typed_all(ctx, pobjs(tok, ["of"]), PERSON)
        )
        if not victims:  # "King assassin James Earl Ray"
            victims = typed_all(ctx, kids(tok, "compound"), PERSON)
        killers = typed_all(ctx, kids(tok, "appos"), *killers_cls)
        if tok.dep_ in ("appos", "compound"):
            killers += typed(ctx, tok.head, *killers_cls)
        elif tok.dep_ == "attr":
            killers += typed(ctx, controller(tok.head), *killers_cls)
        ctx.emit("killed:killer", "kg:killed", killers, victims, tok, local=tok.dep_ != "attr")
    elif tok.pos_ == "NOUN" and lemma in rule_words("killed", "act_nouns"):
        victims = typed_all(ctx, pobjs(tok, ["of"]), PERSON)
        killers = typed_all(ctx, pobjs(tok, ["by"]), *killers_cls)
        ctx.emit("killed:act", "kg:killed", killers, victims, tok)
