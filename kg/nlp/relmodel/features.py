"""Features of an ordered pair of entity mentions in one parsed sentence."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.records import AGREEMENT, COUNTRY, EVENT, ORGANIZATION, PERSON, PLACE

#: kg's classes and the training sets' entity types → the model's coarse types.
COARSE = {
    PERSON: "PER",
    ORGANIZATION: "ORG",
    COUNTRY: "LOC",
    PLACE: "LOC",
    EVENT: "MISC",
    AGREEMENT: "MISC",
    "Peop": "PER",
    "Org": "ORG",
    "Loc": "LOC",
    "Other": "MISC",
    "PER": "PER",
    "ORG": "ORG",
    "LOC": "LOC",
    "MISC": "MISC",
}
MAX_PATH = 6
MAX_BETWEEN = 8


@dataclass(frozen=True, slots=True)
class Ent:
    """An entity mention by token offsets (``end`` exclusive) and its coarse type."""

    start: int
    end: int
    kind: str


def _bucket(n: int) -> str:
    for limit, name in ((0, "0"), (1, "1"), (2, "2"), (3, "3"), (5, "4-5"), (8, "6-8")):
        if n <= limit:
            return name
    return "9-12" if n <= 12 else "13+"


def _head(doc: Doc, e: Ent) -> Token:
    return doc[e.start : e.end].root


def dep_path(a: Token, b: Token) -> tuple[list[Token], Token, list[Token]] | None:
    """The tokens from ``a`` up to the lowest common head, that head, and down to ``b``."""
    up = [a, *a.ancestors]
    where = {t.i: k for k, t in enumerate(up)}
    down: list[Token] = []
    t = b
    while t.i not in where:
        down.append(t)
        if t.head.i == t.i:
            return None
        t = t.head
    return up[: where[t.i]], t, list(reversed(down))


def _word(t: Token) -> str:
    return t.lemma_.lower() if t.lemma_ else t.lower_


def _context(doc: Doc, first: Ent, second: Ent, types: str) -> list[str]:
    """Words around the pair, and the sentence's verbs with the pair's types."""
    out = [f"W-2:{_word(t)}" for t in doc[max(0, first.start - 2) : first.start]]
    out += [f"W+2:{_word(t)}" for t in doc[second.end : second.end + 2]]
    out += [f"SV:{types}:{v}" for v in _verbs(doc, first.start)]
    return out


def _verbs(doc: Doc, i: int) -> list[str]:
    """The verbs of the sentence of token ``i``, found once per sentence (every pair of
    mentions in it asks), kept in the doc's user data."""
    sent = doc[i].sent
    key = ("kg_relmodel_verbs", sent.start)
    if key not in doc.user_data:
        doc.user_data[key] = [_word(t) for t in sent if t.pos_ == "VERB"]
    return doc.user_data[key]


def pair_features(doc: Doc, a: Ent, b: Ent, others: list[Ent] | tuple[Ent, ...] = ()) -> list[str]:
    """The features of "``a`` relates to ``b``" (``a`` the subject); ``others`` are the
    sentence's other mentions (their number between the two counts)."""
    types = f"{a.kind}>{b.kind}"
    first, second = (a, b) if a.start < b.start else (b, a)
    order = "ab" if first is a else "ba"
    ha, hb = _head(doc, a), _head(doc, b)
    feats = ["BIAS", f"T:{types}", f"OT:{order}:{types}"]
    gap = max(0, second.start - first.end)
    feats.append(f"D:{_bucket(gap)}")
    feats.append(f"DT:{_bucket(gap)}:{types}")
    feats += [f"HA:{_word(ha)}", f"HB:{_word(hb)}", f"DA:{ha.dep_}", f"DB:{hb.dep_}"]
    feats += [f"HAT:{types}:{_word(ha)}", f"HBT:{types}:{_word(hb)}"]
    feats += [f"EA:{t.lower_}" for t in doc[a.start : a.end]]
    feats += [f"EB:{t.lower_}" for t in doc[b.start : b.end]]
    feats += [f"EAT:{types}:{t.lower_}" for t in doc[a.start : a.end]]
    feats += [f"EBT:{types}:{t.lower_}" for t in doc[b.start : b.end]]
    if first.start > 0:
        feats.append(f"W-1:{_word(doc[first.start - 1])}")
    if second.end < len(doc):
        feats.append(f"W+1:{_word(doc[second.end])}")
    between = doc[first.end : second.start]
    if len(between) <= MAX_BETWEEN:
        words = " ".join(_word(t) for t in between)
        feats.append(f"B:{order}:{words}")
        feats.append(f"BT:{types}:{words}")
    for t in between:
        if not t.is_punct:
            feats.append(f"BW:{_word(t)}")
            feats.append(f"BWT:{types}:{_word(t)}")
    inside = [o for o in others if first.end <= o.start and o.end <= second.start]
    feats.append(f"NE:{min(len(inside), 3)}")
    feats.append(f"NET:{types}:{' '.join(o.kind for o in inside[:3])}")
    feats += _context(doc, first, second, types)
    feats.append(f"HH:{types}:{_word(ha)}|{_word(hb)}")
    found = dep_path(ha, hb)
    if found is None:
        feats.append("P:none")
        return feats
    up, top, down = found
    deps = "^".join(t.dep_ for t in up) + "|" + "_".join(t.dep_ for t in down)
    feats += [f"P:{deps}", f"PT:{types}:{deps}", f"L:{_word(top)}", f"LT:{types}:{_word(top)}"]
    feats.append(
        f"LD:{types}:{up[-1].dep_ if up else '-'}:{_word(top)}:{down[0].dep_ if down else '-'}"
    )
    feats.append(f"PL:{len(up) + len(down)}")
    if len(up) + len(down) <= MAX_PATH:
        inner = [_word(t) + "/" + t.dep_ for t in up[1:]] + [_word(top)]
        inner += [_word(t) + "/" + t.dep_ for t in down[:-1]]
        feats.append(f"PW:{types}:{deps}:{' '.join(inner)}")
        for t in (*up[1:], *down[:-1]):
            feats.append(f"PWW:{_word(t)}")
            feats.append(f"PWT:{types}:{_word(t)}")
    return feats
