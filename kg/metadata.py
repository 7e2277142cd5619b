"""Article metadata for ingest: dates, datelines, bylines, headlines, credits; text → Article."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil import parser as date_parser

from kg.clean import TextRules, join_broken_lines, split_furniture, strip_tags, text_rules
from kg.records import Article

_ELLIPSIS = ("...", "…")
_CLOSERS = "\"'”’)]»"
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
# Every date the rules read has a four-digit year: a cheap test first.
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_DATELINE_MAX_WORDS = 14


def parse_date(text: str) -> date | None:
    """The first calendar date written in ``text`` ("3 May, 2023", "Jun 17, 2023", "2023-05-03")."""
    match = text_rules().date.search(text) if _YEAR.search(text) else None
    return to_date(match["date"]) if match else None


def to_date(text: str) -> date | None:
    """A date written with day, month and year; None when it cannot be read."""
    # The pattern demands day, month and year, and the fixed default means
    # a gap could never be filled from today's date anyway.
    try:
        return date_parser.parse(text, default=datetime(2000, 1, 1)).date()
    except (ValueError, OverflowError):
        return None


def parse_dateline(line: str) -> tuple[str | None, date] | None:
    """Read a line that is only a date, or "Name, Date" / "Name Date" (a publisher's dateline).

    Returns (name or None, date), or None when the line is anything else.
    """
    if len(line.split()) > _DATELINE_MAX_WORDS or not _YEAR.search(line):
        return None
    rules = text_rules()
    match = rules.date.search(line)
    if match is None or line[match.end() :].strip(" \t.,;|)]-–—"):
        return None
    when = to_date(match["date"])
    if when is None:
        return None
    prefix = line[: match.start()].strip(" \t,;:|-–—").strip()
    if not prefix or prefix.lower() in rules.date_labels:
        return None, when
    return (prefix, when) if _masthead_like(prefix) else None


def parse_byline(line: str) -> tuple[str, ...]:
    """Person names from a byline ("By A, B, and C", "Articles by: A and B"); () if none."""
    return _byline(line) or ()


def _byline(line: str) -> tuple[str, ...] | None:
    """Names of a byline; None when the line is not a byline at all."""
    rules = text_rules()
    match = rules.byline.match(strip_tags(line).strip())
    if match is None:
        return None
    names = rules.date.sub(" ", match["names"])
    names = re.split(r"\s+[|–—]\s+", names, maxsplit=1)[0].strip(" \t.,;:")
    pieces = [p for p in _NAME_SPLIT.split(names) if p]
    if not pieces or not all(_name_like(p, rules) for p in pieces):
        return None
    return tuple(p for p in pieces if _person_like(p, rules))


def _name_like(text: str, rules: TextRules) -> bool:
    tokens = text.split()
    if not 1 <= len(tokens) <= 6 or tokens[0].lower() in rules.particles:
        return False
    return all(t[0].isupper() or t.lower() in rules.particles for t in tokens)


def person_like(text: str) -> bool:
    """Whether ``text`` reads as a person's name (2-5 capitalised words, no "Staff")."""
    return _person_like(text, text_rules())


def _person_like(text: str, rules: TextRules) -> bool:
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or any(t.lower() in rules.not_person for t in tokens):
        return False
    # An acronym beside ordinary words is an outlet ("BBC News"), unless
    # the whole byline is in capitals.
    caps = [t.isupper() and len(t.strip(".")) > 1 for t in tokens]
    return all(caps) or not any(caps)


def _title_like(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= text_rules().title_max_words or not any(c.isalpha() for c in line):
        return False
    line = line.rstrip(_CLOSERS)
    return line.endswith(_ELLIPSIS) or not line.endswith((".", ",", ";", ":"))


def _masthead_like(line: str) -> bool:
    rules = text_rules()
    words = line.split()
    if not 1 <= len(words) <= rules.masthead_max_words or line[-1] in ".,;:!?":
        return False
    if not (words[0][0].isupper() and (words[-1][0].isupper() or words[-1][0].isdigit())):
        return False  # "Talks on" is not a name
    return all(w[0].isupper() or w[0].isdigit() or w in rules.connectors for w in words)


def fold(text: str) -> str:
    """Text for comparison: white space collapsed, case folded."""
    return " ".join(text.split()).casefold()


def unique_names(items: Iterable[str], exclude: Iterable[str | None] = ()) -> tuple[str, ...]:
    """Names in order, each once (compared folded), leaving out those in ``exclude``."""
    seen = {fold(x) for x in exclude if x}
    out: list[str] = []
    for item in items:
        if fold(item) not in seen:
            seen.add(fold(item))
            out.append(item)
    return tuple(out)


def cited_in(line: str) -> str | None:
    """The outlet a credit line names ("Our thanks to X for this article")."""
    rules = text_rules()
    lower = line.lower()
    if len(lower) != len(line):
        return None  # rare letters whose lower case is longer; spans would not line up
    for pattern in rules.cited:
        match = pattern.search(lower)
        if match:
            name = line[match.start("name") : match.end("name")].strip(" \t.,;:")
            if name and name[0].isupper() and len(name.split()) <= rules.cited_max_words:
                return name
    return None


@dataclass(slots=True)
class _Header:
    headline: str | None = None
    published: date | None = None
    masthead: str | None = None
    dateline_names: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    drop: set[int] = field(default_factory=set)


def _read_header(lines: Sequence[str]) -> _Header:
    """Headline, masthead, date lines and bylines among the leading lines."""
    head = _Header()
    masthead: int | None = None
    for i, line in enumerate(lines[: text_rules().header_lines]):
        dateline = parse_dateline(line)
        if dateline is not None:
            name, when = dateline
            head.published = head.published or when
            if name:
                head.dateline_names.append(name)
            head.drop.add(i)
            continue
        names = _byline(line)
        if names is not None:
            head.authors.extend(names)
            head.published = head.published or parse_date(line)
            head.drop.add(i)
            continue
        if head.headline is not None:
            if fold(line) == fold(head.headline):
                head.drop.add(i)  # the headline repeated by the page
            elif not _title_like(line):
                break  # the body has begun
            continue
        if not _title_like(line):
            break
        if masthead is None and _masthead_like(line):
            masthead = i  # the outlet's name, if a headline follows
            continue
        head.headline = line
        head.drop.add(i)
        if masthead is not None:
            head.masthead = lines[masthead]
            head.drop.add(masthead)
    if head.headline is None and masthead is not None:
        head.headline = lines[masthead]
        head.drop.add(masthead)
    return head


def content_hash(text: str) -> str:
    """SHA-256 of the raw document, so that an unchanged article can be skipped."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_text(raw: str, identifier: str, source: str) -> Article:
    """An Article from plain text: furniture dropped, metadata read, broken lines joined."""
    kept, furniture = split_furniture(raw.splitlines())
    head = _read_header(kept)
    cited: list[str] = []
    authors = list(head.authors)
    for line in furniture:
        name = cited_in(line)
        if name:
            cited.append(name)
        authors.extend(parse_byline(line))
    publisher = head.masthead or (head.dateline_names[0] if head.dateline_names else None)
    body = [line for i, line in enumerate(kept) if i not in head.drop]
    return Article(
        identifier=identifier,
        text="\n\n".join(join_broken_lines(body)),
        source=source,
        headline=head.headline,
        date_published=head.published,
        publisher=publisher,
        authors=unique_names(authors),
        cited=unique_names([*head.dateline_names, *cited], exclude=[publisher]),
        content_hash=content_hash(raw),
    )
