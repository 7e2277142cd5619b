"""The KgError family: every error a user can cause, with where to look."""

from __future__ import annotations

import re

_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?)?")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+")


def printable(text: str) -> str:
    """``text`` without terminal escapes or control characters (each run becomes a space):
    what a server or a file says never moves the cursor or retitles the terminal."""
    return _UNPRINTABLE.sub(" ", _ESCAPE_SEQUENCE.sub(" ", text))


class KgError(Exception):
    """Base class for errors that are the user's to fix (no traceback shown)."""

    exit_code = 1


class InputError(KgError):
    """An input file or stream that cannot be read as an article."""

    exit_code = 1

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class ShapesError(KgError):
    """The SHACL shapes or the ontology cannot be loaded."""

    exit_code = 3


class NonConformingError(KgError):
    """A graph does not conform to the shapes."""

    exit_code = 3


class StoreError(KgError):
    """The embedded store or a remote endpoint failed."""

    exit_code = 4


class QueryError(KgError):
    """A SPARQL query is malformed or not allowed."""

    exit_code = 2


class ConfigError(KgError):
    """A setting that cannot work (a spaCy pipeline that is not installed, say)."""

    exit_code = 2
