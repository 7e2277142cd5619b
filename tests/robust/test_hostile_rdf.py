"""Hostile RDF for `kg validate` and `kg load`: huge literals, deep nesting (issue 16)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from kg.cli import cli
from kg.validate import _parse_file, validate_files

ARTICLE = "https://w3id.org/kg-populator/id/article/a"
HEADLINE = "https://schema.org/headline"


@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_a_5_mb_literal_validates_in_linear_time(tmp_path: Path, suffix: str) -> None:
    # Escapes are what made rdflib's parsers quadratic: 83 s for 5 MB before.
    value = "word \\n " * 625_000
    path = tmp_path / f"big{suffix}"
    path.write_text(f'<{ARTICLE}> <{HEADLINE}> "{value}" .\n', encoding="utf-8")
    started = time.monotonic()
    graph = Graph()
    _parse_file(path, graph)
    assert time.monotonic() - started < 15
    (literal,) = graph.objects(URIRef(ARTICLE), URIRef(HEADLINE))
    assert literal == Literal("word \n " * 625_000)


def test_turtle_nested_10000_deep_validates_as_it_loads(tmp_path: Path) -> None:
    depth = 10_000
    path = tmp_path / "deep.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:p "
        + "[ ex:p " * depth
        + "ex:z"
        + " ]" * depth
        + " .\n"
    )
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert (result.exit_code, result.stderr) == (0, "1 file(s) conform to the shapes\n")
    store = tmp_path / "store"
    loaded = CliRunner().invoke(cli, ["load", str(path), "--store", str(store)])
    assert loaded.exit_code == 0, loaded.stderr
    assert loaded.stderr.endswith(f"{depth + 1} triples loaded into {store}\n")


def test_files_are_merged_with_their_own_blank_nodes(tmp_path: Path) -> None:
    one, two = tmp_path / "one.nt", tmp_path / "two.nt"
    one.write_text('_:b <http://example.org/p> "1" .\n')
    two.write_text('_:b <http://example.org/p> "2" .\n')
    graph = Graph()
    _parse_file(one, graph)
    _parse_file(two, graph)
    assert len(set(graph.subjects())) == 2  # _:b of one file is not _:b of the other
    assert validate_files([one, two]).conforms


def test_a_literal_over_the_parser_limit_fails_its_file_only(tmp_path: Path) -> None:
    big, ok = tmp_path / "big.nt", tmp_path / "ok.nt"
    big.write_text(f'<{ARTICLE}> <{HEADLINE}> "{"x" * 17_000_000}" .\n')
    ok.write_text('<http://example.org/b> <http://example.org/p> "ok" .\n')
    store = tmp_path / "store"
    result = CliRunner().invoke(cli, ["load", str(big), str(ok), "--store", str(store)])
    problem = (
        f"Error: {big}: a term (literal or IRI) is longer than the parser's limit "
        "(Reached the buffer maximal size of 16777216)\n"
    )
    assert result.exit_code == 1
    assert result.stderr == problem + f"kg: {ok}: 1 graphs, 1 triples loaded into {store}\n"
    checked = CliRunner().invoke(cli, ["validate", str(big)])
    assert (checked.exit_code, checked.stderr) == (1, problem)
