"""What the relation model costs: extraction time with and without it, in one process.

Run from the project root::

    .venv/bin/python bench/relmodel_time.py [--corpus DIR] [--articles N] [--model DIR]

Reads N articles of the corpus (default ../shared/corpus/bbc, every
category, sorted names), warms spaCy and the model once, then times
``extract_articles`` (parse, entities, rules, and the model when set; one
process) over all of them, alternating with and without the model, three
times each, and prints the medians and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kg.extract import extract_articles
from kg.ingest import read_inputs
from kg.records import Article
from kg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "bbc")
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--model", default="default", help="relation model folder, or 'default'")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    files = sorted(str(p) for p in a.corpus.glob("*/*.txt"))
    step = max(1, len(files) // a.articles)
    picked = files[::step][: a.articles]
    articles = [x for x in read_inputs(picked) if isinstance(x, Article)]
    words = sum(len(x.text.split()) for x in articles)
    plain, with_model = Settings(jobs=1), Settings(jobs=1, relations_model=a.model)
    rels = {}
    for s in (plain, with_model):  # warm up: load spaCy and the model
        rels[s.relations_model] = sum(len(e.relations) for e in extract_articles(articles[:5], s))
    times: dict[str | None, list[float]] = {None: [], a.model: []}
    counts: dict[str | None, int] = {}
    for _ in range(a.rounds):
        for s in (plain, with_model):
            started = time.perf_counter()
            out = list(extract_articles(articles, s))
            times[s.relations_model].append(time.perf_counter() - started)
            counts[s.relations_model] = sum(len(e.relations) for e in out)
    base, model = statistics.median(times[None]), statistics.median(times[a.model])
    print(f"{len(articles)} articles, {words} words, 1 process, median of {a.rounds}")
    print(f"rules alone:      {base:.2f} s  ({counts[None]} relations)")
    print(f"rules + model:    {model:.2f} s  ({counts[a.model]} relations)")
    print(f"model costs:      {100 * (model / base - 1):+.1f} %")
    # The model's own share, free of the noise of whole runs: parse once, then time
    # the rules' extraction and the model's pass over the same Docs.
    from kg.extract import extract_doc, parse
    from kg.gazetteer import gazetteer
    from kg.nlp import build_nlp
    from kg.nlp.relmodel.apply import relation_model, with_model

    nlp, rel, gaz = build_nlp(plain.model), relation_model(a.model), gazetteer()
    started = time.perf_counter()
    docs = list(parse(nlp, articles))
    t_parse = time.perf_counter() - started
    started = time.perf_counter()
    extracted = [(doc, extract_doc(doc, art)) for doc, art in docs]
    t_rules = time.perf_counter() - started
    started = time.perf_counter()
    for doc, ex in extracted:
        with_model(doc, ex, rel, gaz)
    t_model = time.perf_counter() - started
    print(
        f"parse {t_parse:.2f} s, rules {t_rules:.2f} s, model {t_model:.2f} s: the model adds "
        f"{100 * t_model / (t_parse + t_rules):.1f} % to parse + rules"
    )


if __name__ == "__main__":
    main()
