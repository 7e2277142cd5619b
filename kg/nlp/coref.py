"""Arguments of relations: entity mentions, generic descriptions, "the latter", metonymy.

A relation rule points at a token of the parse; this module says which
entity (if any) that token stands for. Besides the mention spans found by
kg.nlp.entities it resolves, conservatively:

- generic definite descriptions ("the bloc", "the US-led military alliance",
  "the company") to the organisation the article has named most often
  before them (the most recent one on a tie), and "the outlet" / "the
  newspaper" likewise among news sources (organisations that report, are
  reported from, or are cited);
- "the latter" / "the former" to the second / first of two persons
  coordinated just before in the sentence;
- a capital city to its country, for the relations where a capital stands
  for its government ("Moscow criticised …" → Russia).

Every resolution beyond a plain mention is marked, so that confidence can
pay for it. A lone capitalised word that NER called a person and that the
article never backs up (no full name ending in it, no "Mr" or title before
it) is not trusted as an argument: in sports and business copy these are
mostly clubs and brands ("Bolton meet Ipswich").
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.gazetteer import Gazetteer
from kg.nlp.entities import Found, is_honorific
from kg.nlp.rules import word_set
from kg.nlp.titles import match_title
from kg.records import COUNTRY, ORGANIZATION, PERSON, PLACE

_DETS = {"the", "this", "that"}


@functools.cache
def _desc(key: str) -> frozenset[str]:
    if key == "country_codes":
        return frozenset(w.upper() for w in word_set("relations", "descriptions", key))
    return word_set("relations", "descriptions", key)


@dataclass(frozen=True, slots=True)
class Arg:
    """One end of a relation: the entity's name and class, where it stands, how it was found."""

    name: str
    cls: str
    token: int
    via: str = "mention"  # mention | inside | description | latter | pronoun | metonymy


class Mentions:
    """The entity mentions of one article, indexed by token, with news sources known."""

    def __init__(self, doc: Doc, entities: list[Found], gaz: Gazetteer) -> None:
        self.doc = doc
        self.gaz = gaz
        self.entities = sorted(entities, key=lambda f: f.start)
        self.by_token = {i: f for f in self.entities for i in range(f.start, f.end)}
        self._roots = {f: doc[f.start : f.end].root.i for f in self.entities}
        self._orgs = [f for f in self.entities if f.cls == ORGANIZATION]
        self._org_starts = [f.start for f in self._orgs]
        self._persons = [f for f in self.entities if f.cls == PERSON]
        self.sources = self._news_sources()
        self.weak = self._weak_persons()

    def _weak_persons(self) -> frozenset[Found]:
        """Lone words NER called persons that the article also uses as a place or an
        organisation ("Bolton meet Ipswich", "Aston … Aston Martin"), unless a full name
        ending in them or a "Mr" / title before them says otherwise."""
        surnames = {
            self.doc[f.end - 1].lower_
            for f in self.entities
            if f.cls == PERSON and f.end - f.start > 1
        }
        other_senses = {self.doc[f.start].lower_ for f in self.entities if f.cls != PERSON}
        other_senses |= {t.lower_ for e in self.doc.ents if e.label_ != "PERSON" for t in e}
        weak = set()
        for f in self.entities:
            if f.cls != PERSON or f.end - f.start > 1 or self.doc[f.start].lower_ in surnames:
                continue
            prev = self.doc[f.start - 1] if f.start > 0 else None
            if (
                prev is not None
                and prev.text[:1].isupper()
                and (is_honorific(prev) or match_title([prev.text]))
            ):
                continue
            name = self.doc[f.start].text
            if (
                self.doc[f.start].lower_ in other_senses
                or self.gaz.country(name) is not None
                or bool(self.gaz.countries_of_city(name))
            ):
                weak.add(f)
        return frozenset(weak)

    def at(self, tok: Token | int) -> Found | None:
        """The mention covering a token."""
        return self.by_token.get(tok if isinstance(tok, int) else tok.i)

    def root(self, found: Found) -> Token:
        """The syntactic head of a mention."""
        i = self._roots.get(found)
        return self.doc[i] if i is not None else self.doc[found.start : found.end].root

    def trusted(self, found: Found) -> bool:
        """Whether a country mention is more than a bare two-letter code ("BT" is no Bhutan)."""
        text = self.doc[found.start : found.end].text
        if found.cls != COUNTRY or len(text.replace(".", "")) > 2:
            return True
        return text.replace(".", "").upper() in _desc("country_codes")

    def arg(self, found: Found, via: str = "mention") -> Arg:
        """A mention as a relation argument."""
        return Arg(found.name, found.cls, self.root(found).i, via)

    def _news_sources(self) -> frozenset[str]:
        """Names of organisations that report or are cited as sources in this article."""
        verbs = _desc("source_verbs")
        names = set()
        for f in self._orgs:
            head = self.root(f)
            if (
                f.rule == "outlet"
                or head.dep_ == "nsubj"
                and head.head.lemma_ in verbs
                # "Toyota reported profits" is a firm's news, not an outlet's report
                and not any(c.dep_ == "dobj" for c in head.head.children)
                or head.dep_ == "pobj"
                and head.head.lower_ == "to"
                and head.head.head.lower_ == "according"
                or head.dep_ == "compound"
                and head.head.lower_ in _desc("outlet")
            ):
                names.add(f.name)
        return frozenset(names)

    def resolve(self, tok: Token, *, descriptions: bool = True) -> list[Arg]:
        """The entities a noun phrase head stands for, its conjuncts included.

        "Australia, New Zealand and South Korea" gives three arguments; a
        multi-word name coordinated inside itself ("Bosnia and Herzegovina")
        gives one.
        """
        out: list[Arg] = []
        seen: set[tuple[str, str]] = set()
        for t in (tok, *tok.conjuncts):
            arg = self.one(t, descriptions=descriptions)
            if arg is not None and (arg.name, arg.cls) not in seen:
                seen.add((arg.name, arg.cls))
                out.append(arg)
        return out

    def one(self, tok: Token, *, descriptions: bool = True) -> Arg | None:
        """The entity a single token stands for, without conjuncts."""
        found = self.at(tok)
        if found is not None:
            return None if found in self.weak or not self.trusted(found) else self.arg(found)
        antecedent = None
        if tok.tag_ in ("WP", "WDT") and tok.head.dep_ == "relcl":
            # "X, who heads Y": the relative pronoun is X (and not X's conjuncts).
            antecedent = tok.head.head
        elif tok.dep_ == "acl" and tok.tag_ in ("VBN", "VBG"):
            antecedent = tok.head  # "X, convicted of killing Y": X
        if tok.lower_ in _desc("pronouns") and tok.dep_ in ("nsubj", "nsubjpass"):
            return self.speaker(tok) or self.previous_subject(tok)
        if (tok.lower_ in _desc("person_pronouns") and tok.tag_ == "PRP") or (
            descriptions and _is_age_description(tok)
        ):
            return self.person_antecedent(tok)
        if antecedent is not None:
            if self.at(antecedent) is None and antecedent.dep_ == "appos":
                antecedent = antecedent.head  # "X, the man who killed Y"
            elif self.at(antecedent) is None and antecedent.dep_ == "attr":
                subjects = [c for c in antecedent.head.children if c.dep_ == "nsubj"]
                antecedent = subjects[0] if subjects else antecedent  # "X was the man who …"
            found = self.at(antecedent)
            return self.arg(found) if found is not None and found not in self.weak else None
        if not descriptions or tok.pos_ not in ("NOUN", "PROPN", "ADJ"):
            return None
        lemma = tok.lemma_.lower()
        if lemma in _desc("latter") or lemma in _desc("former"):
            return self.latter_former(tok)
        if not any(c.lower_ in _DETS for c in tok.children if c.dep_ == "det"):
            return None
        if lemma in _desc("outlet"):
            got = self.recent_org(tok.i, sources=True)
        elif lemma in _desc("organization"):
            got = self.recent_org(tok.i, sources=False)
        else:
            return None
        return Arg(got.name, got.cls, tok.i, "description") if got else None

    def speaker(self, pronoun: Token) -> Arg | None:
        """ "Siemens said it would …": "it" is the organisation (or country) whose statement
        the clause is, when the clause is the complement of a verb with that subject."""
        clause = pronoun.head
        while clause.dep_ in ("conj", "xcomp") and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ != "ccomp":
            return None
        for c in clause.head.children:
            if c.dep_ == "nsubj":
                found = self.at(c)
                if (
                    found is not None
                    and found.cls in (ORGANIZATION, COUNTRY)
                    and found not in self.weak
                ):
                    return Arg(found.name, found.cls, pronoun.i, "pronoun")
        return None

    def previous_subject(self, pronoun: Token, depth: int = 0) -> Arg | None:
        """ "Rank aims to … It also owns Deluxe Media": a main clause's "it" is the
        organisation that was the subject of the sentence before, in the same paragraph,
        when nothing else is named in between."""
        head = pronoun.head
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head
        sent = pronoun.sent
        if head.dep_ != "ROOT" or sent.start == 0:
            return None
        if any(
            f.cls in (ORGANIZATION, COUNTRY)
            for f in self.entities
            if sent.start <= f.start < pronoun.i
        ):
            return None
        last = self.doc[sent.start - 1]
        if "\n" in last.whitespace_ or last.is_space:
            return None  # a new paragraph
        prev = last.sent
        for c in prev.root.children:
            if c.dep_ not in ("nsubj", "nsubjpass"):
                continue
            if c.lower_ in _desc("pronouns"):
                # "It has diversified … It now owns …": the chain, a few sentences at most.
                got = self.previous_subject(c, depth + 1) if depth < 2 else None
            else:
                got = self.one(c)
            if got is not None and got.cls == ORGANIZATION:
                return Arg(got.name, got.cls, pronoun.i, "pronoun")
        return None

    def person_antecedent(self, tok: Token) -> Arg | None:
        """ "he", "she", "the 31-year-old": the one person the text can mean.

        The persons named earlier in the sentence, or else in the sentence
        before; only when exactly one person is there (a surname alone and
        the full name ending in it count as one), never across a paragraph.
        """
        sent = tok.sent
        here = [f for f in self._persons if sent.start <= f.start and f.end <= tok.i]
        if not here and sent.start > 0:
            prev = self.doc[sent.start - 1].sent
            if "\n" in self.doc[sent.start - 1].whitespace_ or self.doc[sent.start - 1].is_space:
                return None  # a new paragraph
            here = [f for f in self._persons if prev.start <= f.start < prev.end]
        here = [f for f in here if f not in self.weak]
        people = {self.doc[f.end - 1].text: f for f in here}
        if len(people) != 1:
            return None
        (found,) = people.values()
        surname = self.doc[found.end - 1].text
        full = [
            f for f in self._persons if f.end - f.start > 1 and self.doc[f.end - 1].text == surname
        ]
        name = full[0].name if full and found.end - found.start == 1 else found.name
        return Arg(name, PERSON, tok.i, "pronoun")

    def recent_org(self, before: int, *, sources: bool) -> Found | None:
        """The organisation a description refers back to.

        The latest one named earlier in the same sentence; failing that, the
        one the article has named most often before (the latest on a tie).
        Only news sources count for "the outlet", only other organisations
        for "the bloc".
        """
        k = bisect.bisect_left(self._org_starts, before)
        sent_start = self.doc[before].sent.start
        counts: dict[str, int] = {}
        latest: dict[str, Found] = {}
        for f in self._orgs[:k]:
            if is_honorific(self.doc[f.start]):
                continue  # "Ms Hessel" taken for an organisation
            if f.end <= before and (f.name in self.sources) == sources:
                counts[f.name] = counts.get(f.name, 0) + 1
                latest[f.name] = f
        if not counts:
            return None
        here = [f for f in latest.values() if f.start >= sent_start]
        if here:
            return max(here, key=lambda f: f.start)
        best = max(counts, key=lambda n: (counts[n], latest[n].start))
        return latest[best]

    def latter_former(self, tok: Token) -> Arg | None:
        """The person "the latter" / "the former" points at: one of two coordinated just before."""
        sent = tok.sent
        persons = [
            f for f in self.entities if f.cls == PERSON and sent.start <= f.start and f.end <= tok.i
        ]
        for second in reversed(persons):
            head = self.root(second)
            if head.dep_ != "conj":
                continue
            first = self.at(head.head)
            if first is None or first.cls != PERSON:
                continue
            latter = tok.lemma_.lower() in _desc("latter")
            pick = second if latter else first
            return Arg(pick.name, pick.cls, tok.i, "latter")
        return None

    def metonymy(self, arg: Arg) -> Arg:
        """A capital city standing for its country's government; any other argument unchanged."""
        if arg.cls != PLACE:
            return arg
        country = self.gaz.capital_of(arg.name)
        if country is None:
            return arg
        return Arg(country.name, COUNTRY, arg.token, "metonymy")

    def first_in(self, tok: Token, *, skip: frozenset[str] = frozenset()) -> Arg | None:
        """The first entity in a phrase, reading left to right, not entering clauses in ``skip``."""
        stack = [tok]
        found: list[tuple[int, Arg]] = []
        while stack:
            t = stack.pop()
            arg = self.one(t)
            if arg is not None:
                mention = self.at(t)
                found.append((mention.start if mention else t.i, arg))
                continue
            stack.extend(c for c in t.children if c.dep_ not in skip)
        return min(found, key=lambda p: p[0])[1] if found else None


def _is_age_description(tok: Token) -> bool:
    """ "the 31-year-old": a person named by age, with a definite article."""
    return (
        tok.lower_ == "old"
        and tok.i >= 4
        and tok.doc[tok.i - 1].text == "-"
        and tok.doc[tok.i - 2].lower_ in ("year", "years")
        and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)
    )
