"""`kg load`, `kg query`, `kg stats`, `kg export` through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph

from kg.cli import cli
from kg.resources import ontology_graph

Kg = Callable[..., Result]
ONTOLOGY = len(ontology_graph())  # `kg load` (re)loads the ontology into its own graph
TWO_ARTICLES = Path(__file__).parent.parent / "data" / "store" / "two-articles.ttl"
WHO_LEADS_WHAT = [
    ["person", "title", "organization", "evidence", "article"],
    [
        "Anthony Albanese",
        "Prime Minister",
        "Australia",
        "Australian Prime Minister Anthony Albanese met Kishida on Saturday.",
        "g7-summit.txt",
    ],
    [
        "Fumio Kishida",
        "Prime Minister",
        "Japan",
        "Prime Minister Fumio Kishida hosted the G7 Hiroshima Summit.",
        "g7-summit.txt",
    ],
    [
        "Fumio Kishida",
        "Prime Minister",
        "Japan",
        "Japanese Prime Minister Fumio Kishida backs the office, according to Nikkei.",
        "nato-tokyo.txt",
    ],
    [
        "Jens Stoltenberg",
        "Secretary General",
        "NATO",
        "NATO Secretary General Jens Stoltenberg welcomed the plan.",
        "nato-tokyo.txt",
    ],
]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def kg(store: Path) -> Kg:
    """Run `kg ARGS… --store STORE` and return click's Result."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, [*args, "--store", str(store)], input=input)

    return run


@pytest.fixture
def loaded(kg: Kg) -> Kg:
    result = kg("load", str(TWO_ARTICLES))
    assert result.exit_code == 0, result.output
    return kg


def test_load_reports_and_reloads(kg: Kg, store: Path) -> None:
    first = kg("load", str(TWO_ARTICLES))
    assert first.exit_code == 0
    assert first.stdout == ""
    assert first.stderr == f"kg: {TWO_ARTICLES}: 3 graphs, 193 triples loaded into {store}\n"
    before = json.loads(kg("stats", "--format", "json").stdout)
    assert kg("load", str(TWO_ARTICLES), "-q").stderr == ""
    assert json.loads(kg("stats", "--format", "json").stdout) == before
    assert before["articles"] == 2


def test_load_from_stdin(kg: Kg) -> None:
    result = kg("load", "-", input=TWO_ARTICLES.read_text())
    assert result.exit_code == 0
    assert result.stderr.startswith("kg: -: 3 graphs, 193 triples")


def test_load_goes_on_after_a_bad_file(kg: Kg, tmp_path: Path) -> None:
    bad = tmp_path / "bad.nq"
    bad.write_text("<urn:a> <urn:b> .\n")
    result = kg(
        "load",
        str(tmp_path / "missing.ttl"),
        str(bad),
        str(TWO_ARTICLES),
        str(tmp_path / "notes.txt"),
        "-q",
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: {tmp_path / 'missing.ttl'}: cannot read (No such file or directory)"
    assert lines[1].startswith(f"Error: {bad}: cannot parse nquads: ")
    assert lines[2] == (
        f"Error: {tmp_path / 'notes.txt'}: unknown RDF format: "
        "name it .ttl, .nt, .nq or .trig, or pass --format"
    )
    assert len(lines) == 3
    assert json.loads(kg("stats", "--format", "json").stdout)["articles"] == 2


def test_stats_table(loaded: Kg) -> None:
    result = loaded("stats")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split() for line in lines[:3]] == [
        ["articles", "2"],
        ["named", "graphs", "4"],
        ["quads", str(193 + ONTOLOGY)],
    ]
    assert "statements per modality" in lines
    assert [line.split() for line in lines[-5:]] == [
        ["statements", "per", "modality"],
        ["kg:Asserted", "10"],
        ["kg:Negated", "1"],
        ["kg:Planned", "2"],
        ["kg:Reported", "1"],
    ]


def test_stats_json(loaded: Kg) -> None:
    doc = json.loads(loaded("stats", "--format", "json").stdout)
    assert doc["facts"]["kg:leaderOf"] == 3
    assert doc["statements"] == {
        "kg:Asserted": 10,
        "kg:Negated": 1,
        "kg:Planned": 2,
        "kg:Reported": 1,
    }
    assert doc["entities"]["schema:Person"] == 3


def test_query_json_by_default(loaded: Kg) -> None:
    result = loaded(
        "query", "SELECT DISTINCT ?n WHERE { ?p a schema:Person ; rdfs:label ?n } ORDER BY ?n"
    )
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["head"]["vars"] == ["n"]
    assert [b["n"]["value"] for b in doc["results"]["bindings"]] == [
        "Anthony Albanese",
        "Fumio Kishida",
        "Jens Stoltenberg",
    ]


def test_saved_query_as_csv(loaded: Kg) -> None:
    result = loaded("query", "--saved", "who-leads-what", "--format", "csv")
    assert result.exit_code == 0
    assert list(csv.reader(io.StringIO(result.stdout, newline=""))) == WHO_LEADS_WHAT


def test_saved_query_as_tsv_and_table(loaded: Kg) -> None:
    tsv = loaded(
        "query", "--saved", "articles-citing", "--param", "source=Reuters", "--format", "tsv"
    )
    assert tsv.stdout == (
        "?source\t?article\t?headline\t?date\n"
        '"Reuters"\t"g7-summit.txt"\t"Leaders meet in Hiroshima"\t'
        '"2023-05-20"^^<http://www.w3.org/2001/XMLSchema#date>\n'
    )
    table = loaded(
        "query", "--saved", "entities-by-type", "--param", "type=schema:Event", "--format", "table"
    )
    assert table.stdout == (
        "type          entity                                                      label"
        "                aliases\n"
        "------------  ----------------------------------------------------------  "
        "-------------------  -------\n"
        "schema:Event  https://w3id.org/kg-populator/id/event/g7-hiroshima-summit  "
        "G7 Hiroshima Summit\n"
    )


def test_query_from_stdin_and_file(loaded: Kg, tmp_path: Path) -> None:
    text = "ASK { ?a a schema:NewsArticle }"
    assert json.loads(loaded("query", "-", input=text).stdout) == {"head": {}, "boolean": True}
    path = tmp_path / "q.rq"
    path.write_text("CONSTRUCT WHERE { ?c a schema:Country ; rdfs:label ?l }")
    result = loaded("query", f"@{path}")
    assert result.exit_code == 0
    assert len(Graph().parse(data=result.stdout, format="turtle")) == 4


def test_query_list(kg: Kg) -> None:
    result = kg("query", "--list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "description"]
    names = [line.split()[0] for line in lines[2:]]
    assert {
        "who-leads-what",
        "facts-about",
        "entities-by-type",
        "planned-and-denied",
        "articles-citing",
    } <= set(names)
    assert any(line.startswith("who-leads-what      Who leads what: ") for line in lines)


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["INSERT DATA { <urn:a> <urn:b> <urn:c> }"],
            "Error: query is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP, "
            "CREATE, …) are refused; use `kg load` to change the store\n",
        ),
        (
            ["SELECT ?s WHERE { ?s ?p ?o"],
            'Error: SPARQL syntax error at line 1, column 27: expected one of ",", ".", ";", "{", '
            '"{|", "}", "~"\n',
        ),
        (
            ["SELECT ?s WHERE { ?s ?p ?o }", "--param", "x=1"],
            "Error: --param x: the query has no ?x\n",
        ),
        (
            ["SELECT ?s WHERE { ?s ?p ?o }", "--param", "oops"],
            "Error: --param 'oops': expected NAME=VALUE with NAME a SPARQL variable name\n",
        ),
        (["--saved", "nope"], "Error: no saved query 'nope'; `kg query --list` shows them\n"),
        (
            ["@/nonexistent/q.rq"],
            "Error: /nonexistent/q.rq: cannot read the query (No such file or directory)\n",
        ),
    ],
)
def test_query_errors(loaded: Kg, args: list[str], stderr: str) -> None:
    result = loaded("query", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == stderr


def test_query_needs_a_query(kg: Kg) -> None:
    result = kg("query")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: give a QUERY or --saved NAME (or --list)\n")


def test_missing_store(kg: Kg, store: Path) -> None:
    for command in (["stats"], ["export"], ["query", "ASK {}"]):
        result = kg(*command)
        assert result.exit_code == 4
        assert result.stderr == f"Error: no store at {store}; load data first with `kg load`\n"


def test_store_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_STORE", str(tmp_path / "env-store"))
    runner = CliRunner()
    assert runner.invoke(cli, ["load", str(TWO_ARTICLES), "-q"]).exit_code == 0
    assert (tmp_path / "env-store" / "CURRENT").is_file()
    assert json.loads(runner.invoke(cli, ["stats", "--format", "json"]).stdout)["articles"] == 2


def test_export(loaded: Kg, tmp_path: Path) -> None:
    nquads = loaded("export")
    assert nquads.exit_code == 0
    dataset = Dataset().parse(data=nquads.stdout, format="nquads")
    assert len(list(dataset.quads())) == 193 + ONTOLOGY
    out = tmp_path / "dump.trig"
    trig = loaded("export", "--format", "trig", "-o", str(out))
    assert trig.exit_code == 0 and trig.stdout == ""
    assert len(list(Dataset().parse(out, format="trig").quads())) == 193 + ONTOLOGY


HOLD = """
import sys
from kg.store import open_store
store = open_store(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
"""


def test_second_writer_is_told_the_store_is_busy(loaded: Kg, store: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        result = loaded("load", str(TWO_ARTICLES))
        assert result.exit_code == 4
        assert result.stderr == (
            f"Error: store {store} is in use by another process; try again when it has finished\n"
        )
        # queries open the store read-only and still work
        query = loaded("query", "--saved", "who-leads-what", "--format", "csv")
        assert query.exit_code == 0
        assert len(list(csv.reader(io.StringIO(query.stdout)))) == len(WHO_LEADS_WHAT)
    finally:
        if proc.stdin:
            proc.stdin.close()
        proc.wait(timeout=10)


def test_help_lists_the_store_options() -> None:
    result = CliRunner().invoke(cli, ["query", "--help"])
    for option in (
        "--store DIR",
        "--endpoint URL",
        "--graph-store URL",
        "--user",
        "KG_ENDPOINT_USER",
        "--password",
        "--timeout SECONDS",
        "--param NAME=VALUE",
        "Exit codes:",
    ):
        assert option in result.stdout
