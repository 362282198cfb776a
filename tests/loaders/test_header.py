"""Tests for loaders.header: titles, 文号, dates, issuers and source addresses."""

from __future__ import annotations

import doctest
from collections.abc import Callable
from pathlib import Path

import pytest

from policykg.loaders import header
from policykg.loaders.documents import load_documents
from policykg.loaders.header import find_doc_number, is_agency_line, parse_date, read_header
from policykg.records import DateSource, SourceLine

Lines = Callable[[int, int], list[SourceLine]]


def _read(source_lines: Lines, start: int, end: int, seq: str | None = None) -> header.Header:
    lines = source_lines(start, end)
    first = lines[0].text
    if seq is not None:
        first = first[len(seq):].strip()
    return read_header(lines, title_start=first)


def test_doctests() -> None:
    assert doctest.testmod(header).failed == 0


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        pytest.param("2020年9月22日", "2020-09-22", id="under-title-line-76"),
        pytest.param("（2021年10月14日）", "2021-10-14", id="bracketed-line-1881"),
        pytest.param("2021 年 10 月 29 日", "2021-10-29", id="spaced-line-9474"),
        pytest.param("2022年1月15日印发", "2022-01-15", id="印发-line-33202"),
        pytest.param("2022年7月", "2022-07", id="month-only-line-70"),
        pytest.param("（1992年5月9日 纽约）", "1992-05-09", id="with-place-line-44280"),
        pytest.param("2022年 X月 X日", None, id="placeholder-line-36093"),
        pytest.param("到 2025年，新能源汽车", None, id="body-text"),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("国发〔2021〕4号", ("国发〔2021〕4号", 2021), id="line-3158"),
        pytest.param("发改产业〔2021〕1464 号", ("发改产业〔2021〕1464号", 2021),
                     id="space-line-8682"),
        pytest.param("（苏政发〔2022〕8号）", ("苏政发〔2022〕8号", 2022),
                     id="bracketed-line-32067"),
        pytest.param("JR/T 0227—2021", None, id="standard-code-line-29790"),
        pytest.param("（国发〔2021〕23号）有关工作部署", None, id="cited-in-body"),
    ],
)
def test_find_doc_number(text: str, expected: tuple[str, int] | None) -> None:
    assert find_doc_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("银\u2003保\u2003监\u2003会", True, id="em-spaced-line-6654"),
        pytest.param("交通运输部 国家铁路局", True, id="two-on-a-line-26325"),
        pytest.param("国家生态工业示范园区建设协调领导小组办公室", True, id="long-line-18422"),
        pytest.param("府", False, id="wrapped-tail-line-39287"),
        pytest.param("求的，从其规定。", False, id="body-line-37021"),
    ],
)
def test_is_agency_line(text: str, expected: bool) -> None:
    assert is_agency_line(text) is expected


def test_speech_title_with_subtitle_and_date(source_lines: Lines) -> None:
    h = _read(source_lines, 511, 709, "1.4")
    assert h.title == (
        "守望相助共克疫情 携手同心推进合作——习近平在金砖国家领导人第十二次会晤上的讲话"
    )
    assert (h.date, h.date_source) == ("2020-11-17", DateSource.UNDER_TITLE)
    assert h.url == "http://jhsjk.people.cn/article/31934602"


def test_four_line_title_without_space_after_number(source_lines: Lines) -> None:
    h = _read(source_lines, 1873, 2014, "1.12")
    assert h.title == (
        "与世界相交 与时代相通在可持续发展道路上阔步前行"
        "——在第二届联合国全球可持续交通大会开幕式上的主旨讲话"
    )
    assert h.date == "2021-10-14"


def test_header_publication_date(source_lines: Lines) -> None:
    # line 2445: "来源：《求是》2022/10 发布时间：2022-05-15"
    h = _read(source_lines, 2443, 2740, "1.15")
    assert (h.date, h.date_source) == ("2022-05-15", DateSource.HEADER)


def test_notice_with_letter_spaced_sign_off_and_wrapped_url(source_lines: Lines) -> None:
    h = _read(source_lines, 6504, 6667, "1.1")
    assert h.title == "关于引导加大金融支持力度 促进风电和光伏发电等行业健康有序发展的通知"
    assert h.doc_number == "发改运行〔2021〕266号"
    assert (h.date, h.date_source, h.year) == ("2021-02-24", DateSource.SIGN_OFF, 2021)
    assert h.issuers == ("国家发展改革委", "财政部", "中国人民银行", "银保监会", "国家能源局")
    # lines 6662-6664, wrapped inside "ht|ml"; the bare copies at 6666-6667 are ignored
    assert h.url == (
        "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202103/t20210312_1269410.html?code=&state=123"
    )


def test_issuers_printed_under_the_title(source_lines: Lines) -> None:
    # line 13856: "国家发展改革委 国家能源局", no sign-off and no date
    h = _read(source_lines, 13854, 14173, "1.17")
    assert h.issuers == ("国家发展改革委", "国家能源局")
    assert h.date is None


def test_address_without_http(source_lines: Lines) -> None:
    h = _read(source_lines, 28644, 28965, "12.2")
    assert h.url == "mee.gov.cn/xxgk2018/xxgk/xxgk03/202010/t20201026_804792.html"


def test_sign_off_and_address_before_annexes(source_lines: Lines) -> None:
    h = _read(source_lines, 18274, 18705, "3.5")
    # line 18423: the sign-off stands before "附件 1"; the address (18703) after the annexes
    assert (h.date, h.issuers) == ("2021-08-27", ("国家生态工业示范园区建设协调领导小组办公室",))
    assert h.url is not None
    assert h.url.endswith("t20210901_884575.html")


def test_year_from_doc_number_when_no_date(source_lines: Lines) -> None:
    h = _read(source_lines, 28349, 28643, "12.1")
    assert (h.doc_number, h.date, h.year) == ("银监发〔2012〕4号", None, 2012)


def test_dated_declaration_inside_an_article_is_not_a_sign_off(source_lines: Lines) -> None:
    # line 42752-42754: 鞍钢集团有限公司 / 2021年 5月 27日, followed by more of the article
    lines = source_lines(42662, 42795)
    h = read_header(lines, title_start="鞍钢集团有限公司", one_line_title=True)
    assert (h.title, h.date, h.issuers) == ("鞍钢集团有限公司", None, ())


def test_company_title_is_one_line(source_lines: Lines) -> None:
    lines = source_lines(42796, 43325)
    h = read_header(lines, title_start="中国宝武钢铁集团有限公司", one_line_title=True)
    assert h.title == "中国宝武钢铁集团有限公司"
    # line 42802 "（2021年 11月 18日）" under the byline
    assert h.date == "2021-11-18"


def test_month_only_sign_off_gives_a_month() -> None:
    # the preface's sign-off (lines 68-70: 编写组 / 2022年7月) as a document's last lines
    lines = [
        SourceLine(number=66, text="关于碳达峰碳中和政策法规文件汇编的说明"),
        SourceLine(number=67, text="本次政策文件汇编工作圆满完成，得益于编写单位领导的重视。"),
        SourceLine(number=68, text="编写组"),
        SourceLine(number=70, text="2022年7月"),
    ]
    h = read_header(lines)
    assert (h.date, h.date_source, h.year, h.issuers) == ("2022-07", DateSource.SIGN_OFF, 2022, ())


@pytest.fixture(scope="module")
def header_traps(fixtures_dir: Path) -> dict[str, dict[str, object]]:
    loaded = load_documents([fixtures_dir / "loader_header_traps.txt"])
    return {d.seq or d.id: d.to_json() for d in loaded.documents}


@pytest.mark.parametrize(
    ("seq", "field", "value"),
    [
        # lines 6650-6658: letter-spaced sign-off names ("财  政  部", "银 保 监 会")
        pytest.param("1.1", "issuers", ["国家发展改革委", "财政部", "中国人民银行", "银保监会",
                                        "国家能源局"], id="letter-spaced-issuers"),
        # lines 6662-6667: address wrapped inside "ht|ml", then two bare truncated copies
        pytest.param("1.1", "url", "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202103/"
                     "t20210312_1269410.html?code=&state=123", id="wrapped-address"),
        # line 18423: sign-off before "附件 1"; the address (18703) after the annexes
        pytest.param("3.5", "date", "2021-08-27", id="sign-off-before-annexes"),
        pytest.param("3.5", "url", "https://www.mee.gov.cn/xxgk2018/xxgk/sthjbsh/202109/"
                     "t20210901_884575.html", id="address-after-annexes"),
        # line 28351: 银监发〔2012〕4号 and no sign-off: the year comes from the 文号
        pytest.param("12.1", "year", 2012, id="year-from-doc-number"),
        pytest.param("12.1", "url", "http://www.cbirc.gov.cn/cn/view/pages/govermentDetail.html"
                     "?docId=277181&itemId=4167&generaltype=1", id="address-wrapped-in-query"),
        # line 28965: "（mee.gov.cn/…html", no "http", no closing bracket
        pytest.param("12.2", "url", "mee.gov.cn/xxgk2018/xxgk/xxgk03/202010/t20201026_804792.html",
                     id="address-without-http"),
        pytest.param("12.2", "date_source", "sign_off", id="date-source"),
    ],
)
def test_header_traps(
    header_traps: dict[str, dict[str, object]], seq: str, field: str, value: object
) -> None:
    assert header_traps[seq][field] == value
