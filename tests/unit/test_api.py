"""The Python API (kg.api, re-exported lazily from kg): the jobs of the CLI as functions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

import kg
from kg.errors import InputError
from kg.vocab import KG

EXAMPLES = Path(__file__).parent.parent.parent / "examples"
ARTICLE = """Talks in Oslo

5 May 2024

Norwegian Prime Minister Ola Berg met Acme Energy chief executive Kari Holm in Oslo.
"""


def test_import_kg_is_light() -> None:
    code = (
        "import sys, kg; assert callable(kg.extract_texts); "
        "print(sorted(m for m in ('spacy', 'rdflib', 'pyoxigraph', 'pyshacl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "[]\n"
    assert {"extract_files", "extract_texts", "open_store", "ingest_files", "run_query"} <= set(
        dir(kg)
    )


def test_extract_texts_and_files_give_the_cli_graph(tmp_path: Path) -> None:
    from_text = kg.extract_texts({"a.txt": ARTICLE})
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    from_file = kg.extract_files([src])
    assert from_text.serialize("turtle") == from_file.serialize("turtle")
    assert from_text.statements == 6
    graph = from_text.graph
    assert len(list(graph.subjects(predicate=KG.leaderOf))) == 2
    for fmt in ("nt", "nquads", "trig", "jsonld"):
        data = from_text.serialize(fmt)
        assert data
    assert isomorphic(Graph().parse(data=from_text.serialize("nt"), format="nt"), graph)
    with pytest.raises(ValueError, match="unknown format"):
        from_text.serialize("xml")
    missing = kg.extract_files([src, tmp_path / "missing.txt"])
    assert [str(f) for f in missing.failures] == [
        f"{tmp_path / 'missing.txt'}: no such file or directory"
    ]
    with pytest.raises(InputError, match="empty file"):
        kg.extract_texts([""])


def test_store_ingest_and_query(tmp_path: Path) -> None:
    with kg.open_store(tmp_path / "store") as store:
        outcome = kg.ingest_files([EXAMPLES], store)
        assert len(outcome.built.graphs) == len(list(EXAMPLES.glob("*.txt")))
        again = kg.ingest_files([EXAMPLES], store)
        assert (len(again.built.graphs), again.skipped) == (0, len(outcome.built.graphs))
        facts = kg.run_query(store, "--saved facts-about", entity="fumio kishida")
        assert facts.rows
        assert {r["subject"].value for r in facts.rows} >= {"Fumio Kishida"}
        sure = "SELECT ?st WHERE { ?st kg:confidence ?c FILTER(?c >= ?min) }"
        some = len(kg.run_query(store, sure, min="0.8").rows)
        every = len(kg.run_query(store, sure, min="0").rows)
        assert 0 < some < every
