"""Place relations: where organisations are based and which place lies in which."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.nlp.coref import Arg
from kg.nlp.entities import Found
from kg.nlp.relations.core import Ctx, rule_number, rule_words, typed
from kg.nlp.relations.parse import kids, lemma_of, named_tokens, pobjs, subject_child
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
    """ "Acme Holdings, a Hong Kong construction firm": where the company is based."""
    if f.cls != ORGANIZATION:
        return
    for noun in kids(ctx.m.root(f), "appos"):
        if ctx.m.at(noun) is not None or lemma_of(noun) not in rule_words("org_location", "kinds"):
            continue
        places = [
            ctx.m.arg(p)
            for c in kids(noun, "compound", "nmod", "amod")
            if (p := ctx.m.at(c)) is not None and p.cls in (PLACE, COUNTRY) and ctx.m.trusted(p)
        ]
        ctx.emit("org_location:appos", "schema:location", [ctx.m.arg(f)], places, noun, local=True)


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
        # "Houston, Texas": a known city, then a name that is no city.
        known = bool(ctx.gaz.countries_of_city(city.name))
        return None if known and not ctx.gaz.countries_of_city(area.name) else False
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
    before = doc[first.start - 1] if first.start > doc[first.start].sent.start else None
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
