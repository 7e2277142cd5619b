"""`kg extract|ingest --cluster` on a real Dask LocalCluster of two worker processes on
127.0.0.1: the same bytes as one process, and one clear line when Dask cannot be used."""

from __future__ import annotations

import shutil
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from distributed import LocalCluster

from kg import cluster as kg_cluster
from kg.cli import cli

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

ARTICLES = {
    "oslo.txt": "Talks in Oslo\n\n5 May 2024\n\nNorwegian Prime Minister Ola Berg met Acme "
    "Energy chief executive Kari Holm in Oslo.\n",
    "bergen.txt": "Acme opens office\n\n6 May 2024\n\nAcme Energy opened an office in Bergen, "
    "chief executive Kari Holm said. Holm met Ola Berg in Bergen on Monday.\n",
    "deal.txt": "Deal signed\n\n7 May 2024\n\nNorway and Sweden signed the Nordic Energy "
    "Accord in Stockholm. Berg said Norway would not join the Baltic Pact.\n",
}


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for example in EXAMPLES.glob("*.txt"):
        shutil.copy(example, folder / example.name)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _run(*args: str) -> bytes:
    result = CliRunner().invoke(cli, [*args, "-q"])
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


@pytest.mark.parametrize("fmt", ["turtle", "nquads"])
def test_cluster_writes_the_bytes_of_one_process(scheduler, inputs, fmt):
    one = _run("extract", str(inputs), "--format", fmt, "-j", "1")
    assert one.count(b"NewsArticle") >= len(ARTICLES) + 3
    assert _run("extract", str(inputs), "--format", fmt, "--cluster", scheduler) == one


def _article_quads(store: Path) -> list[bytes]:
    """The store's quads but the ontology's graph (its blank nodes differ per load)."""
    data = _run("export", "--store", str(store))
    return [q for q in data.split(b"\n") if q and not q.endswith(b"/ontology> .")]


def test_cluster_ingest_loads_what_one_process_loads(scheduler, inputs, tmp_path):
    one, many = tmp_path / "one", tmp_path / "many"
    _run("ingest", str(inputs), "--store", str(one), "-j", "1")
    _run("ingest", str(inputs), "--store", str(many), "--cluster", scheduler)
    quads = _article_quads(one)
    assert len(quads) > 100
    assert _article_quads(many) == quads


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_scheduler_is_one_line_in_bounded_time(inputs, tmp_path, monkeypatch):
    monkeypatch.setattr(kg_cluster, "CONNECT_TIMEOUT", 2)
    out = tmp_path / "out.ttl"
    address = f"tcp://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["extract", str(inputs), "-o", str(out), "--cluster", address])
    assert time.monotonic() - started < 15
    assert result.exit_code == 4
    assert result.stderr.startswith(f"Error: --cluster {address}: cannot reach the Dask scheduler")
    assert len(result.stderr.splitlines()) == 1
    assert not out.exists()


def test_bad_address_is_a_usage_error(inputs):
    result = CliRunner().invoke(cli, ["extract", str(inputs), "--cluster", "localhost"])
    assert result.exit_code == 2
    assert "is not a scheduler address like tcp://HOST:PORT" in result.stderr


def test_without_dask_the_extra_is_named(inputs, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    result = CliRunner().invoke(cli, ["extract", str(inputs), "--cluster", "tcp://127.0.0.1:1"])
    assert result.exit_code == 4
    assert result.stderr == (
        "Error: --cluster tcp://127.0.0.1:1: Dask is not installed; "
        "pip install 'kg-populator[cluster]'\n"
    )


def test_urls_that_fsspec_reads_are_inputs(scheduler, inputs):
    url = f"file://{inputs}/*.txt"
    one = _run("extract", url, "--format", "nt", "-j", "1")
    identifiers = {
        line.split(b" ", 2)[2].rsplit(b" .", 1)[0]
        for line in one.split(b"\n")
        if b"<https://schema.org/identifier>" in line
    }
    expected = {f'"file://{path}"'.encode() for path in sorted(inputs.glob("*.txt"))}
    assert identifiers == expected
    assert _run("extract", url, "--format", "nt", "--cluster", scheduler) == one


def test_a_url_that_names_nothing_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["extract", f"file://{tmp_path}/none.txt", "-j", "1"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: file://{tmp_path}/none.txt: no such file or directory\n"
        "Error: no article could be read from 1 input(s)\n"
    )
