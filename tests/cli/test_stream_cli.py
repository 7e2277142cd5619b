"""A streamed run (kg.stream.stream): records spilled to a run folder that goes with
the run, sorted runs on disk, the same bytes whatever the workers or the bounds."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import sortlines
from kg import stream as streaming
from kg.cli import cli
from kg.settings import Settings
from kg.stream import stream

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _extract(*args: str) -> bytes:
    result = CliRunner().invoke(cli, ["extract", str(EXAMPLES), "-q", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


@pytest.mark.parametrize("fmt", ["turtle", "nt", "nquads"])
def test_sorted_runs_on_disk_give_the_same_bytes(fmt, monkeypatch, tmp_path):
    whole = _extract("--format", fmt, "-j", "1")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(sortlines, "BOUND", 2_000)  # a run file every few dozen lines
    assert _extract("--format", fmt, "-j", "2") == whole
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("jobs", [1, 2])
def test_records_are_spilled_to_a_folder_that_goes_with_the_run(jobs, monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    # A chunk (and a batch) per article.
    monkeypatch.setattr(streaming, "CHUNK", 1)
    monkeypatch.setattr(streaming, "ONE_PROCESS_CHUNK", 1)
    monkeypatch.setattr(streaming, "VALIDATION_BATCH", 1)
    seen: list[list[str]] = []

    def sink(name: str, data: bytes) -> None:
        # While graphs arrive, the run folder holds the records not built yet.
        (folder,) = tmp_path.glob("kg-run-*")
        seen.append(sorted(p.name for p in folder.iterdir()))
        assert data.endswith(b" .\n")

    result = stream([str(EXAMPLES)], Settings(jobs=jobs), sink)
    assert (result.extracted, result.built.articles) == (3, 3)
    assert result.built.report is not None and result.built.report.conforms
    assert not result.built.graphs, "a sink takes the graphs; the run keeps none"
    if jobs == 1:
        assert seen == [["1", "2"], ["2"], []]
    else:  # workers may have read the next batches' records already
        assert len(seen) == 3 and set(seen[0]) <= {"1", "2"} and seen[-1] == []
    assert not list(tmp_path.iterdir())


def test_nothing_read_builds_nothing(tmp_path):
    result = stream([str(tmp_path)], Settings(jobs=2), lambda name, data: None)
    assert (result.extracted, result.built.articles, result.resolution) == (0, 0, None)
