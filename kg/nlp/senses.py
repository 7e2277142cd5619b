"""One sense per article: the class and name each name keeps in every mention of an article."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from kg.gazetteer import Gazetteer
from kg.nlp.found import Found
from kg.nlp.rules import word_set
from kg.nlp.spans import person_cue
from kg.records import AGREEMENT, COUNTRY, EVENT, ORGANIZATION, PERSON, PLACE


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
    Freight chief executive Y", "Liverpool striker Z": a one-word name only
    when it is a city, not a nation) is a club or a company, as is a name
    ending in a club word that is no known place ("Bolton Wanderers"). One
    sense per article: every mention of that name becomes the organisation.
    """
    roles = word_set("titles", "club_roles")
    kinds = word_set("relations", "org_location", "kinds")
    suffixes = {
        PLACE: word_set("entities", "organization", "club_suffixes"),
        PERSON: word_set("entities", "organization", "strong_club_suffixes"),
    }
    names: set[str] = set()
    for f in found:
        if f.cls not in suffixes:
            continue
        last = doc[f.end - 1]
        nxt = f.end + 1 if f.end < len(doc) and doc[f.end].text in ("'s", "’s") else f.end
        role = any(
            g.cls == PERSON
            and 0 < g.start - nxt <= 3
            and " ".join(t.lower_ for t in doc[nxt : g.start]).replace(" - ", "-") in roles
            for g in found
        )
        city = bool(gaz.countries_of_city(f.name))
        if f.end - f.start == 1:
            # One word: a city before a club's role is its club ("Liverpool striker X");
            # anything else ("England striker X") may be a national side, and stays.
            if role and city and f.cls == PLACE and gaz.country(f.name) is None:
                names.add(f.name)
            continue
        known = city or gaz.country(f.name) is not None
        # "the Mecca Bingo chain": a name no gazetteer knows, before a kind of business.
        kind = f.cls == PLACE and nxt < len(doc) and doc[nxt].is_lower and doc[nxt].lemma_ in kinds
        if not known and (role or kind or last.lower_ in suffixes[f.cls]):
            names.add(f.name)
    names |= _listed_after_kind(found, doc)
    if not names:
        return found
    return [
        Found(f.start, f.end, ORGANIZATION, f.name, f.rule + ":club")
        if f.cls in (PLACE, PERSON) and f.name in names
        else f
        for f in found
    ]


def no_title_words(found: list[Found], doc: Doc) -> list[Found]:
    """A title's own word that NER took for a name ("Home" of "Home Secretary",
    "Supreme" of "Supreme Leader") names nothing."""
    from kg.nlp.titles import opens_title  # titles imports this module

    return [
        f
        for f in found
        if not (
            f.end - f.start == 1
            and f.cls in (ORGANIZATION, PLACE)
            and f.rule.startswith("ner")
            and opens_title(doc[f.start])
            and _before_title(doc, f.end)
        )
    ]


def _before_title(doc: Doc, i: int) -> bool:
    """Whether a title word follows at ``i``, or "and" and another title's opening word
    ("Trade and Industry Secretary")."""
    from kg.nlp.titles import is_title_word, opens_title  # titles imports this module

    if i < len(doc) and is_title_word(doc[i]):
        return True
    return (
        i + 2 < len(doc)
        and doc[i].lower_ == "and"
        and opens_title(doc[i + 1])
        and is_title_word(doc[i + 2])
    )


def nations_not_people(found: list[Found], doc: Doc, gaz: Gazetteer) -> list[Found]:
    """A lone word NER took for a person that names a country ("Wales wing X"), a nation
    or a nationality ("Welsh legend Y") is the country, the place, or no name at all;
    unless it is the surname of someone the article names in full ("Dawn French") or a
    title or an honorific stands before it."""
    surnames = {doc[f.end - 1].text for f in found if f.cls == PERSON and f.end - f.start > 1}
    out = []
    for f in found:
        if (
            f.cls == PERSON
            and f.end - f.start == 1
            and f.rule.startswith("ner")
            and f.name not in surnames
            and not (f.start > 0 and person_cue(doc[f.start - 1]))
        ):
            country = gaz.country(f.name)
            if country is not None:
                f = Found(f.start, f.end, COUNTRY, country.name, f.rule + ":country")
            elif gaz.is_nation(f.name):
                f = Found(f.start, f.end, PLACE, f.name, f.rule + ":nation")
            elif gaz.demonym(f.name) is not None:
                continue
        out.append(f)
    return out


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
        if f.end - f.start == 1 and f.start > 0 and person_cue(doc[f.start - 1])
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


def _listed_after_kind(found: list[Found], doc: Doc) -> set[str]:
    """Names listed after a plural kind of organisation ("clubs like Everton and Bolton",
    "firms such as Acme, Zenith or Apex") that NER took for people or places."""
    text = doc.text.lower()
    if " like " not in text and " such as " not in text and " including " not in text:
        return set()  # no list to read: spare a pass over the tokens
    kinds = word_set("entities", "organization", "listed_kinds")
    starts = {f.start: f for f in found}
    names: set[str] = set()
    for tok in doc:
        if tok.tag_ != "NNS" or tok.lemma_.lower() not in kinds:
            continue
        j = tok.i + 1
        if j < len(doc) and doc[j].lower_ in ("like", "including"):
            j += 1
        elif j + 1 < len(doc) and doc[j].lower_ == "such" and doc[j + 1].lower_ == "as":
            j += 2
        else:
            continue
        while j in starts:
            f = starts[j]
            if f.cls in (PERSON, PLACE):
                names.add(f.name)
            j = f.end
            if j < len(doc) and doc[j].text == ",":
                j += 1
            if j < len(doc) and doc[j].lower_ in ("and", "or"):
                j += 1
    return names


def awards(found: list[Found], doc: Doc) -> list[Found]:
    """Awards whose ceremony is an event: a capitalised word the article uses as an
    award ("three Oscar nominations", "Bafta-nominated", "nominated for an Emmy") names
    the ceremony in every mention, singular or plural ("won the Oscar", "at the Oscars"),
    under the plural name."""
    cues = word_set("entities", "event", "award_cues")
    text = doc.text.lower()
    if not any(cue in text for cue in cues):
        return found  # no award named: spare two passes over the tokens
    words: set[str] = set()
    for tok in doc:
        if not (tok.is_title and tok.is_alpha) or tok.is_sent_start or len(tok) < 3:
            continue
        if tok.tag_ != "NNP" or tok.ent_type_ == "NORP" or doc[tok.i - 1].is_title:
            continue  # a one-word name: not "British nominations", not "Academy Award"
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        after_hyphen = nxt is not None and nxt.text == "-" and tok.i + 2 < len(doc)
        cue = doc[tok.i + 2] if after_hyphen else nxt
        before = [t.lower_ for t in doc[max(tok.i - 3, 0) : tok.i]]
        if (
            cue is not None
            and cue.lemma_.lower() in cues
            and tok.dep_ in ("compound", "amod", "npadvmod", "nmod")
            or before[-3:] in (["nominated", "for", "an"], ["nominated", "for", "a"])
        ):
            words.add(tok.text.removesuffix("s"))
    if not words:
        return found
    # The plural is the ceremony ("at the Baftas"); the singular only where it is the
    # award ("Bafta nominations", "won the Oscar"): "Bafta voters" are the academy's.
    spans = {
        t.i: Found(t.i, t.i + 1, EVENT, t.text.removesuffix("s") + "s", "award")
        for t in doc
        if t.is_title
        and t.text.removesuffix("s") in words
        and (t.text.endswith("s") or _as_award(t, cues))
    }
    out = [f for f in found if not any(i in spans for i in range(f.start, f.end))]
    return sorted([*out, *spans.values()], key=lambda f: f.start)


def _as_award(tok: Token, cues: frozenset[str]) -> bool:
    """A singular award name used as the award: before a cue ("Oscar nominations",
    "Bafta-nominated"), or what is won or lost ("won the Oscar")."""
    doc = tok.doc
    nxt = doc[tok.i + 2] if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" else tok.head
    return (
        nxt.lemma_.lower() in cues
        or tok.dep_ == "dobj"
        and tok.head.lemma_.lower() in ("win", "lose", "scoop", "collect", "receive")
        or tok.i + 1 < len(doc)
        and doc[tok.i + 1].lemma_.lower() in cues
    )
