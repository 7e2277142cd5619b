"""Doc → records: the only reader of what kg's spaCy components found."""

from __future__ import annotations

import multiprocessing
import re
import signal
from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from kg.gazetteer import gazetteer
from kg.nlp import build_nlp
from kg.nlp.entities import Found, find_entities
from kg.nlp.relations import find_relations
from kg.nlp.title_facts import find_titles
from kg.nlp.titles import (
    FOUNDER,
    LEADER,
    MEMBER,
    WORKS,
    is_employed_leader,
    is_party,
    leads_place,
)
from kg.records import (
    COUNTRY,
    ORGANIZATION,
    PERSON,
    PLACE,
    Article,
    Extraction,
    Mention,
    Modality,
    Relation,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from spacy.language import Language

    from kg.settings import Settings


def _mention(doc: Doc, found: Found) -> Mention:
    span = doc[found.start : found.end]
    name = found.name if found.name != span.text else ""
    return Mention(span.text, found.cls, span.start_char, span.end_char, name=name, rule=found.rule)


def _sentence(doc: Doc, token_index: int) -> str:
    return " ".join(doc[token_index].sent.text.split())


def title_relations(doc: Doc, entities: list[Found]) -> Iterator[tuple[Relation, Found | None]]:
    """Relations read off job titles; yields each with the demonym country it introduced.

    A company's chief executive also works for it; a party's spokesman or
    official is also its member; a founder founded it. A past title
    ("former", "the late") gives kg:Past statements, never current facts.
    """
    about = article_org(entities)
    for fact in find_titles(doc, entities, gazetteer()):
        person = fact.person
        name = person.name
        evidence = _sentence(doc, person.start)
        conf = 0.8 if fact.appositive else 0.9
        modality = Modality.PAST if fact.past else Modality.ASSERTED
        if fact.past:
            conf -= 0.05
        org_conf = conf
        if (
            fact.org is None
            and about is not None
            and fact.kind == LEADER
            and not leads_place(fact.title)
            and not _named_before(doc, fact.title_start)
        ):
            # "Chairman John Wardle said": in an article about one firm or club, the
            # firm's own chairman (less sure than a title that names it).
            fact = replace(fact, org=about)
            org_conf = ARTICLE_ORG_CONFIDENCE
        yield (
            Relation(
                name,
                PERSON,
                "schema:jobTitle",
                fact.title,
                None,
                evidence,
                modality=modality,
                confidence=round(conf, 2),
                rule="title:jobTitle",
            ),
            None,
        )
        org = fact.org
        if org is None:
            continue
        introduced = org if org.rule in ("demonym", "party") else None
        conf = org_conf - 0.05 if org.rule == "demonym" else org_conf
        for predicate, subject, obj in _title_facts(fact.kind, person, org, fact.title):
            home = predicate == "schema:homeLocation"
            yield (
                Relation(
                    subject.name,
                    subject.cls,
                    predicate,
                    obj.name,
                    obj.cls,
                    evidence,
                    modality=Modality.ASSERTED if home else modality,
                    confidence=round(conf - 0.1 if home else conf, 2),
                    rule="title:nationality" if home else f"title:{fact.kind}",
                ),
                introduced,
            )


#: Confidence of an office read as the article's own organisation's (no name given).
ARTICLE_ORG_CONFIDENCE = 0.6


def _named_before(doc: Doc, i: int) -> bool:
    """Whether a name or a possessive stands right before a title ("Menatep Group's
    managing director"): then the office is someone else's than the article's firm."""
    if i == 0 or i == doc[i].sent.start:
        return False
    prev = doc[i - 1]
    return (
        prev.tag_ in ("NNP", "NNPS", "POS", "PRP$")
        or bool(prev.ent_type_)
        or prev.text
        in (
            "'s",
            "’s",
            "'",
        )
    )


def article_org(entities: list[Found]) -> Found | None:
    """The organisation an article is about: named at least three times and at least
    twice as often as any other (news outlets aside); None when there is none."""
    counts: dict[str, int] = {}
    first: dict[str, Found] = {}
    for f in entities:
        if f.cls == ORGANIZATION and "outlet" not in f.rule:
            counts[f.name] = counts.get(f.name, 0) + 1
            first.setdefault(f.name, f)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] < 3 or len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return first[ranked[0][0]]


def _title_facts(
    kind: str, person: Found, org: Found, title: str
) -> Iterator[tuple[str, Found, Found]]:
    """(predicate, subject, object) for what a title of ``kind`` at ``org`` says."""
    if kind == LEADER and org.cls in (ORGANIZATION, COUNTRY, PLACE):
        yield "kg:leaderOf", person, org
        if org.cls == ORGANIZATION and is_employed_leader(title):
            yield "schema:worksFor", person, org
    elif kind == WORKS and org.cls == ORGANIZATION:
        yield "schema:worksFor", person, org
        if is_party(org.name):
            yield "schema:memberOf", person, org
    elif kind == MEMBER and org.cls == ORGANIZATION:
        yield "schema:memberOf", person, org
    elif kind == FOUNDER and org.cls == ORGANIZATION:
        yield "schema:founder", org, person
    if (
        org.rule == "demonym"
        and not (kind == LEADER and leads_place(title))
        or kind == MEMBER
        and org.cls in (COUNTRY, PLACE)
    ):
        # "British designer X" comes from the UK, "England winger Y" from England
        yield "schema:homeLocation", person, org


def extract_doc(doc: Doc, article: Article) -> Extraction:
    """Every mention and relation of one parsed article."""
    gaz = gazetteer()
    entities = find_entities(doc, gaz)
    mentions = [_mention(doc, f) for f in entities]
    relations: list[Relation] = []
    for rel, introduced in title_relations(doc, entities):
        relations.append(rel)
        if introduced is not None:
            mentions.append(_mention(doc, introduced))
    introduced: list[Found] = []
    relations.extend(find_relations(doc, entities, gaz, article.date_published, introduced))
    mentions.extend(_mention(doc, f) for f in introduced)
    mentions.extend(metadata_mentions(article))
    return Extraction(article, tuple(mentions), tuple(relations))


def metadata_mentions(article: Article) -> list[Mention]:
    """The publisher, authors and cited outlets that the article's metadata names."""
    found = []
    if article.publisher:
        found.append(Mention(article.publisher, ORGANIZATION, -1, -1, rule="metadata:publisher"))
    found.extend(Mention(a, PERSON, -1, -1, rule="metadata:author") for a in article.authors)
    found.extend(Mention(c, ORGANIZATION, -1, -1, rule="metadata:cited") for c in article.cited)
    return found


#: spaCy's memory grows with the tokens it parses at once (the parser and the
#: tagger precompute features for every token of a batch): a batch holds at most
#: this many words, and an article longer than PIECE_WORDS is parsed in pieces
#: cut after a line break (where kg_paragraphs starts a sentence anyway) and
#: joined back into one Doc. A 4,400-word article parsed whole costs 80 MB more.
BATCH_WORDS = 4000
PIECE_WORDS = 800
_LINE_END = re.compile(r"(?<=\n)(?=[^\n])")


def pieces(text: str, limit: int | None = None) -> list[str]:
    """``text`` cut after line breaks into pieces of at most ``limit`` words (default
    :data:`PIECE_WORDS`; a longer paragraph is one piece); joined, they give ``text``."""
    limit = PIECE_WORDS if limit is None else limit
    if len(text.split()) <= limit:
        return [text]
    out: list[str] = []
    current: list[str] = []
    words = 0
    for line in _LINE_END.split(text):
        n = len(line.split())
        if current and words + n > limit:
            out.append("".join(current))
            current, words = [], 0
        current.append(line)
        words += n
    if current:
        out.append("".join(current))
    return out


def parse(nlp: Language, articles: Iterable[Article]) -> Iterator[tuple[Doc, Article]]:
    """Each article's Doc, in order, parsed at most :data:`BATCH_WORDS` words at a time."""
    held: list[Doc] = []
    for batch in _by_words(_pieces_of(articles), BATCH_WORDS):
        for doc, (article, last) in nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
            held.append(doc)
            if last:
                yield (held[0] if len(held) == 1 else _join(held, article)), article
                held = []


def _join(docs: list[Doc], article: Article) -> Doc:
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    assert doc.text == article.text, "pieces must join to the article's text"
    return doc


def _pieces_of(articles: Iterable[Article]) -> Iterator[tuple[str, tuple[Article, bool]]]:
    for article in articles:
        parts = pieces(article.text)
        for i, part in enumerate(parts):
            yield part, (article, i == len(parts) - 1)


def _by_words(
    items: Iterable[tuple[str, tuple[Article, bool]]], budget: int
) -> Iterator[list[tuple[str, tuple[Article, bool]]]]:
    batch: list[tuple[str, tuple[Article, bool]]] = []
    words = 0
    for item in items:
        n = len(item[0].split())
        if batch and words + n > budget:
            yield batch
            batch, words = [], 0
        batch.append(item)
        words += n
    if batch:
        yield batch


def _extract(doc: Doc, article: Article, relations_model: str | None) -> Extraction:
    """The rules' records, then (with ``relations_model``) the trained model's proposals
    between the same mentions: kg.nlp.relmodel.apply."""
    ex = extract_doc(doc, article)
    if not relations_model:
        return ex
    from kg.nlp.relmodel.apply import relation_model, with_model

    return with_model(doc, ex, relation_model(relations_model), gazetteer())


def extract_articles(articles: Iterable[Article], settings: Settings) -> Iterator[Extraction]:
    """Run the spaCy pipeline over articles (streamed, in input order) and extract records.

    With ``settings.jobs > 1`` the articles are shared among worker processes
    in small batches; results come back in input order, so output is
    identical to one process.
    """
    if settings.jobs <= 1:
        nlp = build_nlp(settings.model)
        for doc, article in parse(nlp, articles):
            yield _extract(doc, article, settings.relations_model)
        return
    build_nlp(settings.model)  # load once before forking: workers share the pages
    if settings.relations_model:
        from kg.nlp.relmodel.apply import relation_model

        relation_model(settings.relations_model)  # a bad folder fails here, once
    context = multiprocessing.get_context("fork")
    args = (settings.model, settings.relations_model)
    with context.Pool(settings.jobs, initializer=_init_worker, initargs=args) as pool:
        for batch in pool.imap(_extract_batch, _batches(articles, _BATCH)):
            yield from batch


_BATCH = 8
_worker_model: str | None = None
_worker_relations: str | None = None


def _init_worker(model: str, relations_model: str | None = None) -> None:
    global _worker_model, _worker_relations
    _worker_model, _worker_relations = model, relations_model
    # The parent alone answers Ctrl-C (and ends the pool); a worker whose parent
    # was killed ends at once, silently, instead of printing BrokenPipe tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # how the pool ends its workers
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass


def _extract_batch(batch: list[Article]) -> list[Extraction]:
    assert _worker_model is not None
    return extract_batch(batch, _worker_model, _worker_relations)


def extract_batch(
    articles: list[Article], model: str, relations_model: str | None = None
) -> list[Extraction]:
    """The records of a few articles, parsed together (the pipeline is loaded once per
    process: :func:`kg.nlp.build_nlp` keeps it)."""
    nlp = build_nlp(model)
    return [_extract(doc, a, relations_model) for doc, a in parse(nlp, articles)]


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
