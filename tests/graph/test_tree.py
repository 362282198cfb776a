"""Tests for graph.tree: the "1+N" policy tree."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from policykg.errors import RegistryError
from policykg.graph.sectors import tag_sectors
from policykg.graph.tree import (
    BASES,
    EARLY_GROUP,
    LOCAL_GROUP,
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
    assert [n.doc_id or n.label for n in path] == ["p2-1.3", "工业", "p3-c4-4.5"]
    assert path[-1].reason == "标题点明领域：“钢铁”"
    assert path[-1].basis == "sector_title"
    assert [n.label for n in _find(root, "p3-c1-1.7")][1] == "能源电力"


def test_local_policy_in_its_jurisdiction_naming_its_national_parent(small: Corpus) -> None:
    root = build_tree(small, tag_sectors(small))
    path = _find(root, "p4-c6-6.2")
    assert [n.doc_id or n.label for n in path] == [
        "p2-1.3", LOCAL_GROUP, "内蒙古自治区", "p4-c6-6.2"
    ]
    assert path[-1].basis == "jurisdiction"
    assert path[-1].reason == (
        "内蒙古自治区的政策；并贯彻落实《关于严格能效约束推动重点领域节能降碳的若干意见》"
        "（compilation-2022.txt 第 38557 行）"
    )


def test_local_implementation_of_the_one(small: Corpus) -> None:
    root = build_tree(small, tag_sectors(small))
    path = _find(root, "p4-c3-3.2")
    assert [n.doc_id or n.label for n in path] == ["p2-1.3", LOCAL_GROUP, "江苏省", "p4-c3-3.2"]
    assert path[-1].basis == "local_one"
    assert "第 32635 行" in path[-1].reason
    assert path[2].jurisdiction == "江苏省"


def test_speech_outside_the_system(small: Corpus) -> None:
    root = build_tree(small, tag_sectors(small))
    path = _find(root, "p1-1.1")
    assert path[1].doc_id is None
    assert not path[1].in_system
    assert not path[2].in_system  # the speech itself, not only its group
    assert path[2].basis == "kind"
    assert "不属于" in path[2].reason


def test_a_policy_older_than_the_one_is_a_precursor_not_its_child(small: Corpus) -> None:
    # 关于统筹和加强应对气候变化与生态环境保护相关工作的指导意见 (2021-01-09, line 18245)
    early = _doc("p3-c3-3.2", "关于统筹和加强应对气候变化与生态环境保护相关工作的指导意见", 18245,
                 DocKind.MINISTRY_POLICY, date="2021-01-09")
    wind = _doc("p3-c1-1.1", "关于引导加大金融支持力度 促进风电和光伏发电等行业健康有序发展的通知",
                7000, DocKind.MINISTRY_POLICY, date="2021-02-24")
    corpus = Corpus(documents=(*small.documents, early, wind), citations=small.citations)
    root = build_tree(corpus, tag_sectors(corpus))
    for doc_id, sector in (("p3-c3-3.2", "减污降碳"), ("p3-c1-1.1", "绿色金融")):
        path = _find(root, doc_id)
        assert [n.doc_id or n.label for n in path] == ["p2-1.3", sector, EARLY_GROUP, doc_id]
        assert not path[-1].in_system
        assert not path[-2].in_system
        assert path[-1].basis == "date"
        assert "早于“1”（2021-09-22）" in path[-1].reason
    for _, node in iter_nodes(root):  # no in-system document sits under a newer one
        for child in node.children:
            if node.date and child.date and child.in_system:
                assert child.date >= node.date, (node.label, child.label)


def test_every_reason_is_chinese_and_every_node_has_a_basis(small: Corpus) -> None:
    root = build_tree(small, tag_sectors(small))
    for _, node in iter_nodes(root):
        assert node.basis in BASES
        assert re.search("[\u4e00-\u9fff]", node.reason), node.reason
        assert not re.search("[A-Za-z]{4,}", re.sub(r"（[^（]*\.txt", "", node.reason)), node.reason


def test_json_and_text(small: Corpus) -> None:
    root = build_tree(small, tag_sectors(small))
    data = tree_to_json(root)
    assert set(data) == {
        "doc_id", "label", "date", "reason", "in_system", "basis", "jurisdiction", "children"
    }
    assert data["basis"] == "root"
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
        if d.kind in (DocKind.CENTRAL_POLICY, DocKind.MINISTRY_POLICY) and d.is_policy
    }
    # standards, calls and meeting notices are not policies (issue 11): outside the system
    not_policies = {d.id for d in corpus.documents if not d.is_policy}
    assert {"p3-c12-12.7", "p3-c3-3.3"} <= not_policies
    inside: set[str] = set()

    def walk(node: TreeNode) -> None:
        if not node.in_system:
            return
        if node.doc_id:
            inside.add(node.doc_id)
        for child in node.children:
            walk(child)

    walk(root)
    early = {d.id for d in corpus.documents if d.id in national and (d.date or "9") < "2021-09-22"}
    assert len(early) >= 10  # the precursors, outside the system with their reason
    assert national - early <= inside
    assert not (not_policies & inside)
    assert not early & inside - {"p2-1.1"}  # 国发〔2021〕4号 is curated under the "1"
    for title, parent in (
        ("关于促进钢铁工业高质量发展的指导意见", "工业"),
        ("关于推动城乡建设绿色发展的意见", "城乡建设"),
        ("财政支持做好碳达峰碳中和工作的意见", PLAN),  # line 27197: 落实《2030年前碳达峰行动方案》
        ("高等学校碳中和科技创新行动计划", "科技创新"),
    ):
        doc = next(d for d in corpus.documents if d.title == title)
        assert _find(root, doc.id)[-2].label == parent, title


def test_corpus_without_the_one_gets_a_group_root() -> None:
    # a single local policy loaded on its own (北京 1.2, line 30805)
    doc = _doc("beijing", "北京市可再生能源电力消纳保障工作方案(试行)", 1, DocKind.LOCAL_POLICY,
               jurisdiction="北京市")
    corpus = Corpus(documents=(doc,))
    root = build_tree(corpus, tag_sectors(corpus))
    assert root.doc_id is None
    assert [n.label for n in _find(root, "beijing")] == [
        "“1+N”政策体系", LOCAL_GROUP, "北京市", doc.title
    ]
