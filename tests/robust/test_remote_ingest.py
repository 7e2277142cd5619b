"""`kg ingest --endpoint` end to end: a text article into a real `oxigraph serve`, then again."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.store import open_store

ARTICLE = (
    "NATO to open an office in Tokyo\n\n"
    "NATO Secretary General Jens Stoltenberg said on Thursday that the alliance plans to open "
    "a liaison office in Tokyo. Japanese Prime Minister Fumio Kishida welcomed the plan during "
    "talks with Stoltenberg in Tokyo.\n"
)
SUMMARY = r"kg: {loaded} articles loaded, {unchanged} unchanged, {statements} statements, "
SUMMARY += r"0 failed inputs, \d+\.\d s\n"


@pytest.mark.slow
def test_ingest_into_a_server_and_again(oxigraph: Callable[[], str], tmp_path: Path) -> None:
    url = oxigraph()
    article = tmp_path / "nato-tokyo.txt"
    article.write_text(ARTICLE)
    runner = CliRunner()
    args = ["ingest", str(article), "--endpoint", url, "-j", "1"]

    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert re.fullmatch(SUMMARY.format(loaded=1, unchanged=0, statements=r"[1-9]\d*"), first.stderr)
    store = open_store(endpoint=url)
    stats = store.stats()
    assert stats.articles == 1
    assert stats.entities.get("https://schema.org/Person", 0) >= 2
    labels = store.query("SELECT DISTINCT ?l WHERE { ?e a schema:Person ; rdfs:label ?l }")
    assert {"Jens Stoltenberg", "Fumio Kishida"} <= set(labels.column("l"))
    assert store.query("ASK { GRAPH <https://w3id.org/kg-populator/ontology> { ?s ?p ?o } }")

    again = runner.invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert re.fullmatch(SUMMARY.format(loaded=0, unchanged=1, statements=0), again.stderr)
    assert store.stats() == stats
