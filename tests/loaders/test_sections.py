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
from policykg.loaders.sections import parse_outline, parse_sections, split_marker
from policykg.records import Paragraph, Section, SourceLine

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


# Headings the text layer glued onto the end of a line (sections.parse_outline): real lines
# of the dev corpus's PDFs, (number, page, text) as `policykg text FILE` prints them.
Row = tuple[int, int, str]

# 425、内江市“十四五”生态环境保护规划.pdf: "第二章" after the sentence that ends line 347
_NEIJIANG: list[Row] = [
    (80, 6, "第一章 内江市生态环境保护形势"),
    (90, 6, "第一节 “十三五”生态环境保护成效"),
    (91, 6, "“十三五”时期，是污染防治攻坚战全面开展的五年，全市"),
    (344, 18, "步推进碳达峰碳中和”成为“十四五”生态环境保护工作主攻方"),
    (345, 18, "向。未来五年，内江资源能源配置将更加合理，资源利用效率将"),
    (346, 18, "大幅提高，主要污染物排放总量将持续减少，生态文明建设必将"),
    (347, 18, "迈出新步伐。 第二章 总体要求"),
    (348, 18, "第一节 指导思想"),
    (349, 18, "以习近平新时代中国特色社会主义思想为指导，全面贯彻党"),
    (350, 18, "的十九大和十九届历次全会精神，深入贯彻习近平生态文明思"),
]

# 16、“十四五”现代能源体系规划.pdf (its headings, the items numbered on across chapters):
# "第二章" after a table's note (150), "十一、" with no space on a short last line (443), and
# "十五、" in the middle of a paragraph, after a space (602)
_ENERGY: list[Row] = [
    (51, 4, "第一章 发展环境与形势"),
    (59, 4, "一、全球能源体系深刻变革"),
    (91, 6, "二、我国步入构建现代能源体系的新阶段"),
    (149, 8, "油气管网总里程（万公里） 11.2 17.5 9.3%"),
    (150, 8, "注：①〔〕内为五年累计数。②水电包含常规水电和抽水蓄能电站。 "
             "第二章 指导方针和主要目标"),
    (151, 8, "三、指导思想"),
    (167, 9, "四、基本原则"),
    (186, 10, "五、发展目标"),
    (220, 11, "第三章 增强能源供应链稳定性和安全性"),
    (224, 11, "六、强化战略安全保障"),
    (241, 12, "七、提升运行安全水平"),
    (277, 14, "八、加强应急安全管控"),
    (324, 16, "第四章 加快推动能源绿色低碳转型"),
    (329, 16, "九、大力发展非化石能源"),
    (363, 17, "十、推动构建新型电力系统"),
    (440, 20, "站。开展黄河上游梯级电站大型储能项目研究。在青海、新疆、甘肃、内蒙古等地"),
    (441, 20, "区推动太阳能热发电与风电、光伏发电配套发展。重点对 30 万千瓦及以下煤电机"),
    (442, 20, "组进行灵活性改造，对于调峰困难地区研究推动 60 万千瓦亚临界煤电机组灵活性"),
    (443, 20, "改造。十一、减少能源产业碳足迹"),
    (444, 20, "推进化石能源开发生产环节碳减排。推动化石能源绿色低碳"),
    (446, 21, "开采，强化煤炭绿色开采和洗选加工，加大油气田甲烷采收利用"),
    (447, 21, "力度，加快二氧化碳驱油技术推广应用。到 2025 年，煤矿瓦斯利"),
    (466, 21, "十二、更大力度强化节能降碳"),
    (522, 24, "第五章 优化能源发展布局"),
    (526, 24, "十三、合理配置能源资源"),
    (550, 25, "十四、统筹提升区域能源发展水平"),
    (599, 27, "电网主网架。完善华北、华东、华中区域内特高压交流网架结构，为特高压直流送"),
    (600, 27, "入电力提供支撑，建设川渝特高压主网架，完善南方电网主网架。"),
    (601, 27, "天然气管网。建设中俄东线管道南段、川气东送二线、西气东输三线中段、西气东"),
    (602, 27, "输四线、山东龙口—中原文 23 储气库管道等工程。 十五、积极推动乡村能源变革"),
    (603, 27, "加快完善农村和边远地区能源基础设施。提升农村能源基础"),
    (604, 27, "设施和公共服务水平，实施农村电网巩固提升工程，持续加强脱"),
]

# 360、定西市…实施方案.pdf: the heading "三、" goes on to line 59
_DINGXI: list[Row] = [
    (13, 1, "一、总体目标"),
    (19, 1, "活方式，碳排放达峰后稳中有降，美丽定西建设目标基本实现。 二、推进"),
    (20, 1, "生产体系绿色升级"),
    (55, 2, "（六）打造重点行业绿色供应链。鼓励建材、医药等行业开展绿色供应链"),
    (56, 2, "试点。逐步禁用不可降解塑料包装用品，减少电商快件二次包装，推广可循环"),
    (57, 2, "包装产品。鼓励市内各行业协会提高行业供应链绿色化水平，选择 5-6 家商贸"),
    (58, 2, "企业开展绿色供应链试点，探索建立流通领域绿色供应链制度体系。 三、"),
    (59, 2, "完善绿色循环流通体系"),
    (60, 2, "（七）提升物流绿色发展水平。按照“东联、西进、南向、北拓”思路，着"),
    (61, 2, "力打造综合运输大通道。加快物流信息化、标准化建设，大力发展电商物流、"),
]

# 528、深圳市近零碳排放区试点建设实施方案.pdf: "（二）" glued; "1．申报主体" (253) is its item
_SHENZHEN: list[Row] = [
    (186, 10, "（一）近零碳排放区域试点"),
    (250, 12, "职责；建立碳排放统计、核算与考核制度，制作能源统计台账；对主"),
    (251, 12, "要碳排放管理人员进行专业技能教育与培训；定期监测审核碳排放目"),
    (252, 12, "标指标，制定纠正措施和预防措施确保目标完成。 （二）近零碳排放园区试点"),
    (253, 12, "1．申报主体"),
    (254, 12, "近零碳排放园区试点项目的申报主体为园区管理委员"),
]

# 66、内蒙古自治区…具体措施的通知.pdf: "一、二类城市" opens a sentence (line 165, no space)
_INNER_MONGOLIA: list[Row] = [
    (160, 4, "扎实推进塑料污染全链条治理，建立健全塑料制品长效管理机制，分步骤、分领域、"
             "分区域，有力有序有效治理塑料"),
    (161, 4, "污"),
    (162, 4, "染。推进过度包装治理，推动生产经营者遵守限制商品过度包装的强制性标准。"),
    (163, 4, "提升交通系统智能化水平，一、二类城市全面建成或升级公共交通运营调度管理系统、"
             "安全监控系统和应急处置系"),
    (164, 4, "统，实"),
    (165, 4, "现盟行政公署、市人民政府所在地公交调度中心全覆盖。一、二类城市实现公交信息服务"
             "平台与换乘交通方式信息平台的"),
    (166, 4, "信息"),
    (167, 4, "共享。呼和浩特市进一步推进地面公交与城市轨道交通的信息共享以及“一卡通”“一码通”"
             "出行等便民服务，积极引导绿色"),
]

# 28、环保装备制造业高质量发展行动计划（2022－2025年）.pdf: "（七）" runs into its sentence
_EQUIPMENT: list[Row] = [
    (10, 1, "一、总体要求"),
    (11, 1, "（一）指导思想"),
    (23, 2, "（二）主要目标"),
    (32, 2, "二、科技创新能力提升“补短板”行动"),
    (33, 2, "（三）加强关键核心技术攻关。聚焦“十四五”期间环境"),
    (73, 4, "（四）推进共性技术平台建设。加大对创新资源的整合力"),
    (82, 4, "（五）加快科技成果转移转化。支持研发、制造、使用单"),
    (89, 4, "三、产品供给能力增强“锻长板”行动"),
    (90, 4, "（六）强化新型装备应用。推动环保领域装备纳入首台（套）"),
    (106, 5, "在环境监测专用仪器仪表领域，推动水华预测预警系统、海洋环境要素在"),
    (107, 5, "线监测系统、烟气中氨和铵盐监测系统、噪声与振动远程在线监控系统应用。 （七）加快"
             "先进装备推广。定期制修订《国家鼓励发展的"),
    (108, 5, "重大环保技术装备目录》，编制供需对接指南，搭建装备制造"),
    (109, 5, "企业与需求用户的有效对接平台。在大气治理领域，重点推广"),
]

# 578、上海市…实施意见.pdf: "十一、" is cut across lines 152-153, so after "一、" (line 6; the
# items between left out) "十二、" (169) is not the item the outline expects: it stays in its
# paragraph
_SHANGHAI: list[Row] = [
    (6, 1, "一、指导思想"),
    (151, 4, "新攻关和制度规则制定。不断深化与国内其他地区在新能源开发利用、技术产业"),
    (152, 4, "协同、碳排放权交易市场和绿色金融发展等方面的交流合作和信息共享。 十"),
    (153, 4, "一、健全法规标准和统计监测体系"),
    (168, 4, "开展森林、海洋、湿地等碳汇本底调查和源汇动态评估，实施生态保护修复碳汇"),
    (169, 4, "成效监测评估。 十二、完善政策机制"),
    (170, 4, "（二十七）完善投资政策。充分发挥政府投资引导作用，构建与碳达峰、碳"),
]


def _glued(rows: list[Row]) -> tuple[tuple[Paragraph, ...], tuple[Paragraph, ...],
                                     tuple[Section, ...]]:
    """(joined paragraphs, paragraphs after parse_outline, sections) of an excerpt."""
    lines = [SourceLine(number=n, page=p, text=t) for n, p, t in rows]
    joined = tuple(join_paragraphs(lines))
    paragraphs, tree = parse_outline("d", joined, rows[-1][0], lines)
    # nothing is lost: the same characters, each on its own source line
    assert "".join(p.text for p in paragraphs) == "".join(p.text for p in joined)
    for para in paragraphs:
        assert para.offsets[0] == (0, para.start_line)
        assert para.offsets[-1][1] == para.end_line
        assert all(para.page == lines[0].page or para.page == s.page
                   for s in lines if s.number == para.start_line)
    assert parse_sections("d", joined, rows[-1][0], lines) == tree
    return joined, paragraphs, tree


def _outline(tree: tuple[Section, ...]) -> list[tuple[int, int, int, str, str]]:
    return [(s.start_line, s.end_line, s.level, s.marker, s.heading) for s in tree]


def test_glued_chapter_after_a_sentence_opens_its_section() -> None:
    joined, paragraphs, tree = _glued(_NEIJIANG)
    assert _outline(tree) == [
        (80, 347, 1, "第一章", "内江市生态环境保护形势"),
        (90, 347, 2, "第一节", "“十三五”生态环境保护成效"),
        (347, 350, 1, "第二章", "总体要求"),
        (348, 350, 2, "第一节", "指导思想"),
    ]
    # without the lines nothing is split: 第二章 and its 第一节 are lost, as on main
    assert [s.marker for s in parse_sections("d", joined, 350)] == ["第一章", "第一节"]
    texts = [(p.start_line, p.end_line, p.text[-8:]) for p in paragraphs]
    assert texts[2:4] == [(91, 347, "必将迈出新步伐。"), (347, 347, "第二章 总体要求")]


def test_glued_items_on_a_short_last_line_and_mid_paragraph() -> None:
    _, paragraphs, tree = _glued(_ENERGY)
    assert [(s.start_line, s.level, s.marker) for s in tree if s.level == 1] == [
        (51, 1, "第一章"), (150, 1, "第二章"), (220, 1, "第三章"), (324, 1, "第四章"),
        (522, 1, "第五章"),
    ]
    assert [o for o in _outline(tree) if o[2] == 2][-7:] == [
        (329, 362, 2, "九、", "大力发展非化石能源"),
        (363, 443, 2, "十、", "推动构建新型电力系统"),
        (443, 465, 2, "十一、", "减少能源产业碳足迹"),
        (466, 521, 2, "十二、", "更大力度强化节能降碳"),
        (526, 549, 2, "十三、", "合理配置能源资源"),
        (550, 602, 2, "十四、", "统筹提升区域能源发展水平"),
        (602, 604, 2, "十五、", "积极推动乡村能源变革"),
    ]
    heads = {p.start_line: p for p in paragraphs if p.text.startswith(("十一、", "十五、"))}
    assert heads[443].text == "十一、减少能源产业碳足迹"
    assert heads[602].text == "十五、积极推动乡村能源变革"
    assert heads[602].page == 27
    # what follows the heading on later lines is a paragraph of its own
    after = next(p for p in paragraphs if p.start_line == 603)
    assert after.text.startswith("加快完善农村和边远地区能源基础设施。")
    assert after.offsets[0] == (0, 603)


def test_glued_heading_goes_on_to_its_last_line() -> None:
    _, paragraphs, tree = _glued(_DINGXI)
    assert [(s.start_line, s.marker, s.heading) for s in tree if s.level == 1] == [
        (13, "一、", "总体目标"),
        (19, "二、", "推进生产体系绿色升级"),
        (58, "三、", "完善绿色循环流通体系"),
    ]
    head = next(p for p in paragraphs if p.text.startswith("三、"))
    assert (head.text, head.offsets) == ("三、完善绿色循环流通体系", ((0, 58), (2, 59)))


def test_glued_heading_does_not_take_a_marked_line() -> None:
    _, _, tree = _glued(_SHENZHEN)
    assert _outline(tree) == [
        (186, 252, 1, "（一）", "近零碳排放区域试点"),
        (252, 254, 1, "（二）", "近零碳排放园区试点"),
        (253, 254, 2, "1．", "申报主体"),
    ]


@pytest.mark.parametrize(
    ("rows", "markers"),
    [
        # no space before "一、", and the paragraph goes on: a sentence, not a heading
        pytest.param(_INNER_MONGOLIA, [], id="一、二类城市-66-line-165"),
        # the heading's words run into a sentence on the same line
        pytest.param(_EQUIPMENT, ["一、", "（一）", "（二）", "二、", "（三）", "（四）",
                                 "（五）", "三、", "（六）"], id="run-in-（七）-28-line-107"),
        # "十二、" is not the item the outline expects
        pytest.param(_SHANGHAI, ["一、"], id="not-expected-十二、-578-line-169"),
    ],
)
def test_text_that_is_no_glued_heading_stays_whole(rows: list[Row], markers: list[str]) -> None:
    joined, paragraphs, tree = _glued(rows)
    assert [s.marker for s in tree] == markers
    assert paragraphs == joined


def test_a_box_item_with_a_leading_zero_is_no_clause_chapter() -> None:
    # 564、内蒙古自治区“十四五”可再生能源发展规划.pdf line 293, in 专栏 2
    assert sections.CLAUSE_CHAPTER_RE.match("01 蒙西新能源基地") is None
    assert sections.CLAUSE_CHAPTER_RE.match("1总则") is not None
