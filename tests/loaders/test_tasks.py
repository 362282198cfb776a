"""Responsibility annotations: every form the compilation prints, as parsed and as resolved."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.loaders.agencies import Registry, load_registry
from policykg.loaders.documents import LoadedDocuments
from policykg.loaders.lines import clean_lines, join_paragraphs
from policykg.loaders.tasks import (
    RawRoles,
    find_annotations,
    find_tasks,
    parse_annotation,
    split_names,
)
from policykg.records import DocKind, Document, LeadBasis, Paragraph, Task

CHAPTERS = {
    None: (2, None),
    "北京市": (4, "第一章 北京市"),
    "浙江省": (4, "第四章 浙江省"),
    "江西省": (4, "第五章 江西省"),
    "内蒙古": (4, "第六章 内蒙古"),
    "宁夏": (4, "第七章 宁夏回族自治区"),
    "宁波市": (4, "第四章 浙江省"),
}


@pytest.fixture(scope="module")
def registry() -> Registry:
    """The packaged registry."""
    return load_registry()


def _document(paragraphs: list[Paragraph], where: str | None, file: str = "x.txt") -> Document:
    part, chapter = CHAPTERS[where]
    # the Ningbo plan sits in the 浙江 chapter; its jurisdiction comes from the document
    return Document(id="d", part=part, chapter=chapter, seq=None, kind=DocKind.LOCAL_POLICY,
                    title="", doc_number=None, date=None, date_source=None, year=None,
                    issuers=(), url=None, start_line=1,
                    jurisdiction="宁波市" if where == "宁波市" else None,
                    end_line=max((p.end_line for p in paragraphs), default=1), file=file,
                    paragraphs=tuple(paragraphs))


def _one_paragraph(text: str, where: str | None, line: int = 1) -> Document:
    return _document([Paragraph(text=text, start_line=line, end_line=line,
                                offsets=((0, line),))], where)


def _fixture_document(fixtures_dir: Path, name: str, where: str | None) -> Document:
    cleaned = clean_lines((fixtures_dir / name).read_text(encoding="utf-8"), name)
    return _document(join_paragraphs(cleaned.lines), where, name)


# ---------------------------------------------------------------- parsing annotation bodies


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("国管局、中直管理局等按职责分工负责",
                     RawRoles(participants=("国管局", "中直管理局"), etc=True),
                     id="line6137-按职责分工负责-no-lead"),
        pytest.param("国家发展改革委牵头，国家统计局、国家能源局等按职责分工负责",
                     RawRoles(lead=("国家发展改革委",), participants=("国家统计局", "国家能源局"),
                              etc=True), id="line6260-牵头-then-participants"),
        pytest.param("国家发展改革委等有关部门按职责分工负责",
                     RawRoles(participants=("国家发展改革委",), etc=True),
                     id="line11388-等有关部门"),
        pytest.param("生态环境部负责", RawRoles(participants=("生态环境部",)), id="line6280-负责"),
        pytest.param("生态环境部牵头负责", RawRoles(lead=("生态环境部",)), id="line19690-牵头负责"),
        pytest.param("生态环境部、人民银行、银保监会、证监会按分工负责",
                     RawRoles(participants=("生态环境部", "人民银行", "银保监会", "证监会")),
                     id="line29619-按分工负责"),
        pytest.param("责任单位：市发展改革委，市科委、中关村管委会",
                     RawRoles(participants=("市发展改革委", "市科委", "中关村管委会")),
                     id="责任单位-a-comma-alone-marks-no-lead"),
        pytest.param("责任单位：省经信厅、省发展改革委、省生态环境厅",
                     RawRoles(participants=("省经信厅", "省发展改革委", "省生态环境厅")),
                     id="责任单位-no-comma-all-participants"),
        pytest.param("责任单位：市绿色技术创新体系工作联席会议成员单位等",
                     RawRoles(participants=("市绿色技术创新体系工作联席会议成员单位",), etc=True),
                     id="line31083-责任单位-等"),
        pytest.param("牵头单位：市发改委、市经信局；配合单位：市生态环境局、市市场监管局、市能源局",
                     RawRoles(lead=("市发改委", "市经信局"),
                              participants=("市生态环境局", "市市场监管局", "市能源局")),
                     id="line33837-牵头单位-配合单位"),
        pytest.param("牵头单位：市能源局，配合单位：市发改委、市经信局、市大数据局",
                     RawRoles(lead=("市能源局",),
                              participants=("市发改委", "市经信局", "市大数据局")),
                     id="line34036-牵头单位-comma-配合单位"),
        pytest.param("牵头单位：各地发改局（经发局）；配合单位：市经信局、市发改委、市能源局",
                     RawRoles(lead=("各地发改局（经发局）",),
                              participants=("市经信局", "市发改委", "市能源局")),
                     id="line33898-brackets-inside-a-name"),
        pytest.param("责任部门：自然处，完成期限：12月底",
                     RawRoles(participants=("自然处",)), id="line33432-责任部门-deadline"),
        pytest.param("自治区发展改革委、工信厅、能源局，按照部门职责分工持续推进",
                     RawRoles(participants=("自治区发展改革委", "工信厅", "能源局")),
                     id="line38655-按照部门职责分工"),
        pytest.param("自治区发展改革委、工信厅、能源局、市场监管局，"
                     "按照部门职责分工 2022年 2月底前",
                     RawRoles(participants=("自治区发展改革委", "工信厅", "能源局", "市场监管局")),
                     id="line38674-按照部门职责分工-deadline"),
        pytest.param("自治区工业和信息化厅、发展改革委、生态环境厅负责，各地级市人民政府、"
                     "宁东管委会具体落实，以下任务不再列出",
                     RawRoles(participants=("自治区工业和信息化厅", "发展改革委", "生态环境厅",
                                            "各地级市人民政府", "宁东管委会")),
                     id="line41126-负责-具体落实-以下不再列出"),
        pytest.param("省工业和信息化厅牵头，省工业强省建设工作领导小组相关成员单位和各市、"
                     "县〔区〕人民政府按职责分工负责",
                     RawRoles(lead=("省工业和信息化厅",),
                              participants=("省工业强省建设工作领导小组相关成员单位",
                                            "各市、县〔区〕人民政府")),
                     id="line37154-和各-splits-groups"),
    ],
)
def test_parse_annotation(body: str, expected: RawRoles) -> None:
    if expected.lead:
        expected = dataclasses.replace(expected, basis=LeadBasis.MARKED)
    assert parse_annotation(body) == expected


def test_split_names_keeps_brackets_whole() -> None:
    names, etc = split_names("内蒙古电力（集团）公司、国网蒙东电力公司")
    assert names == ["内蒙古电力（集团）公司", "国网蒙东电力公司"]
    assert not etc


@pytest.mark.parametrize(
    ("text", "raws"),
    [
        pytest.param("到2025年，建成一批节能环保示范园区。（国家发展改革委、工业和信息化部、"
                     "生态环境部等按职责分工负责）",
                     ["（国家发展改革委、工业和信息化部、生态环境部等按职责分工负责）"],
                     id="line6030-bracketed"),
        pytest.param("发布北京市创新型绿色技术推荐目录（以下简称“推荐目录”）。",
                     [], id="line31064-以下简称-is-not-an-annotation"),
        pytest.param("构建“一示范区+六基地”氢能产业集群。责任单位：自治区发展改革委、能源局，"
                     "各盟行政公署、市人民政府",
                     ["责任单位：自治区发展改革委、能源局，各盟行政公署、市人民政府"],
                     id="line39045-bare-责任单位-after-a-sentence"),
        pytest.param("（责任单位：自治区发展改革委、宁东能源化工基地管委会，各地3.严格控制煤炭消费。",
                     ["（责任单位：自治区发展改革委、宁东能源化工基地管委会，各地"],
                     id="line40579-unclosed-stops-at-next-item"),
    ],
)
def test_find_annotations(text: str, raws: list[str]) -> None:
    assert [a.raw for a in find_annotations(text)] == raws


# ---------------------------------------------------------------- resolved tasks


@pytest.mark.parametrize(
    ("text", "where", "lead", "participants", "collective", "etc"),
    [
        pytest.param(
            "（二）园区节能环保提升工程。到2025年，建成一批节能环保示范园区。（国家发展改革委、"
            "工业和信息化部、生态环境部等按职责分工负责）", None,
            (), ("国家发展和改革委员会", "工业和信息化部", "生态环境部"), (), True,
            id="line6030-按职责分工负责"),
        pytest.param(
            "（一）重点行业绿色升级工程。推进节能改造。（工业和信息化部、国家发展改革委、生态环境部、"
            "市场监管总局、国家能源局等按职责分工负责，地方各级人民政府负责落实。以下均需地方各级"
            "人民政府落实，不再列出）", None,
            (), ("工业和信息化部", "国家发展和改革委员会", "生态环境部", "国家市场监督管理总局",
                 "国家能源局"), ("地方各级人民政府",), True,
            id="line6011-group-kept-out"),
        pytest.param(
            "（二）加强组织领导。（国家发展改革委、生态环境部牵头，各有关部门按职责分工负责）",
            None, ("国家发展和改革委员会", "生态环境部"), (), ("各有关部门",), False,
            id="line6450-牵头-and-group"),
        pytest.param(
            "一、扩展绿色技术创新重点领域。（责任单位：市发展改革委，市科委、中关村管委会，"
            "市经济和信息化局，市住房城乡建设委，市生态环境局，市市场监管局，市知识产权局等）",
            "北京市", (),
            ("北京市发展和改革委员会", "北京市科学技术委员会", "中关村科技园区管理委员会",
             "北京市经济和信息化局",
             "北京市住房和城乡建设委员会", "北京市生态环境局", "北京市市场监督管理局",
             "北京市知识产权局"), (), True, id="line31052-责任单位-several-commas"),
        pytest.param(
            "四、强化技术应用效果第三方检测评价支持。（责任单位：市发展改革，委市科委、中关村管委会）",
            "北京市", (),
            ("北京市发展和改革委员会", "北京市科学技术委员会", "中关村科技园区管理委员会"),
            (), False,
            id="line31099-misprint-corrected"),
        pytest.param(
            "七、完善绿色金融支持。（责任单位：市金融监管局、人民银行营业管理部、北京银保监局、"
            "北京证监局、市发展改革委）", "北京市", (),
            ("北京市地方金融监督管理局", "中国人民银行营业管理部",
             "中国银行保险监督管理委员会北京监管局", "中国证券监督管理委员会北京监管局",
             "北京市发展和改革委员会"), (), False, id="line31132-local-branches"),
        pytest.param(
            "（十五）加大财政金融支持力度。（自治区财政厅、发展改革委、水利厅、宁夏税务局负责）",
            "宁夏", (),
            ("宁夏回族自治区财政厅", "宁夏回族自治区发展和改革委员会", "宁夏回族自治区水利厅",
             "国家税务总局宁夏回族自治区税务局"), (), False, id="line41578-prefix-carries-over"),
        pytest.param(
            "（五）支持氢能项目。责任单位：自治区能源局、发展改革委、工业和信息化厅、财政厅、"
            "自然资源厅，内蒙古电力（集团）公司、国网蒙东电力公司，各盟行政公署、市人民政府",
            "内蒙古", (),
            ("内蒙古自治区能源局", "内蒙古自治区发展和改革委员会", "内蒙古自治区工业和信息化厅",
             "内蒙古自治区财政厅", "内蒙古自治区自然资源厅",
             "内蒙古电力（集团）有限责任公司", "国网内蒙古东部电力有限公司"),
            ("各盟行政公署、市人民政府",), False, id="line39184-brackets-and-各-group"),
        pytest.param(
            "1.科学推进。（牵头单位：市发改委；配合单位：市经信局、市市场监管局、市生态环境局、"
            "市能源局，各地发改（经发）局、经信局、生态环境分局、市场监管局）",
            "宁波市", ("宁波市发展和改革委员会",),
            ("宁波市经济和信息化局", "宁波市市场监督管理局", "宁波市生态环境局", "宁波市能源局"),
            ("各地发改（经发）局、经信局、生态环境分局、市场监管局",), False,
            id="line34055-各地-reaches-over-bare-names"),
        pytest.param(
            "（四）加强产业链。（省工业和信息化厅、省发展改革委、省生态环境厅等部门和各市、"
            "县〔区〕人民政府按职责分工负责）", "江西省", (),
            ("江西省工业和信息化厅", "江西省发展和改革委员会", "江西省生态环境厅"),
            ("各市、县〔区〕人民政府",), True, id="line37200-等部门和各市县"),
    ],
)
def test_find_tasks_roles(
    registry: Registry,
    text: str,
    where: str | None,
    lead: tuple[str, ...],
    participants: tuple[str, ...],
    collective: tuple[str, ...],
    etc: bool,
) -> None:
    tasks, problems = find_tasks(_one_paragraph(text, where), registry)
    assert problems == []
    assert len(tasks) == 1
    task = tasks[0]
    assert (task.lead, task.participants, task.collective, task.etc) == (
        lead, participants, collective, etc)
    assert task.unresolved == ()


def test_relative_names_outside_their_jurisdiction_are_kept_and_reported(
    registry: Registry,
) -> None:
    # line 41517 read as if it were a national document: 自治区科技厅 has no jurisdiction
    text = ("鼓励引导区内企业、高校、科研机构积极参与国家绿色技术交易。"
            "（自治区科技厅、工业和信息化厅负责）")
    tasks, problems = find_tasks(_one_paragraph(text, None, line=41517), registry)
    assert tasks[0].unresolved == ("自治区科技厅", "工业和信息化厅")
    assert tasks[0].participants == ()
    assert [p.code for p in problems] == ["A002"] * 2
    assert str(problems[0]) == "x.txt:41517: A002 agency not resolved: 自治区科技厅"


def test_task_fields(registry: Registry) -> None:
    text = ("（三）坚决遏制高耗能高排放项目盲目发展。严肃财经纪律。（国家发展改革委、"
            "工业和信息化部、"
            "生态环境部牵头，人民银行、市场监管总局、银保监会、国家能源局等按职责分工负责）")
    tasks, _ = find_tasks(_one_paragraph(text, None, line=6282), registry)
    task = tasks[0]
    assert task.id == "d-t1"
    assert task.doc_id == "d"
    assert task.text == "（三）坚决遏制高耗能高排放项目盲目发展。严肃财经纪律。"
    assert task.raw.startswith("（国家发展改革委")
    assert task.raw.endswith("负责）")
    assert (task.start_line, task.end_line) == (6282, 6282)
    assert task.jurisdiction is None


# ---------------------------------------------------------------- line- and page-broken


def test_page_break_with_a_lone_footer(registry: Registry, fixtures_dir: Path) -> None:
    doc = _fixture_document(fixtures_dir, "tasks_page_break_lone_footer.txt", "江西省")
    tasks, problems = find_tasks(doc, registry)
    assert problems == []
    assert [t.participants for t in tasks] == [("江西省发展和改革委员会", "江西省应急管理厅")]
    assert tasks[0].collective == ("各设区市人民政府",)
    assert tasks[0].end_line == 13  # the annotation closes after the page footer (line 11)
    assert "—" not in tasks[0].raw


def test_page_break_inside_a_name(registry: Registry, fixtures_dir: Path) -> None:
    doc = _fixture_document(fixtures_dir, "tasks_page_break_space.txt", None)
    tasks, problems = find_tasks(doc, registry)
    assert problems == []
    assert tasks[0].participants == ("国家发展和改革委员会", "财政部", "中国人民银行",
                                     "中国银行保险监督管理委员会", "中国证券监督管理委员会")
    assert tasks[0].text.startswith("（二十二）加大金融支持力度。")
    assert (tasks[0].start_line, tasks[0].end_line) == (1, 16)


def test_label_broken_over_lines(registry: Registry, fixtures_dir: Path) -> None:
    doc = _fixture_document(fixtures_dir, "tasks_label_split.txt", "宁夏")
    tasks, problems = find_tasks(doc, registry)
    assert problems == []
    assert len(tasks) == 2
    assert tasks[0].raw.startswith("（责任单位：")  # printed 责任单 / 位 over two lines
    # a comma alone marks no lead (issue 12): all are participants, in printed order
    assert tasks[0].lead == ()
    assert tasks[0].participants == ("宁夏回族自治区发展和改革委员会",
                                     "宁夏回族自治区工业和信息化厅",
                                     "宁夏宁东能源化工基地管理委员会")
    assert tasks[0].collective == ("各地级市",)


def test_bare_label_after_sub_items_reaches_back_to_its_item(
    registry: Registry, fixtures_dir: Path
) -> None:
    doc = _fixture_document(fixtures_dir, "tasks_bare_label_subitems.txt", "内蒙古")
    tasks, problems = find_tasks(doc, registry)
    assert problems == []
    assert len(tasks) == 2
    first, second = tasks
    assert first.text.startswith("（三）推进氢能基础设施建设。")
    assert second.text.startswith("（四）推广氢能多领域应用。1.化工冶金领域。")
    assert "3.分布式供能领域。" in second.text
    assert (second.start_line, second.end_line) == (16, 51)
    assert second.participants[-1] == "内蒙古军区"
    assert second.lead == ()
    assert second.collective == ("各盟行政公署、市人民政府",)


def test_unclosed_annotation_stops_at_the_next_item(
    registry: Registry, fixtures_dir: Path
) -> None:
    doc = _fixture_document(fixtures_dir, "tasks_unclosed.txt", "宁夏")
    tasks, problems = find_tasks(doc, registry)
    assert problems == []
    assert [t.collective for t in tasks] == [("各地级市",), ("各地",), ("各地级市",)]
    assert tasks[1].raw.endswith("各地")
    assert tasks[2].text.startswith("3.严格控制煤炭消费。")


def test_several_annotations_in_one_item(registry: Registry, fixtures_dir: Path) -> None:
    doc = _fixture_document(fixtures_dir, "tasks_ningbo_several.txt", "宁波市")
    tasks, _ = find_tasks(doc, registry)
    assert [t.lead for t in tasks] == [
        ("宁波市发展和改革委员会", "宁波市经济和信息化局"),
        ("宁波市能源局",),
        ("宁波市能源局", "宁波市生态环境局"),
    ]
    assert tasks[0].text.startswith("1.严格能效管控要求。")
    assert tasks[1].text.startswith("参照《高耗能行业重点领域能效标杆水平")
    assert tasks[2].text.startswith("严格节能审查")
    assert all(t.jurisdiction == "宁波市" for t in tasks)


# ---------------------------------------------------------------- the whole compilation


@pytest.fixture(scope="module")
def compilation_tasks(
    compilation_docs: LoadedDocuments, registry: Registry
) -> tuple[list[Task], list[str]]:
    """Tasks and problem lines of the whole compilation."""
    tasks: list[Task] = []
    problems: list[str] = []
    for doc in compilation_docs.documents:
        found, probs = find_tasks(doc, registry)
        tasks += found
        problems += [str(p) for p in probs]
    return tasks, problems


@pytest.mark.slow
def test_every_annotation_alias_resolves(compilation_tasks: tuple[list[Task], list[str]]) -> None:
    tasks, problems = compilation_tasks
    assert not problems, "\n".join(problems)
    assert [t for t in tasks if t.unresolved] == []


@pytest.mark.slow
def test_compilation_tasks_are_complete_and_stable(
    compilation_tasks: tuple[list[Task], list[str]],
    compilation_docs: LoadedDocuments,
    registry: Registry,
) -> None:
    tasks, _ = compilation_tasks
    # 262 annotations in parts 2-4 (tests/data/gold/README_samples.md), 33432 责任部门, and two
    # leads written in an item without annotation (issue 12): 8011 国家发展改革委、国家能源局负责
    # 牵头构建…, 32007 市生态环境局作为牵头单位
    assert len(tasks) == 265
    body = [(t.start_line, t.lead, t.lead_basis)
            for t in tasks if not t.raw.startswith(("（", "责"))]
    assert body == [(8011, ("国家发展和改革委员会", "国家能源局"), LeadBasis.MARKED),
                    (32007, ("上海市生态环境局",), LeadBasis.MARKED)]
    assert len({t.id for t in tasks}) == len(tasks)
    assert all(t.lead or t.participants or t.collective for t in tasks)
    assert all(t.text for t in tasks)
    again = [t for d in compilation_docs.documents for t in find_tasks(d, registry)[0]]
    assert again == tasks


# ---------------------------------------------------------------- any text


ANNOTATION_ALPHABET = (
    "（）()〔〕、，；：。等负责牵头按职责分工责任单位配合"
    "省市自治区发展改革委厅局各1. \n"
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=ANNOTATION_ALPHABET, max_size=80))
def test_any_text_gives_annotations_inside_it(text: str) -> None:
    for ann in find_annotations(text):
        assert 0 <= ann.start < ann.end <= len(text)
        assert text[ann.start:ann.end] == ann.raw or ann.raw == text[ann.start:ann.end].strip()
        parse_annotation(ann.body)
