"""Tests for loaders.citations: 《…》 and 发文字号 mentions resolved to documents."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from loaders.citations import external_id, find_citations, normalise_doc_number, normalise_title
from loaders.documents import LoadedDocuments
from loaders.lines import clean_lines, join_paragraphs
from policykg.records import Citation, DocKind, Document, Paragraph, SourceLine

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "fixtures"
OPINION = "中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见"


def _paragraphs(name: str, first_line: int) -> tuple[Paragraph, ...]:
    """Join a fixture excerpt into paragraphs numbered by its compilation lines."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    lines = [
        SourceLine(number=line.number + first_line - 1, text=line.text)
        for line in clean_lines(text, name).lines
    ]
    return tuple(join_paragraphs(lines))


def _doc(
    doc_id: str,
    title: str,
    start_line: int,
    *,
    date: str | None = None,
    doc_number: str | None = None,
    jurisdiction: str | None = None,
    kind: DocKind = DocKind.CENTRAL_POLICY,
    fixture: str | None = None,
    first_line: int | None = None,
) -> Document:
    """A document of the compilation (metadata as printed), with a fixture's paragraphs."""
    paragraphs = () if fixture is None else _paragraphs(fixture, first_line or start_line)
    return Document(
        id=doc_id,
        part=None,
        chapter=None,
        seq=None,
        kind=kind,
        title=title,
        doc_number=doc_number,
        date=date,
        date_source=None,
        year=None if date is None else int(date[:4]),
        issuers=(),
        url=None,
        start_line=start_line,
        end_line=start_line + 400,
        file="compilation-2022.txt",
        jurisdiction=jurisdiction,
        paragraphs=paragraphs,
    )


@pytest.fixture
def corpus() -> list[Document]:
    """The cited documents of the excerpts (as in the compilation) and the citing excerpts."""
    return [
        _doc("p2-1.1", "关于加快建立健全绿色低碳循环发展经济体系的指导意见", 3154,
             date="2021-02-02", doc_number="国发〔2021〕4号"),
        _doc("p2-1.3", OPINION, 4013, date="2021-09-22"),
        _doc("p2-1.4", "2030年前碳达峰行动方案", 4544, date="2021-10-24",
             doc_number="国发〔2021〕23号"),
        _doc("p3-c1-1.8", "关于开展全国煤电机组改造升级的通知", 9387, date="2021-10-29",
             kind=DocKind.MINISTRY_POLICY, fixture="citations_own_annex.txt", first_line=9399),
        _doc("p3-c7-7.3", f"贯彻落实《{OPINION}》的实施意见", 26065, date="2022-04-18",
             kind=DocKind.MINISTRY_POLICY, fixture="citations_title_and_alias.txt"),
        _doc("p4-c3-3.1", "省政府关于加快建立健全绿色低碳循环发展经济体系的实施意见", 32063,
             date="2022-01-24", doc_number="苏政发〔2022〕8号", jurisdiction="江苏省",
             kind=DocKind.LOCAL_POLICY, fixture="citations_doc_number.txt"),
        _doc("p4-c3-3.2", "关于推动高质量发展做好碳达峰碳中和工作的实施意见", 32629,
             date="2022-01-05", jurisdiction="江苏省", kind=DocKind.LOCAL_POLICY),
        _doc("p4-c3-3.3", "省生态环境厅2022年推动碳达峰碳中和工作计划", 33205,
             date="2022-03-01", jurisdiction="江苏省", kind=DocKind.LOCAL_POLICY,
             fixture="citations_list_misquoted.txt"),
        _doc("p4-c4-4.2", "关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的实施意见", 35292,
             date="2022-01-20", jurisdiction="浙江省", kind=DocKind.LOCAL_POLICY),
    ]


def _rows(citations: list[Citation], doc_id: str) -> list[tuple[int, str, str | None, str]]:
    return [
        (c.line, c.cited_title, c.cited_doc_id, str(c.relation))
        for c in citations
        if c.doc_id == doc_id
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(OPINION, OPINION.replace(" ", "、"), id="space-vs-顿号"),
        pytest.param(OPINION, OPINION.replace(" ", ""), id="no-space"),
        pytest.param("碳排放权交易管理办法（试行）", "碳排放权交易管理办法(试行)", id="brackets"),
        pytest.param("“十四五”循环经济发展规划", '"十四五"循环经济发展规划', id="quotes"),
        pytest.param(
            "关于发布<高耗能行业>的通知", "关于发布〈高耗能行业〉的通知", id="inner-brackets"
        ),
        pytest.param("能源领域５G应用实施方案", "能源领域 5G 应用实施方案", id="full-width"),
    ],
)
def test_normalise_title(a: str, b: str) -> None:
    assert normalise_title(a) == normalise_title(b)


def test_normalise_doc_number_brackets() -> None:
    # line 33492: "（苏政发﹝2022﹞8号）"
    assert normalise_doc_number("苏政发﹝2022﹞8号") == "苏政发〔2022〕8号"
    assert normalise_doc_number("国发〔2021〕 4号") == "国发〔2021〕4号"


def test_external_id_is_stable_and_deduplicated() -> None:
    assert external_id("巴黎协定") == "ext-" + __import__("hashlib").sha1(
        "巴黎协定".encode()
    ).hexdigest()[:12]
    assert external_id("“一带一路”绿色投资原则") == external_id('"一带一路"绿色投资原则')


def test_title_mention_and_alias(corpus: list[Document]) -> None:
    citations, problems = find_citations(corpus)
    assert _rows(citations, "p3-c7-7.3") == [
        (26065, OPINION, "p2-1.3", "implements"),  # in the title: 贯彻落实《…》的实施意见
        (26077, OPINION, "p2-1.3", "implements"),  # 为深入贯彻落实《…》
        (26079, "意见", "p2-1.3", "implements"),  # （以下简称《意见》）takes its title's relation
    ]
    assert problems == []


def test_list_misquotes_and_jurisdiction(corpus: list[Document]) -> None:
    citations, _ = find_citations(corpus)
    assert _rows(citations, "p4-c3-3.3") == [
        # "…工作的实施意见" misquotes the national 意见; the Zhejiang 实施意见 is another
        # province's and does not match in Jiangsu
        (33207, "中共中央、国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的实施意见",
         "p2-1.3", "implements"),
        (33209, "国务院关于印发2030年前碳达峰行动方案的通知", "p2-1.4", "implements"),
        # 及我省《…》: still in the list after 贯彻落实; resolved in Jiangsu
        (33211, "关于推动高质量发展做好碳达峰碳中和工作的实施意见", "p4-c3-3.2", "implements"),
    ]


def test_cited_document_not_newer(corpus: list[Document]) -> None:
    later = [
        dataclasses.replace(d, date="2022-06-01", year=2022) if d.id == "p4-c3-3.2" else d
        for d in corpus
    ]
    citations, _ = find_citations(later)
    row = next(c for c in citations if c.line == 33211)
    assert row.cited_doc_id is None
    assert row.external_id == external_id("关于推动高质量发展做好碳达峰碳中和工作的实施意见")


def test_own_annex_is_not_a_citation(corpus: list[Document]) -> None:
    citations, _ = find_citations(corpus)
    # 9411 《全国煤电机组改造升级实施方案》（以下简称《实施方案》），现印发你们:
    # the notice's own text
    assert _rows(citations, "p3-c1-1.8") == [(9403, OPINION, "p2-1.3", "implements")]


def test_title_with_doc_number(corpus: list[Document]) -> None:
    citations, _ = find_citations(corpus)
    assert _rows(citations, "p4-c3-3.1") == [
        (32071, "国务院关于加快建立健全绿色低碳循环发展经济体系的指导意见", "p2-1.1",
         "implements"),
    ]


def test_document_does_not_cite_itself(corpus: list[Document]) -> None:
    citations, _ = find_citations(corpus)
    assert all(c.doc_id != c.cited_doc_id for c in citations)


@pytest.mark.slow
def test_compilation_citations(compilation_docs: LoadedDocuments) -> None:
    docs = compilation_docs.documents
    citations, _ = find_citations(docs)
    by_id = {d.id: d for d in docs}
    one = next(d for d in docs if normalise_title(d.title) == normalise_title(OPINION))
    assert sum(c.cited_doc_id == one.id for c in citations) >= 15
    for c in citations:
        assert (c.cited_doc_id is None) != (c.external_id is None)
        if c.cited_doc_id is not None:
            cited, citing = by_id[c.cited_doc_id], by_id[c.doc_id]
            assert cited.id != citing.id
            if cited.date and citing.date:
                n = min(len(cited.date), len(citing.date))
                assert cited.date[:n] <= citing.date[:n], c
    externals = {c.external_id for c in citations if c.external_id}
    assert all(e.startswith("ext-") for e in externals)
