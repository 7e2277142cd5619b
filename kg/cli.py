"""The `kg` command line: option parsing, logging, rendering and exit codes."""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg import __version__
from kg.errors import KgError, printable
from kg.settings import DEFAULT_BASE, DEFAULT_MODEL, Settings

if TYPE_CHECKING:
    from kg.validate import ValidationReport

# Heavy modules (spaCy through kg.pipeline, pySHACL, rdflib, pyoxigraph) are
# imported by the commands that need them: `kg query` never loads spaCy, and
# Ctrl-C while they load is handled like any other.

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_INPUTS_FAILED = 1
EXIT_USAGE = 2
EXIT_NONCONFORMING = 3
EXIT_STORE = 4

EXIT_CODES_HELP = """\b
Exit codes:
  0  every input was processed
  1  some inputs failed (each named on stderr); the rest were processed
  2  usage error (bad option, bad query, SERVICE without --allow-service,
     an output file that is an input or cannot be written)
  3  the graph does not conform to the shapes (nothing written)
  4  store or endpoint error (also a query stopped by --timeout)
  130  interrupted (Ctrl-C or kill); the message says what was committed
"""


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = (
        logging.ERROR
        if quiet
        else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger("kg")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def verbosity(func: F) -> F:
    """Add -v/--verbose and -q/--quiet and set up the one log handler."""

    @click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv for debug).")
    @click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr; no progress.")
    @functools.wraps(func)
    def wrapper(*args: Any, verbose: int, quiet: bool, **kwargs: Any) -> Any:
        _setup_logging(verbose, quiet)
        ctx = click.get_current_context()
        ctx.meta["kg.quiet"] = quiet
        return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def error_line(exc: BaseException) -> str:
    """``Error: …`` on one line of printable characters, whatever the message holds."""
    return "Error: " + " ".join(printable(str(exc)).split())


def fail(exc: KgError) -> None:
    """Report a library error as one `Error: …` line and exit with its code."""
    click.echo(error_line(exc), err=True)
    sys.exit(exc.exit_code)


def handle_errors(func: F) -> F:
    """Turn KgError into one stderr line and its documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KgError as exc:
            fail(exc)
        except KeyboardInterrupt:
            click.echo(f"Interrupted: {_written()}nothing was left half-written.", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def _written() -> str:
    """What the stores of this command had written when it was interrupted."""
    ctx = click.get_current_context(silent=True)
    stores = ctx.meta.get("kg.stores", []) if ctx is not None else []
    done = [s for s in stores if s.graphs_written]
    return "".join(
        f"{s.graphs_written} graph(s) had been written to {s.location}, each whole; " for s in done
    )


def _writing(store: Any) -> Any:
    """Note ``store`` as written to by this command, for the message after Ctrl-C."""
    click.get_current_context().meta.setdefault("kg.stores", []).append(store)
    return store


@click.group(epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """Turn news articles into an RDF knowledge graph and query it."""


def _check_base(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"{}|\\^`]+[/#]", value):
        raise click.BadParameter(f"{value!r} is not an absolute IRI ending in / or #")
    return value


def extraction_options(func: F) -> F:
    """INPUTS, --report, --no-validate, --base, --model and --jobs: what extracting needs."""
    options = [
        click.argument("inputs", nargs=-1, required=True),
        click.option(
            "--report",
            type=click.Path(dir_okay=False),
            help="Write the SHACL report here instead of stderr.",
        ),
        click.option(
            "--no-validate", is_flag=True, help="Skip the SHACL gate (faster; not advised)."
        ),
        click.option(
            "--base",
            default=DEFAULT_BASE,
            show_default=True,
            callback=_check_base,
            help="Base IRI for entities, articles and statements.",
        ),
        click.option(
            "--model",
            default=DEFAULT_MODEL,
            show_default=True,
            help="spaCy pipeline: an installed package name or a path.",
        ),
        click.option(
            "--glob",
            "globs",
            multiple=True,
            metavar="PATTERN",
            help="Read the files of input folders whose names match PATTERN (repeatable; "
            "e.g. '*.md')  [default: .txt, .html and files without a suffix, except "
            "READMEs, licences and hidden files]",
        ),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            default=os.cpu_count() or 1,
            show_default="all cores",
            help="Worker processes for NLP; output is identical for any number.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


class ProgressLine:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int, words: int) -> None:
        if not self.enabled:
            return
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0.0
        click.echo(
            f"\r{done}/{total} articles, {words / elapsed:,.0f} words/s, {left:.0f} s left ",
            err=True,
            nl=False,
        )
        if done == total:
            click.echo("", err=True)


def check_output(
    option: str, output: str | None, inputs: tuple[str, ...], globs: tuple[str, ...] = ()
) -> None:
    """Refuse an output file that is one of the inputs, or that a folder among the
    inputs would read as an article: exit 2 before anything is read or written."""
    from pathlib import Path

    from kg.ingest import display_name, is_article_name

    if output is None or output == "-":
        return
    target = Path(os.path.realpath(output))
    for given in inputs:
        if given == "-":
            continue
        source = Path(os.path.realpath(given))
        same = source == target
        if not same and target.exists() and source.exists():
            same = source.samefile(target)
        inside = source.is_dir() and source in target.parents
        if same or (inside and is_article_name(target.name, globs)):
            what = "is one of the inputs" if same else f"is inside the input folder {given}"
            click.echo(
                f"Error: {option} {display_name(output)}: {what}; write the output elsewhere",
                err=True,
            )
            sys.exit(EXIT_USAGE)


def _reject(outcome: ValidationReport, report: str | None, what: str) -> None:
    """Report a non-conforming graph and exit 3."""
    _emit_report(outcome.text, report)
    click.echo(
        f"Error: the graph does not conform to the shapes "
        f"({outcome.violations} violations); nothing {what}",
        err=True,
    )
    sys.exit(EXIT_NONCONFORMING)


def _report_failure(exc: KgError) -> None:
    click.echo(error_line(exc), err=True)


def _emit_report(text: str, report: str | None) -> None:
    if report:
        _write_output(text.encode("utf-8"), report)
    else:
        click.echo(text.rstrip(), err=True)


@cli.command(epilog=EXIT_CODES_HELP)
@click.option(
    "-o", "--output", default="-", show_default=True, help="Where to write the graph; - for stdout."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "nt", "nquads"]),
    default="turtle",
    show_default=True,
    help="Turtle; sorted N-Triples; N-Quads, one graph per article.",
)
@extraction_options
@verbosity
@handle_errors
def extract(
    inputs: tuple[str, ...],
    output: str,
    fmt: str,
    report: str | None,
    no_validate: bool,
    base: str,
    model: str,
    globs: tuple[str, ...],
    jobs: int,
) -> None:
    """Extract a knowledge graph from news articles (files, folders, - for stdin).

    The graph is validated against the shipped SHACL shapes before it is
    written; a graph that does not conform is written nowhere.
    """
    from kg.pipeline import build as build_graphs
    from kg.pipeline import run as run_pipeline
    from kg.serialize import QuadLines, TripleLines, turtle_from_ntriples

    started = time.perf_counter()
    check_output("-o", output, inputs, globs)
    if report and output != "-" and os.path.realpath(report) == os.path.realpath(output):
        click.echo(f"Error: --report {report}: is the -o file too; write it elsewhere", err=True)
        sys.exit(EXIT_USAGE)
    check_output("--report", report, inputs, globs)
    settings = Settings(
        base=base, model=model, validate=not no_validate, jobs=jobs, globs=tuple(globs)
    )
    quiet = bool(click.get_current_context().meta.get("kg.quiet"))
    result = run_pipeline(
        list(inputs), settings, on_error=_report_failure, on_progress=ProgressLine(quiet)
    )
    if not result.extractions:
        click.echo(f"Error: no article could be read from {len(inputs)} input(s)", err=True)
        sys.exit(EXIT_INPUTS_FAILED)
    # Only what the output needs is kept: the set of triples, or the quads.
    lines: QuadLines | TripleLines = QuadLines() if fmt == "nquads" else TripleLines()
    built = build_graphs(result, check=settings.validate, sink=lines.add)
    if built.report is not None:
        if not built.report.conforms:
            _reject(built.report, report, "written")
        if report:
            _emit_report(built.report.text, report)
    if isinstance(lines, QuadLines):
        data = lines.nquads()
    else:
        data = lines.ntriples()
        if fmt == "turtle":
            data = turtle_from_ntriples(data)
    _write_output(data, output)
    if not quiet:
        click.echo(
            f"kg: {built.articles} articles, {built.statements} statements, "
            f"{len(result.failures)} failed inputs, "
            f"{time.perf_counter() - started:.1f} s",
            err=True,
        )
    sys.exit(EXIT_INPUTS_FAILED if result.failures else EXIT_OK)


@cli.command("validate", epilog=EXIT_CODES_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--report",
    type=click.Path(dir_okay=False),
    help="Write the SHACL report here instead of stderr.",
)
@verbosity
@handle_errors
def validate_cmd(files: tuple[str, ...], report: str | None) -> None:
    """Validate RDF files (Turtle, N-Triples, N-Quads) against kg's SHACL shapes."""
    from kg.validate import validate_files

    check_output("--report", report, files)
    outcome = validate_files(list(files))
    if outcome.conforms:
        click.echo(f"{len(files)} file(s) conform to the shapes", err=True)
        if report:
            _emit_report(outcome.text, report)
        return
    _emit_report(outcome.text, report)
    click.echo(f"Error: {outcome.violations} violations", err=True)
    sys.exit(EXIT_NONCONFORMING)


# --------------------------------------------------------------------------- store commands
# load, query, stats, export: thin shells over kg.store (imported when a
# command runs, so that pyoxigraph is not loaded for `kg extract`).


def store_options(func: F) -> F:
    """--store/--endpoint and the remote options, passed on as ``store_opts``.

    ``store_opts`` is a dict of keyword arguments for kg.store.open_store.
    """

    @click.option(
        "--store",
        "store_dir",
        type=click.Path(file_okay=False),
        metavar="DIR",
        help="Embedded store folder  [default: $KG_STORE, else "
        "$XDG_DATA_HOME/kg/store, else ~/.local/share/kg/store]",
    )
    @click.option(
        "--endpoint",
        metavar="URL",
        help="Use a SPARQL 1.1 server instead, e.g. http://localhost:7878 for "
        "`oxigraph serve --union-default-graph` (it must query the union of "
        "named graphs by default).",
    )
    @click.option(
        "--graph-store",
        metavar="URL",
        help="The server's Graph Store Protocol URL, for loads  "
        "[default: the endpoint's /store; Fuseki: …/DATASET/data]",
    )
    @click.option(
        "--user",
        envvar="KG_ENDPOINT_USER",
        show_envvar=True,
        help="HTTP basic auth user for --endpoint.",
    )
    @click.option(
        "--password",
        envvar="KG_ENDPOINT_PASSWORD",
        show_envvar=True,
        help="HTTP basic auth password for --endpoint.",
    )
    @click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=None,
        metavar="SECONDS",
        help="Longest time one request to --endpoint may take, from connecting to the "
        "last byte (idempotent calls are tried up to 3 times); for `kg query`, also the "
        "longest an embedded store's query may run  [default: 30 for --endpoint, no "
        "limit for the embedded store]",
    )
    @functools.wraps(func)
    def wrapper(
        *args: Any,
        store_dir: str | None,
        endpoint: str | None,
        graph_store: str | None,
        user: str | None,
        password: str | None,
        timeout: float | None,
        **kwargs: Any,
    ) -> Any:
        if store_dir is not None and endpoint:
            raise click.UsageError("give --store or --endpoint, not both")
        store_opts = {
            "store_dir": store_dir,
            "endpoint": endpoint,
            "graph_store": graph_store,
            "user": user,
            "password": password,
            "timeout": timeout,
        }
        return func(*args, store_opts=store_opts, **kwargs)

    return wrapper  # type: ignore[return-value]


def _write_output(data: bytes, output: str = "-") -> None:
    """Write to stdout or a file; a file that cannot be written is one error line (exit 2)."""
    if output == "-":
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except BrokenPipeError:
            _stdout_closed()
        return
    from kg.serialize import write_atomic

    try:
        write_atomic(output, data)
    except BrokenPipeError:  # -o /dev/stdout or a FIFO whose reader went away
        _stdout_closed()
    except OSError as exc:
        from kg.ingest import display_name

        why = (exc.strerror or str(exc)).lower()
        click.echo(f"Error: {display_name(output)}: cannot write ({why})", err=True)
        sys.exit(EXIT_USAGE)


def _stdout_closed() -> None:
    """The reader of stdout went away (``kg query … | head``): stop quietly, as Unix
    tools do; stdout goes to /dev/null so that Python's own flush at exit is quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(141)


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "ntriples", "nquads", "trig"]),
    help="Format of every FILE  [default: from the suffix: .ttl .nt .nq .trig; Turtle for -]",
)
@store_options
@verbosity
@handle_errors
def load(files: tuple[str, ...], fmt: str | None, store_opts: dict[str, Any]) -> None:
    """Load RDF files (kg's output or anyone's) into the store.

    Each schema:NewsArticle of a Turtle or N-Triples file goes into a named
    graph named after the article's IRI; N-Quads and TriG keep their graph
    names; the rest of a file goes into a graph named after the file. Loading
    again replaces those graphs, so counts never grow on a re-load. The
    ontology is (re)loaded into its own graph every time.
    """
    from pathlib import Path

    from kg.errors import InputError
    from kg.store import open_store

    quiet = click.get_current_context().meta.get("kg.quiet")
    failed = 0
    with _writing(open_store(**store_opts)) as store:
        store.load_ontology()
        for name in files:
            try:
                graphs = store.load_file(Path(name), fmt)
            except InputError as exc:
                _report_failure(exc)
                failed += 1
                continue
            if not quiet:
                filled = [g for g, n in graphs.items() if n]
                click.echo(
                    f"kg: {name}: {len(filled)} graphs, {sum(graphs.values())} triples "
                    f"loaded into {store.location}",
                    err=True,
                )
    sys.exit(EXIT_INPUTS_FAILED if failed else EXIT_OK)


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("sparql", metavar="[QUERY]", required=False)
@click.option("--saved", metavar="NAME", help="Run a saved query (see --list).")
@click.option("--list", "list_saved", is_flag=True, help="List the saved queries and exit.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind ?NAME to VALUE (repeatable): <IRI>, prefix:name with a kg prefix "
    "(schema:Person), else a plain string. Never pasted into the query text.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "tsv", "table"]),
    default="json",
    show_default=True,
    help="Format of SELECT and ASK results (SPARQL 1.1 JSON, CSV, TSV, or a table); "
    "CONSTRUCT and DESCRIBE always give Turtle.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Run SERVICE clauses (they make the store fetch from other servers); refused "
    "without this.",
)
@store_options
@verbosity
@handle_errors
def query(
    sparql: str | None,
    saved: str | None,
    list_saved: bool,
    params: tuple[str, ...],
    fmt: str,
    allow_service: bool,
    store_opts: dict[str, Any],
) -> None:
    """Run a read-only SPARQL query: QUERY is the text, - for stdin, or @FILE.rq.

    The default graph is the merge of every named graph (one graph per
    article), and the kg:, schema:, skos:, prov:, rdf:, rdfs:, xsd:, owl:
    and sh: prefixes are predeclared. Updates are refused. With --endpoint
    the default graph is the server's union; an Oxigraph server repeats a
    triple once per graph that holds it, so write SELECT DISTINCT there, as
    the saved queries do.
    """
    from kg.query import parse_param, read_query, saved_queries, saved_query, table
    from kg.store import open_store

    if list_saved:
        listing = [[q.name, q.description] for q in saved_queries().values()]
        _write_output(table(["name", "description"], listing).encode())
        return
    if (sparql is None) == (saved is None):
        raise click.UsageError("give a QUERY or --saved NAME (or --list)")
    text = saved_query(saved).text if saved else read_query(sparql or "")
    bindings = dict(parse_param(p) for p in params)
    with open_store(read_only=True, **store_opts) as store:
        try:
            store.stream_query(
                text,
                bindings,
                fmt,
                sys.stdout.buffer,
                timeout=store_opts["timeout"],
                allow_service=allow_service,
            )
        except BrokenPipeError:
            _stdout_closed()


@cli.command(epilog=EXIT_CODES_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people or JSON for scripts.",
)
@store_options
@verbosity
@handle_errors
def stats(fmt: str, store_opts: dict[str, Any]) -> None:
    """Count articles, named graphs and quads; entities per class, facts per
    property (plain triples that a statement describes), statements per modality."""
    import json

    from kg.query import render_stats
    from kg.store import open_store

    with open_store(read_only=True, **store_opts) as store:
        doc = store.stats().to_json()
    text = json.dumps(doc, indent=2) + "\n" if fmt == "json" else render_stats(doc)
    _write_output(text.encode())


@cli.command(epilog=EXIT_CODES_HELP)
@click.option(
    "-o", "--output", default="-", show_default=True, help="Where to write; - for stdout."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["nquads", "trig"]),
    default="nquads",
    show_default=True,
    help="N-Quads or TriG; every named graph, sorted.",
)
@store_options
@verbosity
@handle_errors
def export(output: str, fmt: str, store_opts: dict[str, Any]) -> None:
    """Dump the whole store, graph by graph."""
    from kg.store import open_store

    with open_store(read_only=True, **store_opts) as store:
        data = store.export(fmt)
    _write_output(data, output)


@cli.command(epilog=EXIT_CODES_HELP)
@extraction_options
@store_options
@verbosity
@handle_errors
def ingest(
    inputs: tuple[str, ...],
    report: str | None,
    no_validate: bool,
    base: str,
    model: str,
    globs: tuple[str, ...],
    jobs: int,
    store_opts: dict[str, Any],
) -> None:
    """Extract, validate and load articles into the store in one pass.

    Each article goes into its own named graph (the article's IRI); articles
    whose text is already in the store are skipped. A graph that does not
    conform to the shapes is not loaded.
    """
    from kg.pipeline import ingest as run_ingest
    from kg.store import open_store

    started = time.perf_counter()
    check_output("--report", report, inputs, globs)
    settings = Settings(
        base=base, model=model, validate=not no_validate, jobs=jobs, globs=tuple(globs)
    )
    quiet = bool(click.get_current_context().meta.get("kg.quiet"))
    with _writing(open_store(**store_opts)) as store:
        # A run killed after its articles' write and before the ontology's left
        # a store without the class hierarchy (Places without their Countries):
        # every ingest mends that first, whatever it then has to load.
        store.ensure_ontology()
        outcome = run_ingest(
            list(inputs), settings, store, on_error=_report_failure, on_progress=ProgressLine(quiet)
        )
    result = outcome.run
    if outcome.report is not None and not outcome.report.conforms:
        _reject(outcome.report, report, "loaded")
    if not quiet:
        click.echo(
            f"kg: {len(outcome.built.graphs)} articles loaded, {outcome.skipped} unchanged, "
            f"{outcome.built.statements} statements, {len(result.failures)} failed inputs, "
            f"{time.perf_counter() - started:.1f} s",
            err=True,
        )
    sys.exit(EXIT_INPUTS_FAILED if result.failures else EXIT_OK)


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("name")
@click.option(
    "--graph",
    "graph_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Explain from these RDF files instead of the store (repeatable).",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False),
    help="Embedded store folder [default: $KG_STORE or ~/.local/share/kg/store].",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@verbosity
@handle_errors
def explain(name: str, graph_files: tuple[str, ...], store_dir: str | None, fmt: str) -> None:
    """Show the statements behind what the graph says about NAME (a label or alias):
    each fact with its sentence, modality, confidence, article and source."""
    import json

    from kg.explain import EXPLAIN_QUERY, NAME_QUERY, matching_labels
    from kg.explain import explain as explain_rows

    rows_of = (
        _query_rows_from_files(graph_files) if graph_files else _query_rows_from_store(store_dir)
    )
    labels = matching_labels(rows_of(NAME_QUERY), name)
    if not labels:
        click.echo(f"Error: no entity is called {name!r}", err=True)
        sys.exit(EXIT_INPUTS_FAILED)
    found = explain_rows(rows_of(EXPLAIN_QUERY), labels)
    if fmt == "json":
        click.echo(json.dumps([_asdict(e) for e in found], indent=1, ensure_ascii=False))
        return
    for e in found:
        source = f"; according to {e.source}" if e.source else ""
        click.echo(f"{e.subject} {e.predicate} {e.obj}  [{e.modality}, {e.confidence}{source}]")
        click.echo(f"    {e.article}: \u201c{e.evidence}\u201d")


def _asdict(obj: Any) -> dict[str, Any]:
    import dataclasses

    return dataclasses.asdict(obj)


def _query_rows_from_store(store_dir: str | None) -> Callable[[str], list[dict[str, str | None]]]:
    from pathlib import Path

    from kg.store import open_store

    store = open_store(Path(store_dir) if store_dir else None, read_only=True)

    def rows(query: str) -> list[dict[str, str | None]]:
        result = store.query(query)
        return [
            {
                name: result_row[name].value if name in result_row else None
                for name in result.variables
            }
            for result_row in result.rows
        ]

    return rows


def _query_rows_from_files(files: tuple[str, ...]) -> Callable[[str], list[dict[str, str | None]]]:
    from rdflib import Graph

    from kg.errors import InputError
    from kg.validate import FORMATS

    graph = Graph()
    for path in files:
        fmt = FORMATS.get(path[path.rfind(".") :], "turtle")
        try:
            graph.parse(path, format=fmt)
        except Exception as exc:  # rdflib raises many kinds for a bad file
            raise InputError(path, f"cannot parse RDF: {str(exc).splitlines()[0]}") from exc

    def rows(query: str) -> list[dict[str, str | None]]:
        result = graph.query(query)
        names = [str(v) for v in result.vars or []]
        return [{n: (str(r[n]) if r[n] is not None else None) for n in names} for r in result]

    return rows


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM (kill): the same clean stop as Ctrl-C


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, _terminated)
    try:
        cli(prog_name="kg")
    except KeyboardInterrupt:  # before a command started (its own handler says more)
        click.echo("Interrupted: nothing was written.", err=True)
        sys.exit(130)
