"""Entity mentions: spaCy's NER mapped to contract classes, cleaned, plus rule-found names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.gazetteer import Gazetteer
from kg.nlp.rules import load_rules, word_set
from kg.records import AGREEMENT, COUNTRY, EVENT, ORGANIZATION, PERSON, PLACE

_BAD_TEXT = re.compile(r"@|://|www\.|icon|\.(com|org|net)\b", re.IGNORECASE)
_STRIP_TOKENS = {"the", "a", "an", "'s", "’s", "'", "’"}
_TRAILING = {"and", "or", "&", "of", "for", "in", "at"}
_SCORE = re.compile(r"\d+-\d+")


@dataclass(frozen=True, slots=True)
class Found:
    """An entity mention by token offsets, with its class and the name it gives."""

    start: int
    end: int
    cls: str
    name: str
    rule: str = "ner"


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
    # "Arsenal 2-1": a result, not part of the name (one token or three).
    if end - start > 1 and _SCORE.fullmatch(doc[end - 1].text):
        end -= 1
    elif end - start > 3 and _SCORE.fullmatch(doc[end - 3 : end].text.replace(" ", "")):
        end -= 3
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
    if cls == PERSON and span[-1].tag_ == "NNPS" and span[-1].is_title:
        return ORGANIZATION, name  # "the Lib Dems": no one person's name is plural
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
    words = word_set("entities", "norp", "not_parties")
    return not any(t.lower_ in words for t in span)


def plural_group(name: str) -> str:
    """A party's name as its members are called together: "Tory" → "Tories"."""
    if name.endswith("s"):
        return name
    if name.endswith("y") and len(name) > 1 and name[-2] not in "aeiou":
        return name[:-1] + "ies"
    return name + "s"


def _outlet_spans(doc: Doc) -> Iterator[Span]:
    """Untagged proper names that report news ("Kyodo reported", "according to Kyodo")."""
    verbs = word_set("entities", "outlets", "verbs")
    nouns = word_set("entities", "outlets", "nouns")
    for tok in doc:
        reports = tok.dep_ == "nsubj" and tok.head.lemma_ in verbs
        according = (
            tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according"
        )
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


def _named_outlet_spans(doc: Doc) -> Iterator[Span]:
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


def _described_org_spans(doc: Doc) -> Iterator[Span]:
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


def _context_spans(doc: Doc, gaz: Gazetteer) -> Iterator[tuple[Span, str, str]]:
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
            whole = after.tag_ == "NN" and after.dep_ != "compound"
            yield (doc[run.start : run.end + 1] if whole else run), PLACE, "place-kind"


def _person_cue(tok: Token) -> bool:
    """A word before a name that only a person takes: an honorific or a job title."""
    from kg.nlp.titles import is_title_word  # titles imports this module

    return _honorific(tok) or tok.is_lower and is_title_word(tok)


def _honorific(tok: Token) -> bool:
    return (
        tok.is_title
        and tok.lower_.rstrip(".") in word_set("entities", "person", "honorifics")
        and tok.lower_ not in ("st", "st.")
    )


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


def _proper_run(doc: Doc, tok: Token) -> Iterator[Span]:
    """The run of proper-noun tokens containing ``tok`` (same line)."""
    start = end = tok.i
    while start > 0 and doc[start - 1].tag_ == "NNP" and "\n" not in doc[start - 1].whitespace_:
        start -= 1
    while end + 1 < len(doc) and doc[end + 1].tag_ == "NNP" and "\n" not in doc[end].whitespace_:
        end += 1
    yield doc[start : end + 1]


def _event_spans(doc: Doc) -> Iterator[Span]:
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


def _agreement_spans(doc: Doc) -> Iterator[Span]:
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
    for span in _outlet_spans(doc):
        trimmed = _trim(span)
        if trimmed is not None and plausible_name(trimmed):
            candidates.append((trimmed, ORGANIZATION, "outlet"))
    for span, cls, rule in _context_spans(doc, gaz):
        trimmed = _trim(span)
        if trimmed is not None and plausible_name(trimmed):
            candidates.append((trimmed, cls, rule))
    for span in _described_org_spans(doc):
        trimmed = _trim(span)
        if trimmed is not None and plausible_name(trimmed):
            candidates.append((trimmed, ORGANIZATION, "described"))
    for span in _named_outlet_spans(doc):
        trimmed = _trim(span)
        if trimmed is not None and plausible_name(trimmed):
            candidates.append((trimmed, ORGANIZATION, "named-outlet"))
    for span in _event_spans(doc):
        trimmed = _trim(span)
        if trimmed is not None and plausible_name(trimmed):
            candidates.append((trimmed, EVENT, "event"))
    for span in _agreement_spans(doc):
        trimmed = _trim(span)
        if trimmed is not None and len(trimmed) > 1 and plausible_name(trimmed):
            candidates.append((trimmed, AGREEMENT, "agreement"))
    found = _resolve_overlaps(candidates, gaz)
    found = national_names(clubs_and_firms(found, doc, gaz), doc, gaz)
    return one_sense_per_article(found, doc)


def country_prefix(span: Span, gaz: Gazetteer) -> int:
    """How many leading tokens of an organisation's name name a country ("US Securities
    and Exchange Commission" → 1); 0 when it does not open with one."""
    for size in (2, 1):
        if len(span) >= size + 2 and span[size].is_title:
            head = span[:size]
            if all(t.is_title or t.is_upper for t in head) and (
                gaz.country(head.text, allow_code=True) is not None
            ):
                return size
    return 0


def national_names(found: list[Found], doc: Doc, gaz: Gazetteer) -> list[Found]:
    """ "the US Securities and Exchange Commission" beside "the SEC": one body, named
    without its country when the article also names it so, in full or by initials."""
    others = {f.name for f in found if f.cls == ORGANIZATION}
    out = []
    for f in found:
        span = doc[f.start : f.end]
        size = country_prefix(span, gaz) if f.cls == ORGANIZATION else 0
        if size:
            rest = span[size:].text
            initials = "".join(w[0] for w in rest.split() if w[0].isupper())
            if rest in others or initials in others:
                f = Found(f.start, f.end, f.cls, rest, f.rule)
        out.append(f)
    return out


def clubs_and_firms(found: list[Found], doc: Doc, gaz: Gazetteer) -> list[Found]:
    """Places that the text shows to be organisations, in every mention of the article.

    A place (or a "person": NER's guess) right before a title only a team or
    a firm gives, and a person's name ("Manchester City striker X", "Acme
    Freight chief executive Y") is a club or a company, as is a name ending
    in a club word that is no known place ("Bolton Wanderers"). One sense
    per article: every mention of that name becomes the organisation.
    """
    roles = word_set("titles", "club_roles")
    kinds = word_set("relations", "org_location", "kinds")
    suffixes = {
        PLACE: word_set("entities", "organization", "club_suffixes"),
        PERSON: word_set("entities", "organization", "strong_club_suffixes"),
    }
    names: set[str] = set()
    for f in found:
        if f.cls not in suffixes or f.end - f.start < 2:
            continue  # one word ("England striker") may be a national side or a town
        last = doc[f.end - 1]
        nxt = f.end + 1 if f.end < len(doc) and doc[f.end].text in ("'s", "’s") else f.end
        role = any(
            g.cls == PERSON
            and 0 < g.start - nxt <= 3
            and " ".join(t.lower_ for t in doc[nxt : g.start]).replace(" - ", "-") in roles
            for g in found
        )
        known = bool(gaz.countries_of_city(f.name)) or gaz.country(f.name) is not None
        # "the Mecca Bingo chain": a name no gazetteer knows, before a kind of business.
        kind = nxt < len(doc) and doc[nxt].is_lower and doc[nxt].lemma_ in kinds
        if not known and (role or kind or last.lower_ in suffixes[f.cls]):
            names.add(f.name)
    if not names:
        return found
    return [
        Found(f.start, f.end, ORGANIZATION, f.name, f.rule + ":club")
        if f.cls in (PLACE, PERSON) and f.name in names
        else f
        for f in found
    ]


def one_sense_per_article(found: list[Found], doc: Doc) -> list[Found]:
    """A lone surname NER labelled otherwise is the person named in full elsewhere.

    spaCy's small model often tags the second mention of "Ana Ruiz" ("Ruiz
    said") as an organisation or a place; within one article it is her.
    """
    surnames = {doc[f.end - 1].text for f in found if f.cls == PERSON and f.end - f.start > 1}
    # A name NER tags as an organisation again and again is one ("Disney" beside Roy Disney).
    org_counts: dict[str, int] = {}
    for f in found:
        if f.cls == ORGANIZATION and f.end - f.start == 1:
            org_counts[f.name] = org_counts.get(f.name, 0) + 1
    # … unless a title or an honorific stands before it somewhere ("music director Viotti").
    titled = {
        doc[f.start].text
        for f in found
        if f.end - f.start == 1 and f.start > 0 and _person_cue(doc[f.start - 1])
    }
    surnames -= {name for name, n in org_counts.items() if n >= 3} - titled
    out = []
    for f in found:
        if (
            f.cls in (ORGANIZATION, PLACE)
            and f.end - f.start == 1
            and f.rule.startswith("ner")
            and doc[f.start].text in surnames
        ):
            f = Found(f.start, f.end, PERSON, f.name, f.rule + ":surname")
        out.append(f)
    return _vote(out, doc, surnames)


_VOTING = (PERSON, ORGANIZATION, PLACE, EVENT, AGREEMENT)


def _vote(found: list[Found], doc: Doc, surnames: set[str]) -> list[Found]:
    """One class for every mention of a name in an article, by weighted vote.

    spaCy's small model gives one name different labels in one article
    ("Auschwitz" a place, then a person, then an organisation). Each mention
    votes for its class: a rule's finding (a club by its title, an event)
    counts twice, NER and a news-source guess once; a lone word NER took for
    a person 0.4, twice if the article names that person in full, once
    after an honorific ("Mr Kennedy"). A tie goes to the first mention. Countries are left as
    the gazetteer says.
    """
    groups: dict[str, list[int]] = {}
    for n, f in enumerate(found):
        if f.cls in _VOTING:
            groups.setdefault(f.name.casefold(), []).append(n)
    honorifics = word_set("entities", "person", "honorifics")
    out = list(found)
    for members in groups.values():
        if len({found[n].cls for n in members}) < 2:
            continue
        votes: dict[str, float] = {}
        for n in members:
            f = found[n]
            weight = 1.0 if f.rule.startswith(("ner", "outlet")) and ":" not in f.rule[4:] else 2.0
            lone_person = f.cls == PERSON and f.end - f.start == 1
            before = doc[f.start - 1].lower_.rstrip(".") if f.start > 0 else ""
            if lone_person and doc[f.start].text in surnames:
                weight = 2.0  # the surname of a person the article names in full
            elif lone_person and before not in honorifics:
                weight = 0.4
            votes[f.cls] = votes.get(f.cls, 0.0) + weight
        first = found[members[0]].cls
        best = max(votes, key=lambda c: (votes[c], c == first))
        for n in members:
            f = found[n]
            if f.cls != best:
                out[n] = Found(f.start, f.end, best, f.name, f.rule + ":vote")
    return out


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
