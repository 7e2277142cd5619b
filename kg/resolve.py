"""Canonical names, aliases and merging of mentions within and across articles."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.gazetteer import gazetteer
from kg.records import (
    AGREEMENT,
    COUNTRY,
    EVENT,
    ORGANIZATION,
    PERSON,
    Entity,
    Extraction,
)

_SPELLING = (
    ("programme", "program"),
    ("organisation", "organization"),
    ("centre", "center"),
    ("defence", "defense"),
    ("labour", "labor"),
    ("co operation", "cooperation"),
)
_FUNCTION_WORDS = {"of", "for", "and", "the", "on", "in", "de", "du", "des", "la", "le", "&", "to"}
_ACRONYM_DEF = re.compile(
    r"((?:[A-Z][\w'’.-]*)(?:\s+(?:[A-Z][\w'’.-]*|of|for|and|the|on|in|de|to|&))*)\s+\(([A-Z][A-Za-z&]{1,9})\)"
)
_ACRONYM_CLASSES = (ORGANIZATION, AGREEMENT, EVENT)


def name_key(name: str) -> str:
    """A name folded for matching: case, Unicode, punctuation, "the", spelling variants."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"['’]s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text.replace(".", ""))
    text = re.sub(r"^the\s+", "", " ".join(text.split()))
    for british, american in _SPELLING:
        text = re.sub(rf"\b{british}\b", american, text)
    return text


def initials(name: str, *, split_hyphens: bool = False, function_words: bool = False) -> str:
    """Upper-case initials of a name's words ("United Nations" → "UN").

    Function words ("of", "and") count only with ``function_words``; hyphenated
    parts count separately only with ``split_hyphens``.
    """
    letters = []
    for word in name.split():
        if word.lower() in _FUNCTION_WORDS and not function_words:
            continue
        parts = word.split("-") if split_hyphens else [word]
        letters.extend(part[0].upper() for part in parts if part and part[0].isalpha())
    return "".join(letters)


def initial_variants(name: str) -> set[str]:
    """Every way writers abbreviate a name: with or without function words and hyphen parts."""
    return {
        initials(name, split_hyphens=h, function_words=f)
        for h in (False, True)
        for f in (False, True)
    }


def acronym_definitions(text: str) -> dict[str, str]:
    """Acronyms a text defines as "Long Name (LN)", mapped to their long form."""
    found: dict[str, str] = {}
    for match in _ACRONYM_DEF.finditer(text):
        long_name, short = match.group(1), match.group(2)
        words = long_name.split()
        # The long form: the shortest tail of the capitalised run whose initials spell it.
        for i in range(len(words)):
            tail = " ".join(words[i:])
            if tail.split()[0].lower() in _FUNCTION_WORDS:
                continue
            if short.upper().replace("&", "") in initial_variants(tail):
                found[short] = tail
                break
    return found


@dataclass
class Resolution:
    """The entities of a run and how each article's names map onto them."""

    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    # (article identifier, class, name key) -> entity key
    index: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)

    def lookup(self, article: str, cls: str, name: str) -> Entity | None:
        """The entity an article's name of a class resolved to."""
        if cls == COUNTRY:
            country = gazetteer().country(name, allow_code=True)
            name = country.name if country else name
        key = self.index.get((article, cls, name_key(name)))
        return self.entities.get(key) if key else None


def _canonical_groups(
    extractions: list[Extraction],
) -> tuple[dict[tuple[str, str, str], tuple[str, str]], dict[tuple[str, str], Counter[str]]]:
    """Map every (article, class, key) to a group key; count surface forms per group."""
    gaz = gazetteer()
    surfaces: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    names: dict[tuple[str, str, str], str] = {}
    for ex in extractions:
        aid = ex.article.identifier
        for m in ex.mentions:
            hint = m.canonical_hint
            if m.cls == COUNTRY:
                country = gaz.country(hint, allow_code=True)
                hint = country.name if country else hint
            key = (aid, m.cls, name_key(hint))
            names.setdefault(key, hint)
            if not m.name:
                surfaces[(m.cls, name_key(hint))][_clean_surface(m.text)] += 1
            else:
                surfaces[(m.cls, name_key(hint))][hint] += 0
    group = {k: (k[1], k[2]) for k in names}

    # Acronyms the texts define bind the short form to the long one.
    defined: dict[str, str] = {}
    for ex in extractions:
        for short, long_name in acronym_definitions(ex.article.text).items():
            defined.setdefault(short, long_name)
    run_keys = {(cls, key) for (_, cls, key) in names}
    for short, long_name in sorted(defined.items()):
        long_key = name_key(long_name)
        for cls in _ACRONYM_CLASSES:
            if (cls, long_key) in run_keys:
                surfaces[(cls, long_key)][short] += 0
                for k in names:
                    if k[1] in _ACRONYM_CLASSES and k[2] == name_key(short):
                        group[k] = (cls, long_key)
                break

    # Person: a single name joins the one full name that ends (or starts) with it.
    _merge_short_names(
        names,
        group,
        PERSON,
        lambda short, full: full.split()[-1] == short or full.split()[0] == short,
    )
    # Organisations: an acronym joins the one long name it abbreviates, a first word
    # the one longer name it begins.
    _merge_short_names(names, group, ORGANIZATION, lambda short, full: full.split()[0] == short)
    for cls in _ACRONYM_CLASSES:
        _merge_acronyms(names, group, cls)
    return group, surfaces


def _clean_surface(text: str) -> str:
    text = " ".join(text.split())
    return re.sub(r"^(the|The)\s+", "", text)


def _merge_short_names(
    names: dict[tuple[str, str, str], str],
    group: dict[tuple[str, str, str], tuple[str, str]],
    cls: str,
    fits: object,
) -> None:
    """Join one-word names of ``cls`` to the unique longer name that ``fits`` them.

    The article's own names are tried first, then the whole run's.
    """
    assert callable(fits)
    full_by_article: dict[str, set[str]] = defaultdict(set)
    full_run: set[str] = set()
    for aid, c, key in names:
        if c == cls and len(key.split()) > 1:
            full_by_article[aid].add(key)
            full_run.add(key)
    for k in sorted(names):
        aid, c, key = k
        if c != cls or len(key.split()) != 1 or group[k] != (c, key):
            continue
        for pool in (full_by_article[aid], full_run):
            hits = sorted(f for f in pool if fits(key, f))
            if len(hits) == 1:
                group[k] = (cls, hits[0])
                break
            if len(hits) > 1:
                break


def _merge_acronyms(
    names: dict[tuple[str, str, str], str],
    group: dict[tuple[str, str, str], tuple[str, str]],
    cls: str,
) -> None:
    longs: dict[str, set[str]] = defaultdict(set)
    for (_, c, key), name in names.items():
        if c == cls and len(key.split()) > 1:
            for variant in initial_variants(name):
                longs[variant].add(key)
    for k, name in sorted(names.items()):
        if k[1] != cls or group[k] != (cls, k[2]) or not (name.isupper() and 2 <= len(name) <= 8):
            continue
        hits = longs.get(name.replace(".", ""), set())
        if len(hits) == 1:
            group[k] = (cls, next(iter(hits)))


def _pick_label(cls: str, forms: Counter[str], key: str) -> str:
    if cls == COUNTRY:
        country = gazetteer().country(next(iter(forms)) if forms else key, allow_code=True)
        if country:
            return country.name
    candidates = [f for f in forms if name_key(f) == key] or list(forms)
    return sorted(candidates, key=lambda f: (-forms[f], -len(f), f))[0]


def resolve(extractions: Iterable[Extraction]) -> Resolution:
    """Merge the mentions of all articles of a run into entities."""
    exs = list(extractions)
    group, surfaces = _canonical_groups(exs)
    members: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for (_, cls, key), target in group.items():
        members[target].update(surfaces.get((cls, key), Counter()))
    res = Resolution()
    for target in sorted(set(group.values())):
        cls, key = target
        own = surfaces.get(target, Counter())
        label = _pick_label(cls, own or members[target], key)
        aliases = sorted({s for s in members[target] if s != label and s})
        res.entities[target] = Entity(key=key, label=label, cls=cls, aliases=tuple(aliases))
    res.index = dict(group)
    return res
