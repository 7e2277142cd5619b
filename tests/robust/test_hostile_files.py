"""Hostile files: outputs that are inputs, links, FIFOs, odd folders and names (issue 16)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import InputError
from kg.ingest import MAX_PARAGRAPH, is_article_name, read_inputs, split_long_paragraphs
from kg.records import Article
from kg.serialize import write_atomic

ARTICLE = "Talks in Oslo\n\nNorwegian Prime Minister Ola Berg met Kari Holm in Oslo.\n"


# --------------------------------------------------------------------------- -o and --report


@pytest.mark.parametrize("option", ["-o", "--report"])
def test_output_that_is_an_input_is_refused(tmp_path: Path, option: str) -> None:
    src = tmp_path / "x.txt"
    src.write_text(ARTICLE)
    result = CliRunner().invoke(cli, ["extract", str(src), option, str(src)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {option} {src}: is one of the inputs; write the output elsewhere\n"
    )
    assert src.read_text() == ARTICLE


def test_output_through_a_link_to_an_input_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "x.txt"
    src.write_text(ARTICLE)
    (tmp_path / "link.ttl").symlink_to(src)
    result = CliRunner().invoke(cli, ["extract", str(src), "-o", str(tmp_path / "link.ttl")])
    assert result.exit_code == 2
    assert src.read_text() == ARTICLE


def test_output_an_input_folder_would_read_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE)
    result = CliRunner().invoke(cli, ["extract", str(folder), "-o", str(folder / "out.txt")])
    assert result.exit_code == 2
    assert "is inside the input folder" in result.stderr
    assert not (folder / "out.txt").exists()


def test_output_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    loaded = CliRunner().invoke(cli, ["load", str(_tiny_ttl(tmp_path)), "--store", str(store)])
    assert loaded.exit_code == 0
    out = tmp_path / "no-such-dir" / "all.nq"
    result = CliRunner().invoke(cli, ["export", "--store", str(store), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {out}: no such folder {str(out.parent)!r}\n"


def _tiny_ttl(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.ttl"
    path.write_text('<http://example.org/a> <http://example.org/p> "x" .\n')
    return path


def test_write_atomic_keeps_mode_and_respects_umask(tmp_path: Path) -> None:
    old = tmp_path / "old.ttl"
    old.write_bytes(b"old")
    old.chmod(0o644)
    write_atomic(str(old), b"new")
    assert old.read_bytes() == b"new"
    assert stat.S_IMODE(old.stat().st_mode) == 0o644
    mask = os.umask(0o027)
    try:
        write_atomic(str(tmp_path / "new.ttl"), b"x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.ttl").stat().st_mode) == 0o640


def test_write_atomic_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.ttl"
    real.write_bytes(b"old")
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    write_atomic(str(link), b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
    assert not list(tmp_path.glob(".*.tmp"))


def test_write_atomic_writes_into_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomic(str(fifo), b"data\n")
    reader.join(timeout=10)
    assert got == [b"data\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_write_atomic_writes_to_a_device(tmp_path: Path) -> None:
    write_atomic("/dev/null", b"data\n")
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)


# --------------------------------------------------------------------------- input folders


def _read(*inputs: str, globs: tuple[str, ...] = ()) -> list[Article | InputError]:
    return list(read_inputs(list(inputs), globs=globs))


def test_folders_read_only_articles(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    for name in ("a.txt", "b.html", "c", "README.TXT", "LICENSE", "out.ttl", "g.nq", "notes.md"):
        (tmp_path / name).write_text(ARTICLE)
    (tmp_path / ".hidden.txt").write_text(ARTICLE)
    items = _read(str(tmp_path))
    assert [i.identifier for i in items if isinstance(i, Article)] == ["a.txt", "b.html", "c"]
    assert not [i for i in items if isinstance(i, InputError)]
    assert [r.getMessage() for r in caplog.records if r.name == "kg.ingest"] == [
        f"{tmp_path}: skipped 6 file(s) that are not articles (.hidden.txt, LICENSE, "
        "README.TXT and 3 more); --glob PATTERN chooses the files"
    ]


def test_glob_chooses_the_files_of_folders(tmp_path: Path) -> None:
    for name in ("a.txt", "notes.md"):
        (tmp_path / name).write_text(ARTICLE)
    items = _read(str(tmp_path), globs=("*.md",))
    assert [i.identifier for i in items if isinstance(i, Article)] == ["notes.md"]
    # A file named on the command line is read whatever its name.
    assert [i.identifier for i in _read(str(tmp_path / "notes.md"))] == ["notes.md"]  # type: ignore[union-attr]


def test_is_article_name() -> None:
    assert is_article_name("x.txt") and is_article_name("x.HTM") and is_article_name("x")
    assert not is_article_name("readme.md") and not is_article_name("Licence.txt")
    assert not is_article_name("x.ttl") and not is_article_name(".x.txt")
    assert is_article_name("x.ttl", ("*.ttl",))


def test_a_fifo_in_a_folder_is_an_error_not_a_hang(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    os.mkfifo(tmp_path / "b.txt")  # nobody ever writes to it
    items = _read(str(tmp_path))
    assert [str(i) for i in items if isinstance(i, InputError)] == [
        f"{tmp_path / 'b.txt'}: not a regular file (a FIFO); skipped"
    ]
    assert [i.identifier for i in items if isinstance(i, Article)] == ["a.txt"]


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text(ARTICLE)
    (item,) = _read(str(tmp_path))
    assert isinstance(item, Article)
    assert item.identifier == "caf\ufffd.txt"
    item.identifier.encode("utf-8")  # printable and serialisable


def test_a_bad_file_name_in_an_error_line(tmp_path: Path) -> None:
    name = os.fsdecode(b"bad\xff\x1b[31m.txt")
    (tmp_path / name).write_bytes(b"")
    (error,) = _read(str(tmp_path))
    assert str(error) == f"{tmp_path}/bad\ufffd?[31m.txt: empty file"


def test_a_huge_paragraph_is_cut_at_sentence_ends() -> None:
    sentence = "Ola Berg met Kari Holm in Oslo. "
    text = "Title\n\n" + sentence * (3 * MAX_PARAGRAPH // len(sentence))
    cut = split_long_paragraphs(text)
    assert " ".join(cut.split()) == " ".join(text.split())
    assert max(len(line) for line in cut.split("\n")) <= MAX_PARAGRAPH
    assert all(line.rstrip().endswith(".") for line in cut.split("\n")[2:])
    assert split_long_paragraphs("short\ntext") == "short\ntext"
    assert max(map(len, split_long_paragraphs("x" * 250_000).split("\n"))) <= MAX_PARAGRAPH


# --------------------------------------------------------------------------- store completeness

TWO_ARTICLES = Path(__file__).parent.parent / "data" / "store" / "two-articles.ttl"
PLACES = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a schema:Place }"


def test_a_rerun_mends_a_store_left_without_its_ontology(tmp_path: Path) -> None:
    from kg.store import ONTOLOGY_GRAPH, open_store

    store_dir = tmp_path / "store"
    # What a run killed after its articles' transaction, before the ontology's, left.
    with open_store(store_dir) as store:
        store.load_file(TWO_ARTICLES)
        places_without = int(store.query(PLACES).rows[0]["n"].value)
    empty = tmp_path / "nothing-new"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["ingest", str(empty), "--store", str(store_dir)])
    assert result.exit_code == 0, result.stderr
    with open_store(store_dir, read_only=True) as store:
        assert store.query(f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}").boolean
        # Countries are Places again (schema:Country rdfs:subClassOf schema:Place).
        places = int(
            store.query(
                "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a/rdfs:subClassOf* schema:Place }"
            )
            .rows[0]["n"]
            .value
        )
    assert places > places_without


def test_output_to_dev_stdout_writes_through_the_pipe(tmp_path: Path) -> None:
    import subprocess
    import sys

    store = tmp_path / "store"
    assert CliRunner().invoke(cli, ["load", str(_tiny_ttl(tmp_path)), "--store", str(store)])
    args = [sys.executable, "-m", "kg", "export", "--store", str(store), "-o", "/dev/stdout"]
    done = subprocess.run(args, capture_output=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, b"")
    assert b'<http://example.org/a> <http://example.org/p> "x"' in done.stdout


def test_a_report_over_the_graph_or_a_validated_file_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "x.txt"
    src.write_text(ARTICLE)
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(cli, ["extract", str(src), "-o", str(out), "--report", str(out)])
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: --report {out}: is the -o file too; write it elsewhere\n",
    )
    graph = _tiny_ttl(tmp_path)
    before = graph.read_bytes()
    result = CliRunner().invoke(cli, ["validate", str(graph), "--report", str(graph)])
    assert result.exit_code == 2
    assert graph.read_bytes() == before
