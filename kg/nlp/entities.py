"""Entity mentions: spaCy's NER mapped to contract classes, cleaned, plus rule-found names."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from kg.gazetteer import Gazetteer
from kg.nlp.found import Found
from kg.nlp.rules import load_rules, word_set
from kg.nlp.senses import (
    awards,
    clubs_and_firms,
    national_names,
    nations_not_people,
    no_title_words,
    one_sense_per_article,
)
from kg.nlp.spans import (
    agreement_spans,
    context_spans,
    described_org_spans,
    event_spans,
    named_outlet_spans,
    outlet_spans,
)
from kg.records import AGREEMENT, COUNTRY, EVENT, ORGANIZATION, PERSON, PLACE

_BAD_TEXT = re.compile(r"@|://|www\.|icon|\.(com|org|net)\b", re.IGNORECASE)
_STRIP_TOKENS = {"the", "a", "an", "'s", "’s", "'", "’"}
_TRAILING = {"and", "or", "&", "of", "for", "in", "at"}
_SCORE = re.compile(r"\d+-\d+")


@functools.cache
def _honorifics() -> frozenset[str]:
    return frozenset(w.rstrip(".") for w in word_set("entities", "person", "honorifics"))


def is_honorific(tok: Token) -> bool:
    """ "Mr", "Dr.", "Sir": a word of address before a person's name."""
    return tok.lower_.rstrip(".") in _honorifics()


def _trim(span: Span) -> Span | None:
    """Cut a span at a line break, drop leading articles, possessives and punctuation."""
    doc = span.doc
    start, end = span.start, span.end
    for i in range(start, end):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_ or doc[i].is_space:
            end = i + 1 if "\n" in doc[i].whitespace_ and not doc[i].is_space else i
            break
    honorifics = word_set("entities", "person", "honorifics")
    # "ex-Acme Holdings": the past marker belongs to the title that follows, not the name.
    if end - start > 2 and doc[start].lower_ == "ex" and doc[start + 1].text == "-":
        start += 2
    while start < end and (
        doc[start].lower_ in _STRIP_TOKENS
        or doc[start].is_punct
        or doc[start].lower_ in honorifics
        and span.label_ == "PERSON"
        # "Cinematographer John Mathieson": the job is no part of the name
        or span.label_ == "PERSON"
        and end - start > 2
        and doc[start].lower_ in word_set("entities", "person", "job_words")
    ):
        start += 1
    while end > start and (
        doc[end - 1].lower_ in _STRIP_TOKENS
        or doc[end - 1].lower_ in _TRAILING
        or doc[end - 1].is_punct
        and doc[end - 1].text not in {".", ")"}
    ):
        end -= 1
    if end > start and doc[end - 1].text == ")" and "(" not in doc[start:end].text:
        end -= 1
    # "Sindh province", "Gujarat state": the kind of place is no part of its name.
    while end - start > 1 and span.label_ in ("GPE", "LOC") and doc[end - 1].is_lower:
        end -= 1
    # "Arsenal 2-1", "Jie Zheng 6-2 7-5": results, not part of the name (one token or three).
    while True:
        if end - start > 1 and _SCORE.fullmatch(doc[end - 1].text):
            end -= 1
        elif end - start > 3 and _SCORE.fullmatch(doc[end - 3 : end].text.replace(" ", "")):
            end -= 3
        else:
            break
    return doc[start:end] if end > start else None


def _extend_formal_name(ent: Span) -> Span:
    """ "Organization for Security and Co-operation" + "in Europe": NER often stops
    a formal name ("X for Y") before its closing "in" + region."""
    doc = ent.doc
    end = ent.end
    if ent.label_ != "ORG" or end + 1 >= len(doc) or doc[end].lower_ != "in":
        return ent
    if not any(t.lower_ in {"for", "of"} for t in ent):
        return ent
    region = doc[end + 1]
    if (
        region.ent_type_ == "LOC"
        and region.ent_iob_ == "B"
        and (end + 2 >= len(doc) or doc[end + 2].ent_iob_ != "I")
    ):
        return Span(doc, ent.start, end + 2, label=ent.label)
    return ent


def plausible_name(span: Span) -> bool:
    """Whether a span can be a name: capitalised, not a URL, not an adjective."""
    text = span.text
    if len(text) < 2 or not any(c.isupper() for c in text) or _BAD_TEXT.search(text):
        return False
    if text.lower().startswith(("non-", "anti-", "pro-", "post-", "pre-")):
        return False
    if all(t.tag_ in {"JJ", "JJR", "JJS", "RB"} for t in span):
        return False
    if len(span) == 1 and span[0].tag_.startswith("VB"):
        return False  # "Registering names …": a capitalised verb, not a name
    return not span[0].is_lower


def classify(span: Span, label: str, gaz: Gazetteer) -> tuple[str, str] | None:
    """The contract class and name of an NER span, or None to drop it."""
    labels = load_rules("entities")["labels"]
    cls = labels.get(label)
    if cls is None:
        return None
    name = span.text
    last = span[-1].lower_
    if label == "NORP":
        if span[-1].tag_ != "NNPS" or not is_party_name(span, gaz):
            return None  # a nationality or a faith, or one man NER took for a people
        return ORGANIZATION, name
    if (
        cls == PERSON
        and span[-1].tag_ == "NNPS"
        and span[-1].is_title
        and span.start > 0
        and span.doc[span.start - 1].lower_ == "the"
    ):
        # "the Lib Dems": no one person's name is plural (but "Gavyn Davies" is a name)
        return ORGANIZATION, name
    if cls == PERSON and len(span) == 1 and name.isupper() and len(name) >= 3:
        return ORGANIZATION, name  # "CENTR", "UKIF": an acronym is no person's name
    org_heads = word_set("entities", "organization", "heads")
    if cls == PERSON and len(span) > 1 and last in org_heads:
        cls = ORGANIZATION
    if cls == ORGANIZATION and all(t.lower_ in org_heads or t.is_stop for t in span):
        return None  # "Party", "the Group": a common noun, not a name
    if any(t.lower_ in {"v", "vs", "v.", "vs."} for t in span[1:-1]):
        return None  # "Chelsea v Arsenal" is a fixture, not an organisation
    if cls in (ORGANIZATION, EVENT, AGREEMENT, PLACE) and len(span) > 1:
        if last in word_set("entities", "agreement", "heads") and span[-1].is_title:
            cls = AGREEMENT
        elif (
            last in word_set("entities", "event", "heads")
            and span[-1].is_title
            and not (label == "ORG" and last in word_set("entities", "event", "org_heads"))
        ):
            cls = EVENT
    if label == "GPE" or (label == "LOC" and len(span) <= 3):
        country = gaz.country(name, allow_code=label == "GPE")
        if country is not None:
            return COUNTRY, country.name
    return cls, name


def is_party_name(span: Span, gaz: Gazetteer) -> bool:
    """Whether a NORP name can be a political group: no nationality, faith or region."""
    if gaz.demonym(span.text) is not None or gaz.country(span.text) is not None:
        return False
    if any(gaz.demonym(part) for t in span for part in t.text.split("-") if part):
        return False  # "Austro-Australian", "Anglo-Irish": nationalities
    words = word_set("entities", "norp", "not_parties")
    return not any(t.lower_ in words for t in span)


def split_coordination(span: Span, gaz: Gazetteer) -> list[Span]:
    """ "Arsenal and Real Madrid" → two names; "Securities and Exchange Commission" stays one.

    NER often joins two names in a list. A span is split at "and" when
    each side starts with a capital, the whole is no country the gazetteer
    knows ("Trinidad and Tobago"), and it does not end in an organisation
    word that would make it one formal name.
    """
    cut = [t.i for t in span[1:-1] if t.lower_ in ("and", "&")]
    if len(cut) != 1 or gaz.country(span.text) is not None:
        return [span]
    if any(t.is_lower and t.lower_ not in ("and", "&") for t in span):
        return [span]  # "Organization for Security and Co-operation in Europe": one formal name
    i = cut[0]
    doc = span.doc
    left, right = doc[span.start : i], doc[i + 1 : span.end]
    heads = word_set("entities", "organization", "heads")
    if (
        not left
        or not right
        or not left[0].is_title
        or not right[0].is_title
        or span[-1].lower_ in heads
        or span[-1].lower_ in word_set("entities", "event", "heads")
        or span[-1].lower_ in word_set("entities", "agreement", "heads")
    ):
        return [span]
    return [left, right]


def _joined_ents(doc: Doc) -> list[Span]:
    """NER's entities, with a name cut in two put back together ("Mecca" + "Bingo")."""
    out: list[Span] = []
    for ent in doc.ents:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.end == ent.start
            and prev.label_ == ent.label_
            and ent.label_ in ("ORG", "GPE", "LOC", "FAC")
            and not prev[-1].whitespace_.count("\n")
            and all(t.tag_ == "NNP" for t in (prev[-1], ent[0]))
        ):
            out[-1] = Span(doc, prev.start, ent.end, label=ent.label)
        else:
            out.append(ent)
    return out


def find_entities(doc: Doc, gaz: Gazetteer) -> list[Found]:
    """Every entity mention of a doc, without overlaps (longer rule spans win)."""
    candidates: list[tuple[Span, str, str]] = []
    for ent in _joined_ents(doc):
        whole = _trim(_extend_formal_name(ent))
        if whole is None:
            continue
        for span in split_coordination(whole, gaz):
            if not plausible_name(span):
                continue
            got = classify(span, ent.label_, gaz)
            if got is not None:
                candidates.append((span, got[0], "ner:" + ent.label_))
    rule_spans: list[tuple[Span, str, str]] = [
        *((span, ORGANIZATION, "outlet") for span in outlet_spans(doc)),
        *context_spans(doc, gaz),
        *((span, ORGANIZATION, "described") for span in described_org_spans(doc)),
        *((span, ORGANIZATION, "named-outlet") for span in named_outlet_spans(doc)),
        *((span, EVENT, "event") for span in event_spans(doc)),
        *((span, AGREEMENT, "agreement") for span in agreement_spans(doc)),
    ]
    for span, cls, rule in rule_spans:
        trimmed = _trim(span)
        if trimmed is None or not plausible_name(trimmed):
            continue
        if cls == AGREEMENT and len(trimmed) < 2:
            continue  # "Treaty" alone names no agreement
        candidates.append((trimmed, cls, rule))
    found = _resolve_overlaps(candidates, gaz)
    found = national_names(clubs_and_firms(found, doc, gaz), doc, gaz)
    found = no_title_words(nations_not_people(found, doc, gaz), doc)
    return awards(one_sense_per_article(found, doc), doc)


_RULE_RANK = {
    "event": 3,
    "agreement": 3,
    "outlet": 2,
    "named-outlet": 1,
    "described": 1,
    "office-of": 1,
    "place-kind": 1,
}


def _resolve_overlaps(candidates: Iterable[tuple[Span, str, str]], gaz: Gazetteer) -> list[Found]:
    """Keep the best of overlapping spans: rule spans over NER, then longer spans."""
    ordered = sorted(candidates, key=lambda c: (-_RULE_RANK.get(c[2], 0), -len(c[0]), c[0].start))
    taken: set[int] = set()
    kept: list[Found] = []
    for span, cls, rule in ordered:
        idx = set(range(span.start, span.end))
        if idx & taken:
            continue
        # An outlet rule never overrides a person NER saw ("according to Smith").
        if rule == "outlet" and any(t.ent_type_ == "PERSON" for t in span):
            continue
        name = span.text
        if cls == COUNTRY:
            country = gaz.country(name, allow_code=True)
            name = country.name if country else name
        taken |= idx
        kept.append(Found(span.start, span.end, cls, name, rule))
    return sorted(kept, key=lambda f: f.start)
