"""`kg validate` on big inputs: N-Quads and stores graph by graph, a clear error for what
cannot fit, literals over Oxigraph's limit (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import validate as validation
from kg.cli import cli
from kg.store import open_store

TWO_ARTICLES = Path(__file__).parent.parent / "data" / "store" / "two-articles.ttl"
# An article graph whose statement says nothing: kg's shapes refuse it.
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
BAD_ARTICLE = (
    f"<urn:x:bad> {TYPE} <https://schema.org/NewsArticle> <urn:x:bad> .\n"
    f"<urn:x:st> {TYPE} <https://w3id.org/kg-populator/ontology#Statement> <urn:x:bad> .\n"
    "<urn:x:st> <http://www.w3.org/ns/prov#wasDerivedFrom> <urn:x:bad> <urn:x:bad> .\n"
)


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    """kg's two articles as N-Quads, as `kg export` writes them, and one bad graph."""
    with open_store(tmp_path / "source") as source:
        source.load_files([TWO_ARTICLES])
        data = source.export("nquads")
    path = tmp_path / "dump.nq"
    path.write_bytes(data + BAD_ARTICLE.encode())
    return path


def _calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the triples of each pySHACL validation from here on."""
    sizes: list[int] = []
    real = validation.validate

    def counted(data, **kwargs):  # type: ignore[no-untyped-def]
        sizes.append(len(data))
        return real(data, **kwargs)

    monkeypatch.setattr(validation, "validate", counted)
    return sizes


def test_big_nquads_are_validated_graph_by_graph_with_the_same_outcome(
    dump: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = validation.validate_files([dump])  # small: the merge, at once
    assert not whole.conforms and whole.violations > 0
    monkeypatch.setattr(validation, "STREAM_BYTES", 0)
    monkeypatch.setattr(validation, "BATCH_TRIPLES", 50)
    sizes = _calls(monkeypatch)
    streamed = validation.validate_files([dump])
    assert len(sizes) > 2 and max(sizes) < sum(sizes)  # batches of whole graphs
    assert (streamed.conforms, streamed.violations) == (whole.conforms, whole.violations)
    assert "Statement" in streamed.text


def test_a_big_store_is_validated_graph_by_graph_with_the_same_outcome(
    dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_dir = tmp_path / "store"
    CliRunner().invoke(cli, ["load", str(dump), "--store", str(store_dir), "-q"])
    whole = CliRunner().invoke(cli, ["validate", "--store", str(store_dir)])
    monkeypatch.setattr(validation, "STREAM_QUADS", 0)
    monkeypatch.setattr(validation, "GRAPHS_PER_QUERY", 2)
    monkeypatch.setattr(validation, "BATCH_TRIPLES", 50)
    sizes = _calls(monkeypatch)
    streamed = CliRunner().invoke(cli, ["validate", "--store", str(store_dir)])
    assert len(sizes) > 1
    assert whole.exit_code == 3 and whole.stderr.splitlines()[-1].startswith("Error: ")
    assert (streamed.exit_code, streamed.stderr.splitlines()[-1]) == (
        3,
        whole.stderr.splitlines()[-1],  # "Error: N violations", the same N
    )


def test_what_cannot_fit_in_memory_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.ttl"
    path.write_text("<urn:x:a> <urn:x:p> <urn:x:b> .\n" * 1000)  # 32 kB: about 0.8 MB of graph
    monkeypatch.setattr(validation, "_available_memory", lambda: 100_000)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {path}: too large to validate in memory (about 0.0 GB needed, 0.0 GB "
        "available); N-Quads are validated graph by graph: `kg load` it and `kg validate "
        "--store`, or validate `kg export` output\n"
    )


def test_ntriples_with_a_literal_over_the_parser_limit_validate(tmp_path: Path) -> None:
    path = tmp_path / "big.nt"
    path.write_text(f'<urn:x:a> <https://schema.org/headline> "{"x" * 17_000_000}" .\n')
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert (result.exit_code, result.stderr) == (0, "1 file(s) conform to the shapes\n")
