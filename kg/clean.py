"""Text cleaning for ingest: the rules of kg/_data/furniture.toml, page furniture, broken lines."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.resources import data_path

# A line that ends a sentence (closing quotes included) never runs on.
_FINAL = tuple(".!?:;\"”’'")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+[\"'“‘(]?[A-Z0-9]")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# Simple inline markup left in scraped text; the text inside is kept.
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|big|cite|code|em|font|i|ins|mark|q|s|small|span|strike|strong|"
    r"sub|sup|tt|u)(?:\s[^<>]*)?/?>|<br\s*/?>",
    re.IGNORECASE,
)


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
class TextRules:
    """The rules of furniture.toml, compiled: furniture, credits, bylines, headers, dates."""

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
def text_rules() -> TextRules:
    """The text rules, read and compiled on first use."""
    text = data_path("furniture.toml").read_text(encoding="utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    limits, furn, dates = data["limits"], data["furniture"], data["dates"]
    byline = data["byline"]
    prefixes = _alternation(byline["prefixes"])
    header = data["header"]
    return TextRules(
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
    rules = text_rules()
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
