"""Tests for loaders.targets: quantitative targets and dated milestones."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from policykg.loaders.documents import LoadedDocuments
from policykg.loaders.lines import clean_lines, join_paragraphs
from policykg.loaders.targets import find_targets, parse_targets, title_year
from policykg.records import DocKind, Document, Paragraph, Section, SourceLine

FIXTURES = Path(__file__).resolve().parent.parent / "data" / "fixtures"


def _paragraphs(name: str, first_line: int) -> tuple[Paragraph, ...]:
    """Join a fixture excerpt into paragraphs numbered by its compilation lines."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    cleaned = clean_lines(text, name)
    shifted = [
        SourceLine(number=line.number + first_line - 1, text=line.text) for line in cleaned.lines
    ]
    return tuple(join_paragraphs(shifted))


def _document(
    name: str,
    first_line: int,
    doc_id: str = "p2-1.3",
    *,
    title: str = "excerpt",
    year: int | None = None,
    kind: DocKind = DocKind.CENTRAL_POLICY,
) -> Document:
    """A document holding a fixture excerpt (title and year as printed, when given)."""
    paragraphs = _paragraphs(name, first_line)
    return Document(
        id=doc_id,
        part=2,
        chapter=None,
        seq="1.3",
        kind=kind,
        title=title,
        doc_number=None,
        date=None,
        date_source=None,
        year=year,
        issuers=(),
        url=None,
        start_line=paragraphs[0].start_line,
        end_line=paragraphs[-1].end_line,
        file="compilation-2022.txt",
        paragraphs=paragraphs,
    )


def _fields(text: str) -> list[tuple[object, ...]]:
    found, _ = parse_targets(text)
    return [
        (t.indicator, t.value, t.value_max, t.unit, str(t.direction), t.approx, t.year, t.base_year)
        for t in found
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "到 2025年，非化石能源消费比重达到 20%左右，"
            "单位国内生产总值能源消耗比 2020年下降 13.5%",
            [
                ("非化石能源消费比重", 20.0, None, "%", "reach", True, 2025, None),
                ("单位国内生产总值能源消耗", 13.5, None, "%", "reduce_by", False, 2025, 2020),
            ],
            id="左右-and-base-year-line-4613",
        ),
        pytest.param(
            "到 2030年，非化石能源消费比重达到 25%左右，风电、太阳能发电总装机容量达到"
            "12亿千瓦以上",
            [
                ("非化石能源消费比重", 25.0, None, "%", "reach", True, 2030, None),
                ("风电、太阳能发电总装机容量", 12.0, None, "亿千瓦", "at_least", False, 2030, None),
            ],
            id="亿千瓦-unit-以上-line-4687",
        ),
        pytest.param(
            "到 2030年，城区常住人口 100万以上的城市绿色出行比例不低于 70%。",
            [("城区常住人口100万以上的城市绿色出行比例", 70.0, None, "%", "at_least", False, 2030,
              None)],
            id="不低于-line-5042",
        ),
        pytest.param(
            "到 2025年，国内原油一次加工能力控制在 10亿吨以内",
            [("国内原油一次加工能力", 10.0, None, "亿吨", "at_most", False, 2025, None)],
            id="控制在-以内-line-4902",
        ),
        pytest.param(
            "到 2025年，溶剂型工业涂料、油墨使用比例分别降低 20个百分点、10个百分点",
            [
                ("溶剂型工业涂料", 20.0, None, "个百分点", "reduce_by", False, 2025, None),
                ("油墨使用比例", 10.0, None, "个百分点", "reduce_by", False, 2025, None),
            ],
            id="分别-list-line-6202",
        ),
        pytest.param(
            "“十四五”期间改造规模不低于 3.5 亿千瓦。",
            [("改造规模", 3.5, None, "亿千瓦", "at_least", False, 2025, None)],
            id="十四五-is-a-period-not-a-number-line-9485",
        ),
        pytest.param(
            "打造 3-5家面向行业的特色专业型工业互联网平台",
            [("面向行业的特色专业型工业互联网平台", 3.0, 5.0, "家", "reach", False, None, None)],
            id="range-line-22238",
        ),
        pytest.param(
            "选择 100个具有典型代表性的城市和园区开展碳达峰试点建设",
            [("具有典型代表性的城市和园区", 100.0, None, "个", "reach", False, None, None)],
            id="count-line-5365",
        ),
        pytest.param(
            "全国实现培训人次达100万以上。",
            [("培训人次", 1_000_000.0, None, None, "at_least", False, None, None)],
            id="万-multiplier-line-28071",
        ),
        pytest.param(
            "力争 2042年碳排放量较峰值降低 50%",
            [("碳排放量较峰值", 50.0, None, "%", "reduce_by", False, 2042, None)],
            id="力争-year-line-43382",
        ),
        pytest.param(
            "以 2020年为基准，2035年降低碳排放 30%至每吨钢 1.3吨",
            [
                ("碳排放", 30.0, None, "%", "reduce_by", False, 2035, 2020),
                ("吨钢碳排放", 1.3, None, "吨", "reduce_to", False, 2035, None),
            ],
            id="以-2020年为基准-and-level-line-42861",
        ),
        pytest.param(
            "2030年前价值链碳排放强度减半，做强绿色价值链(范围 3)",
            [("价值链碳排放强度", 50.0, None, "%", "reduce_by", False, 2030, None)],
            id="减半-in-words-line-43693",
        ),
        pytest.param(
            "二氧化碳排放力争于2030年前达到峰值，努力争取2060年前实现碳中和。",
            [
                ("二氧化碳排放达峰", None, None, None, "milestone", False, 2030, None),
                ("碳中和", None, None, None, "milestone", False, 2060, None),
            ],
            id="milestones-line-4049",
        ),
        pytest.param(
            "（三）发展目标。2025年前，开展“风光储+氢”“源网荷储+氢”等绿氢制备示范项目 15个以上，"
            "绿氢制备能力超过 50万吨/年；",
            [
                ("绿氢制备示范项目", 15.0, None, "个", "at_least", False, 2025, None),
                ("绿氢制备能力", 50.0, None, "万吨/年", "at_least", False, 2025, None),
            ],
            id="indicator-after-开展-quoted-examples-dropped-line-39010",
        ),
        pytest.param(
            "经过十余年发展，南方五省区新能源装机发展到目前 5000万千瓦的规模，2030年将达到 2.5亿千"
            "瓦，增加近 4倍，能源供给将更加清洁低碳，打造清洁低碳电网典范。",
            [
                ("南方五省区新能源装机", 2.5, None, "亿千瓦", "reach", False, 2030, None),
                ("南方五省区新能源装机", 4.0, None, "倍", "increase_by", True, 2030, None),
            ],
            id="subject-of-the-clause-before-and-年将达到-line-41798",
        ),
        pytest.param(
            "《报告》指出，阿里巴巴面向未来提出三大目标：不晚于 2030年实现自身运营碳中和(范围 1 和"
            " 2);不晚于 2030 年实现上下游价值链碳排放强度减半",
            [
                ("碳中和", None, None, None, "milestone", False, 2030, None),
                ("上下游价值链碳排放强度", 50.0, None, "%", "reduce_by", False, 2030, None),
            ],
            id="half-width-semicolon-ends-a-sentence-不晚于-line-43633",
        ),
        pytest.param(
            "有条件的地区 2025年前实现公共机构碳达峰、全国公共机构碳排放总量 2030年前尽早达峰。",
            [
                ("公共机构碳达峰", None, None, None, "milestone", False, 2025, None),
                ("公共机构碳排放总量达峰", None, None, None, "milestone", False, 2030, None),
            ],
            id="two-milestones-one-clause-line-27561",
        ),
    ],
)
def test_parse_targets(text: str, expected: list[tuple[object, ...]]) -> None:
    assert _fields(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "将年综合能耗超过 1 万吨标准煤的数据中心全部纳入重点用能单位", id="threshold-的"
        ),
        pytest.param(
            "目前我国发电和供热行业二氧化碳排放量占全国排放量的比重超过40%", id="fact-目前"
        ),
        pytest.param("迄今已提供超过17亿剂，包括向110多个国家提供无偿捐赠", id="fact-迄今已"),
        pytest.param("为实现碳达峰、碳中和奠定坚实基础。", id="purpose-not-milestone"),
        pytest.param("编制《园区碳达峰碳中和实施路径专项报告》", id="碳达峰碳中和-as-a-name"),
        pytest.param("设置合理过渡期（不超过3年）", id="no-unit-no-target"),
        pytest.param(
            "过去10年，森林资源增长面积超过7000万公顷，居全球首位。", id="fact-过去-line-380"
        ),
        pytest.param(
            "中国经济总体发展势头良好，去年中国国内生产总值增长8%左右，实现了较高增长和较低通胀的双"
            "重目标。",
            id="fact-去年-line-2350",
        ),
        pytest.param(
            "我们坚持交通先行，建成了全球最大的高速铁路网、高速公路网、世界级港口群，航空航海通达"
            "全球，综合交通网突破600万公里。",
            id="fact-建成了-line-1975",
        ),
        pytest.param(
            "世界银行预测，2020年全球人均收入将下降3.6%，8800万至1.15亿人将因疫情陷入极端贫困。",
            id="forecast-预测-line-656",
        ),
        pytest.param(
            "建设一个十几平方公里的光伏电厂，由光伏电厂发绿电，进行全废钢电炉冶炼和薄带连铸轧制。",
            id="一个-is-an-article-line-43224",
        ),
        pytest.param(
            "共同建设一个持久和平、普遍安全、共同繁荣、开放包容、清洁美丽的世界，推动构建人类命运"
            "共同体！",
            id="一个-is-an-article-line-2006",
        ),
    ],
)
def test_not_a_target(text: str) -> None:
    assert _fields(text) == []


def test_main_goals_of_the_1_plus_n_opinion() -> None:
    doc = _document("targets_main_goals_1n.txt", 4084)
    targets, problems = find_targets(doc)
    got = [(t.line, t.indicator, t.value, t.year) for t in targets]
    assert got[:6] == [
        (4088, "单位国内生产总值能耗", 13.5, 2025),
        (4090, "单位国内生产总值二氧化碳排放", 18.0, 2025),
        (4092, "非化石能源消费比重", 20.0, 2025),
        (4092, "森林覆盖率", 24.1, 2025),
        (4092, "森林蓄积量", 180.0, 2025),
        (4099, "单位国内生产总值二氧化碳排放", 65.0, 2030),
    ]
    # the 2030 peak is placed on the line of its year (4096), the 2060 target on 4111
    assert (4096, "二氧化碳排放量达峰", None, 2030) in got
    assert (4111, "非化石能源消费比重", 80.0, 2060) in got
    assert [t.id for t in targets] == [f"p2-1.3-g{i}" for i in range(1, len(targets) + 1)]
    assert targets[0].base_year == 2020
    assert problems == []


def test_year_carried_over_a_paragraph_cut_mid_sentence() -> None:
    doc = _document("targets_main_goals_1n.txt", 4084)
    # the loader may cut "到 2025年，…重点行业" (line 4086) from its sentence: the year carries
    assert any(p.text.startswith(("到2025年", "到 2025年")) for p in doc.paragraphs)
    targets, _ = find_targets(doc)
    assert {t.year for t in targets if t.line <= 4094} == {2025}


def test_lead_years_and_approx() -> None:
    doc = _document("targets_lead_years_ningxia.txt", 40424)
    targets, _ = find_targets(doc)
    by_value = {t.value: t for t in targets}
    assert by_value[6.5].year == 2022
    assert by_value[9.6].year == 2023
    assert by_value[9.6].base_year == 2020
    assert by_value[9.6].approx
    assert by_value[8393.0].unit == "万吨标准煤"
    assert str(by_value[8393.0].direction) == "at_most"


def test_one_number_for_two_indicators() -> None:
    doc = _document("targets_shared_indicator.txt", 41134)
    targets, _ = find_targets(doc)
    nineties = [(t.indicator, str(t.direction)) for t in targets if t.value == 90.0]
    assert nineties == [
        ("秸秆综合利用率", "reach"),
        ("农用残膜回收率", "reach"),
        ("畜禽粪污综合利用率", "at_least"),
    ]


def test_target_record_json_contract() -> None:
    doc = _document("targets_main_goals_1n.txt", 4084)
    target = find_targets(doc)[0][0]
    assert list(target.to_json()) == [
        "id", "doc_id", "indicator", "value", "unit", "direction", "approx", "year",
        "base_year", "text", "line",
    ]
    assert dataclasses.replace(target, value_max=None) == target


@pytest.mark.slow
def test_every_document_of_the_compilation(compilation_docs: LoadedDocuments) -> None:
    targets = []
    for doc in compilation_docs.documents:
        found, _ = find_targets(doc)
        assert all(doc.start_line <= t.line <= doc.end_line for t in found), doc.id
        targets += found
    ids = [t.id for t in targets]
    assert len(ids) == len(set(ids))
    assert len(targets) > 400
    milestones = [t for t in targets if str(t.direction) == "milestone"]
    assert all(t.value is None and t.year is not None for t in milestones)


def test_indicator_from_the_clause_before_a_period() -> None:
    # 9602-9604: "存量煤电机组灵活性改造应改尽改，“十四五”期间完成 2 亿千瓦" (over a page break)
    doc = _document("targets_subject_before_period.txt", 9594, "p3-c1-1.8")
    targets, _ = find_targets(doc)
    got = [(t.line, t.indicator, t.value, t.unit, t.year) for t in targets]
    assert (9604, "存量煤电机组灵活性改造", 2.0, "亿千瓦", 2025) in got
    assert all(t.indicator for t in targets)


def test_a_past_year_opening_a_sentence_is_a_fact() -> None:
    # 9497-9501: "2020 年全国…供电煤耗为 305.5克标准煤/千瓦时，比 2015 年下降 9.9 克/千瓦时" in a
    # notice of 2021 (1.8 关于开展全国煤电机组改造升级的通知, signed 2021-10-29)
    doc = _document("targets_past_year_fact.txt", 9494, "p3-c1-1.8", year=2021)
    assert find_targets(doc)[0] == []
    # the same words in a text of 2020 or without a date are left as they were read
    undated = _document("targets_past_year_fact.txt", 9494, "p3-c1-1.8")
    assert [t.value for t in find_targets(undated)[0]] == [9.9, 27.5, 64.5]


def _pdf_document(
    paragraphs: list[tuple[int, str]],
    *,
    title: str = "excerpt",
    year: int | None = None,
    sections: tuple[tuple[int, int, str], ...] = (),
) -> Document:
    """A document of the dev corpus: sentences as the PDF's text gives them, each a paragraph on
    its source line, and its sections (start line, end line, heading)."""
    paras = tuple(Paragraph(text=text, start_line=line, end_line=line, offsets=((0, line),))
                  for line, text in paragraphs)
    return Document(
        id="d", part=None, chapter=None, seq=None, kind=DocKind.LOCAL_POLICY, title=title,
        doc_number=None, date=None, date_source=None, year=year, issuers=(), url=None,
        start_line=paras[0].start_line, end_line=paras[-1].end_line, file="d.pdf",
        paragraphs=paras,
        sections=tuple(
            Section(id=f"d/s{i}", doc_id="d", marker="", level=1, heading=heading,
                    path=(heading,), start_line=a, end_line=b)
            for i, (a, b, heading) in enumerate(sections, 1)),
    )


@pytest.mark.parametrize(
    ("text", "year"),
    [
        pytest.param(
            "“十三五”期间，严寒寒冷地区城镇新建居住建筑节能达到75%，累计建设完成超低、近零能耗建筑"
            "面积近0.1亿平方米，完成既有居住建筑节能改造面积5.14亿平方米、公共建筑节能改造面积1.85"
            "亿平方米，城镇建筑可再生能源替代率达到6%。",
            2022,
            id="十三五期间-171-line-25",
        ),
        pytest.param(
            "5年来，全省累计建成绿色建筑面积4.43亿平方米，新建、改造节能建筑面积8.13亿平方米，推广"
            "可再生能源建筑应用面积3.08亿平方米。",
            2022,
            id="5年来-338-line-53",
        ),
        pytest.param(
            "“十三五”以来，我国循环经济发展取得积极成效，2020年主要资源产出率1比2015年提高了约26%，"
            "单位国内生产总值（GDP）能源消耗继续大幅下降，单位 GDP 用水量累计降低28%。",
            2021,
            id="十三五以来-line-7172",
        ),
        pytest.param(
            "过去五年，全球新增发电装机中可再生能源约占70%，全球新增发电量中可再生能源约占60%。",
            2021,
            id="过去五年-332-line-141",
        ),
        pytest.param(
            "近年来，天津大力发展绿色清洁能源，清洁低碳转型取得显著成效，但煤电仍占主导地位，装机比"
            "重高于60%；",
            2021,
            id="近年来-213-line-67",
        ),
        pytest.param(
            "大气环境质量持续领跑先行，2020年，全省空气质量优良率达到92.5%，空气质量6项污染物连续6"
            "年全面稳定达标，PM2.5浓度下降到22微克/立方米，优于世界卫生组织过渡期第二阶段目标值，较"
            "2015年下降30.3%。",
            2021,
            id="a-clause-led-by-a-past-year-540-line-133",
        ),
        pytest.param(
            "深入开展国土绿化行动，加强天然林保护修复，全面停止天然林商业性采伐，加大公益林补偿力度，"
            "2020年中央和省财政对省级以上公益林补偿标准达到平均每亩40元（位居全国前列），全省完成人"
            "工造林2.7万公顷、中幼龄林抚育41.77万公顷，全省森林覆盖率达58.66%。",
            2021,
            id="a-past-year-earlier-in-the-sentence-540-line-127",
        ),
        pytest.param(
            "截至2020年底，巴中市建成城市污水处理厂8个，处理能力达27.99万立方米/日，污水管道长度约"
            "800千米，污水处理厂集中处理率达95.92%。",
            2021,
            id="截至a-past-year-125-line-170",
        ),
    ],
)
def test_achievements_of_the_past_are_facts(text: str, year: int) -> None:
    assert find_targets(_pdf_document([(10, text)], year=year))[0] == []
    # the year of the document tells the past: in a plan of 2020 or without a date, 2020 and
    # “十三五” are still to come (以来, 年来, 过去 are past whatever the date)
    if "以来" not in text and "年来" not in text and "过去" not in text:
        assert find_targets(_pdf_document([(10, text)], year=2020))[0] != []


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        pytest.param(
            "“十四五”期间，累计完成既有公共建筑节能改造2.5亿平方米以上。",
            2022,
            [(2.5, "亿平方米", 2025)],
            id="十四五期间累计完成-171-line-206",
        ),
        pytest.param(
            "到2025年，全省累计建成高标准农田2670万亩，农药化肥利用率稳定在40%以上，全省畜禽粪污综合"
            "利用率达到80%以上。",
            2021,
            [(2670.0, "万亩", 2025), (40.0, "%", 2025), (80.0, "%", 2025)],
            id="到2025年累计建成-540-line-668",
        ),
        pytest.param(
            "开展氨排放来源研究和污染治理，大型规模化养殖场氨排放总量比2020年下降5%。",
            2022,
            [(5.0, "%", None)],
            id="a-past-base-year-is-no-past-348-line-87",
        ),
        pytest.param(
            "相比2020年，规模以上工业单位增加值能耗下降13.5%（以市政府下达目标为准）；",
            2021,
            [(13.5, "%", None)],
            id="a-clause-opened-by-a-base-year-200-line-85",
        ),
        pytest.param(
            "新建建筑能效比“十三五”期间提高20%。",
            2022,
            [(20.0, "%", None)],
            id="a-past-plan-as-a-base",
        ),
    ],
)
def test_promises_worded_like_achievements_stay(
    text: str, year: int, expected: list[tuple[object, ...]]
) -> None:
    targets, _ = find_targets(_pdf_document([(10, text)], year=year))
    assert [(t.value, t.unit, t.year) for t in targets] == expected


def test_a_section_reviewing_the_past_holds_facts() -> None:
    # 151 湖北省林业发展“十四五”规划 (no date: a “十四五” plan is of 2021 at the earliest)
    review = ("建成国家级森林城市11个、森林乡村369个和省级森林城市36个、森林城镇214个、绿色乡村5560"
              "个，有效改善了城乡生态环境和人居环境。")
    goal = "1.森林覆盖率达到42.5%；"
    sections = ((6, 69, "第一章湖北林业“十三五”发展回顾"), (16, 22, "一、国土绿化成效显著"),
                (158, 175, "三、发展目标"))
    doc = _pdf_document([(20, review), (168, goal)], title="湖北省林业发展“十四五”规划",
                        sections=sections)
    assert [(t.line, t.value) for t in find_targets(doc)[0]] == [(168, 42.5)]
    # a review's span that holds a section of goals is not trusted (200 上海: "一、发展基础和面临
    # 形势", lines 7-246, holds "（三）发展目标", 81-146)
    wide = ((7, 246, "一、发展基础和面临形势"), (81, 146, "（三）发展目标"))
    doc = _pdf_document([(20, review), (85, "相比2020年，规模以上工业单位增加值能耗下降13.5%"
                                            "（以市政府下达目标为准）；")],
                        title="上海市产业绿色发展“十四五”规划", sections=wide)
    assert [t.line for t in find_targets(doc)[0]] == [20, 20, 20, 20, 20, 85]
    # a review's own part that names a task done is no section of goals (431 乌海, lines 12-141)
    done = ((12, 141, "第一节取得的成效"), (120, 123, "六、中央生态环保督察整改任务全面完成"))
    doc = _pdf_document([(22, "完成工业炉窑治理项目240个。")],
                        title="乌海市“十四五”生态环境保护规划", sections=done)
    assert find_targets(doc)[0] == []
    # nor one in which a quantity is promised for the document's year or later
    promised = (20, "到2025年，森林覆盖率达到42.5%。")
    doc = _pdf_document([promised, (21, review)], title="湖北省林业发展“十四五”规划",
                        sections=((6, 69, "第一章湖北林业“十三五”发展回顾"),))
    assert [t.line for t in find_targets(doc)[0]] == [20, 21, 21, 21, 21, 21]
    # a task's heading reviews nothing: "（三）巩固提升治理成效"
    doc = _pdf_document([(20, review)], title="湖北省林业发展“十四五”规划",
                        sections=((6, 69, "（三）巩固提升治理成效"),))
    assert len(find_targets(doc)[0]) == 5


def test_year_from_the_title() -> None:
    # 2.3 《2022年能源工作指导意见》 (line 15220): its 主要目标 (15285-15304) print no year
    doc = _document("targets_title_year_energy.txt", 15285, "p3-c2-2.3",
                    title="2022年能源工作指导意见", kind=DocKind.MINISTRY_POLICY)
    targets, _ = find_targets(doc)
    got = {(t.line, t.value): t.year for t in targets}
    assert got[(15301, 17.3)] == 2022  # 非化石能源占能源消费总量比重提高到 17.3%左右
    assert got[(15289, 44.1)] == 2022
    assert set(got.values()) == {2022}
    untitled = _document("targets_title_year_energy.txt", 15285, "p3-c2-2.3",
                         kind=DocKind.MINISTRY_POLICY)
    assert {t.year for t in find_targets(untitled)[0]} == {None}


@pytest.mark.parametrize(
    ("title", "kind", "expected"),
    [
        pytest.param("2022年能源工作指导意见", DocKind.MINISTRY_POLICY, 2022, id="line-15220"),
        pytest.param("关于 2022年公共机构能源资源节约和生态环境保护工作安排的通知",
                     DocKind.MINISTRY_POLICY, 2022, id="spaced-line-27869"),
        pytest.param("省生态环境厅2022年推动碳达峰碳中和工作计划", DocKind.LOCAL_POLICY, 2022,
                     id="工作计划-line-33205"),
        pytest.param("2030年前碳达峰行动方案", DocKind.CENTRAL_POLICY, None,
                     id="deadline-line-4544"),
        pytest.param("关于发布《高耗能行业重点领域节能降碳改造升级实施指南（2022年版）》的通知",
                     DocKind.MINISTRY_POLICY, None, id="edition-line-11813"),
        pytest.param("宁夏回族自治区能耗双控三年行动计划（2021-2023年）", DocKind.LOCAL_POLICY,
                     None, id="period-line-40381"),
        pytest.param("环保装备制造业高质量发展行动计划（2022−2025年）", DocKind.MINISTRY_POLICY,
                     None, id="period-minus-sign-line-20782"),
        pytest.param("坚定信心 勇毅前行共创后疫情时代美好世界——在 2022年世界经济论坛视频会议的演讲",
                     DocKind.SPEECH, None, id="speech-event-line-2142"),
    ],
)
def test_title_year(title: str, kind: DocKind, expected: int | None) -> None:
    doc = _document("targets_title_year_energy.txt", 15285, title=title, kind=kind)
    assert title_year(doc) == expected


def test_text_is_the_printed_sentence() -> None:
    doc = _document("targets_main_goals_1n.txt", 4084)
    targets, _ = find_targets(doc)
    printed = "".join(p.text for p in doc.paragraphs)
    for t in targets:
        assert t.text in printed, t.text
        assert t.text.count("。") <= 1
        assert "；" not in t.text.rstrip("。；")
    # full-width as printed (line 4092 "非化石能源消费比重达到 20%左右，森林覆盖率…"), not ","
    assert any("，" in t.text for t in targets)
    assert not any("," in t.text for t in targets)


@pytest.mark.slow
def test_targets_of_the_speeches_repeat_in_their_own_sentences(
    compilation_docs: LoadedDocuments,
) -> None:
    docs = [d for d in compilation_docs.documents if d.kind is DocKind.SPEECH]
    first = [t for d in docs for t in find_targets(d)[0]]
    again = [t for d in docs for t in find_targets(d)[0]]
    assert first == again  # stable ids and records, run after run
    assert len({t.id for t in first}) == len(first)
    # 二氧化碳排放力争于2030年前达到峰值、2060年前实现碳中和 is printed in most speeches, and kept
    peak_docs = {t.doc_id for t in first if t.direction == "milestone" and t.year == 2030}
    neutral_docs = {t.doc_id for t in first if t.direction == "milestone" and t.year == 2060}
    assert len(peak_docs) >= 10
    assert len(neutral_docs) >= 10
    by_id = {d.id: d for d in docs}
    for t in first:
        paragraphs = [p for p in by_id[t.doc_id].paragraphs if t.text in p.text]
        assert paragraphs, t  # the sentence as printed in its document
        assert any(p.start_line <= t.line <= p.end_line for p in paragraphs), t
        inner = t.text[:-1]
        assert not any(ch in inner for ch in "。！？；!?;"), t.text


def _milestone(indicator: str, year: int) -> tuple[object, ...]:
    """The fields of a dated qualitative milestone (no value)."""
    return (indicator, None, None, None, "milestone", False, year, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "我国实现2030年前碳排放达峰和努力争取 2060年前碳中和的目标任务艰巨，需要进一步加快发展"
            "风电、光伏发电、生物质发电等可再生能源。",
            [_milestone("碳排放达峰", 2030), _milestone("碳中和", 2060)],
            id="two-milestones-的目标任务-line-6536",
        ),
        pytest.param(
            "一、高度重视。我国力争实现 2030 年前碳达峰和努力争取 2060年前碳中和的目标，对优化能源"
            "结构和煤炭清洁高效利用提出了更高要求。",
            [_milestone("碳达峰", 2030), _milestone("碳中和", 2060)],
            id="two-milestones-spaced-year-line-9417",
        ),
        pytest.param(
            "未来我国实现 2030年前碳达峰和努力争取 2060年前碳中和的目标任务艰巨，需要付出艰苦卓绝的"
            "努力。",
            [_milestone("碳达峰", 2030), _milestone("碳中和", 2060)],
            id="two-milestones-实现-year-term-line-8106",
        ),
        pytest.param(
            "将可再生能源发展、并网、消纳同步研究、同步推进，确保 2030年前碳达峰、2060年前碳中和"
            "目标如期实现。",
            [_milestone("碳达峰", 2030), _milestone("碳中和", 2060)],
            id="two-milestones-、-目标如期实现-line-8116",
        ),
        pytest.param(
            "单位国内生产总值二氧化碳排放比 2005年下降 65%以上，顺利实现 2030年前碳达峰目标。",
            [
                ("单位国内生产总值二氧化碳排放", 65.0, None, "%", "reduce_by", False, None, 2005),
                _milestone("碳达峰", 2030),
            ],
            id="实现-year-term-目标-line-4630",
        ),
        pytest.param(
            "水资源消耗强度降低 10%以上，确保 2030年前碳达峰。",
            [
                ("水资源消耗强度", 10.0, None, "%", "reduce_by", False, None, None),
                _milestone("碳达峰", 2030),
            ],
            id="确保-year-term-line-21350",
        ),
        pytest.param(
            "初步测算，到 2023年将实现国家电投在国内的‘碳达峰’。”这是国内能源央企首家明确公布"
            "“碳达峰”时间表。",
            [_milestone("国家电投国内碳达峰", 2023)],
            id="single-quoted-term-line-42100",
        ),
        pytest.param(
            "2020年 9月 22日，习近平主席代表中国向世界作出了“2030年碳达峰、2060年碳中和”的承诺。",
            [_milestone("碳达峰", 2030), _milestone("碳中和", 2060)],
            id="double-quoted-pair-的承诺-line-42814",
        ),
        pytest.param(
            # the compilation prints no 「」: line 42100 with its ‘’ written as corner quotes
            "初步测算，到 2023年将实现国家电投在国内的「碳达峰」。",
            [_milestone("国家电投国内碳达峰", 2023)],
            id="corner-quotes-for-the-‘’-of-line-42100",
        ),
    ],
)
def test_dated_milestones(text: str, expected: list[tuple[object, ...]]) -> None:
    assert _fields(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("印发《2030年前碳达峰行动方案》", id="title-2030年前碳达峰行动方案-line-4544"),
        pytest.param("为实现 2030年前碳达峰目标提供有力支撑。", id="purpose-为-year-term-目标"),
        pytest.param(
            "国家电网将以“碳达峰”为基础前提，“碳中和”为最终目标，加快推进能源供给多元化清洁化低碳化。",
            id="quoted-terms-without-a-year-line-41673",
        ),
        pytest.param("这是国内能源央企首家明确公布“碳达峰”时间表。", id="quoted-时间表-line-42100"),
    ],
)
def test_not_a_milestone(text: str) -> None:
    assert _fields(text) == []


def test_two_milestones_of_a_wrapped_sentence_are_placed_on_their_year() -> None:
    doc = _document("targets_two_milestones_spaced_years.txt", 9417, "p3-c1-1.8")
    targets, _ = find_targets(doc)
    got = [(t.line, t.indicator, t.direction.value, t.year) for t in targets]
    # "2060" ends line 9417 and "年前碳中和" opens 9419: the year's line holds both
    assert got == [(9417, "碳达峰", "milestone", 2030), (9417, "碳中和", "milestone", 2060)]


def test_a_quoted_milestone_is_placed_on_its_year() -> None:
    doc = _document("targets_quoted_milestone.txt", 42094, "p5-c1-1.6", year=2021)
    targets, _ = find_targets(doc)
    got = [(t.line, t.indicator, t.value, t.year) for t in targets]
    # the year is on 42098, ‘碳达峰’ on 42100; “碳达峰”时间表 (42100) and 2035一流战略 are none
    assert got == [(42098, "国家电投国内碳达峰", None, 2023)]


def _named(text: str) -> list[tuple[object, ...]]:
    """The indicator, value, unit and direction of each target of a paragraph."""
    return [(t.indicator, t.value, t.unit, str(t.direction)) for t in parse_targets(text)[0]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "到2025年，各区分别建成1个近零碳试点园区、3个近零碳试点机关、5个近零碳试点社区、"
            "5家近零碳试点学校以及10家近零碳试点企业。",
            [
                ("近零碳试点园区", 1.0, "个", "reach"),
                ("近零碳试点机关", 3.0, "个", "reach"),
                ("近零碳试点社区", 5.0, "个", "reach"),
                ("近零碳试点学校", 5.0, "家", "reach"),
                ("近零碳试点企业", 10.0, "家", "reach"),
            ],
            id="counts-each-with-its-noun-113-武汉",
        ),
        pytest.param(
            "到2025年，城市生活垃圾焚烧处理能力占比65%以上、城市生活垃圾资源化利用率达60%。",
            [
                ("城市生活垃圾焚烧处理能力占比", 65.0, "%", "at_least"),
                ("城市生活垃圾资源化利用率", 60.0, "%", "reach"),
            ],
            id="indicator-starts-after-the-quantity-before-234-梧州",
        ),
        pytest.param(
            "推进农业与旅游、教育、文化、健康等产业深度融合，“十四五”期间力争建成10个国家级、"
            "100个省级农村产业融合示范园。",
            [
                ("国家级农村产业融合示范园", 10.0, "个", "reach"),
                ("省级农村产业融合示范园", 100.0, "个", "reach"),
            ],
            id="levels-share-their-noun-106-陕西",
        ),
        pytest.param(
            "到2025年，全市规划建设8个500千伏、50个220千伏输变电项目，电网安全负荷提升至2260万千瓦。",
            [
                ("500千伏输变电项目", 8.0, "个", "reach"),
                ("220千伏输变电项目", 50.0, "个", "reach"),
                ("电网安全负荷", 2260.0, "万千瓦", "increase_to"),
            ],
            id="ratings-share-their-noun-186-成都",
        ),
        pytest.param(
            "完成5.3亿吨钢铁产能超低排放改造、4.6亿吨焦化产能清洁生产改造。",
            [
                ("钢铁产能超低排放改造", 5.3, "亿吨", "reach"),
                ("焦化产能清洁生产改造", 4.6, "亿吨", "reach"),
            ],
            id="measured-list-line-10028",
        ),
        pytest.param(
            "到2025年，力争实现4项以上基础前沿重大创新。",
            [("基础前沿重大创新", 4.0, "项", "at_least")],
            id="noun-after-the-count-105-浙江",
        ),
        pytest.param(
            "到2025年，力争80%以上党政机关建成节约型机关。",
            [("党政机关建成节约型机关", 80.0, "%", "at_least")],
            id="noun-after-the-share-214-天津",
        ),
        pytest.param(
            '建设10家左右以"率先实现碳达峰碳中和，推动区域绿色低碳循环发展"为主题的省级可持续'
            "发展创新示范区，建设10家左右绿色低碳高新区。",
            [
                ("省级可持续发展创新示范区", 10.0, "家", "reach"),
                ("绿色低碳高新区", 10.0, "家", "reach"),
            ],
            id="comma-in-quotes-and-theme-105-浙江",
        ),
        pytest.param(
            "到2024年，新增30家省级绿色低碳工业园区。",
            [("省级绿色低碳工业园区", 30.0, "家", "increase_by")],
            id="新增-count-noun-after-484-浙江",
        ),
        pytest.param(
            "到2025年，全省公共机构实施超过150个合同能源管理项目。",
            [("合同能源管理项目", 150.0, "个", "at_least")],
            id="gap-of-no-words-485-安徽",
        ),
        pytest.param(
            "到2025年，城市生活污水集中收集率不低于70%，或较2020年提高5个百分点以上。",
            [
                ("城市生活污水集中收集率", 70.0, "%", "at_least"),
                ("城市生活污水集中收集率", 5.0, "个百分点", "increase_by"),
            ],
            id="或-takes-the-previous-indicator-27-长江",
        ),
        pytest.param(
            "企业上年度的研发投入占主营业务收入的比例达到或超过2%。",
            [("企业上年度的研发投入占主营业务收入的比例", 2.0, "%", "at_least")],
            id="达到或超过-288-安徽",
        ),
        pytest.param(
            "支持项目数：不超过2项。",
            [("支持项目数", 2.0, "项", "at_most")],
            id="label-before-a-colon-269-苏州",
        ),
    ],
)
def test_indicators_of_lists_counts_and_labels(
    text: str, expected: list[tuple[object, ...]]
) -> None:
    assert _named(text) == expected


def test_a_quoted_declaration_keeps_its_clauses_and_its_subject() -> None:
    # a quote with a number is reported speech: its clauses are read one by one
    text = "习近平总书记郑重宣布“二氧化碳排放力争于2030年前达到峰值，努力争取2060年前实现碳中和”。"
    assert [(t.indicator, t.year) for t in parse_targets(text)[0]] == [
        ("二氧化碳排放达峰", 2030), ("碳中和", 2060)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "工作目标：2021年，单位生产总值（GDP）综合能耗、单位 GDP 二氧化碳排放量分别比上年下降"
            "1.5%左右；",
            [("单位生产总值（GDP）综合能耗、单位GDP二氧化碳排放量", 1.5, "%", "reduce_by")],
            id="比上年-is-no-part-of-it-129-上海",
        ),
        pytest.param(
            "到2025年，全省可再生能源累计装机达3478万千瓦，相比“十二五”末提高14.6个百分点。",
            [
                ("全省可再生能源累计装机", 3478.0, "万千瓦", "reach"),
                ("全省可再生能源累计装机", 14.6, "个百分点", "increase_by"),
            ],
            id="相比-十二五-末-560-江苏",
        ),
        pytest.param(
            "以上扶持最高不超过300万元。",
            [("扶持", 300.0, "万元", "at_most")],
            id="以上-and-最高-115-徐汇",
        ),
        pytest.param(
            "完成14个县（市、区）节水型社会达标建设的省级认定。",
            [("县（市、区）节水型社会达标建设的省级认定", 14.0, "个", "reach")],
            id="one-character-noun-keeps-its-note-370-云南",
        ),
        pytest.param(
            "培育发展100家工业产品生态（绿色）设计示范企业，制修订100项绿色设计评价标准，"
            "推广万种绿色产品。",
            [("工业产品生态（绿色）设计示范企业", 100.0, "家", "reach")],
            id="a-noun-going-on-after-its-note-keeps-it-line-9979",
        ),
        pytest.param(
            "到2025年，市、县污水处理率达到98%以上，市、县污泥无害化处理率分别达到97%、95%以上。",
            [
                ("市、县污水处理率", 98.0, "%", "at_least"),
                ("市、县污泥无害化处理率", 97.0, "%", "at_least"),
                ("市、县污泥无害化处理率", 95.0, "%", "at_least"),
            ],
            id="no-pairing-with-one-character-names-354-龙岩",
        ),
        pytest.param(
            "星级绿色建筑面积占比达到20%以上（2021年到达10%）。",
            [
                ("星级绿色建筑面积占比", 20.0, "%", "at_least"),
                ("星级绿色建筑面积占比", 10.0, "%", "reach"),
            ],
            id="到达-takes-the-indicator-before-it-517-长沙",
        ),
        pytest.param(
            "加强城市人口密度管控，以人口密度不超过1万人/平方公里为标准（超大特大城市不超过1.2万人/"
            "平方公里、个别城市组团最高不超过1.5万人/平方公里），因地制宜控制城市主城区密度。",
            [
                ("人口密度", 1.0, "万人", "at_most"),
                ("超大特大城市", 1.2, "万人", "at_most"),
                ("个别城市组团", 1.5, "万人", "at_most"),
            ],
            id="以-为标准-and-a-note-27-长江",
        ),
        pytest.param(
            "2022版市工业和信息化局专项资金项目专项审计通用原则和标准（附件2）规定“对经审计核减的"
            "项目支出占项目支出超过20%，视为虚报项目投资额，项目不予资助”。",
            [("经审计核减的项目支出占项目支出", 20.0, "%", "at_least")],
            id="indicator-inside-an-open-quote-310-深圳",
        ),
        pytest.param(
            "住房城乡建设厅牵头研究制定“三绿”宜居低碳示范县城标准，积极开展试点示范和培育工作，"
            "到2025年，培育并验收30个左右“三绿”宜居低碳示范县城，探索可复制可借鉴可推广的建设经验，"
            "为全省绿色低碳县城建设提供示范。",
            [("“三绿”宜居低碳示范县城", 30.0, "个", "reach")],
            id="a-quote-opening-the-indicator-is-kept-352-四川",
        ),
    ],
)
def test_indicators_cleaned_of_bases_notes_and_quotes(
    text: str, expected: list[tuple[object, ...]]
) -> None:
    assert _named(text) == expected


def test_a_milestone_in_a_title_is_none() -> None:
    text = ("（责任部门：气候处，完成期限：6月底）配合省发展改革委制定《全面贯彻新发展理念做好"
            "碳达峰碳中和工作的实施意见》《江苏省2030年前二氧化碳排放达峰方案》。")
    assert _fields(text) == []


def test_xiangdui_names_a_base_year() -> None:
    # 499 青岛市“十四五”应对气候变化规划
    text = "市南区、市北区、李沧区、崂山区单位地区生产总值二氧化碳排放相对2020年降低20.5%。"
    assert [(t.indicator, t.base_year) for t in parse_targets(text)[0]] == [
        ("市南区、市北区、李沧区、崂山区单位地区生产总值二氧化碳排放", 2020)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            # 517 长沙市绿色建筑创建行动实施方案, p. 5 lines 79-82: the 20% is for 2022
            "到2022年，当年城镇新增绿色建筑竣工面积占新增民用建筑竣工面积比例达到70%以上（其"
            "中，2021年达到60%），星级绿色建筑面积占比达到20%以上（2021年到达10%）。",
            [(70.0, 2022), (60.0, 2021), (20.0, 2022), (10.0, 2021)],
            id="year-of-a-note-ends-with-it-517-长沙",
        ),
        pytest.param(
            # 140 包头市深入推进林业草原碳汇三年行动计划 (2021-2023年), line 70
            "通过招商引资加快全市退化林修复、无立木林地再造林、森林抚育、林相改造和国有林场森林"
            "经营进程（2021年完成营造林30万亩以上，完成森林抚育50万亩以上）。",
            [(30.0, 2021), (50.0, 2021)],
            id="a-note-opening-with-a-year-140-包头",
        ),
        pytest.param(
            "到2025年，甲比例达到70%（2023年达到60%）；乙占比达到20%。",
            [(70.0, 2025), (60.0, 2023), (20.0, 2025)],
            id="the-year-before-the-note-holds-in-the-next-sentence",
        ),
        pytest.param(
            "到2025年，项目实施周期为3年（2022—2026年），新增装机达到100万千瓦。",
            [(100.0, 2025)],
            id="a-period-in-a-note-names-no-year-181-江苏",
        ),
    ],
)
def test_a_year_in_a_note_holds_in_the_note_only(
    text: str, expected: list[tuple[float, int]]
) -> None:
    assert [(t.value, t.year) for t in parse_targets(text)[0]] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "以寿光市、济南市章丘区2个畜牧大县为重点，推动畜禽粪污无害化处置与资源化利用，"
            "2025年年底前，流域内畜禽粪污综合利用率稳定在90%以上。",
            [("流域内畜禽粪污综合利用率", 90.0, 2025)],
            id="年年底前-420-山东-line-215",
        ),
        pytest.param(
            "2025年年底前，规模化养殖场畜禽粪污处理设施装备配套率达到100%，畜禽粪污综合利用率稳定在"
            "90%以上。",
            [("规模化养殖场畜禽粪污处理设施装备配套率", 100.0, 2025),
             ("畜禽粪污综合利用率", 90.0, 2025)],
            id="年年底前-opening-420-山东-line-239",
        ),
        pytest.param(
            "2025年底前，规模化养殖场畜禽粪污处理设施装备配套率达到100%。",
            [("规模化养殖场畜禽粪污处理设施装备配套率", 100.0, 2025)],
            id="年底前-as-before",
        ),
        pytest.param(
            "2021年年底前，金能科技退出两台4.3米焦炉，完成80万吨焦化产能淘汰任务。明确钢铁行业限制类"
            "装备分年度退出时间表，2022年底前完成436万吨炼铁产能置换计划，2025年年底前钢铁行业限制类"
            "装备全部退出。",
            [("焦化产能淘汰任务", 80.0, 2021), ("炼铁产能置换计划", 436.0, 2022)],
            id="年底前-inside-a-clause-451-德州-line-443",
        ),
    ],
)
def test_a_deadline_at_a_years_end_gives_its_year(
    text: str, expected: list[tuple[str, float, int]]
) -> None:
    assert [(t.indicator, t.value, t.year) for t in parse_targets(text)[0]] == expected


@pytest.mark.parametrize("quote", ['"', "”", "\uff02"])
def test_a_plan_period_in_any_quote_gives_its_year(quote: str) -> None:
    # 140 包头 p2 line 48: the text layer closes “十四五 with a straight quote
    text = f"“十四五{quote}期间，新增森林面积50万亩，森林覆盖率达到19%。"
    assert [(t.indicator, t.value, t.year) for t in parse_targets(text)[0]] == [
        ("森林面积", 50.0, 2025), ("森林覆盖率", 19.0, 2025)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "培育或引进 50家以上包括 15—20家装备制造核心企业在内的氢能产业链相关企业，"
            "电解槽、储氢瓶、燃料电池等装备的关键材料及部件制造取得技术突破。",
            [("氢能产业链相关企业", 50.0, "家", "at_least")],
            id="second-verb-and-包括-在内的-39022",
        ),
        pytest.param(
            "共建成运营147座生活垃圾处理场（厂）、总处理能力为14.1万吨/日、焚烧处理能力占比达66.7%。",
            [
                ("生活垃圾处理场", 147.0, "座", "reach"),
                ("焚烧处理能力占比", 66.7, "%", "reach"),
            ],
            id="two-verbs-建成运营-540-广东",
        ),
        pytest.param(
            "到2025年，全省新增完成2000个行政村环境整治任务。",
            [("行政村环境整治任务", 2000.0, "个", "increase_by")],
            id="second-verb-after-新增-559-江苏",
        ),
    ],
)
def test_a_second_verb_is_no_indicator(text: str, expected: list[tuple[object, ...]]) -> None:
    assert _named(text) == expected


def _dated(text: str) -> list[tuple[object, ...]]:
    """The indicator, value, unit, direction and year of each target of a paragraph."""
    return [(t.indicator, t.value, t.unit, str(t.direction), t.year)
            for t in parse_targets(text)[0]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            # 140 包头市深入推进林业草原碳汇三年行动计划 (2021-2023年), line 77
            "重点加强对达茂旗草原的保护和修复，中度以上退化草原修复治理，加大草原生态监测评价力度，"
            "全面提升草原生态系统质量和效益。（2021年实施退化草原修复6万亩、人工种草70万亩）",
            [
                ("退化草原修复", 6.0, "万亩", "reach", 2021),
                ("人工种草", 70.0, "万亩", "reach", 2021),
            ],
            id="a-verb-holds-for-its-list-of-measures-140-包头",
        ),
        pytest.param(
            # 166 龙岩市全国林业改革发展综合试点实施方案: the items joined by 和
            "到2025年，全市完成国家储备林建设50万亩，新增省级森林乡镇7个和森林村庄70个。",
            [
                ("国家储备林建设", 50.0, "万亩", "reach", 2025),
                ("省级森林乡镇", 7.0, "个", "increase_by", 2025),
                ("森林村庄", 70.0, "个", "increase_by", 2025),
            ],
            id="measures-joined-by-和-166-龙岩",
        ),
        pytest.param(
            "到2025年，新增森林面积50万亩、森林覆盖率达到19%。",
            [
                ("森林面积", 50.0, "万亩", "increase_by", 2025),
                ("森林覆盖率", 19.0, "%", "reach", 2025),
            ],
            id="an-item-with-its-own-verb-is-its-own-target",
        ),
        pytest.param(
            # 140 包头, line 72: a note opened by a year lists that year's work
            "通过完善湿地保护机构、设立市、县湿地保护区域，提高湿地保护率，改善和提升湿地生态功能。"
            "（2021年启动实施黄河河道和滩区综合治理工程，恢复黄河湿地2000亩）",
            [("恢复黄河湿地", 2000.0, "亩", "reach", 2021)],
            id="words-and-an-amount-in-a-dated-note-140-包头",
        ),
        pytest.param(
            "到2025年，甲项目达到10个（总投资50亿元），恢复湿地2000亩。",
            [("甲项目", 10.0, "个", "reach", 2025)],
            id="an-undated-note-and-a-clause-outside-a-note-name-no-bare-amount",
        ),
    ],
)
def test_listed_measures_and_dated_notes(text: str, expected: list[tuple[object, ...]]) -> None:
    assert _dated(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "到2025年底，全区城市建成区绿化覆盖率达到40%，公园绿化活动场地服务半径覆盖率达到82%，"
            "城市万人拥有绿道长度达到1公里，城市建成区海绵城市建成面积达到40%。",
            [
                ("全区城市建成区绿化覆盖率", 40.0, "%", "reach"),
                ("公园绿化活动场地服务半径覆盖率", 82.0, "%", "reach"),
                ("城市万人拥有绿道长度", 1.0, "公里", "reach"),
                ("城市建成区海绵城市建成面积", 40.0, "%", "reach"),
            ],
            id="建成区-is-a-noun-319-宁夏",
        ),
        pytest.param(
            "到2025年，郑州市中心城区再生水利用率达到30％、县（市）建成区达到25％。",
            [("郑州市中心城区再生水利用率", 30.0, "%", "reach"),
             ("县（市）建成区", 25.0, "%", "reach")],
            id="建成区-alone-417-郑州",
        ),
        pytest.param(
            "到2025年，区县（市）城市建成区道路机械化清扫率达到100％，各建成区平均降尘量不得高于"
            "6吨/月·平方公里，实施网格化降尘量监测考核。",
            [
                ("区县（市）城市建成区道路机械化清扫率", 100.0, "%", "reach"),
                ("各建成区平均降尘量", 6.0, "吨", "at_most"),
            ],
            id="不得高于-417-郑州",
        ),
        pytest.param(
            "初步建成区域特色的低碳技术创新集聚区10个。",
            [("区域特色的低碳技术创新集聚区", 10.0, "个", "reach")],
            id="建成区域-is-a-verb-and-its-object",
        ),
        pytest.param(
            "到2025年，一级保护区隔离防护设施和标志标牌建设完成率分别达到78.7%和93.2%。",
            [
                ("一级保护区隔离防护设施和标志标牌建设完成率", 78.7, "%", "reach"),
                ("一级保护区隔离防护设施和标志标牌建设完成率", 93.2, "%", "reach"),
            ],
            id="完成率-is-a-noun-419-四川",
        ),
        pytest.param(
            "到2025年，农作物秸秆综合利用率稳定达到95%以上，畜禽粪污综合利用率达到95%，重点区域化肥"
            "农药施用量实现负增长。",
            [("农作物秸秆综合利用率", 95.0, "%", "at_least"),
             ("畜禽粪污综合利用率", 95.0, "%", "reach")],
            id="稳定达到-line-32163",
        ),
        pytest.param(
            "到“十四五”期末，全省森林草原防火长效机制基本形成，森林草原火灾防控治理体系和治理能力显著"
            "提升，森林火灾受害率稳定控制在0.9‰以下。",
            [("森林火灾受害率", 0.9, "‰", "at_most")],
            id="稳定控制在-157-辽宁",
        ),
        pytest.param(
            "电网综合线损率争取控制在4.8%以下；",
            [("电网综合线损率", 4.8, "%", "at_most")],
            id="争取控制在-573-重庆",
        ),
        pytest.param(
            "到2025年，全国县级及以上城市集中式饮用水水源水质达到或优于Ⅲ类比例总体高于93%。",
            [("县级及以上城市集中式饮用水水源水质达到或优于Ⅲ类比例", 93.0, "%", "at_least")],
            id="总体高于-and-达到-in-the-noun-9",
        ),
        pytest.param(
            "到2025年，全省重点领域能效全部达到基准水平，达到标杆水平的企业数量比例超过30%。",
            [("达到标杆水平的企业数量比例", 30.0, "%", "at_least")],
            id="a-level-verb-before-its-noun-236",
        ),
        pytest.param(
            "到2025年全省新增建筑垃圾综合利用率达到60%，存量有序减少。",
            [("全省新增建筑垃圾综合利用率", 60.0, "%", "reach")],
            id="新增-before-a-share-names-it-106-陕西",
        ),
        pytest.param(
            "“十四五”期间，新增陆上风电并网装机规模不低于1500万千瓦。",
            [("陆上风电并网装机规模", 1500.0, "万千瓦", "increase_by")],
            id="新增-an-amount-不低于-565-广西",
        ),
        pytest.param(
            "到2025年，完成湿地建设面积不小于198公顷。",
            [("湿地建设面积", 198.0, "公顷", "at_least")],
            id="不小于-after-a-count-verb-425-内江",
        ),
        pytest.param(
            "到2025年，建成不低于6个低碳社区，完成3~5个近零碳排放区示范工程。",
            [("低碳社区", 6.0, "个", "at_least"), ("近零碳排放区示范工程", 3.0, "个", "reach")],
            id="a-level-and-the-counted-noun-after-433-眉山",
        ),
        pytest.param(
            "建成近零碳社区不少于30个，实现区（市）县全覆盖。",
            [("近零碳社区", 30.0, "个", "at_least")],
            id="近零-is-no-approximation-189-成都",
        ),
        pytest.param(
            "3.采用调适、用能托管等建筑节能创新模式的楼宇节能低碳项目，单位建筑面积能耗下降不低于10%"
            "（按标准煤折算）。",
            [("单位建筑面积能耗", 10.0, "%", "reduce_by")],
            id="下降不低于-is-a-reduction-115-徐汇",
        ),
        pytest.param(
            "到2025年，清洁生产理念更加深入人心，推动5000家以上工业企业开展清洁生产审核。",
            [("工业企业", 5000.0, "家", "at_least")],
            id="推动-a-count-and-its-noun-540-广东",
        ),
        pytest.param(
            "到2023年，推进60个以上的合同能源管理和合同节水管理项目，推进90个以上既有建筑的绿色化"
            "改造项目。",
            [("既有建筑的绿色化改造项目", 90.0, "个", "at_least")],
            id="推进-a-count-and-its-noun-202-上海",
        ),
        pytest.param(
            "到2025年，严格控制生态保护红线面积比例不低于0.646%。",
            [("生态保护红线面积比例", 0.646, "%", "at_least")],
            id="严格控制-opens-no-indicator-425-内江",
        ),
        pytest.param(
            "到2022年，60%以上的学校达到创建要求，争取2023年达到70%。",
            [("学校达到创建要求", 60.0, "%", "reach"), ("学校达到创建要求", 70.0, "%", "reach")],
            id="争取-and-its-year-202-上海",
        ),
        pytest.param(
            "到2025年，城市建成区公共交通出行分担率≥40%。",
            [("城市建成区公共交通出行分担率", 40.0, "%", "at_least")],
            id="a-sign-for-a-verb-433-眉山",
        ),
        pytest.param(
            "在设市城市建成区系统化推进海绵城市建设，到2025年设市城市建成区面积的50%达到海绵城市"
            "建设要求。",
            [("设市城市建成区面积", 50.0, "%", "reach")],
            id="a-share-of-a-measure-321-河北",
        ),
        pytest.param(
            "挥发性有机物、氮氧化物重点工程减排量分别达到1260吨、4000吨。",
            [("挥发性有机物重点工程减排量", 1260.0, "吨", "reach"),
             ("氮氧化物重点工程减排量", 4000.0, "吨", "reach")],
            id="a-shared-head-425-内江",
        ),
        pytest.param(
            "化学需氧量、氨氮重点工程减排量分别达到0.4916万吨、0.0222万吨。",
            [("化学需氧量重点工程减排量", 0.4916, "万吨", "reach"),
             ("氨氮重点工程减排量", 0.0222, "万吨", "reach")],
            id="a-shared-head-after-a-name-ending-in-量-425-内江",
        ),
    ],
)
def test_indicators_cut_of_verbs_and_levels(text: str, expected: list[tuple[object, ...]]) -> None:
    assert _named(text) == expected
