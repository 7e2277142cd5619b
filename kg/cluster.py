"""A run's two phases on a Dask distributed cluster (``--cluster tcp://HOST:PORT``).

The same work as on this machine (:mod:`kg.phases`), as Dask tasks: phase 1
extracts a chunk of articles on a worker and keeps its records there, in the
worker's memory (a Dask future), sending back only the names resolution
needs; the client resolves them; phase 2's tasks take the records' futures
(Dask moves them if another worker runs the task) and the resolution,
scattered once to every worker, and send back validated N-Triples. Records
stay in workers' memory rather than in a temporary folder because a real
cluster shares no folder, and they are small (~4 kB an article).

Workers need kg and the spaCy pipeline installed (``pip install
'kg-populator[cluster]'``); each loads the pipeline once, at its first task.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

from kg.errors import KgError
from kg.phases import Names, Part, build_part, names_of, ordered

if TYPE_CHECKING:
    from kg.build import Builder
    from kg.records import Article, Extraction
    from kg.settings import Settings

logger = logging.getLogger(__name__)

#: Seconds to wait for the scheduler, and then for a first worker.
CONNECT_TIMEOUT = 10

#: glibc's M_TRIM_THRESHOLD (mallopt), and the value a worker sets: Dask's nanny
#: starts workers with MALLOC_TRIM_THRESHOLD_=65536, which returns memory to the
#: system after every task: 1.48× instead of 1.71× on 2 workers in issue 14.
_M_TRIM_THRESHOLD = -1
TRIM_THRESHOLD = 128 << 20


class ClusterError(KgError):
    """The Dask cluster cannot be used: dask missing, scheduler unreachable, no worker."""

    exit_code = 4


@functools.cache
def _prepare_worker() -> None:
    """Once per worker process: memory is returned to the system less eagerly."""
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    except (OSError, AttributeError):  # not glibc
        pass


def _extract_remote(
    articles: list[Article], model: str, relations_model: str | None
) -> tuple[list[Extraction], list[Names], int]:
    """Phase 1 on a worker: the records (kept there), their names, the words."""
    from kg.extract import extract_batch

    _prepare_worker()
    extractions = extract_batch(articles, model, relations_model)
    return extractions, names_of(extractions), sum(len(a.text.split()) for a in articles)


def _names(chunk: tuple[list[Extraction], list[Names], int]) -> tuple[list[Names], int]:
    return chunk[1], chunk[2]


def _build_remote(
    builder: Builder, check: bool, *chunks: tuple[list[Extraction], list[Names], int]
) -> Part:
    """Phase 2 on a worker: the chunks' records built, validated and serialised."""
    _prepare_worker()
    return build_part([ex for chunk in chunks for ex in chunk[0]], builder, check)


class DaskEngine:
    """Runs the phases on the cluster whose scheduler ``settings.cluster`` names."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.address = settings.cluster or ""
        self.client: Any = None
        self.workers = 1
        self._chunks: dict[int, Any] = {}

    def __enter__(self) -> DaskEngine:
        try:
            from distributed import Client
        except ImportError:
            raise ClusterError(
                f"--cluster {self.address}: Dask is not installed; "
                "pip install 'kg-populator[cluster]'"
            ) from None
        try:
            self.client = Client(self.address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            why = " ".join(str(exc).split()) or type(exc).__name__
            raise ClusterError(
                f"--cluster {self.address}: cannot reach the Dask scheduler "
                f"within {CONNECT_TIMEOUT} s ({why})"
            ) from None
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            self.client.close()
            raise ClusterError(
                f"--cluster {self.address}: no worker joined within {CONNECT_TIMEOUT} s"
            ) from exc
        info = self.client.scheduler_info(n_workers=-1)["workers"]
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.values()))
        logger.info("Dask cluster %s: %d worker threads", self.address, self.workers)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._chunks.clear()
        if self.client is not None:
            self.client.close()

    def extract(
        self, chunks: Iterable[tuple[int, list[Article]]]
    ) -> Iterator[tuple[list[Names], int]]:
        """Phase 1, chunk by chunk, in order; each chunk's records stay on a worker."""
        settings = self.settings

        def submit(task: tuple[int, list[Article]]) -> Any:
            index, articles = task
            chunk = self.client.submit(
                _extract_remote, articles, settings.model, settings.relations_model, pure=False
            )
            self._chunks[index] = chunk
            return self.client.submit(_names, chunk, pure=False)

        return ordered(submit, lambda f: f.result(), chunks, window=8 * self.workers)

    def build(self, builder: Builder, check: bool, batches: Iterable[list[int]]) -> Iterator[Part]:
        """Phase 2, batch by batch, in order; the resolution goes to each worker once."""
        [shipped] = self.client.scatter([builder], broadcast=True, hash=False)

        def submit(batch: list[int]) -> Any:
            chunks = [self._chunks.pop(i) for i in batch]  # released once built
            return self.client.submit(_build_remote, shipped, check, *chunks, pure=False)

        return ordered(submit, lambda f: f.result(), batches, window=4 * self.workers)
