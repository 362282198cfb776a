"""Exports: every format parses back or loads in its tool's reader; N-Triples are byte-identical."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib.compare import isomorphic

from policykg.errors import GraphError
from policykg.graph import iris
from policykg.graph.build import build_graph
from policykg.graph.export import FORMATS, export, qname
from policykg.graph.store import open_store, write_store
from policykg.recordio import read_corpus

MINI = Path(__file__).resolve().parent.parent / "data" / "fixtures" / "graph_mini"


@pytest.mark.parametrize(
    ("fmt", "parser"),
    [
        pytest.param("turtle", "turtle", id="turtle"),
        pytest.param("nt", "nt", id="nt"),
        pytest.param(
            "jsonld", "json-ld", id="jsonld",
            # rdflib 7.6's own JSON-LD parser builds a ConjunctiveGraph internally
            marks=pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated"),
        ),
    ],
)
def test_rdf_exports_parse_back_isomorphic(
    g: rdflib.Graph, tmp_path: Path, fmt: str, parser: str
) -> None:
    (path,) = export(g, fmt, tmp_path / f"graph.{fmt}")
    back = rdflib.Graph().parse(path, format=parser)
    assert isomorphic(back, g)


def test_jsonld_is_compacted_with_the_project_prefixes(g: rdflib.Graph, tmp_path: Path) -> None:
    import json

    (path,) = export(g, "jsonld", tmp_path / "graph.jsonld")
    data = json.loads(path.read_text("utf-8"))
    assert data["@context"]["eli"] == "http://data.europa.eu/eli/ontology#"
    assert any(node.get("@type") == "pkg:Task" for node in data["@graph"])


def test_nt_export_is_sorted_and_byte_identical(g: rdflib.Graph, tmp_path: Path) -> None:
    (a,) = export(g, "nt", tmp_path / "a.nt")
    (b,) = export(build_graph(read_corpus(MINI)), "nt", tmp_path / "b.nt")
    assert a.read_bytes() == b.read_bytes()
    lines = a.read_text("utf-8").splitlines()
    assert lines == sorted(lines)


def test_export_from_an_opened_store(g: rdflib.Graph, tmp_path: Path) -> None:
    store = open_store(write_store(tmp_path / "store", read_corpus(MINI), g))
    (path,) = export(store, "nt", tmp_path / "from-store.nt")
    assert path.read_bytes() == (tmp_path / "store" / "graph.nt").read_bytes()


def test_graphml_loads_in_networkx(g: rdflib.Graph, tmp_path: Path) -> None:
    (path,) = export(g, "graphml", tmp_path / "graph.graphml")
    loaded = nx.read_graphml(path)
    task = str(iris.task_iri("p2-1.6-t4"))
    assert loaded.nodes[task]["type"] == "pkg:Task"
    assert loaded.nodes[str(iris.agency_iri("国家能源局"))]["label"] == "国家能源局"
    relations = {d["label"] for _, _, d in loaded.out_edges(task, data=True)}
    assert {"pkg:leadAgency", "pkg:assignedBy", "prov:wasDerivedFrom"} <= relations


def test_csv_writes_nodes_and_edges_for_gephi(g: rdflib.Graph, tmp_path: Path) -> None:
    nodes_path, edges_path = export(g, "csv", tmp_path / "csv")
    with nodes_path.open(encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f))
    with edges_path.open(encoding="utf-8", newline="") as f:
        edges = list(csv.DictReader(f))
    assert set(nodes[0]) == {"Id", "Label", "Type"}
    by_id = {n["Id"]: n for n in nodes}
    doc = by_id[str(iris.doc_iri("p3-2.4"))]
    assert doc["Label"] == "关于完善能源绿色低碳转型体制机制和政策措施的意见"
    assert doc["Type"] == "eli:LegalResource"
    assert {
        "Source": str(iris.doc_iri("p3-2.4")),
        "Target": str(iris.doc_iri("p2-1.4")),
        "Label": "eli:based_on",
    } in edges
    assert {e["Source"] for e in edges} | {e["Target"] for e in edges} <= set(by_id)


def test_unknown_format_is_a_graph_error(g: rdflib.Graph, tmp_path: Path) -> None:
    with pytest.raises(GraphError, match="unknown export format"):
        export(g, "xml", tmp_path / "x")


def test_formats_match_the_cli_contract() -> None:
    assert FORMATS == ("turtle", "nt", "jsonld", "graphml", "csv")


def test_qname_uses_project_prefixes() -> None:
    assert qname(rdflib.URIRef("http://data.europa.eu/eli/ontology#passed_by")) == "eli:passed_by"
    assert qname(iris.doc_iri("x")) == str(iris.doc_iri("x"))
