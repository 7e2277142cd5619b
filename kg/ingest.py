"""Ingest stage: files, directories, stdin and HTML pages → Article records with cleaned text."""

from __future__ import annotations

import codecs
import errno
import hashlib
import html
import logging
import re
import stat
import sys
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from dateutil import parser as date_parser

from kg.errors import InputError
from kg.records import Article
from kg.resources import data_path

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
STDIN = "-"
STDIN_IDENTIFIER = "stdin"
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})

# A line that ends a sentence (closing quotes included) never runs on.
_FINAL = tuple(".!?:;\"”’'")
_ELLIPSIS = ("...", "…")
_CLOSERS = "\"'”’)]»"
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+[\"'“‘(]?[A-Z0-9]")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# Simple inline markup left in scraped text; the text inside is kept.
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|big|cite|code|em|font|i|ins|mark|q|s|small|span|strike|strong|"
    r"sub|sup|tt|u)(?:\s[^<>]*)?/?>|<br\s*/?>",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
# Every date the rules read has a four-digit year: a cheap test first.
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_DATELINE_MAX_WORDS = 14
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MAX_CONTROL_SHARE = 0.05
_MAX_CP1252_NON_ASCII_SHARE = 0.3
# Fallback for HTML that trafilatura cannot read: blocks become lines.
_HTML_DROP = re.compile(r"<!--.*?-->|<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_HTML_BLOCK = re.compile(
    r"<\s*/?\s*(?:p|div|br|h[1-6]|li|tr|title|article|section|header|footer|"
    r"blockquote|pre|td|th|table|nav|aside|main|body|head|html)\b[^>]*>",
    re.IGNORECASE,
)
_HTML_TAG = re.compile(r"<[^>]*>")


# --------------------------------------------------------------------------
# Rules, loaded once from kg/_data/furniture.toml


@dataclass(frozen=True, slots=True)
class _Patterns:
    """Furniture patterns: anchored with ^, or matching only where a word starts."""

    anchored: re.Pattern[str] | None
    words: tuple[re.Pattern[str], ...]

    @classmethod
    def compile(cls, patterns: Sequence[str]) -> _Patterns:
        anchored = [p for p in patterns if p.startswith("^")]
        return cls(
            re.compile(_either(anchored)) if anchored else None,
            # One by one, not as one alternation: a pattern that opens with a
            # literal is found by a fast substring scan (ten times faster).
            tuple(re.compile(p) for p in patterns if not p.startswith("^")),
        )

    def search(self, lower: str) -> bool:
        if self.anchored is not None and self.anchored.match(lower):
            return True
        for pattern in self.words:
            pos = 0
            while match := pattern.search(lower, pos):
                start = match.start()
                if start == 0 or not (lower[start].isalnum() and lower[start - 1].isalnum()):
                    return True
                pos = start + 1
        return False


@dataclass(frozen=True, slots=True)
class _Rules:
    anywhere: _Patterns
    short: _Patterns
    whole: re.Pattern[str]
    short_words: int
    button_words: frozenset[str]
    button_fillers: frozenset[str]
    button_line_words: int
    icon_min_tokens: int
    icon_min_share: float
    disclaimer_cues: tuple[str, ...]
    disclaimer_min: int
    cited: tuple[re.Pattern[str], ...]
    cited_max_words: int
    byline: re.Pattern[str]
    particles: frozenset[str]
    not_person: frozenset[str]
    header_lines: int
    title_max_words: int
    masthead_max_words: int
    connectors: frozenset[str]
    date: re.Pattern[str]
    date_labels: frozenset[str]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _either(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _date_pattern(dates: dict[str, Any]) -> re.Pattern[str]:
    """Day, month and year in the usual news forms, with an optional weekday and time."""
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    year = r"(?:1[89]|20)\d{2}"
    month = rf"(?:{_alternation(dates['months'])})\.?"
    offset = r"[+-]\d{2}:?\d{2}"
    zone = rf"(?:{_alternation(dates['time_zones'])}|{offset})"
    clock = (
        rf"(?:\s*(?:,|\bat\b|\||[-–—])?\s*\d{{1,2}}[:.]\d{{2}}(?::\d{{2}})?"
        rf"(?:\s*[ap]\.?m\.?)?(?:\s*{zone})?)"
    )
    iso = rf"{year}-\d{{1,2}}-\d{{1,2}}(?:T\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|{offset})?)?"
    weekday = rf"(?:(?:{_alternation(dates['weekdays'])})\.?,?\s+)?"
    forms = rf"{day}\s+{month},?\s+{year}|{month}\s+{day},?\s+{year}|{iso}"
    return re.compile(rf"(?<![\w-]){weekday}(?P<date>{forms}){clock}?(?![\w-])", re.IGNORECASE)


@cache
def _rules() -> _Rules:
    text = data_path("furniture.toml").read_text(encoding="utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    limits, furn, dates = data["limits"], data["furniture"], data["dates"]
    byline = data["byline"]
    prefixes = _alternation(byline["prefixes"])
    header = data["header"]
    return _Rules(
        anywhere=_Patterns.compile(furn["anywhere"]),
        short=_Patterns.compile(furn["short"]),
        whole=re.compile(_either(furn["whole"])),
        short_words=limits["short_line_words"],
        button_words=frozenset(furn["button_words"]),
        button_fillers=frozenset(furn["button_fillers"]),
        button_line_words=limits["button_line_words"],
        icon_min_tokens=limits["icon_min_tokens"],
        icon_min_share=limits["icon_min_share"],
        disclaimer_cues=tuple(furn["disclaimer_cues"]),
        disclaimer_min=limits["disclaimer_min_cues"],
        cited=tuple(re.compile(p) for p in data["cited"]["patterns"]),
        cited_max_words=data["cited"]["max_words"],
        byline=re.compile(rf"^\W*(?:{prefixes})\s*:?\s+(?P<names>.+)$", re.IGNORECASE),
        particles=frozenset(byline["particles"]),
        not_person=frozenset(byline["not_person"]),
        header_lines=header["max_lines"],
        title_max_words=header["title_max_words"],
        masthead_max_words=header["masthead_max_words"],
        connectors=frozenset(header["masthead_connectors"]),
        date=_date_pattern(dates),
        date_labels=frozenset(dates["labels"]),
    )


# --------------------------------------------------------------------------
# Pure functions over lines


def strip_tags(line: str) -> str:
    """Remove simple inline tags (``<u>``, ``<b>``, ``<a href=…>``), keeping their text."""
    return _INLINE_TAG.sub("", line) if "<" in line else line


def is_furniture(line: str) -> bool:
    """Whether a line is page furniture (buttons, prompts, notices), not article text."""
    rules = _rules()
    line = strip_tags(line).strip()
    if not line:
        return False
    if not any(c.isalnum() for c in line):
        return True  # lone symbols: "*", "—", "•"
    tokens = line.split()
    lower = line.lower()
    if len(tokens) <= rules.button_line_words:
        words = [w for w in _WORD.findall(lower) if w not in rules.button_fillers]
        if words and all(w in rules.button_words for w in words):
            return True
    if "icon" in lower:
        icons = sum("icon" in t for t in lower.split())
        if icons >= rules.icon_min_tokens and icons >= rules.icon_min_share * len(tokens):
            return True
    if rules.anywhere.search(lower) or rules.whole.fullmatch(lower):
        return True
    if len(tokens) <= rules.short_words and rules.short.search(lower):
        return True
    return sum(cue in lower for cue in rules.disclaimer_cues) >= rules.disclaimer_min


def split_furniture(lines: Iterable[str]) -> tuple[list[str], list[str]]:
    """Split lines into (kept, furniture): inline tags removed, blank lines left out."""
    kept: list[str] = []
    furniture: list[str] = []
    for raw in lines:
        line = strip_tags(raw).strip()
        if line:
            (furniture if is_furniture(line) else kept).append(line)
    return kept, furniture


def parse_date(text: str) -> date | None:
    """The first calendar date written in ``text`` ("3 May, 2023", "Jun 17, 2023", "2023-05-03")."""
    match = _rules().date.search(text) if _YEAR.search(text) else None
    return _to_date(match["date"]) if match else None


def _to_date(text: str) -> date | None:
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
    rules = _rules()
    match = rules.date.search(line)
    if match is None or line[match.end() :].strip(" \t.,;|)]-–—"):
        return None
    when = _to_date(match["date"])
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
    rules = _rules()
    match = rules.byline.match(strip_tags(line).strip())
    if match is None:
        return None
    names = rules.date.sub(" ", match["names"])
    names = re.split(r"\s+[|–—]\s+", names, maxsplit=1)[0].strip(" \t.,;:")
    pieces = [p for p in _NAME_SPLIT.split(names) if p]
    if not pieces or not all(_name_like(p, rules) for p in pieces):
        return None
    return tuple(p for p in pieces if _person_like(p, rules))


def _name_like(text: str, rules: _Rules) -> bool:
    tokens = text.split()
    if not 1 <= len(tokens) <= 6 or tokens[0].lower() in rules.particles:
        return False
    return all(t[0].isupper() or t.lower() in rules.particles for t in tokens)


def _person_like(text: str, rules: _Rules) -> bool:
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or any(t.lower() in rules.not_person for t in tokens):
        return False
    # An acronym beside ordinary words is an outlet ("BBC News"), unless
    # the whole byline is in capitals.
    caps = [t.isupper() and len(t.strip(".")) > 1 for t in tokens]
    return all(caps) or not any(caps)


def _title_like(line: str) -> bool:
    words = line.split()
    if not 1 <= len(words) <= _rules().title_max_words or not any(c.isalpha() for c in line):
        return False
    line = line.rstrip(_CLOSERS)
    return line.endswith(_ELLIPSIS) or not line.endswith((".", ",", ";", ":"))


def _masthead_like(line: str) -> bool:
    rules = _rules()
    words = line.split()
    if not 1 <= len(words) <= rules.masthead_max_words or line[-1] in ".,;:!?":
        return False
    if not (words[0][0].isupper() and (words[-1][0].isupper() or words[-1][0].isdigit())):
        return False  # "Talks on" is not a name
    return all(w[0].isupper() or w[0].isdigit() or w in rules.connectors for w in words)


def _ends_in_capitalised_word(line: str) -> bool:
    last = line.split()[-1]
    # "French", not "EATER": a line in capitals is a heading.
    return last[:1].isupper() and last.isalpha() and not last.isupper()


def _continues(prev: str, line: str) -> bool:
    """Whether ``line`` carries on the sentence that ``prev`` broke off."""
    if prev.endswith(_FINAL):
        return False
    if line[:1].islower():
        return True
    # A name broken across lines ("…However, French" / "President Emmanuel
    # Macron …"), only after running prose so that no heading is joined.
    head = line.split(maxsplit=2)[:2]
    return (
        _ends_in_capitalised_word(prev)
        and len(head) == 2
        and all(w[:1].isupper() for w in head)
        and (_SENTENCE_BREAK.search(prev) is not None or len(prev.split()) >= 20)
    )


def join_broken_lines(lines: Iterable[str]) -> list[str]:
    """Paragraphs from non-blank lines, rejoining sentences broken across lines.

    Joined lines are put together with one space, so their words stay verbatim.
    """
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and _continues(out[-1], line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _unique(items: Iterable[str], exclude: Iterable[str | None] = ()) -> tuple[str, ...]:
    seen = {_fold(x) for x in exclude if x}
    out: list[str] = []
    for item in items:
        if _fold(item) not in seen:
            seen.add(_fold(item))
            out.append(item)
    return tuple(out)


def _cited_in(line: str) -> str | None:
    """The outlet a credit line names ("Our thanks to X for this article")."""
    rules = _rules()
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
    for i, line in enumerate(lines[: _rules().header_lines]):
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
            if _fold(line) == _fold(head.headline):
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


def _content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_text(raw: str, identifier: str, source: str) -> Article:
    """An Article from plain text: furniture dropped, metadata read, broken lines joined."""
    kept, furniture = split_furniture(raw.splitlines())
    head = _read_header(kept)
    cited: list[str] = []
    authors = list(head.authors)
    for line in furniture:
        name = _cited_in(line)
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
        authors=_unique(authors),
        cited=_unique([*head.dateline_names, *cited], exclude=[publisher]),
        content_hash=_content_hash(raw),
    )


def _html_to_text(raw: str) -> str:
    text = _HTML_BLOCK.sub("\n", _HTML_DROP.sub(" ", raw))
    return html.unescape(_HTML_TAG.sub("", text))


def parse_html(raw: str, identifier: str, source: str) -> Article:
    """An Article from an HTML page: trafilatura's main text and metadata, then the text rules."""
    import trafilatura  # slow to import; only HTML needs it

    doc = trafilatura.bare_extraction(
        raw,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (doc.text or "") if doc is not None else ""
    title = (doc.title or "").strip() if doc is not None else ""
    if title and text.strip():
        kept, furniture = split_furniture(text.splitlines())
        if kept and _fold(kept[0]) == _fold(title):
            kept = kept[1:]
        cited = [name for name in map(_cited_in, furniture) if name]
        article = Article(
            identifier=identifier,
            text="\n\n".join(join_broken_lines(kept)),
            source=source,
            headline=title,
            cited=_unique(cited),
        )
    else:
        article = parse_text(text if text.strip() else _html_to_text(raw), identifier, source)
    meta: dict[str, Any] = {"content_hash": _content_hash(raw)}
    if doc is not None:
        if doc.date:
            meta["date_published"] = _to_date(doc.date[:10]) or article.date_published
        if doc.author:
            meta["authors"] = _unique(a.strip() for a in doc.author.split(";") if a.strip())
        if doc.sitename:
            meta["publisher"] = doc.sitename.strip()
        if doc.url:
            meta["url"] = doc.url
    return replace(article, **meta)


# --------------------------------------------------------------------------
# Readers


def _looks_like_text(text: str) -> bool:
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) <= _MAX_CONTROL_SHARE * len(sample)


def decode_text(data: bytes, source: str) -> str:
    """Bytes → text: UTF-8 (a BOM is dropped), else clean-looking cp1252 with a warning.

    Raises:
        InputError: empty, white space only, binary, or not UTF-8 text.
    """
    if not data:
        raise InputError(source, "empty file")
    if b"\x00" in data:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise InputError(source, "not UTF-8 text (UTF-16); convert it to UTF-8")
        raise InputError(source, "binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(source, "not UTF-8 text") from None
        sample = text[:65536]
        non_ascii = len(_NON_ASCII.findall(sample))
        if non_ascii > _MAX_CP1252_NON_ASCII_SHARE * len(sample) or not _looks_like_text(text):
            raise InputError(source, "not UTF-8 text") from None
        logger.warning("%s: not UTF-8; read as Windows-1252 (cp1252) text", source)
    if not _looks_like_text(text):
        raise InputError(source, "binary file (mostly non-text characters)")
    if not text.strip():
        raise InputError(source, "white space only")
    return text


def _is_html(text: str, source: str) -> bool:
    if Path(source).suffix.lower() in HTML_SUFFIXES:
        return True
    start = text[:1024].lower()
    return "<html" in start or "<!doctype html" in start


def article_from_bytes(data: bytes, source: str, identifier: str | None = None) -> Article:
    """Decode and parse one document (HTML or plain text).

    Raises:
        InputError: the bytes are not usable text, or no article text is left.
    """
    text = decode_text(data, source)
    identifier = identifier or Path(source).name
    html_page = _is_html(text, source)
    article = (parse_html if html_page else parse_text)(text, identifier, source)
    if not article.text.strip():
        what = "HTML page" if html_page else "file"
        raise InputError(source, f"no article text in {what} (only a headline or page furniture)")
    return article


def _too_large(source: str, size: int, max_bytes: int) -> InputError:
    return InputError(source, f"too large ({size} bytes; the limit is {max_bytes})")


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return (exc.strerror or str(exc)).lower()


def _read_file(path: Path, source: str, max_bytes: int) -> Article | InputError:
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return InputError(source, _os_problem(exc))
    if len(data) > max_bytes:
        return _too_large(source, len(data), max_bytes)
    try:
        return article_from_bytes(data, source)
    except InputError as exc:
        return exc


def _read_stdin(max_bytes: int) -> Article | InputError:
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read(max_bytes + 1) if stream is not None else sys.stdin.read().encode()
    if len(data) > max_bytes:
        return _too_large(STDIN_IDENTIFIER, len(data), max_bytes)
    if not data:
        return InputError(STDIN_IDENTIFIER, "empty input")
    try:
        return article_from_bytes(data, STDIN_IDENTIFIER, identifier=STDIN_IDENTIFIER)
    except InputError as exc:
        return exc


def _read_path(
    path: Path, source: str, max_bytes: int, seen: set[tuple[int, int]]
) -> Iterator[Article | InputError]:
    try:
        info = path.stat()
    except OSError as exc:
        problem = _os_problem(exc)
        if isinstance(exc, FileNotFoundError) and path.is_symlink():
            problem = "broken symbolic link"
        yield InputError(source, problem)
        return
    if not stat.S_ISDIR(info.st_mode):
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            yield _too_large(source, info.st_size, max_bytes)
        else:
            yield _read_file(path, source, max_bytes)
        return
    # A directory met twice (a symbolic link to itself, a parent or a
    # sibling) is read once, so a link loop cannot recurse for ever.
    key = (info.st_dev, info.st_ino)
    if key in seen or (path.is_symlink() and path.resolve() in path.parent.resolve().parents):
        logger.warning("%s: skipped, a symbolic link to a directory already read", source)
        return
    seen.add(key)
    try:
        children = sorted(path.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        yield InputError(source, _os_problem(exc))
        return
    for child in children:
        if not child.name.startswith("."):
            yield from _read_path(child, str(child), max_bytes, seen)


def read_inputs(
    inputs: Sequence[str], *, max_bytes: int = MAX_BYTES
) -> Iterator[Article | InputError]:
    """Articles from files, directories (recursive, sorted) and ``-`` (stdin).

    A bad document gives an ``InputError`` in the stream, not an exception,
    so that the caller can report it and go on with the rest.
    """
    for given in inputs:
        if given == STDIN:
            yield _read_stdin(max_bytes)
        else:
            yield from _read_path(Path(given), given, max_bytes, set())
