"""kg.query: typed --param values, binding any variable, saved names, Markdown and tables."""

from __future__ import annotations

import pytest

from kg.errors import QueryError
from kg.params import bind_params, parse_value
from kg.query import XSD, QueryResult, Term, render_result, saved_query, table


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("0.8", Term("literal", "0.8", XSD + "decimal")),
        ("42", Term("literal", "42", XSD + "integer")),
        ("-3", Term("literal", "-3", XSD + "integer")),
        ("1e3", Term("literal", "1e3", XSD + "double")),
        ("true", Term("literal", "true", XSD + "boolean")),
        ("2020-01-19", Term("literal", "2020-01-19", XSD + "date")),
        (
            "2020-01-19T10:00:08+08:00",
            Term("literal", "2020-01-19T10:00:08+08:00", XSD + "dateTime"),
        ),
        ('"Tokio"@DE', Term("literal", "Tokio", lang="de")),
        ('"2020"^^xsd:gYear', Term("literal", "2020", XSD + "gYear")),
        ('"0.8"', Term("literal", "0.8")),
        ("Fumio Kishida", Term("literal", "Fumio Kishida")),
        ("schema:Person", Term("uri", "https://schema.org/Person")),
        ("<https://example.org/x>", Term("uri", "https://example.org/x")),
        ("nope:x", Term("literal", "nope:x")),
    ],
)
def test_values_are_typed(text: str, term: Term) -> None:
    assert parse_value(text) == term


def test_unknown_datatype_is_an_error() -> None:
    with pytest.raises(QueryError, match="unknown datatype 'foo:bar'"):
        parse_value('"1"^^foo:bar')


def test_values_go_to_the_top_of_the_where_group() -> None:
    params = {"min": parse_value("0.8")}
    q = 'SELECT ?s # a { comment\nWHERE { ?s kg:confidence ?c . FILTER(?c >= ?min && ?s != "}") }'
    bound = bind_params(q, params)
    head = "SELECT ?s # a { comment\nWHERE {\n  VALUES (?min) { "
    assert bound.startswith(head)
    assert bound.endswith(' ?s kg:confidence ?c . FILTER(?c >= ?min && ?s != "}") }')
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert bind_params(construct, {"s": Term("uri", "urn:x")}) == (
        "CONSTRUCT { ?s ?p ?o } WHERE {\n  VALUES (?s) { (<urn:x>) }\n ?s ?p ?o }"
    )
    ask = "ASK { ?s <urn:p> ?o }"
    assert bind_params(ask, {"o": Term("literal", "a")}).startswith(
        'ASK {\n  VALUES (?o) { ("a") }'
    )


def test_a_variable_the_query_lacks_is_refused() -> None:
    with pytest.raises(QueryError, match=r"^--param ent: the query has no \?ent$"):
        bind_params("SELECT ?entity WHERE { ?entity ?p ?o }", {"ent": Term("literal", "x")})


def test_saved_query_names_ignore_case() -> None:
    assert saved_query("Who-Leads-What").name == "who-leads-what"


def test_markdown_escapes_pipes() -> None:
    result = QueryResult(
        variables=("a", "b"),
        rows=({"a": Term("literal", "x | y"), "b": Term("uri", "https://schema.org/Person")},),
    )
    assert render_result(result, "markdown").decode() == (
        "| a | b |\n| --- | --- |\n| x \\| y | schema:Person |\n"
    )


def test_table_wraps_long_cells_to_the_width() -> None:
    words = "one two three four five six seven eight nine ten eleven twelve"
    text = table(["name", "evidence"], [["Kishida", words]], width=40)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 40
    assert lines[0].split() == ["name", "evidence"]
    column = lines[1].index(" -") + 1
    assert lines[2].startswith("Kishida")
    assert " ".join(line[column:].strip() for line in lines[2:]) == words
    # without a width, one line per row as before
    assert len(table(["name", "evidence"], [["Kishida", words]]).splitlines()) == 3
