"""Tests for loaders.sections: the heading tree of a document."""

from __future__ import annotations

import doctest
from collections.abc import Callable

import pytest

from loaders import sections
from loaders.documents import LoadedDocuments
from loaders.lines import join_paragraphs
from loaders.sections import parse_sections, split_marker
from policykg.records import Section, SourceLine

Lines = Callable[[int, int], list[SourceLine]]


def _tree(source_lines: Lines, start: int, end: int) -> tuple[Section, ...]:
    return parse_sections("d", join_paragraphs(source_lines(start, end)), end)


def test_doctests() -> None:
    assert doctest.testmod(sections).failed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("第一章 总则", ("zhang", "第一章", 1, "总则"), id="章-line-6672"),
        pytest.param("第二十三条 设区的市级生态环境主管部门应当", ("tiao", "第二十三条", 23,
                     "设区的市级生态环境主管部门应当"), id="条-line-36049"),
        pytest.param("一、总体要求", ("cn", "一、", 1, "总体要求"), id="一、-line-5548"),
        pytest.param("(一)统筹部署与综合协调", ("pcn", "(一)", 1, "统筹部署与综合协调"),
                     id="ascii-brackets-line-30907"),
        pytest.param("5. 加强宣传引导。", ("num", "5.", 5, "加强宣传引导。"), id="1.-line-23890"),
        pytest.param("（1）推进", ("pnum", "（1）", 1, "推进"), id="（1）"),
        pytest.param("1.2亿千瓦左右", None, id="decimal-not-a-heading"),
        pytest.param("2.5。制取", None, id="decimal-line-34870"),
    ],
)
def test_split_marker(text: str, expected: tuple[str, str, int, str] | None) -> None:
    assert split_marker(text) == expected


def test_regulation_chapters_hold_articles(source_lines: Lines) -> None:
    # 1.2 污染治理和节能减碳中央预算内投资专项管理办法: 第一章 总则 (6672) … 第二章 (6713)
    tree = _tree(source_lines, 6672, 6760)
    outline = [(s.level, s.marker, s.heading) for s in tree[:7]]
    assert outline == [
        (1, "第一章", "总则"),
        (2, "第一条", "为加强和规范中央预算内投资污染治理和节能减碳项目管理"),
        (2, "第二条", "国家发展改革委根据党中央、国务院确定的工作重点"),
        (2, "第三条", "本专项安排的中央预算内投资资金"),
        (2, "第四条", "本专项中央预算内投资应当用于前期手续齐全、具备开工条件的计划新开工或在建"
                      "项目"),
        (1, "第二章", "支持范围与标准"),
        # cut at 40 characters
        (2, "第五条", "国家发展改革委根据各类项目性质和特点、中央和地方事权划分原则、所在区域"
                      "经济社会发"),
    ]
    assert tree[1].parent_id == tree[0].id
    assert tree[0].end_line == 6712
    assert tree[1].path[0] == "第一章总则"


def test_outline_levels_and_spans(source_lines: Lines) -> None:
    # 1.4 2030年前碳达峰行动方案 from line 4550: 一、 （一） （二） 二、 …
    tree = _tree(source_lines, 4550, 4660)
    assert [(s.level, s.marker, s.heading) for s in tree[:4]] == [
        (1, "一、", "总体要求"),
        (2, "（一）", "指导思想"),
        (2, "（二）", "工作原则"),
        (1, "二、", "主要目标"),
    ]
    assert (tree[0].start_line, tree[0].end_line) == (4550, 4602)
    assert tree[2].path == ("一、总体要求", "（二）工作原则")


def test_skipped_item_numbers_still_open_sections(source_lines: Lines) -> None:
    # line 33953: "5.有序退出落后低效产能" follows "1." (items 2-4 are not printed)
    tree = _tree(source_lines, 33933, 33983)
    assert [s.marker for s in tree] == ["1.", "5.", "6."]
    assert [s.heading for s in tree] == [
        "推动产业结构优化升级", "有序退出落后低效产能", "强化钢铁产业转型提质",
    ]


@pytest.mark.slow
def test_every_document_has_a_consistent_tree(compilation_docs: LoadedDocuments) -> None:
    for doc in compilation_docs.documents:
        ids = {s.id for s in doc.sections}
        for s in doc.sections:
            assert doc.start_line <= s.start_line <= s.end_line <= doc.end_line, s
            assert s.parent_id is None or s.parent_id in ids
            assert len(s.path) == s.level


@pytest.mark.slow
def test_regulation_articles_count(compilation_docs: LoadedDocuments) -> None:
    # 3.1 碳排放权交易管理办法（试行）: 第一条 … 第四十三条 (line 16914)
    doc = next(d for d in compilation_docs.documents if d.seq == "3.1" and d.part == 3)
    articles = [s for s in doc.sections if s.marker.endswith("条")]
    assert len(articles) == 43
    assert articles[-1].start_line == 16914
