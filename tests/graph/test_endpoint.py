"""The read-only SPARQL endpoint (``policykg serve``): the HTTP front and its query processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest

from policykg.errors import StoreError
from policykg.graph.endpoint import (
    free_port,
    is_loopback,
    oxigraph_binary,
    serve,
    server_command,
    start_server,
)

pytestmark = pytest.mark.server

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "fixtures" / "endpoint_graph.ttl"
FIXTURE_TRIPLES = 66

PREFIXES = """
PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
"""
# competency question: the lead agencies of every task of a given document
LEADS_OF_DOCUMENT = PREFIXES + """
SELECT ?name WHERE {
  ?task a pkg:Task ; pkg:assignedBy <https://w3id.org/policykg/doc/p2-06> ;
        pkg:leadAgency ?agency .
  ?agency skos:prefLabel ?name .
} ORDER BY ?name
"""
LEADS = ["交通运输部", "国家发展改革委"]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RUNAWAY = (  # a five-way cross product of 66 triples: 1.25e9 rows, never done in a second
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
)
INSERT = 'INSERT DATA { <https://w3id.org/policykg/doc/x> <http://purl.org/dc/terms/title> "x" }'


def make_store(store_dir: Path) -> Path:
    """Write the fixture graph into ``<store_dir>/oxigraph`` with pyoxigraph, as graph.store."""
    import pyoxigraph as ox

    store = ox.Store(str(store_dir / "oxigraph"))
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    return store_dir


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def url(store_dir: Path) -> Iterator[str]:
    with start_server(store_dir) as base:
        yield base


def _sparqlwrapper_select(endpoint: str, query: str) -> list[str]:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    client.setTimeout(30)
    result = client.queryAndConvert()
    assert isinstance(result, dict)
    rows = result["results"]["bindings"]
    return [row[result["head"]["vars"][0]]["value"] for row in rows]


def _count(base: str) -> int:
    return int(_sparqlwrapper_select(base + "/query", COUNT)[0])


def _post(base: str, query: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """POST a query; return (status, body) whether or not the status is an error."""
    request = urllib.request.Request(
        base + "/query", data=query.encode(), method="POST",
        headers={"Content-Type": "application/sparql-query", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read().decode()


def _connect(base: str) -> socket.socket:
    parts = urllib.parse.urlsplit(base)
    assert parts.hostname is not None
    assert parts.port is not None
    return socket.create_connection((parts.hostname, parts.port), timeout=30)


def test_binary_is_the_same_version_as_pyoxigraph() -> None:
    binary = oxigraph_binary()
    assert binary.name == "oxigraph"
    assert metadata.version("oxigraph") == metadata.version("pyoxigraph")


def test_sparqlwrapper_answers_a_competency_query(url: str) -> None:
    assert _sparqlwrapper_select(url + "/query", LEADS_OF_DOCUMENT) == LEADS


def test_rdflib_sparqlstore_answers_the_same(url: str) -> None:
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(url + "/query", returnFormat="json"))
    names = [str(row[0]) for row in graph.query(LEADS_OF_DOCUMENT)]
    assert names == LEADS
    assert len(graph) == FIXTURE_TRIPLES


def test_update_is_refused(url: str) -> None:
    from SPARQLWrapper import POST, SPARQLWrapper

    client = SPARQLWrapper(url + "/query", updateEndpoint=url + "/update")
    client.setMethod(POST)
    client.setQuery(INSERT)
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    refused.value.close()
    assert refused.value.code == 403
    assert _count(url) == FIXTURE_TRIPLES


def test_update_through_rdflib_is_refused(url: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    store = SPARQLUpdateStore(url + "/query", url + "/update", autocommit=True)
    with pytest.raises(urllib.error.HTTPError, match="403") as refused:
        store.update(INSERT)
    refused.value.close()
    assert _count(url) == FIXTURE_TRIPLES


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_graph_store_writes_are_refused(url: str, method: str) -> None:
    body = b'<https://w3id.org/policykg/doc/x> <http://purl.org/dc/terms/title> "x" .'
    request = urllib.request.Request(
        url + "/store?default", data=body if method != "DELETE" else None, method=method,
        headers={"Content-Type": "application/n-triples"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    refused.value.close()
    assert refused.value.code == 403
    assert _count(url) == FIXTURE_TRIPLES


def test_long_get_is_refused_by_the_request_line_limit(url: str) -> None:
    query = COUNT + " # " + "碳" * 8000  # 72 KiB once %-encoded: past http.server's 64 KiB line
    request = url + "/query?" + urllib.parse.urlencode({"query": query})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    with refused.value:
        assert refused.value.code == 414
    assert _count(url) == FIXTURE_TRIPLES


def test_long_query_by_post_is_answered(url: str) -> None:
    query = COUNT + " # " + "碳" * 8000
    assert _post(url, query)[0] == 200


def test_post_body_over_the_limit_is_refused_unread(url: str) -> None:
    head = (COUNT + " #").encode()
    length = 100 * 1024 * 1024  # announced, never sent: past 64 MiB the front does not read
    with _connect(url) as conn:
        conn.sendall(b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/sparql-query\r\n"
                     + f"Content-Length: {length}\r\n\r\n".encode() + head)
        answer = b"".join(iter(lambda: conn.recv(4096), b"")).decode()
    assert answer.startswith("HTTP/1.1 413")
    assert "at most" in answer


def test_query_time_limit_cancels_a_runaway_query(store_dir: Path) -> None:
    with start_server(store_dir, timeout_s=1) as base:
        started = time.monotonic()
        status, body = _post(base, RUNAWAY)
        assert status == 503
        assert "ran longer than 1 s" in body
        assert time.monotonic() - started < 30
        assert _count(base) == FIXTURE_TRIPLES  # a fresh worker answers


def test_serves_a_store_held_open_by_a_writer(tmp_path: Path) -> None:
    import pyoxigraph as ox

    writer = ox.Store(str(tmp_path / "oxigraph"))
    writer.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)
    writer.flush()
    with start_server(tmp_path) as base:
        assert _count(base) == FIXTURE_TRIPLES
    assert len(writer) == FIXTURE_TRIPLES


def test_server_is_stopped_when_the_block_ends(store_dir: Path) -> None:
    seen: list[urllib.parse.SplitResult] = []

    def crash() -> None:
        with start_server(store_dir) as base:
            seen.append(urllib.parse.urlsplit(base))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        crash()
    host, port = seen[0].hostname, seen[0].port
    assert host is not None
    assert port is not None
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, port), timeout=5).close()


def test_binds_to_loopback_by_default() -> None:
    import inspect

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    cmd = server_command(None, read_only=False)
    assert cmd[cmd.index("--bind") + 1] == "127.0.0.1:7878"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        pytest.param("127.0.0.1", True, id="ipv4-loopback"),
        pytest.param("localhost", True, id="localhost"),
        pytest.param("::1", True, id="ipv6-loopback"),
        pytest.param("0.0.0.0", False, id="all-interfaces"),
        pytest.param("192.168.1.20", False, id="lan"),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_missing_store_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no Oxigraph store here"):
        serve(tmp_path / "nowhere")
    with pytest.raises(StoreError, match="no Oxigraph store here"), start_server(tmp_path):
        pass


def test_port_in_use_is_a_store_error(store_dir: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(StoreError, match=r"cannot listen on 127\.0\.0\.1"), start_server(
            store_dir, port=port
        ):
            pass


def test_serves_a_store_written_by_graph_store(tmp_path: Path) -> None:
    # graph.store bulk-loads N-Triples with pyoxigraph (SST ingestion, not plain writes)
    store = pytest.importorskip("policykg.graph.store")
    from rdflib import Graph

    from policykg.records import Corpus

    graph = Graph().parse(FIXTURE, format="turtle")
    store.write_store(tmp_path / "store", Corpus(documents=()), graph)
    with start_server(tmp_path / "store") as base:
        assert _sparqlwrapper_select(base + "/query", LEADS_OF_DOCUMENT) == LEADS
        assert _count(base) == FIXTURE_TRIPLES


@pytest.mark.parametrize(
    "signum",
    [pytest.param(signal.SIGINT, id="ctrl-c"), pytest.param(signal.SIGTERM, id="sigterm")],
)
def test_serve_runs_until_stopped_and_takes_the_server_down(
    store_dir: Path, signum: signal.Signals
) -> None:
    root = Path(__file__).resolve().parents[2]
    port = free_port()
    code = f"import sys; from pathlib import Path; from policykg.graph.endpoint import serve; " \
           f"sys.exit(serve(Path({str(store_dir)!r}), port={port}))"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=root,
                            env={**os.environ, "PYTHONPATH": str(root)})
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120  # spawning the query workers is slow on a busy machine
        while True:
            try:
                assert _count(base) == FIXTURE_TRIPLES
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None
                assert time.monotonic() < deadline, "the endpoint did not come up"
                time.sleep(0.1)
        proc.send_signal(signum)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
