"""Deterministic serialisation: Turtle for one graph, N-Quads for graphs per article."""

from __future__ import annotations

from rdflib import Graph


def to_turtle(graph: Graph) -> bytes:
    """Turtle with the contract's prefixes; the same graph always gives the same bytes."""
    return graph.serialize(format="turtle", encoding="utf-8")


def to_ntriples(graph: Graph) -> bytes:
    """Sorted N-Triples (one line per triple, diff-friendly)."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    # split("\n"), not splitlines(): literals may hold \x1c-\x1e, \x85 or U+2028.
    lines = sorted(line for line in text.split("\n") if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def to_nquads(graphs: list[tuple[str, Graph]]) -> bytes:
    """Sorted N-Quads with each article's triples in the article's named graph."""
    out: list[str] = []
    for name, graph in graphs:
        for line in to_ntriples(graph).decode("utf-8").split("\n"):
            if not line:
                continue
            out.append(f"{line[:-1].rstrip()} <{name}> .")
    return ("\n".join(sorted(out)) + "\n").encode("utf-8") if out else b""


def write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never half a file."""
    import os
    import tempfile
    from pathlib import Path

    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
