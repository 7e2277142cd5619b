"""SHACL shapes: one conforming and one violating snippet for every shape."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from kg import resources
from kg.errors import InputError
from kg.validate import ValidationReport, validate, validate_files

KGSH = "https://w3id.org/kg-populator/shapes#"

PREFIXES = """\
@prefix kg: <https://w3id.org/kg-populator/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
"""

# One conforming entity of each class (two people, two organisations) and an
# article, shared by every snippet so that each snippet adds only the
# triples under test. ex:idea is deliberately untyped: not an entity.
BASE = """\
ex:kishida a schema:Person ; rdfs:label "Fumio Kishida" ; skos:altLabel "Kishida" .
ex:biden a schema:Person ; rdfs:label "Joe Biden" .
ex:nato a schema:Organization ; rdfs:label "NATO" .
ex:nikkei a schema:Organization ; rdfs:label "Nikkei Asia" .
ex:japan a schema:Country ; rdfs:label "Japan" .
ex:tokyo a schema:Place ; rdfs:label "Tokyo" .
ex:summit a schema:Event ; rdfs:label "Vilnius summit" .
ex:itpp a kg:Agreement ; rdfs:label "Individually Tailored Partnership Program" ;
    skos:altLabel "ITPP" .
ex:a1 a schema:NewsArticle ; schema:identifier "a1.txt" .
"""

STATEMENT = {
    "a": "kg:Statement",
    "rdf:subject": "ex:nato",
    "rdf:predicate": "kg:hasOfficeIn",
    "rdf:object": "ex:tokyo",
    "prov:wasDerivedFrom": "ex:a1",
    "kg:evidence": '"NATO is planning to open a liaison office in Tokyo."',
    "kg:confidence": "0.8",
    "kg:modality": "kg:Planned",
}

ARTICLE = {
    "a": "schema:NewsArticle",
    "schema:identifier": '"a2.txt"',
}


def node(subject: str, base: dict[str, str], **changes: str | None) -> str:
    """Turtle for ``subject`` with ``base``'s properties, changed by ``changes``.

    Keys use ``__`` for ``:`` (``kg__confidence``); ``None`` drops a property.
    """
    props = dict(base)
    for key, value in changes.items():
        name = key.replace("__", ":")
        if value is None:
            props.pop(name, None)
        else:
            props[name] = value
    body = " ;\n    ".join(f"{p} {o}" for p, o in props.items())
    return f"{subject} {body} .\n"


def statement(**changes: str | None) -> str:
    return node("ex:s1", STATEMENT, **changes)


def article(**changes: str | None) -> str:
    return node("ex:a2", ARTICLE, **changes)


@dataclass(frozen=True)
class Case:
    shape: str  # local name under kgsh:
    ok: bool  # conforming (True) or violating (False)
    turtle: str
    # Shapes the violating snippet must break (exactly these); default {shape}.
    breaks: tuple[str, ...] = ()


def ok(shape: str, turtle: str) -> Case:
    return Case(shape, True, turtle)


def bad(shape: str, turtle: str, *breaks: str) -> Case:
    return Case(shape, False, turtle, breaks)


CASES: list[Case] = [
    # (a) entities
    ok("Entity", 'ex:x a schema:Person ; rdfs:label "Fumio Kishida" .'),
    bad("Entity", '[] a schema:Person ; rdfs:label "Fumio Kishida" .'),
    ok("Entity-label", 'ex:x a schema:Country ; rdfs:label "Japan"@en .'),
    ok("Entity-label", 'ex:x a schema:Organization, schema:Place ; rdfs:label "Diet" .'),
    bad("Entity-label", 'ex:x a schema:Person ; rdfs:label "Fumio Kishida", "Kishida" .'),
    # every target class: a node of it without a label breaks the label rule
    *(
        bad("Entity-label", f"ex:x a {cls} .")
        for cls in ("schema:Person", "schema:Organization", "schema:Country")
        + ("schema:Place", "schema:Event", "kg:Agreement")
    ),
    bad("Entity-label", 'ex:x a kg:Agreement ; rdfs:label "" .'),
    bad("Entity-label", "ex:x a schema:Country ; rdfs:label ex:japan ."),
    ok("Entity-altLabel", 'ex:x a schema:Place ; rdfs:label "Tokyo" ; skos:altLabel "Edo" .'),
    bad("Entity-altLabel", 'ex:x a schema:Place ; rdfs:label "Tokyo" ; skos:altLabel ex:edo .'),
    bad("Entity-altLabel", 'ex:x a schema:Place ; rdfs:label "Tokyo" ; skos:altLabel "" .'),
    # (b) relations: domain (node shape) and range (-object / -value)
    ok("leaderOf", "ex:kishida kg:leaderOf ex:japan ."),  # a Country is a Place
    bad("leaderOf", "ex:nato kg:leaderOf ex:nikkei ."),
    ok("leaderOf-object", "ex:kishida kg:leaderOf ex:nato, ex:tokyo ."),
    bad("leaderOf-object", "ex:kishida kg:leaderOf ex:summit ."),
    ok("jobTitle", 'ex:kishida schema:jobTitle "Prime Minister" .'),
    bad("jobTitle", 'ex:nato schema:jobTitle "Prime Minister" .'),
    ok("jobTitle-value", 'ex:kishida schema:jobTitle "Premier ministre"@fr .'),
    bad("jobTitle-value", "ex:kishida schema:jobTitle 42 ."),
    bad("jobTitle-value", 'ex:kishida schema:jobTitle "" .'),
    ok("memberOf", "ex:japan schema:memberOf ex:nato . ex:kishida schema:memberOf ex:nato ."),
    bad("memberOf", "ex:tokyo schema:memberOf ex:nato ."),  # a Place is not a Country
    ok("memberOf-object", "ex:nikkei schema:memberOf ex:nato ."),
    bad("memberOf-object", "ex:japan schema:memberOf ex:japan ."),
    ok("worksFor", "ex:biden schema:worksFor ex:nato ."),
    bad("worksFor", "ex:nikkei schema:worksFor ex:nato ."),
    ok("worksFor-object", "ex:kishida schema:worksFor ex:nikkei ."),
    bad("worksFor-object", "ex:kishida schema:worksFor ex:biden ."),
    ok("parentOrganization", "ex:nikkei schema:parentOrganization ex:nato ."),
    bad("parentOrganization", "ex:kishida schema:parentOrganization ex:nato ."),
    ok("parentOrganization-object", "ex:nato schema:parentOrganization ex:nikkei ."),
    bad("parentOrganization-object", "ex:nikkei schema:parentOrganization ex:japan ."),
    ok("founder", "ex:nikkei schema:founder ex:kishida ."),
    bad("founder", "ex:summit schema:founder ex:kishida ."),
    ok("founder-object", "ex:nikkei schema:founder ex:nato ."),
    bad("founder-object", "ex:nikkei schema:founder ex:japan ."),
    ok("partnerOf", "ex:japan kg:partnerOf ex:nato ."),
    bad("partnerOf", "ex:kishida kg:partnerOf ex:nato ."),
    ok("partnerOf-object", "ex:nato kg:partnerOf ex:japan, ex:nikkei ."),
    bad("partnerOf-object", "ex:nato kg:partnerOf ex:tokyo ."),
    ok("partyTo", "ex:japan kg:partyTo ex:itpp . ex:nato kg:partyTo ex:itpp ."),
    bad("partyTo", "ex:kishida kg:partyTo ex:itpp ."),
    ok("partyTo-object", "ex:nato kg:partyTo ex:itpp ."),
    bad("partyTo-object", "ex:nato kg:partyTo ex:summit ."),
    ok("hasOfficeIn", "ex:nato kg:hasOfficeIn ex:tokyo ."),
    bad("hasOfficeIn", "ex:kishida kg:hasOfficeIn ex:tokyo ."),
    ok("hasOfficeIn-object", "ex:nato kg:hasOfficeIn ex:japan ."),  # a Country is a Place
    bad("hasOfficeIn-object", "ex:nato kg:hasOfficeIn ex:nikkei ."),
    ok("visited", "ex:kishida kg:visited ex:tokyo ."),
    bad("visited", "ex:nato kg:visited ex:tokyo ."),
    ok("visited-object", "ex:biden kg:visited ex:japan ."),  # a Country is a Place
    bad("visited-object", "ex:biden kg:visited ex:summit ."),
    ok("metWith", "ex:japan kg:metWith ex:biden . ex:nato kg:metWith ex:kishida ."),
    bad("metWith", "ex:summit kg:metWith ex:biden ."),
    ok("metWith-object", "ex:kishida kg:metWith ex:biden, ex:nato, ex:japan ."),
    bad("metWith-object", "ex:kishida kg:metWith ex:tokyo ."),  # a Place is not a Country
    ok("opposes", "ex:japan kg:opposes ex:itpp ."),
    bad("opposes", "ex:tokyo kg:opposes ex:kishida ."),
    ok("opposes-object", "ex:kishida kg:opposes ex:summit, ex:japan, ex:tokyo, ex:itpp ."),
    bad("opposes-object", "ex:kishida kg:opposes ex:idea ."),
    ok("location", "ex:summit schema:location ex:tokyo . ex:nato schema:location ex:japan ."),
    bad("location", "ex:kishida schema:location ex:tokyo ."),
    ok("location-object", "ex:summit schema:location ex:japan ."),  # a Country is a Place
    bad("location-object", "ex:summit schema:location ex:nato ."),
    ok("containedInPlace", "ex:tokyo schema:containedInPlace ex:japan ."),
    bad("containedInPlace", "ex:nato schema:containedInPlace ex:japan ."),
    ok("containedInPlace-object", "ex:japan schema:containedInPlace ex:tokyo ."),
    bad("containedInPlace-object", "ex:tokyo schema:containedInPlace ex:summit ."),
    ok("attendee", "ex:summit schema:attendee ex:kishida ."),
    bad("attendee", "ex:nato schema:attendee ex:kishida ."),
    ok("attendee-object", "ex:summit schema:attendee ex:nato, ex:japan ."),
    bad("attendee-object", "ex:summit schema:attendee ex:tokyo ."),
    ok("homeLocation", "ex:biden schema:homeLocation ex:tokyo ."),
    bad("homeLocation", "ex:nato schema:homeLocation ex:tokyo ."),
    ok("homeLocation-object", "ex:biden schema:homeLocation ex:japan ."),
    bad("homeLocation-object", "ex:biden schema:homeLocation ex:kishida ."),
    ok("killed", "ex:nato kg:killed ex:biden . ex:kishida kg:killed ex:biden ."),
    bad("killed", "ex:japan kg:killed ex:biden ."),
    ok("killed-object", "ex:kishida kg:killed ex:biden ."),
    bad("killed-object", "ex:kishida kg:killed ex:nato ."),
    ok("startDate", 'ex:summit schema:startDate "2023-07-11"^^xsd:date .'),
    bad("startDate", 'ex:kishida schema:startDate "2023-07-11"^^xsd:date .'),
    ok("startDate-value", 'ex:summit schema:startDate "2023-07"^^xsd:gYearMonth .'),
    ok("startDate-value", 'ex:summit schema:startDate "2023"^^xsd:gYear .'),
    bad("startDate-value", 'ex:summit schema:startDate "July 2023" .'),
    bad("startDate-value", 'ex:summit schema:startDate "2023-13-45"^^xsd:date .'),
    ok("endDate", 'ex:summit schema:endDate "2023-07-12"^^xsd:date .'),
    bad("endDate", 'ex:tokyo schema:endDate "2023-07-12"^^xsd:date .'),
    ok("endDate-value", 'ex:summit schema:endDate "2024"^^xsd:gYear .'),
    bad("endDate-value", 'ex:summit schema:endDate "2023-07-12T18:00:00"^^xsd:dateTime .'),
    # (c) statements
    ok("Statement", statement()),
    bad(
        "Statement",
        "ex:s1 a kg:Statement .",
        "Statement-subject",
        "Statement-predicate",
        "Statement-object",
        "Statement-derivedFrom",
        "Statement-evidence",
        "Statement-confidence",
        "Statement-modality",
    ),
    ok("Statement-subject", statement(rdf__subject="ex:japan")),
    bad("Statement-subject", statement(rdf__subject='"NATO"')),
    bad("Statement-subject", statement(rdf__subject="ex:nato, ex:japan")),
    ok("Statement-predicate", statement(rdf__predicate="schema:location")),
    bad("Statement-predicate", statement(rdf__predicate='"hasOfficeIn"')),
    bad("Statement-predicate", statement(rdf__predicate="kg:hasOfficeIn, schema:location")),
    ok("Statement-object", statement(rdf__object='"Prime Minister"')),
    bad("Statement-object", statement(rdf__object="ex:tokyo, ex:japan")),
    bad("Statement-object", statement(rdf__object=None)),
    ok("Statement-derivedFrom", statement(prov__wasDerivedFrom="ex:a1, ex:a2") + article()),
    bad("Statement-derivedFrom", statement(prov__wasDerivedFrom="ex:idea")),
    bad("Statement-derivedFrom", statement(prov__wasDerivedFrom=None)),
    ok("Statement-evidence", statement(kg__evidence='"NATO  will open an office."')),
    bad("Statement-evidence", statement(kg__evidence='""')),
    bad("Statement-evidence", statement(kg__evidence='"One.", "Two."')),
    bad("Statement-evidence", statement(kg__evidence='"NATO will open an office."@en')),
    ok("Statement-confidence", statement(kg__confidence="1.0")),
    ok("Statement-confidence", statement(kg__confidence="0.0")),
    bad("Statement-confidence", statement(kg__confidence="1.5")),
    bad("Statement-confidence", statement(kg__confidence="-0.1")),
    bad("Statement-confidence", statement(kg__confidence="0.8e0")),  # an xsd:double
    bad("Statement-confidence", statement(kg__confidence="0.8, 0.9")),
    bad("Statement-confidence", statement(kg__confidence=None)),
    ok("Statement-modality", statement(kg__modality="kg:Negated")),
    bad("Statement-modality", statement(kg__modality="kg:Maybe")),
    bad("Statement-modality", statement(kg__modality="kg:Asserted, kg:Reported")),
    ok("Statement-attributedTo", statement(kg__attributedTo="ex:nikkei")),
    bad("Statement-attributedTo", statement(kg__attributedTo='"Nikkei Asia"')),
    bad("Statement-attributedTo", statement(kg__attributedTo="ex:nikkei, ex:kishida")),
    ok("Statement-rule", statement(kg__rule='"office-in"')),
    bad("Statement-rule", statement(kg__rule="3")),
    bad("Statement-rule", statement(kg__rule='""')),
    # (d) articles
    ok("NewsArticle", article()),
    bad("NewsArticle", '[] a schema:NewsArticle ; schema:identifier "a2.txt" .'),
    ok("NewsArticle-identifier", article(schema__identifier='"https://example.org/news/1"')),
    bad("NewsArticle-identifier", article(schema__identifier=None)),
    bad("NewsArticle-identifier", article(schema__identifier='"a.txt", "b.txt"')),
    bad("NewsArticle-identifier", article(schema__identifier="ex:a2")),
    bad("NewsArticle-identifier", article(schema__identifier='""')),
    ok("NewsArticle-headline", article(schema__headline='"NATO to open Tokyo office"')),
    bad("NewsArticle-headline", article(schema__headline='"One", "Two"')),
    bad("NewsArticle-headline", article(schema__headline="42")),
    bad("NewsArticle-headline", article(schema__headline='""')),
    ok("NewsArticle-datePublished", article(schema__datePublished='"2023-05-03"^^xsd:date')),
    bad("NewsArticle-datePublished", article(schema__datePublished='"2023-05-03"')),
    bad(
        "NewsArticle-datePublished",
        article(schema__datePublished='"2023-05-03"^^xsd:date, "2023-05-04"^^xsd:date'),
    ),
    ok("NewsArticle-contentHash", article(kg__contentHash=f'"{"0a" * 32}"')),
    bad("NewsArticle-contentHash", article(kg__contentHash='"aa", "bb"')),
    bad("NewsArticle-contentHash", article(kg__contentHash='""')),
    bad("NewsArticle-contentHash", article(kg__contentHash="42")),
    ok("NewsArticle-publisher", article(schema__publisher="ex:nikkei")),
    bad("NewsArticle-publisher", article(schema__publisher='"Nikkei Asia"')),
    ok("NewsArticle-author", article(schema__author="ex:biden")),
    bad("NewsArticle-author", article(schema__author='"Joe Biden"')),
    ok("NewsArticle-citation", article(schema__citation="ex:nikkei")),
    bad("NewsArticle-citation", article(schema__citation='"Nikkei"')),
    ok("NewsArticle-mentions", article(schema__mentions="ex:nato, ex:japan")),
    bad("NewsArticle-mentions", article(schema__mentions='"NATO"')),
]


def params(conforming: bool) -> list[object]:
    """The cases of one kind, with stable ids: ``leaderOf-ok``, ``leaderOf-bad-2``."""
    seen: dict[str, int] = {}
    out: list[object] = []
    for case in CASES:
        if case.ok is not conforming:
            continue
        seen[case.shape] = seen.get(case.shape, 0) + 1
        n = seen[case.shape]
        suffix = f"-{n}" if n > 1 else ""
        out.append(pytest.param(case, id=f"{case.shape}-{'ok' if conforming else 'bad'}{suffix}"))
    return out


def check(turtle: str) -> ValidationReport:
    graph = Graph().parse(data=PREFIXES + BASE + turtle, format="turtle")
    return validate(graph)


def broken_shapes(report: ValidationReport) -> set[str]:
    return {
        str(shape).removeprefix(KGSH)
        for result in report.graph.subjects(RDF.type, SH.ValidationResult)
        for shape in report.graph.objects(result, SH.sourceShape)
    }


def test_base_conforms() -> None:
    report = check("")
    assert report.conforms, report.text
    assert report.violations == 0


@pytest.mark.parametrize("case", params(conforming=True))
def test_conforming(case: Case) -> None:
    report = check(case.turtle)
    assert report.conforms, report.text


@pytest.mark.parametrize("case", params(conforming=False))
def test_violating(case: Case) -> None:
    report = check(case.turtle)
    assert not report.conforms
    assert report.violations >= 1
    assert broken_shapes(report) == set(case.breaks or (case.shape,)), report.text


@pytest.mark.parametrize("case", params(conforming=False))
def test_violation_message_is_the_shapes(case: Case) -> None:
    report = check(case.turtle)
    shapes = resources.shapes_graph()
    for result in report.graph.subjects(RDF.type, SH.ValidationResult):
        shape = report.graph.value(result, SH.sourceShape)
        assert report.graph.value(result, SH.resultMessage) == shapes.value(shape, SH.message)


def all_shapes(shapes: Graph) -> set[URIRef]:
    """Every top-level shape: typed as a shape, targeting nodes, or used via sh:property."""
    found = set(shapes.subjects(RDF.type, SH.NodeShape))
    found |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    found |= set(shapes.objects(None, SH.property))
    for target in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        found |= set(shapes.subjects(target, None))
    return found


def test_every_shape_has_a_conforming_and_a_violating_case() -> None:
    shapes = all_shapes(resources.shapes_graph())
    assert all(isinstance(shape, URIRef) and shape.startswith(KGSH) for shape in shapes), (
        "every shape must be a named kgsh: IRI, so that reports and tests can name it"
    )
    names = {str(shape).removeprefix(KGSH) for shape in shapes}
    with_ok = {c.shape for c in CASES if c.ok}
    with_bad = {c.shape for c in CASES if not c.ok}
    assert names - with_ok == set(), "shapes without a conforming case"
    assert names - with_bad == set(), "shapes without a violating case"
    assert (with_ok | with_bad) - names == set(), "cases for shapes that do not exist"


def test_every_shape_has_a_name_and_a_message() -> None:
    graph = resources.shapes_graph()
    for shape in all_shapes(graph):
        assert str(graph.value(shape, SH.name) or "").strip(), f"{shape} has no sh:name"
        assert str(graph.value(shape, SH.message) or "").strip(), f"{shape} has no sh:message"


# validate() and validate_files()


def test_validate_leaves_the_data_graph_alone() -> None:
    graph = Graph().parse(data=PREFIXES + BASE, format="turtle")
    before = set(graph)
    validate(graph)
    assert set(graph) == before


def test_violations_counts_results() -> None:
    report = check("ex:nato kg:visited ex:summit .")  # wrong subject and object
    assert report.violations == 2
    assert "kg:visited" in report.text


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_files_merges_turtle_ntriples_and_nquads(tmp_path: Path) -> None:
    ttl = write(tmp_path / "a.ttl", PREFIXES + BASE)
    nt = write(
        tmp_path / "b.nt",
        "<https://example.org/kishida> <https://w3id.org/kg-populator/ontology#visited> "
        "<https://example.org/japan> .\n",
    )
    nq = write(
        tmp_path / "c.nq",
        "<https://example.org/nato> <https://w3id.org/kg-populator/ontology#hasOfficeIn> "
        "<https://example.org/tokyo> <https://example.org/graph> .\n",
    )
    assert validate_files([ttl, nt, nq]).conforms
    # the N-Quads triple counts: without the Turtle, its subject has no type
    assert validate_files([nq]).conforms is False


def test_validate_files_reports_the_line_of_a_turtle_error(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.ttl", PREFIXES + "ex:a ex:b ex:c .\nex:a ex:b .\n")
    with pytest.raises(InputError) as caught:
        validate_files([path])
    message = str(caught.value)
    assert message.startswith(f"{path}: line 10: cannot parse as turtle")
    assert "\n" not in message


def test_validate_files_reports_the_line_of_an_ntriples_error(tmp_path: Path) -> None:
    path = write(
        tmp_path / "bad.nt", "<http://a> <http://b> <http://c> .\n\n<http://a> <http://b> .\n"
    )
    with pytest.raises(InputError) as caught:
        validate_files([path])
    assert str(caught.value).startswith(f"{path}: line 3: cannot parse as nt")
    assert "\n" not in str(caught.value)


def test_validate_files_rejects_missing_and_unknown_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        validate_files([tmp_path / "missing.ttl"])
    with pytest.raises(InputError, match="unknown RDF format '.xml'"):
        validate_files([write(tmp_path / "x.xml", "<rdf/>")])
