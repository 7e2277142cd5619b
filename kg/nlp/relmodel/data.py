"""Training sets → parsed sentences with their entity mentions and labelled pairs.

Three readers: CoNLL04 (SpERT JSON, evaluation only: never ship weights
trained on it), Re-DocRED (JSON of Tan et al. 2022, MIT; Wikidata
properties mapped to the contract's as in its README) and a gold YAML
file of kg's own format with the folder of its texts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import InputError
from kg.nlp.relations.core import fits
from kg.nlp.relmodel.features import COARSE, Ent
from kg.records import EVENT, ORGANIZATION, PERSON, PLACE

#: A coarse type → a kg class, to check a label against the ontology's domain and range.
CLASS_OF = {"PER": PERSON, "ORG": ORGANIZATION, "LOC": PLACE, "MISC": EVENT}
CONLL04 = {
    "Work_For": "schema:worksFor",
    "OrgBased_In": "schema:location",
    "Located_In": "schema:containedInPlace",
    "Live_In": "schema:homeLocation",
    "Kill": "kg:killed",
}
#: Wikidata property → (contract property, inverted); P131/P17 depend on the head's type.
REDOCRED = {
    "P108": ("schema:worksFor", False),
    "P463": ("schema:memberOf", False),
    "P102": ("schema:memberOf", False),
    "P54": ("schema:memberOf", False),
    "P159": ("schema:location", False),
    "P488": ("kg:leaderOf", True),
    "P6": ("kg:leaderOf", True),
    "P35": ("kg:leaderOf", True),
    "P112": ("schema:founder", False),
    "P749": ("schema:parentOrganization", False),
    "P127": ("schema:parentOrganization", False),
    "P355": ("schema:parentOrganization", True),
    "P131": ("IN", False),
    "P17": ("IN", False),
    "P150": ("schema:containedInPlace", True),
    "P27": ("schema:homeLocation", False),
    "P551": ("schema:homeLocation", False),
    "P19": ("schema:homeLocation", False),
    "P276": ("schema:location", False),
    "P710": ("schema:attendee", False),
    "P1344": ("schema:attendee", True),
}


@dataclass
class Sentence:
    """One parsed sentence's mentions and the labels of its ordered mention pairs."""

    doc: Doc
    ents: list[Ent]
    labels: dict[tuple[int, int], str] = field(default_factory=dict)
    #: pairs to leave out of training (an optional gold fact: neither right nor wrong)
    skip: set[tuple[int, int]] = field(default_factory=set)


def fits_types(predicate: str, a: str, b: str) -> bool:
    """Whether the ontology allows ``predicate`` between coarse types ``a`` and ``b``."""
    return fits(predicate, CLASS_OF[a], CLASS_OF[b])


def _read_json(path: str | Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), exc.strerror or "cannot be read") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"not JSON ({exc})") from None


def conll04_sentences(split: Sequence[dict[str, Any]], nlp: Language) -> Iterator[Sentence]:
    """CoNLL04 sentences parsed from their own tokens, gold entities and relations."""
    docs = nlp.pipe(Doc(nlp.vocab, words=s["tokens"]) for s in split)
    for sent, doc in zip(split, docs, strict=True):
        ents = [Ent(e["start"], e["end"], COARSE[e["type"]]) for e in sent["entities"]]
        labels = {(r["head"], r["tail"]): CONLL04[r["type"]] for r in sent["relations"]}
        yield Sentence(doc, ents, labels)


def read_conll04(path: str | Path) -> list[dict[str, Any]]:
    from kg.evaluation.conll04 import read_split

    return read_split(path)


def read_redocred(path: str | Path) -> list[dict[str, Any]]:
    data = _read_json(path)
    if not isinstance(data, list) or not all(
        isinstance(d, dict) and {"sents", "vertexSet"} <= set(d) for d in data
    ):
        raise InputError(str(path), "not a Re-DocRED file (a list of sents/vertexSet/labels)")
    return data


def _redocred_label(rel: str, h_kind: str, t_kind: str) -> tuple[str, bool] | None:
    if rel not in REDOCRED:
        return None
    prop, inverted = REDOCRED[rel]
    if prop == "IN":
        prop = "schema:containedInPlace" if h_kind == "LOC" else "schema:location"
    return prop, inverted


def redocred_sentences(docs: Sequence[dict[str, Any]], nlp: Language) -> Iterator[Sentence]:
    """Each sentence of each document with the mentions in it; a pair of mentions is
    labelled when their entities hold a mapped relation that this sentence is evidence of."""
    items = []
    for d in docs:
        facts: dict[tuple[int, int], str] = {}
        for lab in d.get("labels", []):
            h, t = lab["h"], lab["t"]
            hk = COARSE.get(d["vertexSet"][h][0]["type"])
            tk = COARSE.get(d["vertexSet"][t][0]["type"])
            found = _redocred_label(lab["r"], hk or "", tk or "") if hk and tk else None
            if found is None:
                continue
            prop, inverted = found
            evidence = set(lab.get("evidence") or [])
            key = (t, h) if inverted else (h, t)
            for sid in evidence or range(len(d["sents"])):
                facts[(sid, *key)] = prop  # type: ignore[index]
        for sid, words in enumerate(d["sents"]):
            ments = [
                (v, Ent(m["pos"][0], m["pos"][1], COARSE[m["type"]]))
                for v, vertex in enumerate(d["vertexSet"])
                for m in vertex
                if m["sent_id"] == sid and m["type"] in COARSE
            ]
            if len(ments) >= 2:
                items.append((words, ments, facts, sid))
    docs_iter = nlp.pipe(Doc(nlp.vocab, words=w) for w, _m, _f, _s in items)
    for (_words, ments, facts, sid), doc in zip(items, docs_iter, strict=True):
        ents = [e for _v, e in ments]
        labels = {}
        for i, (vi, a) in enumerate(ments):
            for j, (vj, b) in enumerate(ments):
                prop = facts.get((sid, vi, vj))
                if i != j and vi != vj and prop and fits_types(prop, a.kind, b.kind):
                    labels[(i, j)] = prop
        yield Sentence(doc, ents, labels)


def gold_sentences(gold_path: str, texts_dir: str, nlp: Language) -> Iterator[Sentence]:
    """The sentences of a gold set's texts with kg's own entity mentions; a pair is
    labelled by the gold facts between the entities its names match."""
    from kg.evaluation.gold import RELATIONS as GOLD_RELATIONS
    from kg.evaluation.gold import curie, load_gold, norm
    from kg.gazetteer import gazetteer
    from kg.nlp.entities import find_entities

    gold = load_gold(gold_path)
    alias: dict[str, str] = {}
    for e in gold.get("entities") or []:
        for n in [e["name"], *(e.get("aliases") or [])]:
            alias[norm(n)] = str(e["name"])

    def facts(key: str) -> set[tuple[str, str, str]]:
        out = set()
        for f in gold.get(key) or []:
            if curie(str(f["p"])) in GOLD_RELATIONS:
                out.add((str(f["s"]), str(f["p"]), str(f["o"])))
        return out

    positive, optional = facts("facts"), facts("optional")
    folder = Path(texts_dir)
    paths = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    if not paths:
        raise InputError(texts_dir, "no texts to train from (give the gold set's folder)")
    for doc in nlp.pipe(p.read_text(encoding="utf-8", errors="replace") for p in paths):
        found = find_entities(doc, gazetteer())
        for sent in doc.sents:
            mine = [f for f in found if sent.start <= f.start < sent.end]
            if len(mine) < 2:
                continue
            ents = [Ent(f.start, f.end, COARSE[f.cls]) for f in mine]
            names = [
                alias.get(norm(f.name)) or alias.get(norm(doc[f.start : f.end].text)) for f in mine
            ]
            s = Sentence(doc, ents)
            for i, a in enumerate(names):
                for j, b in enumerate(names):
                    if i == j or a is None or b is None:
                        continue
                    for subj, prop, obj in positive | optional:
                        if (subj, obj) == (a, b):
                            if (subj, prop, obj) in positive:
                                s.labels[(i, j)] = prop
                            else:
                                s.skip.add((i, j))
            yield s
