"""who / duties: ranked task search and per-agency duties over records."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from policykg.errors import QueryError
from policykg.graph.search import duties, resolve_agency, who
from policykg.records import Agency, DocKind, Document, Level, Task

# Records read from the text: 1.6 “十四五”节能减排综合工作方案 (lines 5942-6493) and
# 1.12 促进绿色消费实施方案 (10826-11437); task texts cut to their first sentences.
DOCS = (
    Document(id="p2-1.6", part=2, chapter=None, seq="1.6", kind=DocKind.CENTRAL_POLICY,
             title="“十四五”节能减排综合工作方案", doc_number="国发〔2021〕33号", date=None,
             date_source=None, year=2021, issuers=("国务院",), url=None, start_line=5942,
             end_line=6493, file="compilation-2022.txt"),
    Document(id="p3-c1-1.12", part=3, chapter="第一章 国家发展和改革委员会", seq="1.12",
             kind=DocKind.MINISTRY_POLICY, title="促进绿色消费实施方案", doc_number=None,
             date=None, date_source=None, year=2022, issuers=(), url=None, start_line=10826,
             end_line=11437, file="compilation-2022.txt"),
)


def _task(tid: str, doc: str, text: str, line: int, lead: tuple[str, ...] = (),
          participants: tuple[str, ...] = (), section: tuple[str, ...] = ()) -> Task:
    return Task(id=tid, doc_id=doc, text=text, section=section, lead=lead,
                participants=participants, collective=(), etc=True, jurisdiction=None,
                raw="（…）", start_line=line, end_line=line + 4)


NDRC = "国家发展和改革委员会"
TASKS = (
    _task("p2-1.6-t4", "p2-1.6", "（四）交通物流节能减排工程。推动绿色铁路、绿色公路、"
          "绿色港口建设，"
          "提高城市公交、出租、物流车辆使用新能源汽车的比例。", 6056,
          lead=("交通运输部", NDRC), participants=("工业和信息化部", "国家能源局"),
          section=("三、实施节能减排重点工程",)),
    _task("p2-1.6-t6", "p2-1.6", "（六）公共机构能效提升工程。率先采购使用节能和新能源汽车，"
          "新建和既有停车场要配备电动汽车充电设施。", 6125,
          participants=("国家机关事务管理局",)),
    _task("p2-1.6-t11", "p2-1.6", "（一）优化完善能耗双控制度。坚持节能优先，强化能耗强度降低"
          "约束性指标管理。", 6231, lead=(NDRC,), participants=("国家统计局", "国家能源局")),
    _task("p3-c1-1.12-t4", "p3-c1-1.12", "（七）大力发展绿色交通消费。大力推广新能源汽车，"
          "逐步取消各地新能源车辆购买限制。", 10987, participants=(NDRC, "交通运输部")),
)

AGENCIES = (
    Agency(id="ndrc", name=NDRC, aliases=("国家发展改革委", "国家发改委"), level=Level.CENTRAL,
           jurisdiction=None, parent="state-council"),
    Agency(id="nea", name="国家能源局", aliases=(), level=Level.CENTRAL, jurisdiction=None,
           parent="ndrc"),
    Agency(id="ningxia-eco", name="宁夏回族自治区生态环境厅", aliases=("生态环境厅",),
           level=Level.PROVINCIAL, jurisdiction="宁夏回族自治区", parent=None),
    Agency(id="jiangxi-eco", name="江西省生态环境厅", aliases=("生态环境厅",),
           level=Level.PROVINCIAL, jurisdiction="江西省", parent=None),
)


def test_who_ranks_by_the_query_words() -> None:
    hits = who(["新能源汽车"], TASKS, DOCS, limit=10)
    assert {h.task.id for h in hits} == {"p2-1.6-t4", "p2-1.6-t6", "p3-c1-1.12-t4"}
    titles = {d.id: d.title for d in DOCS}
    assert [h.title for h in hits] == [titles[h.task.doc_id] for h in hits]
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))


def test_who_needs_both_words_of_a_two_word_query() -> None:
    # issue 10: 量子计算 (量子 / 计算) returned 节能减排 tasks that only say 计算
    hits = who(["新能源汽车", "充电"], TASKS, DOCS, limit=10)
    assert [h.task.id for h in hits] == ["p2-1.6-t6"]
    counted = (dataclasses.replace(TASKS[2], text="（一）完善能耗计算方法。"),)
    assert who(["量子", "计算"], counted, DOCS, query="量子计算") == []


def test_who_needs_two_of_three_words_and_ranks_more_words_first() -> None:
    hits = who(["新能源汽车", "充电", "公交"], TASKS, DOCS, limit=10)
    assert [h.task.id for h in hits] == ["p2-1.6-t6", "p2-1.6-t4"]


def test_who_ranks_a_phrase_match_first() -> None:
    apart = dataclasses.replace(TASKS[0], id="apart", text="推广汽车。发展新能源、新能源汽车充电。")
    phrase = dataclasses.replace(TASKS[1], id="phrase", text="新能源汽车充电设施。")
    hits = who(["新能源", "汽车"], (apart, phrase), DOCS, query="新能源汽车充电")
    assert hits[0].task.id == "phrase"


def test_who_searches_section_headings() -> None:
    hits = who(["重点工程"], TASKS, DOCS)
    assert [h.task.id for h in hits] == ["p2-1.6-t4"]


def test_who_breaks_ties_by_corpus_order() -> None:
    twins = (TASKS[2], TASKS[0])
    # the same text twice: equal scores, so document order then line decide
    same = tuple(dataclasses.replace(t, text="节能", section=()) for t in twins)
    assert [h.task.id for h in who(["节能"], same, DOCS)] == ["p2-1.6-t4", "p2-1.6-t11"]


@pytest.mark.parametrize(
    ("tokens", "limit", "expected"),
    [
        pytest.param([], 10, 0, id="empty-query"),
        pytest.param(["，", " "], 10, 0, id="punctuation-only"),
        pytest.param(["氢能"], 10, 0, id="no-match"),
        pytest.param(["新能源汽车"], 2, 2, id="limit"),
        pytest.param(["的", "新能源汽车"], 0, 3, id="stop-word-ignored-limit-0-is-all"),
    ],
)
def test_who_edges(tokens: list[str], limit: int, expected: int) -> None:
    assert len(who(tokens, TASKS, DOCS, limit=limit)) == expected


def test_duties_groups_by_document_with_counts() -> None:
    result = duties(AGENCIES[0], TASKS, DOCS)
    assert result.total == 3
    assert result.lead == 2
    assert [g.document.id for g in result.groups] == ["p2-1.6", "p3-c1-1.12"]
    assert [r.role for r in result.groups[0].rows] == ["lead", "lead"]
    assert [r.role for r in result.rows] == ["lead", "lead", "participant"]


def test_duties_lead_only() -> None:
    result = duties(AGENCIES[0], TASKS, DOCS, lead_only=True)
    assert [r.task.id for r in result.rows] == ["p2-1.6-t4", "p2-1.6-t11"]


@pytest.mark.parametrize(
    ("name", "agency_id"),
    [
        pytest.param("国家发展改革委", "ndrc", id="alias"),
        pytest.param("国家发展和改革委员会", "ndrc", id="canonical"),
        pytest.param("nea", "nea", id="id"),
    ],
)
def test_duties_accepts_any_alias(name: str, agency_id: str) -> None:
    assert duties(name, TASKS, DOCS, AGENCIES).agency.id == agency_id


@pytest.mark.parametrize(
    ("name", "message"),
    [
        pytest.param("国家气象局", "no agency", id="unknown"),
        pytest.param("生态环境厅", "several", id="ambiguous-local-alias"),
    ],
)
def test_resolve_agency_errors(name: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        resolve_agency(name, AGENCIES)
