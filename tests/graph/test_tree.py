"""Tests for graph.tree: the "1+N" policy tree."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from policykg.errors import RegistryError
from policykg.graph.sectors import tag_sectors
from policykg.graph.tree import (
    TreeNode,
    build_tree,
    iter_nodes,
    load_curated,
    tree_to_json,
    tree_to_text,
)
from policykg.loaders.citations import find_citations
from policykg.loaders.documents import LoadedDocuments
from policykg.records import Citation, Corpus, DocKind, Document, Relation

ONE = "中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见"
PLAN = "2030年前碳达峰行动方案"


def _doc(
    doc_id: str,
    title: str,
    start_line: int,
    kind: DocKind,
    date: str | None = None,
    jurisdiction: str | None = None,
) -> Document:
    return Document(
        id=doc_id, part=None, chapter=None, seq=None, kind=kind, title=title, doc_number=None,
        date=date, date_source=None, year=None, issuers=(), url=None,
        start_line=start_line, end_line=start_line + 300, file="compilation-2022.txt",
        jurisdiction=jurisdiction,
    )


def _implements(doc_id: str, line: int, cited: Document) -> Citation:
    return Citation(doc_id=doc_id, line=line, cited_title=cited.title, cited_doc_id=cited.id,
                    external_id=None, relation=Relation.IMPLEMENTS)


@pytest.fixture
def small() -> Corpus:
    """The 1, the plan, two ministry plans, a local one and a speech (titles as printed)."""
    one = _doc("p2-1.3", ONE, 4013, DocKind.CENTRAL_POLICY, date="2021-09-22")
    plan = _doc("p2-1.4", PLAN, 4544, DocKind.CENTRAL_POLICY, date="2021-10-24")
    steel = _doc("p3-c4-4.5", "关于促进钢铁工业高质量发展的指导意见", 21252,
                 DocKind.MINISTRY_POLICY, date="2022-01-20")
    strict = _doc("p3-c1-1.7", "关于严格能效约束推动重点领域节能降碳的若干意见", 8678,
                  DocKind.MINISTRY_POLICY, date="2021-10-18")
    local = _doc("p4-c6-6.2", "自治区发展和改革委员会 工信厅等5部门关于内蒙古自治区严格能效约束"
                 "推动重点领域节能降碳工作的实施方案", 38535, DocKind.LOCAL_POLICY,
                 date="2022-01-28", jurisdiction="内蒙古自治区")
    jiangsu = _doc("p4-c3-3.2", "关于推动高质量发展做好碳达峰碳中和工作的实施意见", 32629,
                   DocKind.LOCAL_POLICY, date="2022-01-15", jurisdiction="江苏省")
    speech = _doc("p1-1.1", "习近平在第七十五届联合国大会一般性辩论上的讲话", 72, DocKind.SPEECH,
                  date="2020-09-22")
    citations = (
        _implements("p2-1.4", 4550, one),
        _implements("p4-c6-6.2", 38557, strict),  # line 38557: 为贯彻落实…《…若干意见》
        _implements("p4-c6-6.2", 38556, one),
        _implements("p4-c3-3.2", 32635, one),  # line 32635: 为深入贯彻落实《…意见》
    )
    return Corpus(documents=(speech, one, plan, strict, steel, jiangsu, local),
                  citations=citations)


def _find(root: TreeNode, doc_id: str) -> list[TreeNode]:
    """The path from the root to a document's node."""
    def walk(node: TreeNode, path: list[TreeNode]) -> list[TreeNode] | None:
        path = [*path, node]
        if node.doc_id == doc_id:
            return path
        for child in node.children:
            found = walk(child, path)
            if found:
                return found
        return None

    return walk(root, []) or []


def test_the_one_is_the_root_and_the_plan_under_it(small: Corpus) -> None:
    root = build_tree(small, tag_sectors(small))
    assert root.doc_id == "p2-1.3"
    assert root.children[0].doc_id == "p2-1.4"
    assert root.in_system


def test_national_plans_grouped_by_sector(small: Corpus) -> None:
    root = build_tree(small, tag_sectors(small))
    path = _find(root, "p3-c4-4.5")
    assert [n.doc_id or n.label for n in path] == ["p2-1.3", "p2-1.4", "工业", "p3-c4-4.5"]
    assert "钢铁" in path[-1].reason
    assert [n.label for n in _find(root, "p3-c1-1.7")][2] == "能源电力"


def test_local_policy_under_its_national_parent(small: Corpus) -> None:
    root = build_tree(small, tag_sectors(small))
    path = _find(root, "p4-c6-6.2")
    assert path[-2].doc_id == "p3-c1-1.7"
    assert "implements" in path[-1].reason
    assert ":38557" in path[-1].reason


def test_local_implementation_of_the_one(small: Corpus) -> None:
    root = build_tree(small, tag_sectors(small))
    path = _find(root, "p4-c3-3.2")
    assert [n.doc_id or n.label for n in path] == ["p2-1.3", "地方落实", "江苏省", "p4-c3-3.2"]


def test_speech_outside_the_system(small: Corpus) -> None:
    root = build_tree(small, tag_sectors(small))
    path = _find(root, "p1-1.1")
    assert path[1].doc_id is None
    assert not path[1].in_system


def test_json_and_text(small: Corpus) -> None:
    root = build_tree(small, tag_sectors(small))
    data = tree_to_json(root)
    assert set(data) == {"doc_id", "label", "date", "reason", "in_system", "children"}
    assert data["children"][0]["doc_id"] == "p2-1.4"
    lines = tree_to_text(root)
    assert lines[0] == f"{ONE}  [p2-1.3 2021-09-22]"
    assert lines[1] == f"  {PLAN}  [p2-1.4 2021-10-24]"
    assert len(lines) == sum(1 for _ in iter_nodes(root))


def test_cycle_is_refused(small: Corpus) -> None:
    docs = {d.id: d for d in small.documents}
    both = Corpus(
        documents=small.documents,
        citations=(
            *small.citations,
            _implements("p3-c4-4.5", 21260, docs["p3-c1-1.7"]),
            _implements("p3-c1-1.7", 8690, docs["p3-c4-4.5"]),
        ),
    )
    root = build_tree(both, tag_sectors(both))
    placed = Counter(n.doc_id for _, n in iter_nodes(root) if n.doc_id)
    assert set(placed.values()) == {1}
    assert len(placed) == len(small.documents)


def test_bad_curated_file(tmp_path: Path) -> None:
    bad = tmp_path / "one_plus_n.toml"
    bad.write_text('[one]\ntitle = "x"\n', encoding="utf-8")
    with pytest.raises(RegistryError, match="missing"):
        load_curated(bad)


@pytest.fixture(scope="module")
def compilation_tree(compilation_docs: LoadedDocuments) -> tuple[Corpus, TreeNode]:
    citations, _ = find_citations(compilation_docs.documents)
    corpus = Corpus(documents=compilation_docs.documents, citations=tuple(citations))
    return corpus, build_tree(corpus, tag_sectors(corpus))


@pytest.mark.slow
def test_compilation_tree(compilation_tree: tuple[Corpus, TreeNode]) -> None:
    corpus, root = compilation_tree
    assert root.label == ONE
    assert root.children[0].label == PLAN
    placed = Counter(n.doc_id for _, n in iter_nodes(root) if n.doc_id)
    assert set(placed) == {d.id for d in corpus.documents}
    assert set(placed.values()) == {1}
    for depth, node in iter_nodes(root):
        labels = [c.label for c in node.children if c.doc_id is None]
        assert len(labels) == len(set(labels)), node.label
        assert depth == 0 or node.reason, node.label


@pytest.mark.slow
def test_every_national_sector_plan_placed_in_the_system(
    compilation_tree: tuple[Corpus, TreeNode],
) -> None:
    corpus, root = compilation_tree
    national = {
        d.id for d in corpus.documents
        if d.kind in (DocKind.CENTRAL_POLICY, DocKind.MINISTRY_POLICY)
    }
    inside: set[str] = set()

    def walk(node: TreeNode) -> None:
        if not node.in_system:
            return
        if node.doc_id:
            inside.add(node.doc_id)
        for child in node.children:
            walk(child)

    walk(root)
    assert national <= inside
    plan = root.children[0]
    under_plan = {n.doc_id for _, n in iter_nodes(plan) if n.doc_id}
    for title in ("关于促进钢铁工业高质量发展的指导意见", "关于推动城乡建设绿色发展的意见",
                  "财政支持做好碳达峰碳中和工作的意见", "高等学校碳中和科技创新行动计划"):
        doc = next(d for d in corpus.documents if d.title == title)
        assert doc.id in under_plan, title


def test_corpus_without_the_one_gets_a_group_root() -> None:
    # a single local policy loaded on its own (北京 1.2, line 30805)
    doc = _doc("beijing", "北京市可再生能源电力消纳保障工作方案(试行)", 1, DocKind.LOCAL_POLICY,
               jurisdiction="北京市")
    corpus = Corpus(documents=(doc,))
    root = build_tree(corpus, tag_sectors(corpus))
    assert root.doc_id is None
    assert [n.label for n in _find(root, "beijing")] == [
        "“1+N”政策体系", "地方落实", "北京市", doc.title
    ]
