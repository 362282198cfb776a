"""What a hostile page, client or query must not get from ``policykg serve`` and ``sparql``.

Each test here failed on the endpoint that ran the Oxigraph server binary directly: it
called out for ``SERVICE``, died on a deeply nested query, never cancelled a cross
product, kept the CPU busy for abandoned queries, and answered other sites' pages.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from policykg.graph.endpoint import Limits, start_server
from policykg.graph.query_guard import MAX_DEPTH, check_query, query_shape
from tests.graph.test_endpoint import (
    COUNT,
    FIXTURE,
    FIXTURE_TRIPLES,
    RUNAWAY,
    _connect,
    _count,
    _post,
    make_store,
)

pytestmark = pytest.mark.server

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def url(store_dir: Path) -> Iterator[str]:
    with start_server(store_dir) as base:
        yield base


class Listener:
    """A loopback TCP listener that records whether anyone connected to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    it = Listener()
    yield it
    it.close()


def _service_query(port: int) -> str:
    return f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"


def _children_cpu() -> float:
    """CPU seconds (user + system) used so far by this process's live child processes."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for child in multiprocessing.active_children():
        try:
            fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _busy_children(seconds: float = 1.0) -> float:
    before = _children_cpu()
    time.sleep(seconds)
    return _children_cpu() - before


# ---------------------------------------------------------------- the guard


@pytest.mark.parametrize(
    ("query", "depth", "services"),
    [
        ("SELECT * { ?s ?p ?o }", 1, ()),
        ('SELECT * { ?s ?p "}{{{" }', 1, ()),
        ("SELECT * { ?s ?p '''{{\n{''' }", 1, ()),
        ("SELECT * { ?s <http://x/a(b)?c=[d]> ?o } # {{{{ SERVICE", 1, ()),
        ("SELECT * { FILTER((?a<3) && (?b>2)) }", 3, ()),
        ("SELECT ?service { ?service ex:service ?o }", 1, ()),
        ("SELECT * {\n  service <http://a/> { ?s ?p ?o } }", 2, (2,)),
        ("SELECT * { SeRvIcE SILENT ?x { ?s ?p ?o } }", 2, (1,)),
        ("SELECT * " + "{" * 3000 + "}" * 3000, 3000, ()),
        ("SELECT * { FILTER(" + "(" * 500 + "1" + ")" * 500 + ") }", 502, ()),
    ],
)
def test_query_shape(query: str, depth: int, services: tuple[int, ...]) -> None:
    shape = query_shape(query)
    assert shape.depth == depth
    assert shape.service_lines == services


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o }",
        "SELECT * { FILTER(" + "(" * 30 + "1" + ")" * 30 + ") }",
        "SELECT * " + "{" * 64 + "}" * 64,
        "SELECT * " + "{" * 65 + "}" * 65,
        'SELECT * { ?s ?p "' + "{" * 70 + '" }',
        "SELECT * {\n  service <http://a/> { ?s ?p ?o } }",
        "SELECT * { \u017fervice <http://a/> { ?s ?p ?o } }",  # ſ: upper() is S
        "SELECT ?service { ?service ex:service ?o } # SERVICE",
        *(p.read_text("utf-8") for p in sorted(QUERY_DIR.glob("*.rq"))),
    ],
)
def test_check_query_skips_the_scan_only_where_it_cannot_fail(query: str) -> None:
    from policykg.errors import QueryError

    shape = query_shape(query)
    scan_passes = shape.depth <= MAX_DEPTH and not shape.service_lines
    try:
        check_query(query)
    except QueryError:
        assert not scan_passes
    else:
        assert scan_passes


def test_check_query_limits() -> None:
    from policykg.errors import QueryError

    check_query("SELECT * " + "{" * 64 + "}" * 64)
    with pytest.raises(QueryError, match="nested 65 deep"):
        check_query("SELECT * " + "{" * 65 + "}" * 65)
    with pytest.raises(QueryError, match="characters"):
        check_query("#" * 11, max_length=10)
    with pytest.raises(QueryError, match="--allow-federation"):
        check_query(_service_query(9))
    check_query(_service_query(9), allow_federation=True)


# ---------------------------------------------------------------- outbound calls


def test_endpoint_refuses_service_and_calls_nobody(url: str, listener: Listener) -> None:
    status, body = _post(url, _service_query(listener.port))
    time.sleep(0.3)
    assert status == 400
    assert "SERVICE" in body
    assert listener.connections == 0


def test_endpoint_refuses_service_by_get_too(url: str, listener: Listener) -> None:
    query = urllib.parse.urlencode({"query": _service_query(listener.port)})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{url}/query?{query}", timeout=30)
    refused.value.close()
    assert refused.value.code == 400
    assert listener.connections == 0


def test_cli_sparql_refuses_service(
    run: Callable[..., tuple[int, str, str]], listener: Listener, tmp_path: Path
) -> None:
    store = _cli_store(tmp_path)
    code, out, err = run("sparql", _service_query(listener.port), "--store", store)
    time.sleep(0.3)
    assert code == 2
    assert out == ""
    assert "--allow-federation" in err
    assert len(err.strip().splitlines()) == 1
    assert listener.connections == 0


def test_cli_sparql_federation_is_an_explicit_opt_in(
    run: Callable[..., tuple[int, str, str]], listener: Listener, tmp_path: Path
) -> None:
    store = _cli_store(tmp_path)
    query = _service_query(listener.port).replace("SERVICE", "SERVICE SILENT")
    code, _, _ = run("sparql", query, "--store", store, "--allow-federation")
    time.sleep(0.3)
    assert code == 0
    assert listener.connections >= 1


def _cli_store(tmp_path: Path) -> Path:
    from rdflib import Graph

    from policykg.graph.store import write_store
    from policykg.records import Corpus

    graph = Graph().parse(FIXTURE, format="turtle")
    return write_store(tmp_path / "store", Corpus(documents=()), graph)


# ---------------------------------------------------------------- one request kills it


def test_deeply_nested_query_is_refused_and_the_endpoint_stays_up(url: str) -> None:
    status, body = _post(url, "SELECT * WHERE " + "{" * 2500 + "}" * 2500)
    assert status == 400
    assert "nested 2500 deep" in body
    assert _count(url) == FIXTURE_TRIPLES


def test_cli_sparql_deep_query_is_one_line(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    code, _, err = run("sparql", "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
                       "--store", _cli_store(tmp_path))
    assert code == 2
    assert "nested 3000 deep" in err
    assert len(err.strip().splitlines()) == 1


def test_huge_literal_is_refused(url: str) -> None:
    status, body = _post(url, 'ASK { ?s ?p "' + "碳" * 1_100_000 + '" }')
    assert status == 400
    assert "characters" in body
    assert _count(url) == FIXTURE_TRIPLES


def test_garbage_query_is_a_400(url: str) -> None:
    status, body = _post(url, "SELEC nonsense {{")
    assert status == 400
    assert "syntax error" in body


# ---------------------------------------------------------------- unbounded work


def test_runaway_query_frees_the_cpu_when_cancelled(store_dir: Path) -> None:
    with start_server(store_dir, limits=Limits(timeout_s=1.5)) as base:
        status, body = _post(base, RUNAWAY)
        assert status == 503
        assert "cancelled" in body
        assert _busy_children() < 0.3
        assert _count(base) == FIXTURE_TRIPLES


def test_abandoned_query_is_stopped_when_its_client_goes(store_dir: Path) -> None:
    from policykg.graph.query_server import running
    from policykg.ontology import PREFIXES

    limits = Limits(timeout_s=120, max_concurrent=2)
    with running(store_dir / "oxigraph", "127.0.0.1", 0, limits, dict(PREFIXES),
                 loopback=True) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            before = server.pool.pids()
            assert len(before) == 2
            with contextlib.ExitStack() as conns:
                for _ in range(2):
                    conn = conns.enter_context(_connect(base))
                    body = RUNAWAY.encode()
                    conn.sendall(b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 b"Content-Type: application/sparql-query\r\n"
                                 + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
                time.sleep(1.0)
                assert server.pool.pids() == before  # both still at work
            deadline = time.monotonic() + 30
            while server.pool.pids() & before:
                assert time.monotonic() < deadline, "the abandoned queries were not stopped"
                time.sleep(0.1)
            assert all(not Path(f"/proc/{pid}").exists() for pid in before)
            assert _count(base) == FIXTURE_TRIPLES
        finally:
            server.shutdown()
            thread.join(timeout=10)


def test_concurrent_queries_are_bounded(store_dir: Path) -> None:
    limits = Limits(timeout_s=4, max_concurrent=1, queue_wait_s=0.5)
    with start_server(store_dir, limits=limits) as base:
        first: list[int] = []
        runner = threading.Thread(target=lambda: first.append(_post(base, RUNAWAY)[0]))
        runner.start()
        time.sleep(1.0)
        status, body = _post(base, COUNT)
        runner.join(timeout=60)
        assert status == 503
        assert "busy" in body
        assert first == [503]
        assert _count(base) == FIXTURE_TRIPLES


def test_a_cancelled_answer_is_never_a_200(store_dir: Path) -> None:
    with start_server(store_dir, limits=Limits(timeout_s=1)) as base, _connect(base) as conn:
        body = RUNAWAY.encode()
        conn.sendall(b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/sparql-query\r\n"
                     + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        answer = conn.recv(65536).decode()
    assert answer.startswith("HTTP/1.1 503")


# ---------------------------------------------------------------- cross-site requests


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"Origin": "http://evil.example"}, id="foreign-origin"),
        pytest.param({"Origin": "null"}, id="null-origin"),
        pytest.param({"Sec-Fetch-Site": "cross-site"}, id="cross-site-fetch"),
        pytest.param({"Host": "rebound.example:7878"}, id="dns-rebinding"),
    ],
)
def test_cross_site_requests_are_refused(url: str, headers: dict[str, str]) -> None:
    status, body = _post(url, COUNT, headers)
    assert status == 403
    assert "cross-site" in body


def test_cross_site_form_cannot_post_a_query(url: str) -> None:
    # what a plain HTML <form method=post action=http://127.0.0.1:7878/query> sends
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    request = urllib.request.Request(
        url + "/query", data=form, method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Origin": "https://some.site", "Sec-Fetch-Site": "cross-site"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    refused.value.close()
    assert refused.value.code == 403


def test_same_origin_page_may_query(url: str) -> None:
    status, _ = _post(url, COUNT, {"Origin": url, "Sec-Fetch-Site": "same-origin"})
    assert status == 200


def test_query_page_declares_the_prefixes_and_loads_nothing_from_elsewhere(url: str) -> None:
    with urllib.request.urlopen(url + "/", timeout=30) as answer:
        page = answer.read().decode()
    assert "PREFIX pkg: &lt;https://w3id.org/policykg/ontology#&gt;" in page
    assert "src=" not in page
    assert "connect-src 'self'" in page


# ---------------------------------------------------------------- startup errors


def test_serve_port_in_use_is_one_line_before_any_claim(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    store = _cli_store(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        code, _, err = run("serve", "--store", store, "--port", busy.getsockname()[1])
    assert code == 2
    assert "cannot listen on 127.0.0.1" in err
    assert "SPARQL endpoint on" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_serve_bad_port_is_one_line(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path, port: str
) -> None:
    code, _, err = run("serve", "--store", _cli_store(tmp_path), "--port", port)
    assert code == 2
    assert "SPARQL endpoint on" not in err
    assert len(err.strip().splitlines()) == 1


def test_serve_damaged_store_is_one_line(
    run: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    store = _cli_store(tmp_path)
    (store / "oxigraph" / "CURRENT").write_text("garbage\n")
    code, _, err = run("serve", "--store", store)
    assert code == 2
    assert "SPARQL endpoint on" not in err
    assert len(err.strip().splitlines()) == 1
