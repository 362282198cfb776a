"""Records → RDF: each record type's triples, provenance, determinism, Turtle round trip."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import ORG, PROV, RDF, XSD

from policykg.graph import iris
from policykg.graph.build import build_graph, date_literal, document_triples, tree_triples
from policykg.graph.export import sorted_ntriples
from policykg.ontology import ELI, OA, PKG
from policykg.recordio import read_corpus
from policykg.records import Corpus

MINI = Path(__file__).resolve().parent.parent / "data" / "fixtures" / "graph_mini"


def test_joint_notice_has_one_passed_by_per_issuer(g: rdflib.Graph) -> None:
    issuers = set(g.objects(iris.doc_iri("p3-2.4"), ELI.passed_by))
    assert issuers == {iris.agency_iri("国家发展和改革委员会"), iris.agency_iri("国家能源局")}


def test_doc_number_is_id_local(g: rdflib.Graph) -> None:
    assert g.value(iris.doc_iri("p2-1.4"), ELI.id_local) == Literal("国发〔2021〕23号")


def test_document_without_date_gets_no_invented_date(g: rdflib.Graph) -> None:
    assert g.value(iris.doc_iri("p2-1.6"), ELI.date_document) is None
    # 国发〔2021〕23号 gives the year only
    assert g.value(iris.doc_iri("p2-1.4"), ELI.date_document) == Literal("2021", datatype=XSD.gYear)
    assert g.value(iris.doc_iri("p3-2.4"), ELI.date_document) == Literal(
        "2022-01-30", datatype=XSD.date
    )


@pytest.mark.parametrize(
    ("date", "year", "lexical", "datatype"),
    [
        pytest.param("2022-01-30", None, "2022-01-30", XSD.date, id="full-date"),
        pytest.param("2021-10", None, "2021-10", XSD.gYearMonth, id="year-month"),
        pytest.param("2021", None, "2021", XSD.gYear, id="year"),
        pytest.param(None, 2021, "2021", XSD.gYear, id="year-from-doc-number"),
    ],
)
def test_partial_dates_keep_their_precision(
    date: str | None, year: int | None, lexical: str, datatype: URIRef
) -> None:
    lit = date_literal(date, year)
    assert lit is not None
    assert (str(lit), lit.datatype) == (lexical, datatype)


def test_task_is_nary_with_lead_participants_section_and_provenance(g: rdflib.Graph) -> None:
    t = iris.task_iri("p2-1.6-t4")
    assert g.value(t, RDF.type) == PKG.Task
    assert g.value(t, PKG.assignedBy) == iris.doc_iri("p2-1.6")
    assert g.value(t, PKG.statedIn) == iris.section_iri("p2-1.6", "s3.4")
    assert set(g.objects(t, PKG.leadAgency)) == {
        iris.agency_iri("交通运输部"),
        iris.agency_iri("国家发展和改革委员会"),
    }
    assert iris.agency_iri("公安部") in set(g.objects(t, PKG.participantAgency))
    assert Literal("中国国家铁路集团有限公司", lang="zh") in set(g.objects(t, PKG.unresolvedAgency))
    span = g.value(t, PROV.wasDerivedFrom)
    assert (g.value(span, PKG.startLine), g.value(span, PKG.endLine)) == (
        Literal(6056, datatype=XSD.integer),
        Literal(6096, datatype=XSD.integer),
    )


def test_responsibility_of_is_never_used(g: rdflib.Graph) -> None:
    assert not list(g.triples((None, ELI.responsibility_of, None)))


def test_target_values_and_year(g: rdflib.Graph) -> None:
    t = iris.target_iri("p2-1.6-g1")
    assert g.value(t, PKG.targetYear) == Literal("2025", datatype=XSD.gYear)
    assert float(g.value(t, PKG.value).toPython()) == pytest.approx(20.0)  # type: ignore[union-attr]
    assert g.value(t, PKG.approx) == Literal(True)
    assert g.value(t, PKG.statedIn) == iris.section_iri("p2-1.6", "s3.4")


def test_implements_is_based_on_and_citation_is_reified(g: rdflib.Graph) -> None:
    citing = iris.doc_iri("p3-2.4")
    assert set(g.objects(citing, ELI.based_on)) == {iris.doc_iri("p2-1.3"), iris.doc_iri("p2-1.4")}
    st = iris.citation_iri("p3-2.4", 15709, 0)
    assert (g.value(st, RDF.subject), g.value(st, RDF.object)) == (citing, iris.doc_iri("p2-1.4"))
    span = g.value(st, PROV.wasDerivedFrom)
    assert g.value(span, PKG.startLine) == Literal(15709, datatype=XSD.integer)
    quote = g.value(st, OA.hasSelector)
    assert g.value(quote, RDF.type) == OA.TextQuoteSelector
    assert g.value(quote, OA.exact) == Literal("2030年前碳达峰行动方案", lang="zh")


def test_unresolved_citation_becomes_external_policy(g: rdflib.Graph) -> None:
    ext = iris.external_iri("联合国气候变化框架公约")
    assert g.value(ext, RDF.type) == PKG.ExternalPolicy
    assert (iris.doc_iri("p2-1.4"), ELI.cites, ext) in g


def test_sub_organization_and_section_parent(g: rdflib.Graph) -> None:
    assert g.value(iris.agency_iri("国家能源局"), ORG.subOrganizationOf) == iris.agency_iri(
        "国家发展和改革委员会"
    )
    assert g.value(iris.section_iri("p2-1.6", "s3.4"), ELI.is_part_of) == iris.section_iri(
        "p2-1.6", "s3"
    )


def test_sector_tags_attach_to_tasks_and_documents(g: rdflib.Graph) -> None:
    assert g.value(iris.task_iri("p2-1.6-t4"), PKG.sector) == iris.sector_iri("transport")
    assert g.value(iris.doc_iri("p3-2.4"), PKG.sector) == iris.sector_iri("energy")


def test_no_blank_nodes(g: rdflib.Graph) -> None:
    assert not [t for t in g if any(isinstance(x, rdflib.BNode) for x in t)]


def test_file_path_does_not_leak_into_provenance(corpus: Corpus) -> None:
    doc = dataclasses.replace(corpus.documents[0], file="/somewhere/else/compilation-2022.txt")
    spans = {o for _, p, o in document_triples(doc) if p == PROV.wasDerivedFrom}
    assert spans == {URIRef(iris.BASE + "source/compilation-2022.txt/4013-4543")}


def test_two_builds_give_byte_identical_sorted_ntriples(corpus: Corpus) -> None:
    first = sorted_ntriples(build_graph(corpus))
    second = sorted_ntriples(build_graph(read_corpus(MINI)))
    assert first == second
    assert first.splitlines() == sorted(first.splitlines())


def test_turtle_round_trip_is_isomorphic(g: rdflib.Graph) -> None:
    back = rdflib.Graph().parse(data=g.serialize(format="turtle"), format="turtle")
    if not isomorphic(g, back):
        _, only_built, only_parsed = graph_diff(to_isomorphic(g), to_isomorphic(back))
        pytest.fail(
            f"only built:\n{only_built.serialize(format='nt')}\n"
            f"only parsed:\n{only_parsed.serialize(format='nt')}"
        )


def test_tree_placement_links_child_to_nearest_policy_above_groups_in_the_system() -> None:
    @dataclasses.dataclass
    class Node:
        doc_id: str | None
        children: list[Node] = dataclasses.field(default_factory=list)
        in_system: bool = True

    speeches = Node(None, [Node("p1-1.1")], in_system=False)  # 讲话与摘录（“1+N”之外）
    tree = Node("p2-1.3", [Node("p2-1.4", [Node(None, [Node("p3-2.4")])]), speeches])
    assert set(tree_triples(tree)) == {
        (iris.doc_iri("p2-1.4"), PKG.treeParent, iris.doc_iri("p2-1.3")),
        (iris.doc_iri("p3-2.4"), PKG.treeParent, iris.doc_iri("p2-1.4")),
    }


@pytest.mark.slow
def test_bundled_compilation_builds_byte_identical_twice() -> None:
    from policykg.pipeline import build, bundled_input

    first = build([bundled_input()], validate=False)
    second = build([bundled_input()], validate=False)
    assert sorted_ntriples(first.graph) == sorted_ntriples(second.graph)
    # every task, target and document keeps its source span
    for cls in (PKG.Task, PKG.Target, ELI.LegalResource):
        missing = [s for s in first.graph.subjects(RDF.type, cls)
                   if first.graph.value(s, PROV.wasDerivedFrom) is None]
        assert missing == [], (cls, missing[:5])
