"""The `kg` command line: option parsing, logging, rendering and exit codes."""

from __future__ import annotations

import functools
import logging
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

import click

from kg import __version__
from kg.errors import KgError
from kg.pipeline import run as run_pipeline
from kg.serialize import to_nquads, to_ntriples, to_turtle, write_atomic
from kg.settings import DEFAULT_BASE, DEFAULT_MODEL, Settings
from kg.validate import validate, validate_files

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
  2  usage error (bad option, bad query)
  3  the graph does not conform to the shapes (nothing written)
  4  store or endpoint error
"""


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else
                                         logging.INFO if verbose else logging.WARNING)
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


def fail(exc: KgError) -> None:
    """Report a library error as one `Error: …` line and exit with its code."""
    click.echo(f"Error: {exc}", err=True)
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
            click.echo("Interrupted: nothing was written.", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@click.group(epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """Turn news articles into an RDF knowledge graph and query it."""


def model_options(func: F) -> F:
    """--base and --model, shared by the commands that extract."""
    func = click.option("--model", default=DEFAULT_MODEL, show_default=True,
                        help="spaCy pipeline: an installed package name or a path.")(func)
    func = click.option("--base", default=DEFAULT_BASE, show_default=True,
                        help="Base IRI for entities, articles and statements.")(func)
    return func


def _report_failure(exc: KgError) -> None:
    click.echo(f"Error: {exc}", err=True)


def _emit_report(text: str, report: str | None) -> None:
    if report:
        write_atomic(report, text.encode("utf-8"))
    else:
        click.echo(text.rstrip(), err=True)


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True,
              help="Where to write the graph; - for stdout.")
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "nquads"]), default="turtle",
              show_default=True, help="Turtle; sorted N-Triples; N-Quads, one graph per article.")
@click.option("--report", type=click.Path(dir_okay=False),
              help="Write the SHACL report here instead of stderr.")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL gate (faster; not advised).")
@model_options
@verbosity
@handle_errors
def extract(inputs: tuple[str, ...], output: str, fmt: str, report: str | None,
            no_validate: bool, base: str, model: str) -> None:
    """Extract a knowledge graph from news articles (files, folders, - for stdin).

    The graph is validated against the shipped SHACL shapes before it is
    written; a graph that does not conform is written nowhere.
    """
    started = time.perf_counter()
    settings = Settings(base=base, model=model, validate=not no_validate)
    result = run_pipeline(list(inputs), settings, on_error=_report_failure)
    if not result.graphs:
        click.echo(f"Error: no article could be read from {len(inputs)} input(s)", err=True)
        sys.exit(EXIT_INPUTS_FAILED)
    graph = result.merged()
    if settings.validate:
        outcome = validate(graph)
        if not outcome.conforms:
            _emit_report(outcome.text, report)
            click.echo(f"Error: the graph does not conform to the shapes "
                       f"({outcome.violations} violations); nothing written", err=True)
            sys.exit(EXIT_NONCONFORMING)
        if report:
            _emit_report(outcome.text, report)
    if fmt == "turtle":
        data = to_turtle(graph)
    elif fmt == "nt":
        data = to_ntriples(graph)
    else:
        data = to_nquads(result.graphs)
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomic(output, data)
    if not click.get_current_context().meta.get("kg.quiet"):
        click.echo(f"kg: {len(result.graphs)} articles, {result.statements} statements, "
                   f"{len(result.failures)} failed inputs, "
                   f"{time.perf_counter() - started:.1f} s", err=True)
    sys.exit(EXIT_INPUTS_FAILED if result.failures else EXIT_OK)


@cli.command("validate", epilog=EXIT_CODES_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--report", type=click.Path(dir_okay=False),
              help="Write the SHACL report here instead of stderr.")
@verbosity
@handle_errors
def validate_cmd(files: tuple[str, ...], report: str | None) -> None:
    """Validate RDF files (Turtle, N-Triples, N-Quads) against kg's SHACL shapes."""
    outcome = validate_files(list(files))
    if outcome.conforms:
        click.echo(f"{len(files)} file(s) conform to the shapes", err=True)
        if report:
            _emit_report(outcome.text, report)
        return
    _emit_report(outcome.text, report)
    click.echo(f"Error: {outcome.violations} violations", err=True)
    sys.exit(EXIT_NONCONFORMING)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="kg")
