"""Ingest stage: files, directories, stdin and HTML pages → Article records with cleaned text.

The text rules live in kg.clean (furniture, broken lines) and kg.metadata
(dates, bylines, headlines; ``parse_text``); their public functions are
re-exported here.
"""

from __future__ import annotations

import codecs
import errno
import fnmatch
import html
import logging
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from kg.clean import is_furniture, join_broken_lines, split_furniture, strip_tags
from kg.errors import InputError
from kg.metadata import (
    cited_in,
    content_hash,
    fold,
    parse_byline,
    parse_date,
    parse_dateline,
    parse_text,
    to_date,
    unique_names,
)
from kg.records import Article

__all__ = [
    "ARTICLE_SUFFIXES",
    "HTML_SUFFIXES",
    "MAX_BYTES",
    "STDIN",
    "STDIN_IDENTIFIER",
    "article_from_bytes",
    "decode_text",
    "display_name",
    "is_article_name",
    "is_furniture",
    "join_broken_lines",
    "parse_byline",
    "parse_date",
    "parse_dateline",
    "parse_html",
    "parse_text",
    "read_inputs",
    "split_long_paragraphs",
    "split_furniture",
    "strip_tags",
]

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
STDIN = "-"
STDIN_IDENTIFIER = "stdin"
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
#: Files of a folder read as articles (unless --glob says otherwise); a file
#: named on the command line is read whatever its name.
ARTICLE_SUFFIXES = frozenset({".txt", ".text", ""}) | HTML_SUFFIXES
#: Names of files that come with a corpus but are not articles (any suffix).
_NOT_ARTICLES = re.compile(
    r"(readme|licen[cs]e|copying|notice|changelog|changes|authors|contributing|manifest)"
    r"([._-].*)?",
    re.IGNORECASE,
)
#: A paragraph longer than this is cut at sentence ends: spaCy refuses texts
#: over a million characters, and kg parses long articles in pieces cut at line
#: breaks, whose memory follows the longest line (news paragraphs are far
#: shorter than this).
MAX_PARAGRAPH = 10_000
_NOT_REGULAR = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SAMPLE_CHARS = 65536  # how much of a text the character-share tests look at
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
# HTML pages


def _html_to_text(raw: str) -> str:
    text = _HTML_BLOCK.sub("\n", _HTML_DROP.sub(" ", raw))
    return html.unescape(_HTML_TAG.sub("", text))


def parse_html(raw: str, identifier: str, source: str) -> Article:
    """An Article from an HTML page.

    Metadata comes first from the page itself (its JSON-LD, meta tags and
    byline: :mod:`kg.page`), then from trafilatura; the body is trafilatura's
    main text, or the JSON-LD ``articleBody`` when that is much longer (the
    extractor kept only a caption). A body very short for its page is
    reported with a warning.
    """
    import trafilatura  # slow to import; only HTML needs it

    from kg.page import classify_names, page_rules, read_page

    page = read_page(raw)
    rules = page_rules()
    doc = trafilatura.bare_extraction(
        raw,
        with_metadata=True,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (doc.text or "") if doc is not None else ""
    if page.body and len(page.body.split()) >= rules.jsonld_body_ratio * len(text.split()):
        text = page.body
    title = page.headline or ((doc.title or "").strip() if doc is not None else "")
    if title and text.strip():
        kept, furniture = split_furniture(text.splitlines())
        if kept and fold(kept[0]) == fold(title):
            kept = kept[1:]
        cited = [name for name in map(cited_in, furniture) if name]
        article = Article(
            identifier=identifier,
            text="\n\n".join(join_broken_lines(kept)),
            source=source,
            headline=title,
            cited=unique_names(cited),
        )
    else:
        article = parse_text(text if text.strip() else _html_to_text(raw), identifier, source)
    publisher = page.publisher or (doc.sitename or "").strip() if doc is not None else None
    publisher = page.publisher or publisher or article.publisher
    authors, sources = list(page.authors), list(page.sources)
    if not page.has_byline and doc is not None and doc.author:
        people, outlets = classify_names(doc.author.split(";"), [publisher or ""])
        authors, sources = people, outlets
    meta: dict[str, Any] = {
        "content_hash": content_hash(raw),
        "headline": page.headline or article.headline,
        "publisher": publisher or None,
        "authors": unique_names(authors or article.authors),
        "cited": unique_names([*article.cited, *sources], exclude=[publisher]),
    }
    when = page.date_published or (to_date(doc.date[:10]) if doc is not None and doc.date else None)
    meta["date_published"] = when or article.date_published
    url = page.url or (doc.url if doc is not None else None)
    if url:
        # An HTML page is its canonical URL, wherever the copy was read from.
        meta["url"] = meta["identifier"] = url
    article = replace(article, **meta)
    _warn_if_short(article, raw, source)
    return article


def _warn_if_short(article: Article, raw: str, source: str) -> None:
    from kg.page import page_rules

    rules = page_rules()
    body = len(article.text.split())
    if not body or body >= rules.short_words:
        return
    page = len(_html_to_text(raw).split())
    if page >= rules.page_ratio * body:
        logger.warning(
            "%s: only %d words of article text in a page of %d words; "
            "the extractor may have missed the body",
            source,
            body,
            page,
        )


# --------------------------------------------------------------------------
# Readers


def _looks_like_text(text: str) -> bool:
    sample = text[:_SAMPLE_CHARS]
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
        sample = text[:_SAMPLE_CHARS]
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
    text = split_long_paragraphs(decode_text(data, source))
    identifier = identifier or Path(source).name
    html_page = _is_html(text, source)
    article = (parse_html if html_page else parse_text)(text, identifier, source)
    if not article.text.strip():
        what = "HTML page" if html_page else "file"
        raise InputError(source, f"no article text in {what} (only a headline or page furniture)")
    return article


_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+")


def _cut(paragraph: str, limit: int) -> Iterator[str]:
    while len(paragraph) > limit:
        window = paragraph[:limit]
        ends = [m.end() for m in _SENTENCE_END.finditer(window, limit // 2)]
        at = ends[-1] if ends else (window.rfind(" ", limit // 2) + 1 or limit)
        yield paragraph[:at].rstrip()
        paragraph = paragraph[at:]
    yield paragraph


def split_long_paragraphs(text: str, limit: int = MAX_PARAGRAPH) -> str:
    """``text`` with every line longer than ``limit`` characters cut into lines at
    sentence ends (else at a space, else anywhere): a line break is white space, so
    the sentences stay as written."""
    if len(text) <= limit or all(len(line) <= limit for line in text.split("\n")):
        return text
    return "\n".join(
        "\n".join(_cut(line, limit)) if len(line) > limit else line for line in text.split("\n")
    )


def display_name(path: str) -> str:
    """A file name fit for messages and identifiers: bytes that are not UTF-8 (kept by
    Python as lone surrogates) become U+FFFD, control characters ``?``."""
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _CONTROL.sub("?", text.replace("\n", "?").replace("\r", "?").replace("\t", "?"))


def is_article_name(name: str, globs: Sequence[str] = ()) -> bool:
    """Whether a file of a folder is read as an article: by ``globs`` if any match
    its name, else text and HTML files that are not a README, licence or the like."""
    if name.startswith("."):
        return False
    if globs:
        return any(fnmatch.fnmatch(name, g) for g in globs)
    if _NOT_ARTICLES.fullmatch(name):
        return False
    return Path(name).suffix.lower() in ARTICLE_SUFFIXES


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


def _article_or_error(
    data: bytes, source: str, identifier: str | None = None
) -> Article | InputError:
    """``article_from_bytes``, with its InputError returned into the stream rather than raised."""
    try:
        return article_from_bytes(data, source, identifier)
    except InputError as exc:
        return exc


def _read_file(
    path: Path, source: str, max_bytes: int, identifier: str | None = None
) -> Article | InputError:
    """Read one file; ``source`` (for messages) and ``identifier`` are printable."""
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return InputError(source, _os_problem(exc))
    if len(data) > max_bytes:
        return _too_large(source, len(data), max_bytes)
    return _article_or_error(data, source, identifier or display_name(path.name))


def _read_stdin(max_bytes: int) -> Article | InputError:
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read(max_bytes + 1) if stream is not None else sys.stdin.read().encode()
    if len(data) > max_bytes:
        return _too_large(STDIN_IDENTIFIER, len(data), max_bytes)
    if not data:
        return InputError(STDIN_IDENTIFIER, "empty input")
    return _article_or_error(data, STDIN_IDENTIFIER, STDIN_IDENTIFIER)


def _read_path(
    path: Path,
    max_bytes: int,
    seen: set[tuple[int, int]],
    globs: Sequence[str],
    named: bool,
    root: Path | None = None,
) -> Iterator[Article | InputError]:
    source = display_name(str(path))
    try:
        info = path.stat()
    except OSError as exc:
        problem = _os_problem(exc)
        if isinstance(exc, FileNotFoundError) and path.is_symlink():
            problem = "broken symbolic link"
        yield InputError(source, problem)
        return
    if not stat.S_ISDIR(info.st_mode):
        kind = next((what for test, what in _NOT_REGULAR if test(info.st_mode)), None)
        if kind is not None and not named:
            # Reading a FIFO in a folder would wait for a writer for ever.
            yield InputError(source, f"not a regular file ({kind}); skipped")
        elif stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            yield _too_large(source, info.st_size, max_bytes)
        else:
            # An article's identifier is its path under the folder given (its name
            # when the file itself was given), so a/001.txt and b/001.txt differ.
            identifier = path.relative_to(root).as_posix() if root is not None else path.name
            yield _read_file(path, source, max_bytes, display_name(identifier))
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
    skipped: list[str] = []
    for child in children:
        try:
            is_dir = child.is_dir()
        except OSError:
            is_dir = False
        if is_dir and child.name.startswith("."):
            continue  # hidden folders (.git, .kg-store): not even a note
        if is_dir or is_article_name(child.name, globs):
            yield from _read_path(child, max_bytes, seen, globs, named=False, root=root or path)
        else:
            skipped.append(display_name(child.name))
    if skipped:
        more = f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        shown = ", ".join(skipped[:3]) + more
        logger.warning(
            "%s: skipped %d file(s) that are not articles (%s); --glob PATTERN chooses the files",
            source,
            len(skipped),
            shown,
        )


def read_inputs(
    inputs: Sequence[str], *, max_bytes: int = MAX_BYTES, globs: Sequence[str] = ()
) -> Iterator[Article | InputError]:
    """Articles from files, directories (recursive, sorted), ``-`` (stdin) and URLs
    that fsspec reads (``https://``, ``s3://``, ``file://``; globs allowed).

    A file named in ``inputs`` is read whatever it is (a FIFO too). In a
    folder, only article files are read (:func:`is_article_name`; ``globs``,
    if given, choose instead), hidden files never, and FIFOs, devices and
    sockets give an error. A bad document gives an ``InputError`` in the
    stream, not an exception, so that the caller can report it and go on.
    """
    for given in inputs:
        if given == STDIN:
            yield _read_stdin(max_bytes)
        elif _URL.match(given):
            yield from _read_urls(given, max_bytes)
        else:
            yield from _read_path(Path(given), max_bytes, set(), globs, named=True)


_URL = re.compile(r"[a-z][a-z0-9+.-]+://")


def _read_urls(url: str, max_bytes: int) -> Iterator[Article | InputError]:
    """The documents a URL names (a glob names several: ``s3://bucket/news/*.txt``),
    read with fsspec (which comes with kg's ``cluster`` extra); each one's identifier
    is its URL."""
    try:
        import fsspec
    except ImportError:
        yield InputError(url, "reading URLs needs fsspec: pip install 'kg-populator[cluster]'")
        return
    try:
        files = fsspec.open_files(url, "rb")
    except (ValueError, ImportError, OSError) as exc:  # unknown protocol, missing driver
        yield InputError(url, " ".join(str(exc).split()) or type(exc).__name__)
        return
    if not files:
        yield InputError(url, "no such file or directory")
    for item in files:
        name = item.fs.unstrip_protocol(item.path)
        try:
            with item as fh:
                data = fh.read(max_bytes + 1)
        except OSError as exc:
            yield InputError(name, _os_problem(exc))
            continue
        if len(data) > max_bytes:
            yield _too_large(name, len(data), max_bytes)
        else:
            yield _article_or_error(data, name, name)
