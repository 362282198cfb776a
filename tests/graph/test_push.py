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
