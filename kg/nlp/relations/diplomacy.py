"""Diplomatic relations: partners, parties to agreements and opposition."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from kg.nlp.coref import Arg
from kg.nlp.entities import Found
from kg.nlp.relations.core import Ctx, listed, owners_of, pairs, rule_words, typed, typed_all
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
from kg.records import AGREEMENT, COUNTRY, PERSON, PLACE

# --- kg:partnerOf --------------------------------------------------------------------------


def _governing_subject(noun: Token) -> Token | None:
    """The subject of the clause a noun phrase sits in ("X conducts talks with partners")."""
    t = noun
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX"):
            if lemma_of(t) in rule_words("partner", "blocking_verbs"):
                return None
            return controller(t)
        if t.dep_ in ("pobj", "pcomp", "prep", "dobj", "attr", "conj", "dative"):
            t = t.head
        else:
            return None
    return None


def partner(tok: Token, ctx: Ctx) -> None:
    lemma = lemma_of(tok)
    if tok.pos_ == "VERB" and not is_passive(tok):
        if lemma in rule_words("partner", "verbs"):
            if lemma == "team" and not has_particle(tok, {"up"}):
                return
            subjects = ctx.args(controller(tok))
            objs = ctx.args_all(pobjs(tok, ["with"]))
            if objs:
                ctx.emit("partner:verb", "kg:partnerOf", subjects, objs, tok, explicit=True)
            elif lemma != "work":
                pairs(ctx, "partner:verb", "kg:partnerOf", subjects, tok)
        elif lemma in rule_words("partner", "upgrade_verbs"):
            for noun in kids(tok, "dobj"):
                if lemma_of(noun) not in rule_words("partner", "upgrade_nouns"):
                    continue
                subjects = ctx.args(controller(tok))
                objs = ctx.args_all(pobjs(noun, ["with"]) + pobjs(tok, ["with"]))
                if objs:
                    ctx.emit("partner:upgrade", "kg:partnerOf", subjects, objs, tok, scope=[noun])
                elif not pobjs(noun, ["between", "among"]):
                    pairs(ctx, "partner:upgrade", "kg:partnerOf", subjects, tok, [noun])
        return
    if tok.pos_ != "NOUN":
        return
    if lemma in rule_words("partner", "with_nouns"):
        objs = ctx.args_all(pobjs(tok, ["with"]))
        between = ctx.args_all(pobjs(tok, ["between", "among"]))
        pairs(ctx, "partner:between", "kg:partnerOf", between, tok)
        if objs:
            owner = possessor(tok)
            owners = ctx.args(owner) if owner is not None else ctx.args(_governing_subject(tok))
            ctx.emit("partner:with", "kg:partnerOf", owners, objs, tok)
    elif lemma in rule_words("partner", "partner_nouns"):
        members = listed(ctx, tok)
        if tok.dep_ == "conj" or any(c.dep_ == "conj" for c in tok.children):
            # "with Japan and key partners": Japan is one of the partners.
            members += [a for t in (tok, *tok.conjuncts) for a in ctx.args(t, descriptions=False)]
        if tok.dep_ in ("compound", "appos"):
            members += ctx.args(tok.head, descriptions=False)
        if tok.dep_ == "attr":
            members += ctx.args(controller(tok.head))
        if tok.dep_ == "nsubj" and lemma_of(tok.head) == "include":
            members += ctx.args_all(kids(tok.head, "dobj"))
        if not members:
            return
        owners = owners_of(ctx, tok)
        if not owners and tok.dep_ not in ("compound", "appos", "attr"):
            owners = ctx.args(_governing_subject(tok))
        ctx.emit("partner:noun", "kg:partnerOf", owners, members, tok)


# --- kg:partyTo ----------------------------------------------------------------------------


def party(tok: Token, ctx: Ctx) -> None:
    lemma = lemma_of(tok)
    if tok.pos_ == "VERB" and lemma in rule_words("party", "verbs"):
        objs = kids(tok, "dobj") + pobjs(tok, rule_words("party", "verb_preps"))
        if is_passive(tok) or tok.dep_ == "acl":
            subj = subject_child(tok, passive_ok=True)
            agreements = typed(ctx, subj, AGREEMENT)
            if tok.dep_ == "acl":
                agreements = typed(ctx, tok.head, AGREEMENT)
            parties = ctx.args(agent(tok))
        else:
            agreements = typed_all(ctx, objs, AGREEMENT)
            parties = ctx.args(controller(tok))
        if not agreements:
            return
        others = ctx.args_all(pobjs(tok, ["with"]) + [o for d in objs for o in pobjs(d, ["with"])])
        ctx.emit("party:verb", "kg:partyTo", parties + others, agreements, tok, explicit=True)
    elif tok.pos_ == "NOUN" and lemma in rule_words("party", "nouns") and tok.dep_ == "attr":
        agreements = typed_all(ctx, pobjs(tok, ["to", "of"]), AGREEMENT)
        ctx.emit("party:noun", "kg:partyTo", ctx.args(controller(tok.head)), agreements, tok.head)


def agreement(f: Found, ctx: Ctx) -> None:
    if f.cls != AGREEMENT:
        return
    root = ctx.m.root(f)
    parties = ctx.args_all(pobjs(root, ["between", "among"]))
    ctx.emit("party:between", "kg:partyTo", parties, [ctx.m.arg(f)], root)


# --- kg:opposes ----------------------------------------------------------------------------


def _targets(ctx: Ctx, obj: Token, *, possessive_only: bool = False) -> list[Arg]:
    """What an opposing phrase targets: the entity it names, or the first one inside it.

    "denounced NATO's Strategic Concept" gives the Concept (when it is a
    mention) and NATO; "blasted the push to create a global NATO" gives
    NATO; "rejected claims that …" gives nothing.
    """
    if lemma_of(obj) in rule_words("oppose", "statement_nouns"):
        return []
    # No description here: "criticised the US-led coalition" names a new body more often
    # than it points back.
    direct = ctx.args(obj, descriptions=False)
    if direct:
        out = (
            []
            if possessive_only and any(a.cls in (PERSON, PLACE, COUNTRY) for a in direct)
            else direct
        )
        owner = possessor(obj)
        return out + ctx.args(owner) if owner is not None else out
    first = _inside(ctx, obj)
    if first is None:
        # "blasted the push to create X": the parser hangs the infinitive on the verb.
        verb = obj.head
        for c in verb.children:
            if (
                c.dep_ in ("advcl", "xcomp")
                and c.left_edge.i == obj.right_edge.i + 1
                and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            ):
                first = _inside(ctx, c)
    return [first] if first is not None else []


def _inside(ctx: Ctx, head: Token, depth: int = 0) -> Arg | None:
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
            for o in kids(c, "pobj"):
                found = found or _inside(ctx, o, depth + 1)
            if found is not None and found.cls in (PLACE, COUNTRY) and c.lower_ == "of":
                found = None
        elif c.dep_ in ("acl", "xcomp") and any(
            a.lower_ == "to" for a in c.children if a.dep_ == "aux"
        ):
            for o in kids(c, "dobj"):
                found = found or ctx.m.one(o)
        if found is not None:
            return replace(found, via="inside") if found.via == "mention" else found
    return None


def oppose(tok: Token, ctx: Ctx) -> None:
    lemma = lemma_of(tok)
    if tok.pos_ == "VERB" and lemma in rule_words("oppose", "verbs"):
        preps = rule_words("oppose", "verb_preps")
        if (
            lemma in rule_words("oppose", "particle_only")
            and not pobjs(tok, ["at", "against"])
            or tok.lower_ in rule_words("oppose", "attributive")
        ):
            return
        only = lemma in rule_words("oppose", "possessive_only")
        if is_passive(tok):
            sources = ctx.args(agent(tok))
            subj = subject_child(tok, passive_ok=True)
            targets = _targets(ctx, subj, possessive_only=only) if subj is not None else []
        else:
            sources = ctx.args(controller(tok))
            targets = [
                a
                for o in kids(tok, "dobj") + pobjs(tok, preps)
                for a in _targets(ctx, o, possessive_only=only)
            ]
        ctx.emit("oppose:verb", "kg:opposes", sources, targets, tok, explicit=True)
    elif tok.pos_ == "VERB" and lemma in rule_words("oppose", "against_verbs"):
        targets = [a for o in pobjs(tok, ["against"]) for a in _targets(ctx, o)]
        if targets and not is_passive(tok):
            sources = ctx.args(controller(tok))
            ctx.emit("oppose:against", "kg:opposes", sources, targets, tok, explicit=True)
    elif tok.pos_ == "ADJ" and lemma in rule_words("oppose", "adjectives") and tok.dep_ == "acomp":
        targets = [a for o in pobjs(tok, ["to", "of"]) for a in _targets(ctx, o)]
        ctx.emit(
            "oppose:adjective", "kg:opposes", ctx.args(controller(tok.head)), targets, tok.head
        )
    elif tok.pos_ == "NOUN" and lemma in rule_words("oppose", "nouns"):
        gov = tok.head if tok.dep_ == "dobj" else None
        froms = pobjs(tok, ["from", "by"])
        if not froms and gov is not None and lemma_of(gov) in rule_words("oppose", "receive_verbs"):
            froms = pobjs(gov, ["from"])  # "drew criticism on Monday from X"
        sources = ctx.args_all(froms)
        targets = [
            a
            for o in pobjs(tok, ["of", "to", "against", "over", "toward", "towards"])
            for a in _targets(ctx, o)
        ]
        trigger = gov if gov is not None else tok
        if (
            sources
            and not targets
            and gov is not None
            and lemma_of(gov) in rule_words("oppose", "receive_verbs")
        ):
            subj = subject_child(gov, passive_ok=False)
            first = _inside(ctx, subj) if subj is not None else None
            targets = [first] if first is not None else []
        elif (
            not sources
            and gov is not None
            and lemma_of(gov) in rule_words("oppose", "express_verbs")
        ):
            sources = ctx.args(controller(gov))
        elif not sources and possessor(tok) is not None:
            sources = ctx.args(possessor(tok))
            trigger = tok
        ctx.emit("oppose:noun", "kg:opposes", sources, targets, trigger, scope=[tok])
