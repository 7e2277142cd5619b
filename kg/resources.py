"""Packaged data: the ontology, the SHACL shapes and rule data under kg/_data/.

This is the only module that reads files shipped inside the package, and it
reads them through importlib.resources so that kg works from a wheel, a zip
or a source checkout alike. In a checkout, kg/_resources/ontology and
kg/_resources/shapes are symlinks to the top-level ontology/ and shapes/
folders (the source of truth); the wheel force-includes real copies.

The graphs returned here are cached and shared: treat them as read-only
(copy before adding triples).
"""

from __future__ import annotations

import logging
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import PurePosixPath

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from kg.errors import ShapesError

__all__ = [
    "class_hierarchy",
    "data_path",
    "ontology_files",
    "ontology_graph",
    "shapes_files",
    "shapes_graph",
]

logger = logging.getLogger(__name__)


def _resource_dir(name: str) -> Traversable:
    return files("kg") / "_resources" / name


def _turtle_files(folder: str) -> list[Traversable]:
    directory = _resource_dir(folder)
    if not directory.is_dir():
        raise ShapesError(
            f"kg/_resources/{folder}: missing from the installed package; reinstall kg "
            f"(in a checkout it is a symlink to ../../{folder})"
        )
    return sorted(
        (f for f in directory.iterdir() if f.is_file() and f.name.endswith(".ttl")),
        key=lambda f: f.name,
    )


def ontology_files() -> list[Traversable]:
    """The ontology's Turtle files, sorted by name."""
    return _turtle_files("ontology")


def shapes_files() -> list[Traversable]:
    """The SHACL shapes' Turtle files, sorted by name."""
    return _turtle_files("shapes")


def _parse(resources: list[Traversable], folder: str) -> Graph:
    graph = Graph(bind_namespaces="none")
    for resource in resources:
        name = f"{folder}/{resource.name}"
        try:
            graph.parse(data=resource.read_text(encoding="utf-8"), format="turtle")
        except Exception as exc:  # rdflib raises BadSyntax, ParserError, ValueError...
            line = getattr(exc, "lines", None)
            why = getattr(exc, "_why", None) or str(exc).splitlines()[0]
            where = f"{name}:{line + 1}" if isinstance(line, int) else name
            raise ShapesError(f"{where}: cannot parse Turtle: {why}") from exc
        logger.debug("loaded %s", name)
    return graph


@cache
def ontology_graph() -> Graph:
    """The whole ontology as one graph (cached; do not modify it).

    Raises:
        ShapesError: a file cannot be parsed; the message names it.
    """
    return _parse(ontology_files(), "ontology")


@cache
def shapes_graph() -> Graph:
    """All SHACL shapes as one graph (cached; do not modify it).

    Raises:
        ShapesError: a file cannot be parsed; the message names it.
    """
    return _parse(shapes_files(), "shapes")


@cache
def class_hierarchy() -> Graph:
    """Only the ontology's named ``rdfs:subClassOf`` triples (cached; do not modify it).

    Merged into a data graph before validation, so that pySHACL counts a
    schema:Country as a schema:Place without RDFS inference.
    """
    hierarchy = Graph(bind_namespaces="none")
    for sub, sup in ontology_graph().subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            hierarchy.add((sub, RDFS.subClassOf, sup))
    return hierarchy


def data_path(name: str) -> Traversable:
    """The packaged rule-data file (or folder) ``kg/_data/<name>``.

    ``name`` is relative and may contain ``/``. Whether the file exists is
    for the caller to check (``.is_file()``).

    Raises:
        ValueError: ``name`` is absolute or climbs out of kg/_data/.
    """
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
        raise ValueError(f"not a path inside kg/_data/: {name!r}")
    resource = files("kg") / "_data"
    for part in parts:
        resource = resource / part
    return resource
