"""Network analyses: on hand-built graphs, and on the views of fixtures/views_corpus.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from policykg.graph.analysis import (
    AnalysisReport,
    agency_betweenness,
    analyze_corpus,
    busiest_agencies,
    most_cited,
    orphan_policies,
)
from policykg.graph.iris import agency_iri, doc_iri, external_iri
from policykg.graph.views import to_networkx
from policykg.records import (
    Agency,
    Citation,
    Corpus,
    DocKind,
    Document,
    Level,
    Relation,
    SectorTag,
    Task,
)

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "fixtures" / "views_corpus.json"


def _load(path: Path) -> Corpus:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))

    def tup(d: dict[str, Any], *keys: str) -> dict[str, Any]:
        return {**d, **{k: tuple(d[k]) for k in keys}}

    return Corpus(
        documents=tuple(
            Document(**{**tup(d, "issuers"), "kind": DocKind(d["kind"])})
            for d in data["documents"]
        ),
        agencies=tuple(
            Agency(**{**tup(a, "aliases"), "level": Level(a["level"])}) for a in data["agencies"]
        ),
        tasks=tuple(
            Task(**tup(t, "section", "lead", "participants", "collective")) for t in data["tasks"]
        ),
        citations=tuple(
            Citation(**{**c, "relation": Relation(c["relation"])}) for c in data["citations"]
        ),
        sectors=tuple(SectorTag(**tup(s, "terms")) for s in data["sectors"]),
    )


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return _load(FIXTURE)


def a(agency_id: str) -> str:
    return str(agency_iri(agency_id))


# --- hand-built graphs -------------------------------------------------------------------


def _agencies(edges: list[tuple[str, str]], order: list[str]) -> nx.Graph[str]:
    g: nx.Graph[str] = nx.Graph()
    for n in order:
        g.add_node(n, kind="agency", label=n)
    for u, v in edges:
        g.add_edge(u, v, relation="co_responsible", weight=1)
    return g


def test_betweenness_of_a_path_centre() -> None:
    g = _agencies([("甲", "乙"), ("乙", "丙")], ["甲", "乙", "丙"])
    assert [(b.label, b.betweenness, b.partners) for b in agency_betweenness(g)] == [
        ("乙", 1.0, 2),
        ("丙", 0.0, 1),
        ("甲", 0.0, 1),
    ]


def test_betweenness_ties_go_by_label_whatever_the_insertion_order() -> None:
    # a 4-cycle: every node has the same betweenness
    edges = [("丁", "甲"), ("甲", "乙"), ("乙", "丙"), ("丙", "丁")]
    one = agency_betweenness(_agencies(edges, ["甲", "乙", "丙", "丁"]))
    two = agency_betweenness(_agencies(list(reversed(edges)), ["丁", "丙", "乙", "甲"]))
    assert one == two
    assert [b.label for b in one] == sorted(["甲", "乙", "丙", "丁"])


def test_busiest_counts_only_lead_and_participant_edges() -> None:
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_node("A", kind="agency", label="生态环境部")
    g.add_node("t1", kind="task", label="t1")
    g.add_node("t2", kind="task", label="t2")
    g.add_node("p", kind="policy", label="p")
    g.add_edge("A", "t1", relation="lead")
    g.add_edge("A", "t2", relation="participant")
    g.add_edge("t1", "p", relation="assigned_by")
    assert [(x.label, x.tasks, x.lead_tasks) for x in busiest_agencies(g)] == [
        ("生态环境部", 2, 1)
    ]


# --- the fixture's views -----------------------------------------------------------------


def test_busiest_agencies_by_total(corpus: Corpus) -> None:
    loads = busiest_agencies(to_networkx(corpus, "responsibility"), top=6)
    assert [(x.label, x.tasks, x.lead_tasks) for x in loads] == [
        ("国家发展改革委", 4, 1),
        ("生态环境部", 4, 1),
        ("工业和信息化部", 4, 0),
        ("国家能源局", 3, 1),
        ("市场监管总局", 3, 0),
        ("住房城乡建设部", 2, 0),
    ]
    assert loads[0].iri == a("ndrc")


def test_busiest_agencies_by_lead(corpus: Corpus) -> None:
    loads = busiest_agencies(to_networkx(corpus, "responsibility"), by="lead", top=None)
    assert [x.label for x in loads] == [
        "国家发展改革委",
        "生态环境部",
        "国家能源局",
        "交通运输部",
        "农业农村部",
        "国家乡村振兴局",
    ]


def test_brokers_are_the_agencies_in_both_engineering_tasks(corpus: Corpus) -> None:
    # （四） and （五） share 6 agencies; each of the 4 × 3 agencies named in only one of them
    # reaches the other side through any of those 6: 12 pairs × 1/6 each, normalised by
    # (n-1)(n-2)/2 = 66 for n = 13 agencies.
    brokers = agency_betweenness(to_networkx(corpus, "coresponsibility"), top=None)
    assert [(b.label, b.betweenness) for b in brokers[:6]] == [
        (label, round(2 / 66, 12))
        for label in ("住房城乡建设部", "国家发展改革委", "国家能源局", "工业和信息化部",
                      "市场监管总局", "生态环境部")
    ]
    assert {b.betweenness for b in brokers[6:]} == {0.0}
    assert len(brokers) == 13


def test_most_cited(corpus: Corpus) -> None:
    cited = most_cited(to_networkx(corpus, "citations"))
    assert [(c.iri, c.kind, c.cited_by, c.mentions) for c in cited] == [
        (str(doc_iri("p2-03")), "policy", 2, 2),
        (str(external_iri("联合国气候变化框架公约")), "external_policy", 2, 2),
        (str(doc_iri("p2-04")), "policy", 1, 1),
        (str(external_iri("巴黎协定")), "external_policy", 1, 1),
    ]


def test_orphan_policies(corpus: Corpus) -> None:
    orphans = orphan_policies(to_networkx(corpus, "citations"))
    assert [(o.doc_id, o.label) for o in orphans] == [
        ("p2-05", "关于推动城乡建设绿色发展的意见"),
        ("p2-06", "“十四五”节能减排综合工作方案"),
    ]


def test_analyze_corpus_report(corpus: Corpus) -> None:
    report = analyze_corpus(corpus, top=3)
    assert isinstance(report, AnalysisReport)
    assert (report.policies, report.agencies, report.tasks) == (5, 13, 4)
    assert [x.label for x in report.busiest] == ["国家发展改革委", "生态环境部", "工业和信息化部"]
    data = report.to_json()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["orphans"][0]["doc_id"] == "p2-05"
    text = report.to_text()
    assert text.splitlines()[0] == "5 policies, 13 agencies with tasks, 4 tasks"
    assert "      4     1  国家发展改革委" in text
    assert "  [external]" in text


# --- the whole compilation ---------------------------------------------------------------

TASKS_PER_AGENCY = """
PREFIX pkg: <https://w3id.org/policykg/ontology#>
SELECT ?agency (COUNT(DISTINCT ?task) AS ?n) WHERE { ?task %s ?agency } GROUP BY ?agency
"""


@pytest.mark.slow
def test_compilation_task_loads_agree_with_sparql_counts(compilation_corpus: Corpus) -> None:
    from policykg.graph.build import build_graph

    rdf = build_graph(compilation_corpus)
    total = {
        str(r[0]): int(r[1])
        for r in rdf.query(TASKS_PER_AGENCY % "pkg:leadAgency|pkg:participantAgency")
    }
    lead = {str(r[0]): int(r[1]) for r in rdf.query(TASKS_PER_AGENCY % "pkg:leadAgency")}
    loads = busiest_agencies(to_networkx(compilation_corpus, "responsibility"), top=None)
    assert {x.iri: x.tasks for x in loads} == total
    assert {x.iri: x.lead_tasks for x in loads if x.lead_tasks} == lead
    assert [x.tasks for x in loads] == sorted((x.tasks for x in loads), reverse=True)


@pytest.mark.slow
def test_compilation_report_is_deterministic(compilation_corpus: Corpus) -> None:
    one, two = analyze_corpus(compilation_corpus), analyze_corpus(compilation_corpus)
    assert one == two
    assert one.to_text() == two.to_text()
    # the compilation's three standards (p3-c1-1.14, p3-c3-3.3, p3-c12-12.7) are not policies
    assert one.policies == len(compilation_corpus.documents) - 3
    assert one.policies == sum(d.is_policy for d in compilation_corpus.documents)
    assert "国家发展和改革委员会" in [x.label for x in one.busiest[:3]]
    assert all(o.doc_id for o in one.orphans)
