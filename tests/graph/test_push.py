"""Push the graph into a real, writable Oxigraph server on loopback (GSP, or Update)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from policykg.errors import StoreError
from policykg.graph.endpoint import free_port, start_server
from policykg.graph.push import endpoint_urls, ntriples_lines, push

pytestmark = pytest.mark.server

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "fixtures" / "endpoint_graph.ttl"
FIXTURE_TRIPLES = 66
NAMED = "https://w3id.org/policykg/graph/compilation-2022"

# competency question: the lead agencies of every task in a given document
LEADS_OF_DOCUMENT = """
PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name WHERE {
  %s {
    ?task a pkg:Task ; pkg:assignedBy <https://w3id.org/policykg/doc/p2-06> ;
          pkg:leadAgency ?agency .
    ?agency skos:prefLabel ?name .
  }
} ORDER BY ?name
"""
LEADS = ["交通运输部", "国家发展改革委"]


@pytest.fixture(scope="module")
def fixture_graph() -> Graph:
    return Graph().parse(FIXTURE, format="turtle")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with start_server(tmp_path / "db", read_only=False) as base:
        yield base


def _select(base: str, query: str) -> list[str]:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(base + "/query")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    client.setTimeout(30)
    result = client.queryAndConvert()
    assert isinstance(result, dict)
    var = result["head"]["vars"][0]
    return [row[var]["value"] for row in result["results"]["bindings"]]


def _count(base: str, graph: str | None = None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    return int(_select(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0])


def test_push_with_graph_store_protocol(server: str, fixture_graph: Graph) -> None:
    assert push(fixture_graph, server, batch_size=10) == FIXTURE_TRIPLES
    assert _count(server) == FIXTURE_TRIPLES
    assert _select(server, LEADS_OF_DOCUMENT % "") == LEADS


def test_push_into_a_named_graph(server: str, fixture_graph: Graph) -> None:
    push(fixture_graph, server + "/query", NAMED)
    assert _count(server) == 0
    assert _count(server, NAMED) == FIXTURE_TRIPLES
    assert _select(server, LEADS_OF_DOCUMENT % f"GRAPH <{NAMED}>") == LEADS


def test_push_an_ntriples_file_twice_adds_nothing_new(
    server: str, fixture_graph: Graph, tmp_path: Path
) -> None:
    nt = tmp_path / "graph.nt"
    fixture_graph.serialize(nt, format="nt", encoding="utf-8")
    assert push(nt, server) == FIXTURE_TRIPLES
    assert push(nt, server) == FIXTURE_TRIPLES
    assert _count(server) == FIXTURE_TRIPLES


def test_falls_back_to_sparql_update_when_gsp_is_refused(
    server: str, fixture_graph: Graph, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="policykg.graph.push"):
        count = push(fixture_graph, server, NAMED, batch_size=25, store_url=server + "/no-gsp")
    assert count == FIXTURE_TRIPLES
    assert "refused the Graph Store Protocol (HTTP 404" in caplog.text
    assert "falling back to SPARQL Update" in caplog.text
    assert _count(server, NAMED) == FIXTURE_TRIPLES
    assert _select(server, LEADS_OF_DOCUMENT % f"GRAPH <{NAMED}>") == LEADS


def test_blank_nodes_survive_batching(server: str) -> None:
    g = Graph()
    span = BNode()
    pkg = "https://w3id.org/policykg/ontology#"
    task = URIRef("https://w3id.org/policykg/task/p2-06-t04")
    g.add((task, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), span))
    g.add((span, URIRef(pkg + "startLine"), Literal(6056)))
    g.add((span, URIRef(pkg + "endLine"), Literal(6096)))
    push(g, server, batch_size=1)
    assert _select(server, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p 6056 }") == ["1"]
    rows = _select(
        server,
        "SELECT ?end WHERE { ?t <http://www.w3.org/ns/prov#wasDerivedFrom> ?b . "
        "?b <https://w3id.org/policykg/ontology#endLine> ?end }",
    )
    assert rows == ["6096"]


def test_read_only_server_refuses_both_protocols(tmp_path: Path, fixture_graph: Graph) -> None:
    import pyoxigraph as ox

    ox.Store(str(tmp_path / "oxigraph")).flush()
    refused = "update answered HTTP 403"
    with start_server(tmp_path) as base, pytest.raises(StoreError, match=refused):
        push(fixture_graph, base)


def test_connection_refused_is_a_store_error(fixture_graph: Graph) -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(StoreError, match=r"cannot reach http://127\.0\.0\.1:\d+/store.*refused"):
        push(fixture_graph, f"http://127.0.0.1:{port}")


def test_missing_ntriples_file_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"graph\.nt: cannot read the graph"):
        push(tmp_path / "graph.nt", "http://127.0.0.1:9")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("http://127.0.0.1:7878", "http://127.0.0.1:7878", id="base"),
        pytest.param("http://127.0.0.1:7878/", "http://127.0.0.1:7878", id="base-slash"),
        pytest.param("http://127.0.0.1:7878/query", "http://127.0.0.1:7878", id="query"),
        pytest.param("http://h:3030/ds/sparql", "http://h:3030/ds", id="fuseki-like"),
    ],
)
def test_endpoint_urls(url: str, expected: str) -> None:
    assert endpoint_urls(url) == (f"{expected}/store", f"{expected}/update")


def test_ntriples_lines_skip_comments_and_blank_lines() -> None:
    triple = (
        "<https://w3id.org/policykg/doc/p2-06> <http://data.europa.eu/eli/ontology#id_local> "
        '"国发〔2021〕33号" .'
    )
    assert ntriples_lines(f"# a comment\n\n{triple}\n") == [triple]


class SlowServer:
    """A loopback HTTP server that drips its answers: one byte every ``gap`` seconds.

    ``drip`` None answers each request at once with 204 after ``gap`` seconds instead.
    """

    def __init__(self, gap: float, *, drip: bool = True) -> None:
        import socket
        import threading

        self.gap, self.drip, self.requests = gap, drip, 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        import threading

        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: object) -> None:
        import socket
        import time

        assert isinstance(conn, socket.socket)
        with conn:
            conn.settimeout(5)
            try:
                while data := conn.recv(65536):  # read a request, then answer slowly
                    if not data.startswith((b"POST ", b"PUT ", b"GET ")):
                        # the rest of a request already answered (its body came apart from
                        # its head): counted and answered twice, it made the count and the
                        # timing depend on how the machine's load cut the request
                        continue
                    self.requests += 1
                    if not self.drip:
                        time.sleep(self.gap)
                        conn.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                        continue
                    for byte in b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n":
                        if self._stop.is_set():
                            return
                        conn.sendall(bytes([byte]))
                        time.sleep(self.gap)
            except OSError:
                return

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


def test_a_dripping_server_is_cut_off_at_the_request_timeout(fixture_graph: Graph) -> None:
    import time

    slow = SlowServer(0.5)  # 46 bytes of status and headers at 2 a second: 23 s
    try:
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"did not answer within 1 s \(--timeout\)"):
            push(fixture_graph, slow.url, timeout=1.0)
        assert time.monotonic() - started < 5
    finally:
        slow.close()


def test_the_whole_push_stops_at_its_deadline(fixture_graph: Graph) -> None:
    import time

    slow = SlowServer(0.4, drip=False)  # each batch answered, 0.4 s late
    try:
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"deadline of 1\.5 s"):
            push(fixture_graph, slow.url, batch_size=5, timeout=30, deadline=1.5)
        assert time.monotonic() - started < 5
        # 0.4 s a batch against a 1.5 s deadline: about four of the 14 batches are sent
        assert 1 <= slow.requests <= 5
    finally:
        slow.close()


def test_push_timeouts_from_the_cli(run: object, tmp_path: Path) -> None:
    from collections.abc import Callable

    from policykg.graph.store import write_store
    from policykg.records import Corpus

    assert callable(run)
    invoke: Callable[..., tuple[int, str, str]] = run
    store = write_store(tmp_path / "store", Corpus(documents=()),
                        Graph().parse(FIXTURE, format="turtle"))
    slow = SlowServer(0.5)
    try:
        code, _, err = invoke("push", "--store", store, "--endpoint", slow.url, "--timeout", "1")
    finally:
        slow.close()
    assert code == 2
    assert "did not answer within 1 s" in err
    assert len(err.strip().splitlines()) == 1
    with pytest.raises(SystemExit) as usage:  # argparse's own usage error, exit 2
        invoke("push", "--store", store, "--endpoint", slow.url, "--timeout", "0")
    assert usage.value.code == 2
