"""Job titles: their words (kg/_data/titles.toml), matching a title, and what it says.

A title is a phrase that ends in a known title head ("editor", "chief
executive", "striker") and may open with modifiers: lesser-office words
("deputy", "shadow"), and the nouns of a field ("reviews editor", "home
affairs spokesman", "race director"). Heads are data (open-class words
only); the modifiers are read off the tokens, so "film critic" or "deputy
enforcement director" need no entry of their own. The titles around
person names are found by :mod:`kg.nlp.title_facts`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

from spacy.tokens import Doc, Token

from kg.gazetteer import Gazetteer
from kg.nlp.entities import Found, is_party_name
from kg.nlp.rules import load_rules, word_set
from kg.records import COUNTRY, ORGANIZATION, PLACE
from kg.resolve import plural_group

LEADER, MEMBER, WORKS, FOUNDER = "leader", "member", "works", "founder"
_KINDS = (WORKS, MEMBER, LEADER, FOUNDER)
POSSESSIVES = {"'s", "’s", "'", "’"}
MAX_TITLE_WORDS = 6


class TitleMatch(NamedTuple):
    kind: str
    title: str
    start: int


@functools.cache
def _titles() -> dict[str, str]:
    data = load_rules("titles")
    table: dict[str, str] = {}
    for kind in _KINDS:
        for title in data[kind]:
            table[norm_title(title)] = kind
    return table


@functools.cache
def title_words() -> frozenset[str]:
    words = {w for t in _titles() for w in t.split()}
    return frozenset(words | word_set("titles", "lesser") | word_set("cues", "past", "adjectives"))


def norm_title(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def title_text(words: list[str]) -> str:
    """The title as written; a hyphen joins a short prefix ("co-chairman"), else a space."""
    out: list[str] = []
    for i, w in enumerate(words):
        if w == "-":
            continue
        if w == "," and out:
            out[-1] += ","
            continue
        if i > 0 and words[i - 1] == "-" and out and _hyphenated(out[-1], w):
            out[-1] = f"{out[-1]}-{w}"
        else:
            out.append(w)
    return " ".join(out)


def _hyphenated(before: str, after: str) -> bool:
    """Whether a hyphen stays in a title: a short prefix ("co-chairman") or a listed word
    ("fly-half", "president-elect"); else it reads as a space ("Secretary General")."""
    return len(before) <= 2 or f"{before}-{after}".lower() in _hyphen_words()


@functools.cache
def _hyphen_words() -> frozenset[str]:
    data = load_rules("titles")
    return frozenset(t for kind in _KINDS for t in data[kind] if "-" in t)


def match_title(words: list[str]) -> TitleMatch | None:
    """The kind, title and start index of the title that ``words`` end with.

    ``words`` are a title's words as found before or after a name: the
    longest known title ends them ("chief executive"), and the words before
    it are its modifiers ("deputy enforcement director", "film critic").
    Lesser-office words among them ("vice", "foreign", "shadow") make a
    lesser office; leading past markers ("former") are left out of the
    title (see ``past_marked``).
    """
    table = _titles()
    low = [norm_title(w) for w in words]
    for i in range(len(low)):
        candidate = " ".join(w for w in low[i:] if w)
        if candidate in table:
            kind = table[candidate]
            start = 0
            while start < i and low[start] in word_set("cues", "past", "adjectives") | {""}:
                start += 1
            if kind in (LEADER, FOUNDER) and any(
                w in word_set("titles", "lesser") for w in low[start:i]
            ):
                kind = WORKS
            return TitleMatch(kind, title_text(words[start:]), start)
    return None


def past_marked(words: list[str]) -> bool:
    """Whether a title's words say the post is over ("former", "ex", "late", "outgoing")."""
    return any(norm_title(w) in word_set("cues", "past", "adjectives") for w in words)


def is_title_word(tok: Token) -> bool:
    """Whether a word can end a job title ("editor", "cinematographer")."""
    return norm_title(tok.text) in _titles()


def is_title_token(tok: Token) -> bool:
    if tok.text == "-":
        # Only a hyphen inside a word ("co-chairman"), not a dash between phrases.
        doc = tok.doc
        return not tok.whitespace_ and tok.i > 0 and not doc[tok.i - 1].whitespace_
    return norm_title(tok.text) in title_words()


def is_title_modifier(tok: Token) -> bool:
    """A word that may open a title: a title word, or a field noun ("film", "reviews")."""
    if is_title_token(tok):
        return True
    return (
        tok.is_alpha
        and not tok.is_stop
        and (tok.is_lower or tok.is_sent_start and tok.tag_ != "NNP")
        and (tok.pos_ in ("NOUN", "PROPN") or tok.is_lower and _field_adjective(tok))
        and tok.dep_ in ("compound", "amod", "nmod")
        and tok.head.i > tok.i
        and not tok.ent_type_
        # "the first time actress X": a noun with its own determiner is no modifier
        and not any(c.dep_ in ("det", "poss", "nummod", "amod") for c in tok.children)
    )


def _field_adjective(tok: Token) -> bool:
    """An adjective that names a field ("international development secretary", "artistic
    director"), by its ending, and not one that judges ("controversial director")."""
    low = tok.lower_
    return (
        tok.pos_ == "ADJ"
        and low.endswith(tuple(word_set("titles", "field_adjective_endings")))
        and low not in word_set("titles", "not_field_adjectives")
    )


def is_party(name: str) -> bool:
    """Whether an organisation's name says it is a political party ("Labour Party")."""
    last = name.split()[-1].lower() if name.split() else ""
    return last in word_set("titles", "party_heads")


def is_employed_leader(title: str) -> bool:
    """Whether a leader title is also a job at the organisation ("chief executive", not "chair")."""
    return any(norm_title(title).endswith(t) for t in word_set("titles", "employed_leader"))


def leads_place(title: str) -> bool:
    """Whether a leader title can head a country or a place ("mayor", not "chairman")."""
    return norm_title(title) in word_set("titles", "place_leader")


def opens_title(tok: Token) -> bool:
    """A word that opens a title: "Home" of "Home Secretary", "Supreme" of "Supreme Leader"."""
    return tok.lower_ in word_set("titles", "lesser") or norm_title(tok.text) in title_words()


@dataclass(frozen=True, slots=True)
class TitleFact:
    """A title found next to a person, and what it says of them."""

    person: Found
    title: str
    kind: str
    org: Found | None
    appositive: bool
    title_start: int = 0
    past: bool = False


def is_descriptor(tok: Token) -> bool:
    """A common noun between a name and its possessive: "Empire magazine's"."""
    return tok.lower_ in word_set("titles", "descriptors")


def org_target(found: Found | None, doc: Doc, gaz: Gazetteer, i: int) -> Found | None:
    """The organisation or place a title names, from an entity or a demonym at token ``i``."""
    if found is not None and found.cls in (ORGANIZATION, COUNTRY, PLACE):
        return found
    tok = doc[i]
    if tok.ent_type_ == "NORP" or tok.tag_ == "JJ" or tok.tag_ == "NNP":
        start = i
        while start > 0 and doc[start - 1].ent_type_ == "NORP" and doc[start - 1].ent_iob_ == "I":
            start -= 1
        country = gaz.demonym(doc[start : i + 1].text)
        if country is not None:
            return Found(start, i + 1, COUNTRY, country.name, "demonym")
    if tok.ent_type_ == "NORP" and tok.is_title:
        # "Liberal Democrat spokesman X", "Tory leader Y": the party, named as a group.
        start = i
        while start > 0 and i - start < 2 and party_word(doc[start - 1]):
            start -= 1
        first = doc[start - 1] if start > 0 else None
        if (
            first is not None
            and i - start < 2
            and first.is_sent_start
            and first.is_title
            and first.tag_ in ("NNP", "JJ")
            and first.lower_ not in word_set("titles", "rank_words")
        ):
            start -= 1  # "Liberal Democrat X" opening a sentence, not "Senior Tory X"
        span = doc[start : i + 1]
        if tok.lower_ in word_set("entities", "organization", "club_suffixes"):
            # "Manchester United manager X": a club, named as itself
            return Found(start, i + 1, ORGANIZATION, span.text, "club") if start < i else None
        if is_party_name(span, gaz):
            return Found(start, i + 1, ORGANIZATION, plural_group(span.text), "party")
    return None


def party_word(tok: Token) -> bool:
    """A capitalised word that opens a party's name before NER's NORP ("Liberal Democrat")."""
    return (
        tok.is_title
        and tok.tag_ in ("NNP", "JJ")
        and tok.ent_type_ in ("", "NORP", "ORG")
        and not tok.is_sent_start
        or tok.ent_type_ == "NORP"
        and tok.doc[tok.i + 1].ent_iob_ == "I"
    )


def is_past_marker(tok: Token) -> bool:
    return norm_title(tok.text) in word_set("cues", "past", "adjectives")
