"""The kg vocabulary: the KG namespace, contract classes, relations and prefixes."""

from __future__ import annotations

from typing import Final

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.prefixes import KG_NS
from kg.prefixes import PREFIXES as _PREFIXES

__all__ = [
    "CLASS_IRIS",
    "KG",
    "MODALITY_IRIS",
    "PREFIXES",
    "RELATIONS",
    "SCHEMA",
    "SYMMETRIC",
    "bind_prefixes",
]


class KG(DefinedNamespace):
    """The kg-populator ontology (ontology/kg.ttl).

    Every term here is declared in the ontology and the other way round
    (tests/unit/test_vocab.py checks both directions); an unknown name such
    as ``KG.bogus`` raises AttributeError.
    """

    _fail = True
    _NS = Namespace(KG_NS)

    # owl:Class
    Agreement: URIRef  # A treaty, partnership programme, accord or deal.
    Modality: URIRef  # How the text holds a relation (five individuals below).
    Statement: URIRef  # A reified relation with its provenance (subclass of rdf:Statement).

    # kg:Modality individuals
    Asserted: URIRef  # Stated as fact; the plain triple is also written.
    Negated: URIRef  # Denied; the plain triple is never written.
    Past: URIRef  # Held once, no longer ("former"); the plain triple is never written.
    Planned: URIRef  # Planned or intended; the plain triple is never written.
    Reported: URIRef  # Attributed to a source; the plain triple is also written.

    # owl:ObjectProperty between entities
    hasOfficeIn: URIRef  # Organization -> Place: has or opens an office there.
    killed: URIRef  # Person or Organization -> Person: killed, assassinated.
    leaderOf: URIRef  # Person -> Organization or Place: heads it.
    metWith: URIRef  # Person/Organization/Country, symmetric: met or held talks with.
    opposes: URIRef  # Person/Organization/Country -> any entity: opposes, criticises.
    partnerOf: URIRef  # Organization/Country, symmetric: partners with.
    partyTo: URIRef  # Organization/Country -> Agreement: is a party to, signs.
    visited: URIRef  # Person -> Place: travelled there.

    # properties of statements
    attributedTo: URIRef  # Statement -> who the text says it comes from.
    confidence: URIRef  # Statement -> xsd:decimal in [0, 1].
    evidence: URIRef  # Statement -> the source sentence, verbatim.
    modality: URIRef  # Statement -> kg:Asserted | kg:Reported | kg:Planned | kg:Negated | kg:Past.
    rule: URIRef  # Statement -> name of the extraction rule that produced it.

    # properties of articles
    contentHash: URIRef  # NewsArticle -> SHA-256 hex digest of its cleaned text.


# A plain Namespace (not rdflib's SDO DefinedNamespace) so that it is a str
# like the other namespaces: SCHEMA.Person, SCHEMA["jobTitle"], iri.startswith(SCHEMA).
SCHEMA: Final = Namespace("https://schema.org/")

# The prefixes of CONTRACT.md (kg.prefixes: plain strings, no rdflib).
PREFIXES: Final[dict[str, str]] = dict(_PREFIXES)

# Contract classes by the short names used in kg.records.
CLASS_IRIS: Final[dict[str, URIRef]] = {
    "Person": SCHEMA.Person,
    "Organization": SCHEMA.Organization,
    "Country": SCHEMA.Country,
    "Place": SCHEMA.Place,
    "Event": SCHEMA.Event,
    "Agreement": KG.Agreement,
}

# kg.records.Modality values to their individuals.
MODALITY_IRIS: Final[dict[str, URIRef]] = {
    "Asserted": KG.Asserted,
    "Reported": KG.Reported,
    "Planned": KG.Planned,
    "Negated": KG.Negated,
    "Past": KG.Past,
}

# The entity-to-entity relations of CONTRACT.md: property -> (domain, range),
# as short class names. "Place" also admits a Country (schema:Country is a
# subclass of schema:Place); "any" admits every contract class.
RELATIONS: Final[dict[URIRef, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    KG.leaderOf: (("Person",), ("Organization", "Place")),
    SCHEMA.memberOf: (("Person", "Organization", "Country"), ("Organization",)),
    SCHEMA.worksFor: (("Person",), ("Organization",)),
    SCHEMA.parentOrganization: (("Organization",), ("Organization",)),
    SCHEMA.founder: (("Organization",), ("Person", "Organization")),
    KG.partnerOf: (("Organization", "Country"), ("Organization", "Country")),
    KG.partyTo: (("Organization", "Country"), ("Agreement",)),
    KG.hasOfficeIn: (("Organization",), ("Place",)),
    KG.visited: (("Person",), ("Place",)),
    KG.metWith: (
        ("Person", "Organization", "Country"),
        ("Person", "Organization", "Country"),
    ),
    KG.opposes: (("Person", "Organization", "Country"), ("any",)),
    SCHEMA.location: (("Event", "Organization"), ("Place",)),
    SCHEMA.containedInPlace: (("Place",), ("Place",)),
    SCHEMA.attendee: (("Event",), ("Person", "Organization", "Country")),
    SCHEMA.homeLocation: (("Person",), ("Place",)),
    KG.killed: (("Person", "Organization"), ("Person",)),
}

# Relations that hold both ways round (owl:SymmetricProperty in the ontology).
SYMMETRIC: Final[frozenset[URIRef]] = frozenset({KG.partnerOf, KG.metWith})


def bind_prefixes(graph: Graph) -> None:
    """Bind the contract's prefixes (and only those) on ``graph``.

    Works on a graph made with ``Graph(bind_namespaces="none")``; on any other
    graph it rebinds these prefixes but leaves rdflib's other defaults alone.
    """
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
