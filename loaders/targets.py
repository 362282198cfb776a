"""Quantitative targets and dated milestones of a policy document.

Works on ``Document.paragraphs``; each target keeps the source line of its number.
Imports only the standard library, ``policykg`` records/errors and ``loaders.numerals``;
must not import rdflib, networkx, spaCy, jieba or anything from ``graph``/``viz``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from loaders.numerals import normalise_digits, parse_number
from policykg.records import Direction, Document, Paragraph, Problem, Span, Target

__all__ = ["TargetMatch", "find_targets", "parse_targets"]

logger = logging.getLogger(__name__)

_CN = "〇零一二两三四五六七八九十百千"

#: The year a sentence aims at, carried over the following sentences of a paragraph.
#: line 4571: "到 2025年，绿色低碳循环发展的经济体系初步形成"; line 4577: "到2030年"
YEAR_CONTEXT = re.compile(
    r"""
    (?: 到 | 至 | 截至 | 截止 ) \s* (?P<year> 20[2-6]\d ) \s* 年 (?! 前 | 以前 | 之前 )
    | (?P<plan> “?十[四五六]五”? ) \s* (?: 时期 | 期间 | 末 )
    """,
    re.VERBOSE,
)

#: A year bound inside the clause itself: "二氧化碳排放力争于2030年前达到峰值" (line 4049).
YEAR_BEFORE = re.compile(
    r"""
    (?P<year> 20[2-6]\d ) \s* 年 \s* (?: 前 | 以前 | 之前 | 左右 )
    """,
    re.VERBOSE,
)

#: A base year: "单位国内生产总值二氧化碳排放比 2005年下降 65%以上" (line 4579).
BASE_YEAR = re.compile(
    r"""
    (?: 比 | 较 | 相比 | 与 | 在 ) \s* (?P<base> (?:19|20)\d\d ) \s* 年 (?: 末 | 底 | 水平 )?
    (?: 相比 | 的?基础上 )?
    | 比 \s* “? (?P<plan> 十[二三四]五 ) ”? \s* 末
    """,
    re.VERBOSE,
)

_UNIT = r"""
    (?: 个百分点 | 百分点 | % | ‰
      | [万亿]* (?: 千瓦时 | 千瓦 | 吨标准煤 | 吨二氧化碳当量 | 吨二氧化碳 | 吨标煤 | 吨
                  | 标准立方米 | 立方米 | 平方米 | 平方公里 | 公顷 | 亩 | 公里 | 千米
                  | 辆 | 元 | 美元 | 人次 | 人 | 户 | 台 | 套
                  | 座 | 个 | 家 | 项 | 所 | 处 | 条 | 种 )
      | 克/千瓦时 | 克标准煤/千瓦时 | 千克标准煤 | 小时 | 倍 | 成 | [万亿] )
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
    r"""
    (?P<verb>
        不低于 | 不少于 | 不超过 | 不高于 | 低于 | 高于 | 超过 | 突破 | 力争达到
      | 提高到 | 提高至 | 提升到 | 提升至 | 增长到 | 增长至
      | 增加到 | 增加至 | 增至 | 扩大到 | 扩大至
      | 降低到 | 降低至 | 下降到 | 下降至 | 降至 | 降到 | 减少到 | 减少至 | 控制在 | 稳定在 | 保持在
      | 年均增长 | 年均下降 | 提高 | 提升 | 增长 | 增加 | 下降 | 降低 | 减少 | 压减 | 削减
      | 达到 | 达 | 建成 | 培育 | 打造 | 创建 | 建设 | 新增 | 累计 | 选择 | 遴选 | 形成 | 推广
    )
    \s* (?: 了 )? \s*
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
MILESTONE = re.compile(
    r"""
    (?: 实现 | 达到 ) \s* (?P<subject> [^，。；、\d]{0,8}? )
    (?P<verb> 碳达峰 | 碳中和 | 峰值 | 达峰 )
    | (?<= 排放 | 尽早 | 率先 | 提前 | 总量 | 消费 ) (?P<verb2> 达到峰值 | 达峰 )
    """,
    re.VERBOSE,
)

_SENTENCE_END = re.compile(r"[。！？；]")
_CLAUSE_END = re.compile(r"[，,：:；;。！？]")
_APPROX_BEFORE = re.compile(r"(?:约|大约|近|接近)\s*$")
_INDICATOR_PREFIX = re.compile(
    r"""
    ^ (?: [\s“”"（）()、]+
        | 到\s*20\d\d\s*年(?:底|末)?
        | 20\d\d\s*年(?:前|底|末)?
        | “?十[四五六]五”?(?:时期|期间|末)?
        | 力争 | 将 | 全国 | 使 | 确保 | 其中 | 同时 | 并 | 和 | 以及
        | 预计 | 实现 | 基本 | 全部 | 总体
        | \d+[．.、)）] | [（(]\d+[)）]
        | [一二三四五六七八九十]+、 | [（(]?[一二三四五六七八九十]+[)）]
      )+
    """,
    re.VERBOSE,
)
_INDICATOR_SUFFIX = re.compile(r"(?:将|要|力争|分别|均|需|应|平均|年均|累计|稳步|逐步)?\s*$")

_DIRECTIONS: dict[str, Direction] = {
    "不低于": Direction.AT_LEAST,
    "不少于": Direction.AT_LEAST,
    "高于": Direction.AT_LEAST,
    "超过": Direction.AT_LEAST,
    "突破": Direction.AT_LEAST,
    "不超过": Direction.AT_MOST,
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
}
#: Verbs that only promise a count ("建成…100个") when the quantity is a count.
_COUNT_VERBS = frozenset({"建成", "培育", "打造", "创建", "建设", "选择", "遴选", "形成", "推广"})
_COUNT_UNITS = frozenset({"个", "家", "座", "项", "所", "处", "条", "种", "套", "台", "户"})
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


def _plan_year(plan: str) -> int:
    """Return the end year of a five-year plan named like “十四五”."""
    return {"十四五": 2025, "十五五": 2030, "十六五": 2035}[plan.strip("“”")]


def _clean_indicator(raw: str) -> str:
    """Strip years, list markers and modal words from an indicator phrase."""
    text = _INDICATOR_PREFIX.sub("", raw.strip())
    text = re.sub(r"由\s*[\d.]+\s*\S{0,4}$", "", text)  # "利用率由 30%提高到50%"
    text = re.split(r"开展|进行|作为|用于", text)[0]
    text = BASE_YEAR.sub("", text)
    text = YEAR_BEFORE.sub("", text)
    prev = None
    while prev != text:
        prev = text
        text = _INDICATOR_SUFFIX.sub("", text).strip(" ，、“”（")
        text = _INDICATOR_PREFIX.sub("", text)
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
    """Yield (offset, clause) for the comma-separated clauses of a sentence."""
    start = 0
    for m in _CLAUSE_END.finditer(sentence):
        yield start, sentence[start : m.start()]
        start = m.end()
    if start < len(sentence):
        yield start, sentence[start:]


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


def _clause_targets(
    clause: str, year: int | None, sentence: str, previous: str = ""
) -> Iterator[tuple[int, TargetMatch]]:
    """Yield (offset in clause, target) for each quantitative target of a clause."""
    base = BASE_YEAR.search(clause)
    base_year = None
    if base is not None:
        plan_end = {"十二五": 2015, "十三五": 2020, "十四五": 2025}
        base_year = int(base.group("base")) if base.group("base") else plan_end[base.group("plan")]
    own = YEAR_BEFORE.search(clause)
    clause_year = int(own.group("year")) if own else year
    indicator_start = 0
    if re.search(r"目前|当前|现已|已经|已达|已有|截至目前", clause):
        return  # a fact, not a promise: "目前我国发电和供热行业二氧化碳排放量占…比重超过 40%"
    for t in TRIGGER.finditer(clause):
        verb = t.group("verb")
        found = list(_quantities(clause, t.end()))
        if not found:
            continue
        for q in found:
            unit = q.group("unit") or q.group("unit1")
            if unit is None and q.group("value").isdigit() and len(q.group("value")) == 4:
                continue  # a year, not a value
            if verb in _COUNT_VERBS or verb in {"累计", "形成"}:
                if unit is None or (unit not in _COUNT_UNITS and not _TARGET_HINT.search(unit)):
                    continue
            elif unit is None and clause_year is None:
                continue
            if verb == "达" and unit is None:
                continue
            if clause[q.end() : q.end() + 1] == "的" or clause[q.end() : q.end() + 2] == "及以":
                continue  # a threshold, not a promise: "年综合能耗超过 1 万吨标准煤的数据中心"
            try:
                value, unit_out = _split_unit(q.group("value"), unit)
            except ValueError:
                continue
            value_max = float(q.group("value_max")) if q.group("value_max") else None
            if verb in _COUNT_VERBS:
                tail = clause[q.end() :]
                indicator = _clean_indicator(re.split(r"[，。；（(]", tail)[0])
            else:
                indicator = _clean_indicator(clause[indicator_start : t.start()]) or previous
            qual = q.group("qual")
            direction = _DIRECTIONS.get(verb, Direction.REACH)
            if verb in {"达到", "达", "力争达到"} and qual in {"以上", "及以上"}:
                direction = Direction.REACH
            if qual in {"以内", "以下", "之内", "内"} and direction is Direction.REACH:
                direction = Direction.AT_MOST
            approx = qual == "左右" or _APPROX_BEFORE.search(clause[: q.start()]) is not None
            yield q.start("value"), TargetMatch(
                indicator=indicator,
                value=value,
                value_max=value_max,
                unit=unit_out,
                direction=direction,
                approx=approx,
                year=clause_year,
                base_year=base_year,
                text=sentence.strip(),
                offset=q.start("value"),
            )
        indicator_start = found[-1].end()


def _milestones(
    clause: str, year: int | None, sentence: str
) -> Iterator[tuple[int, TargetMatch]]:
    """Yield dated qualitative milestones (碳达峰 / 碳中和) of a clause."""
    years = [m for m in YEAR_BEFORE.finditer(clause)]
    years += [m for m in re.finditer(r"(?P<year>20[2-6]\d)\s*年", clause) if m not in years]
    for m in MILESTONE.finditer(clause):
        verb = m.group("verb") or m.group("verb2")
        after = clause[m.end() : m.end() + 2]
        if after.startswith(("工作", "目标", "行动", "愿景", "战略", "相关", "的", "碳中和")):
            continue
        before = [y for y in years if y.end() <= m.start()]
        if before:
            own = max(before, key=lambda y: y.end())
            offset = own.start("year")
            target_year: int | None = int(own.group("year"))
        elif year is not None and "为" not in clause[: m.start()]:
            # only a carried year, and not a purpose ("为实现碳达峰奠定坚实基础", line 4617)
            offset = m.start()
            target_year = year
        else:
            continue
        if verb in {"峰值", "达到峰值", "达峰"}:
            head = clause[: m.start()]
            head = head[head.rfind("、") + 1 :]
            head = YEAR_BEFORE.sub("", head)
            head = re.sub(r"20[2-6]\d\s*年", "", head)
            subject = _clean_indicator(head)
            subject = re.sub(r"(?:力争|努力|争取|于|在|前|尽早|率先|提前|实现|达到)+$", "", subject)
            subject = re.split(r"承诺|目标|确保|力争", subject)[-1] or "碳排放"
            indicator = subject + "达峰"
        else:
            subject = (m.group("subject") or "").strip()
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
        )


def parse_targets(text: str, year: int | None = None) -> tuple[list[TargetMatch], int | None]:
    """Find the targets of one paragraph's text.

    Args:
        text: the paragraph (wrapped lines joined).
        year: a target year carried in from an earlier paragraph, if any.

    Returns:
        The targets (offsets into ``text``) and the year in force at the end.

    >>> found, _ = parse_targets("到2025年，非化石能源消费比重达到20%左右。")
    >>> [(t.indicator, t.value, t.unit, str(t.direction), t.approx, t.year) for t in found]
    [('非化石能源消费比重', 20.0, '%', 'reach', True, 2025)]
    """
    text = normalise_digits(text)
    out: list[TargetMatch] = []
    for s_off, sentence in _sentences(text):
        last_indicator = ""
        for c_off, clause in _clauses(sentence):
            contexts = list(YEAR_CONTEXT.finditer(clause))
            if contexts:
                ctx = contexts[-1]
                plan = ctx.group("plan")
                year = _plan_year(plan) if plan else int(ctx.group("year"))
            found = list(_clause_targets(clause, year, sentence, last_indicator))
            found += list(_milestones(clause, year, sentence))
            for off, match in sorted(found, key=lambda pair: pair[0]):
                if match.value is not None:
                    last_indicator = match.indicator
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
                        text=match.text,
                        offset=s_off + c_off + off,
                    )
                )
    return out, year


#: A clause that looks like a target (year context and a percentage) but was not parsed.
_TARGET_LIKE = re.compile(r"(?:到|至)\s*20[2-6]\d\s*年.*\d\s*(?:%|个百分点)")


def find_targets(doc: Document) -> tuple[list[Target], list[Problem]]:
    """Return the targets and milestones of a document, with problems T001.

    Args:
        doc: a loaded document with its paragraphs.

    Returns:
        The targets in text order (ids ``<doc_id>-g<n>``) and the problems found.
    """
    targets: list[Target] = []
    problems: list[Problem] = []
    carried: int | None = None
    for para in doc.paragraphs:
        found, year = parse_targets(para.text, carried)
        # a paragraph cut mid-sentence (line 4086 "到 2025年，…重点行业") carries its year on
        carried = year if para.text and para.text.rstrip()[-1] not in "。！？；：!?;:" else None
        for match in found:
            targets.append(_to_target(doc, para, match, len(targets) + 1))
        if not found:
            problems.extend(_unparsed(doc, para))
    return targets, problems


def _to_target(doc: Document, para: Paragraph, match: TargetMatch, n: int) -> Target:
    """Make a ``Target`` record of a match in a paragraph."""
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
        line=para.line_at(match.offset),
        value_max=match.value_max,
    )


def _unparsed(doc: Document, para: Paragraph) -> Iterator[Problem]:
    """Yield T001 for target-like sentences of a paragraph that gave no target."""
    text = normalise_digits(para.text)
    for s_off, sentence in _sentences(text):
        if _TARGET_LIKE.search(sentence):
            line = para.line_at(s_off)
            yield Problem(
                code="T001",
                span=Span(file=doc.file, start_line=line, end_line=line),
                message="target sentence not understood",
                excerpt=sentence.strip()[:80],
            )
