"""Names found by rules beside NER: outlets, events, agreements, names typed by neighbours."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span, Token

from kg.gazetteer import Gazetteer
from kg.nlp.rules import word_set
from kg.records import ORGANIZATION, PERSON, PLACE


def outlet_spans(doc: Doc) -> Iterator[Span]:
    """Untagged proper names that report news ("Kyodo reported", "according to Kyodo")."""
    verbs = word_set("entities", "outlets", "verbs")
    nouns = word_set("entities", "outlets", "nouns")
    for tok in doc:
        reports = (
            tok.dep_ == "nsubj"
            and tok.head.lemma_ in verbs
            # "Toyota reported profits": a firm's own news, not an outlet reporting
            and not any(c.dep_ == "dobj" for c in tok.head.children)
        )
        according = (
            tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according"
        )
        # "X told BBC Radio 4's Today programme": a programme or paper someone spoke to.
        told = (
            tok.dep_ in ("dobj", "dative")
            and tok.head.lemma_ in word_set("entities", "outlets", "told_verbs")
            and tok.lower_ in word_set("entities", "outlets", "told_nouns")
        )
        if told:
            owner = _possessive_name(doc, tok)
            if owner is not None:
                yield owner
            continue
        if not (reports or according):
            continue
        head = tok
        if head.lower_ in nouns:
            # "the Nikkei newspaper": the name is the compound before the noun.
            names = [t for t in head.lefts if t.dep_ == "compound" and t.tag_ == "NNP"]
            if names:
                yield from _proper_run(doc, names[-1])
            continue
        if head.tag_ == "NNP":
            yield from _proper_run(doc, head)


def _possessive_name(doc: Doc, noun: Token) -> Span | None:
    """The name before "'s" that owns ``noun`` across its compounds ("BBC Radio 4's Today
    programme" → BBC Radio 4), as NER cut it, or the proper nouns there."""
    j = noun.i - 1
    while j > 0 and doc[j].dep_ == "compound" and doc[j].head.i == noun.i:
        j -= 1
    if j < 1 or doc[j].text not in ("'s", "’s") or noun.i - j > 4:
        return None
    owner = doc[j - 1]
    for ent in doc.ents:
        if ent.start <= owner.i < ent.end:
            return doc[ent.start : owner.i + 1]
    return next(_proper_run(doc, owner), None) if owner.tag_ == "NNP" else None


def named_outlet_spans(doc: Doc) -> Iterator[Span]:
    """Proper names before an outlet noun: "Empire magazine", "the Sunday Post newspaper"."""
    nouns = word_set("entities", "outlets", "nouns")
    for tok in doc:
        if tok.lower_ not in nouns or not tok.is_lower:
            continue
        names = [
            t
            for t in tok.lefts
            if t.dep_ == "compound"
            and t.is_title
            # "Empire magazine's": a capitalised common word is a name before "'s" too
            and (t.tag_ == "NNP" or not t.is_sent_start or _possessed(tok))
        ]
        if names and names[-1].i == tok.i - 1 and names[-1].ent_type_ != "PERSON":
            yield from _proper_run(doc, names[-1])


def _possessed(tok: Token) -> bool:
    return tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text in ("'s", "’s")


def described_org_spans(doc: Doc) -> Iterator[Span]:
    """Untagged proper names that the text introduces as companies: "energy giant Gazprom",
    "Gazprom, the Russian gas giant"."""
    kinds = word_set("relations", "org_location", "kinds")
    people = word_set("entities", "organization", "person_kinds")
    for tok in doc:
        if tok.tag_ != "NNP" or tok.ent_type_ in ("GPE", "LOC", "NORP"):
            continue
        if tok.i + 1 < len(doc) and doc[tok.i + 1].tag_ == "NNP" and doc[tok.i + 1].head == tok:
            continue  # not the head of its name
        before = doc[tok.i - 1] if tok.i > 0 else None
        kind_before = (
            before is not None
            and before.is_lower
            and before.lemma_.lower() in kinds
            and before.dep_ in ("compound", "amod", "nmod")
            and before.head == tok
            and tok.ent_type_ != "PERSON"
        )
        # "Air Shamrock, an airline owned by …": the apposition outweighs NER's "person".
        kind_appos = any(
            c.dep_ == "appos"
            and c.is_lower
            and c.lemma_.lower() in kinds
            and c.lemma_.lower() not in people
            # right after the name: "X, an airline …", not a phrase further on
            and tok.i + 2 < len(doc)
            and doc[tok.i + 1].text == ","
            and c.left_edge.i == tok.i + 2
            and c.left_edge.dep_ == "det"
            for c in tok.children
        )
        if kind_before or kind_appos:
            yield from _proper_run(doc, tok)


def context_spans(doc: Doc, gaz: Gazetteer) -> Iterator[tuple[Span, str, str]]:
    """Untagged names whose neighbours say what they are.

    "Lord Rennard", "Ms Bowers": an honorific before a capitalised name is a
    person; "cinematographer John Mathieson": a title before two or more
    capitalised words is a person; "chief executive of Panlogic": an office
    of a capitalised name is an organisation; "its Westfalen stadium",
    "Gatwick airports": a name before a kind of place is a place.
    """
    place_kinds = word_set("entities", "place", "kinds")
    from kg.nlp.titles import is_title_word  # titles imports this module

    for tok in doc:
        if not tok.is_title or tok.ent_type_ in ("ORG", "NORP", "DATE"):
            continue
        if tok.tag_ != "NNP" and (tok.tag_ != "NN" or tok.is_sent_start):
            continue  # a proper noun, or a capitalised word the tagger took for a noun
        prev = doc[tok.i - 1] if tok.i > 0 else None
        if prev is None or prev.is_title and prev.tag_ == "NNP" and not _honorific(prev):
            continue  # not the first word of the name
        if _honorific(tok):
            continue  # "chief executive Mr Ebbers": the name starts after "Mr"
        run = _run(doc, tok)
        after = doc[run.end] if run.end < len(doc) else None
        tagged = bool(tok.ent_type_)
        if _honorific(prev) and not tagged:
            yield run, PERSON, "honorific"
        elif is_title_word(prev) and prev.is_lower and len(run) >= 2 and not tagged:
            yield run, PERSON, "titled"
        elif (
            prev.lower_ in ("of", "at")
            and prev.i > 0
            and is_title_word(doc[prev.i - 1])
            and tok.ent_type_ != "PERSON"
            and not gaz.countries_of_city(run.text)
            and gaz.country(run.text) is None
        ):
            yield run, ORGANIZATION, "office-of"
        elif after is not None and after.is_lower and after.lemma_ in place_kinds:
            # "the Kornfeld stadium" names a site; "Sindh province" is Sindh
            whole = (
                after.tag_ == "NN"
                and after.dep_ != "compound"
                and after.lemma_ not in word_set("relations", "contained", "kinds")
            )
            yield (doc[run.start : run.end + 1] if whole else run), PLACE, "place-kind"


def _run(doc: Doc, tok: Token) -> Span:
    """The capitalised proper nouns from ``tok`` on, on one line (at most four)."""
    end = tok.i + 1
    while (
        end < len(doc)
        and end - tok.i < 4
        and doc[end].tag_ == "NNP"
        and doc[end].is_title
        and doc[end].ent_type_ in ("", tok.ent_type_)
        and "\n" not in doc[end - 1].whitespace_
    ):
        end += 1
    return doc[tok.i : end]


def _proper_run(doc: Doc, tok: Token) -> Iterator[Span]:
    """The run of proper-noun tokens containing ``tok`` (same line)."""
    start = end = tok.i
    while start > 0 and doc[start - 1].tag_ == "NNP" and "\n" not in doc[start - 1].whitespace_:
        start -= 1
    while end + 1 < len(doc) and doc[end + 1].tag_ == "NNP" and "\n" not in doc[end].whitespace_:
        end += 1
    yield doc[start : end + 1]


def event_spans(doc: Doc) -> Iterator[Span]:
    """Proper names followed by an event noun: "the NATO summit", "a G20 Summit"."""
    heads = word_set("entities", "event", "lower_heads")
    bodies = word_set("entities", "event", "org_heads")
    for tok in doc:
        if tok.lower_ not in heads or tok.i == 0:
            continue
        if tok.is_title and tok.lower_ in bodies:
            continue  # "the Welsh Assembly": a standing body, not a meeting
        prev = doc[tok.i - 1]
        if prev.tag_ != "NNP" and not prev.ent_type_:
            continue
        start = tok.i - 1
        while start > 0 and (doc[start - 1].tag_ == "NNP" or doc[start - 1].ent_iob_ == "I"):
            start -= 1
        yield doc[start : tok.i + 1]


def agreement_spans(doc: Doc) -> Iterator[Span]:
    """Title-case names ending in an agreement word, whether NER saw them or not."""
    heads = word_set("entities", "agreement", "heads")
    for tok in doc:
        if tok.lower_ not in heads or not tok.is_title or tok.i == 0:
            continue
        start = tok.i
        while (
            start > 0
            and (doc[start - 1].is_title or doc[start - 1].like_num)
            and "\n" not in doc[start - 1].whitespace_
        ):
            start -= 1
        if start < tok.i:
            yield doc[start : tok.i + 1]


def person_cue(tok: Token) -> bool:
    """A word before a name that only a person takes: an honorific or a job title."""
    from kg.nlp.titles import is_title_word  # titles imports this module

    return _honorific(tok) or tok.is_lower and is_title_word(tok)


def _honorific(tok: Token) -> bool:
    return (
        tok.is_title
        and tok.lower_.rstrip(".") in word_set("entities", "person", "honorifics")
        and tok.lower_ not in ("st", "st.")
    )
