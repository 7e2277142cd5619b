"""Canonical names, aliases and merging of mentions within and across articles."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kg.gazetteer import gazetteer
from kg.records import (
    AGREEMENT,
    COUNTRY,
    EVENT,
    ORGANIZATION,
    PERSON,
    Article,
    Entity,
    Extraction,
    Mention,
    Relation,
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
_ACRONYM_APPOS = re.compile(
    r"\b([A-Z][A-Z&]{1,8}), the "
    r"((?:[A-Z][\w'’.-]*)(?:\s+(?:[A-Z][\w'’.-]*|of|for|and|on|in|de|to|&))+)"
)
_ACRONYM_CLASSES = (ORGANIZATION, AGREEMENT, EVENT)


_POSSESSIVE = re.compile(r"['’]s\b")
_PUNCTUATION = re.compile(r"[^\w\s]")
_LEADING_THE = re.compile(r"^the\s+")
_SPELLING_RULES = tuple(
    (re.compile(rf"\b{british}\b"), american) for british, american in _SPELLING
)


# Resolution folds the same names again and again (every article, every rule):
# cached, a run's resolution takes about half the time.
@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """A name folded for matching: case, Unicode, punctuation, "the", spelling variants."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _POSSESSIVE.sub("", text)
    text = _PUNCTUATION.sub(" ", text.replace(".", ""))
    text = _LEADING_THE.sub("", " ".join(text.split()))
    for rule, american in _SPELLING_RULES:
        text = rule.sub(american, text)
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
    """Acronyms a text defines, mapped to their long form: "Long Name (LN)", and
    "LN, the Long Name," ("CENTR, the Council of European National …")."""
    found: dict[str, str] = {}
    for match in _ACRONYM_DEF.finditer(text):
        long_name, short = match.group(1), match.group(2)
        tail = _defined_by(short, long_name.split())
        if tail:
            found[short] = tail
    for match in _ACRONYM_APPOS.finditer(text):
        short, long_name = match.group(1), match.group(2)
        words = long_name.split()
        while words and words[-1].lower() in _FUNCTION_WORDS:
            words.pop()
        if words and _letters_in_order(short, " ".join(words)):
            found.setdefault(short, " ".join(words))
    return found


def _defined_by(short: str, words: list[str]) -> str | None:
    """The long form of "… (LN)": the shortest tail of the capitalised run whose initials
    spell it or, failing that, whose letters hold it in order from the first
    ("Columbia Management Advisors (CAM)"; Schwartz and Hearst's test)."""
    tails = [" ".join(words[i:]) for i in range(len(words))]
    tails = [t for t in tails if t.split()[0].lower() not in _FUNCTION_WORDS]
    for tail in reversed(tails):
        if short.upper().replace("&", "") in initial_variants(tail):
            return tail
    for tail in reversed(tails):
        if _letters_in_order(short, tail):
            return tail
    return None


def _letters_in_order(short: str, long_name: str) -> bool:
    """Whether an abbreviation's letters appear in order in a name, the first starting it
    (A. Schwartz and M. Hearst, 2003: what scispacy's abbreviation detector checks)."""
    letters = [c.lower() for c in short if c.isalnum()]
    text = long_name.lower()
    if not letters or not text or letters[0] != text[0] or len(long_name.split()) < 2:
        return False
    i = 0
    for c in letters:
        i = text.find(c, i)
        if i < 0:
            return False
        i += 1
    return True


@dataclass
class Resolution:
    """The entities of a set of articles and how each article's names map onto them.

    Resolution is a pure function of every article's names (see
    :func:`names_record`): whatever runs, processes or machines the articles
    went through, the same articles give the same entities. A store keeps
    each article's names, so a run resolves its articles together with those
    already stored (kg.known).
    """

    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    # (article identifier, class, name key) -> entity key
    index: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)
    # (article identifier, entity key) -> the surface forms this article uses
    surfaces: dict[tuple[str, tuple[str, str]], set[str]] = field(default_factory=dict)

    def lookup(self, article: str, cls: str, name: str) -> Entity | None:
        """The entity an article's name of a class resolved to."""
        if cls == COUNTRY:
            country = gazetteer().country(name, allow_code=True)
            name = country.name if country else name
        key = self.index.get((article, cls, name_key(name)))
        return self.entities.get(key) if key else None

    def aliases_in(self, article: str, entity: Entity) -> tuple[str, ...]:
        """The other names ``article`` itself gives ``entity`` (its skos:altLabels there)."""
        own = self.surfaces.get((article, (entity.cls, entity.key)), set())
        return tuple(sorted(s for s in own if s and s != entity.label))


def evidence_digest(evidence: str) -> str:
    """A short digest of a statement's sentence, to find it again in a stored graph."""
    return hashlib.sha256(evidence.encode("utf-8")).hexdigest()[:16]


def names_record(ex: Extraction) -> str:
    """What resolution needs of an article, as compact JSON: its names (surface,
    class, name given), the names at both ends of each relation (with the
    digest of its sentence; job titles are read from these), the acronyms it
    defines.

    Stored with the article's graph, so later runs resolve against it and can
    move a stored statement's ends exactly when its names resolve anew.
    """
    names = sorted({(m.text, m.cls, m.name) for m in ex.mentions})
    ends = sorted(
        {
            (
                r.subject,
                r.subject_cls,
                r.predicate,
                r.obj,
                r.obj_cls or "",
                evidence_digest(r.evidence),
            )
            for r in ex.relations
        }
    )
    defined = sorted(acronym_definitions(ex.article.text).items())
    doc = {"n": names, "r": ends, "d": defined}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def from_names_record(identifier: str, record: str) -> Extraction:
    """An article's names (see :func:`names_record`) as records resolution reads;
    a relation's ``evidence`` is its sentence's digest."""
    doc = json.loads(record)
    text = " ".join(f"{long_name} ({short})." for short, long_name in doc.get("d", []))
    article = Article(identifier, text, identifier)
    mentions = tuple(Mention(t, c, 0, 0, name=n) for t, c, n in doc.get("n", []))
    relations = tuple(
        Relation(s, sc, p, o, oc or None, digest) for s, sc, p, o, oc, digest in doc.get("r", [])
    )
    return Extraction(article, mentions, relations)


Names = dict[tuple[str, str, str], str]
Groups = dict[tuple[str, str, str], tuple[str, str]]


def _titles(extractions: list[Extraction]) -> dict[str, set[str]]:
    """Job titles per (article, person name key)."""
    titles: dict[str, set[str]] = defaultdict(set)
    for ex in extractions:
        for rel in ex.relations:
            if rel.predicate == "schema:jobTitle" and rel.subject_cls == PERSON:
                titles[f"{ex.article.identifier}\x1f{name_key(rel.subject)}"].add(name_key(rel.obj))
    return titles


def _canonical_groups(
    extractions: list[Extraction],
) -> tuple[Names, Groups, dict[tuple[str, str, str], set[str]]]:
    """Map every (article, class, key) to a group key; the surface forms of each name."""
    gaz = gazetteer()
    surfaces: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    names: Names = {}
    for ex in extractions:
        aid = ex.article.identifier
        for m in ex.mentions:
            hint = m.canonical_hint
            if m.cls == COUNTRY:
                country = gaz.country(hint, allow_code=True)
                hint = country.name if country else hint
            key = (aid, m.cls, name_key(hint))
            names.setdefault(key, hint)
            surfaces[key].add(hint if m.name else _clean_surface(m.text))
    group: Groups = {k: (k[1], k[2]) for k in names}

    # Acronyms the texts define bind the short form to the long one.
    defined: dict[str, str] = {}
    for ex in extractions:
        for short, long_name in acronym_definitions(ex.article.text).items():
            defined.setdefault(short, long_name)
    # (class, key) → the articles' names of it: a run's acronyms are not each
    # looked for among all its names.
    named: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for k in names:
        named[(k[1], k[2])].append(k)
    for short, long_name in sorted(defined.items()):
        long_key = name_key(long_name)
        for cls in _ACRONYM_CLASSES:
            if (cls, long_key) in named:
                short_orgs = (ORGANIZATION, name_key(short)) in named
                if cls == EVENT and short_orgs:
                    # "the UK Internet Forum (UKIF)" read as a meeting, its acronym as
                    # a body: a name with an acronym of its own is the standing body.
                    cls = ORGANIZATION
                    for k in named[(EVENT, long_key)]:
                        group[k] = (cls, long_key)
                for c in _ACRONYM_CLASSES:
                    for k in named.get((c, name_key(short)), ()):
                        group[k] = (cls, long_key)
                break

    # Person: a single name joins the one full name that ends (or starts) with it,
    # unless the titles given to each cannot both hold ("President Bush", "Kate Bush").
    titles = _titles(extractions)
    full_titles: dict[str, set[str]] = defaultdict(set)
    for tag, found in titles.items():
        full_titles[tag.split("\x1f", 1)[1]].update(found)

    def person_fits(aid: str, short: str, full: str, same_article: bool) -> bool:
        if not (full.split()[-1] == short or full.split()[0] == short):
            return False
        own = titles.get(f"{aid}\x1f{short}", set())
        return same_article or not own or own <= full_titles.get(full, set())

    _merge_short_names(names, group, PERSON, person_fits)
    # Organisations: an acronym joins the one long name it abbreviates, a first word
    # the one longer name it begins ("Nikkei", "Nikkei Asia"); within one article,
    # the other ways one body is named twice ("Columbia Distributor", "Lib Dems",
    # "Radio 4").
    _merge_short_names(
        names,
        group,
        ORGANIZATION,
        # "BBC" is not "BBC Radio 4": an acronym opening a longer name is its parent
        lambda aid, short, full, same: (
            not names[(aid, ORGANIZATION, short)].isupper()
            and _first_word_of(aid, short, full, same)
        ),
    )
    _merge_org_variants(names, group)
    _spread_org_variants(names, group)
    for cls in _ACRONYM_CLASSES:
        _merge_acronyms(names, group, cls)
    return names, group, surfaces


def _spread_org_variants(names: Names, group: Groups) -> None:
    """A short name that an article binds to one longer name ("Tories" beside "Tory
    Party", "Lib Dems" beside "Liberal Democrats") names that body in the run's other
    articles too, when the run binds it to no other body. A lone last word ("City"
    for "Manchester City") is left alone: other articles may mean another club."""
    bound: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for (_, cls, key), target in group.items():
        if cls == ORGANIZATION and target != (cls, key):
            bound[key].add(target)
    moved: dict[tuple[str, str], tuple[str, str]] = {}
    for key, targets in sorted(bound.items()):
        target = min(targets)
        if len(targets) == 1 and not _last_word_of(key, target[1]):
            moved[(ORGANIZATION, key)] = target
    if moved:
        for k, target in group.items():
            group[k] = moved.get(target, target)


def _last_word_of(short: str, full: str) -> bool:
    a, b = short.split(), full.split()
    return len(a) == 1 and len(b) >= 2 and b[-1] == a[0]


def _first_word_of(aid: str, short: str, full: str, same_article: bool) -> bool:
    """ "Nikkei" for "Nikkei Asia" in one article; across articles only when the rest of
    the longer name is an organisation's word ("Acme" for "Acme Holdings", not "Lions"
    for "Lions Test")."""
    words = full.split()
    return words[0] == short and (same_article or all(w in _GENERIC_ORG_WORDS for w in words[1:]))


# Words that add nothing to an organisation's name: "Manchester City Football Club"
# is Manchester City.
_GENERIC_ORG_WORDS = frozenset(
    {
        *("group", "plc", "inc", "ltd", "limited", "corp", "corporation", "company", "co"),
        *("holdings", "party", "football", "club", "fc", "afc", "llc", "sa", "ag", "nv"),
        "gmbh",
    }
)


def org_variant(short: str, full: str, orgs: set[str]) -> bool:
    """Whether two name keys of one article's organisations name one body.

    "columbia distributor" in "columbia funds distributor" (its words, in
    order, first and last kept); "disney" for "walt disney"; "manchester city"
    for "manchester city football club" (generic words added); "lib dems" for
    "liberal democrats" (each word shortened); "radio 4" for "bbc radio 4" when
    "bbc" is one of the article's organisations too; "tories" for "tory party".
    """
    a, b = short.split(), full.split()
    if not a or len(a) >= len(b) and not _shortened(a, b):
        return False
    if len(a) >= 2 and a[0] == b[0] and a[-1] == b[-1] and _subsequence(a, b):
        return True
    if len(a) == 1 and len(b) == 2 and a[0] == b[1] and len(a[0]) > 3:
        return True
    if b[: len(a)] == a and all(w in _GENERIC_ORG_WORDS for w in b[len(a) :]):
        return True
    if b[1:] == a and b[0] in orgs:
        return True
    if b[-1] == "party" and plural_group(" ".join(b[:-1])) == short:
        return True
    return _shortened(a, b)


def _subsequence(a: list[str], b: list[str]) -> bool:
    it = iter(b)
    return all(w in it for w in a)


def _shortened(a: list[str], b: list[str]) -> bool:
    """ "lib dems" / "liberal democrats", "man utd" / "manchester united": as many words,
    each a clipped form of the other's."""
    if len(a) != len(b) or a == b:
        return False
    pairs = [(x.rstrip("s"), y.rstrip("s")) for x, y in zip(a, b, strict=True)]
    # letters in order only beside a word that begins the other ("man utd"), never
    # alone ("BdB" is not the Bundesbank)
    return all(_clipped(x, y, letters=len(a) > 1) for x, y in pairs) and any(
        len(x) >= 3 and y.startswith(x) for x, y in pairs
    )


def _clipped(x: str, y: str, *, letters: bool) -> bool:
    """ "lib" of "liberal", and if ``letters``, "utd" of "united": a word of three letters
    or more that begins another, or its letters in order from the same first one."""
    if len(x) < 3:
        return False
    if y.startswith(x):
        return True
    it = iter(y)
    return letters and x[0] == y[0] and all(c in it for c in x)


def plural_group(name: str) -> str:
    """A group's name as its members are called together: "Tory" → "Tories"."""
    if name.endswith("s"):
        return name
    if name.endswith("y") and len(name) > 1 and name[-2] not in "aeiou":
        return name[:-1] + "ies"
    return name + "s"


def _merge_org_variants(names: Names, group: Groups) -> None:
    """Join an organisation's name to the unique longer name of the same article that
    ``org_variant`` says is the same body (order-free: a pure function of the names)."""
    by_article: dict[str, list[str]] = defaultdict(list)
    for aid, cls, key in names:
        if cls == ORGANIZATION:
            by_article[aid].append(key)
    for aid, keys in sorted(by_article.items()):
        orgs = set(keys)
        for key in sorted(keys):
            k = (aid, ORGANIZATION, key)
            if group[k] != (ORGANIZATION, key):
                continue
            hits = sorted(
                f for f in keys if f != key and len(f) > len(key) and org_variant(key, f, orgs)
            )
            if len(hits) == 1:
                group[k] = group[(aid, ORGANIZATION, hits[0])]
    # Across articles only the plainest case: "Radio 4" is "BBC Radio 4" when the BBC
    # is an organisation the run knows, and no other name ends so.
    run_orgs = {key for keys in by_article.values() for key in keys}
    tails: dict[str, set[str]] = defaultdict(set)
    for full in run_orgs:
        words = full.split()
        if len(words) > 2 and words[0] in run_orgs:
            tails[" ".join(words[1:])].add(full)
    for aid, keys in sorted(by_article.items()):
        for key in sorted(keys):
            k = (aid, ORGANIZATION, key)
            if group[k] == (ORGANIZATION, key) and len(tails.get(key, ())) == 1:
                (full,) = tails[key]
                owner = next(a for a, ks in sorted(by_article.items()) if full in ks)
                group[k] = group[(owner, ORGANIZATION, full)]


def _clean_surface(text: str) -> str:
    text = " ".join(text.split())
    return re.sub(r"^(the|The)\s+", "", text)


def _merge_short_names(
    names: Names,
    group: Groups,
    cls: str,
    fits: Callable[[str, str, str, bool], bool],
) -> None:
    """Join one-word names of ``cls`` to the unique longer name that ``fits`` them.

    The article's own names are tried first, then the whole run's (and the
    store's): ``fits(article, short, full, same_article)``, which accepts only
    names that begin or end with the short one.
    """
    full_by_article: dict[str, set[str]] = defaultdict(set)
    # A word → the longer names it begins or ends: the only ones ``fits`` can accept,
    # so that a run's short names are not each tried against all its long names.
    ends: dict[str, set[str]] = defaultdict(set)
    for aid, c, key in names:
        words = key.split()
        if c == cls and len(words) > 1:
            full_by_article[aid].add(key)
            ends[words[0]].add(key)
            ends[words[-1]].add(key)
    for k in sorted(names):
        aid, c, key = k
        if c != cls or len(key.split()) != 1 or group[k] != (c, key):
            continue
        near = ends.get(key, set())
        for pool, same in ((full_by_article[aid] & near, True), (near, False)):
            hits = sorted(f for f in pool if fits(aid, key, f, same))
            if len(hits) == 1:
                group[k] = (cls, hits[0])
                break
            if len(hits) > 1:
                break


def _merge_acronyms(names: Names, group: Groups, cls: str) -> None:
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


def _label_order(form: str) -> tuple[bool, bool, bool, int, str]:
    # Independent of how often or in which order forms arrive: the plainest
    # form wins ("NATO's" and "TOKYO" lose to "NATO" and "Tokyo"; an acronym
    # of up to four letters is not shouting).
    letters = sum(c.isalpha() for c in form)
    return (
        bool(re.search(r"['’]s$", form)),
        form.isupper() and letters > 4,
        not form[:1].isupper(),
        len(form),
        form,
    )


def pick_label(cls: str, forms: Iterable[str], key: str) -> str:
    """An entity's rdfs:label from all the forms met for it, whatever their order."""
    forms = sorted(set(forms))
    if cls == COUNTRY:
        country = gazetteer().country(forms[0] if forms else key, allow_code=True)
        if country:
            return country.name
    candidates = [f for f in forms if name_key(f) == key] or forms
    return min(candidates, key=_label_order) if candidates else key


def resolve(extractions: Iterable[Extraction]) -> Resolution:
    """Merge the names of a set of articles into entities.

    A pure function of the articles' names: the same articles give the same
    entities, IRIs and labels whether they came in one run or many, in any
    order (tests/property/test_runs.py).
    """
    # Sorted, so that which article a run-wide rule meets first never matters.
    exs = sorted(extractions, key=lambda ex: ex.article.identifier)
    names, group, surfaces = _canonical_groups(exs)
    res = Resolution()
    forms: dict[tuple[str, str], set[str]] = defaultdict(set)
    for k, target in group.items():
        forms[target].update(surfaces.get(k, ()))
        res.surfaces.setdefault((k[0], target), set()).update(surfaces.get(k, ()))
    for target in sorted(set(group.values())):
        cls, key = target
        own = {f for f in forms[target] if name_key(f) == key}
        label = pick_label(cls, own or forms[target], key)
        aliases = sorted({s for s in forms[target] if s != label and s})
        res.entities[target] = Entity(key=key, label=label, cls=cls, aliases=tuple(aliases))
    res.index = dict(group)
    return res
