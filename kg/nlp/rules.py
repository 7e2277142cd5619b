"""Rule data (word lists, cue lists) loaded once from kg/_data/*.toml."""

from __future__ import annotations

import functools
import tomllib
from typing import Any

from kg.resources import data_path


@functools.cache
def load_rules(name: str) -> dict[str, Any]:
    """The parsed TOML file ``kg/_data/<name>.toml`` (cached, never mutated)."""
    return tomllib.loads(data_path(f"{name}.toml").read_text(encoding="utf-8"))


@functools.cache
def word_set(name: str, *keys: str) -> frozenset[str]:
    """A frozen set of the lower-case words under ``keys`` in a rules file (built once:
    rules ask for their lists token by token)."""
    data: Any = load_rules(name)
    for key in keys:
        data = data[key]
    return frozenset(w.lower() for w in data)
