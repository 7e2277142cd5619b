"""Place relations: where organisations are based and which place lies in which."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.nlp.coref import Arg
from kg.nlp.entities import Found
from kg.nlp.relations.core import Ctx, rule_number, rule_words, typed
from kg.nlp.relations.parse import kids, lemma_of, named_tokens, pobjs, subject_child
from kg.nlp.senses import country_prefix
from kg.records import COUNTRY, ORGANIZATION, PLACE

# --- schema:location of organisations ------------------------------------------------------


def places_at(ctx: Ctx, obj: Token) -> list[Arg]:
    """A place phrase's places: the place, its conjuncts, its apposition ("Vilnius, Lithuania")."""
    out = []
    for t in (obj, *obj.conjuncts):
        found = ctx.m.at(t)
        if found is None or found.cls not in (PLACE, COUNTRY):
            continue
        out.append(ctx.m.arg(found))
        for c in kids(t, "appos"):
            inner = ctx.m.at(c)
            if inner is not None and inner.cls in (PLACE, COUNTRY):
                out.append(ctx.m.arg(inner))
    return out


def org_location(tok: Token, ctx: Ctx) -> None:
    """ "X, based in Y", "X is headquartered in Y", "Y-based X"."""
    if tok.lower_ not in rule_words("org_location", "words"):
        return
    doc = ctx.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-":
        place = ctx.m.at(tok.i - 2)
        if place is None or place.cls not in (PLACE, COUNTRY):
            return
        orgs = _org_near(ctx, tok.head)
        ctx.emit(
            "org_location:hyphen",
            "schema:location",
            orgs,
            [ctx.m.arg(place)],
            tok,
            explicit=True,
            local=True,
        )
        return
    places = [a for o in pobjs(tok, ["in", "at"]) for a in places_at(ctx, o)]
    if tok.dep_ in ("acl", "amod", "advcl"):
        org_tok: Token | None = tok.head
    else:
        org_tok = subject_child(tok, passive_ok=True)
    orgs = typed(ctx, org_tok, ORGANIZATION)
    ctx.emit(
        "org_location:based",
        "schema:location",
        orgs,
        places,
        tok,
        explicit=True,
        local=tok.dep_ in ("acl", "amod"),
    )


def org_appos(f: Found, ctx: Ctx) -> None:
    """ "Acme Holdings, a Hong Kong construction firm", "Gazprom, the Russian gas giant":
    where the company is based."""
    if f.cls != ORGANIZATION:
        return
    for noun in kids(ctx.m.root(f), "appos"):
        if ctx.m.at(noun) is not None or lemma_of(noun) not in rule_words("org_location", "kinds"):
            continue
        places = _places_modifying(ctx, noun)
        ctx.emit("org_location:appos", "schema:location", [ctx.m.arg(f)], places, noun, local=True)


def _country_at(ctx: Ctx, tok: Token) -> Arg | None:
    """The place a modifier names: a place mention ("Hong Kong"), or a nationality adjective
    ("Russian"), which introduces its country."""
    found = ctx.m.at(tok)
    if found is not None:
        return ctx.m.arg(found) if found.cls in (PLACE, COUNTRY) and ctx.m.trusted(found) else None
    if not tok.is_title or tok.ent_type_ not in ("NORP", "GPE", ""):
        return None
    country = ctx.gaz.demonym(tok.text)
    if country is None:
        return None
    return ctx.introduce(Found(tok.i, tok.i + 1, COUNTRY, country.name, "demonym"))


def _places_modifying(ctx: Ctx, noun: Token) -> list[Arg]:
    """Places named in a kind noun's modifiers: "a Hong Kong construction firm", "India's
    premier carrier"."""
    places = []
    for c in kids(noun, "compound", "nmod", "amod", "poss"):
        arg = _country_at(ctx, c)
        if arg is None:
            arg = next((a for g in kids(c, "compound") if (a := _country_at(ctx, g))), None)
        if arg is not None:
            places.append(arg)
    return places


def org_described(f: Found, ctx: Ctx) -> None:
    """Where an organisation is, from how the text introduces it: "Russian energy giant
    Gazprom", "India's ONGC", "the firm was a leading UK film producer"."""
    if f.cls != ORGANIZATION:
        return
    doc = ctx.doc
    kinds = rule_words("org_location", "kinds")
    before = doc[f.start - 1] if f.start > 0 else None
    # "India's ONGC", "London's Capital FM": a country's or a city's own organisation (not
    # a region's: "South America's Champions League" is a likeness).
    if before is not None and before.text in ("'s", "’s") and f.start >= 2:
        owner = ctx.m.at(f.start - 2)
        if (
            owner is not None
            and owner.end == f.start - 1
            and (
                owner.cls == COUNTRY or owner.cls == PLACE and ctx.gaz.countries_of_city(owner.name)
            )
            and ctx.m.trusted(owner)
        ):
            ctx.emit(
                "org_location:possessive",
                "schema:location",
                [ctx.m.arg(f)],
                [ctx.m.arg(owner)],
                doc[f.start],
                local=True,
            )
        return
    # "Russian energy giant Gazprom": a kind noun right before the name, a place before it.
    if before is not None and before.is_lower and before.lemma_.lower() in kinds:
        ctx.emit(
            "org_location:kind",
            "schema:location",
            [ctx.m.arg(f)],
            _places_modifying(ctx, before),
            before,
            local=True,
        )
    # "X is a leading UK film producer" (X named or described: "the firm").
    root = ctx.m.root(f)
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        for attr in kids(root.head, "attr"):
            if attr.lemma_.lower() in kinds and ctx.m.at(attr) is None:
                places = _places_modifying(ctx, attr)
                ctx.emit("org_location:is", "schema:location", [ctx.m.arg(f)], places, attr)


def _org_near(ctx: Ctx, noun: Token) -> list[Arg]:
    """The organisation a modified noun names: itself, its apposition, or the name it precedes."""
    for t in named_tokens(noun):
        found = ctx.m.at(t)
        if found is not None and found.cls == ORGANIZATION:
            return [ctx.m.arg(found)]
    return []


# --- schema:containedInPlace ---------------------------------------------------------------


def _city_check(ctx: Ctx, city: Found, area: Found) -> bool | None:
    """True or False when the gazetteer knows; None when "A, B" may be city and region."""
    if area.cls != COUNTRY:
        # "Houston, Texas": a known city, then a name that is no city; "Westminster
        # Hall, London": a name that is no city (a building, a district), then a city.
        known = bool(ctx.gaz.countries_of_city(city.name))
        area_city = bool(ctx.gaz.countries_of_city(area.name))
        return None if known != area_city else False
    country = ctx.gaz.country(area.name, allow_code=True)
    return None if country is None else ctx.gaz.city_in(city.name, country.alpha3)


def _in_list(ctx: Ctx, first: Found, second: Found) -> bool:
    """Whether "A, B" is part of a list of places rather than "city, country"."""
    doc = ctx.doc
    a, b = ctx.m.root(first), ctx.m.root(second)
    if (
        a.dep_ == "conj"
        or any(c.dep_ == "conj" for c in a.children)
        or any(c.dep_ == "conj" for c in b.children)
        or b.dep_ == "conj"
    ):
        return True
    if (
        first.start >= 2
        and doc[first.start - 1].text in {",", "and", "or"}
        and ctx.m.at(first.start - 2) is not None
    ):
        return True
    after = second.end
    return after < len(doc) and (
        doc[after].lower_ in {"and", "or"}
        or (
            doc[after].text == ","
            and after + 1 < len(doc)
            and ctx.m.at(after + 1) is not None
            and ctx.m.at(after + 1).cls in (PLACE, COUNTRY)
        )
    )


def _is_site(ctx: Ctx, f: Found) -> bool:
    """A named site (a building, a district), not a city, country or region the gazetteer knows."""
    return (
        f.cls == PLACE
        and len(f.name.split()) > 1
        and not ctx.gaz.countries_of_city(f.name)
        and ctx.gaz.country(f.name) is None
    )


def _looks_like_address(ctx: Ctx, first: Found, second: Found) -> bool:
    """ "in Plaisir, France," / "DAYTON, Ohio (AP)": a place phrase, not "the EU, Turkey"."""
    doc = ctx.doc
    sent_start = doc[first.start].sent.start
    before = doc[first.start - 1] if first.start > sent_start else None
    if before is not None and before.lower_ == "the" and before.i > sent_start:
        before = doc[before.i - 1]  # "at the Usher Hall, Edinburgh"
    after = doc[second.end] if second.end < len(doc) else None
    if before is None:  # a dateline
        return after is not None and after.text in ("(", "-", "—", "_", ":")
    return before.lower_ in ("in", "at", "near", "outside", "from") and (
        after is None or after.is_punct or after.pos_ == "ADP"
    )


def contained(f: Found, ctx: Ctx) -> None:
    """ "Houston, Texas", "Plaisir, France", "Osaka in Japan": a place within a larger one."""
    if f.cls != PLACE:
        return
    doc = ctx.doc
    root = ctx.m.root(f)
    after = f.end
    if after + 1 < len(doc) and doc[after].text == ",":
        area = ctx.m.at(after + 1)
        if (
            area is not None
            and area.start == after + 1
            and area.cls in (PLACE, COUNTRY)
            and ctx.m.trusted(area)
            and not _in_list(ctx, f, area)
        ):
            verdict = _city_check(ctx, f, area)
            if verdict is None and not _looks_like_address(ctx, f, area):
                verdict = False
            if verdict is not False:
                base = (
                    rule_number("contained", "base")
                    if verdict
                    else rule_number("contained", "unchecked_base")
                )
                ctx.emit_fact(
                    "contained:apposition",
                    "schema:containedInPlace",
                    ctx.m.arg(f),
                    ctx.m.arg(area),
                    root,
                    base,
                )
    _within_owner(ctx, f, root)
    for obj in pobjs(root, ["in"]):
        area = ctx.m.at(obj)
        if area is None or not ctx.m.trusted(area):
            continue
        if area.cls == COUNTRY and _city_check(ctx, f, area):
            ctx.emit_fact(
                "contained:in",
                "schema:containedInPlace",
                ctx.m.arg(f),
                ctx.m.arg(area),
                root,
                rule_number("contained", "base"),
            )
        elif (
            area.cls in (PLACE, COUNTRY)
            and _is_site(ctx, f)
            and (area.cls == COUNTRY or bool(ctx.gaz.countries_of_city(area.name)))
        ):
            # "the Palace of Fine Arts, in San Francisco": a site in a known city.
            ctx.emit_fact(
                "contained:site",
                "schema:containedInPlace",
                ctx.m.arg(f),
                ctx.m.arg(area),
                root,
                rule_number("contained", "unchecked_base"),
            )


def _within_owner(ctx: Ctx, f: Found, root: Token) -> None:
    """ "Pakistan's Sindh province", "London's Leicester Square" (a country's place, or a
    known city's site) and "the Israeli city of Tel Aviv", "the US state of Texas"."""
    doc = ctx.doc
    area: Arg | None = None
    if f.start >= 2 and doc[f.start - 1].text in ("'s", "’s"):
        owner = ctx.m.at(f.start - 2)
        if (
            owner is not None
            and owner.end == f.start - 1
            and ctx.m.trusted(owner)
            and (
                owner.cls == COUNTRY
                and _country_s_place(ctx, f, owner)
                or owner.cls == PLACE
                and _is_site(ctx, f)
                and bool(ctx.gaz.countries_of_city(owner.name))
            )
        ):
            area = ctx.m.arg(owner)
    elif root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.i == f.start - 1:
        kind = root.head.head
        if kind.lemma_.lower() in rule_words("contained", "kinds") and kind.i < root.head.i:
            area = next(
                (a for c in kids(kind, "amod", "compound") if (a := _country_at(ctx, c))), None
            )
            if area is not None and area.cls != COUNTRY:
                area = None
    if area is not None:
        ctx.emit_fact(
            "contained:owner",
            "schema:containedInPlace",
            ctx.m.arg(f),
            area,
            root,
            rule_number("contained", "possessive_base"),
        )


def _country_s_place(ctx: Ctx, f: Found, country: Found) -> bool:
    """Whether "Country's X" places X there: a city the gazetteer puts there, or a name
    before a kind of place ("Phuket island", "Sindh province") that it does not put
    elsewhere; not an unknown name alone ("France's Ubisoft", a firm NER took for a place)."""
    verdict = _city_check(ctx, f, country)
    if verdict is not None:
        return verdict
    after = ctx.doc[f.end] if f.end < len(ctx.doc) else None
    return after is not None and after.lemma_.lower() in rule_words("contained", "kinds")


def gazetteer_contained(sent: Span, ctx: Ctx, found: list[Found] | None = None) -> None:
    """A city and the one country the gazetteer puts it in, in one sentence (once per article).

    ``found``: the sentence's mentions, if the caller has them.
    """
    if found is None:
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
        ctx.emit_fact(
            "contained:gazetteer",
            "schema:containedInPlace",
            ctx.m.arg(f),
            ctx.m.arg(area),
            ctx.m.root(f),
            rule_number("contained", "gazetteer_base"),
        )


def national_org(f: Found, ctx: Ctx) -> None:
    """ "the US Securities and Exchange Commission", "UK Film Council": an organisation
    whose name opens with a country's name is based there."""
    if f.cls != ORGANIZATION:
        return
    size = country_prefix(ctx.doc[f.start : f.end], ctx.gaz)
    if not size:
        return
    country = ctx.gaz.country(ctx.doc[f.start : f.start + size].text, allow_code=True)
    if country is None:
        return
    place = Found(f.start, f.start + size, COUNTRY, country.name, "org-name")
    ctx.emit_fact(
        "org_location:name",
        "schema:location",
        ctx.m.arg(f),
        ctx.introduce(place),
        ctx.doc[f.start],
        rule_number("org_location", "name_base", 0.8),
    )
