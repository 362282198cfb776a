"""Local "1+N" systems placed by evidence, on real excerpts of five jurisdictions' policies.

The fixture ``site_corpus/`` holds short excerpts of nine dev-corpus PDFs (national, 浙江,
杭州, 江西, 重庆; see tests/data/README.md). The issuing jurisdiction of each file is what its
title and sign-off print (read by hand, ``tests/conftest.py``), so the placements are checked
whatever the loaders' jurisdiction rules do.
"""

from __future__ import annotations

import pytest

from policykg.graph.tree import (
    EARLY_GROUP,
    LOCAL_GROUP,
    TreeNode,
    build_tree,
    find_jurisdiction,
    iter_nodes,
    tree_to_text,
)
from policykg.records import Corpus


@pytest.fixture(scope="module")
def local_tree(multi_jurisdiction_corpus: Corpus) -> TreeNode:
    return build_tree(
        multi_jurisdiction_corpus,
        multi_jurisdiction_corpus.sectors,
        jurisdiction_parents={"杭州市": "浙江省"},
    )


def _path(root: TreeNode, doc_id: str) -> list[TreeNode]:
    for _, node in iter_nodes(root):
        if node.doc_id == doc_id:
            break
    else:
        raise AssertionError(f"{doc_id} not in the tree")
    parents = {id(c): n for _, n in iter_nodes(root) for c in n.children}
    path = [node]
    while id(path[-1]) in parents:
        path.append(parents[id(path[-1])])
    return path[::-1]


def _labels(path: list[TreeNode]) -> list[str]:
    return [n.doc_id or n.label for n in path]


def test_every_document_placed_once(
    multi_jurisdiction_corpus: Corpus, local_tree: TreeNode
) -> None:
    placed = [n.doc_id for _, n in iter_nodes(local_tree) if n.doc_id]
    assert sorted(placed) == sorted(d.id for d in multi_jurisdiction_corpus.documents)


def test_a_province_one_under_its_jurisdiction_by_its_citation(local_tree: TreeNode) -> None:
    path = _path(local_tree, "04-zhejiang-one")
    assert _labels(path) == ["01-zhongfa-2021-36", LOCAL_GROUP, "浙江省", "04-zhejiang-one"]
    assert path[-1].basis == "local_one"
    # line 2: 为贯彻落实《中共中央国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见》
    assert "贯彻落实《中共中央 国务院关于完整准确全面贯彻新发展理念" in path[-1].reason
    assert "04-zhejiang-one.txt 第 2 行" in path[-1].reason
    jiangxi = _path(local_tree, "08-jiangxi-one")
    assert _labels(jiangxi)[1:] == [LOCAL_GROUP, "江西省", "08-jiangxi-one"]
    assert "08-jiangxi-one.txt 第 3 行" in jiangxi[-1].reason


def test_a_province_plan_under_its_one(local_tree: TreeNode) -> None:
    path = _path(local_tree, "05-zhejiang-tech")
    assert _labels(path)[-2:] == ["04-zhejiang-one", "05-zhejiang-tech"]
    assert path[-1].basis == "jurisdiction"
    assert path[-1].reason.startswith("浙江省的政策，归入本辖区“1”之下")


def test_a_city_system_inside_its_province(local_tree: TreeNode) -> None:
    one = _path(local_tree, "06-hangzhou-one")
    assert _labels(one)[1:] == [LOCAL_GROUP, "浙江省", "杭州市", "06-hangzhou-one"]
    assert one[-1].basis == "local_one"  # its title; its text cites no document by title
    tech = _path(local_tree, "07-hangzhou-tech")
    assert _labels(tech)[-2:] == ["06-hangzhou-one", "07-hangzhou-tech"]
    assert find_jurisdiction(local_tree, "杭州市") is one[-2]
    assert find_jurisdiction(local_tree, "杭州") is one[-2]


def test_a_municipality_policy_by_jurisdiction(local_tree: TreeNode) -> None:
    path = _path(local_tree, "09-yufubanfa-2022-79")
    assert _labels(path)[1:] == [LOCAL_GROUP, "重庆市", "09-yufubanfa-2022-79"]
    assert path[-1].basis == "jurisdiction"


def test_an_autonomous_region_policy_by_jurisdiction(local_tree: TreeNode) -> None:
    path = _path(local_tree, "10-ningxia-buildings")
    assert _labels(path)[1:] == [LOCAL_GROUP, "宁夏回族自治区", "10-ningxia-buildings"]
    # its 中办发〔2021〕37号 is not in the fixture: no local "1", no national parent
    assert path[-1].reason == "宁夏回族自治区的政策，未说明落实的文件"


def test_a_local_policy_older_than_the_one_is_a_precursor(
    multi_jurisdiction_corpus: Corpus,
) -> None:
    import dataclasses

    docs = tuple(
        dataclasses.replace(d, date="2021-05-20") if d.id == "05-zhejiang-tech" else d
        for d in multi_jurisdiction_corpus.documents
    )
    corpus = dataclasses.replace(multi_jurisdiction_corpus, documents=docs)
    path = _path(build_tree(corpus, corpus.sectors), "05-zhejiang-tech")
    assert _labels(path)[1:] == [LOCAL_GROUP, "浙江省", EARLY_GROUP, "05-zhejiang-tech"]
    assert not path[-1].in_system
    assert path[-1].basis == "date"
    assert "早于“1”（2021-09-22）" in path[-1].reason


def test_a_national_sector_plan_under_the_plan_it_implements(local_tree: TreeNode) -> None:
    path = _path(local_tree, "03-buildings-peak")
    # line 2: 根据《…意见》、《2030年前碳达峰行动方案》，制定本实施方案
    assert _labels(path) == ["01-zhongfa-2021-36", "02-guofa-2021-23", "03-buildings-peak"]
    assert path[-1].basis == "implements"


def test_a_jurisdiction_subtree_as_text(local_tree: TreeNode) -> None:
    node = find_jurisdiction(local_tree, "浙江省")
    assert node is not None
    assert [line.strip() for line in tree_to_text(node)][:2] == [
        "浙江省",
        "浙江省委省政府关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的实施意见"
        "  [04-zhejiang-one]",
    ]
    assert find_jurisdiction(local_tree, "广东省") is None


def test_the_pipeline_gives_the_tree_the_jurisdiction_agencies_are_read_in() -> None:
    from pathlib import Path

    from policykg import pipeline
    from policykg.graph.sectors import tag_sectors
    from policykg.loaders.corpus import load

    fixture = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "site_corpus"
    corpus = load([fixture])
    placed = pipeline.tree_corpus(corpus)
    jurisdiction = {d.id: d.jurisdiction for d in placed.documents}
    assert jurisdiction["01-zhongfa-2021-36"] is None  # 中共中央 国务院
    assert jurisdiction["04-zhejiang-one"] == "浙江省"  # its title: 浙江省委省政府关于…
    assert jurisdiction["08-jiangxi-one"] == "江西省"
    assert jurisdiction["06-hangzhou-one"] == "杭州市"
    root = build_tree(placed, tag_sectors(placed),
                      jurisdiction_parents=pipeline.jurisdiction_parents(placed))
    path = _path(root, "06-hangzhou-one")
    assert _labels(path)[1:] == [LOCAL_GROUP, "浙江省", "杭州市", "06-hangzhou-one"]
    assert path[-1].basis == "local_one"
