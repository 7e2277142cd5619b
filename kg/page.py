"""Ingest stage for HTML pages: headline, date, authors, publisher from the page's own JSON-LD,
meta tags and byline (rules in kg/_data/page.toml); kg.ingest falls back to trafilatura.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from kg.clean import text_rules
from kg.metadata import fold, person_like, to_date, unique_names
from kg.resources import data_path

__all__ = ["PageMeta", "PageRules", "classify_names", "clean_title", "page_rules", "read_page"]

_ISO_DATE = re.compile(r"\s*(\d{4})-(\d\d)-(\d\d)")
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/?$", re.I)
_PAREN = re.compile(r"\s*\([^)]*\)")
_SEPARATOR = re.compile(r"\s*(\||\s[-–—]\s|::|·)\s*")
_BY = re.compile(r"^\W*(?:by|written by|author|authors)\s*:?\s+", re.I)
_SPLIT_NAMES = re.compile(r"\s*(?:,|;|&|\band\b|\bwith\b)\s*")
_ELLIPSIS = ("...", "…")
_BYLINE = re.compile(r"(?:^|\s)(?:By|Author:)\s+([^\d|•·]{3,80})")


@dataclass(frozen=True, slots=True)
class PageRules:
    """kg/_data/page.toml, read once."""

    article_types: frozenset[str]
    organization_types: frozenset[str]
    meta_headline: tuple[str, ...]
    meta_published: tuple[str, ...]
    meta_authors: tuple[str, ...]
    meta_publisher: tuple[str, ...]
    outlets: frozenset[str]
    short_words: int
    page_ratio: float
    jsonld_body_ratio: float


@cache
def page_rules() -> PageRules:
    """The page rules, read on first use."""
    data: dict[str, Any] = tomllib.loads(data_path("page.toml").read_text(encoding="utf-8"))
    meta, body = data["meta"], data["body"]
    return PageRules(
        article_types=frozenset(data["jsonld"]["article_types"]),
        organization_types=frozenset(data["jsonld"]["organization_types"]),
        meta_headline=tuple(meta["headline"]),
        meta_published=tuple(meta["published"]),
        meta_authors=tuple(meta["authors"]),
        meta_publisher=tuple(meta["publisher"]),
        outlets=frozenset(fold(n) for n in data["outlets"]["names"]),
        short_words=int(body["short_words"]),
        page_ratio=float(body["page_ratio"]),
        jsonld_body_ratio=float(body["jsonld_body_ratio"]),
    )


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What a page says about itself. ``authors`` are people only; outlets named as
    authors (a wire service) are ``sources``; ``has_byline`` is True when the page
    named its authors at all, so that a fallback does not invent one."""

    headline: str | None = None
    date_published: date | None = None
    authors: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    has_byline: bool = False
    publisher: str | None = None
    url: str | None = None
    body: str | None = None


def _text(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or ""
    return " ".join(html.unescape(str(value)).split())


def _types(node: dict[str, Any]) -> set[str]:
    kinds = node.get("@type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {str(k).rsplit("/", 1)[-1] for k in kinds}


def _nodes(value: object) -> Iterator[dict[str, Any]]:
    """Every JSON-LD node with a type, depth first (``@graph`` and lists included)."""
    if isinstance(value, list):
        for item in value:
            yield from _nodes(item)
    elif isinstance(value, dict):
        if "@type" in value:
            yield value
        for key, item in value.items():
            if key != "@type" and isinstance(item, list | dict):
                yield from _nodes(item)


def _is_article(node: dict[str, Any], rules: PageRules) -> bool:
    return any(t in rules.article_types or t.endswith("Article") for t in _types(node))


def _iso_or_text_date(text: str) -> date | None:
    """The page's own calendar date: the date part of an ISO timestamp as written (in
    the page's time zone, not converted), else any date dateutil reads."""
    match = _ISO_DATE.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return to_date(text) if text.strip() else None


def is_outlet(name: str, known: Iterable[str] = ()) -> bool:
    """Whether a name in a byline is an outlet or wire service rather than a person."""
    folded = fold(name)
    rules = page_rules()
    if folded in rules.outlets or folded in {fold(k) for k in known if k}:
        return True
    if _DOMAIN.match(name.strip()) or "www." in folded:
        return True
    return any(t.lower().strip(".") in text_rules().not_person for t in name.split())


def classify_names(
    values: Iterable[str], known_outlets: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """Bylines ("By A and B", "Rob Picheta, CNN") → (people, outlets)."""
    people: list[str] = []
    outlets: list[str] = []
    known = list(known_outlets)
    for value in values:
        value = _PAREN.sub("", _BY.sub("", " ".join(value.split())))
        for piece in _SPLIT_NAMES.split(value):
            piece = piece.strip(" \t.,;:|")
            if not piece:
                continue
            if is_outlet(piece, known):
                outlets.append(piece)
            elif person_like(piece):
                people.append(piece)
    return people, outlets


def clean_title(text: str, site_names: Iterable[str] = ()) -> str:
    """A page title without its trailing site name, section or date ("… | DW | 19.01.2020")."""
    parts = _SEPARATOR.split(" ".join(text.split()))
    sites = {fold(s) for s in site_names if s}
    while len(parts) >= 3:
        sep, last = parts[-2].strip(), parts[-1]
        words = last.split()
        droppable = (
            fold(last) in sites
            or _iso_or_text_date(last) is not None
            or _DOMAIN.match(last) is not None
            or (sep in ("|", "::", "·") and len(words) <= 4)
        )
        if not droppable:
            break
        parts = parts[:-2]
    return "".join(parts).strip()


def _attr(el: Any, name: str) -> str:
    return " ".join((el.get(name) or "").split())


def _element_text(el: Any) -> str:
    return " ".join(" ".join(el.itertext()).split())


class _Page:
    """A parsed page: its JSON-LD nodes, meta tags, title and h1 elements."""

    def __init__(self, raw: str) -> None:
        import lxml.html  # trafilatura's own parser, imported only for HTML

        parser = lxml.html.HTMLParser(encoding="utf-8")
        self.doc = lxml.html.fromstring(raw.encode("utf-8", "replace"), parser=parser)
        self.rules = page_rules()
        self.nodes: list[dict[str, Any]] = []
        for script in self.doc.iter("script"):
            if _attr(script, "type").lower() == "application/ld+json" and script.text:
                try:
                    self.nodes.extend(_nodes(json.loads(script.text, strict=False)))
                except ValueError:
                    continue
        articles = [n for n in self.nodes if _is_article(n, self.rules)]
        self.article = next((n for n in articles if n.get("headline")), None) or (
            articles[0] if articles else {}
        )
        self.meta: dict[str, list[str]] = {}
        for el in self.doc.iter("meta"):
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
            content = " ".join(html.unescape(el.get("content") or "").split())
            if key and content:
                self.meta.setdefault(key.strip(), []).append(content)
        title = self.doc.find(".//title")
        self.title = _element_text(title) if title is not None else ""

    def first_meta(self, keys: Iterable[str]) -> str | None:
        for key in keys:
            if self.meta.get(key):
                return self.meta[key][0]
        return None

    def organisations(self) -> list[str]:
        names = [
            _text(n.get("name", ""))
            for n in self.nodes
            if _types(n) & self.rules.organization_types
        ]
        return [n for n in names if n]

    def publisher(self) -> str | None:
        candidates = [_text(self.article.get("publisher", ""))]
        candidates += [_text(n.get("publisher", "")) for n in self.nodes if "WebPage" in _types(n)]
        candidates.append(self.first_meta(self.rules.meta_publisher) or "")
        author = self.first_meta(["author"]) or ""
        if "(" in author or is_outlet(author):
            people, outlets = classify_names([author])
            if outlets and not people:
                candidates.append(_PAREN.sub("", author))
        parts = _SEPARATOR.split(self.title)
        segments = [p for p in parts[2::2] if p and _iso_or_text_date(p) is None]
        if segments and len(segments[-1].split()) <= 5:
            candidates.append(segments[-1])
        names = [c.strip() for c in candidates if c and c.strip()]
        return next((n for n in names if not _DOMAIN.match(n)), names[0] if names else None)

    def headline(self, sites: list[str]) -> str | None:
        h1s = [_element_text(h) for h in self.doc.iter("h1")]
        h1s = [h for h in h1s if len(h.split()) >= 2]
        marked = [
            _element_text(h)
            for h in self.doc.iter("h1")
            if _attr(h, "itemprop") == "headline" or "headline" in _attr(h, "class").lower()
        ]
        titles = [
            clean_title(t, sites)
            for t in (self.first_meta(self.rules.meta_headline), self.title)
            if t
        ]
        in_title = [h for h in h1s if any(fold(h) in fold(t) for t in titles)]
        candidates = [_text(self.article.get("headline", "")), *marked, *in_title, *titles]
        candidates = [c for c in candidates if len(c.split()) >= 2]
        if not candidates:
            return None
        best = candidates[0]
        if best.endswith(_ELLIPSIS):  # cut short: a longer version that starts the same
            stem = fold(best.rstrip(".… "))
            longer = [c for c in [*h1s, *titles] if fold(c).startswith(stem) and len(c) > len(stem)]
            best = longer[0] if longer else best
        return best

    def date_published(self) -> date | None:
        for value in (
            _text(self.article.get("datePublished", "")),
            self.first_meta(self.rules.meta_published) or "",
            *(_attr(t, "datetime") for t in self.doc.iter("time")),
        ):
            found = _iso_or_text_date(value) if value else None
            if found:
                return found
        return None

    def bylines(self) -> tuple[list[str], bool]:
        """Author strings and whether the page names its authorship at all."""
        author = self.article.get("author")
        if author:
            items = author if isinstance(author, list) else [author]
            names = []
            for item in items:
                if isinstance(item, dict) and _types(item) & self.rules.organization_types:
                    names.append(f"{_text(item)} (organization)")
                else:
                    names.append(_text(item))
            return names, True
        found = [v for k in self.rules.meta_authors for v in self.meta.get(k, [])][:1]
        if found and classify_names(found)[0]:
            return found, True
        for el in self.doc.iter():
            if not isinstance(el.tag, str):
                continue
            marks = f"{_attr(el, 'class')} {_attr(el, 'itemprop')} {_attr(el, 'rel')}".lower()
            if "author" in marks or "byline" in marks:
                # the names run to the first digit (a date) or bar
                match = _BYLINE.search(_element_text(el))
                if match:
                    return [match[1]], True
        if found:
            return found, True
        return [], False


def read_page(raw: str) -> PageMeta:
    """What an HTML page says about itself; an empty PageMeta when it cannot be parsed."""
    try:
        page = _Page(raw)
    except (ValueError, TypeError):  # lxml on an empty or broken document
        return PageMeta()
    publisher = page.publisher()
    sites = [s for s in (publisher, page.first_meta(["og:site_name"])) if s]
    bylines, has_byline = page.bylines()
    orgs = [b[: -len(" (organization)")] for b in bylines if b.endswith(" (organization)")]
    people, outlets = classify_names(
        [b for b in bylines if not b.endswith(" (organization)")],
        [*page.organisations(), *sites],
    )
    sources = unique_names([*orgs, *outlets], exclude=sites)
    url = _text(page.article.get("url", "")) or page.first_meta(["og:url"])
    body = _text_block(page.article.get("articleBody"))
    return PageMeta(
        headline=page.headline(sites),
        date_published=page.date_published(),
        authors=unique_names(people),
        sources=sources,
        has_byline=has_byline,
        publisher=publisher,
        url=url or None,
        body=body,
    )


def _text_block(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    paragraphs = [" ".join(p.split()) for p in html.unescape(value).split("\n")]
    return "\n\n".join(p for p in paragraphs if p)
