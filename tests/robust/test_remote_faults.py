"""Remote faults: endpoint down, silent, 401, 500, a connection closed mid-answer, 5xx retries.

Each fault gives one `Error: …` line naming the URL (never its
credentials) and the status or cause, and exit code 4. Only transient
failures are retried, at most three times; the fault server counts the
requests to prove it.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli
from kg.errors import StoreError
from kg.store import open_store
from kg.store.http import Http, safe_url, split_credentials

TWO_ARTICLES = Path(__file__).parent.parent / "data" / "store" / "two-articles.ttl"
ONTOLOGY_PUT = "PUT {url}/store?graph=https%3A%2F%2Fw3id.org%2Fkg-populator%2Fontology"
AUTH_HINT = " (check --user/--password or KG_ENDPOINT_USER/KG_ENDPOINT_PASSWORD)"
ASK_TRUE = '{"head": {}, "boolean": true}'
MakeServer = Callable[..., Any]


def kg(*args: str) -> Result:
    """`kg ARGS…` in CliRunner, with no endpoint credentials from the environment."""
    env: dict[str, str | None] = {"KG_ENDPOINT_USER": None, "KG_ENDPOINT_PASSWORD": None}
    return CliRunner().invoke(cli, list(args), env=env)


def test_endpoint_down(unused_url: str) -> None:
    started = time.monotonic()
    query = kg("query", "--endpoint", unused_url, "ASK {}")
    load = kg("load", "--endpoint", unused_url, str(TWO_ARTICLES))
    refused = "cannot connect: connection refused (tried 3 times)"
    assert (query.exit_code, query.stdout) == (4, "")
    assert query.stderr == f"Error: POST {unused_url}/query: {refused}\n"
    assert load.exit_code == 4
    assert load.stderr == f"Error: {ONTOLOGY_PUT.format(url=unused_url)}: {refused}\n"
    assert time.monotonic() - started < 2 * (0.2 + 0.4) + 2  # two commands, two waits each


FAULTS = [
    # what the server does, the cause in the message, how many requests it gets
    # A request sent and not answered in time is not sent again: the server may
    # still be working on it, and each try would leave one more query running.
    pytest.param(("silent",), "no answer within 0.3 s", 1, id="silent"),
    # The timeout is a deadline for the whole answer, not for each of its bytes.
    pytest.param(("trickle",), "no answer within 0.3 s", 1, id="trickle"),
    pytest.param(
        ("status", 401, "who are you?"),
        f"HTTP 401 Unauthorized{AUTH_HINT}: who are you?",
        1,
        id="401",
    ),
    pytest.param(("status", 403, "no"), f"HTTP 403 Forbidden{AUTH_HINT}: no", 1, id="403"),
    pytest.param(("status", 400, "bad"), "HTTP 400 Bad Request: bad", 1, id="400"),
    pytest.param(("status", 404, "none"), "HTTP 404 Not Found: none", 1, id="404"),
    pytest.param(("status", 500, "boom"), "HTTP 500 Internal Server Error: boom", 1, id="500"),
    pytest.param(
        ("status", 502, "down"), "HTTP 502 Bad Gateway: down (tried 3 times)", 3, id="502"
    ),
    pytest.param(
        ("status", 503, "busy"), "HTTP 503 Service Unavailable: busy (tried 3 times)", 3, id="503"
    ),
    pytest.param(
        ("status", 504, "slow"), "HTTP 504 Gateway Timeout: slow (tried 3 times)", 3, id="504"
    ),
    pytest.param(
        ("cut",),
        "the server closed the connection mid-answer (10 bytes received) (tried 3 times)",
        3,
        id="closed-mid-answer",
    ),
    pytest.param(
        ("close",),
        "the server closed the connection without answering (tried 3 times)",
        3,
        id="closed-before-answer",
    ),
]


@pytest.mark.parametrize(("action", "cause", "requests"), FAULTS)
def test_query_faults(
    fault_server: MakeServer, action: tuple[object, ...], cause: str, requests: int
) -> None:
    server = fault_server(lambda n, seen: action)
    started = time.monotonic()
    result = kg("query", "--endpoint", server.url, "--timeout", "0.3", "ASK {}")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr == f"Error: POST {server.url}/query: {cause}\n"
    assert server.count == requests
    assert time.monotonic() - started < 3 * 0.3 + 0.6 + 2  # tries × timeout + waits + slack
    if action[0] in ("silent", "trickle"):
        assert time.monotonic() - started < 0.3 + 1.5  # one try, cut at its deadline


@pytest.mark.parametrize(("action", "cause", "requests"), [FAULTS[0], FAULTS[5], FAULTS[7]])
def test_load_faults(
    fault_server: MakeServer, action: tuple[object, ...], cause: str, requests: int
) -> None:
    server = fault_server(lambda n, seen: action)
    result = kg("load", "--endpoint", server.url, "--timeout", "0.3", str(TWO_ARTICLES))
    assert result.exit_code == 4
    assert result.stderr == f"Error: {ONTOLOGY_PUT.format(url=server.url)}: {cause}\n"
    assert server.count == requests
    assert {seen.method for seen in server.seen} == {"PUT"}


def test_credentials_in_the_url_are_used_and_never_shown(fault_server: MakeServer) -> None:
    server = fault_server(lambda n, seen: ("status", 401, "who are you?"))
    with_credentials = server.url.replace("http://", "http://alice:s3cr%40t@")
    result = kg("load", "--endpoint", with_credentials, str(TWO_ARTICLES))
    assert result.exit_code == 4
    assert result.stderr == (
        f"Error: {ONTOLOGY_PUT.format(url=server.url)}: HTTP 401 Unauthorized{AUTH_HINT}: "
        "who are you?\n"
    )
    assert server.seen[0].headers["Authorization"] == "Basic " + base64.b64encode(
        b"alice:s3cr@t"
    ).decode("ascii")
    # --user and --password win over the URL's
    query = kg(
        "query", "--endpoint", with_credentials, "--user", "bob", "--password", "pw", "ASK{}"
    )
    assert query.exit_code == 4 and "s3cr" not in query.stderr and "alice" not in query.stderr
    assert server.seen[1].headers["Authorization"] == "Basic " + base64.b64encode(b"bob:pw").decode(
        "ascii"
    )


def test_a_query_gets_past_one_503(fault_server: MakeServer) -> None:
    server = fault_server(
        lambda n, seen: ("status", 503, "warming up") if n == 0 else ("json", ASK_TRUE)
    )
    result = kg("query", "--endpoint", server.url, "ASK {}")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"head": {}, "boolean": True}
    assert result.stderr == ""
    assert server.count == 2


def test_a_load_gets_past_a_503_and_a_dropped_connection(
    fault_server: MakeServer, oxigraph: Callable[[], str]
) -> None:
    url = oxigraph()
    # the first article's PUT is refused once with 503, the second's dropped once
    faults = {1: ("status", 503, "busy"), 3: ("close",)}
    server = fault_server(lambda n, seen: faults.get(n, ("proxy",)), upstream=url)
    result = kg("load", "--endpoint", server.url, str(TWO_ARTICLES))
    assert result.exit_code == 0, result.output
    assert (
        result.stderr
        == f"kg: {TWO_ARTICLES}: 3 graphs, 193 triples loaded into {server.url}/query\n"
    )
    assert server.count == 1 + 3 + 2  # the ontology, three graphs, two of them twice
    assert open_store(endpoint=url).stats().articles == 2


def test_a_delete_retried_after_it_took_effect_is_done(fault_server: MakeServer) -> None:
    # The first DELETE removes the graph but the answer is lost; the second
    # gets 404, which for a DELETE means done: why DELETE counts as idempotent.
    server = fault_server(lambda n, seen: ("close",) if n == 0 else ("status", 404, "no graph"))
    open_store(endpoint=server.url).replace_graphs({"urn:x:gone": b""})
    assert [seen.method for seen in server.seen] == ["DELETE", "DELETE"]


def test_a_request_not_declared_idempotent_is_sent_once(fault_server: MakeServer) -> None:
    server = fault_server(lambda n, seen: ("status", 503, "busy"))
    http = Http(timeout=1)
    with pytest.raises(StoreError) as info:
        http.request("POST", f"{server.url}/store", b"<a:b> <a:c> <a:d> .\n", idempotent=False)
    assert str(info.value) == f"POST {server.url}/store: HTTP 503 Service Unavailable: busy"
    assert server.count == 1


def test_an_html_error_page_becomes_one_line(fault_server: MakeServer) -> None:
    page = "<html><head><title>Oops</title></head>\n<body><h1>Bad &amp; sad</h1></body></html>"
    server = fault_server(lambda n, seen: ("status", 500, page, "text/html; charset=utf-8"))
    with pytest.raises(StoreError) as info:
        open_store(endpoint=server.url).query("ASK {}")
    assert (
        str(info.value)
        == f"POST {server.url}/query: HTTP 500 Internal Server Error: Oops Bad & sad"
    )


def test_control_characters_from_a_server_never_reach_the_terminal(
    fault_server: MakeServer,
) -> None:
    text = "bad\x1b[2J\x1b]0;pwned\x07 input\r\nEvil: header\x00\u202e"
    server = fault_server(lambda n, seen: ("status", 400, text))
    result = kg("query", "--endpoint", server.url, "ASK {}")
    assert result.exit_code == 4
    # The escapes (clear screen, set the title) are gone whole; the rest is one line.
    assert result.stderr == f"Error: POST {server.url}/query: HTTP 400 Bad Request: " + (
        "bad input Evil: header\n"
    )


def test_credentials_are_stripped_keeping_host_and_port() -> None:
    assert safe_url("http://u:p@127.0.0.1:7878/query") == "http://127.0.0.1:7878/query"
    assert safe_url("http://u@[::1]:7878/q?x=1") == "http://[::1]:7878/q?x=1"
    assert safe_url("http://127.0.0.1:7878/q") == "http://127.0.0.1:7878/q"
    assert split_credentials("https://a%40b:p%3Aw@h/x") == ("https://h/x", "a@b", "p:w")
    assert split_credentials("http://h:1/") == ("http://h:1/", None, None)
    store = open_store(endpoint="http://u:secret@127.0.0.1:1")
    assert store.location == "http://127.0.0.1:1/query"
    with pytest.raises(StoreError) as info:
        open_store(endpoint="ftp://u:secret@host/x")
    assert str(info.value) == "endpoint ftp://host/x: not an http(s) URL"
