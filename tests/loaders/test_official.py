"""Tests for loaders.official: the official-document model on small fixtures (always on)."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from policykg.loaders import official
from policykg.loaders.documents import load_documents, official_documents
from policykg.records import DateSource, DocKind, Genre, IssuerLevel, OfficialType, SourceLine


def test_doctests() -> None:
    result = doctest.testmod(official)
    assert result.failed == 0
    assert result.attempted >= 8


def test_a_covering_notice_and_its_annex_are_two_linked_documents(fixtures_dir: Path) -> None:
    # the first 14 lines of 152、湖北省2022年林业工作要点.pdf (see tests/data/README.md)
    loaded = load_documents([fixtures_dir / "official_notice_with_annex.txt"])
    notice, plan = loaded.documents
    assert notice.title == "省林业局关于印发《2022 年林业工作要点》的通知"
    assert (notice.date, notice.date_source) == ("2022-03-14", DateSource.SIGN_OFF)
    assert notice.issuers == ("湖北省林业局",)
    assert (notice.genre, notice.official_type) == (Genre.NOTICE, OfficialType.NOTICE)
    assert notice.notice_of == (plan.id,)
    assert plan.attached_to == notice.id
    # the file name has "_": its id carries the name's hash (loaders.documents.file_doc_id)
    assert (notice.id, plan.id) == ("official-notice-with-annex--5bd5cc95-notice",
                                    "official-notice-with-annex--5bd5cc95")
    assert plan.title == "2022 年林业工作要点"
    assert (plan.date, plan.date_source) == ("2022-03-14", DateSource.COVERING_NOTICE)
    assert plan.issuers == ("湖北省林业局",)
    assert plan.from_notice == ("issuers", "date")
    assert (plan.genre, plan.level, plan.kind) == (Genre.PLAN, IssuerLevel.PROVINCIAL,
                                                   DocKind.LOCAL_POLICY)
    assert plan.is_policy
    assert not notice.is_policy
    assert notice.official is not None
    assert notice.official.addressees == ("各市、州、直管市、神农架林区林业主管部门，局机关各处室、"
                                          "局直各单位：")
    assert (notice.start_line, notice.end_line, plan.start_line) == (1, 7, 8)


def test_letterhead_full_width_number_and_date_of_a_pdf(fixtures_dir: Path) -> None:
    # pages 1-3 of 107、甘肃省关于加快建立健全绿色低碳循环发展经济体系实施方案.pdf: the
    # letterhead is set aside as page furniture and still read as the notice's 发文机关标志
    loaded = load_documents([fixtures_dir / "pdf" / "gansu_letterhead_fullwidth.pdf"])
    notice, plan = loaded.documents
    assert notice.official is not None
    assert notice.official.letterhead == "甘肃省人民政府"
    assert notice.doc_number == "甘政发〔2021〕62号"
    assert (notice.date, notice.date_source) == ("2021-08-12", DateSource.SIGN_OFF)
    assert notice.official.note == "此件有删减"
    assert (notice.jurisdiction, notice.level) == ("甘肃省", IssuerLevel.PROVINCIAL)
    assert notice.pages == (1, 1)
    assert plan.title == "关于加快建立健全绿色低碳循环发展经济体系的实施方案"
    assert (plan.doc_number, plan.date) == ("甘政发〔2021〕62号", "2021-08-12")
    assert plan.from_notice == ("doc_number", "issuers", "date")
    assert plan.pages is not None
    assert plan.pages[0] == 2


def test_letterhead_signatory_and_a_notice_without_its_closing_bracket() -> None:
    # lines 1-15 of 120、北京经济技术开发区2021年度绿色发展资金支持政策.pdf: 文号 with 签发人,
    # the 《 of the published title closed by ）, the attached policy's title letter-spaced
    texts = ["北京经济技术开发区管理委员会文件", "京技管[2021]115号 签发人：袁立洪",
             "北京经济技术开发区管理委员会", "关于印发《北京经济技术开发区2021年度",
             "绿色发展资金支持政策）的通知", "工委、管委会各相关机构，区内各相关企事业单位：",
             "为组织落实经开区2021年度绿色发展资金申报工作，现发布",
             "《北京经济技术开发区2021年度绿色发展资金支持政策》，请遵照执",
             "行。", "特此通知。", "北京经济技术开发区管理委员会", "2021年9月26日",
             "北京经 济技术开发区2021年度绿", "色发展资金支持政策", "一、支持范围"]
    lines = [SourceLine(number=i, text=t) for i, t in enumerate(texts, start=1)]
    notice, policy = official_documents(lines, "excerpt.txt")[0]
    assert notice.official is not None
    assert notice.official.letterhead == "北京经济技术开发区管理委员会"
    assert notice.doc_number == "京技管〔2021〕115号"
    assert notice.official.signatories == ("袁立洪",)
    assert notice.date == "2021-09-26"
    assert notice.notice_of == (policy.id,)
    assert policy.title == "北京经 济技术开发区2021年度绿色发展资金支持政策"


def test_record_block_and_note(tmp_path: Path) -> None:
    # the last lines of 267、关于成立柳州市碳达峰碳中和系列文件编制工作专班的通知.pdf
    texts = ["柳州市人民政府办公室关于成立柳州市", "碳达峰碳中和系列文件编制工作专班的通知",
             "各有关单位：", "为深入贯彻落实党中央、国务院关于碳达峰碳中和重大战略",
             "决策部署，加强顶层设计和系统谋划。", "柳州市人民政府办公室", "2022 年 1 月 19 日",
             "（此件公开发布）", "抄送：市委办、市人大办、市政协办。",
             "柳州市人民政府办公室 2022 年 1 月 20 日印发"]
    lines = [SourceLine(number=i, text=t) for i, t in enumerate(texts, start=1)]
    (doc,), _ = official_documents(lines, "excerpt.txt")
    assert doc.official is not None
    assert (doc.date, doc.issuers) == ("2022-01-19", ("柳州市人民政府办公室",))
    assert doc.official.note == "此件公开发布"
    assert doc.official.copied_to == "市委办、市人大办、市政协办"
    assert (doc.official.printed_by, doc.official.printed_date) == (
        "柳州市人民政府办公室", "2022-01-20")
    assert doc.official.addressees == "各有关单位："
    assert dict(doc.official.lines)["copied_to"] == 9


@pytest.mark.parametrize(
    ("title", "genre"),
    [
        pytest.param("关于组织申报2022年度江苏省碳达峰碳中和科技创新专项资金项目的通知",
                     Genre.CALL, id="申报-call"),
        pytest.param("吉林省住房和城乡建设厅关于召开“碳达峰碳中和目标背景下的超低能耗建筑发展”培训会议的通知",
                     Genre.MEETING, id="培训会议-meeting"),
        pytest.param("国家发展改革委等部门关于发布《高耗能行业重点领域能效标杆水平和基准水平（2021年版）》的通知",
                     Genre.MEASURES, id="标杆水平-measures"),
        pytest.param("海洋碳汇经济价值核算方法", Genre.STANDARD, id="核算方法-standard"),
        pytest.param("企业温室气体排放报告核查指南（试行）", Genre.STANDARD,
                     id="核查指南-standard"),
        pytest.param("福建省生态环境保护条例", Genre.LAW, id="条例-law"),
        pytest.param("巴中市“十四五”生态环境保护规划", Genre.DEVELOPMENT_PLAN, id="规划"),
        pytest.param("徐汇区节能减排降碳专项资金管理办法", Genre.MEASURES, id="办法"),
        pytest.param("中共成都市委关于以实现碳达峰碳中和目标为引领优化空间产业交通能源结构促进城市绿色低碳发展的决定",
                     Genre.DECISION, id="党委决定"),
    ],
)
def test_genre(title: str, genre: Genre) -> None:
    assert official.classify_genre(title) is genre


@pytest.mark.parametrize(
    ("names", "level"),
    [
        (["中共中央", "国务院"], IssuerLevel.CENTRAL),
        (["生态环境部"], IssuerLevel.MINISTRY),
        (["甘肃省人民政府"], IssuerLevel.PROVINCIAL),
        (["包头市林业和草原局"], IssuerLevel.MUNICIPAL),
        (["上海市徐汇区发展和改革委员会"], IssuerLevel.COUNTY),
        (["自治区人民政府办公厅"], IssuerLevel.PROVINCIAL),
    ],
)
def test_issuer_level(names: list[str], level: IssuerLevel) -> None:
    assert official.issuer_level(names) is level


def test_citations_of_a_covering_notice_resolve_to_what_it_publishes(
    fixtures_dir: Path, tmp_path: Path
) -> None:
    from policykg.loaders.citations import find_citations

    citing = tmp_path / "citing.txt"
    citing.write_text(
        "关于做好2022年林业碳汇工作的通知\n各市、州林业主管部门：\n"
        "为落实《省林业局关于印发〈2022 年林业工作要点〉的通知》，现就有关事项通知如下。\n"
        "湖北省林业局\n2022年5月6日\n", encoding="utf-8")
    loaded = load_documents([fixtures_dir / "official_notice_with_annex.txt", citing])
    notice, plan, letter = loaded.documents
    citations, _ = find_citations(list(loaded.documents))
    cited = [c.cited_doc_id for c in citations if c.doc_id == letter.id]
    assert cited == [plan.id]
    assert notice.id not in cited
