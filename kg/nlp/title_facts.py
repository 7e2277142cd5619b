"""Titles around person names: "Rank chief executive Mike Smith", "X, head of policy at Y".

Shapes read, before the name: "[ORG|Demonym] ['s] [descriptor] TITLE NAME"
("Empire magazine's reviews editor Dan Jolin", "SEC deputy enforcement
director X", "French President X"); after it: "NAME, [a|the] [ORG ['s]]
TITLE [of|at|for [description] [the] ORG]" ("X, director of UKIF", "X, a
Microsoft security manager", "X, head of policy at Aids charity the Y
Trust"). A past marker ("former", "ex-", "the late", "outgoing") keeps the
title but makes the facts past (kg:Past), never current; so does a death or
a resignation the sentence names.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from kg.gazetteer import Gazetteer
from kg.nlp.entities import Found, is_honorific
from kg.nlp.rules import word_set
from kg.nlp.titles import (
    FOUNDER,
    LEADER,
    MAX_TITLE_WORDS,
    MEMBER,
    POSSESSIVES,
    WORKS,
    TitleFact,
    is_descriptor,
    is_past_marker,
    is_title_modifier,
    is_title_token,
    is_title_word,
    leads_place,
    match_title,
    norm_title,
    org_target,
    past_marked,
    title_text,
)
from kg.records import COUNTRY, ORGANIZATION, PERSON, PLACE


def find_titles(doc: Doc, entities: list[Found], gaz: Gazetteer) -> list[TitleFact]:
    """Titles before ("NATO Secretary General X") and after ("X, NATO's chief") person names."""
    by_token = {i: f for f in entities for i in range(f.start, f.end)}
    facts: list[TitleFact] = []
    for person in entities:
        if person.cls != PERSON:
            continue
        # "Rabbi X, founder of Y": a title on each side of the name says two things.
        before = _title_before(doc, person, by_token, gaz)
        after = _title_after(doc, person, by_token, gaz)
        dead = _died(doc, person)
        facts.extend(replace(f, past=True) if dead else f for f in (before, after) if f is not None)
    return _shared_orgs(doc, facts)


def _died(doc: Doc, person: Found) -> bool:
    """Whether the sentence says the person's posts are over: they died, resigned or quit
    ("X, director of Y, has died", "the resignation of director-general X", "the deaths
    of player X and lock Y")."""
    head = doc[person.end - 1]
    while head.dep_ in ("compound", "appos", "conj") and head.head.i != head.i:
        head = head.head
    verb = head.head
    lemma = verb.lemma_.lower()
    return (
        head.dep_ == "nsubj"
        and (
            lemma == "die"  # "quit" or "resigned as" ends one post only: modality reads it
            or lemma == "pass"
            and any(c.dep_ == "prt" and c.lower_ == "away" for c in verb.children)
        )
        or head.dep_ == "pobj"
        and verb.lower_ == "of"
        and verb.head.lemma_.lower() in word_set("cues", "past", "ending_nouns")
    )


def _shared_orgs(doc: Doc, facts: list[TitleFact]) -> list[TitleFact]:
    """ "JP Morgan chief executive X and chief operating officer Y": the organisation
    before the first title is the second's too."""
    by_end = {f.person.end: f for f in facts if not f.appositive}
    out = []
    for fact in facts:
        i = fact.title_start
        if (
            fact.org is None
            and not fact.appositive
            and i >= 2
            and doc[i - 1].lower_ == "and"
            and (first := by_end.get(i - 1)) is not None
            and first.org is not None
            and first.org.cls == ORGANIZATION
        ):
            fact = TitleFact(
                fact.person, fact.title, fact.kind, first.org, False, fact.title_start, fact.past
            )
        out.append(fact)
    return out


def _title_before(
    doc: Doc, person: Found, by_token: dict[int, Found], gaz: Gazetteer
) -> TitleFact | None:
    sent_start = doc[person.start].sent.start
    # "CEA boss Mr Shapiro": a word of address may stand between the title and the name.
    name_start = person.start
    if name_start - 1 > sent_start and is_honorific(doc[name_start - 1]):
        name_start -= 1
    i = name_start
    while (
        i > sent_start
        and name_start - i < MAX_TITLE_WORDS
        and doc[i - 1].i not in by_token
        and "\n" not in doc[i - 1].whitespace_
        and (
            is_title_modifier(doc[i - 1])
            or i == name_start
            and is_title_token(doc[i - 1])
            # "Trade and Industry Secretary", "Culture, Media and Sport Secretary"
            or doc[i - 1].lower_ in ("and", ",")
            and i - 2 >= sent_start
            and _office_field(doc[i - 2])
            and _office_field(doc[i])
            or doc[i].lower_ in ("and", ",")
            and _office_field(doc[i - 1])
        )
    ):
        i -= 1
    if i == name_start:
        return None
    words = [t.text for t in doc[i:name_start]]
    got = match_title(words)
    if got is None:
        return None
    kind, title, offset = got
    past = past_marked(words[:offset]) or _past_before(doc, i, sent_start, by_token)
    if (
        offset < len(words) - 1
        and words[offset].lower() in word_set("titles", "descriptors")
        and i > sent_start
        and (doc[i - 1].tag_ == "NNP" or doc[i - 1].is_upper)
    ):
        # "Q magazine reviews editor X": the outlet's kind is no part of the title
        offset += 1
        title = title_text(words[offset:])
    start = i + offset
    org = None
    j = i - 1
    if j >= sent_start and doc[j].text in POSSESSIVES:
        j -= 1
        while j > sent_start and is_descriptor(doc[j]) and j - 1 in by_token:
            j -= 1
    if j >= sent_start:
        org = org_target(by_token.get(j), doc, gaz, j)
        # "its UK chief executive": the office belongs to another organisation;
        # "Trade and Industry Secretary": a word of the title, not an organisation.
        if (
            org is not None
            and org.start > sent_start
            and (
                doc[org.start - 1].tag_ == "PRP$"
                or doc[org.start - 1].lower_ in ("and", "&")
                and doc[start].is_title
                and org.end - org.start == 1
                and org.start >= 2
                and doc[org.start - 2].is_title
                and getattr(by_token.get(org.start - 2), "cls", None) != PERSON
            )
        ):
            org = None
    if (
        org is not None
        and org.cls in (COUNTRY, PLACE)
        and kind != WORKS
        and not leads_place(title)
        # "England winger X": a national side's player comes from that nation
        and not (kind == MEMBER and gaz.is_nation(org.name))
    ):
        org = None
    return TitleFact(person, title, kind, org, appositive=False, title_start=start, past=past)


def _office_field(tok: Token) -> bool:
    """A field of an office, in a list of fields ("Trade and Industry Secretary"); not a
    title of its own ("actress and singer")."""
    return tok.lower_ in word_set("titles", "lesser") and not is_title_word(tok)


def _past_before(doc: Doc, i: int, sent_start: int, by_token: dict[int, Found]) -> bool:
    """A past marker just before the title, across a name and a hyphen: "the late",
    "ex-Downing Street media chief", "former Acme chairman", and before a first title
    that this one is coordinated with ("former Ireland coach and Lions flanker X")."""
    j = i - 1
    joined = owned = False
    for _ in range(8):
        if j < sent_start:
            return False
        tok = doc[j]
        if is_past_marker(tok):
            return True
        found = by_token.get(j)
        if joined and found is not None and found.cls == PERSON:
            return False  # "former coach X and flanker Y": X's past is not Y's
        if owned and is_title_token(tok):
            return False  # "the ex-Hole singer's lawyer X": the singer's past, not X's
        joined = joined or tok.lower_ == "and"
        owned = owned or tok.text in POSSESSIVES
        if not (
            tok.text in ("-", *POSSESSIVES)
            or found is not None
            or tok.tag_ == "NNP"
            or tok.is_title
            or tok.lower_ == "and"
            or is_title_token(tok)
        ):
            return False
        j -= 1
    return False


def _title_after(
    doc: Doc, person: Found, by_token: dict[int, Found], gaz: Gazetteer
) -> TitleFact | None:
    """ "X, the T of ORG," / "X, ORG's T," / "X, a ORG T," / "X, T at ORG"."""
    sent = doc[person.start].sent
    i = person.end
    if i >= sent.end or doc[i].text != ",":
        return None
    i += 1
    past = False
    if i < sent.end and doc[i].lower_ in {"the", "a", "an"}:
        i += 1
    while i < sent.end and (is_past_marker(doc[i]) or doc[i].text == "-"):
        past, i = True, i + 1
    org: Found | None = None
    if i < sent.end and i in by_token and by_token[i].cls != PERSON:
        ent = by_token[i]
        k = ent.end
        if k < sent.end and doc[k].text in POSSESSIVES:
            org, i = ent, k + 1
        elif k < sent.end and (is_title_token(doc[k]) or is_title_modifier(doc[k])):
            org, i = ent, k
    elif i < sent.end:
        # "X, Liberal Democrat home affairs spokesman": NER marks only the last word.
        k = i
        while k + 1 < sent.end and k - i < 2 and doc[k].tag_ == "NNP" and not doc[k].ent_type_:
            k += 1
        org = org_target(None, doc, gaz, k) if doc[k].ent_type_ == "NORP" else None
        if org is not None:
            i = org.end
    start = i
    regional = False
    while (
        i < sent.end
        and i - start < MAX_TITLE_WORDS
        and (i not in by_token or _regional(doc[i], gaz) and by_token[i].cls == COUNTRY)
        and (
            is_title_modifier(doc[i])
            or is_title_token(doc[i])
            or i + 1 < sent.end
            and _regional(doc[i], gaz)
            and (is_title_token(doc[i + 1]) or is_title_modifier(doc[i + 1]))
        )
    ):
        regional = regional or _regional(doc[i], gaz)
        i += 1
    # The title is the longest known title ending the run, with its modifiers.
    end = i
    while end > start and match_title([t.text for t in doc[start:end]]) is None:
        end -= 1
    if end == start:
        return None
    words = [t.text for t in doc[start:end]]
    got = match_title(words)
    if got is None:
        return None
    kind, title, offset = got
    if regional and kind in (LEADER, FOUNDER):
        kind = WORKS  # "Sony's European president" leads a part of Sony
    past = past or past_marked(words[:offset])
    i = end
    # "head of policy", "director of foreign exchange": a head with its field after "of"
    # (lower-case words ending in a noun, no name).
    field = _field_after(doc, i, sent.end, by_token) if doc[i].lower_ == "of" else 0
    if field and norm_title(title).split()[-1] in word_set("titles", "field_heads"):
        title = f"{title} of {doc[i + 1 : i + 1 + field].text}"
        kind = WORKS if kind == LEADER else kind  # heads a field, not the organisation
        i += 1 + field
    if org is not None and i < sent.end and doc[i].lower_ in ("for", "of", "on"):
        # "Sprint's vice president for technology development": the office's field
        field = _field_after(doc, i, sent.end, by_token)
        if field:
            title = f"{title} {doc[i].lower_} {doc[i + 1 : i + 1 + field].text}"
            i += 1 + field
    if i + 1 < sent.end and doc[i].lower_ == "and" and org is None:
        # "X, a barrister and chairman of the League": the second title names the body
        k = i + 1
        while k < sent.end and k - i <= MAX_TITLE_WORDS and is_title_token(doc[k]):
            k += 1
        second = match_title([t.text for t in doc[i + 1 : k]]) if k > i + 1 else None
        if second is not None and k < sent.end and doc[k].lower_ in ("of", "at", "for"):
            kind, title, i = second.kind, title_text([t.text for t in doc[i + 1 : k]]), k
    if i < sent.end and doc[i].lower_ in {"of", "at", "for", "with", "in", "to"} and org is None:
        k = i + 1
        # "at Aids charity the Terrence Higgins Trust", "at London rock radio station Xfm":
        # a short description may come first, a place in it too.
        while k < sent.end and k - i <= 5 and _describes_at(doc, k, by_token):
            k = by_token[k].end if k in by_token else k + 1
        if k in by_token and by_token[k].cls != PERSON and by_token[k].start == k:
            org = by_token[k]
            i = org.end
            if org.cls in (COUNTRY, PLACE) and i + 1 < sent.end and doc[i].text in POSSESSIVES:
                # "director general of the UK's CBI", "of Venice's famous La Fenice Theatre"
                j = i + 1
                while j < sent.end and j - i <= 3 and doc[j].is_lower and doc[j].is_alpha:
                    j += 1
                owned = by_token.get(j)
                if owned is not None and owned.start == j and owned.cls == ORGANIZATION:
                    org, i = owned, owned.end
            place = by_token.get(i + 1)
            if i + 1 < sent.end and doc[i].lower_ == "in" and place and place.start == i + 1:
                i = place.end  # "economist at Swiss Re in New York"
            elif i < sent.end and doc[i].text in POSSESSIVES and org.cls == ORGANIZATION:
                # "general manager of Toshiba's storage device division": Toshiba's staff
                owner = doc[org.end - 1]
                if owner.dep_ == "poss" and owner.head.i > i:
                    i = owner.head.right_edge.i + 1
                    if kind in (LEADER, FOUNDER):
                        kind = WORKS  # heads a unit of the firm, not the firm
        else:
            return None
    if i < sent.end and doc[i].lower_ == "and" and org is not None:
        # "X, Microsoft chairman and chief software architect,": a second title of the
        # same organisation; the first one is read.
        k = i + 1
        while (
            k < sent.end
            and k - i <= MAX_TITLE_WORDS
            and (is_title_modifier(doc[k]) or is_title_token(doc[k]))
        ):
            k += 1
        if k > i + 1 and match_title([t.text for t in doc[i + 1 : k]]) is not None:
            i = k
    if i < sent.end and not _ends_apposition(doc[i]):
        return None
    return TitleFact(person, title, kind, org, appositive=True, title_start=start, past=past)


def _regional(tok: Token, gaz: Gazetteer) -> bool:
    """A capitalised word of a nation or a region inside a title ("European", "Turkish")."""
    return tok.is_title and (
        tok.lower_ in word_set("titles", "regions") or gaz.demonym(tok.text) is not None
    )


def _field_after(doc: Doc, i: int, end: int, by_token: dict[int, Found]) -> int:
    """How many words after "of" at ``i`` name a field: lower-case adjectives and nouns
    ending in a noun ("policy", "foreign exchange"), at most three; 0 if none."""
    n = 0
    while i + 1 + n < end and n < 4:
        tok = doc[i + 1 + n]
        place = by_token.get(tok.i)
        if place is not None:
            # "head of UK equities": a country or place may name the field
            if place.cls not in (COUNTRY, PLACE) or place.end - place.start != 1 or n > 0:
                break
        elif not (
            tok.is_lower
            and tok.is_alpha
            and (
                tok.pos_ in ("NOUN", "ADJ", "")
                or tok.lower_ == "and"
                and n > 0
                or n > 0
                and doc[tok.i - 1].text == "-"  # "value-added"
            )
            # "e-democracy", "drug-free sport": a hyphen inside a word
            or tok.text == "-"
            and n > 0
            and not tok.whitespace_
            and not doc[tok.i - 1].whitespace_
        ):
            break
        n += 1
    while n and (doc[i + n].pos_ in ("ADJ", "CCONJ") or doc[i + n].text == "-"):
        n -= 1
    if n and doc[i + n].i in by_token:
        return 0
    after = doc[i + 1 + n] if i + 1 + n < end else None
    if n and after is not None and after.is_lower and after.pos_ in ("NOUN", "ADJ", "VERB"):
        return 0  # the field goes on ("director of value added services"): not read
    return n


def _describes_at(doc: Doc, k: int, by_token: dict[int, Found]) -> bool:
    """A word of a description before an organisation's name, or a place named in it that
    more description follows ("London rock radio station Xfm")."""
    found = by_token.get(k)
    if found is None:
        return _describes(doc[k])
    after = doc[found.end] if found.end < len(doc) else None
    return (
        found.cls in (PLACE, COUNTRY)
        and found.start == k
        and after is not None
        and after.is_lower
        and after.pos_ in ("NOUN", "ADJ")
    )


def _describes(tok: Token) -> bool:
    """A word of a short description before a name: "Aids charity the", "Jewish rights group"."""
    return tok.lower_ == "the" or (
        tok.is_alpha and tok.pos_ in ("NOUN", "ADJ", "PROPN") and tok.ent_type_ != "PERSON"
    )


def _ends_apposition(tok: Token) -> bool:
    """What may follow an appositive title: punctuation, the end of the line, a speech verb."""
    return (
        tok.text in {",", ".", ";", "(", ")", ":", "-", "—", "–", '"', "”"}
        or tok.is_space
        or tok.lower_ in ("who", "whose", "which")  # "X, the Clash guitarist who …"
        or tok.lemma_.lower() in word_set("titles", "speech_verbs")
    )
