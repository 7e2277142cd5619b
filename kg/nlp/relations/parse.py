"""Dependency-parse helpers of the relation rules: children, prepositions, subjects, distances."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

_POSS = {"'s", "’s", "'"}

SUBJ = ("nsubj", "nsubjpass")


def kids(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def pobjs(tok: Token, preps: Iterable[str]) -> list[Token]:
    """Objects of ``tok``'s prepositions among ``preps`` ("office in X" → X)."""
    words = set(preps)
    return [
        o
        for p in tok.children
        if p.dep_ in ("prep", "agent", "dative") and p.lower_ in words
        for o in p.children
        if o.dep_ in ("pobj", "pcomp")
    ]


def lemma_of(tok: Token) -> str:
    return tok.lemma_.lower()


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def has_particle(verb: Token, words: Iterable[str]) -> bool:
    return any(c.dep_ == "prt" and c.lower_ in words for c in verb.children)


def subject_child(verb: Token, *, passive_ok: bool) -> Token | None:
    deps = SUBJ if passive_ok else ("nsubj",)
    for c in verb.children:
        if c.dep_ in deps:
            return c  # a relative pronoun resolves to its antecedent in kg.nlp.coref
    return None


def possessor(noun: Token) -> Token | None:
    """ "X's noun" (the parser sometimes hangs "the latter's" as an amod with a case marker)."""
    for c in noun.children:
        if c.dep_ == "poss" and c.tag_ != "PRP$":
            return c
        if (
            c.dep_ in ("amod", "compound", "nmod")
            and c.i < noun.i
            and any(g.dep_ == "case" and g.text in _POSS for g in c.children)
        ):
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
        subj = subject_child(v, passive_ok=depth > 0)
        if subj is not None:
            return subj
        if depth == 0 and is_passive(v):
            return None
        dep, head = v.dep_, v.head
        if dep == "xcomp":
            obj = kids(head, "dobj")
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
            if dep == "acl" and v.tag_ in ("VBN", "VBG") and not kids(v, "aux"):
                return v  # "the man convicted of killing Y": kg.nlp.coref reads it as the man
            owner = possessor(noun)
            if owner is not None:
                return owner
            if noun.dep_ in ("dobj", "attr") and noun.head.pos_ in ("VERB", "AUX"):
                v = noun.head
            else:
                return None
        else:
            return None
    return None


def first_conjunct(tok: Token) -> Token:
    """The first conjunct of a list: every member of "A, B and C" is as near as A."""
    while tok.dep_ == "conj":
        tok = tok.head
    return tok


def edges_between(a: Token, b: Token) -> int:
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


def agent(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            for o in c.children:
                if o.dep_ == "pobj":
                    return o
    return None


def named_tokens(noun: Token) -> tuple[Token, ...]:
    """Tokens that may name what a modified noun stands for: itself, its appositions, or the
    name it precedes ("London-born actor Tom Hardy")."""
    return (noun, *kids(noun, "appos"), noun.head if noun.dep_ == "compound" else noun)
