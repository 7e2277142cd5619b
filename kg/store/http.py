"""HTTP for remote stores: one call, a bounded retry of transient failures, one-line errors.

Retries are for requests that are safe to send twice and for failures that
the same request may well get past:

* idempotent requests only, as the caller declares them. kg sends three
  kinds and all are: a SPARQL query (POST ``application/sparql-query``;
  read-only, since :func:`kg.store.sparql.check_query` refuses updates
  before anything is sent), a Graph Store PUT (replaces a graph: twice is
  the same as once) and a Graph Store DELETE (a 404 on the second try counts
  as done). A Graph Store POST, which appends, would not be; kg sends none.
* transient failures only: connection refused or reset, the server closing
  the connection before or while answering, HTTP 502, 503 and 504. Never a
  4xx, never a 500, and never a request that ran out of time once sent: the
  server may still be working on it (a query over a cross product), and a
  second try would leave two running.

Each try has one deadline, the timeout, from connecting to the last byte of
the answer: a server that trickles its answer a byte at a time is cut off
when it passes (a watchdog shuts the socket down). At most
:data:`ATTEMPTS` tries with :data:`BACKOFF` seconds between them: a call
gives up after ``ATTEMPTS × timeout + sum(BACKOFF)`` seconds at worst. A
``Retry-After`` header is not followed. Text from the server (an error
page) reaches messages as one line of printable characters.
"""

from __future__ import annotations

import base64
import contextlib
import html
import http.client
import logging
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from kg.errors import StoreError
from kg.store.sparql import clip, one_line, printable

__all__ = ["ATTEMPTS", "BACKOFF", "Answer", "Http", "safe_url", "split_credentials"]

logger = logging.getLogger(__name__)

ATTEMPTS = 3
BACKOFF = (0.2, 0.4)
RETRY_STATUS = frozenset({502, 503, 504})
_AUTH_HINT = " (check --user/--password or KG_ENDPOINT_USER/KG_ENDPOINT_PASSWORD)"


@dataclass(frozen=True, slots=True)
class Answer:
    """A server's answer: status, body and Content-Type."""

    status: int
    body: bytes
    content_type: str


class _Transient(Exception):
    """A failure that the same request may get past: worth another try."""


class _OutOfTime(Exception):
    """The request was sent and its answer did not come whole in time: not tried again."""


class _Watchdog:
    """Shuts the sockets of one try down when its deadline passes."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.fired:
                self._shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def _opener(watchdog: _Watchdog) -> urllib.request.OpenerDirector:
    """A urllib opener whose connections the watchdog can cut."""

    def watched(base: type[http.client.HTTPConnection]) -> type[http.client.HTTPConnection]:
        class Watched(base):  # type: ignore[valid-type, misc]
            def connect(self) -> None:
                super().connect()
                watchdog.watch(self.sock)

        return Watched

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(watched(http.client.HTTPConnection), req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(watched(http.client.HTTPSConnection), req)  # type: ignore[arg-type]

    return urllib.request.build_opener(Handler, SecureHandler)


def _netloc(parts: urllib.parse.SplitResult) -> str:
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"{host}:{parts.port}" if parts.port is not None else host


def safe_url(url: str) -> str:
    """``url`` without a user name or password, for messages."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=_netloc(parts)))


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``http://user:pw@host/…`` → (``http://host/…``, user, password), unquoted."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None, None
    password = urllib.parse.unquote(parts.password) if parts.password is not None else None
    return safe_url(url), urllib.parse.unquote(parts.username), password


def _detail(exc: urllib.error.HTTPError) -> str:
    """The start of an error answer's body, as one line of text."""
    try:
        raw = exc.read(2000)
    except (OSError, http.client.HTTPException):
        return ""
    text = raw.decode("utf-8", "replace")
    ctype = exc.headers.get("Content-Type", "") if exc.headers else ""
    if "html" in ctype.lower():
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    return clip(printable(text), 200)


class Http:
    """Sends requests with basic auth, a timeout and the retry policy of this module."""

    def __init__(
        self, timeout: float, user: str | None = None, password: str | None = None
    ) -> None:
        self.timeout = timeout
        self._auth: str | None = None
        if user is not None:
            pair = f"{user}:{password or ''}".encode()
            self._auth = "Basic " + base64.b64encode(pair).decode("ascii")

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        *,
        idempotent: bool,
        allow: tuple[int, ...] = (),
    ) -> Answer:
        """Send one request; retried only when ``idempotent`` and the failure is transient.

        A status in ``allow`` is an answer, not an error.

        Raises:
            StoreError: one line: method, URL without credentials, status or
                cause, and how many tries it took.
        """
        where = f"{method} {safe_url(url)}"
        tries = ATTEMPTS if idempotent else 1
        cause = ""
        for attempt in range(tries):
            try:
                return self._once(method, url, body, headers, allow, where)
            except _Transient as exc:
                cause = str(exc)
            except _OutOfTime as exc:
                raise StoreError(f"{where}: {exc}") from None
            if attempt + 1 < tries:
                wait = BACKOFF[min(attempt, len(BACKOFF) - 1)]
                logger.info("%s: %s; trying again in %g s", where, cause, wait)
                time.sleep(wait)
        raise StoreError(f"{where}: {cause}" + (f" (tried {tries} times)" if tries > 1 else ""))

    def _once(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: Mapping[str, str] | None,
        allow: tuple[int, ...],
        where: str,
    ) -> Answer:
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
        if self._auth:
            request.add_header("Authorization", self._auth)
        no_answer = f"no answer within {self.timeout:g} s"
        watchdog = _Watchdog(self.timeout)
        try:
            try:
                with _opener(watchdog).open(request, timeout=self.timeout) as response:
                    data = response.read()
                    if watchdog.fired:
                        raise _OutOfTime(f"{no_answer} ({len(data)} bytes received)")
                    return Answer(response.status, data, response.headers.get("Content-Type", ""))
            except (OSError, http.client.HTTPException) as exc:
                if watchdog.fired and not isinstance(exc, urllib.error.HTTPError):
                    raise _OutOfTime(no_answer) from None
                raise
            finally:
                watchdog.cancel()
        except urllib.error.HTTPError as exc:
            try:
                if exc.code in allow:
                    return Answer(exc.code, b"", "")
                hint = _AUTH_HINT if exc.code in (401, 403) else ""
                detail = _detail(exc)
            finally:
                exc.close()
            status = f"HTTP {exc.code} {exc.reason}{hint}" + (f": {detail}" if detail else "")
            if exc.code in RETRY_STATUS:
                raise _Transient(status) from None
            raise StoreError(f"{where}: {status}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                # urllib wraps only failures to connect: nothing was sent yet.
                raise _Transient(f"cannot connect within {self.timeout:g} s") from None
            if isinstance(reason, ConnectionRefusedError):
                raise _Transient("cannot connect: connection refused") from None
            if isinstance(reason, ConnectionResetError | BrokenPipeError):
                raise _Transient("the connection was reset") from None
            why = one_line(reason) if isinstance(reason, BaseException) else clip(str(reason))
            why = printable(why)
            raise StoreError(f"{where}: cannot connect: {why}") from None
        except TimeoutError:
            raise _OutOfTime(no_answer) from None
        except http.client.IncompleteRead as exc:
            raise _Transient(
                f"the server closed the connection mid-answer ({len(exc.partial)} bytes received)"
            ) from None
        except http.client.RemoteDisconnected:
            raise _Transient("the server closed the connection without answering") from None
        except (ConnectionResetError, BrokenPipeError):
            raise _Transient("the connection was reset") from None
        except http.client.HTTPException as exc:
            raise StoreError(f"{where}: not an HTTP answer ({printable(one_line(exc))})") from None
        except OSError as exc:
            raise StoreError(f"{where}: connection failed ({one_line(exc)})") from None
