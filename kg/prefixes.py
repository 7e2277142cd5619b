"""The contract's prefixes as plain strings: what queries need, without rdflib.

``kg.vocab`` builds its namespaces from these; the query path (``kg query``
and the child process that runs an embedded query) imports only this.
"""

from __future__ import annotations

from typing import Final

KG_NS: Final = "https://w3id.org/kg-populator/ontology#"
SCHEMA_NS: Final = "https://schema.org/"
SKOS_NS: Final = "http://www.w3.org/2004/02/skos/core#"
PROV_NS: Final = "http://www.w3.org/ns/prov#"
RDF_NS: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS: Final = "http://www.w3.org/2000/01/rdf-schema#"
XSD_NS: Final = "http://www.w3.org/2001/XMLSchema#"
OWL_NS: Final = "http://www.w3.org/2002/07/owl#"
SH_NS: Final = "http://www.w3.org/ns/shacl#"

# The prefixes of CONTRACT.md, in the order they are bound.
PREFIXES: Final[dict[str, str]] = {
    "kg": KG_NS,
    "schema": SCHEMA_NS,
    "skos": SKOS_NS,
    "prov": PROV_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "xsd": XSD_NS,
    "owl": OWL_NS,
    "sh": SH_NS,
}
