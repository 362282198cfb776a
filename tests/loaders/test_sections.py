"""Tests for loaders.sections: the heading tree of a document."""

from __future__ import annotations

import doctest
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from policykg.loaders import sections
from policykg.loaders.documents import LoadedDocuments
from policykg.loaders.lines import clean_lines, join_paragraphs
from policykg.loaders.sections import parse_sections, split_marker
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


def _fixture_tree(fixtures_dir: Path, name: str, first_line: int) -> tuple[Section, ...]:
    """The heading tree of a fixture excerpt, numbered by its compilation lines."""
    cleaned = clean_lines((fixtures_dir / name).read_text(encoding="utf-8"), name)
    shifted = [
        SourceLine(number=s.number + first_line - 1, text=s.text) for s in cleaned.lines
    ]
    return parse_sections("d", join_paragraphs(shifted), shifted[-1].number)


def test_standard_clauses_nest_by_number(fixtures_dir: Path) -> None:
    # 6.1 绿色建造技术导则, lines 24027-24127: chapter 4 and its clauses, then chapter 5
    tree = _fixture_tree(fixtures_dir, "sections_standard_clauses.txt", 24027)
    outline = [(s.level, s.marker, s.start_line) for s in tree]
    assert outline[:3] == [(1, "4", 24027), (2, "4.1", 24029), (3, "4.1.1", 24031)]
    # 4.4.3 and "5 绿色设计" fill one printed width each: both still open sections
    assert outline[-5:] == [
        (3, "4.4.2", 24115),
        (3, "4.4.3", 24119),
        (1, "5", 24120),
        (2, "5.1", 24122),
        (3, "5.1.1", 24124),
    ]
    by_marker = {s.marker: s for s in tree}
    assert by_marker["4"].end_line == 24119
    assert by_marker["4.3"].heading == "绿色施工策划"
    assert by_marker["4.3.2"].path == (
        "4绿色策划",
        "4.3绿色施工策划",
        "4.3.2应按照现行国家标准《建筑工程绿色施工评价标准》GB/T 50640中的优良级别",
    )
    assert by_marker["4.2.3"].parent_id == by_marker["4.2"].id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("4.1一般规定", ((4, 1), "4.1", "一般规定"), id="clause-line-24029"),
        pytest.param("4.2.1.4.1活动数据", ((4, 2, 1, 4, 1), "4.2.1.4.1", "活动数据"),
                     id="five-levels-line-17707"),
        pytest.param("1总则", ((1,), "1", "总则"), id="chapter-no-dot-line-23917"),
        pytest.param("1.适用范围", ((1,), "1.", "适用范围"), id="chapter-dot-line-17306"),
        pytest.param("2名成员组成，其中1名为负责人", None, id="count-not-a-chapter"),
    ],
)
def test_split_clause(text: str, expected: tuple[tuple[int, ...], str, str] | None) -> None:
    assert sections._split_clause(text) == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seq", "part", "count", "top"),
    [
        pytest.param("3.3", 3, 39, ["1.", "2.", "3.", "4.", "5.", "6."], id="3.3-核查指南"),
        pytest.param("6.1", 3, 154, ["1", "2", "3", "4", "5", "6", "7"], id="6.1-绿色建造技术导则"),
        pytest.param("12.7", 3, 36, ["1", "2", "3", "4", "5", "6"], id="12.7-环境信息披露指南"),
    ],
)
def test_standards_get_clause_sections(
    compilation_docs: LoadedDocuments, seq: str, part: int, count: int, top: list[str]
) -> None:
    doc = next(d for d in compilation_docs.documents if d.seq == seq and d.part == part)
    assert len(doc.sections) == count
    assert [s.marker for s in doc.sections if s.level == 1] == top


@pytest.mark.slow
def test_only_standards_are_clause_documents(compilation_docs: LoadedDocuments) -> None:
    # body text opening with "1.2亿千瓦" (a decimal) makes no clause elsewhere
    clause_docs = {
        d.seq
        for d in compilation_docs.documents
        if any(re.fullmatch(r"\d{1,2}(?:\.\d{1,2})+", s.marker) for s in d.sections)
    }
    assert clause_docs == {"3.3", "6.1", "12.7"}


def test_items_numbered_on_across_parts(source_lines: Lines) -> None:
    # 国发〔2021〕4号 (lines 3170-3250): （一）-（三） under 一、, then 二、 opens with （四）
    tree = _tree(source_lines, 3170, 3250)
    assert [(s.level, s.marker, s.start_line) for s in tree] == [
        (1, "一、", 3170),
        (2, "（一）", 3172),
        (2, "（二）", 3190),
        (2, "（三）", 3211),
        (1, "二、", 3231),
        (2, "（四）", 3233),
        (2, "（五）", 3248),
    ]
    assert tree[5].path == ("二、健全绿色低碳循环发展的生产体系", "（四）推进工业绿色升级")


def test_a_first_item_that_goes_on_from_nothing_opens_nothing(source_lines: Lines) -> None:
    # line 3170 一、 followed by lines 3233-3250: （四） neither starts at 1 nor goes on
    lines = source_lines(3170, 3170) + source_lines(3233, 3250)
    tree = parse_sections("d", join_paragraphs(lines), 3250)
    assert [s.marker for s in tree] == ["一、"]


@pytest.mark.slow
def test_an_annex_numbers_its_items_afresh(compilation_docs: LoadedDocuments) -> None:
    # 12.4 银行业金融机构绿色金融评价方案: the body's （十三） (line 29237) under 四、附则,
    # then "附：1.…" (29239) and the annex's own （一） (29242) with 1. 纵向基准 (29255)
    doc = next(d for d in compilation_docs.documents if d.seq == "12.4" and d.part == 3)
    outline = {s.start_line: (s.level, s.marker, s.end_line) for s in doc.sections}
    assert outline[29237] == (2, "（十三）", 29238)
    assert outline[29242] == (1, "（一）", 29262)
    assert outline[29255] == (2, "1.", 29258)
    assert outline[29263][:2] == (1, "（二）")


@pytest.mark.parametrize(
    ("text", "annex"),
    [
        pytest.param("附：1.绿色金融评价定量指标体系、说明和评分方法", True, id="附：-line-29239"),
        pytest.param("附件 1", True, id="附件-1-line-7023"),
        pytest.param("附件：全国煤电机组改造升级实施方案", True, id="附件-title-line-9468"),
        pytest.param("附件：1.冶金、建材重点行业严格能效约束推动节能降碳行动方", True,
                     id="附件-list-line-8931"),
        pytest.param("附件所列项目", False, id="running-text"),
    ],
)
def test_annex_marker(text: str, annex: bool) -> None:
    assert (sections.ANNEX_RE.match(text) is not None) == annex
