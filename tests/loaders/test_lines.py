"""Tests for loaders.lines: page artifacts and wrapped-line joining with provenance."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policykg.loaders import lines as lines_module
from policykg.loaders.documents import LoadedDocuments
from policykg.loaders.lines import clean_lines, join_paragraphs, join_text
from policykg.records import SourceLine


def _lines(*texts: str) -> list[SourceLine]:
    """Numbered like the compilation: one printed line, one blank line."""
    return [SourceLine(number=2 * i + 1, text=t) for i, t in enumerate(texts)]


def test_doctests() -> None:
    assert doctest.testmod(lines_module).failed == 0


@pytest.fixture(scope="module")
def footers(fixtures_dir: Path) -> lines_module.CleanedLines:
    path = fixtures_dir / "loader_page_footers.txt"
    return clean_lines(path.read_text(encoding="utf-8"), path.name)


def test_page_footers_are_artifacts(footers: lines_module.CleanedLines) -> None:
    text = {s.number: s.text for s in footers.lines}
    raw = (Path(__file__).parents[1] / "data" / "fixtures" / "loader_page_footers.txt").read_text(
        encoding="utf-8"
    ).split("\n")
    dropped = [raw[n - 1].strip() for n in footers.artifacts]
    # compilation line 282 "16" (lone page number), 7576-7577 "—" + "201 —", 35510 "—"
    assert dropped == ["16", "—", "201 —", "—"]
    assert "16" not in text.values()


def test_table_numbers_are_kept(footers: lines_module.CleanedLines) -> None:
    # compilation lines 25267-25284: the 序号 column of a table ("1", "2", "3")
    kept = [s.text for s in footers.lines]
    assert {"1", "2", "3"} <= set(kept)


def test_title_after_a_footer_starts_fresh(footers: lines_module.CleanedLines) -> None:
    # compilation line 284 "1.2 习近平在联合国生物多样性峰会上的讲话" has no page-break space
    title = next(s for s in footers.lines if s.text.startswith("1.2 习近平"))
    assert title.number in footers.fresh
    assert title.number not in footers.page_starts


def test_page_break_space_is_stripped_and_recorded(footers: lines_module.CleanedLines) -> None:
    starts = [s for s in footers.lines if s.number in footers.page_starts]
    assert starts
    assert all(not s.text[0].isspace() for s in starts)


def test_every_line_is_kept_blank_or_artifact(footers: lines_module.CleanedLines) -> None:
    assert len(footers.lines) + len(footers.artifacts) + footers.blank_lines == footers.total_lines


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        pytest.param(
            ["1.3 中共中央 国务院关于完整准确全面贯彻新发展", "理念做好碳达峰碳中和工作的意见"],
            "1.3 中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见",
            id="cjk-names-keep-space-line-join-none",
        ),
        pytest.param(
            ["构的全球法人识别编码（LEI，LegalEntity", "Identifier）。"],
            "构的全球法人识别编码（LEI，LegalEntity Identifier）。",
            id="latin-words-keep-a-space",
        ),
        pytest.param(
            ["（ https://www.ndrc.gov.cn/xxgk/zcfb/tz/202103/t20210312_1269410.ht",
             "ml?code=&state=123）"],
            "（ https://www.ndrc.gov.cn/xxgk/zcfb/tz/202103/t20210312_1269410.html?code=&state=123）",
            id="wrapped-url-no-space",
        ),
    ],
)
def test_join_text(texts: list[str], expected: str) -> None:
    assert join_text(texts) == expected


def test_paragraph_joins_wrapped_lines_and_drops_digit_spaces() -> None:
    # compilation lines 5585-5587 (1.5 城乡建设绿色发展): "到 2025年" is a PDF artifact
    paras = join_paragraphs(
        _lines(
            "（三）总体目标",
            "到 2025年，城乡建设绿色发展体制机制和政策体系基本建立，",
            "建设方式绿色转型成效显著，碳减排扎实推进，城市整体性、系统",
        ),
        width=60,
    )
    assert [p.text for p in paras] == [
        "（三）总体目标",
        "到2025年，城乡建设绿色发展体制机制和政策体系基本建立，建设方式绿色转型成效显著，"
        "碳减排扎实推进，城市整体性、系统",
    ]
    first = "到2025年，城乡建设绿色发展体制机制和政策体系基本建立，"
    assert paras[1].offsets == ((0, 3), (len(first), 5))
    assert paras[1].line_at(paras[1].text.index("建设方式")) == 5


@pytest.mark.parametrize(
    ("texts", "count"),
    [
        pytest.param(
            ["能源领域 5G 应用实施方案，推动能源领域数字化智能化发展，提升能源产业链现代化水平。",
             "一、总体要求"],
            2,
            id="break-before-一、",
        ),
        pytest.param(
            ["动能效水平应提尽提。（牵头单位：市能源局、市生态环境局）",
             "2.科学核定能效水平。落实浙江省关于重点领域能效水平摸底调查工"],
            2,
            id="break-before-2.-after-annotation-line-33846",
        ),
        pytest.param(
            ["西部地区可再生能源装机规模进一步扩大，到 2025年可再生能源发电装机达到",
             "1.2亿千瓦左右，占全部发电装机比重进一步提高。"],
            1,
            id="no-break-before-1.2亿",
        ),
        pytest.param(
            ["主席先生，", "各位同事："],
            2,
            id="short-salutation-lines-line-78",
        ),
        pytest.param(
            ["——面对疫情，我们要践行人民至上、生命至上理念。要调集一",
             "切资源，科学防治，精准施策，不遗漏一个感染者，不放弃一位患者，",
             "——面对疫情，我们要加强团结、同舟共济。要秉持科学精神，"],
            2,
            id="break-before-dash-line-106",
        ),
        pytest.param(
            ["和运营维护管理，推进产业链上下游资源共享、系统集成和联动发展。",
             "4.1.6 绿色策划宜制定合理的减排方案，建立碳排放管理体系，并应"],
            2,
            id="break-before-clause-4.1.6-line-24055",
        ),
        pytest.param(
            ["4.4.3 应明确综合效能调适及绿色建造效果评估的内容及方式。", "5 绿色设计",
             "5.1 一般规定"],
            3,
            id="break-before-chapter-5-line-24120",
        ),
        pytest.param(
            ["尿素（合成氨下游产业链之一）项目实施产能等量或减量置换，推动",
             "30 万吨/年及以下乙烯、10 万吨/年及以下电石装置加快退出，加大"],
            1,
            id="no-break-before-30-万吨-line-9284",
        ),
    ],
)
def test_paragraph_breaks(texts: list[str], count: int) -> None:
    assert len(join_paragraphs(_lines(*texts), width=60)) == count


def _excerpt_starts(fixtures_dir: Path, name: str, first_line: int) -> list[tuple[int, str]]:
    """Join a fixture excerpt (width measured) into (compilation line, first 7 chars)."""
    cleaned = clean_lines((fixtures_dir / name).read_text(encoding="utf-8"), name)
    shifted = [
        SourceLine(number=s.number + first_line - 1, text=s.text) for s in cleaned.lines
    ]
    return [(p.start_line, p.text[:7]) for p in join_paragraphs(shifted)]


def test_sentence_ending_at_the_wrap_width_ends_its_paragraph(fixtures_dir: Path) -> None:
    # lines 3190-3210, 35322-35356 and 34036-34046 of the compilation, concatenated
    starts = _excerpt_starts(fixtures_dir, "lines_sentence_at_wrap_width.txt", 1)
    assert starts == [
        (1, "（二）工作原则"),
        (3, "坚持重点突破。"),
        (8, "坚持创新引领。"),
        # 3205 "…韧性持久地加以推进。" fills the line (60 cells); 3207 is indented (56)
        (14, "坚持稳中求进。"),
        (18, "坚持市场导向。"),
        (22, "（二）主要目标"),
        # 35332 "…全省碳达峰基础逐步夯实。" runs over the width (63 cells)
        (24, "到2025年，"),
        (34, "到2030年，"),
        (47, "到2060年，"),
        # 34043 "…（牵头单位：市大数据局；" at the width: the annotation goes on at 34045
        (57, "据中心电能利用"),
    ]


def test_main_goals_are_not_cut_after_the_year(fixtures_dir: Path) -> None:
    # lines 4084-4113: "到 2025年，…重点行业" (4086, 55 cells) goes on at 4088
    starts = _excerpt_starts(fixtures_dir, "targets_main_goals_1n.txt", 4084)
    assert starts == [
        (4084, "二、主要目标"),
        (4086, "到2025年，"),
        (4096, "到2030年，"),
        (4107, "到2060年，"),
    ]


@pytest.mark.slow
def test_compilation_paragraph_after_a_full_line(compilation_docs: LoadedDocuments) -> None:
    by_start = {
        p.start_line: p.text for d in compilation_docs.documents for p in d.paragraphs
    }
    assert by_start[3203].endswith("积极稳妥、韧性持久地加以推进。")
    assert by_start[3207].startswith("坚持市场导向。")
    assert by_start[35324].endswith("全省碳达峰基础逐步夯实。")
    assert by_start[35334].startswith("到2030年")
    assert by_start[4086].endswith("为实现碳达峰、碳中和奠定坚实基础。")


def test_web_copy_lines_are_paragraphs(fixtures_dir: Path) -> None:
    path = fixtures_dir / "loader_single_notice.txt"
    cleaned = clean_lines(path.read_text(encoding="utf-8"), path.name)
    paras = join_paragraphs(cleaned.lines)
    assert len(paras) == len(cleaned.lines)


# CJK text with stray spaces, digits, Latin, punctuation and heading markers
_CHUNK = st.text(
    alphabet=st.sampled_from(list("碳达峰中和国务院关于的意见一、（）。，：2025年 5GLEI")),
    min_size=1,
    max_size=40,
).map(str.strip).filter(bool)


@given(st.lists(_CHUNK, min_size=1, max_size=30))
def test_joining_keeps_every_non_space_character_in_order(texts: list[str]) -> None:
    source = _lines(*texts)
    paras = join_paragraphs(source, width=60)
    joined = re.sub(r"\s", "", "".join(p.text for p in paras))
    assert joined == re.sub(r"\s", "", "".join(texts))


@given(st.lists(_CHUNK, min_size=1, max_size=30))
def test_line_map_is_monotonic_and_in_range(texts: list[str]) -> None:
    source = _lines(*texts)
    numbers = [s.number for s in source]
    for para in join_paragraphs(source, width=60):
        offsets = [o for o, _ in para.offsets]
        lines = [n for _, n in para.offsets]
        assert offsets == sorted(offsets)
        assert offsets[0] == 0
        assert lines == sorted(lines)
        assert set(lines) <= set(numbers)
        assert para.start_line == lines[0]
        assert para.end_line == lines[-1]
        assert all(para.line_at(i) in lines for i in range(len(para.text)))
