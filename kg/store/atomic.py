"""Writes that land whole: signals held over a commit, a writers' lock, folders swapped at once."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from kg.errors import StoreError

__all__ = ["DirLock", "commit_whole", "exchange", "only_store_files", "staging_dir"]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@contextlib.contextmanager
def commit_whole() -> Iterator[None]:
    """Hold Ctrl-C (and SIGTERM) until the block ends: the transaction commits (or fails) whole, and
    what kg records of it (the graphs written) is true when KeyboardInterrupt comes.

    A handler that notes the signal, not a signal mask: RocksDB's own threads
    would take a masked SIGINT, and Python would raise as the commit returns.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda signum, _: pending.append(signum)) for sig in held}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    for sig in dict.fromkeys(pending):
        handler = previous[sig]
        if callable(handler):
            handler(sig, None)  # Python's default for SIGINT raises KeyboardInterrupt
        elif handler == signal.SIG_DFL:
            signal.raise_signal(sig)


class DirLock:
    """An exclusive ``flock`` on the store folder itself, held by kg's writers.

    RocksDB's own lock lives in a file inside the folder; the fast first load
    must close RocksDB before it swaps folders, and this lock keeps other kg
    writers out over that moment too.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self.release()
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise StoreError(
                    f"store {path} is in use by another process; try again when it has finished"
                ) from None
            raise
        # The folder may have been swapped for a new one while we waited: lock that one.
        if path.stat().st_ino != os.fstat(self._fd).st_ino:
            self.release()
            raise StoreError(f"store {path} was replaced while being opened; try again")

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the last descriptor releases the flock
            self._fd = None


def staging_dir(path: Path) -> Path:
    """Where the new store of a first load is built: a hidden folder beside ``path``."""
    return path.with_name(f".{path.name}.kg-new")


def exchange(new: Path, old: Path) -> None:
    """Put the folder ``new`` at ``old``'s place and ``old`` at ``new``'s, atomically
    where the system can (Linux ``renameat2``), else by two renames."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        done = renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(old), _RENAME_EXCHANGE)
        if done == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(old))
    aside = old.with_name(f".{old.name}.kg-old")
    shutil.rmtree(aside, ignore_errors=True)
    old.rename(aside)
    new.rename(old)
    aside.rename(new)


# What RocksDB keeps in a store folder (Oxigraph 0.5): nothing else may be swapped away.
_STORE_FILE = re.compile(
    r"CURRENT|IDENTITY|LOCK|LOG(\.old\.\d+)?|MANIFEST-\d+|OPTIONS-\d+(\.dbtmp)?|\d+\.(log|sst|blob)"
)


def only_store_files(path: Path) -> bool:
    """Whether ``path`` is a folder (not a link to one) holding nothing but a store's
    own files, so that swapping it away and removing it loses nothing of the user's."""
    if path.is_symlink():  # a swap would move the link, not the folder it names
        return False
    return all(_STORE_FILE.fullmatch(entry.name) for entry in path.iterdir())
