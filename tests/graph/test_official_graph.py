"""The official-document model in RDF: a covering notice publishes its attached document."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal

from policykg.graph import iris
from policykg.graph.build import build_graph
from policykg.graph.validate import validate
from policykg.loaders.corpus import load
from policykg.ontology import ELI, PKG


def test_notice_publishes_its_annex_and_conforms(fixtures_dir: Path) -> None:
    # the first lines of 152、湖北省2022年林业工作要点.pdf (tests/data/README.md)
    corpus = load([fixtures_dir / "official_notice_with_annex.txt"])
    notice, plan = corpus.documents
    graph = build_graph(corpus)
    n, p = iris.doc_iri(notice.id), iris.doc_iri(plan.id)
    assert (n, PKG.publishes, p) in graph
    assert (p, PKG.genre, Literal("plan")) in graph
    assert (n, PKG.officialType, Literal("通知")) in graph
    assert (p, PKG.issuerLevel, Literal("provincial")) in graph
    assert set(graph.objects(p, PKG.takenFromNotice)) == {Literal("issuers"), Literal("date")}
    assert (p, PKG.dateSource, Literal("covering_notice")) in graph
    assert (p, ELI.title, None) in graph
    report = validate(graph)
    assert report.conforms, report
