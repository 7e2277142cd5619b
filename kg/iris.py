"""Deterministic IRIs under the user's base: same name and type, same IRI, every run."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SLUG_MAX = 60
_CLASS_PATHS = {
    "Person": "person",
    "Organization": "org",
    "Country": "country",
    "Place": "place",
    "Event": "event",
    "Agreement": "agreement",
    "Model": "model",
}


def _digest(*parts: str, size: int = 12) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:size]


def slug(text: str) -> str:
    """An IRI-safe lower-case slug; a short hash is added when folding lost information."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    lossy = not out or len(out) > _SLUG_MAX or ascii_text != text
    out = out[:_SLUG_MAX].strip("-")
    if lossy:
        out = f"{out}-{_digest(text, size=8)}" if out else _digest(text, size=16)
    return out


def entity_iri(base: str, cls: str, key: str) -> str:
    """The IRI of an entity from its class and folded name (see kg.resolve.name_key)."""
    return f"{base}{_CLASS_PATHS[cls]}/{slug(key)}"


def article_iri(base: str, identifier: str) -> str:
    """An article's IRI, from its identifier alone (its path under the input
    root, or its URL): an edited article keeps its IRI, so its graph is replaced.

    A digest of the identifier is added when the slug loses anything (case,
    punctuation), so ``A.txt`` and ``a.txt`` stay two articles.
    """
    readable = slug(identifier)
    if readable == identifier:
        return f"{base}article/{readable}"
    return f"{base}article/{readable}-{_digest(identifier, size=8)}"


def run_iri(base: str, *parts: str) -> str:
    """The IRI of one run (a prov:Activity) from what identifies it."""
    return f"{base}run/{_digest(*parts, size=16)}"


def statement_iri(
    base: str, subject: str, predicate: str, obj: str, article: str, evidence: str
) -> str:
    """One statement per fact, article and sentence."""
    return f"{base}statement/{_digest(subject, predicate, obj, article, evidence, size=20)}"
