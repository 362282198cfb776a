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


def _excerpt(rows: list[tuple[int, int, str]]) -> list[SourceLine]:
    """(page, line number, text) rows of a PDF's kept lines."""
    return [SourceLine(number=n, text=t, page=p) for p, n, t in rows]


def test_notice_signed_before_the_page_of_what_it_publishes() -> None:
    # 319、宁夏回族自治区关于推动城乡建设绿色发展的实施意见.pdf: the notice's issuers and date
    # close page 1; the opinion it publishes starts page 2 without its title
    lines = _excerpt([
        (1, 1, "自治区党委办公厅人民政府办公厅"), (1, 2, "印发《关于推动城乡建设绿色发展的实"),
        (1, 3, "施意见〉的通知"),
        (1, 4, "各市、县（区）党委和人民政府，区直各部委办厅局，各人民团"),
        (1, 5, "体、直属事业单位，中央驻宁各单位，各大型企业："),
        (1, 6, "《关于推动城乡建设绿色发展的实施意见》已经自治区"),
        (1, 7, "党委和人民政府同意，现印发给你们，请结合实际认真贯彻"), (1, 8, "落实。"),
        (1, 9, "中共宁夏回族自治区委员会办公厅"), (1, 10, "宁夏回族自治区人民政府办公厅"),
        (1, 11, "2022年5月26日"),
        (2, 12, "为认真落实中共中央办公厅、国务院办公厅《关于推动城乡建设绿色发展的意见》"),
        (2, 13, "（中办发〔2021〕37 号）精神，推动美丽新宁夏建设，结合我区实际，提出如下实施意"),
        (2, 14, "见。"), (2, 15, "一、总体要求"),
        (2, 16, "（一）指导思想。以习近平新时代中国特色社会主义思想为指导，深入贯彻党的十")])
    (doc,), _ = official_documents(lines, "excerpt.pdf")
    assert (doc.date, doc.date_source) == ("2022-05-26", DateSource.SIGN_OFF)
    assert doc.issuers == ("中共宁夏回族自治区委员会办公厅", "宁夏回族自治区人民政府办公厅")
    assert doc.official is not None
    assert dict(doc.official.lines)["sign_off"] == 11


def test_public_notice_signed_before_the_title_it_names() -> None:
    # 116、合肥市重点领域节能降碳技术改造实施方案.pdf: 关于《X》的公示 signed (14-15) over X's
    # title (16); the 公示期 in its sentence (5) is no date of it
    lines = _excerpt([
        (1, 1, "关于《合肥市重点领域节能降碳技术改造实施方"), (1, 2, "案》的公示"),
        (1, 3, "根据《安徽省发展改革委等部门关于严格能效约束推动重点领域节能降碳的通"),
        (1, 4, "知》（皖发改产业〔2022〕58 号）等文件精神，现将《合肥市重点领域节能降"),
        (1, 5, "碳技术改造实施方案》公示如下，公示期为 2022 年 3 月 17 日至 2022 年 3 月"),
        (1, 6, "23 日，如有异议，请在公示期间实名以书面及电话、电子邮件方式向市纪委监"),
        (1, 7, "委驻市发改委纪检监察组反映。"),
        (1, 12, "邮政编码：230071"), (1, 13, "附件：合肥市重点领域节能降碳技术改造实施方案.docx"),
        (1, 14, "合肥市发展和改革委员会"), (1, 15, "2022 年 3 月 17 日"),
        (1, 16, "合肥市重点领域节能降碳技术改造实施方案"),
        (1, 17, "为深入贯彻落实《国家发展改革委等部门关于严格能效约束推动重点领"),
        (1, 18, "域节能降碳的若干意见》（发改产业〔2021〕1464 号）、《国家发展改革委")])
    (doc,), _ = official_documents(lines, "excerpt.pdf")
    assert (doc.date, doc.date_source, doc.issuers) == (
        "2022-03-17", DateSource.SIGN_OFF, ("合肥市发展和改革委员会",))


def test_cover_date_under_a_title_is_no_notice_sign_off() -> None:
    # 180、江苏省重点行业建设项目碳排放环境影响评价技术指南（试行）.pdf: the notice's own date is
    # garbled (20: "2022 4 日"); the guide's cover (25-28) prints its issuer and month under its
    # title before a new page: that is not the notice's sign-off
    lines = _excerpt([
        (1, 1, "苏环办 (2021 J 364"), (1, 2, "省生态环境厅关于印发《江苏省重点行业"),
        (1, 3, "建设项目碳排放环境影响评价技术"), (1, 4, "指南(试行) ~的通知"),
        (1, 5, "各设区市生态环境局(行政审批局) :"),
        (1, 6, "为推动污染物和碳排放环境影响评价管理统筹融合，促进应"),
        (2, 19, "江苏省生态环境厅"), (2, 20, "2022 4 日"),
        (3, 25, "江苏省重点行业建设项目碳排放"), (3, 26, "环境影响评价技术指南（试行）"),
        (3, 27, "江苏省生态环境厅"), (3, 28, "二〇二一年十二月"),
        (5, 35, "前言"), (5, 36, "为贯彻落实《中华人民共和国环境影响评价法》，规范建设项目")])
    (doc,), _ = official_documents(lines, "excerpt.pdf")
    assert doc.date is None


@pytest.mark.parametrize(
    ("last", "why"),
    [
        # 274、关于征集徐州市碳达峰碳中和科技创新技术需求的通知.pdf line 46: a deadline
        ("请各相关学院于 2021 年 12 月 28 日前将碳达峰碳中和科技创", "deadline"),
        # 308、江苏省碳达峰碳中和科技创新专项资金管理办法（暂行）.pdf line 231: effective date
        ("第二十五条 本办法自 2022 年 8 月 1 日起施行。有效期", "effective date"),
    ],
)
def test_dates_inside_sentences_are_no_document_date(last: str, why: str) -> None:
    """274's opening lines, then its line 46 or 308's line 231, then 274's last line."""
    lines = _excerpt([(1, 1, "关于征集碳达峰碳中和科技创新技术需求的通知"),
                      (1, 2, "各有关单位："),
                      (1, 3, "为深入贯彻习近平总书记关于碳达峰碳中和的系列重要讲话"),
                      (2, 46, last),
                      (2, 47, "联系人：卜伟、盖宏伟；联系电话：83656193、83656186。")])
    (doc,), _ = official_documents(lines, "excerpt.pdf")
    assert doc.date is None, why


def test_sign_off_date_wrapped_before_its_day_mark() -> None:
    # 294、河北省关于下达张家口源网荷储一体化碳中和示范项目（二期）的通知.pdf lines 24-28
    lines = _excerpt([
        (1, 1, "河北省发展和改革委员会关于下达张家口源网荷储一"),
        (1, 2, "体化碳中和示范项目（二期）的通知"),
        (1, 3, "张家口市能源局，国网冀北电力有限公司："), (2, 24, "设。"),
        (2, 25, "附件：张家口源网荷储一体化碳中和示范项目（二期）情况表"),
        (2, 26, "河北省发展和改革委员会"), (2, 27, "2021 年 12 月 31"), (2, 28, "日")])
    (doc,), _ = official_documents(lines, "excerpt.pdf")
    assert (doc.date, doc.date_source, doc.issuers) == (
        "2021-12-31", DateSource.SIGN_OFF, ("河北省发展和改革委员会",))


def test_sign_off_followed_by_a_web_page_s_readings() -> None:
    # 80、湖北省关于加快建立健全绿色低碳循环发展经济体系的实施意见.pdf lines 153-158: the date
    # under the last sentence (the seal is an image), then the page's links to its readings
    lines = _excerpt([
        (1, 1, "省人民政府关于加快建立健全"), (1, 2, "绿色低碳循环发展经济体系的实施意见"),
        (1, 3, "各市、州、县人民政府，省政府各部门："),
        (7, 153, "导，及时梳理总结各地各有关部门经验做法，重大事项及时向省委、省政府报告。"
                 "新闻媒体要大力"),
        (7, 154, "宣传全省绿色低碳循环发展成效，积极宣传正面典型，曝光负面典型，"
                 "营造良好社会氛围。"),
        (7, 155, "2021 年 10 月 17 日"), (7, 156, "相关解读："), (7, 157, "[解读 1]"),
        (7, 158, "[解读 2]")])
    (doc,), _ = official_documents(lines, "excerpt.pdf")
    assert (doc.date, doc.date_source) == ("2021-10-17", DateSource.SIGN_OFF)


def test_notice_title_wrapped_after_its_verb() -> None:
    # 528、深圳市近零碳排放区试点建设实施方案.pdf lines 1-11: "…关于印发" then "《X》的通知"
    lines = _excerpt([
        (1, 1, "深圳市生态环境局 深圳市发展和改革委员会关于印发"),
        (1, 2, "《深圳市近零碳排放区试点建设实施方案》的通知"), (1, 3, "各有关单位："),
        (1, 4, "《深圳市近零碳排放区试点建设实施方案》已经市政府同意，现予以印发实施，"
               "请认真遵照执"),
        (1, 5, "行。"), (1, 6, "附件：深圳市近零碳排放区试点建设实施方案"),
        (1, 7, "深圳市生态环境局"),
        (1, 8, "深圳市发展和改革委员会"), (1, 9, "2021 年 11 月 1 日"),
        (2, 11, "深圳市近零碳排放区试点建设实施方案"),
        (2, 12, "根据《深圳市国民经济和社会发展第十四个五年规划和"),
        (2, 13, "二〇三五年远景目标纲要》《深圳率先打造美丽中国典范规"),
        (2, 14, "划纲要（2020—2035 年）》（深先行示范〔2021〕2 号）等文"),
        (2, 15, "件要求，为全面深化低碳试点示范，加快推进近零碳排放区"),
        (2, 16, "试点建设，结合本市实际，制定本实施方案。"), (2, 17, "一、总体要求")])
    notice, plan = official_documents(lines, "excerpt.pdf")[0]
    assert notice.title == ("深圳市生态环境局 深圳市发展和改革委员会关于印发"
                            "《深圳市近零碳排放区试点建设实施方案》的通知")
    assert (notice.date, notice.date_source) == ("2021-11-01", DateSource.SIGN_OFF)
    assert (plan.title, plan.start_line, plan.date, plan.date_source) == (
        "深圳市近零碳排放区试点建设实施方案", 11, "2021-11-01", DateSource.COVERING_NOTICE)
