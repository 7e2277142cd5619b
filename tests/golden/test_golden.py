"""Golden cases: each folder's article.txt must give exactly its expected.ttl (as graphs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.cli import cli

CASES = sorted(p for p in Path(__file__).parent.iterdir() if (p / "article.txt").is_file())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path, update_golden: bool) -> None:
    result = CliRunner().invoke(cli, ["extract", str(case / "article.txt"), "-q"])
    assert result.exit_code == 0, result.output
    got = Graph().parse(data=result.stdout, format="turtle")
    expected_path = case / "expected.ttl"
    if update_golden or not expected_path.exists():
        expected_path.write_bytes(got.serialize(format="turtle", encoding="utf-8"))
        if not update_golden:
            pytest.fail(f"{expected_path} did not exist; written now, review and commit it")
    expected = Graph().parse(expected_path, format="turtle")
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(
            "output differs from expected.ttl\nonly in output:\n"
            + only_got.serialize(format="nt")
            + "\nonly expected:\n"
            + only_expected.serialize(format="nt")
        )
