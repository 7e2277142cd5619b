"""Peak RSS of `kg load` and `kg query` on a big generated N-Quads file (issue 16).

    python scripts/load_memory.py [MEGABYTES] [--keep DIR]

Writes MEGABYTES (default 200) of N-Quads shaped like kg's output (articles'
named graphs, entities with labels shared between articles, statements with
long evidence literals) to a temporary folder, loads it into a fresh
embedded store with `kg load`, runs a query returning every quad with
`kg query`, and prints each command's wall time and peak RSS (from
getrusage of the child). Nothing is kept unless --keep names a folder.
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
    parser.add_argument("--keep", type=Path)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kg-load-memory-"))
    try:
        data = folder / "big.nq"
        quads = write_nquads(data, options.megabytes)
        print(f"{data.stat().st_size / 1e6:.0f} MB, {quads:,} quads")
        store = folder / "store"
        for what, args in (
            ("kg load", [str(KG), "load", str(data), "--store", str(store), "-q"]),
            (
                "kg query",
                [
                    str(KG),
                    "query",
                    "--store",
                    str(store),
                    "--format",
                    "tsv",
                    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
                ],
            ),
        ):
            seconds, peak, code = run(args)
            print(f"{what}: exit {code}, {seconds:.1f} s, peak RSS {peak} MB")
        if options.keep:
            shutil.copytree(store, options.keep)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
