"""Every format kg writes can be read back; output paths are checked before any work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.cli import cli

ARTICLE = """Talks in Oslo

5 May 2024

Norwegian Prime Minister Ola Berg met Acme Energy chief executive Kari Holm in Oslo.
"""

FORMATS = {"turtle": "ttl", "nt": "nt", "nquads": "nq", "trig": "trig", "jsonld": "jsonld"}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The article extracted once in every format."""
    folder = tmp_path_factory.mktemp("formats")
    src = folder / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    out = {}
    for fmt, suffix in FORMATS.items():
        path = folder / f"a.{suffix}"
        result = CliRunner().invoke(
            cli, ["extract", str(src), "--format", fmt, "-o", str(path), "-q", "-j", "1"]
        )
        assert result.exit_code == 0, result.output
        out[fmt] = path
    return out


def _triples(path: Path, fmt: str) -> Graph:
    if fmt in ("nquads", "trig", "jsonld"):
        dataset = Dataset()
        dataset.parse(path, format={"jsonld": "json-ld"}.get(fmt, fmt))
        graph = Graph()
        for s, p, o, _g in dataset.quads():
            graph.add((s, p, o))
        return graph
    return Graph().parse(path, format=fmt)


def test_every_format_holds_the_same_triples(written: dict[str, Path]) -> None:
    turtle = _triples(written["turtle"], "turtle")
    assert len(turtle) > 20
    for fmt, path in written.items():
        assert isomorphic(_triples(path, fmt), turtle), fmt
    # TriG, like N-Quads, keeps one named graph per article
    dataset = Dataset().parse(written["trig"], format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert any("/article/" in name for name in names)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_validate_reads_every_format_kg_writes(written: dict[str, Path], fmt: str) -> None:
    result = CliRunner().invoke(cli, ["validate", str(written[fmt])])
    assert result.exit_code == 0, result.output
    assert result.stderr == "1 file(s) conform to the shapes\n"


def test_validate_reads_stdin(written: dict[str, Path]) -> None:
    runner = CliRunner()
    turtle = written["turtle"].read_text(encoding="utf-8")
    result = runner.invoke(cli, ["validate", "-"], input=turtle)
    assert (result.exit_code, result.stderr) == (0, "1 file(s) conform to the shapes\n")
    trig = written["trig"].read_text(encoding="utf-8")
    result = runner.invoke(cli, ["validate", "--format", "trig", "-"], input=trig)
    assert (result.exit_code, result.stderr) == (0, "1 file(s) conform to the shapes\n")
    result = runner.invoke(cli, ["validate", "-"], input="")
    assert (result.exit_code, result.stderr) == (1, "Error: stdin: empty input\n")
    result = runner.invoke(cli, ["validate", "-"], input="<http://a> <http://b> .")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: stdin: line 1: cannot parse as turtle")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["-o", "{tmp}/missing/out.ttl"], "{tmp}/missing/out.ttl: no such folder '{tmp}/missing'"),
        (["-o", "{tmp}"], "{tmp}: is a folder; give a file name"),
        (
            ["-o", "{tmp}/out.ttl", "--report", "{tmp}/nowhere/r.txt"],
            "{tmp}/nowhere/r.txt: no such folder '{tmp}/nowhere'",
        ),
        (["-o", "{tmp}/a.txt/out.ttl"], "{tmp}/a.txt/out.ttl: '{tmp}/a.txt' is not a folder"),
    ],
)
def test_bad_output_paths_fail_before_any_work(
    tmp_path: Path, args: list[str], problem: str
) -> None:
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    # a missing input too: had anything been read, it would be reported first
    argv = ["extract", str(tmp_path / "missing.txt"), str(src)]
    argv += [a.format(tmp=tmp_path) for a in args]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {problem.format(tmp=tmp_path)}\n"
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_report_path_of_ingest_and_validate_checked_first(
    tmp_path: Path, written: dict[str, Path]
) -> None:
    bad = tmp_path / "no" / "r.txt"
    for argv in (
        ["validate", str(written["turtle"]), "--report", str(bad)],
        ["ingest", str(tmp_path / "x.txt"), "--store", str(tmp_path / "s"), "--report", str(bad)],
    ):
        result = CliRunner().invoke(cli, argv)
        assert result.exit_code == 2, argv
        assert result.stderr == f"Error: {bad}: no such folder '{bad.parent}'\n"
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_explain_reads_every_format(written: dict[str, Path], fmt: str) -> None:
    runner = CliRunner()
    expected = runner.invoke(cli, ["explain", "Ola Berg", "--graph", str(written["turtle"])])
    assert expected.exit_code == 0
    assert "Ola Berg leaderOf Norway" in expected.stdout
    result = runner.invoke(cli, ["explain", "OLA BERG", "--graph", str(written[fmt])])
    assert (result.exit_code, result.stdout) == (0, expected.stdout)


def test_explain_from_a_sparql_server(
    written: dict[str, Path], start_oxigraph: Callable[..., str]
) -> None:
    endpoint = start_oxigraph()
    runner = CliRunner()
    loaded = runner.invoke(cli, ["load", str(written["nquads"]), "--endpoint", endpoint, "-q"])
    assert loaded.exit_code == 0, loaded.output
    expected = runner.invoke(cli, ["explain", "Ola Berg", "--graph", str(written["turtle"])])
    result = runner.invoke(cli, ["explain", "ola berg", "--endpoint", endpoint])
    assert (result.exit_code, result.stdout) == (0, expected.stdout)


def test_commands_without_nlp_load_neither_spacy_nor_pyshacl(written: dict[str, Path]) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from kg.cli import main\n"
        "sys.argv = ['kg', 'explain', 'Ola Berg', '--graph', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('spacy', 'pyshacl') if m in sys.modules]\n"
        "print('loaded:', heavy, file=sys.stderr)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(written["turtle"])], capture_output=True, text=True
    )
    assert "Ola Berg leaderOf Norway" in out.stdout
    assert out.stderr.strip().endswith("loaded: []")
