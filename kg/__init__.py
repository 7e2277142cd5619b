"""kg: turn news articles into an RDF knowledge graph.

The API (:mod:`kg.api`) is re-exported here lazily: ``import kg`` loads
neither spaCy, rdflib nor pyoxigraph; the first call does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Extracted",
    "extract_files",
    "extract_texts",
    "ingest_files",
    "open_store",
    "run_query",
]

if TYPE_CHECKING:
    from kg.api import (
        Extracted,
        extract_files,
        extract_texts,
        ingest_files,
        open_store,
        run_query,
    )


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kg import api

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
