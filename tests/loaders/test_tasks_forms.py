"""Responsibility annotations in the forms of the development corpus's PDFs (issue 12).

Each fixture is a few pages' text of one PDF of ``../shared/corpus/dual-carbon`` as the PDF
loader reads it (sources in ``tests/data/README.md``); names are checked as printed, with their
roles, before resolution (the jurisdictions of these documents are the agency registry's).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.loaders.lines import clean_lines, join_paragraphs
from policykg.loaders.tables import candidate_pages, find_table_rows
from policykg.loaders.tasks import (
    Convention,
    find_body_leads,
    label_roles,
    parse_annotation,
    read_annotations,
)
from policykg.records import DocKind, Document, LeadBasis

Roles = tuple[tuple[str, ...], tuple[str, ...], LeadBasis | None]


def _doc(fixtures_dir: Path, name: str) -> Document:
    cleaned = clean_lines((fixtures_dir / name).read_text(encoding="utf-8"), name)
    paragraphs = join_paragraphs(cleaned.lines)
    return Document(id="d", part=None, chapter=None, seq=None, kind=DocKind.LOCAL_POLICY,
                    title="", doc_number=None, date=None, date_source=None, year=None,
                    issuers=(), url=None, start_line=1, end_line=paragraphs[-1].end_line,
                    file=name, paragraphs=tuple(paragraphs))


def _read(fixtures_dir: Path, name: str) -> list[tuple[int, Roles]]:
    return [(line, (r.lead, r.participants, r.basis))
            for line, _raw, r in read_annotations(_doc(fixtures_dir, name))]


def test_by_function_and_bare_lists_after_a_sentence(fixtures_dir: Path) -> None:
    # 重庆 100 p5: （市发展改革委、市经济信息委、市能源局按职能分工负责，下同）, then bare lists
    got = _read(fixtures_dir, "tasks_pdf_chongqing_by_function.txt")
    assert got[0][1] == ((), ("市发展改革委", "市经济信息委", "市能源局"), None)
    assert got[1][1] == ((), ("市发展改革委", "市经济信息委", "市能源局"), None)
    assert len(got) == 2


def test_comma_convention_stated_by_the_document(fixtures_dir: Path) -> None:
    # 成都 186 p1: ［责任单位：…，各区（市）县政府（管委会）；逗号前为牵头单位，下同］; the third
    # annotation is broken across pages 1-2
    got = _read(fixtures_dir, "tasks_pdf_chengdu_comma_convention.txt")
    assert got[0][1] == (("市经信局", "市生态环境局", "市市场监管局"),
                         ("各区（市）县政府（管委会）",), LeadBasis.STATED_CONVENTION)
    assert got[1][1][0] == ("市商务局", "市经信局", "市文广旅局", "市教育局")
    assert got[2][1] == (("市发改委", "市经信局", "市生态环境局"),
                         ("各区（市）县政府（管委会）",), LeadBasis.STATED_CONVENTION)


def test_labels_on_their_own_lines_and_first_is_lead(fixtures_dir: Path) -> None:
    # 达州 252: 责任单位： on its own line, （排在第一为牵头单位，下同）, 完成时限： not a name
    got = _read(fixtures_dir, "tasks_pdf_dazhou_label_lines.txt")
    assert got[0][1] == (("市发展改革委",), (), LeadBasis.STATED_CONVENTION)
    assert got[2][1] == (("市发展改革委",), ("市应急局", "市水务局", "国家电网达州供电公司"),
                         LeadBasis.STATED_CONVENTION)
    assert got[5][1][0] == ("市交通运输局",)
    assert got[5][1][1][-1] == "市口岸物流办"  # 市商务\n局 joined over the line break


def test_first_of_each_province_leads(fixtures_dir: Path) -> None:
    # 成渝 57: （责任单位：重庆市能源局、市经济信息委；四川省能源局、经济和信息化厅；
    # 两省市列首位的为牵头单位，下同）, the next one broken across pages 3-4
    got = _read(fixtures_dir, "tasks_pdf_chengyu_first_per_province.txt")
    assert got[0][1] == (("重庆市能源局", "四川省能源局"), ("市经济信息委", "经济和信息化厅"),
                         LeadBasis.STATED_CONVENTION)
    assert got[1][1] == (("重庆市能源局", "四川省能源局"),
                         ("市经济信息委", "市水利局", "经济和信息化厅", "水利厅"),
                         LeadBasis.STATED_CONVENTION)


def test_not_listed_again_in_angle_brackets(fixtures_dir: Path) -> None:
    # 武汉 113: …，各区人民政府〈含开发区、风景区管委会，以下工作任务均需各区人民政府落实，
    # 不再列出〉）
    got = _read(fixtures_dir, "tasks_pdf_wuhan_not_listed_again.txt")
    assert got[0][1] == ((), ("市发改委", "市经信局", "市生态环境局", "各区人民政府"), None)
    assert got[2][1] == ((), ("市经信局", "市城管执法委", "市应急局"), None)


def test_half_width_brackets_and_commas(fixtures_dir: Path) -> None:
    # 贵州 384: (责任单位:省发展改革委、…省市场监管局。各市〔州〕人民政府,以下各条均涉及)
    got = _read(fixtures_dir, "tasks_pdf_guizhou_half_width.txt")
    assert got[0][1] == ((), ("省发展改革委", "省工业和信息化厅", "省生态环境厅", "省能源局",
                              "省市场监管局", "各市〔州〕人民政府"), None)
    assert got[1][1][1][-1] == "省大数据局"  # closes on the last line of page 2


def test_lead_and_assisting_labels(fixtures_dir: Path) -> None:
    # 山东 347: （牵头单位：省工业和信息化厅，配合单位：省发展改革委、省生态环境厅）
    got = _read(fixtures_dir, "tasks_pdf_shandong_lead_assist.txt")
    assert got[0][1] == (("省工业和信息化厅",), ("省发展改革委", "省生态环境厅"),
                         LeadBasis.MARKED)
    assert got[1][1][0] == ("省发展改革委", "省生态环境厅")


def test_responsible_and_assisting_labels_mark_no_lead(fixtures_dir: Path) -> None:
    # 安徽 485: （责任单位：省经济和信息化厅，配合单位：…等，各市人民政府负责落实。以下均需各市人民
    # 政府落实，不再列出）: 责任单位 is not 牵头单位, so no lead; the note names nobody
    got = _read(fixtures_dir, "tasks_pdf_anhui_assist_label.txt")
    lead, part, basis = got[0][1]
    assert (lead, basis) == ((), None)
    assert part == ("省经济和信息化厅", "省发展改革委", "省水利厅", "省能源局", "省数据资源局",
                    "各市人民政府")


@pytest.mark.parametrize(
    ("body", "convention", "lead", "participants"),
    [
        pytest.param("市发改委牵头，市经信局配合", None, ("市发改委",), ("市经信局",),
                     id="X牵头-Y配合"),
        pytest.param("省生态环境厅会同省发展改革委负责", None, ("省生态环境厅",),
                     ("省发展改革委",), id="X会同Y-负责"),
        pytest.param("由市住建局牵头，市城管委参与", None, ("市住建局",), ("市城管委",),
                     id="由X牵头-Y参与"),
        pytest.param("市发改委、市能源局协同推进", None, (), ("市发改委", "市能源局"),
                     id="unknown-connective-keeps-names"),
        pytest.param("主办部门：市商务局；协办部门：市财政局", None, (), ("市商务局", "市财政局"),
                     id="unknown-labels-keep-names"),
        pytest.param("责任单位：市经信局、市发改委，各区县政府", None, (),
                     ("市经信局", "市发改委", "各区县政府"), id="a-comma-alone-marks-nothing"),
        pytest.param("责任单位：市经信局、市发改委，各区县政府", Convention.FIRST,
                     ("市经信局",), ("市发改委", "各区县政府"), id="stated-first"),
        pytest.param("责任单位∶自治区自然资源厅、发展改革委、住房城乡建设厅", None, (),
                     ("自治区自然资源厅", "发展改革委", "住房城乡建设厅"),
                     id="319-ratio-sign-as-colon"),
        pytest.param("牵头单位﹕市发改委；配合单位﹕市能源局", None, ("市发改委",), ("市能源局",),
                     id="small-colon"),
        pytest.param("市科技局、市教育局按职责分工落实", Convention.COMMA,
                     ("市科技局", "市教育局"), (), id="stated-comma-no-comma-all-before"),
    ],
)
def test_connectives(body: str, convention: Convention | None, lead: tuple[str, ...],
                     participants: tuple[str, ...]) -> None:
    roles = parse_annotation(body, convention)
    assert (roles.lead, roles.participants) == (lead, participants)


@pytest.mark.parametrize(
    ("text", "lead", "participants"),
    [
        pytest.param("加强组织领导。市生态环境局作为牵头单位，负责碳普惠机制的总体设计。",
                     ("市生态环境局",), (), id="line32009-作为牵头单位"),
        pytest.param("由省发展改革委牵头，建立工作专班。", ("省发展改革委",), (), id="由X牵头"),
        pytest.param("国家发展改革委、国家能源局负责牵头构建储能高质量发展体制机制。",
                     ("国家发展改革委", "国家能源局"), (), id="line8011-负责牵头"),
        pytest.param("省经信厅会同有关部门负责全省绿色低碳工业园区建设统筹部署。",
                     ("省经信厅",), ("有关部门",), id="line36188-会同"),
    ],
)
def test_body_leads(text: str, lead: tuple[str, ...], participants: tuple[str, ...]) -> None:
    found = find_body_leads(text, lambda name: name[0] in "市省国" or "有关" in name)
    assert [(b.roles.lead, b.roles.participants) for b in found] == [(lead, participants)]


def test_no_body_lead_without_a_body() -> None:
    # line 24496: 由建设单位牵头确定; line 25589: 由我部牵头落实
    for text in ("在地区未规定时，可由建设单位牵头确定。", "由我部牵头落实的工程。"):
        assert find_body_leads(text, lambda name: name[0] in "市省国") == []


def test_table_cells_give_one_task_per_row(fixtures_dir: Path) -> None:
    # 三亚 438 pp. 27-28: 表 3-1 with a 牵头单位 column, continued on the next page
    pdf = fixtures_dir / "tasks_table_sanya_p27-28.pdf"
    rows = find_table_rows(pdf, label_roles())
    assert len(rows) == 12
    assert rows[0].units == (("lead", "市生态环境局"),)
    assert "近岸海域优良（一、二类）水质面积比例" in rows[0].text
    assert rows[4].units == (("lead", "崖州区政府"),)  # 崖州区\n政府 in one cell
    assert rows[9].units == (("lead", "三亚海事局"),)
    assert rows[9].page == 2
    roles = parse_annotation("牵头单位：" + rows[3].units[0][1])
    assert (roles.lead, roles.basis) == (("市资规局",), LeadBasis.MARKED)


def test_candidate_pages() -> None:
    assert candidate_pages([(1, ["类别 序号 指标 单位", "牵头", "单位"]),
                            (2, ["（责任单位：市发改委）"])]) == [1]
