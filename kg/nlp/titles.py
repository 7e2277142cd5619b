"""Job titles around person names: jobTitle, leaderOf, worksFor, memberOf."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.gazetteer import Gazetteer
from kg.nlp.entities import Found
from kg.nlp.rules import load_rules, word_set
from kg.records import COUNTRY, ORGANIZATION, PERSON, PLACE

LEADER, MEMBER, WORKS = "leader", "member", "works"


@dataclass(frozen=True, slots=True)
class TitleFact:
    """A title found next to a person, and what it says of them."""

    person: Found
    title: str
    kind: str
    org: Found | None
    appositive: bool
    title_start: int = 0


@functools.cache
def _titles() -> dict[str, str]:
    data = load_rules("titles")
    table: dict[str, str] = {}
    for kind in (WORKS, MEMBER, LEADER):
        for title in data[kind]:
            table[_norm(title)] = kind
    return table


@functools.cache
def _title_words() -> frozenset[str]:
    words = {w for t in _titles() for w in t.split()}
    return frozenset(words | word_set("titles", "lesser") | word_set("titles", "past"))


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def match_title(words: list[str]) -> tuple[str, str, int] | None:
    """The kind, title and start index of the longest known title ending ``words``.

    Qualifiers before it ("vice", "foreign") make a lesser office; a past
    marker ("former") voids it.
    """
    table = _titles()
    low = [_norm(w) for w in words]
    for i in range(len(low)):
        candidate = " ".join(w for w in low[i:] if w)
        if candidate in table:
            kind = table[candidate]
            qualifiers = [w for w in low[:i] if w]
            if any(q in word_set("titles", "past") for q in qualifiers):
                return None
            start = i
            while start > 0 and low[start - 1] in word_set("titles", "lesser"):
                start -= 1
            if kind != WORKS and start < i:
                kind = WORKS
            return kind, " ".join(w for w in words[start:] if w != "-"), start
    return None


def _is_title_token(tok: Token) -> bool:
    return tok.text == "-" or _norm(tok.text) in _title_words()


def _entity_at(by_token: dict[int, Found], i: int) -> Found | None:
    return by_token.get(i)


def _org_target(found: Found | None, doc: Doc, gaz: Gazetteer, i: int) -> Found | None:
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
    return None


def find_titles(doc: Doc, entities: list[Found], gaz: Gazetteer) -> list[TitleFact]:
    """Titles before ("NATO Secretary General X") and after ("X, NATO's chief") person names."""
    by_token = {i: f for f in entities for i in range(f.start, f.end)}
    facts: list[TitleFact] = []
    for person in entities:
        if person.cls != PERSON:
            continue
        fact = _title_before(doc, person, by_token, gaz) or _title_after(doc, person, by_token, gaz)
        if fact is not None:
            facts.append(fact)
    return facts


def _title_before(
    doc: Doc, person: Found, by_token: dict[int, Found], gaz: Gazetteer
) -> TitleFact | None:
    i = person.start
    sent_start = doc[person.start].sent.start
    while (
        i > sent_start
        and _is_title_token(doc[i - 1])
        and doc[i - 1].i not in by_token
        and "\n" not in doc[i - 1].whitespace_
    ):
        i -= 1
    if i == person.start:
        return None
    words = [t.text for t in doc[i : person.start]]
    got = match_title(words)
    if got is None:
        return None
    kind, title, offset = got
    start = i + offset
    org = None
    j = start - 1
    if j >= sent_start and doc[j].text in {"'s", "’s"}:
        j -= 1
    if j >= sent_start:
        org = _org_target(_entity_at(by_token, j), doc, gaz, j)
        # "its UK chief executive": the office belongs to another organisation.
        if org is not None and org.start > sent_start and doc[org.start - 1].tag_ == "PRP$":
            org = None
    if (
        org is not None
        and org.cls in (COUNTRY, PLACE)
        and kind == LEADER
        and _norm(title) not in word_set("titles", "place_leader")
    ):
        org = None
    return TitleFact(person, title, kind, org, appositive=False, title_start=start)


def _title_after(
    doc: Doc, person: Found, by_token: dict[int, Found], gaz: Gazetteer
) -> TitleFact | None:
    """ "X, the T of ORG," / "X, ORG's T," / "X, T at ORG"."""
    sent = doc[person.start].sent
    i = person.end
    if i >= sent.end or doc[i].text != ",":
        return None
    i += 1
    if i < sent.end and doc[i].lower_ in {"the", "a"}:
        i += 1
    org: Found | None = None
    if i < sent.end and i in by_token and by_token[i].cls != PERSON:
        ent = by_token[i]
        k = ent.end
        if k < sent.end and doc[k].text in {"'s", "’s"}:
            org, i = ent, k + 1
        elif k < sent.end and _is_title_token(doc[k]):
            org, i = ent, k
    elif i < sent.end:
        org = _org_target(None, doc, gaz, i) if doc[i].ent_type_ == "NORP" else None
        if org is not None:
            i = org.end
    start = i
    while i < sent.end and _is_title_token(doc[i]) and i not in by_token:
        i += 1
    if i == start:
        return None
    got = match_title([t.text for t in doc[start:i]])
    if got is None or got[2] != 0:
        return None
    kind, title, _ = got
    if i < sent.end and doc[i].lower_ in {"of", "at", "for"} and org is None:
        k = i + 1
        if k < sent.end and doc[k].lower_ == "the":
            k += 1
        if k in by_token and by_token[k].cls != PERSON:
            org = by_token[k]
            i = org.end
    if i < sent.end and doc[i].text not in {",", ".", ";", ")"} and not doc[i].is_space:
        return None
    return TitleFact(person, title, kind, org, appositive=True, title_start=start)
