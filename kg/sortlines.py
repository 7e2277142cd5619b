"""Sorting a run's output lines in bounded memory: sorted runs spilled to disk, merged.

A run's N-Triples (or N-Quads) are the union of its articles' lines, sorted
as bytes. Lines are held until they reach :data:`BOUND` bytes; then they are
sorted and written to a file of the run's temporary folder, and the next
lines start a new run. At the end the runs are merged (``heapq.merge``), so
memory stays near the bound however many articles a run has, and the bytes
are those of sorting everything at once.
"""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path

#: Bytes of lines held before a sorted run is written out (Python adds about 40 %).
BOUND = 8 << 20


class SortedLines:
    """Lines (bytes without their line break) given in any order, read back sorted.

    With ``unique`` a line given twice is read once. A folder is made (in
    ``folder``, or the system's temporary folder) only when a run is spilled;
    it goes when the merge ends.
    """

    def __init__(
        self, folder: str | None = None, *, unique: bool = True, bound: int | None = None
    ) -> None:
        self.folder = folder
        self.unique = unique
        self.bound = BOUND if bound is None else bound
        self._held: list[bytes] = []
        self._size = 0
        self._runs: list[Path] = []
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def extend(self, lines: Iterable[bytes]) -> None:
        """Take lines (each without its line break)."""
        for line in lines:
            self._held.append(line)
            self._size += len(line)
        if self._size >= self.bound:
            self._spill()

    def _sorted_held(self) -> list[bytes]:
        held, self._held, self._size = self._held, [], 0
        if self.unique:
            held = list(set(held))
        held.sort()
        return held

    def _spill(self) -> None:
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="kg-sort-", dir=self.folder)
        path = Path(self._tmp.name) / f"{len(self._runs)}.nt"
        with path.open("wb") as fh:
            for line in self._sorted_held():
                fh.write(line + b"\n")
        self._runs.append(path)

    def merged(self) -> Iterator[bytes]:
        """Every line, sorted (once each with ``unique``); the collector is emptied."""
        held = self._sorted_held()
        runs, self._runs = self._runs, []
        tmp, self._tmp = self._tmp, None
        try:
            with ExitStack() as stack:
                files = [stack.enter_context(path.open("rb")) for path in runs]
                streams = [(line[:-1] for line in fh) for fh in files]
                last = None
                for line in heapq.merge(held, *streams) if streams else held:
                    if line != last or not self.unique:
                        yield line
                    last = line
        finally:
            if tmp is not None:
                tmp.cleanup()
