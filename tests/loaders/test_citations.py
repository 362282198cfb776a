"""Tests for loaders.citations: 《…》 and 发文字号 mentions resolved to documents."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from policykg.loaders.citations import (
    external_id,
    find_citations,
    normalise_doc_number,
    normalise_title,
)
from policykg.loaders.documents import LoadedDocuments
from policykg.loaders.lines import clean_lines, join_paragraphs
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


OUTLINE = "中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("巴黎协定", "ext-巴黎协定", id="title-itself"),
        pytest.param("“一带一路”绿色投资原则", "ext-一带一路绿色投资原则", id="quotes-dropped"),
        pytest.param(
            "中华人民共和国国民经济和社会发展第十四个五年规划和 2035 年远景目标纲要",
            f"ext-{OUTLINE}",
            id="spaces-dropped-line-20786",
        ),
        pytest.param(
            "财政部 工业和信息化部 科技部 发展改革委关于完善新能源汽车推广应用财政补贴政策的通知",
            "ext-关于完善新能源汽车推广应用财政补贴政策的通知",
            id="central-issuers-dropped-line-26860",
        ),
        pytest.param(
            "省发展改革委等五部门关于严格能效约束推动重点领域节能降碳工作的实施方案",
            "ext-省发展改革委等五部门关于严格能效约束推动重点领域节能降碳工作的实施方案",
            id="local-issuer-kept-line-33761",
        ),
    ],
)
def test_external_id_is_the_normalised_title(title: str, expected: str) -> None:
    assert external_id(title) == expected


def test_external_id_of_a_long_title_is_cut_with_a_hash() -> None:
    # no title of the compilation is over 60 characters once normalised (the longest, 内蒙古
    # 6.2 at line 38535, has 49): two real titles quoted as one make one
    long_title = (
        "自治区发展和改革委员会 工信厅等5部门关于内蒙古自治区严格能效约束推动重点领域节能降碳"
        "工作的实施方案》《关于深入推进供给侧结构性改革进一步淘汰煤电落后产能促进煤电行业优化升级的意见"
    )
    key = normalise_title(long_title)
    assert len(key) > 60
    digest = __import__("hashlib").sha1(key.encode()).hexdigest()[:8]
    got = external_id(long_title)
    assert got == f"ext-{key[:51]}-{digest}"
    assert len(got) == 64
    assert external_id(long_title) != external_id(long_title[:-2] + "通知")


def test_external_ids_are_one_segment_iris() -> None:
    from policykg.graph.iris import external_iri

    iri = str(external_iri(external_id("关于发布<高耗能行业>的通知（2021年版）")))
    assert iri.endswith("/external/ext-关于发布高耗能行业的通知2021年版")


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


def _mot_plan(fixture: str, first_line: int) -> Document:
    return _doc("p3-c7-7.2", "关于扎实推动“十四五”规划交通运输重大工程项目实施的工作方案", 25506,
                kind=DocKind.MINISTRY_POLICY, fixture=fixture, first_line=first_line)


def test_short_form_defined_by_the_document(corpus: list[Document]) -> None:
    # 25557-25561: 《…纲要》（以下简称“十四五”规划《纲要》）, then 《纲要》 at 25589 and 25592
    citations, problems = find_citations([*corpus, _mot_plan("citations_short_form_alias.txt",
                                                             25557)])
    rows = [
        (c.line, c.cited_title, c.external_id, c.external_title)
        for c in citations
        if c.doc_id == "p3-c7-7.2" and "纲要" in c.cited_title and "交通" not in c.cited_title
    ]
    full = OUTLINE  # the paragraph joins "2035 年" wrapped over 25557-25559 without spaces
    assert rows == [
        (25557, full, f"ext-{OUTLINE}", full),
        (25561, "纲要", f"ext-{OUTLINE}", full),
        (25589, "纲要", f"ext-{OUTLINE}", full),
        (25592, "纲要", f"ext-{OUTLINE}", full),
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "深入贯彻《中共中央 国务院关于全面推进乡村振兴加快农业农村现代化的意见》和“十四五”"
            "规划《纲要》，落实《农村公路中长期发展纲要》，为巩固脱贫攻坚成",
            OUTLINE,
            id="十四五规划-纲要-line-25637",
        ),
        pytest.param(
            "落实我省“十四五”规划《纲要》，加快建设", None, id="a-province's-own-outline"
        ),
        pytest.param("落实《纲要》，加快建设", None, id="bare-纲要-undetermined"),
    ],
)
def test_well_known_short_form(text: str, expected: str | None) -> None:
    para = Paragraph(text=text, start_line=25637, end_line=25637, offsets=((0, 25637),))
    doc = dataclasses.replace(_mot_plan("citations_short_form_alias.txt", 25557),
                              paragraphs=(para,))
    citations, problems = find_citations([doc])
    short = [c for c in citations if c.cited_title == "纲要"]
    assert len(short) == 1
    if expected is None:
        assert short[0].external_title == "纲要"
        assert [p.code for p in problems] == ["C001"]
    else:
        assert (short[0].external_id, short[0].external_title) == (external_id(expected), expected)
        assert problems == []


def test_short_form_names_the_title_quoted_before_it(corpus: list[Document]) -> None:
    # 33428-33432: "开展《江苏省生物多样性保护条例》立法调研，推进《条例》研究制定"
    plan = _doc("p4-c3-3.3", "省生态环境厅2022年推动碳达峰碳中和工作计划", 33205,
                jurisdiction="江苏省", kind=DocKind.LOCAL_POLICY,
                fixture="citations_short_form_earlier.txt", first_line=33426)
    citations, problems = find_citations([plan])
    rows = [(c.line, c.cited_title, c.external_id) for c in citations]
    assert rows[-2:] == [
        (33430, "江苏省生物多样性保护条例", "ext-江苏省生物多样性保护条例"),
        (33432, "条例", "ext-江苏省生物多样性保护条例"),
    ]
    assert citations[-1].external_title == "江苏省生物多样性保护条例"
    assert problems == []


def test_one_title_per_external_policy() -> None:
    # 28998 quotes the notice with its issuers, a later text may quote it without them
    para = Paragraph(
        text="根据《中国人民银行 财政部 发展改革委 环境保护部 银监会 证监会保监会"
        "关于构建绿色金融体系的指导意见》和《关于构建绿色金融体系的指导意见》",
        start_line=28998, end_line=28998, offsets=((0, 28998),),
    )
    doc = _doc("p3-c12-12.3", "关于印发《绿色债券支持项目目录（2021年版）》的通知", 28965,
               date="2021-04-02", kind=DocKind.MINISTRY_POLICY)
    citations, _ = find_citations([dataclasses.replace(doc, paragraphs=(para,))])
    assert len({c.external_id for c in citations}) == 1
    assert {c.external_title for c in citations} == {
        "中国人民银行 财政部 发展改革委 环境保护部 银监会 证监会保监会"
        "关于构建绿色金融体系的指导意见"
    }


def test_title_naming_a_jurisdiction_prefers_its_document() -> None:
    """梧州 (234, lines 12-15) cites Guangxi's 实施意见; an opinion of the same title whose
    jurisdiction is not known (80: "省人民政府关于…", signed later) is not preferred to it."""
    guangxi_title = "广西壮族自治区人民政府关于加快建立健全绿色低碳循环发展经济体系的实施意见"
    text = ("为贯彻落实《国务院关于加快建立健全绿色低碳循环发展经济体系的指导意见》"
            f"（国发〔2021〕4 号）及《{guangxi_title}》（桂政发〔2021〕27 号）精神，"
            "促进经济社会绿色低碳循环发展，结合我市实际，制定如下实施方案。")
    citing = dataclasses.replace(
        _doc("234", "关于加快建立健全绿色低碳循环发展经济体系实施方案", 10, date="2022-03-08",
             jurisdiction="梧州市", kind=DocKind.LOCAL_POLICY),
        paragraphs=(Paragraph(text=text, start_line=12, end_line=15, offsets=((0, 12),)),))
    guangxi = _doc("235", guangxi_title, 1, date="2021-09-12", jurisdiction="广西壮族自治区",
                   kind=DocKind.LOCAL_POLICY)
    unknown = _doc("80", "省人民政府关于加快建立健全绿色低碳循环发展经济体系的实施意见", 1,
                   date="2021-10-17", kind=DocKind.LOCAL_POLICY)
    citations, _ = find_citations([citing, guangxi, unknown])
    cited = {c.cited_title: c.cited_doc_id for c in citations if c.doc_id == "234"}
    assert cited[guangxi_title] == "235"
