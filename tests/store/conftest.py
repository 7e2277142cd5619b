"""Store fixtures: the two-article kg file and an embedded store loaded with it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.store import Store, open_store

TWO_ARTICLES = Path(__file__).parent.parent / "data" / "store" / "two-articles.ttl"


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def loaded(store_dir: Path) -> Iterator[Store]:
    """An embedded store holding the fixture file (no ontology), open read-write."""
    with open_store(store_dir) as store:
        store.load_file(TWO_ARTICLES)
        yield store
