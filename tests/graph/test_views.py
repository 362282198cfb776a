"""networkx views over hand-made records of five real documents (fixtures/views_corpus.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from policykg.errors import QueryError
from policykg.graph.iris import agency_iri, doc_iri, external_iri, task_iri
from policykg.graph.views import (
    EDGE_RELATIONS,
    NODE_KINDS,
    EdgeAttrs,
    NodeAttrs,
    agency_ego,
    find_agency,
    group_iri,
    to_networkx,
)
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

POLICY_KEYS = {"kind", "label", "title", "doc_kind", "doc_id", "date", "doc_number", "issuers",
               "source", "sectors", "part"}
AGENCY_KEYS = {"kind", "label", "title", "level", "jurisdiction", "tasks", "lead_tasks"}
TASK_KEYS = {"kind", "label", "title", "doc_id", "section", "source", "sectors"}


def load_fixture_corpus(path: Path = FIXTURE) -> Corpus:
    """Read the records of a views fixture (record fields as JSON, enums as strings)."""
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
            Task(**tup(t, "section", "lead", "participants", "collective"))
            for t in data["tasks"]
        ),
        citations=tuple(
            Citation(**{**c, "relation": Relation(c["relation"])}) for c in data["citations"]
        ),
        sectors=tuple(SectorTag(**tup(s, "terms")) for s in data["sectors"]),
    )


@dataclass(frozen=True)
class Node:
    """A stand-in for graph.tree.TreeNode (doc_id, label, reason, children)."""

    doc_id: str | None
    label: str
    reason: str = ""
    children: tuple[Node, ...] = ()


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_fixture_corpus()


@pytest.fixture(scope="module")
def tree() -> Node:
    return Node(
        None,
        "1+N",
        children=(
            Node(
                "p2-03",
                "1：意见",
                "the “1” (curated)",
                children=(
                    Node(None, "地方落实", "local policies carrying it out",
                         children=(Node("p2-05", "城乡建设", "implements the “1”"),)),
                ),
            ),
            Node(
                None,
                "N：重点领域和行业",
                "curated group",
                children=(
                    Node("p2-04", "行动方案", "curated"),
                    Node("p2-06", "节能减排", "sector: industry"),
                ),
            ),
        ),
    )


def d(doc_id: str) -> str:
    return str(doc_iri(doc_id))


def a(agency_id: str) -> str:
    return str(agency_iri(agency_id))


def t(task_id: str) -> str:
    return str(task_iri(task_id))


# --- citations ---------------------------------------------------------------------------


def test_citations_nodes_are_policies_and_cited_externals(corpus: Corpus) -> None:
    g = to_networkx(corpus, "citations")
    assert isinstance(g, nx.DiGraph)
    kinds = {n: k for n, k in g.nodes(data="kind")}
    assert kinds == {
        **{d(i): "policy" for i in ("p2-03", "p2-04", "p2-05", "p2-06", "p3-9-02")},
        str(external_iri("联合国气候变化框架公约")): "external_policy",
        str(external_iri("巴黎协定")): "external_policy",
    }


@pytest.mark.parametrize(
    ("source", "target", "relation", "lines"),
    [
        pytest.param("p2-04", "p2-03", "implements", [5507], id="方案-按照-意见"),
        pytest.param("p3-9-02", "p2-03", "implements", [27195], id="财政-根据-意见"),
        pytest.param("p3-9-02", "p2-04", "implements", [27197], id="财政-根据-方案"),
    ],
)
def test_citation_edges(
    corpus: Corpus, source: str, target: str, relation: str, lines: list[int]
) -> None:
    g = to_networkx(corpus, "citations")
    assert g.edges[d(source), d(target)] == {"relation": relation, "count": 1, "lines": lines}


def test_two_mentions_on_one_line_to_external_policies(corpus: Corpus) -> None:
    g = to_networkx(corpus, "citations")
    unfccc = str(external_iri("联合国气候变化框架公约"))
    assert sorted(g.predecessors(unfccc)) == sorted([d("p2-04"), d("p3-9-02")])
    assert g.edges[d("p3-9-02"), unfccc]["relation"] == "cites"
    assert g.nodes[unfccc] == {
        "kind": "external_policy",
        "label": "联合国气候变化框架公约",
        "title": "联合国气候变化框架公约",
        "external_id": "联合国气候变化框架公约",
    }


def test_unresolved_citation_adds_no_node(corpus: Corpus) -> None:
    # line 5411: 《“一带一路”绿色投资原则》 has neither a corpus id nor an external id
    g = to_networkx(corpus, "citations")
    assert g.number_of_edges() == 6
    assert not any("一带一路" in str(lbl) for _, lbl in g.nodes(data="label"))


def test_repeated_citation_merges_into_one_edge_and_implements_wins() -> None:
    doc = Document(
        id="x", part=None, chapter=None, seq=None, kind=DocKind.CENTRAL_POLICY, title="甲",
        doc_number=None, date=None, date_source=None, year=None, issuers=(), url=None,
        start_line=1, end_line=9, file="f.txt",
    )
    cited = Document(**{**{f: getattr(doc, f) for f in doc.__slots__}, "id": "y", "title": "乙"})
    corpus = Corpus(
        documents=(doc, cited),
        citations=(
            Citation(doc_id="x", line=5, cited_title="《乙》", cited_doc_id="y",
                     external_id=None, relation=Relation.CITES),
            Citation(doc_id="x", line=3, cited_title="《乙》", cited_doc_id="y",
                     external_id=None, relation=Relation.IMPLEMENTS),
            Citation(doc_id="x", line=7, cited_title="《甲》", cited_doc_id="x",
                     external_id=None, relation=Relation.CITES),
        ),
    )
    g = to_networkx(corpus, "citations")
    assert list(g.edges(data=True)) == [
        (d("x"), d("y"), {"relation": "implements", "count": 2, "lines": [3, 5]})
    ]


def test_policy_node_attributes(corpus: Corpus) -> None:
    g = to_networkx(corpus, "citations")
    attrs = g.nodes[d("p2-06")]
    assert set(attrs) == POLICY_KEYS
    assert attrs == {
        "kind": "policy",
        "label": "“十四五”节能减排综合工作方案",
        "title": "“十四五”节能减排综合工作方案",
        "doc_kind": "central_policy",
        "doc_id": "p2-06",
        "date": None,
        "doc_number": "国发〔2021〕33号",
        "issuers": ["国务院"],
        "source": "compilation-2022.txt:5942-6493",
        "sectors": ["industry", "transport"],
        "part": 2,
    }


def test_long_title_is_shortened_in_label_not_in_title(corpus: Corpus) -> None:
    attrs = to_networkx(corpus, "citations").nodes[d("p2-03")]
    assert attrs["label"].endswith("…")
    assert len(attrs["label"]) < len(attrs["title"])
    assert attrs["title"] == (
        "中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见"
    )


# --- responsibility ----------------------------------------------------------------------


def test_responsibility_is_agency_to_task(corpus: Corpus) -> None:
    g = to_networkx(corpus, "responsibility")
    assert isinstance(g, nx.DiGraph)
    kinds = dict(g.nodes(data="kind"))
    assert sorted(n for n, k in kinds.items() if k == "task") == sorted(
        t(i) for i in ("p2-06-t01", "p2-06-t02", "p2-06-t04", "p2-06-t05")
    )
    # only the agencies with a task: not 科技部
    assert sum(k == "agency" for k in kinds.values()) == 13
    assert a("most") not in g
    for u, v, rel in g.edges(data="relation"):
        assert (kinds[u], kinds[v]) == ("agency", "task")
        assert rel in ("lead", "participant")


@pytest.mark.parametrize(
    ("agency", "task", "relation"),
    [
        pytest.param("mot", "p2-06-t04", "lead", id="交通运输部-牵头-交通物流"),
        pytest.param("ndrc", "p2-06-t04", "lead", id="国家发展改革委-牵头-交通物流"),
        pytest.param("mps", "p2-06-t04", "participant", id="公安部-参与-交通物流"),
        pytest.param("nrra", "p2-06-t05", "lead", id="国家乡村振兴局-牵头-农业农村"),
        pytest.param("samr", "p2-06-t01", "participant", id="市场监管总局-等按职责分工负责"),
    ],
)
def test_responsibility_edges(corpus: Corpus, agency: str, task: str, relation: str) -> None:
    g = to_networkx(corpus, "responsibility")
    assert g.edges[a(agency), t(task)] == {"relation": relation}


@pytest.mark.parametrize(
    ("agency", "tasks", "lead_tasks"),
    [
        pytest.param("ndrc", 4, 1, id="国家发展改革委"),
        pytest.param("mee", 4, 1, id="生态环境部"),
        pytest.param("miit", 4, 0, id="工业和信息化部"),
        pytest.param("mohurd", 2, 0, id="住房城乡建设部"),
        pytest.param("most", 0, 0, id="科技部-no-task"),
    ],
)
def test_agency_task_counts(corpus: Corpus, agency: str, tasks: int, lead_tasks: int) -> None:
    attrs = to_networkx(corpus, "responsibility", all_agencies=True).nodes[a(agency)]
    assert set(attrs) == AGENCY_KEYS
    assert (attrs["tasks"], attrs["lead_tasks"], attrs["level"]) == (tasks, lead_tasks, "central")


def test_task_node_attributes(corpus: Corpus) -> None:
    attrs = to_networkx(corpus, "responsibility").nodes[t("p2-06-t04")]
    assert set(attrs) == TASK_KEYS
    assert attrs["doc_id"] == "p2-06"
    assert attrs["section"] == "三、实施节能减排重点工程 / （四）交通物流节能减排工程"
    assert attrs["source"] == "compilation-2022.txt:6056-6096"
    assert attrs["sectors"] == ["transport"]
    assert attrs["title"].startswith("（四）交通物流节能减排工程。")


def test_assigned_by_adds_task_to_policy_edges(corpus: Corpus) -> None:
    plain = to_networkx(corpus, "responsibility")
    g = to_networkx(corpus, "responsibility", assigned_by=True)
    assert d("p2-06") not in plain
    assert g.nodes[d("p2-06")]["kind"] == "policy"
    assigned = [(u, v) for u, v, r in g.edges(data="relation") if r == "assigned_by"]
    assert sorted(assigned) == sorted(
        (t(i), d("p2-06")) for i in ("p2-06-t01", "p2-06-t02", "p2-06-t04", "p2-06-t05")
    )


# --- co-responsibility -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pair", "weight"),
    [
        pytest.param(("ndrc", "miit"), 4, id="发改委-工信部-all-four"),
        pytest.param(("mohurd", "nea"), 2, id="住建部-能源局-t04-t05"),
        pytest.param(("mot", "mps"), 1, id="交通运输部-公安部-t04"),
        pytest.param(("mot", "moa"), None, id="交通运输部-农业农村部-none"),
    ],
)
def test_coresponsibility_weights(
    corpus: Corpus, pair: tuple[str, str], weight: int | None
) -> None:
    g = to_networkx(corpus, "coresponsibility")
    assert not g.is_directed()
    u, v = a(pair[0]), a(pair[1])
    if weight is None:
        assert not g.has_edge(u, v)
    else:
        assert g.edges[u, v] == {"relation": "co_responsible", "weight": weight}


def test_coresponsibility_keeps_only_agencies_with_tasks(corpus: Corpus) -> None:
    g = to_networkx(corpus, "coresponsibility")
    assert a("most") not in g
    assert g.number_of_nodes() == 13
    assert {k for _, k in g.nodes(data="kind")} == {"agency"}


# --- tree --------------------------------------------------------------------------------


def test_tree_view(corpus: Corpus, tree: Node) -> None:
    g = to_networkx(corpus, "tree", tree=tree)
    root, group = group_iri(["1+N"]), group_iri(["1+N", "N：重点领域和行业"])
    local = group_iri(["p2-03", "地方落实"])
    assert local == "https://w3id.org/policykg/group/p2-03/地方落实"
    assert nx.is_arborescence(g)
    assert sorted(g.edges) == sorted(
        [(root, d("p2-03")), (root, group), (group, d("p2-04")), (group, d("p2-06")),
         (d("p2-03"), local), (local, d("p2-05"))]
    )
    assert g.nodes[root]["kind"] == "group"
    one = g.nodes[d("p2-03")]
    assert (one["kind"], one["label"], one["reason"]) == ("policy", "1：意见", "the “1” (curated)")
    assert g.edges[group, d("p2-06")] == {"relation": "child", "reason": "sector: industry"}


# --- agency ego --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("ndrc", id="id"),
        pytest.param("国家发展改革委", id="name"),
        pytest.param("国家发展和改革委员会", id="alias"),
        pytest.param("发展改革委", id="unique-substring"),
    ],
)
def test_find_agency(corpus: Corpus, query: str) -> None:
    assert find_agency(corpus, query).id == "ndrc"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        pytest.param("国务院国资委", "no agency is called", id="unknown"),
        pytest.param("国家", "names several agencies", id="ambiguous"),
    ],
)
def test_find_agency_errors(corpus: Corpus, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        find_agency(corpus, query)


def test_agency_ego(corpus: Corpus) -> None:
    g = agency_ego(corpus, "交通运输部")
    me = a("mot")
    assert g.nodes[me]["ego"] is True
    assert g.edges[me, t("p2-06-t04")] == {"relation": "lead"}
    assert g.edges[t("p2-06-t04"), d("p2-06")] == {"relation": "assigned_by"}
    co = sorted(v for _, v, r in g.out_edges(me, data="relation") if r == "co_responsible")
    assert co == sorted(
        a(i) for i in ("ndrc", "miit", "mps", "mof", "mee", "mohurd", "mofcom", "samr", "nea")
    )
    assert g.number_of_nodes() == 1 + 1 + 1 + 9


def test_agency_ego_lead_only(corpus: Corpus) -> None:
    full = agency_ego(corpus, "生态环境部")
    lead = agency_ego(corpus, "生态环境部", lead_only=True)
    full_tasks = [n for n, k in full.nodes(data="kind") if k == "task"]
    lead_tasks = [n for n, k in lead.nodes(data="kind") if k == "task"]
    assert (len(full_tasks), lead_tasks) == (4, [t("p2-06-t05")])
    assert lead.edges[a("mee"), a("nrra")]["weight"] == 1
    assert full.edges[a("mee"), a("ndrc")]["weight"] == 4


# --- the attribute contract --------------------------------------------------------------


@pytest.mark.parametrize("kind", ["citations", "responsibility", "coresponsibility", "tree"])
def test_attributes_follow_the_contract(corpus: Corpus, tree: Node, kind: str) -> None:
    g = to_networkx(corpus, kind, tree=tree, assigned_by=True)
    assert g.number_of_nodes() > 0
    for node, attrs in g.nodes(data=True):
        assert node.startswith("https://w3id.org/policykg/")
        assert set(attrs) <= set(NodeAttrs.__annotations__), node
        assert attrs["kind"] in NODE_KINDS
        assert attrs["label"]
        assert attrs["title"]
    for _, _, attrs in g.edges(data=True):
        assert set(attrs) <= set(EdgeAttrs.__annotations__)
        assert attrs["relation"] in EDGE_RELATIONS


def test_unknown_view_kind(corpus: Corpus) -> None:
    with pytest.raises(ValueError, match="unknown view 'agencies'"):
        to_networkx(corpus, "agencies")


def test_task_agencies_given_by_canonical_name(corpus: Corpus) -> None:
    # graph.build resolves Task.lead / participants by agency id or canonical name
    task = Task(
        id="p2-06-t99", doc_id="p2-06", text="（十）…", section=(), lead=("交通运输部",),
        participants=("ndrc", "国家铁路局"), collective=(), etc=True, jurisdiction=None,
        raw="交通运输部牵头，国家发展改革委、国家铁路局等按职责分工负责",
        start_line=6056, end_line=6096,
    )
    g = to_networkx(Corpus(documents=corpus.documents, agencies=corpus.agencies,
                           tasks=(task,)), "responsibility")
    assert sorted(g.in_edges(t("p2-06-t99"), data="relation")) == sorted(
        [(a("mot"), t("p2-06-t99"), "lead"), (a("ndrc"), t("p2-06-t99"), "participant")]
    )


# --- the same resources as the RDF graph -------------------------------------------------

SPARQL_PREFIXES = """
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX pkg: <https://w3id.org/policykg/ontology#>
"""


def _subjects(graph: Any, cls: str) -> set[str]:
    rows = graph.query(SPARQL_PREFIXES + f"SELECT DISTINCT ?s WHERE {{ ?s a {cls} }}")
    return {str(row[0]) for row in rows}


def _pairs(graph: Any, path: str) -> set[tuple[str, str]]:
    rows = graph.query(SPARQL_PREFIXES + f"SELECT DISTINCT ?s ?o WHERE {{ ?s {path} ?o }}")
    return {(str(row[0]), str(row[1])) for row in rows}


def _of_kind(g: nx.Graph[str], kind: str) -> set[str]:
    return {n for n, k in g.nodes(data="kind") if k == kind}


def test_views_and_rdf_graph_have_the_same_resources(corpus: Corpus, tree: Node) -> None:
    build = pytest.importorskip("policykg.graph.build")
    rdf = build.build_graph(corpus, corpus.sectors, tree)

    cites = to_networkx(corpus, "citations")
    assert _of_kind(cites, "policy") == _subjects(rdf, "eli:LegalResource")
    assert _of_kind(cites, "external_policy") == _subjects(rdf, "pkg:ExternalPolicy")
    rdf_cites = _pairs(rdf, "eli:cites|eli:based_on")
    assert set(cites.edges) == {(u, v) for u, v in rdf_cites if u != v}

    resp = to_networkx(corpus, "responsibility")
    responsible = {ag for _, ag in _pairs(rdf, "pkg:leadAgency|pkg:participantAgency")}
    assert _of_kind(resp, "agency") == responsible
    assert _of_kind(resp, "task") == _subjects(rdf, "pkg:Task")
    every = to_networkx(corpus, "responsibility", all_agencies=True)
    assert _of_kind(every, "agency") == _subjects(rdf, "org:Organization")
    for relation, prop in (("lead", "pkg:leadAgency"), ("participant", "pkg:participantAgency")):
        mine = {(u, v) for u, v, r in resp.edges(data="relation") if r == relation}
        assert mine == {(ag, tk) for tk, ag in _pairs(rdf, prop)}


# --- the whole compilation ---------------------------------------------------------------


@pytest.mark.slow
def test_compilation_views_match_the_rdf_graph(compilation_corpus: Corpus) -> None:
    from policykg.graph.build import build_graph

    corpus = compilation_corpus
    rdf = build_graph(corpus)
    cites = to_networkx(corpus, "citations")
    assert _of_kind(cites, "policy") == _subjects(rdf, "eli:LegalResource")
    assert len(_of_kind(cites, "policy")) == len(corpus.documents)
    assert _of_kind(cites, "external_policy") == _subjects(rdf, "pkg:ExternalPolicy")
    rdf_cites = _pairs(rdf, "eli:cites|eli:based_on")
    assert set(cites.edges) == {(u, v) for u, v in rdf_cites if u != v}

    resp = to_networkx(corpus, "responsibility", assigned_by=True)
    assert _of_kind(resp, "task") == _subjects(rdf, "pkg:Task")
    leads = {(ag, tk) for tk, ag in _pairs(rdf, "pkg:leadAgency")}
    participants = {(ag, tk) for tk, ag in _pairs(rdf, "pkg:participantAgency")}
    # an agency named both 牵头 and 参与 in one task has one edge in the view: lead
    assert {(u, v) for u, v, r in resp.edges(data="relation") if r == "lead"} == leads
    assert {
        (u, v) for u, v, r in resp.edges(data="relation") if r == "participant"
    } == participants - leads
    assigned = {(u, v) for u, v, r in resp.edges(data="relation") if r == "assigned_by"}
    assert assigned == {
        (tk, doc) for tk, doc in _pairs(rdf, "pkg:assignedBy") if tk in _subjects(rdf, "pkg:Task")
    }
    for kind in ("citations", "responsibility", "coresponsibility"):
        g = to_networkx(corpus, kind)
        for _, attrs in g.nodes(data=True):
            assert set(attrs) <= set(NodeAttrs.__annotations__)
            assert attrs["kind"] in NODE_KINDS


@pytest.mark.slow
def test_compilation_tree_view(compilation_corpus: Corpus) -> None:
    from policykg.graph.build import build_graph
    from policykg.graph.sectors import tag_sectors
    from policykg.graph.tree import build_tree

    tags = tag_sectors(compilation_corpus)
    tree = build_tree(compilation_corpus, tags)
    g = to_networkx(compilation_corpus, "tree", sector_tags=tags, tree=tree)
    assert nx.is_arborescence(g)
    assert _of_kind(g, "policy") == {d(doc.id) for doc in compilation_corpus.documents}
    assert any(attrs["sectors"] for _, attrs in g.nodes(data=True) if attrs["kind"] == "policy")

    root = _root(g)

    def nearest_policy_above(node: str) -> str | None:
        for above in reversed(nx.shortest_path(g, root, node)[:-1]):
            if g.nodes[above]["kind"] == "policy":
                return str(above)
        return None

    rdf = build_graph(compilation_corpus, tags, tree)
    parents = _pairs(rdf, "pkg:treeParent")
    assert parents
    # the RDF graph places only the 1+N proper; speeches, agreements and plans stay outside
    in_system = {n for n in _of_kind(g, "policy") if g.nodes[n]["in_system"]}
    assert in_system < _of_kind(g, "policy")
    assert parents == {
        (n, p) for n in in_system if (p := nearest_policy_above(n)) is not None
    }


def _root(g: nx.DiGraph[str]) -> str:
    (root,) = [n for n in g if g.in_degree(n) == 0]
    return root
