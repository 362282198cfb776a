"""SPARQL: prefixes predeclared, same answers on Oxigraph and rdflib, W3C result formats, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib import Literal, URIRef

from policykg.errors import QueryError
from policykg.graph import iris
from policykg.graph.sparql import QueryResult, format_result, run_query, with_prefixes
from policykg.graph.store import OpenStore, open_store, write_store
from policykg.recordio import read_corpus

MINI = Path(__file__).resolve().parent.parent / "data" / "fixtures" / "graph_mini"

LEADS = """
SELECT ?agency ?name WHERE {
  ?task a pkg:Task ; pkg:assignedBy ?doc ; pkg:leadAgency ?agency .
  ?agency skos:prefLabel ?name .
} ORDER BY ?name
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, g: rdflib.Graph) -> OpenStore:
    path = tmp_path_factory.mktemp("sparql") / "store"
    write_store(path, read_corpus(MINI), g)
    return open_store(path)


@pytest.fixture(params=["oxigraph", "rdflib", "rdflib-over-oxigraph"])
def engine(request: pytest.FixtureRequest, store: OpenStore, g: rdflib.Graph) -> Any:
    """The store, rdflib's own engine, and rdflib's API over the store (oxrdflib)."""
    return {"oxigraph": store, "rdflib": g, "rdflib-over-oxigraph": store.graph()}[request.param]


def test_prefixes_are_predeclared(engine: Any) -> None:
    result = run_query(engine, LEADS)
    assert result.variables == ("agency", "name")
    assert result.column("name") == [
        Literal("交通运输部", lang="zh"),
        Literal("国家发展和改革委员会", lang="zh"),
    ]


def test_own_prefix_declaration_wins(engine: Any) -> None:
    q = "PREFIX pkg: <http://example.org/other#> SELECT ?t WHERE { ?t a pkg:Task }"
    assert len(run_query(engine, q)) == 0


def test_with_prefixes_adds_only_missing_lines() -> None:
    text = with_prefixes("PREFIX pkg: <x#>\nSELECT * WHERE { ?s ?p ?o }")
    assert text.count("PREFIX pkg:") == 1
    assert "PREFIX eli: <http://data.europa.eu/eli/ontology#>" in text


def test_ask_and_construct(engine: Any) -> None:
    ask = run_query(engine, "ASK { ?d eli:based_on ?one . ?one eli:title ?t }")
    assert (ask.kind, ask.boolean) == ("ask", True)
    built = run_query(engine, "CONSTRUCT { ?a pkg:leadAgency ?t } WHERE { ?t pkg:leadAgency ?a }")
    assert built.kind == "graph"
    assert len(built) == 2


def test_plain_literals_come_back_plain_from_oxigraph(store: OpenStore) -> None:
    result = run_query(store, "SELECT ?n WHERE { ?d eli:id_local ?n } ORDER BY ?n")
    assert result.column("n") == [Literal("发改能源〔2022〕206号"), Literal("国发〔2021〕23号")]
    # built without rdflib's constructor (graph.sparql._plain_literal): the same in every slot
    for got in result.column("n"):
        made = Literal(str(got))
        assert type(got) is Literal
        assert [getattr(got, k) for k in Literal.__slots__] == [
            getattr(made, k) for k in Literal.__slots__]
        assert (hash(got), got.n3(), repr(got), got.toPython()) == (
            hash(made), made.n3(), repr(made), made.toPython())


@pytest.mark.parametrize(
    ("query", "line", "words"),
    [
        pytest.param("SELECT ?x WHERE {\n  ?x ?y\n}", 3, "expected", id="incomplete-triple"),
        pytest.param("SELECT ?x WHERE { ?x nope:bar ?y }", 1, "unknown prefix",
                     id="unknown-prefix"),
        pytest.param("SELEC ?x", 1, "expected", id="misspelt-keyword"),
    ],
)
def test_bad_query_is_query_error_with_line(
    store: OpenStore, query: str, line: int, words: str
) -> None:
    with pytest.raises(QueryError, match=words) as info:
        run_query(store, query)
    assert info.value.span is not None
    assert info.value.span.start_line == line


def test_bad_query_on_rdflib_is_query_error(g: rdflib.Graph) -> None:
    with pytest.raises(QueryError, match="syntax error"):
        run_query(g, "SELECT ?x WHERE {\n  ?x ?y\n}")


def test_updates_are_refused(engine: Any) -> None:
    with pytest.raises(QueryError):
        run_query(engine, "INSERT DATA { <urn:x> <urn:y> <urn:z> }")
    assert len(run_query(engine, "SELECT * WHERE { <urn:x> ?p ?o }")) == 0


def test_empty_query_is_refused(store: OpenStore) -> None:
    with pytest.raises(QueryError, match="empty"):
        run_query(store, "  \n")


# ---------------------------------------------------------------- formats

RESULT = QueryResult(
    kind="select",
    variables=("doc", "title", "date", "missing"),
    rows=(
        (
            iris.doc_iri("p3-2.4"),
            Literal("关于完善能源绿色低碳转型体制机制和政策措施的意见", lang="zh"),
            Literal("2022-01-30", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")),
            None,
        ),
        (iris.doc_iri("p2-1.4"), Literal('2030年前碳达峰行动方案\t"1"'), None, None),
    ),
)


def test_csv_follows_sparql_csv_format() -> None:
    text = format_result(RESULT, "csv")
    assert text.startswith("doc,title,date,missing\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == [
        "https://w3id.org/policykg/doc/p3-2.4",
        "关于完善能源绿色低碳转型体制机制和政策措施的意见",
        "2022-01-30",
        "",
    ]
    assert rows[2][1] == '2030年前碳达峰行动方案\t"1"'


def test_tsv_uses_turtle_terms_and_escapes_tabs() -> None:
    lines = format_result(RESULT, "tsv").splitlines()
    assert lines[0] == "?doc\t?title\t?date\t?missing"
    assert lines[1].split("\t") == [
        "<https://w3id.org/policykg/doc/p3-2.4>",
        '"关于完善能源绿色低碳转型体制机制和政策措施的意见"@zh',
        '"2022-01-30"^^<http://www.w3.org/2001/XMLSchema#date>',
        "",
    ]
    assert len(lines[2].split("\t")) == 4


def test_json_follows_sparql_json_format() -> None:
    data = json.loads(format_result(RESULT, "json"))
    assert data["head"]["vars"] == ["doc", "title", "date", "missing"]
    first = data["results"]["bindings"][0]
    assert first["title"] == {
        "type": "literal",
        "value": "关于完善能源绿色低碳转型体制机制和政策措施的意见",
        "xml:lang": "zh",
    }
    assert first["date"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"
    assert "missing" not in first
    assert data["results"]["bindings"][1]["title"] == {
        "type": "literal", "value": '2030年前碳达峰行动方案\t"1"',
    }


def test_json_ask() -> None:
    assert json.loads(format_result(QueryResult(kind="ask", boolean=False), "json")) == {
        "head": {}, "boolean": False,
    }


def test_table_aligns_wide_characters_and_counts_rows() -> None:
    lines = format_result(RESULT, "table").splitlines()
    assert lines[0].split(" | ")[0].strip() == "doc"
    assert lines[2].startswith("https://w3id.org/policykg/doc/p3-2.4 | 关于完善")
    assert lines[-1] == "(2 rows)"
    bars = {line.index(" | ") for line in lines[2:4]}
    assert len(bars) == 1


def test_xml_follows_sparql_xml_format() -> None:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(format_result(RESULT, "xml"))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == [
        "doc", "title", "date", "missing"]
    first = root.findall("r:results/r:result", ns)[0]
    title = first.find("r:binding[@name='title']/r:literal", ns)
    assert title is not None
    assert title.text == "关于完善能源绿色低碳转型体制机制和政策措施的意见"


def test_values_are_python_values() -> None:
    import datetime

    assert RESULT.values()[0][2] == datetime.date(2022, 1, 30)
    assert RESULT.values()[1][2:] == (None, None)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(QueryError, match="unknown result format"):
        format_result(RESULT, "yaml")
