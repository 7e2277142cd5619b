"""Peak RSS of `kg load`, `kg validate` and `kg query` on big generated files (issue 16).

    python scripts/load_memory.py [MEGABYTES] [--list MB] [--store DIR] [--keep DIR]

Writes MEGABYTES (default 200) of N-Quads shaped like kg's output (articles'
named graphs, entities with labels shared between articles, statements with
long evidence literals) to a temporary folder, loads it with `kg load` into
a fresh embedded store (the bulk first load) and again into that store (a
store with data: transactions), runs a query returning every quad with
`kg query`, then loads a Turtle file of
one RDF list of --list MB (default 5) into a fresh store and into the
store with data. With --store DIR (say, a store of the whole BBC corpus),
also `kg query` of every quad and `kg validate --store` on that store.
Prints each command's wall time and peak RSS (getrusage of the child).
Nothing is kept unless --keep names a folder.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KG = Path(sys.executable).parent / "kg"
BASE = "https://w3id.org/kg-populator/id/"
SCHEMA = "https://schema.org/"
ONT = "https://w3id.org/kg-populator/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def write_nquads(path: Path, megabytes: int) -> int:
    """N-Quads of about ``megabytes`` MB; the number of quads."""
    limit = megabytes * 1_000_000
    quads = 0
    size = 0
    article = 0
    with path.open("w", encoding="utf-8") as out:
        while size < limit:
            graph = f"<{BASE}article/a{article:07d}>"
            lines = [f"{graph} <{RDF_TYPE}> <{SCHEMA}NewsArticle> {graph} .\n"]
            for e in range(20):
                entity = f"<{BASE}person/p{(article * 7 + e) % 50_000}>"
                lines.append(f"{entity} <{RDF_TYPE}> <{SCHEMA}Person> {graph} .\n")
                lines.append(
                    f'{entity} <{LABEL}> "Person {(article * 7 + e) % 50_000}" {graph} .\n'
                )
                lines.append(f"{graph} <{SCHEMA}mentions> {entity} {graph} .\n")
                st = f"<{BASE}statement/s{article}-{e}>"
                lines.append(f"{st} <{RDF_TYPE}> <{ONT}Statement> {graph} .\n")
                lines.append(
                    f'{st} <{ONT}evidence> "Sentence {e} of article {article}, which says '
                    f'that person {e} met another person in a city." {graph} .\n'
                )
            text = "".join(lines)
            out.write(text)
            size += len(text)
            quads += len(lines)
            article += 1
    return quads


def write_list(path: Path, megabytes: int) -> int:
    """Turtle of one RDF list of about ``megabytes`` MB; its number of items."""
    items = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("@prefix ex: <http://example.org/> .\nex:a ex:p (")
        size = 0
        while size < megabytes * 1_000_000:
            chunk = " ".join(str(i) for i in range(items, items + 10_000))
            out.write(" " + chunk)
            size += len(chunk) + 1
            items += 10_000
        out.write(" ) .\n")
    return items


# Runs a command and prints the largest RSS of it and its children (kB on Linux):
# in a process of its own, so that each command is measured alone.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def run(args: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (MB, the largest process of the command) and exit code."""
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, check=True
    )
    elapsed = time.monotonic() - started
    code, peak = out.stdout.split()
    if int(code):
        print(out.stderr, file=sys.stderr)
    return elapsed, int(peak) // 1024, int(code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("megabytes", type=int, nargs="?", default=200)
    parser.add_argument("--list", type=int, default=5, metavar="MB")
    parser.add_argument("--store", type=Path, help="an existing store to query and validate")
    parser.add_argument("--keep", type=Path)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kg-load-memory-"))
    every_quad = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"
    try:
        data = folder / "big.nq"
        quads = write_nquads(data, options.megabytes)
        print(f"{data.stat().st_size / 1e6:.0f} MB of N-Quads, {quads:,} quads")
        store = folder / "store"
        steps: list[tuple[str, list[str]]] = [
            ("kg load (empty store)", [str(KG), "load", str(data), "--store", str(store), "-q"]),
            (
                "kg load (again: store with data)",
                [str(KG), "load", str(data), "--store", str(store), "-q"],
            ),
            (
                "kg query (every quad, TSV)",
                [str(KG), "query", "--store", str(store), "--format", "tsv", every_quad],
            ),
        ]
        turtle = folder / "list.ttl"
        items = write_list(turtle, options.list)
        print(f"{turtle.stat().st_size / 1e6:.1f} MB of Turtle: one list of {items:,} items")
        steps += [
            (
                "kg load list (empty store)",
                [str(KG), "load", str(turtle), "--store", str(folder / "list-store"), "-q"],
            ),
            (
                "kg load list (store with data)",
                [str(KG), "load", str(turtle), "--store", str(store), "-q"],
            ),
        ]
        if options.store:
            steps += [
                (
                    f"kg query {options.store} (every quad, TSV)",
                    [
                        str(KG),
                        "query",
                        "--store",
                        str(options.store),
                        "--format",
                        "tsv",
                        every_quad,
                    ],
                ),
                (
                    f"kg validate --store {options.store}",
                    [str(KG), "validate", "--store", str(options.store), "-q"],
                ),
            ]
        for what, args in steps:
            seconds, peak, code = run(args)
            print(f"{what}: exit {code}, {seconds:.1f} s, peak RSS {peak} MB", flush=True)
        if options.keep:
            shutil.copytree(store, options.keep)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
