"""Output lines sorted in bounded memory (kg.sortlines) and Turtle written a block at a
time (kg.serialize.write_turtle): the same bytes as sorting and writing the whole."""

from __future__ import annotations

import io
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from kg import serialize
from kg.serialize import QuadLines, TripleLines, turtle_from_ntriples
from kg.sortlines import SortedLines

EX = "https://w3id.org/kg-populator/id/"


def _triples(n: int, seed: int = 0) -> list[bytes]:
    """N-Triples lines about a few subjects, with IRIs, plain and typed literals."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        s = f"<{EX}e{rnd.randrange(n // 3 + 1)}>"
        p = rnd.choice(
            ["<http://www.w3.org/2000/01/rdf-schema#label>", "<https://schema.org/memberOf>"]
        )
        o = rnd.choice(
            [
                f"<{EX}e{rnd.randrange(50)}>",
                f'"name {rnd.randrange(99)} \\"quoted\\" é"',
                f'"{rnd.randrange(9)}"^^<http://www.w3.org/2001/XMLSchema#integer>',
            ]
        )
        out.append(f"{s} {p} {o} .".encode())
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.binary(min_size=1, max_size=12).filter(lambda b: b"\n" not in b)))
def test_merged_runs_are_the_sorted_set(lines):
    for unique in (True, False):
        collector = SortedLines(unique=unique, bound=20)
        collector.extend(lines)
        expected = sorted(set(lines)) if unique else sorted(lines)
        assert list(collector.merged()) == expected


def test_spilled_runs_go_with_the_merge(tmp_path):
    collector = SortedLines(str(tmp_path), bound=100)
    lines = _triples(300)
    for i in range(0, 300, 7):
        collector.extend(lines[i : i + 7])
    assert list(tmp_path.iterdir()), "runs past the bound are written to disk"
    assert list(collector.merged()) == sorted(set(lines))
    assert not list(tmp_path.iterdir())


def _ntriples(lines: list[bytes]) -> bytes:
    return b"".join(line + b"\n" for line in sorted(set(lines)))


def test_turtle_in_blocks_is_the_turtle_of_the_whole(monkeypatch):
    lines = _triples(400, seed=3)
    whole = turtle_from_ntriples(_ntriples(lines))
    for chunk in (1, 2, 7, 10_000):
        monkeypatch.setattr(serialize, "TURTLE_CHUNK", chunk)
        collector = TripleLines()
        collector.lines.bound = 500  # several runs on disk
        for i in range(0, len(lines), 25):
            collector.add("g", b"\n".join(lines[i : i + 25]) + b"\n")
        out = io.BytesIO()
        collector.write("turtle", out)
        assert out.getvalue() == whole


def test_no_lines_write_nothing():
    for fmt in ("turtle", "nt"):
        out = io.BytesIO()
        TripleLines().write(fmt, out)
        assert out.getvalue() == b""


def test_quads_name_their_graph_and_sort():
    quads = QuadLines()
    quads.lines.bound = 50
    quads.add(f"{EX}article/b", _ntriples(_triples(20, seed=1)))
    quads.add(f"{EX}article/a", _ntriples(_triples(20, seed=1)))
    out = io.BytesIO()
    quads.write("nquads", out)
    data = out.getvalue().split(b"\n")[:-1]
    assert data == sorted(data)
    assert len(data) == 2 * len(set(_triples(20, seed=1)))
    assert all(
        line.endswith((f"<{EX}article/a> .".encode(), f"<{EX}article/b> .".encode()))
        for line in data
    )
