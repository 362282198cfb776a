"""Quantitative targets and dated milestones of a policy document.

Works on ``Document.paragraphs``; each target keeps the source line of its number.
Imports only the standard library, ``policykg`` records/errors and ``loaders.numerals``;
must not import rdflib, networkx, spaCy, jieba or anything from ``graph``/``viz``.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

from policykg.errors import Errors
from policykg.loaders.numerals import normalise_digits, parse_number
from policykg.records import Direction, DocKind, Document, Paragraph, Problem, Span, Target

__all__ = ["TITLE_YEAR", "TargetMatch", "find_targets", "parse_targets", "title_year"]

logger = logging.getLogger(__name__)

_CN = "〇零一二两三四五六七八九十百千"


def _lexicon() -> dict[str, dict[str, list[str]]]:
    """The words of ``loaders/lexicons/targets.toml``."""
    ref = resources.files("policykg.loaders").joinpath("lexicons", "targets.toml")
    return tomllib.loads(ref.read_text(encoding="utf-8"))


def _either(words: Sequence[str]) -> str:
    """An alternation of a lexicon's patterns, the longest first."""
    return "|".join(sorted(words, key=len, reverse=True))


_WORDS = _lexicon()

#: The year a sentence aims at, carried over the following sentences of a paragraph.
#: line 4571: "到 2025年，绿色低碳循环发展的经济体系初步形成"; line 4577: "到2030年"
YEAR_CONTEXT = re.compile(
    r"""
    # "不晚于 2030 年实现上下游价值链碳排放强度减半" (line 43633)
    (?: 到 | 至 | 截至 | 截止 | 不晚于 ) \s* (?P<year> 20[2-6]\d ) \s* 年 (?! 前 | 以前 | 之前 )
    # a clause led by its year: "2023年，单位 GDP能耗…" (line 40430), "2025年前，开展…" (39008),
    # "2025年年底前，流域内畜禽粪污综合利用率稳定在90%以上" (420 山东)
    | ^ \s* (?: 力争 | 争取 | 确保 )? \s* (?P<lead> 20 (?: 2[1-9] | [3-6]\d ) ) \s* 年
      (?: 年? (?: 底 | 末 ) )? (?: 前 | 以前 )? \s* $
    # "以 2020年为基准，2035年降低碳排放 30%" (line 42861); "2030年将达到 2.5亿千瓦" (41798)
    | ^ \s* (?P<lead2> 20 (?: 2[1-9] | [3-6]\d ) ) \s* 年
      (?= \s* (?: 将 | 要 )? \s* (?: 降低 | 下降 | 实现 | 达到 | 提高 | 建成 | 完成 ) )
    # "力争 2042年碳排放量较峰值降低 50%" (line 43382)
    | (?: 力争 | 争取 ) \s* (?P<aim> 20[2-6]\d ) \s* 年 (?! 前 | 以前 | 之前 | 左右 | 实现 )
    # any quote a text layer gives: "“十四五\"期间" (140 包头)
    | (?P<plan> [“”"\uff02]?十[四五六]五[“”"\uff02]? ) \s* (?: 时期 | 期间 | 末 )
    """,
    re.VERBOSE,
)

#: A year bound inside the clause itself: "二氧化碳排放力争于2030年前达到峰值" (line 4049),
#: "2022年底前完成436万吨炼铁产能置换计划" (451 德州).
YEAR_BEFORE = re.compile(
    r"""
    (?P<year> 20[2-6]\d ) \s* 年 \s* (?: (?: 年? (?: 底 | 末 ) )? (?: 前 | 以前 | 之前 ) | 左右 )
    """,
    re.VERBOSE,
)

#: A base year: "单位国内生产总值二氧化碳排放比 2005年下降 65%以上" (line 4579).
BASE_YEAR = re.compile(
    r"""
    (?: 比 | 较 | 相比 | 相对 | 与 | 在 ) \s* (?P<base> (?:19|20)\d\d ) \s* 年
    (?: 末 | 底 | 水平 | 度 )?
    (?: 相比 | 的?基础上 )?
    | (?: 由 | 从 ) \s* (?P<from> (?:19|20)\d\d ) \s* 年 (?= 的 | 底 | 末 | \s*\d )
    | (?: 相比 | 比 | 较 ) \s* [“”"\uff02]? (?P<plan> 十[二三四]五 ) [“”"\uff02]? \s* 末?
    | 以 \s* (?P<basis> (?:19|20)\d\d ) \s* 年 \s* 为基准
    """,
    re.VERBOSE,
)

_UNIT = r"""
    (?: 个百分点 | 百分点 | % | ‰
      | [万亿]* (?: 千瓦时 | 千瓦 | 吨标准煤 | 吨二氧化碳当量 | 吨二氧化碳 | 吨标煤 | 吨
                  | 标准立方米 | 立方米 | 平方米 | 平方公里 | 公顷 | 亩 | 公里 | 千米
                  | 辆 | 元 | 美元 | 人次 | 人 | 户 | 台 | 套
                  | 座 | 个 | 家 | 项 | 所 | 处 | 条 | 种 | 回 )
      | 克/千瓦时 | 克标准煤/千瓦时 | 千克标准煤 | 小时 | 倍 | 成 | [万亿] )
    (?: /年 )?
"""

_NUM = rf"""
    (?: \d+ (?: \.\d+ )?
      | [{_CN}]+ 分之 [{_CN}]+
      | [{_CN}]+ (?= \s* (?: 个 | 家 | 座 | 项 | 倍 | 种 | 万 | 亿 | 成 ) ) )
"""

#: The trigger verb of a target and the quantities that follow it.
#: line 4575: "风电、太阳能发电总装机容量达到12亿千瓦以上"
#: line 4579: "单位国内生产总值二氧化碳排放比 2005年下降 65%以上"
#: "溶剂型工业涂料、油墨使用比例分别降低 20个百分点、10个百分点" (two quantities)
TRIGGER = re.compile(
    rf"""
    # no verb inside a noun: "城市建成区绿化覆盖率达到40%" (lexicons/targets.toml)
    (?! {_either(_WORDS["verb_nouns"]["words"])} )
    (?P<verb>
        不得超过 | 不应超过 | 不宜超过 | 不得低于 | 不应低于 | 不得高于
      | 不得突破 | 不能突破
      | 不低于 | 不少于 | 不小于 | 不超过 | 不高于 | 低于 | 高于 | 超过 | 突破 | 力争达到
      | 提高到 | 提高至 | 提升到 | 提升至 | 增长到 | 增长至
      | 增加到 | 增加至 | 增至 | 扩大到 | 扩大至
      | 降低到 | 降低至 | 下降到 | 下降至 | 降至 | 降到 | 减少到 | 减少至 | 控制在 | 稳定在 | 保持在
      | 年均增长 | 年均下降 | 提高 | 提升 | 增长 | 增加 | 下降 | 降低 | 减少 | 压减 | 削减 | 压缩
      | 达到 | 到达 | 达 | 建成 | 培育 | 打造 | 创建 | 建设 | 新增 | 累计 | 选择 | 遴选 | 形成
      | 推广 | 完成 | 实施 | (?<= 比例 | 比重 | 占比 ) 为
    )
    # 约/近 before a number only: "建成近零碳社区不少于30个" (189 成都) names 近零碳社区
    \s* (?: 了 | (?: 约 | 近 ) (?= \s* [\d一二两三四五六七八九十百千] ) )? \s*
    """,
    re.VERBOSE,
)

#: One quantity, possibly a range: "15%—20%", "3-5家", "2.5万亿元".
QUANTITY = re.compile(
    rf"""
    (?P<value> {_NUM} ) \s*
    (?: (?P<unit1> {_UNIT} ) \s* )?
    (?: [-－—\u2013~～至] \s* (?P<value_max> \d+ (?: \.\d+ )? ) \s* )?
    (?P<unit> {_UNIT} )?
    \s* (?P<qual> 及以上 | 以上 | 以下 | 以内 | 左右 | 之内 | 内 )?
    """,
    re.VERBOSE,
)

#: Milestones: "二氧化碳排放力争于2030年前达到峰值", "2060年前实现碳中和" (line 4049).
#: A term may stand in quotes: "实现国家电投在国内的‘碳达峰’" (line 42100).
MILESTONE = re.compile(
    r"""
    (?P<how> 实现 | 达到 | 力争 | 争取 ) \s* (?P<subject> [^，。；、\d‘’“”「」]{0,8}? )
    [‘“「]? (?P<verb> 碳达峰 | 碳中和 | 峰值 | 达峰 ) [’”」]?
    | (?<= 排放 | 尽早 | 率先 | 提前 | 总量 | 消费 ) (?P<verb2> 达到峰值 | 达峰 )
    # "2030年前，…推动碳达峰目标顺利实现" (line 27262)
    | [‘“「]? (?P<verb3> 碳达峰 | 碳中和 ) [’”」]? 目标 (?: 顺利 | 如期 | 全面 )? 实现
    # the year right before the term, two in a sentence: "我国力争实现 2030 年前碳达峰和努力
    # 争取 2060 年前碳中和的目标" (line 9417), "实现2030年前碳排放达峰和努力争取 2060年前
    # 碳中和的目标任务艰巨" (line 6536), "“2030年碳达峰、2060年碳中和”的承诺" (42814)
    | (?P<dated> 20[2-6]\d ) \s* 年 \s* (?: 前 | 以前 | 之前 )? \s*
      [‘“「]? (?P<verb4> 碳达峰 | 碳中和 ) [’”」]?
    """,
    re.VERBOSE,
)

_BASIS = re.compile(r"以\s*(?P<year>(?:19|20)\d\d)\s*年\s*为基准")
#: Indicators measured without a unit: "电能利用效率降到1.3以下" (line 10496), "培训人次达100万".
_UNITLESS = re.compile(r"(?:效率|系数|指数|值|PUE|人次|人数|数量|户数)$")
#: A clause stating what is, not what is promised: "迄今已提供超过17亿剂" (line 2060),
#: "过去10年，森林资源增长面积超过7000万公顷" (380), "去年中国国内生产总值增长8%左右" (2350),
#: "建成了…，综合交通网突破600万公里" (1975: a fact told over the sentence's clauses).
_FACT = re.compile(
    r"目前|当前|现已|已经|已达|已有|截至|迄今|已[\u4e00-\u9fff]{0,3}?(?:提供|建成|完成|超过|实现|累计)"
)
#: "世界银行预测，2020年全球人均收入将下降3.6%" (line 656): someone's forecast, no promise.
_FACT_SENTENCE = re.compile(r"(?:建成|实现|完成|取得|形成)了|去年|过去\s*\d*\s*年|预测")
#: A sentence opening with a year, stating what that year saw: "2020年全国 6000千瓦及以上火电厂
#: 供电煤耗为 305.5克标准煤/千瓦时，比 2015年下降 9.9克/千瓦时" (line 9497-9499, a 2021 notice).
_YEAR_LEAD = re.compile(r"^\s*(?P<year>(?:19|20)\d\d)\s*年(?!前|底前|以前|之前|[-－—~～至])")
#: A sentence told of the past, whatever its document's year: "“十三五”以来" (a paragraph
#: reviewing a plan), "近年来", "5年来，全省累计建成绿色建筑面积4.43亿平方米" (338), "过去五年",
#: "截至目前" (a year after 截至 is a target year: 截至2025年底 promises).
_PAST_SENTENCE = re.compile(
    r"以来|近年来|(?<![\d年])(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*年来"
    r"|过去\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})?\s*年|(?:截至|截止)(?:到)?\s*(?:目前|当前|现在)"
)
#: A five-year plan's period: “十三五”期间 in a plan of 2021 is over (171: "“十三五”期间，严寒寒冷
#: 地区城镇新建居住建筑节能达到75%"); “十四五”期间 of the same plan is a promise. Not a base:
#: "比“十三五”期间提高10%" measures what is to come.
_PAST_PLAN = re.compile(
    r"(?<![比较与于“”\"\uff02\s])[“”\"\uff02]?(?P<plan>十[一二三四五六]五)[“”\"\uff02]?\s*"
    r"(?:期间|时期|以来|期末|末)"
)
_PLAN_END = {"十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030,
             "十六五": 2035}
#: The heading of a section that reviews the past: "第一章湖北林业“十三五”发展回顾" (151),
#: "（一）发展基础" (171), "第一节取得的成效" (431), "一、现状与形势", "（一）工作进展".
_REVIEW_HEADING = re.compile(
    r"回顾|(?:发展|工作|现实|现状)基础|基础(?:与|和|及)(?:面临)?(?:的)?形势|现状|成效|成就|工作进展"
    r"|进展与形势|取得的进展"
)
#: The heading of a section of what a plan promises or asks: "（三）发展目标", "三、重点任务";
#: not a review's "六、中央生态环保督察整改任务全面完成" (431 乌海).
_GOAL_HEADING = re.compile(
    r"(?:发展|主要|总体|具体|规划)目标|目标(?:指标|任务)|(?:重点|主要)任务|(?:保障|政策)措施"
    r"|指导思想|基本原则|总体要求|总体思路"
)
#: ... unless it names a task or a goal: "（二）巩固提升治理成效", "五、加快基础设施绿色升级".
_TASK_HEADING = re.compile(
    r"十[四五六]五|目标|任务|措施|基础设施|验收|评估|考核|推动|推进|加快|提升|提高|巩固|强化|完善|实施"
    r"|打造|促进|深化|加强|构建|健全|确保|力争|开展|建立"
)
#: A single year a document's title names: "2022年能源工作指导意见" (line 15220), "省生态环境厅
#: 2022年推动碳达峰碳中和工作计划" (33205); not an edition "（2022年版）" (11813), a deadline
#: "2030年前碳达峰行动方案" (4544) or a period "（2021-2025年）" (20325).
TITLE_YEAR = re.compile(
    r"""
    (?<! [\d\-－—−~～至] ) (?P<year> 20[2-6]\d ) \s* 年
    (?! \s* (?: 版 | 前 | 以前 | 之前 | 起 ) | \s* [\-－—−~～至] )
    """,
    re.VERBOSE,
)
#: The subject of a clause ends at its verb or modal: "存量煤电机组灵活性改造应改尽改" (9602),
#: "南方五省区新能源装机发展到目前 5000万千瓦的规模" (41796).
_SUBJECT_END = re.compile(
    r"(?<![供效适响反相])应(?![用对急])|(?<![主重必需])要(?![素求])|将|力争|发展到|目前|已"
)
#: Quoted examples before 等 are no part of the indicator: "开展“风光储+氢”“源网荷储+氢”等
#: 绿氢制备示范项目 15个以上" (line 39008-39010).
_QUOTED_EXAMPLES = re.compile(r"^(?:“[^“”]{1,20}”[、和及与]?)+等")
#: What any target or year context needs somewhere in a paragraph (a cheap first test).
_ANY_TARGET = re.compile(
    r"[0-9\uff10-\uff19]|峰|中和|十[四五六]五|减半|翻[一两]番"
    r"|[一二两三四五六七八九十百千]\s*(?:个|家|座|项|倍|种|万|亿|成)"
)
#: A level after a reduction: "30%至每吨钢 1.3吨" (line 42861).
_THEN = re.compile(r"\s*至\s*每?(?P<per>[^\d，。；、]{1,4}?)\s*(?=\d)")
_IN_WORDS = re.compile(r"(?P<word>减半|翻一番|翻两番)")
_WORD_VALUES: dict[str, tuple[float, Direction]] = {
    "减半": (50.0, Direction.REDUCE_BY),
    "翻一番": (100.0, Direction.INCREASE_BY),
    "翻两番": (300.0, Direction.INCREASE_BY),
}
_CARRIED = -2  # a milestone's year carried from an earlier clause
#: half-width too: "(范围 1 和 2);不晚于 2030 年…" (line 43633) is two sentences
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_CLAUSE_END = re.compile(r"[，,：:；;。！？]")
#: What opens or closes a note: "比例达到70%以上（其中，2021年达到60%）" (517 长沙).
_NOTE_MARK = re.compile(r"[（）()]")
#: A year a note opens with is the note's: "（2021年到达10%）" (517 长沙), not a period
#: "（2022—2026年）" (181) or an edition "（2022年版）".
_NOTE_YEAR = re.compile(
    r"^\s*(?:其中\s*[，,：:]?\s*)?(?P<year>20(?:2[1-9]|[3-6]\d))\s*年(?!\s*(?:版|[-－—–~～至]|\d))"
)
_APPROX_BEFORE = re.compile(r"(?:约|大约|近|接近)\s*$")
_INDICATOR_PREFIX = re.compile(
    rf"""
    ^ (?: [\s“”"（）()、]+
        | (?:到|不晚于)\s*20\d\d\s*年(?:底|末)?
        | 20\d\d\s*年(?:前|底|末|度)?
        | [“”"\uff02]?十[四五六]五[“”"\uff02]?(?:时期|期间|末)?
        | 以上(?!的)
        | {_either(_WORDS["indicator"]["leading"])}
        | \d+[．.、)）] | [（(]\d+[)）]
        | [一二三四五六七八九十]+、 | [（(]?[一二三四五六七八九十]+[)）]
      )+
    """,
    re.VERBOSE,
)
_INDICATOR_SUFFIX = re.compile(rf"(?:{_either(_WORDS['indicator']['trailing'])})?\s*$")

_DIRECTIONS: dict[str, Direction] = {
    "不低于": Direction.AT_LEAST,
    "不少于": Direction.AT_LEAST,
    "不小于": Direction.AT_LEAST,
    "不得高于": Direction.AT_MOST,
    "不得突破": Direction.AT_MOST,
    "不能突破": Direction.AT_MOST,
    "高于": Direction.AT_LEAST,
    "超过": Direction.AT_LEAST,
    "突破": Direction.AT_LEAST,
    "不超过": Direction.AT_MOST,
    "不得超过": Direction.AT_MOST,
    "不应超过": Direction.AT_MOST,
    "不宜超过": Direction.AT_MOST,
    "不得低于": Direction.AT_LEAST,
    "不应低于": Direction.AT_LEAST,
    "不高于": Direction.AT_MOST,
    "低于": Direction.AT_MOST,
    "控制在": Direction.AT_MOST,
    "降低到": Direction.REDUCE_TO,
    "降低至": Direction.REDUCE_TO,
    "下降到": Direction.REDUCE_TO,
    "下降至": Direction.REDUCE_TO,
    "降至": Direction.REDUCE_TO,
    "降到": Direction.REDUCE_TO,
    "减少到": Direction.REDUCE_TO,
    "减少至": Direction.REDUCE_TO,
    "下降": Direction.REDUCE_BY,
    "降低": Direction.REDUCE_BY,
    "减少": Direction.REDUCE_BY,
    "压减": Direction.REDUCE_BY,
    "削减": Direction.REDUCE_BY,
    "年均下降": Direction.REDUCE_BY,
    "提高到": Direction.INCREASE_TO,
    "提高至": Direction.INCREASE_TO,
    "提升到": Direction.INCREASE_TO,
    "提升至": Direction.INCREASE_TO,
    "增长到": Direction.INCREASE_TO,
    "增长至": Direction.INCREASE_TO,
    "增加到": Direction.INCREASE_TO,
    "增加至": Direction.INCREASE_TO,
    "增至": Direction.INCREASE_TO,
    "扩大到": Direction.INCREASE_TO,
    "扩大至": Direction.INCREASE_TO,
    "提高": Direction.INCREASE_BY,
    "提升": Direction.INCREASE_BY,
    "增长": Direction.INCREASE_BY,
    "增加": Direction.INCREASE_BY,
    "年均增长": Direction.INCREASE_BY,
    "新增": Direction.INCREASE_BY,
    "压缩": Direction.REDUCE_BY,
}
#: Verbs that only promise a count ("建成…100个") when the quantity is a count.
_COUNT_VERBS = frozenset(
    {"建成", "培育", "打造", "创建", "建设", "选择", "遴选", "形成", "推广", "完成", "实施", "突破"}
)
#: Verbs whose measured noun may stand between verb and number:
#: "新增新能源装机 8000万千瓦" (line 41871), "实施合同能源管理项目 3000个以上" (line 27723).
_GAP_VERBS = frozenset(
    {"新增", "降低", "减少", "压减", "完成", "实施", "建成", "培育", "达到"}
    | {"不低于", "不少于", "不小于", "超过"}
)
_GAP = re.compile(r"(?P<gap>[^，。；：、\d%]{1,14}?)\s*(?=\d)")
#: A gap that is a second verb of the trigger's, joined by 或/和/及/并: "培育或引进50家" (39022),
#: or one of the verbs that pair with a verb before them with no word between: "共建成运营147座
#: 生活垃圾处理场（厂）" (540 广东), "培育发展20个…重点村", "新增完成2000个行政村…任务".
_SECOND_VERB = re.compile(
    r"""
    ^ \s* (?: (?: 或者 | 或 | 和 | 及 | 与 | 并 ) \s* [\u4e00-\u9fff]{2}
          | 运营 | 投运 | 投产 | 运行 | 发展 | 引进 | 验收 | 认定 | 命名 | 新建 | 改建 | 扩建
          | 建设 | 建成 | 创建 | 打造 | 培育 | 完成 | 实施 | 推广 ) \s* $
    """,
    re.VERBOSE,
)
#: Nouns that end an indicator standing right before its number: "清洁能源装机占比 50%以上".
_INDICATOR_END = re.compile(rf"(?:{_either(_WORDS['measures']['ends'])})\s*$")
_COUNT_UNITS = frozenset({"个", "家", "座", "项", "所", "处", "条", "种", "套", "台", "户", "回"})
#: Units that by themselves make a number a target when a year or a trigger is present.
_TARGET_HINT = re.compile(r"[%‰]|百分点|千瓦|吨|立方米|平方米|公顷|亩|公里|辆|元|倍")


@dataclass(frozen=True, slots=True, kw_only=True)
class TargetMatch:
    """A target found in a string: offsets are into that string."""

    indicator: str
    value: float | None
    value_max: float | None
    unit: str | None
    direction: Direction
    approx: bool
    year: int | None
    base_year: int | None
    text: str
    offset: int
    #: for milestones: offset of the year in the text, -1 when carried from before the text
    year_offset: int | None = None


def _plan_year(plan: str) -> int:
    """Return the end year of a five-year plan named like “十四五”."""
    return _PLAN_END[plan.strip("“”\"\uff02")]


def _plan_ends(text: str) -> list[int]:
    """The end years of the five-year plans ``text`` names (“十三五” → 2020)."""
    return [_PLAN_END[p] for p in re.findall(r"十[一二三四五六]五", text)]


def _clean_indicator(raw: str) -> str:
    """Strip years, list markers and modal words from an indicator phrase."""
    text = _INDICATOR_PREFIX.sub("", raw.strip())
    text = re.sub(r"由\s*[\d.]+\s*\S{0,4}$", "", text)  # "利用率由 30%提高到50%"
    parts = re.split(r"开展|进行|作为|用于", text)
    head = _INDICATOR_PREFIX.sub("", parts[0]).strip(" ，、“”（")
    # "2025年前，开展…等绿氢制备示范项目 15个以上" (line 39008): nothing before 开展
    text = parts[0] if head or len(parts) == 1 else _QUOTED_EXAMPLES.sub("", parts[1])
    text = BASE_YEAR.sub("", text)
    text = YEAR_BEFORE.sub("", text)
    text = re.sub(r"每?(?:相比|相对|比|较)上一?年度?", "", text)  # "…分别比上年下降1.5%"
    for opening, closing in ("“”", "（）"):
        inner = text[text.rfind(opening) + 1 :]
        if text.rfind(opening) > text.rfind(closing) and inner.strip() and '"' not in inner:
            # "…规定“对经审计核减的项目支出占项目支出超过20%", "（超大特大城市不超过1.2万人"
            text = inner
    text = re.sub(r"的\s*[\d.]+\s*%$", "", text)  # "…比重由 2020年的 32%提升至 38%" (41813)
    text = re.sub(r"^[于在对]", "", text)  # "力争于2030年前…": 于 left of the indicator
    prev = None
    while prev != text:
        prev = text
        text = _INDICATOR_SUFFIX.sub("", text).strip(" ，、“”（")
        text = _INDICATOR_PREFIX.sub("", text)
    if "”" in text and "“" not in text[: text.find("”")] and f"“{text}" in raw:
        text = "“" + text  # "“三绿”宜居低碳示范县城" (352 四川): its quote closes inside it
    text = re.sub(r"(?<=\S\S)(?:最高|最多)$", "", text)  # "单个项目最高不超过300万元"
    return text.replace(" ", "")


def _split_unit(value_text: str, unit: str | None) -> tuple[float, str | None]:
    """Parse a value and its unit; a bare 万/亿 unit multiplies the value."""
    value = parse_number(value_text)
    if unit is not None and unit.strip("万亿") == "":
        for ch in unit:
            value *= 10_000 if ch == "万" else 100_000_000
        return value, None
    return value, unit


def _clauses(sentence: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, clause) for the comma-separated clauses of a sentence.

    A comma inside a quoted name holding no number does not end a clause: "建设10家左右以
    “率先实现碳达峰碳中和，推动区域绿色低碳循环发展”为主题的…示范区" is one clause.

    >>> [c for _, c in _clauses('建设10家以"甲，乙"为主题的示范区，培育20家')]
    ['建设10家以"甲，乙"为主题的示范区', '培育20家']
    """
    quoted = _quoted_spans(sentence)
    start = 0
    for m in _CLAUSE_END.finditer(sentence):
        if any(a < m.start() < b for a, b in quoted):
            continue
        yield start, sentence[start : m.start()]
        start = m.end()
    if start < len(sentence):
        yield start, sentence[start:]


def _quoted_spans(sentence: str) -> list[tuple[int, int]]:
    """Return the (open, close) offsets of the quotes of a sentence that hold no number.

    A quote “ is closed by the next ”, a straight quote " by the next "; one left open
    (a misprint: “一住两公") holds nothing. A quote with a number is reported speech whose
    clauses are read one by one (“二氧化碳排放力争于2030年前达到峰值，努力争取…”).

    >>> _quoted_spans('以“甲，乙”为主题，“到2030年，达峰”，"丙')
    [(1, 5)]
    """
    spans: list[tuple[int, int]] = []
    if "“" not in sentence and '"' not in sentence:
        return spans  # most sentences quote nothing: no regex run
    for m in re.finditer(r'“[^“”]*”|"[^"]*"', sentence):
        if not any(ch.isdigit() for ch in m.group()):
            spans.append((m.start(), m.end() - 1))
    return spans


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, sentence) of a paragraph, split at 。！？；."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        yield start, text[start : m.end()]
        start = m.end()
    if text[start:].strip():
        yield start, text[start:]


def _quantities(clause: str, pos: int) -> Iterator[re.Match[str]]:
    """Yield the quantities following a trigger: one, or a 、-list after 分别/均."""
    m = QUANTITY.match(clause, pos)
    while m is not None and m.group("value"):
        yield m
        nxt = re.match(r"\s*[、和及与]\s*", clause[m.end() :])
        if nxt is None:
            return
        m = QUANTITY.match(clause, m.end() + nxt.end())


def _base_year(clause: str) -> int | None:
    """Return the base year of a clause: 比2020年, 以2020年为基准, 比“十三五”末."""
    base = BASE_YEAR.search(clause)
    if base is None:
        return None
    if base.group("plan"):
        return None  # "较“十三五”末下降 37%" (line 42048) prints no year
    return int(base.group("base") or base.group("basis") or base.group("from"))


def _make(
    q: re.Match[str],
    verb: str | None,
    indicator: str,
    clause: str,
    year: int | None,
    base_year: int | None,
    sentence: str,
    list_qual: str | None = None,
) -> TargetMatch | None:
    """Make a target of a quantity match, or None when it is no promised value."""
    unit = q.group("unit") or q.group("unit1")
    if unit is None and q.group("value").isdigit() and len(q.group("value")) == 4:
        return None  # a year, not a value
    after = clause[q.end() : q.end() + 3]
    if after.startswith("的") and not after.startswith("的目标"):
        return None  # a threshold, not a promise: "年综合能耗超过 1 万吨标准煤的数据中心"
    if after.startswith("及以"):
        return None
    if q.group("value") == "一" and unit in _COUNT_UNITS | {"座", "个"}:
        return None  # an article, not a count: "建设一个十几平方公里的光伏电厂" (line 43224)
    try:
        value, unit_out = _split_unit(q.group("value"), unit)
    except ValueError:
        return None
    if unit_out is None and not _UNITLESS.search(indicator):
        return None  # "设置合理过渡期（不超过3年）": a number with no measured unit
    qual = q.group("qual") or list_qual
    direction = Direction.REACH if verb is None else _DIRECTIONS.get(verb, Direction.REACH)
    if direction is Direction.REACH and qual in {"以上", "及以上"}:
        direction = Direction.AT_LEAST  # "达到12亿千瓦以上" (line 4575)
    if direction is Direction.REACH and qual in {"以内", "以下", "之内", "内"}:
        direction = Direction.AT_MOST
    approx = qual == "左右" or _APPROX_BEFORE.search(clause[: q.start()]) is not None
    return TargetMatch(
        indicator=indicator,
        value=value,
        value_max=float(q.group("value_max")) if q.group("value_max") else None,
        unit=unit_out,
        direction=direction,
        approx=approx,
        year=year,
        base_year=base_year,
        text=sentence.strip(),
        offset=q.start("value"),
    )


def _split_indicator(indicator: str, values: int, i: int) -> list[str]:
    """Return the indicators a value belongs to when a 、-list shares one or pairs with many.

    "秸秆综合利用率、农用残膜回收率达到 90%" (line 41136) is two targets;
    "单位GDP能源消耗、用水量…分别降低 13.5%、16%" (line 7299) pairs name and value.
    """
    parts = [p for p in indicator.split("、") if p]
    if len(parts) < 2:
        return [indicator]
    if values == len(parts) and all(len(p.strip()) > 1 for p in parts):
        # not "市、县污泥无害化处理率分别达到97%、95%以上"
        return [_shared_head(parts, i)]
    if values == 1 and all(_INDICATOR_END.search(p) for p in parts):
        return parts
    return [indicator]


#: Heads a 、-list of items shares, printed after its last item only (lexicons/targets.toml).
_SHARED_HEADS = tuple(_WORDS["indicator"]["shared_heads"])
#: An item that names a measure of its own: it shares no head.
_OWN_MEASURE = re.compile(rf"(?:{_either(_WORDS['measures']['own'])})$")


def _shared_head(parts: Sequence[str], i: int) -> str:
    """Return item ``i`` of a list paired with its values, with the head the last item prints.

    >>> _shared_head(["挥发性有机物", "氮氧化物重点工程减排量"], 0)
    '挥发性有机物重点工程减排量'
    >>> _shared_head(["森林覆盖率", "风电装机规模"], 0)
    '森林覆盖率'
    """
    part, last = parts[i], parts[-1]
    head = next((h for h in _SHARED_HEADS if last.endswith(h) and len(last) > len(h)), None)
    if head is None or part.endswith(head) or _OWN_MEASURE.search(part):
        return part
    return part + head


def _is_count(unit: str | None) -> bool:
    """Return whether a unit makes a number a promised amount (not a bare number)."""
    return unit is not None and (unit in _COUNT_UNITS or _TARGET_HINT.search(unit) is not None)


#: What joins the items of a list of counts: "1个近零碳试点园区、3个近零碳试点机关…以及10家…".
_LIST_MARK = re.compile(r"\s*(?:、|以及|及(?!以)|和|与)\s*(?=\d)")
#: A modifier before the counted noun: a theme, "以“率先实现碳达峰碳中和，推动…”为主题的", or
#: what it includes, "50家以上包括15—20家装备制造核心企业在内的氢能产业链相关企业" (39022).
_THEME = re.compile(r"^(?:以[^。；]{1,60}?为(?:主题|重点|核心|特色|主导|主)的"
                    r"|包括[^。；]{1,40}?在内的)")


#: An item of a list that is only a rating, a number and its measure: "500千伏", "100MW".
_SPEC = re.compile(r"^\d+(?:\.\d+)?\s*(?P<unit>[A-Za-z]{1,4}|[\u4e00-\u9fff]{1,3})$")


def _counted_noun(clause: str, end: int) -> tuple[str, int]:
    """Return the noun a count stands before, cleaned, and where it ends in ``clause``.

    It ends at a comma or a parenthesis, and before the next quantity of a list: at the 、
    last printed before it, or at 和/及/以及 right before it.

    >>> _counted_noun("建成1个近零碳试点园区、3个近零碳试点机关以及10家近零碳试点企业", 4)
    ('近零碳试点园区', 11)
    >>> _counted_noun("完成242处管护用房标准化建设、升级改造林区道路465公里", 6)
    ('管护用房标准化建设', 15)
    >>> _counted_noun("打造2-3个省级和1-2个国家级绿色云计算大数据中心", 6)
    ('省级绿色云计算大数据中心', 8)
    >>> _counted_noun("培育发展100家工业产品生态（绿色）设计示范企业，制修订100项", 8)
    ('工业产品生态（绿色）设计示范企业', 24)
    >>> _counted_noun("规划建设8个500千伏、50个220千伏输变电项目", 6)
    ('500千伏输变电项目', 11)
    >>> _counted_noun('建设10家左右以"率先实现碳达峰碳中和，推动区域发展"为主题的省级示范区', 7)
    ('省级示范区', 36)
    """
    quoted = _quoted_spans(clause)
    stops = (m.start() for m in re.finditer(r"[，。；（(]", clause[end:]))
    cut = next((end + at for at in stops if not any(a < end + at < b for a, b in quoted)),
               len(clause))
    shut = clause.find("）", cut) if clause[cut : cut + 1] == "（" else -1
    inside = shut > 0 and re.match(r"(?![和及与或并])[\u4e00-\u9fff]", clause[shut + 1 :])
    if shut > 0 and (len(clause[end:cut].strip()) == 1 or inside):
        # "完成30个县（市、区）建成区雨污河流管网改造清零": a one-character noun keeps its note,
        # and so does a noun going on after it: "100家工业产品生态（绿色）设计示范企业" (9979)
        after = re.search(r"[，。；（(]", clause[shut + 1 :])
        cut = shut + 1 + after.start() if after else len(clause)
    for q in QUANTITY.finditer(clause, end, cut):
        unit = q.group("unit") or q.group("unit1")
        if not q.group("value") or not q.group("value")[0].isdigit() or not _is_count(unit):
            continue
        marks = list(re.finditer("、", clause[end : q.start()]))
        mark = _LIST_MARK.search(clause, end, q.start() + 1)
        if mark is not None and mark.end() == q.start():
            cut = mark.start()
            level = _clean_indicator(clause[end:cut])
            if level.endswith("级"):
                # "10个国家级、100个省级农村产业融合示范园": the levels share the noun
                shared = _counted_noun(clause, q.end())[0]
                return level + shared.partition("级")[2], cut
            spec = _SPEC.match(level)
            if spec is not None:
                # "8个500千伏、50个220千伏输变电项目" (186 成都): a rating with no noun of its
                # own shares the noun of the next item when that opens with the same measure
                shared = _counted_noun(clause, q.end())[0]
                same = re.match(rf"\d+(?:\.\d+)?\s*{re.escape(spec.group('unit'))}(?=\D)", shared)
                if same is not None:
                    return level + shared[same.end() :], cut
        elif marks:
            cut = end + marks[-1].start()
        break
    noun = _THEME.sub("", clause[end:cut].strip())
    return _clean_indicator(noun), cut


#: What ends a listed quantity: "65%以上、", "14.1万吨/日、", "1.2万人/平方公里、".
_AFTER_QUANTITY = re.compile(r"(?:/[^\d、，]{1,4})?\s*(?:、|以及|及(?!以)|和|与)")


def _after_listed(clause: str, start: int, end: int) -> int:
    """Return where an indicator before ``end`` starts: after the last quantity listed
    before it ("城市生活垃圾焚烧处理能力占比65%以上、城市生活垃圾资源化利用率达60%").

    >>> c = "城市生活垃圾焚烧处理能力占比65%以上、城市生活垃圾资源化利用率达60%"
    >>> c[_after_listed(c, 0, c.index("达")) :]
    '城市生活垃圾资源化利用率达60%'
    """
    ends = [start] if start > 0 else []  # a trigger's quantity ends right before ``start``
    for q in QUANTITY.finditer(clause, start, end):
        unit = q.group("unit") or q.group("unit1")
        if q.group("value") and q.group("value")[0].isdigit() and _is_count(unit):
            ends.append(q.end())
    at = start
    for q_end in ends:
        # "总处理能力为14.1万吨/日、焚烧处理能力占比达66.7%"
        mark = _AFTER_QUANTITY.match(clause[q_end:end])
        if mark is not None:
            at = q_end + mark.end()
    return at


def _listed_measures(clause: str, end: int) -> Iterator[tuple[int, tuple[re.Match[str], str]]]:
    """Yield the items listed after a quantity ending at ``end``, each a noun before its
    amount: (start, (quantity, noun)), while no item holds a trigger verb of its own.

    >>> c = "实施退化草原修复6万亩、人工种草70万亩以上、草原围栏5处"
    >>> [(q.group(), noun) for _, (q, noun) in _listed_measures(c, c.index("、"))]
    [('70万亩以上', '人工种草'), ('5处', '草原围栏')]
    """
    while (mark := re.match(r"\s*(?:、|以及|及(?!以)|和|与)\s*", clause[end:])) is not None:
        g = _GAP.match(clause, end + mark.end())
        if g is None or re.search(r"比|较|每|第|前|的$", g.group("gap")):
            return
        if TRIGGER.search(g.group("gap")) or not _clean_indicator(g.group("gap")):
            return  # "、森林覆盖率达到19%" is a target of its own
        q = QUANTITY.match(clause, g.end())
        if q is None or not q.group("value") or not _is_count(q.group("unit") or q.group("unit1")):
            return
        yield q.start(), (q, g.group("gap"))
        end = q.end()


#: Directions of a change by an amount: "下降", "新增".
_CHANGES = frozenset({Direction.REDUCE_BY, Direction.INCREASE_BY})
#: A bound right after a verb of change: "下降不低于10%", "年均增长超过5%".
_BOUND = re.compile(r"\s*(?:不低于|不少于|不小于|超过|达到|达)\s*(?=\d)")
#: Verbs that state a level, not an act: "达到", "不少于", "控制在", "提高到".
_LEVELS = frozenset(
    {"达到", "达", "到达", "力争达到", "为"}
    | {v for v, d in _DIRECTIONS.items()
       if d in {Direction.AT_LEAST, Direction.AT_MOST, Direction.REDUCE_TO, Direction.INCREASE_TO}}
)
#: A measure that a verb before it makes a noun of: "海绵城市建成面积", "建设完成率".
_MEASURE_WORD = re.compile(rf"^(?:{_either(_WORDS['measures']['alone'])})$")
#: Units of a share, which no count of new things is: "新增大宗固废综合利用率达到60%".
_SHARE_UNITS = frozenset({"%", "‰", "个百分点", "百分点"})


#: A sign before a number, for the level it states: "分担率≥40%".
_SIGN = re.compile(r"(?P<sign>[≥≤])\s*$")
_SIGNS = {"≥": "不低于", "≤": "不超过"}


def _level_ending(gap: str) -> re.Match[str] | None:
    """Return the trigger of a level that ends a gap: "湿地建设面积不小于" ends in 不小于.

    >>> _level_ending("湿地建设面积不小于").group("verb"), _level_ending("国家储备林建设")
    ('不小于', None)
    """
    last = None
    for m in TRIGGER.finditer(gap):
        last = m
    if last is None or last.group("verb") not in _LEVELS:
        return None
    return last if re.fullmatch(r"[约近了]?\s*", gap[last.end() :]) else None


def _verb_in_noun(verb: str, noun: str, q: re.Match[str]) -> bool:
    """Return whether a verb whose gap ends in a level is part of the measured noun.

    So it is when the verb is a level itself ("能效达到标杆水平的产能比例超过30%": 达到 qualifies
    the capacity), when only a measure follows it ("海绵城市建成面积达到40%"), and for 新增 before
    a share ("新增大宗固废综合利用率达到60%": the rate of the new waste, no added amount).

    >>> q = QUANTITY.match("60%")
    >>> _verb_in_noun("新增", "大宗固废综合利用率", q), _verb_in_noun("建成", "面积", q)
    (True, True)
    >>> _verb_in_noun("实施", "合同能源管理项目", QUANTITY.match("30个"))
    False
    """
    if verb in _LEVELS or _MEASURE_WORD.match(noun):
        return True
    unit = q.group("unit") or q.group("unit1")
    return verb == "新增" and unit in _SHARE_UNITS


def _clause_targets(
    clause: str, year: int | None, sentence: str, previous: str = ""
) -> Iterator[tuple[int, TargetMatch]]:
    """Yield (offset in clause, target) for each quantitative target of a clause."""
    if QUANTITY.search(clause) is None and _IN_WORDS.search(clause) is None:
        return  # every target below is a QUANTITY or a multiple in words
    if _FACT.search(clause) or _FACT_SENTENCE.search(sentence):
        return  # a fact, not a promise: "目前我国发电和供热行业二氧化碳排放量占…比重超过 40%"
    base_year = _base_year(clause)
    basis = _BASIS.search(sentence[: max(sentence.find(clause), 0)])
    if base_year is None and basis is not None:
        base_year = int(basis.group("year"))  # "以 2020年为基准，2035年降低碳排放 30%" (42861)
    own = YEAR_BEFORE.search(clause)
    clause_year = int(own.group("year")) if own else year
    indicator_start = 0
    used: set[int] = set()
    for t in TRIGGER.finditer(clause):
        if t.start() < indicator_start:
            continue
        verb = t.group("verb")
        verb_key = verb if verb != "为" else "达到"
        found = list(_quantities(clause, t.end()))
        gap = gap_words = ""
        level = None  # the verb of the level a gap ends in: "完成…面积不小于198公顷"
        if not found and _DIRECTIONS.get(verb_key) in _CHANGES:
            # "单位建筑面积能耗下降不低于10%" (115 徐汇): the change is the amount
            bound = _BOUND.match(clause, t.end())
            found = list(_quantities(clause, bound.end())) if bound is not None else []
        if not found and verb_key in _GAP_VERBS:
            g = _GAP.match(clause, t.end())
            if g is not None and not re.search(r"比|较|每|第|前", g.group("gap")):
                found = list(_quantities(clause, g.end()))
                gap = g.group("gap")
                inner = _level_ending(gap)
                if inner is not None and found:
                    noun = gap[: inner.start()].strip()
                    if not noun.strip("或和及与并"):
                        # "建成不低于6个低碳社区", "达到或超过2%": a level only, no noun
                        gap_words = gap
                    elif _verb_in_noun(verb_key, noun, found[0]):
                        continue  # the level verb reads it, the noun with this verb in it
                    else:
                        gap = noun
                    level = inner.group("verb") if inner.group("verb") != "为" else "达到"
                if (not _clean_indicator(gap) and not gap.rstrip().endswith("的")) \
                        or _SECOND_VERB.match(gap):
                    # "实施超过150个…", "培育或引进50家以上…企业" (line 39022): no noun in it
                    gap_words = gap
        # a verb that names no direction takes the level's: "实施…项目不少于30个" is at least
        made_verb = level if level is not None and verb_key not in _DIRECTIONS else verb_key
        # "分别达到98%和95%以上" (line 36650): the last qualifier holds for the list
        list_qual = found[-1].group("qual") if len(found) > 1 else None
        listed = len(found)
        # "实施退化草原修复6万亩、人工种草70万亩" (140 包头): the verb holds for a list of
        # measures, each named before its quantity
        item_gaps = dict(_listed_measures(clause, found[-1].end())) if gap and found else {}
        found += [item for item, _ in item_gaps.values()]
        i = 0
        while i < len(found):
            q = found[i]
            i += 1
            if q.start() in item_gaps:
                gap, gap_words = item_gaps[q.start()][1], ""
            unit = q.group("unit") or q.group("unit1")
            if verb_key in _COUNT_VERBS or verb_key in {"累计", "形成"} or gap:
                if not _is_count(unit):
                    continue
            elif unit is None and clause_year is None:
                continue
            if gap.rstrip().endswith("的") and verb_key not in _COUNT_VERBS:
                gap = ""  # "不低于行业产能的 30%" (line 38629): the indicator stands before
            if verb_key == "达" and unit is None:
                continue
            # "突破 20项以上关键共性技术和 40项以上关键新产品" (line 22078)
            tail, tail_end = _counted_noun(clause, q.end())
            own_gap = _clean_indicator(gap) if gap and not gap.rstrip().endswith("的") else ""
            # a gap of a second verb: the verbs count what follows ("新增完成2000个…任务")
            second = bool(gap) and _SECOND_VERB.match(gap) is not None
            # "实施超过150个合同能源管理项目": a gap of no words names nothing
            if (verb_key in _COUNT_VERBS or second) and (not gap or gap == gap_words) and tail:
                indicator = tail
                # "建成1个近零碳试点园区、3个近零碳试点机关…以及10家近零碳试点企业":
                # each count of the list with its own noun
                more = _LIST_MARK.match(clause, tail_end)
                nxt = QUANTITY.match(clause, more.end()) if more else None
                if nxt is not None and nxt.group("value") and _is_count(
                    nxt.group("unit") or nxt.group("unit1")
                ):
                    found.append(nxt)
            elif own_gap:
                indicator = own_gap
            else:
                head = clause[_after_listed(clause, indicator_start, t.start()) : t.start()]
                standard = re.match(r"\s*(?:/[^\d，。；为]{1,4})?\s*为", clause[q.end() :])
                if head.lstrip().startswith("以") and standard:
                    head = head.lstrip()[1:]  # "以人口密度不超过1万人/平方公里为标准"
                indicator = _clean_indicator(head)
                if not indicator and unit in _COUNT_UNITS:
                    # "到2024年，新增30家省级绿色低碳工业园区": the counted noun
                    indicator = tail
                indicator = indicator or previous
            made = _make(
                q, made_verb, indicator, clause, clause_year, base_year, sentence,
                list_qual if i <= listed else None,
            )
            if made is None:
                continue
            used.add(q.start("value"))
            names = _split_indicator(indicator, listed, i - 1) if i <= listed else [indicator]
            for name in names:
                yield q.start("value"), dataclasses.replace(made, indicator=name)
            # "占比达到20%以上（2021年到达10%）": the next unnamed one takes this indicator
            previous = names[-1] or previous
            then = _THEN.match(clause, q.end())
            follow = QUANTITY.match(clause, then.end()) if then is not None else None
            if then is not None and follow is not None and made.direction is Direction.REDUCE_BY:
                # "降低碳排放 30%至每吨钢 1.3吨" (line 42861): the level reached as well
                per = then.group("per")
                level = _make(follow, "降至", per + indicator, clause, clause_year, None, sentence)
                if level is not None:
                    used.add(follow.start("value"))
                    yield follow.start("value"), level
        if found:
            indicator_start = found[-1].end()
    if clause_year is None:
        return
    # a multiple in words: "2030年前价值链碳排放强度减半" (line 43693)
    for w in _IN_WORDS.finditer(clause):
        value, direction = _WORD_VALUES[w.group("word")]
        yield w.start(), TargetMatch(
            indicator=_clean_indicator(clause[indicator_start : w.start()]),
            value=value,
            value_max=None,
            unit="%",
            direction=direction,
            approx=False,
            year=clause_year,
            base_year=base_year,
            text=sentence.strip(),
            offset=w.start(),
        )
    # no verb, but a year in force: "确保清洁能源装机占比 50%以上" (line 41871),
    # "绿氢制备示范项目 15个以上" (line 39010), "85%的县级及以上党政机关建成节约型机关" (32333)
    for q in QUANTITY.finditer(clause):
        start = q.start("value")
        if start in used or not q.group("value")[0].isdigit():
            continue
        if start > 0 and (clause[start - 1].isdigit() or clause[start - 1] in ".-～~至"):
            continue
        unit = q.group("unit") or q.group("unit1")
        if not _is_count(unit):
            continue
        before = clause[:start]
        if re.search(r"(?:(?<!占)比|较|第|前|近|每|超过|约)\s*$", before):
            continue
        head = clause[: start].strip()
        sign = _SIGN.search(before)
        level = None
        if sign is not None and _INDICATOR_END.search(before, 0, sign.start()):
            # "城市建成区公共交通出行分担率≥40%" (433 眉山): a sign for its verb
            before, level = before[: sign.start()], _SIGNS[sign.group("sign")]
        # a share of a measure that reaches a standard: "设市城市建成区面积的50%达到海绵城市建设
        # 要求" (321 河北)
        reach = TRIGGER.match(clause, q.end())
        of = (re.search(r"的\s*$", before)
              if unit == "%" and reach is not None and reach.group("verb") == "达到" else None)
        if _INDICATOR_END.search(before) and (q.group("qual") or unit in {"%", "个百分点"}):
            indicator = _clean_indicator(before[before.rfind("、", 0, len(before)) + 1 :])
            indicator = _clean_indicator(before) if len(indicator) < 2 else indicator
        elif of is not None and _INDICATOR_END.search(before, 0, of.start()):
            indicator = _clean_indicator(before[: of.start()])
        elif q.group("qual") in {"以上", "左右"} and head:
            # "力争实现4项以上基础前沿重大创新", "力争80%以上党政机关建成节约型机关": nothing
            # before the number names it, the noun after it does
            after = q.end() + (clause[q.end() : q.end() + 1] == "的")
            indicator = _clean_indicator(head) or _counted_noun(clause, after)[0]
        elif not _clean_indicator(head) and clause[q.end() : q.end() + 1] == "的":
            indicator = _counted_noun(clause, q.end() + 1)[0]
            yield start, TargetMatch(
                indicator=indicator,
                value=_split_unit(q.group("value"), unit)[0],
                value_max=None,
                unit=_split_unit(q.group("value"), unit)[1],
                direction=Direction.REACH,
                approx=q.group("qual") == "左右",
                year=clause_year,
                base_year=base_year,
                text=sentence.strip(),
                offset=start,
            )
            continue
        else:
            continue
        made = _make(q, level, indicator, clause, clause_year, base_year, sentence)
        if made is not None:
            yield start, made


def _milestones(
    clause: str, year: int | None, sentence: str
) -> Iterator[tuple[int, TargetMatch]]:
    """Yield dated qualitative milestones (碳达峰 / 碳中和) of a clause."""
    if "峰" not in clause and "中和" not in clause:
        return  # every MILESTONE verb holds 峰 or 中和
    years = [m for m in YEAR_BEFORE.finditer(clause)]
    years += [m for m in re.finditer(r"(?P<year>20[2-6]\d)\s*年", clause) if m not in years]
    for m in MILESTONE.finditer(clause):
        if clause.rfind("《", 0, m.start()) > clause.rfind("》", 0, m.start()):
            continue  # a title: "制定《江苏省2030年前二氧化碳排放达峰方案》"
        verb = m.group("verb") or m.group("verb2") or m.group("verb3") or m.group("verb4")
        dated = m.group("dated") is not None
        after = clause[m.end() : m.end() + 3]
        if dated and after.startswith(("的目标", "的承诺")):
            pass  # "2060年前碳中和的目标" (line 9417): the goal named with its year
        elif after.startswith(("工作", "行动", "愿景", "战略", "相关", "的", "碳中和")):
            continue
        promised = m.group("how") is not None or dated
        if after.startswith("目标") and (not promised or "为" in clause[: m.start()]):
            continue  # "碳达峰目标" as a noun, or a purpose: "为如期实现碳达峰目标提供…支撑"
        before = [y for y in years if y.end() <= m.start()]
        if dated:
            offset = m.start("dated")
            target_year: int | None = int(m.group("dated"))
            year_at: int | None = None
        elif before:
            own = max(before, key=lambda y: y.end())
            offset = own.start("year")
            target_year = int(own.group("year"))
            year_at = None
        elif year is not None and "为" not in clause[: m.start()]:
            # only a carried year, and not a purpose ("为实现碳达峰奠定坚实基础", line 4617)
            offset = m.start()
            target_year = year
            year_at = _CARRIED
        else:
            continue
        if verb in {"峰值", "达到峰值", "达峰"}:
            head = clause[: m.start()]
            # "着眼2035年“绿色生产生活方式广泛形成，碳排放达峰后稳中有降…”": a quoted clause
            cut = max(head.rfind(c) for c in "、，,")
            if head.rfind("“") > head.rfind("”"):
                cut = max(cut, head.rfind("“"))  # within a quote: what it says
            head = head[cut + 1 :]
            head = YEAR_BEFORE.sub("", head)
            head = re.sub(r"20[2-6]\d\s*年", "", head)
            subject = _clean_indicator(head)
            subject = re.sub(r"(?:力争|努力|争取|于|在|前|尽早|率先|提前|实现|达到)+$", "", subject)
            subject = re.split(r"承诺|目标|确保|力争|实现", subject)[-1] or "碳排放"
            indicator = subject + "达峰"
        else:
            subject = _milestone_subject(m.group("subject") or "")
            indicator = subject + verb if subject and verb == "碳达峰" else verb
        yield offset, TargetMatch(
            indicator=indicator,
            value=None,
            value_max=None,
            unit=None,
            direction=Direction.MILESTONE,
            approx=False,
            year=target_year,
            base_year=None,
            text=sentence.strip(),
            offset=offset,
            year_offset=year_at,
        )


def _milestone_subject(raw: str) -> str:
    """Return who peaks, cleaned: "国家电投在国内的" (line 42100) gives "国家电投国内".

    >>> _milestone_subject("国家电投在国内的"), _milestone_subject(" 公共机构")
    ('国家电投国内', '公共机构')
    """
    subject = raw.strip().rstrip("的")
    return re.sub(r"^(?P<who>[^在]+)在(?P<where>[^在]+)$", r"\g<who>\g<where>", subject)


def _context_year(ctx: re.Match[str]) -> tuple[int, int]:
    """Return the year a YEAR_CONTEXT match names and its offset in the clause."""
    if ctx.group("plan"):
        return _plan_year(ctx.group("plan")), ctx.start("plan")
    for name in ("year", "lead", "lead2", "aim"):
        if ctx.group(name):
            return int(ctx.group(name)), ctx.start(name)
    raise AssertionError("YEAR_CONTEXT matched no year")  # pragma: no cover


def parse_targets(
    text: str, year: int | None = None, year_offset: int | None = None
) -> tuple[list[TargetMatch], int | None]:
    """Find the targets of one paragraph's text.

    Args:
        text: the paragraph (wrapped lines joined).
        year: a target year carried in from an earlier paragraph, if any.
        year_offset: where that year is printed in ``text`` (-1: before it).

    Returns:
        The targets (offsets into ``text``) and the year in force at the end.

    >>> found, _ = parse_targets("到2025年，非化石能源消费比重达到20%左右。")
    >>> [(t.indicator, t.value, t.unit, str(t.direction), t.approx, t.year) for t in found]
    [('非化石能源消费比重', 20.0, '%', 'reach', True, 2025)]
    """
    if _ANY_TARGET.search(text) is None:
        return [], year  # no number, no year, no peak: nothing to find or carry
    printed = text
    text = normalise_digits(text)  # one character for one: offsets hold in ``printed``
    out: list[TargetMatch] = []
    if year is not None and year_offset is None:
        year_offset = -1
    notes: list[tuple[int | None, int | None]] = []  # the year in force before each open note
    dated: list[bool] = []  # for each open note, whether a year opens it: "（2021年…）"
    for s_off, sentence in _sentences(text):
        last_indicator = ""
        # the clauses so far: the subject of the last one that has one is read only when a
        # target needs it (most clauses hold none)
        before: list[str] = []
        own_text = printed[s_off : s_off + len(sentence)].strip()
        for c_off, clause in _clauses(sentence):
            # the clause's parts between note marks, each with the year in force in it: a
            # year stated in a note （…） holds in the note only; "到2022年，…比例达到70%以上
            # （其中，2021年达到60%），星级绿色建筑面积占比达到20%以上" (517 长沙) is for 2022
            parts: list[tuple[int, int | None, int | None]] = []
            in_dated: list[tuple[int, int]] = []  # the parts inside a note a year opens
            start = 0
            for end in [m.start() for m in _NOTE_MARK.finditer(clause)] + [len(clause)]:
                part = clause[start:end]
                # every YEAR_CONTEXT holds a year 20xx or a plan 十x五
                maybe = "20" in part or "十" in part
                contexts = list(YEAR_CONTEXT.finditer(part)) if maybe else []
                lead = _NOTE_YEAR.match(part) if notes and not contexts else None
                if contexts:
                    year, off = _context_year(contexts[-1])
                    year_offset = s_off + c_off + start + off
                elif lead is not None:
                    # "（2021年到达10%）", "（2021年实施退化草原修复6万亩…）" (140 包头)
                    year = int(lead.group("year"))
                    year_offset = s_off + c_off + start + lead.start("year")
                    dated[-1] = True
                parts.append((start, year, year_offset))
                if dated and dated[-1]:
                    in_dated.append((start, end))
                if end < len(clause) and clause[end] in "（(":
                    notes.append((year, year_offset))
                    dated.append(False)
                elif end < len(clause) and notes:
                    year, year_offset = notes.pop()  # the note closes: the year before it
                    dated.pop()
                start = end + 1
            found, milestones = _scoped(parts, clause, sentence, last_indicator)
            if in_dated:
                taken = {off for off, _ in found}
                found += [(off, m) for a, b in in_dated
                          for off, m in _dated_amount(clause, a, b, _part_at(parts, a)[1], sentence)
                          if off not in taken]
            for off, match in sorted(found + milestones, key=lambda pair: pair[0]):
                if not match.indicator:
                    # "存量煤电机组灵活性改造应改尽改，“十四五”期间完成 2 亿千瓦" (line 9602)
                    # "支持项目数：不超过2项。": the label before a colon names it
                    label = _label(before[-1]) if before and sentence[c_off - 1] in "：:" else ""
                    match = dataclasses.replace(
                        match, indicator=label or last_indicator or _last_subject(before))
                if match.value is not None:
                    last_indicator = match.indicator
                where = s_off + c_off + off
                milestone_year_at: int | None = None
                if match.value is None:
                    carried = match.year_offset == _CARRIED
                    at_year = _part_at(parts, off)[2]
                    at = -1 if at_year is None else at_year
                    milestone_year_at = at if carried else where
                out.append(
                    TargetMatch(
                        indicator=match.indicator,
                        value=match.value,
                        value_max=match.value_max,
                        unit=match.unit,
                        direction=match.direction,
                        approx=match.approx,
                        year=match.year,
                        base_year=match.base_year,
                        text=own_text,
                        offset=where,
                        year_offset=milestone_year_at,
                    )
                )
            before.append(clause)
    if notes:
        year = notes[0][0]  # a note left open ends with its paragraph
    return out, year


def _dated_amount(
    clause: str, start: int, end: int, year: int | None, sentence: str
) -> Iterator[tuple[int, TargetMatch]]:
    """Yield the target of a part of a dated note that is only words and an amount.

    A note a year opens lists that year's work: "（2021年启动实施黄河河道和滩区综合治理工程，
    恢复黄河湿地2000亩）" (140 包头) names 恢复黄河湿地, 2000 亩, by its words.

    >>> found = _dated_amount("恢复黄河湿地2000亩", 0, 12, 2021, "")
    >>> [(m.indicator, m.value, m.unit) for _, m in found]
    [('恢复黄河湿地', 2000.0, '亩')]
    """
    part = clause[start:end]
    digit = re.search(r"\d", part)
    if digit is None or year is None:
        return
    words = part[: digit.start()]
    q = QUANTITY.match(clause, start + digit.start())
    if q is None or clause[q.end() : end].strip():
        return  # the amount ends the part
    if not _is_count(q.group("unit") or q.group("unit1")):
        return
    indicator = _clean_indicator(words)
    if len(indicator) < 2 or re.search(r"[，。；：、%]", words) or TRIGGER.search(words):
        return  # a trigger verb's clause is read by its verb
    made = _make(q, None, indicator, clause, year, None, sentence)
    if made is not None:
        yield q.start("value"), made


def _part_at(
    parts: Sequence[tuple[int, int | None, int | None]], off: int
) -> tuple[int, int | None, int | None]:
    """Return the part of a clause (start, year, year offset) that holds offset ``off``."""
    return next(p for p in reversed(parts) if p[0] <= off)


def _scoped(
    parts: Sequence[tuple[int, int | None, int | None]], clause: str, sentence: str, previous: str
) -> tuple[list[tuple[int, TargetMatch]], list[tuple[int, TargetMatch]]]:
    """Return the targets and milestones of a clause, each with the year of its part.

    >>> found, _ = parse_targets("到2022年，甲比例达到70%（其中，2021年达到60%），乙占比达到20%。")
    >>> [(t.value, t.year) for t in found]
    [(70.0, 2022), (60.0, 2021), (20.0, 2022)]
    """
    years = list(dict.fromkeys(year for _, year, _ in parts))
    if len(years) == 1:
        return (list(_clause_targets(clause, years[0], sentence, previous)),
                list(_milestones(clause, years[0], sentence)))
    found: list[tuple[int, TargetMatch]] = []
    milestones: list[tuple[int, TargetMatch]] = []
    for year in years:
        # each part's targets as read with its year: a clause's year gates some of them
        found += [(off, m) for off, m in _clause_targets(clause, year, sentence, previous)
                  if _part_at(parts, off)[1] == year]
        milestones += [(off, m) for off, m in _milestones(clause, year, sentence)
                       if _part_at(parts, off)[1] == year]
    return found, milestones


def _label(clause: str) -> str:
    """Return the measure a clause ending in a colon names, or "" (a heading, a number).

    >>> _label("支持项目数"), _label("（二）主要目标"), _label("2021年")
    ('支持项目数', '', '')
    """
    label = _clean_indicator(clause)
    if len(label) > 20 or re.search(r"\d|目标$|任务$|要求$", label):
        return ""
    return label


def _last_subject(clauses: Sequence[str]) -> str:
    """The subject of the last of ``clauses`` that has one."""
    return next((found for c in reversed(clauses) if (found := _subject(c))), "")


def _subject(clause: str) -> str:
    """Return the subject of a clause: its words before the first verb or modal, cleaned."""
    end = _SUBJECT_END.search(clause)
    trigger = TRIGGER.search(clause)
    cut = min(m.start() for m in (end, trigger) if m is not None) if end or trigger else None
    if cut is None or cut == 0:
        return ""
    head = clause[:cut]
    if re.search(r"\d|%", head):
        return ""  # "经过十余年发展" is no subject, nor a number
    return _clean_indicator(head)


#: A clause that looks like a target (year context and a percentage) but was not parsed.
_TARGET_LIKE = re.compile(r"(?<!截)(?:到|至)\s*20[2-6]\d\s*年.*\d\s*(?:%|个百分点)")


def find_targets(doc: Document) -> tuple[list[Target], list[Problem]]:
    """Return the targets and milestones of a document, with problems T001.

    Args:
        doc: a loaded document with its paragraphs.

    Returns:
        The targets in text order (ids ``<doc_id>-g<n>``) and the problems found.
    """
    problems: list[Problem] = []
    carried: int | None = None
    carried_line: int | None = None
    work_year = title_year(doc)
    now = _document_year(doc)
    kept: list[tuple[TargetMatch, int]] = []
    for para in doc.paragraphs:
        found, year = parse_targets(para.text, carried)
        for match in found:
            if _told_of_the_past(match, now):
                continue
            line = para.line_at(match.offset)
            if match.year_offset is not None:
                # a milestone is placed on the line of its year (gold: line 26419)
                if match.year_offset >= 0:
                    line = para.line_at(match.year_offset)
                elif carried_line is not None:
                    line = carried_line
            kept.append((match, line))
        if not found:
            problems.extend(_unparsed(doc, para))
        # a paragraph cut mid-sentence (line 4086 "到 2025年，…重点行业") carries its year on
        ends = para.text.rstrip()[-1:] if para.text.strip() else "。"
        if ends not in "。！？；：!?;:" and year is not None:
            if year != carried:
                carried_line = _year_line(para, year) or carried_line
            carried = year
        else:
            carried, carried_line = None, None
    reviews = _reviews(doc, now, kept)
    targets: list[Target] = []
    for match, line in kept:
        if match.year is None and any(a <= line <= b for a, b in reviews):
            continue  # a figure of a section that reviews the past: "（一）发展基础"
        if match.year is None and work_year is not None:
            # "2022年能源工作指导意见" (line 15220): its targets are for 2022 (15301)
            match = dataclasses.replace(match, year=work_year)
        targets.append(_to_target(doc, match, line, len(targets) + 1))
    return targets, problems


def title_year(doc: Document) -> int | None:
    """Return the one year a document's title names as its working year, if any.

    >>> from policykg.records import DocKind
    >>> doc = Document(id="p3-c2-2.3", part=3, chapter=None, seq="2.3",
    ...     kind=DocKind.MINISTRY_POLICY, title="2022年能源工作指导意见", doc_number=None,
    ...     date=None, date_source=None, year=None, issuers=(), url=None, start_line=15220,
    ...     end_line=15682, file="compilation-2022.txt")
    >>> title_year(doc), title_year(dataclasses.replace(doc, title="2030年前碳达峰行动方案"))
    (2022, None)
    """
    if doc.kind in {DocKind.SPEECH, DocKind.EXCERPT, DocKind.INTERNATIONAL_AGREEMENT}:
        return None  # "在 2022年世界经济论坛视频会议的演讲" (line 2142) names an event
    years = {int(m.group("year")) for m in TITLE_YEAR.finditer(normalise_digits(doc.title))}
    return years.pop() if len(years) == 1 else None


def _document_year(doc: Document) -> int | None:
    """Return the year a document was issued, if known, or the first year it can have been.

    Its year, else its date's; else, for a five-year plan's document, the first year of the
    plan: a “十四五” plan is written when “十三五” is over (151 湖北省林业发展“十四五”规划 prints
    no date and reviews “十三五”).

    >>> doc = Document(id="d", part=None, chapter=None, seq=None, kind=DocKind.LOCAL_POLICY,
    ...     title="湖北省林业发展“十四五”规划", doc_number=None, date=None, date_source=None,
    ...     year=None, issuers=(), url=None, start_line=1, end_line=2, file="151.pdf")
    >>> _document_year(doc), _document_year(dataclasses.replace(doc, date="2022-01-05"))
    (2021, 2022)
    """
    if doc.year is not None:
        return doc.year
    if doc.date:
        return int(doc.date[:4])
    plans = _plan_ends(doc.title)
    return min(plans) - 4 if plans else None


def _told_of_the_past(match: TargetMatch, now: int | None) -> bool:
    """Return whether a target is a figure of what was already done, not a promise.

    A target with a year before the document's (截至2020年底 in a plan of 2021) is a fact; so is
    one with no year in a sentence told of the past (``_PAST_SENTENCE``: 以来, 近年来, 5年来,
    过去五年, 截至目前; a plan period over before the document, “十三五”期间; a clause opened by a
    year before it, 2020年，…).
    """
    if match.year is not None:
        return now is not None and match.year < now
    sentence = normalise_digits(match.text)
    if _PAST_SENTENCE.search(sentence):
        return True
    if now is None:
        return False
    for m in _PAST_PLAN.finditer(sentence):
        if _PLAN_END[m.group("plan")] < now:
            return True
    for _, clause in _clauses(sentence):
        told = re.sub(r"^\s*(?:截至|截止|到|至|在)", "", clause)
        lead = _YEAR_LEAD.match(told)
        if lead is not None and int(lead.group("year")) < now \
                and not re.match(r"\s*(?:以后|之后|后|起|以来)", told[lead.end():]):
            # not a condition: "1990年以后建成、…未达到国家节能50%标准的小区" (515 北京)
            return True
    return False


def _reviews(
    doc: Document, now: int | None, found: Sequence[tuple[TargetMatch, int]]
) -> list[tuple[int, int]]:
    """Return the line spans of the sections of a document that review the past.

    A section whose heading names its review (“十三五”发展回顾, 发展基础, 取得的成效, 现状与形势)
    and not a task (巩固…成效, 加快基础设施…), that holds no section of goals or tasks. A
    section in which a quantitative target has a
    year of the document's or later promises something: its span is not trusted (a heading read
    from a table of contents may span the document). A milestone does not count: a review
    quotes the national pledge, "力争于2030年前达到峰值" (213 天津 电力规划, line 81).
    """
    spans = []
    for s in doc.sections:
        heading = normalise_digits(s.heading)
        if _TASK_HEADING.search(heading):
            continue
        plans = _plan_ends(heading)
        past_plan = bool(plans) and now is not None and max(plans) < now
        if not (_REVIEW_HEADING.search(heading) or past_plan):
            continue
        if any(s.start_line < o.start_line <= s.end_line and _GOAL_HEADING.search(o.heading)
               for o in doc.sections):
            continue  # "一、发展基础和面临形势" (200 上海, lines 7-246) holds "（三）发展目标"
        if any(s.start_line <= line <= s.end_line and m.value is not None
               and m.year is not None and (now is None or m.year >= now) for m, line in found):
            continue
        spans.append((s.start_line, s.end_line))
    return spans


def _year_line(para: Paragraph, year: int) -> int | None:
    """Return the line of the last mention of a year in a paragraph."""
    i = normalise_digits(para.text).rfind(str(year))
    return para.line_at(i) if i >= 0 else None


def _to_target(doc: Document, match: TargetMatch, line: int, n: int) -> Target:
    """Make a ``Target`` record of a match."""
    return Target(
        id=f"{doc.id}-g{n}",
        doc_id=doc.id,
        indicator=match.indicator,
        value=match.value,
        unit=match.unit,
        direction=match.direction,
        approx=match.approx,
        year=match.year,
        base_year=match.base_year,
        text=match.text,
        line=line,
        value_max=match.value_max,
    )


def _unparsed(doc: Document, para: Paragraph) -> Iterator[Problem]:
    """Yield T001 for target-like sentences of a paragraph that gave no target."""
    if "%" not in para.text and "％" not in para.text and "个百分点" not in para.text:
        return  # _TARGET_LIKE ends in % or 个百分点
    text = normalise_digits(para.text)
    for s_off, sentence in _sentences(text):
        if _TARGET_LIKE.search(sentence):
            line = para.line_at(s_off)
            yield Errors.T001.at(
                Span(file=doc.file, start_line=line, end_line=line),
                excerpt=sentence.strip()[:80],
            )
