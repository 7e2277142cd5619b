"""Check that `kg eval` gives the numbers of the reference scorers in ../shared/tools.

Run from the project root after `make test` has installed .venv::

    .venv/bin/python bench/eval_agree.py [--conll04 SPLIT.json]

For each gold set (examples/ with ../shared/gold/seeds.yaml, and
../shared/gold/bbc-dev), kg extracts the articles into a Turtle file once;
``kg-score --ontology ontology --texts DIR --json`` and ``kg eval --format
json`` score that same file, and every measure kg-score prints must be
equal. With ``--conll04``, conll04-score and kg's CoNLL04 scorer score the
same graph of the split's sentences. Prints one line per check; exit 1 if
any differs.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
KG = ROOT / ".venv" / "bin" / "kg"
SETS = [
    ("seeds", SHARED / "gold" / "seeds.yaml", ROOT / "examples"),
    ("bbc-dev", SHARED / "gold" / "bbc-dev.yaml", SHARED / "gold" / "bbc-dev"),
]


def run(*args: str | Path, ok: tuple[int, ...] = (0,)) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if done.returncode not in ok:
        sys.exit(f"{args[0]} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def check_gold(name: str, gold: Path, texts: Path, tmp: Path, extra: list[str]) -> bool:
    graph = tmp / f"{name}.ttl"
    run(KG, "extract", texts, "-o", graph, "-q", *extra)
    ref = json.loads(
        run(
            SHARED / "tools" / "kg-score",
            "--gold",
            gold,
            "--graph",
            graph,
            "--texts",
            texts,
            "--ontology",
            ROOT / "ontology",
            "--json",
        )
    )
    ours = json.loads(run(KG, "eval", gold, graph, "--texts", texts, "--format", "json"))
    ref.pop("triples"), ours.pop("triples")  # kg eval adds the ontology's triples to the graph
    diff = {k: (v, ours.get(k)) for k, v in ref.items() if ours.get(k) != v}
    status = "agree" if not diff else f"DIFFER {diff}"
    print(f"{name}: {status}: " + " ".join(f"{k}={v}" for k, v in ref.items()))
    return not diff


def check_conll04(split: Path, tmp: Path, extra: list[str]) -> bool:
    texts = tmp / "conll04"
    run(SHARED / "tools" / "conll04-score", "prepare", split, texts)
    graph = tmp / "conll04.ttl"
    # a sentence that is all page furniture to kg ("PERUGIA, Italy (AP)") fails: exit 1
    run(KG, "extract", texts, "-o", graph, "-q", *extra, ok=(0, 1))
    ref_out = run(SHARED / "tools" / "conll04-score", "score", split, graph)
    ref = dict(re.findall(r"(micro_P|micro_R|micro_F1|macro_F1)=([0-9.]+)", ref_out))
    from rdflib import Graph

    from kg.evaluation.conll04 import gold_relations, predicted_from_graph, read_split, score

    result = score(gold_relations(read_split(split)), predicted_from_graph(Graph().parse(graph)))
    m = result.micro()
    ours = {
        "micro_P": f"{m['precision']:.3f}",
        "micro_R": f"{m['recall']:.3f}",
        "micro_F1": f"{m['f1']:.3f}",
        "macro_F1": f"{result.macro_f1():.3f}",
    }
    same = ours == ref
    print(f"conll04 {split.name}: {'agree' if same else 'DIFFER ' + str(ours)}: {ref}")
    return same


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conll04", type=Path, help="a CoNLL04 split to check as well")
    ap.add_argument("--relations-model", help="passed to kg extract")
    a = ap.parse_args()
    extra = ["--relations-model", a.relations_model] if a.relations_model else []
    ok = True
    with tempfile.TemporaryDirectory(prefix="kg-eval-agree-") as tmp:
        for name, gold, texts in SETS:
            ok &= check_gold(name, gold, texts, Path(tmp), extra)
        if a.conll04:
            ok &= check_conll04(a.conll04, Path(tmp), extra)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
