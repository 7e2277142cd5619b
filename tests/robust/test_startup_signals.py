"""Signals at any moment of a run, workers whose parent dies, imports (issue 16)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

LIMIT = 60.0
ARTICLE = "Talks in Oslo\n\nNorwegian Prime Minister Ola Berg met Kari Holm in Oslo.\n"


def test_commands_without_nlp_do_not_import_spacy() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from kg.cli import cli\n"
        "assert CliRunner().invoke(cli, ['query', '--list']).exit_code == 0\n"
        "print(sorted(m for m in ('spacy', 'pyshacl', 'trafilatura') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "[]\n", out.stderr


@pytest.mark.parametrize("delay", [0.1, 0.4, 1.0])
def test_ctrl_c_early_in_a_run_is_no_traceback(tmp_path: Path, delay: float) -> None:
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "extract", str(src), "-o", str(tmp_path / "out.ttl")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)  # while Python starts, imports spaCy, or loads the model
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=LIMIT)
    assert "Traceback" not in stderr, stderr
    # Interrupted with its message, or (signalled before Python could catch it) just ended;
    # or, on a fast machine, done before the signal came.
    assert proc.returncode in (130, -signal.SIGINT, 0), (proc.returncode, stderr)
    if proc.returncode == 130:
        assert stderr.splitlines()[-1].startswith("Interrupted: nothing was"), stderr
    assert not (tmp_path / "out.ttl").exists() or proc.returncode == 0


@pytest.mark.slow
def test_a_run_with_workers_ends_quietly(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(ARTICLE.replace("Oslo", f"Oslo {i}"))
    out = tmp_path / "out.ttl"
    args = [sys.executable, "-m", "kg", "extract", str(folder), "-j", "2", "-q", "-o", str(out)]
    for _ in range(3):  # whether a worker gets SIGTERM while busy is a race
        done = subprocess.run(args, capture_output=True, text=True, timeout=LIMIT)
        # The pool ends its workers with SIGTERM: they must not take kg's own handler.
        assert (done.returncode, done.stderr) == (0, "")
        assert out.stat().st_size > 0


@pytest.mark.slow
def test_workers_end_quietly_when_kg_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):
        (folder / f"{i:03}.txt").write_text(ARTICLE.replace("Oslo", f"Oslo {i}") * 20)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "extract", str(folder), "-j", "2", "-o", str(tmp_path / "o")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + LIMIT
    workers: list[int] = []
    while len(workers) < 2:  # the pool is up
        assert time.monotonic() < deadline and proc.poll() is None, proc.stderr
        workers = [
            int(p.name)
            for p in Path("/proc").iterdir()
            if p.name.isdigit() and _parent(p) == proc.pid
        ]
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    _, stderr = proc.communicate(timeout=LIMIT)
    time.sleep(1.0)  # a worker that lived on would print its BrokenPipe traceback now
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    assert not [w for w in workers if Path(f"/proc/{w}").exists() and _state(w) != "Z"]


def _parent(entry: Path) -> int:
    try:
        return int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
