"""The `kg` command line: option parsing, logging, rendering and exit codes."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

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
  4  store, endpoint or cluster error (also a query stopped by --timeout)
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
            click.echo(f"Interrupted: {_written()}{_in_part()}.", err=True)
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


def _in_part() -> str:
    """The graph a store was writing in pieces when interrupted, if any (kg.store)."""
    ctx = click.get_current_context(silent=True)
    stores = ctx.meta.get("kg.stores", []) if ctx is not None else []
    parts = [f"<{s.graph_in_pieces}>" for s in stores if getattr(s, "graph_in_pieces", None)]
    if not parts:
        return "nothing was left half-written"
    return (
        f"{', '.join(parts)} was being written in pieces and holds part of its triples "
        "(load the file again to finish)"
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


_SCHEDULER = re.compile(r"[a-z][a-z0-9+.-]*://(\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+):\d+/?")


def _check_cluster(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _SCHEDULER.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not a scheduler address like tcp://HOST:PORT")
    return value


def extraction_options(func: F) -> F:
    """INPUTS, --report, --no-validate, --base, --model, --jobs, --cluster: what extracting
    needs."""
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
            "--relations-model",
            metavar="DIR",
            envvar="KG_RELATIONS_MODEL",
            show_envvar=True,
            help="A trained relation model beside the rules: a folder from `kg train`, "
            "or 'default' for the shipped one  [default: the rules alone]",
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
            help="Worker processes; output is identical for any number.",
        ),
        click.option(
            "--cluster",
            metavar="tcp://HOST:PORT",
            callback=_check_cluster,
            envvar="KG_CLUSTER",
            show_envvar=True,
            help="Run on a Dask cluster (its scheduler's address; needs kg[cluster]) "
            "instead of --jobs; output is identical.",
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
        # ``total`` is 0 while inputs are still being read (a streamed run).
        counts = f"{done}/{total}" if total else f"{done}"
        click.echo(
            f"\r{counts} articles, {words / elapsed:,.0f} words/s"
            + (f", {left:.0f} s left " if total else " "),
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


def _quarantined(built: Any, report: str | None, what: str) -> None:
    """Name each article whose graph did not conform (it was left out; the others went
    on), with the SHACL reports on stderr or in --report; exit 3 if nothing is left."""
    if not built.rejected:
        return
    for identifier, outcome in built.rejected:
        click.echo(
            f"Error: {printable(identifier)}: its graph does not conform to the shapes "
            f"({outcome.violations} violations); not {what}",
            err=True,
        )
    _emit_report("\n".join(outcome.text for _, outcome in built.rejected), report)
    if not built.articles:
        click.echo(f"Error: no article's graph conforms to the shapes; nothing {what}", err=True)
        sys.exit(EXIT_NONCONFORMING)


def _reject(outcome: ValidationReport, report: str | None, what: str) -> None:
    """Report a non-conforming graph and exit 3."""
    _emit_report(outcome.text, report)
    click.echo(
        f"Error: the graph does not conform to the shapes "
        f"({outcome.violations} violations); nothing {what}",
        err=True,
    )
    sys.exit(EXIT_NONCONFORMING)


def output_path_problem(path: str) -> str | None:
    """Why ``path`` cannot be written as an output file, or None if it can."""
    from pathlib import Path

    target = Path(path)
    parent = target.parent
    if target.is_dir():
        return "is a folder; give a file name"
    if not parent.exists():
        return f"no such folder {str(parent)!r}"
    if not parent.is_dir():
        return f"{str(parent)!r} is not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"cannot write in folder {str(parent)!r} (permission denied)"
    return None


def check_output_paths(*paths: str | None) -> None:
    """Refuse, before any work, output paths that cannot be written: one line, exit 2."""
    for path in paths:
        if path and path != "-":
            problem = output_path_problem(path)
            if problem:
                click.echo(f"Error: {path}: {problem}", err=True)
                sys.exit(EXIT_USAGE)


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
    type=click.Choice(["turtle", "nt", "nquads", "trig", "jsonld"]),
    default="turtle",
    show_default=True,
    help="Turtle; sorted N-Triples; N-Quads or TriG, one graph per article; JSON-LD.",
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
    relations_model: str | None,
    globs: tuple[str, ...],
    jobs: int,
    cluster: str | None,
) -> None:
    """Extract a knowledge graph from news articles (files, folders, - for stdin).

    The graph is validated against the shipped SHACL shapes before it is
    written; a graph that does not conform is written nowhere.
    """
    check_output_paths(output, report)
    from kg.serialize import QuadLines, TripleLines
    from kg.stream import stream

    started = time.perf_counter()
    check_output("-o", output, inputs, globs)
    if report and output != "-" and os.path.realpath(report) == os.path.realpath(output):
        click.echo(f"Error: --report {report}: is the -o file too; write it elsewhere", err=True)
        sys.exit(EXIT_USAGE)
    check_output("--report", report, inputs, globs)
    settings = Settings(
        base=base,
        model=model,
        validate=not no_validate,
        jobs=jobs,
        relations_model=relations_model,
        globs=tuple(globs),
        cluster=cluster,
    )
    quiet = bool(click.get_current_context().meta.get("kg.quiet"))
    # Only what the output needs is kept: the set of triples, or the quads (sorted
    # runs spill to disk past a bound).
    lines: TripleLines = QuadLines() if fmt in ("nquads", "trig") else TripleLines()
    result = stream(
        list(inputs),
        settings,
        lines.add,
        on_error=_report_failure,
        on_progress=ProgressLine(quiet),
    )
    built = result.built
    if not result.extracted:
        click.echo(f"Error: no article could be read from {len(inputs)} input(s)", err=True)
        sys.exit(EXIT_INPUTS_FAILED)
    _quarantined(built, report, "written")
    if built.report is not None:
        if not built.report.conforms:
            _reject(built.report, report, "written")
        if report and not built.rejected:
            _emit_report(built.report.text, report)
    _write_lines(lines, fmt, output)
    if not quiet:
        click.echo(
            f"kg: {built.articles} articles, {built.statements} statements, "
            f"{len(result.failures) + len(built.rejected)} failed inputs, "
            f"{time.perf_counter() - started:.1f} s",
            err=True,
        )
    sys.exit(EXIT_INPUTS_FAILED if result.failures or built.rejected else EXIT_OK)


def _write_lines(lines: Any, fmt: str, output: str) -> None:
    """Write a run's sorted lines as ``fmt``: N-Triples, N-Quads and Turtle a block at a
    time; TriG and JSON-LD (written from the whole) after merging them in memory."""
    from kg.serialize import jsonld_from_ntriples, trig_from_nquads

    if fmt in ("trig", "jsonld"):
        data = lines.ntriples()
        data = trig_from_nquads(data) if fmt == "trig" else jsonld_from_ntriples(data)
        _write_output(data, output)
        return
    _write_output(lambda fh: lines.write(fmt, fh), output)


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


def _write_output(data: bytes | Callable[[BinaryIO], None], output: str = "-") -> None:
    """Write to stdout or a file; a file that cannot be written is one error line (exit 2).

    ``data`` is bytes, or a function that writes to the file it is given (a file
    is renamed into place once it returns: nothing is ever half-written)."""
    if output == "-":
        try:
            if callable(data):
                data(sys.stdout.buffer)
            else:
                sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except BrokenPipeError:
            _stdout_closed()
        return
    from kg.serialize import atomic_writer

    try:
        with atomic_writer(output) as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data)
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


@cli.command("validate", epilog=EXIT_CODES_HELP)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "nt", "nquads", "trig", "jsonld"]),
    help="Format of every FILE  [default: from the suffix: .ttl .nt .nq .trig .jsonld; "
    "Turtle for -]",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False),
    help="Write the SHACL report here instead of stderr.",
)
@store_options
@verbosity
@handle_errors
def validate_cmd(
    files: tuple[str, ...], fmt: str | None, report: str | None, store_opts: dict[str, Any]
) -> None:
    """Validate RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD; - for stdin), or
    with --store / --endpoint and no FILES the whole store (the merge of its graphs),
    against kg's SHACL shapes."""
    check_output_paths(report)
    check_output("--report", report, files)
    on_store = store_opts["store_dir"] is not None or store_opts["endpoint"]
    if bool(files) == bool(on_store):
        raise click.UsageError("give FILES, or --store DIR / --endpoint URL (not both)")
    if files:
        from kg.validate import validate_files

        outcome = validate_files(list(files), fmt)
        what = f"{len(files)} file(s) conform"
    else:
        from kg.store import open_store
        from kg.validate import validate_store

        with open_store(read_only=True, **store_opts) as store:
            outcome = validate_store(store)
            what = f"the store {store.location} conforms"
    if outcome.conforms:
        click.echo(f"{what} to the shapes", err=True)
        if report:
            _emit_report(outcome.text, report)
        return
    _emit_report(outcome.text, report)
    click.echo(f"Error: {outcome.violations} violations", err=True)
    sys.exit(EXIT_NONCONFORMING)


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

    from kg.store import open_store
    from kg.store.base import LoadedFile

    quiet = click.get_current_context().meta.get("kg.quiet")
    with _writing(open_store(**store_opts)) as store:

        def say(loaded: LoadedFile) -> None:
            if loaded.error is not None:
                _report_failure(loaded.error)
            elif not quiet:
                filled = [g for g, n in loaded.counts.items() if n]
                click.echo(
                    f"kg: {loaded.name}: {len(filled)} graphs, {sum(loaded.counts.values())} "
                    f"triples loaded into {store.location}",
                    err=True,
                )

        done = store.load_files([Path(name) for name in files], fmt, say)
    failed = any(loaded.error is not None for loaded in done)
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
    help="Bind any ?NAME of the query to VALUE (repeatable): <IRI>, prefix:name "
    "(schema:Person), a number (0.8), a date (2020-01-19), true/false, "
    '"text"@en, "2020"^^xsd:gYear, "quoted" for a string, else a plain string. '
    "Sent as escaped terms, never pasted into the query text.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "tsv", "table", "markdown"]),
    default="json",
    show_default=True,
    help="Format of SELECT and ASK results (SPARQL 1.1 JSON, CSV, TSV, a table wrapped "
    "to the terminal, or Markdown); CONSTRUCT and DESCRIBE always give Turtle.",
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

    Saved query names are matched without regard to case.

    The default graph is the merge of every named graph (one graph per
    article), and the kg:, schema:, skos:, prov:, rdf:, rdfs:, xsd:, owl:
    and sh: prefixes are predeclared. Updates are refused. With --endpoint
    the default graph is the server's union; an Oxigraph server repeats a
    triple once per graph that holds it, so write SELECT DISTINCT there, as
    the saved queries do.
    """
    from kg.params import bind_params, parse_param
    from kg.query import read_query, render_result, saved_queries, saved_query, table
    from kg.store import open_store

    if list_saved:
        listing = [[q.name, q.description] for q in saved_queries().values()]
        _write_output(table(["name", "description"], listing).encode())
        return
    if (sparql is None) == (saved is None):
        raise click.UsageError("give a QUERY or --saved NAME (or --list)")
    text = saved_query(saved).text if saved else read_query(sparql or "")
    text = bind_params(text, dict(parse_param(p) for p in params))
    with open_store(read_only=True, **store_opts) as store:
        if fmt == "markdown":  # a whole table: Markdown needs every row's width
            _write_output(render_result(store.query(text, allow_service=allow_service), fmt))
            return
        try:
            store.stream_query(
                text,
                None,
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

    check_output_paths(output)
    with open_store(read_only=True, **store_opts) as store:
        data = store.export(fmt)
    _write_output(data, output)


@cli.command(epilog=EXIT_CODES_HELP)
@click.option(
    "--force", is_flag=True, help="Extract again articles whose text is already in the store."
)
@extraction_options
@store_options
@verbosity
@handle_errors
def ingest(
    force: bool,
    inputs: tuple[str, ...],
    report: str | None,
    no_validate: bool,
    base: str,
    model: str,
    relations_model: str | None,
    globs: tuple[str, ...],
    jobs: int,
    cluster: str | None,
    store_opts: dict[str, Any],
) -> None:
    """Extract, validate and load articles into the store in one pass.

    An article is its identifier (its path under the input folder, or its
    URL) and goes into its own named graph. Articles already in the store
    with the same text are skipped (unless --force); an article whose text
    changed replaces its graph. Names resolve against the entities the store
    holds, so any split of the same articles into runs gives the same store.
    A graph that does not conform to the shapes is not loaded.
    """
    from kg.pipeline import ingest as run_ingest
    from kg.store import open_store

    check_output_paths(report)
    started = time.perf_counter()
    check_output("--report", report, inputs, globs)
    settings = Settings(
        base=base,
        model=model,
        validate=not no_validate,
        jobs=jobs,
        relations_model=relations_model,
        globs=tuple(globs),
        cluster=cluster,
    )
    quiet = bool(click.get_current_context().meta.get("kg.quiet"))
    with _writing(open_store(**store_opts)) as store:
        # A run killed after its articles' write and before the ontology's left
        # a store without the class hierarchy (Places without their Countries):
        # every ingest mends that first, whatever it then has to load.
        store.ensure_ontology()
        outcome = run_ingest(
            list(inputs),
            settings,
            store,
            on_error=_report_failure,
            on_progress=ProgressLine(quiet),
            force=force,
        )
    result = outcome.run
    _quarantined(outcome.built, report, "loaded")
    if outcome.report is not None and not outcome.report.conforms:
        _reject(outcome.report, report, "loaded")
    failed = len(result.failures) + len(outcome.built.rejected)
    if not quiet:
        click.echo(
            f"kg: {len(outcome.built.graphs)} articles loaded, {outcome.skipped} unchanged, "
            f"{outcome.built.statements} statements, {failed} failed inputs, "
            f"{time.perf_counter() - started:.1f} s"
            + (f"; {outcome.replaced} edited articles replaced" if outcome.replaced else "")
            + (f"; {outcome.rewritten} other graphs updated" if outcome.rewritten else ""),
            err=True,
        )
    sys.exit(EXIT_INPUTS_FAILED if failed else EXIT_OK)


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("articles", nargs=-1, required=True)
@click.option(
    "--base",
    default=DEFAULT_BASE,
    show_default=True,
    callback=_check_base,
    help="Base IRI the articles were ingested under.",
)
@store_options
@verbosity
@handle_errors
def delete(articles: tuple[str, ...], base: str, store_opts: dict[str, Any]) -> None:
    """Remove ARTICLES (identifiers as ingested, e.g. 001.txt or a URL, or article IRIs)
    from the store, with the entities no other article names.

    All of them in one transaction (embedded store); an ARTICLE the store does
    not hold is an error and nothing is removed.
    """
    from kg.pipeline import delete as run_delete
    from kg.store import open_store

    quiet = bool(click.get_current_context().meta.get("kg.quiet"))
    with open_store(**store_opts) as store:
        removed = run_delete(list(articles), Settings(base=base), store)
    if not quiet:
        click.echo(f"kg: {len(removed)} articles deleted from {store.location}", err=True)


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("name")
@click.option(
    "--graph",
    "graph_files",
    multiple=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Explain from these RDF files (any format kg writes; - for stdin) instead of "
    "the store (repeatable).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@store_options
@verbosity
@handle_errors
def explain(name: str, graph_files: tuple[str, ...], fmt: str, store_opts: dict[str, Any]) -> None:
    """Show the statements behind what the graph says about NAME (a label or alias,
    in any case): each fact with its sentence, modality, confidence, article and source."""
    import json

    from kg.explain import EXPLAIN_QUERY, NAME_QUERY, matching_labels
    from kg.explain import conflicts as explain_conflicts
    from kg.explain import explain as explain_rows

    with _rows_source(graph_files, store_opts) as rows_of:
        labels = matching_labels(rows_of(NAME_QUERY), name)
        if not labels:
            click.echo(f"Error: no entity is called {name!r}", err=True)
            sys.exit(EXIT_INPUTS_FAILED)
        found = explain_rows(rows_of(EXPLAIN_QUERY), labels)
    if fmt == "json":
        click.echo(json.dumps([_asdict(e) for e in found], indent=1, ensure_ascii=False))
        return
    for line in explain_conflicts(found):
        click.echo(f"conflict: {line}")
    for e in found:
        source = f"; according to {e.source}" if e.source else ""
        by = f"; by {e.rule}" if e.rule else ""
        click.echo(f"{e.subject} {e.predicate} {e.obj}  [{e.modality}, {e.confidence}{source}{by}]")
        click.echo(f"    {e.article}: \u201c{e.evidence}\u201d")


def _asdict(obj: Any) -> dict[str, Any]:
    import dataclasses

    return dataclasses.asdict(obj)


Rows = Callable[[str], list[dict[str, str | None]]]


@contextlib.contextmanager
def _rows_source(graph_files: tuple[str, ...], store_opts: dict[str, Any]) -> Iterator[Rows]:
    """A function from SPARQL to rows of plain values, over the files or the store."""
    if graph_files:
        from kg.formats import read_graph

        graph = read_graph(graph_files)

        def file_rows(query: str) -> list[dict[str, str | None]]:
            result = graph.query(query)
            names = [str(v) for v in result.vars or []]
            return [{n: (str(r[n]) if r[n] is not None else None) for n in names} for r in result]

        yield file_rows
        return
    from kg.store import open_store

    with open_store(read_only=True, **store_opts) as store:

        def store_rows(query: str) -> list[dict[str, str | None]]:
            result = store.query(query)
            return [
                {n: row[n].value if n in row else None for n in result.variables}
                for row in result.rows
            ]

        yield store_rows


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1)
@click.option(
    "--graph",
    "graph_files",
    multiple=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Report on these RDF files (any format kg writes) instead of the store (repeatable).",
)
@click.option(
    "-o", "--output", default="-", show_default=True, help="Where to write the page; - for stdout."
)
@click.option("--title", default="kg report", show_default=True, help="The page's title.")
@click.option(
    "--base",
    default=DEFAULT_BASE,
    show_default=True,
    callback=_check_base,
    help="Base IRI, when INPUTS are articles.",
)
@click.option(
    "--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline, for INPUTS."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="all cores",
    help="Worker processes for NLP, for INPUTS.",
)
@store_options
@verbosity
@handle_errors
def report(
    inputs: tuple[str, ...],
    graph_files: tuple[str, ...],
    output: str,
    title: str,
    base: str,
    model: str,
    jobs: int,
    store_opts: dict[str, Any],
) -> None:
    """Write one self-contained HTML page about the graph: an index of articles and
    entities; each article's text with its entities marked and its facts, each linked
    to its sentence; each entity's facts and a picture of its neighbourhood.

    From articles (INPUTS: files, folders, - for stdin; their full texts are shown),
    from RDF files (--graph), or else from the store (which keeps no full text: the
    sentences that facts quote are shown). No script, no network: the page opens
    anywhere.
    """
    if inputs and graph_files:
        raise click.UsageError("give articles (INPUTS) or --graph FILE, not both")
    check_output_paths(output)
    from kg.report import graph_from_store, report_html

    texts: dict[str, str] | None = None
    if inputs:
        from kg.pipeline import build as build_graphs
        from kg.pipeline import run as run_pipeline

        settings = Settings(base=base, model=model, validate=True, jobs=jobs)
        result = run_pipeline(list(inputs), settings, on_error=_report_failure)
        built = build_graphs(result, check=True)
        _quarantined(built, None, "in the report")
        if built.report is not None and not built.report.conforms:
            _reject(built.report, None, "written")
        from rdflib import Graph

        from kg.serialize import merge_ntriples

        graph = Graph().parse(data=merge_ntriples(built.graphs), format="nt")
        texts = {a.identifier: a.text for a in result.articles}
    elif graph_files:
        from kg.formats import read_graph

        graph = read_graph(graph_files)
    else:
        from kg.store import open_store

        with open_store(read_only=True, **store_opts) as store:
            graph = graph_from_store(store)
    page = report_html(graph, texts, title)
    _write_output(page.encode("utf-8"), output)
    if not click.get_current_context().meta.get("kg.quiet") and output != "-":
        click.echo(f"kg: report written to {output}", err=True)


# --------------------------------------------------------------------------- eval and train


@cli.command("eval", epilog=EXIT_CODES_HELP)
@click.argument("args", nargs=-1, metavar="[GOLD.yaml INPUT...]")
@click.option(
    "--conll04",
    "conll04",
    type=click.Path(dir_okay=False),
    metavar="SPLIT.json",
    help="Score on a CoNLL04 split (SpERT JSON) instead, strictly.",
)
@click.option(
    "--gold-entities",
    is_flag=True,
    help="With --conll04: give the model the gold entities (scores the relation model alone).",
)
@click.option(
    "--texts",
    type=click.Path(file_okay=False),
    help="The articles' texts, for provenance, when the inputs are graphs (.ttl, .nt, .nq).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option("--detail", is_flag=True, help="Also list what is missing or wrong.")
@click.option(
    "--relations-model",
    metavar="DIR",
    help="A relation model beside the rules: a folder from `kg train`, or 'default'.",
)
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes for NLP.",
)
@verbosity
@handle_errors
def eval_cmd(
    args: tuple[str, ...],
    conll04: str | None,
    gold_entities: bool,
    texts: str | None,
    fmt: str,
    detail: bool,
    relations_model: str | None,
    model: str,
    jobs: int,
) -> None:
    """Score kg against a gold file: `kg eval GOLD.yaml INPUT...` (articles, folders, or
    graphs kg wrote), or `kg eval --conll04 SPLIT.json` on the CoNLL04 benchmark.

    Prints P/R/F1 per property and overall, entity recall and duplicates,
    negatives broken (gold files; the rules of CONTRACT.md "How output is
    scored"), or strict P/R/F1 per relation type (CoNLL04).
    """
    import json

    from kg.evaluation.evaluate import conll_table, eval_conll04, eval_gold, gold_table

    settings = Settings(model=model, jobs=jobs, validate=False, relations_model=relations_model)
    if conll04:
        if args:
            raise click.UsageError("--conll04 takes no GOLD or INPUT arguments")
        cscore = eval_conll04(conll04, settings, gold_entities=gold_entities)
        out = json.dumps(cscore.as_dict(), indent=1) if fmt == "json" else conll_table(cscore)
        click.echo(out)
        return
    if gold_entities:
        raise click.UsageError("--gold-entities goes with --conll04")
    if len(args) < 2:
        raise click.UsageError("give a gold file and at least one input (or --conll04 SPLIT.json)")
    score, failed = eval_gold(args[0], list(args[1:]), settings, texts, on_error=_report_failure)
    if fmt == "json":
        click.echo(json.dumps(score.as_dict(verbose=detail), indent=1, ensure_ascii=False))
    else:
        click.echo(gold_table(score, detail=detail))
    sys.exit(EXIT_INPUTS_FAILED if failed else EXIT_OK)


@cli.command(epilog=EXIT_CODES_HELP)
@click.option(
    "--conll04",
    "conll04",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A CoNLL04 split (SpERT JSON). Evaluation data: do not ship what it trains.",
)
@click.option(
    "--redocred",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A Re-DocRED JSON file (Wikidata properties mapped to the contract's).",
)
@click.option(
    "--gold",
    "gold",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="A gold YAML file; its texts are the folder given by --texts.",
)
@click.option("--texts", type=click.Path(file_okay=False), help="The texts of --gold.")
@click.option(
    "-o", "--output", required=True, type=click.Path(file_okay=False), help="Model folder to write."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the held-out split.")
@click.option(
    "--holdout",
    type=click.FloatRange(0, 0.5),
    default=0.1,
    show_default=True,
    help="Share of sentences held out to calibrate and choose the threshold.",
)
@click.option(
    "--folds",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Cross-fit instead of holding out: K folds set temperature and threshold, "
    "then the model learns from every sentence (K+1 fits).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    help="Probability a proposal needs  [default: best F1 on the held-out sentences]",
)
@click.option(
    "--min-precision",
    type=click.FloatRange(0, 1),
    help="Instead, the lowest threshold whose held-out precision reaches this.",
)
@click.option("--epochs", type=click.IntRange(min=1), default=300, show_default=True)
@click.option("--l2", type=click.FloatRange(min=0), default=1e-4, show_default=True)
@click.option(
    "--properties",
    metavar="P,P,…",
    help="Learn only these contract properties (e.g. schema:worksFor,kg:leaderOf).",
)
@click.option(
    "--emit",
    metavar="P,P,…",
    help="Propose only these properties (the model still learns the others).",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Features seen in fewer training pairs are left out.",
)
@click.option(
    "--prune",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Drop features whose weights all stay below this (a smaller model).",
)
@click.option(
    "--entities/--no-entities",
    default=None,
    help="Also fine-tune spaCy's NER on the CoNLL04 entity types, into the folder's ner/, "
    "for `kg eval --conll04` end to end (never used by extract)  [default: with --conll04]",
)
@click.option(
    "--entity-epochs",
    type=click.IntRange(min=1),
    default=12,
    show_default=True,
    help="Passes over the data of the entity component's training.",
)
@click.option(
    "--entity-models",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Entity components to train (seeds SEED, SEED+1, …); they vote.",
)
@click.option("--name", default="relations", show_default=True, help="Name in `kg explain`.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline.")
@verbosity
@handle_errors
def train(
    conll04: tuple[str, ...],
    redocred: tuple[str, ...],
    gold: tuple[str, ...],
    texts: str | None,
    output: str,
    seed: int,
    holdout: float,
    folds: int,
    threshold: float | None,
    min_precision: float | None,
    epochs: int,
    l2: float,
    properties: str | None,
    emit: str | None,
    min_count: int,
    prune: float,
    entities: bool | None,
    entity_epochs: int,
    entity_models: int,
    name: str,
    model: str,
) -> None:
    """Train a relation model from CoNLL04, Re-DocRED or gold YAML data into a folder
    (model.json and weights.npz) for `--relations-model DIR`. The same data and seed
    give the same model."""
    import json

    from kg.nlp.relmodel.train import Source
    from kg.nlp.relmodel.train import train as train_model

    if gold and not texts:
        raise click.UsageError("--gold needs --texts (the folder of the gold set's articles)")
    sources = [Source("conll04", p) for p in conll04] + [Source("redocred", p) for p in redocred]
    sources += [Source("gold", p, texts) for p in gold]
    if not sources:
        raise click.UsageError("give training data: --conll04, --redocred or --gold")
    if entities and not conll04:
        raise click.UsageError("--entities needs --conll04 data (it learns CoNLL04's entities)")
    started = time.perf_counter()
    trained = train_model(
        sources,
        model=model,
        seed=seed,
        holdout=holdout,
        folds=folds,
        threshold=threshold,
        min_precision=min_precision,
        epochs=epochs,
        l2=l2,
        name=name,
        properties=[p.strip() for p in properties.split(",") if p.strip()] if properties else (),
        min_count=min_count,
        prune=prune,
        emit=[p.strip() for p in emit.split(",") if p.strip()] if emit else (),
    )
    ner: list[object] = []
    if conll04 and entities is not False:
        from kg.nlp.relmodel.train import train_entities

        ner, trained.info["entities"] = train_entities(
            sources, model=model, seed=seed, epochs=entity_epochs, members=entity_models
        )
    from kg.nlp.relmodel.model import save_atomic

    save_atomic(trained, output, ner)
    click.echo(json.dumps(trained.info, indent=1), err=True)
    click.echo(f"kg: model written to {output} in {time.perf_counter() - started:.1f} s", err=True)


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
