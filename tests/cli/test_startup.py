"""Commands that need no NLP start without importing spaCy or pySHACL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

TWO_ARTICLES = Path(__file__).parent.parent / "data" / "store" / "two-articles.ttl"

# Runs a command in a fresh interpreter, then prints which heavy modules it imported.
_PROBE = """
import sys
from kg.cli import cli
try:
    cli(sys.argv[1:], prog_name="kg", standalone_mode=False)
finally:
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("spacy", "thinc", "pyshacl"))
    print("HEAVY=" + ",".join(heavy), file=sys.stderr)
"""


def _probe(*args: str) -> tuple[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=True
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("HEAVY="))
    return done.stdout, [m for m in line[len("HEAVY=") :].split(",") if m]


def test_query_stats_export_explain_import_no_nlp(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    subprocess.run(
        [sys.executable, "-m", "kg", "load", str(TWO_ARTICLES), "--store", store, "-q"],
        check=True,
    )
    out, heavy = _probe(
        "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", store, "--format", "csv"
    )
    assert int(out.splitlines()[1]) > 0
    assert heavy == []
    out, heavy = _probe("stats", "--store", store, "--format", "json")
    assert json.loads(out)["articles"] == 2
    assert heavy == []
    out, heavy = _probe("export", "--store", store)
    assert out.count("\n") > 10
    assert heavy == []
    out, heavy = _probe("explain", "Kishida", "--store", store)
    assert "Fumio Kishida" in out
    assert heavy == []


def test_validate_loads_pyshacl_but_not_spacy(tmp_path: Path) -> None:
    _, heavy = _probe("validate", str(TWO_ARTICLES))
    assert any(m.startswith("pyshacl") for m in heavy)
    assert not any(m.startswith("spacy") for m in heavy)
