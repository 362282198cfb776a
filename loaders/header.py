"""Read a document's header and sign-off: title, 发文字号, date, issuers, source address.

Standard library and ``policykg`` only: must not import rdflib, networkx, pyvis, spaCy or
jieba.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from policykg.loaders.lines import display_width, join_text, normalise_doc_number
from policykg.loaders.numerals import normalise_digits
from policykg.records import DateSource, Problem, SourceLine

__all__ = [
    "Header",
    "find_doc_number",
    "is_agency_line",
    "parse_any_date",
    "parse_date",
    "read_header",
    "split_agencies",
]

logger = logging.getLogger(__name__)

# A 发文字号 on a line of its own, perhaps in brackets and with a stray space.
# line 3158: "国发〔2021〕4号"; line 8682: "发改产业〔2021〕1464 号";
# line 32067: "（苏政发〔2022〕8号）".
DOC_NUMBER_RE = re.compile(
    r"""^[（(]?\s*
        (?P<number>[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?P<year>\d{4})\s*[〕\]］】)）]
                   \s*第?\s*\d{1,4}\s*号)
        \s*[）)]?$""",
    re.VERBOSE,
)

# A 签发人 after a 文号 on the same line: "京技管[2021]115号 签发人：袁立洪".
_SIGNATORY_TAIL_RE = re.compile(r"""\s+签\s*发\s*人\s*[：:].*$""", re.VERBOSE)

# A date written in Chinese numerals: "二〇二二年三月二十四日", "二○二一年十二月".
CN_DATE_RE = re.compile(
    r"""^[（(]?\s*(?P<year>[〇○零Ｏ一二三四五六七八九]{4})\s*年
        \s*(?:(?P<month>[一二三四五六七八九十]{1,2})\s*月
        \s*(?:(?P<day>[一二三四五六七八九十]{1,3})\s*日)?)?\s*[）)]?$""",
    re.VERBOSE,
)

# Other date shapes of labelled fields: "2021.09.22", "2022-01-26", "2022/3/24".
DOTTED_DATE_RE = re.compile(
    r"""^(?P<year>\d{4})\s*[.\-/]\s*(?P<month>\d{1,2})(?:\s*[.\-/]\s*(?P<day>\d{1,2}))?$""",
    re.VERBOSE,
)

# A date on a line of its own: under a speech title, in a header, or at a sign-off.
# line 76: "2020年9月22日"; line 1881: "（2021年10月14日）"; line 9474:
# "2021 年 10 月 29 日"; line 33202: "2022年1月15日印发"; line 70: "2022年7月".
DATE_LINE_RE = re.compile(
    r"""^(?P<open>[（(])?\s*
        (?P<year>\d{4})\s*年\s*(?:(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*日)?)?
        \s*(?:印发|发布)?\s*(?P<place>[\u4e00-\u9fff]{0,6})\s*[）)]?$""",
    re.VERBOSE,
)

# A publication date printed in a header. line 2445:
# "来源：《求是》2022/10 发布时间：2022-05-15".
HEADER_DATE_RE = re.compile(
    r"""(?:发布时间|发布日期|日期)[：:]\s*(?P<year>\d{4})-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?""",
    re.VERBOSE,
)

# The source address printed at a document's end, in brackets, perhaps wrapped and
# without "http". line 6662-6664: "（ https://www.ndrc.gov.cn/….ht" + "ml?code=&state=123）";
# line 28965: "（mee.gov.cn/xxgk2018/…".
URL_OPEN_RE = re.compile(
    r"""^[（(]\s*(?P<url>(?:https?://|www\.|[a-z0-9-]+\.(?:gov|org|com|cn|net)\b)[^\s）)]*)
        \s*(?P<close>[）)])?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)

# The continuation of a wrapped address. line 6664: "ml?code=&state=123）".
URL_TAIL_RE = re.compile(r"""^(?P<tail>[\x21-\x7e]+?)\s*(?P<close>[）)])?\s*$""", re.VERBOSE)

# An agency name as printed in a header or sign-off (the last characters name its kind).
# line 6656: "银 保 监 会" (letter-spaced); line 26325: "交通运输部 国家铁路局";
# line 18422: "国家生态工业示范园区建设协调领导小组办公室"; line 28088: "国管局".
AGENCY_RE = re.compile(
    r"""^[\u4e00-\u9fff（）()]{2,30}
        (?:部|委|局|院|会|署|行|司|厅|政府|中央|办公室|办公厅|委员会|领导小组|集团|公司|总局|
           中心|协会|联合会|银行|党委|省委|市委|区委|管委会)$""",
    re.VERBOSE,
)

# A speech subtitle or an edition note that continues a title.
# line 418: "——习近平在第三届巴黎和平论坛的致辞"; line 16515: "（试行）";
# line 20325: "（2021-2025年）"; line 31721: "（征求意见稿）".
TITLE_NOTE_RE = re.compile(
    r"""^(?:——.*|[（(](?:试行|征求意见稿|暂行|修订|修订版|\d{4}\s*[-−—–~～至]\s*\d{4}\s*年?|
        \d{4}年版?)[）)])$""",
    re.VERBOSE,
)

# A line that opens a document's body or addressees rather than continuing its title.
# line 3160: "各省、自治区、直辖市人民政府，…："; line 23917: "1 总则"; line 29790:
# "JR/T 0227—2021"; line 29792: "前 言".
BODY_START_RE = re.compile(
    r"""^(?:
        [一二三四五六七八九十]+、 | [（(][一二三四五六七八九十]+[）)]
      | 第[一二三四五六七八九十百]+[章条节]
      | \d{1,2}\s*[.．、]?\s*[\u4e00-\u9fff]{1,8}$ | \d{1,2}[.．、] | 前\s*言 | 引\s*言 | 序言
      | 来源[：:] | 各[\u4e00-\u9fff]
      | 兹协议如下 | [（(]目录[）)]
    )""",
    re.VERBOSE,
)

# An annex heading after a sign-off. line 18425: "附件 1"; line 29114: "附件：".
ANNEX_RE = re.compile(r"""^附(?:件|表|录)?\s*[\d一二三四五六七八九十]*\s*[：:]?""", re.VERBOSE)

# A labelled field of the metadata table that gov.cn prints above a policy
# ("发文字号：国发〔2021〕23号", "成文日期：2021年10月24日", "标　　题：…"); not in the compilation.
LABELLED_FIELD_RE = re.compile(
    r"""^(?P<label>标\s*题|发文字号|文\s*号|发文机关|成文日期|发布日期)\s*[：:]\s*(?P<value>\S.*)$""",
    re.VERBOSE,
)

# A note after a sign-off on government web pages: "（此件公开发布）".
CLOSING_NOTE_RE = re.compile(r"""^[（(](?:此件|本件|本文)[\u4e00-\u9fff]{1,10}[）)]$""", re.VERBOSE)

_MAX_TITLE_LINES = 5
_HEADER_SCAN = 8


@dataclass(frozen=True, slots=True, kw_only=True)
class Header:
    """The metadata read from a document's first and last lines."""

    title: str
    title_lines: int
    doc_number: str | None = None
    date: str | None = None
    date_source: DateSource | None = None
    year: int | None = None
    issuers: tuple[str, ...] = ()
    url: str | None = None
    url_line: int | None = None
    sign_off_line: int | None = None
    problems: tuple[Problem, ...] = field(default=())


def parse_date(text: str) -> str | None:
    """Return the ISO date (yyyy-mm-dd, yyyy-mm or yyyy) of a date line, or None.

    >>> parse_date("2021年 2月 24日"), parse_date("（2021年10月14日）"), parse_date("2022年7月")
    ('2021-02-24', '2021-10-14', '2022-07')
    >>> parse_date("（1992年5月9日 纽约）"), parse_date("到 2025年")
    ('1992-05-09', None)
    """
    m = DATE_LINE_RE.match(text.strip())
    if m is None:
        return None
    return _iso(m.group("year"), m.group("month"), m.group("day"))


def _iso(year: str, month: str | None, day: str | None) -> str | None:
    y = int(year)
    if not 1900 <= y <= 2100:
        return None
    if month is None:
        return f"{y:04d}"
    mo = int(month)
    if not 1 <= mo <= 12:
        return None
    if day is None:
        return f"{y:04d}-{mo:02d}"
    d = int(day)
    if not 1 <= d <= 31:
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def find_doc_number(text: str) -> tuple[str, int] | None:
    """Return the 发文字号 of a line holding only one (normalised) and its year.

    A 签发人 printed after it on the same line is ignored.

    >>> find_doc_number("发改产业〔2021〕1464 号")
    ('发改产业〔2021〕1464号', 2021)
    >>> find_doc_number("（苏政发〔2022〕8号）")
    ('苏政发〔2022〕8号', 2022)
    >>> find_doc_number("京技管[2021]115号 签发人：袁立洪")
    ('京技管〔2021〕115号', 2021)
    """
    t = normalise_digits(_SIGNATORY_TAIL_RE.sub("", text.strip()))
    m = DOC_NUMBER_RE.match(t)
    if m is None:
        return None
    return normalise_doc_number(m.group("number")), int(m.group("year"))


def _cn_int(text: str) -> int | None:
    digits = "〇一二三四五六七八九"
    if text == "十":
        return 10
    if text.startswith("十"):
        text = "一" + text
    if text.endswith("十"):
        text = text + "〇"
    text = text.replace("十", "")
    try:
        return int("".join(str(digits.index(c)) for c in text))
    except ValueError:
        return None


def parse_any_date(text: str) -> str | None:
    """Return the ISO date of a date printed in Arabic or Chinese numerals, or None.

    A day or month not printed is never invented.

    >>> parse_any_date("二〇二二年三月二十四日"), parse_any_date("二○二一年十二月")
    ('2022-03-24', '2021-12')
    >>> parse_any_date("2021.09.22"), parse_any_date("2021 年 10 月 18 日")
    ('2021-09-22', '2021-10-18')
    >>> parse_any_date("２０２１年１２月３０日"), parse_any_date("2022 年 04 月")
    ('2021-12-30', '2022-04')
    """
    t = re.sub(r"(?<=[\d年月])\s+(?=[\d年月日])", "", normalise_digits(text.strip()))
    iso = parse_date(t)
    if iso is not None:
        return iso
    m = DOTTED_DATE_RE.match(t)
    if m is not None:
        return _iso(m.group("year"), m.group("month"), m.group("day"))
    m = CN_DATE_RE.match(t)
    if m is None:
        return None
    year = "".join(str("〇一二三四五六七八九".index(c)) if c in "一二三四五六七八九" else "0"
                   for c in m.group("year"))
    month = None if m.group("month") is None else _cn_int(m.group("month"))
    day = None if m.group("day") is None else _cn_int(m.group("day"))
    if (m.group("month") and month is None) or (m.group("day") and day is None):
        return None
    return _iso(year, None if month is None else str(month), None if day is None else str(day))


def split_agencies(text: str) -> list[str]:
    """Split a header or sign-off line into agency names; letter-spaced names are joined.

    >>> split_agencies("国 家 能 源 局"), split_agencies("交通运输部 国家铁路局")
    (['国家能源局'], ['交通运输部', '国家铁路局'])
    """
    tokens = text.split()
    if len(tokens) > 1 and all(len(t) == 1 for t in tokens):
        return ["".join(tokens)]
    return tokens


def is_agency_line(text: str) -> bool:
    """Return True when a line holds only agency names (a header or sign-off line).

    >>> is_agency_line("国家发展改革委 国家能源局"), is_agency_line("求的，从其规定。")
    (True, False)
    >>> is_agency_line("府")
    False
    """
    names = split_agencies(text)
    return bool(names) and all(AGENCY_RE.match(n) for n in names)


def _is_title_continuation(text: str, width: int) -> bool:
    if TITLE_NOTE_RE.match(text):
        return True
    if (
        parse_date(text) is not None
        or find_doc_number(text) is not None
        or BODY_START_RE.match(text)
        or LABELLED_FIELD_RE.match(text)
        or not re.search(r"[\u4e00-\u9fff]", text)
    ):
        return False
    if "。" in text or text[-1] in "，；：:。、" or display_width(text) >= width - 6:
        return False
    return not (len(split_agencies(text)) > 1 and is_agency_line(text))


def _title(lines: Sequence[SourceLine], first: str, one_line: bool) -> tuple[str, int]:
    parts = [first]
    used = 1
    for line in lines[1:_MAX_TITLE_LINES]:
        if not _is_title_continuation(line.text, 60) or (
            one_line and not TITLE_NOTE_RE.match(line.text)
        ):
            break
        parts.append(line.text)
        used += 1
    return join_text(parts), used


def _url(lines: Sequence[SourceLine]) -> tuple[str | None, int | None]:
    """Return the last bracketed source address of a document and its line."""
    for i in range(len(lines) - 1, -1, -1):
        m = URL_OPEN_RE.match(lines[i].text)
        if m is None:
            continue
        url = m.group("url")
        closed = m.group("close") is not None
        j = i + 1
        while not closed and j < len(lines) and j <= i + 3:
            t = URL_TAIL_RE.match(lines[j].text)
            if t is None:
                break
            url += t.group("tail")
            closed = t.group("close") is not None
            j += 1
        return url, lines[i].number
    return None, None


def _ends_text(lines: Sequence[SourceLine], i: int) -> bool:
    """Return True when nothing but annexes or addresses follows line ``i``."""
    if i + 1 >= len(lines):
        return True
    nxt = lines[i + 1].text
    return bool(
        ANNEX_RE.match(nxt)
        or URL_OPEN_RE.match(nxt)
        or nxt.startswith("http")
        or CLOSING_NOTE_RE.match(nxt)
    )


def _sign_off(
    lines: Sequence[SourceLine], start: int
) -> tuple[str | None, tuple[str, ...], int | None]:
    """Return the date, issuers and line of the last sign-off after index ``start``.

    A date line counts as a sign-off when it closes the text: only annexes or the source
    address follow it (line 18423 "2021年 8月 27日" then "附件 1"). A dated declaration
    quoted inside an article (line 42754, followed by more of the article) does not.
    """
    for i in range(len(lines) - 1, start - 1, -1):
        text = lines[i].text
        m = DATE_LINE_RE.match(text)
        if m is None or m.group("open") or m.group("month") is None or m.group("place"):
            continue
        date = _iso(m.group("year"), m.group("month"), m.group("day"))
        if date is None or not _ends_text(lines, i):
            continue
        issuers: list[str] = []
        j = i - 1
        while j >= start and i - j <= 8 and is_agency_line(lines[j].text):
            issuers[:0] = split_agencies(lines[j].text)
            j -= 1
        return date, tuple(issuers), lines[i].number
    return None, (), None


def _labelled_fields(lines: Sequence[SourceLine]) -> dict[str, str]:
    """Read the labelled fields of a government web page's metadata table, if any."""
    fields: dict[str, str] = {}
    for line in lines[:14]:
        m = LABELLED_FIELD_RE.match(line.text)
        if m is None:
            continue
        label, value = re.sub(r"\s", "", m.group("label")), m.group("value").strip()
        if label == "标题":
            fields["title"] = value
        elif label in ("发文字号", "文号"):
            fields["doc_number"] = value
        elif label == "发文机关":
            fields["issuers"] = value
        elif label == "成文日期" or (label == "发布日期" and "date" not in fields):
            iso = parse_date(value)
            if iso is None:
                dm = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})$", value)
                iso = None if dm is None else _iso(dm.group(1), dm.group(2), dm.group(3))
            if iso is not None:
                fields["date"] = iso
    return fields


def read_header(
    lines: Sequence[SourceLine], *, title_start: str | None = None, one_line_title: bool = False
) -> Header:
    """Read a document's title, 文号, date, issuers and source address.

    The title is the first line (after its printed number) joined with the lines that
    continue it: wrapped title lines, a speech's subtitle after "——", an edition note such
    as "（试行）". The header (the lines after the title, before the body) may hold a date
    under a speech's title, a 发文字号 and the issuing agencies; the sign-off (agency lines
    over a date line near the end) gives the date and issuers of a notice. The year comes
    from the date, else from the 文号's 〔year〕. The address is the last bracketed one.

    Args:
        lines: the document's kept lines; the first holds the title.
        title_start: the title text on the first line when a printed number precedes it.
        one_line_title: the title is the first line only (bar an edition note), as for the
            company names that head part 5's articles (line 42796, followed by a byline).

    Returns:
        The header fields found; a field not printed is None (never guessed).
    """
    first = title_start if title_start is not None else lines[0].text
    title, used = _title(lines, first, one_line_title)
    doc_number: str | None = None
    number_year: int | None = None
    date: str | None = None
    date_source: DateSource | None = None
    issuers: tuple[str, ...] = ()
    header_end = used
    for k in range(used, min(len(lines), used + _HEADER_SCAN)):
        text = lines[k].text
        found = find_doc_number(text)
        if found is not None and doc_number is None:
            doc_number, number_year = found
            header_end = k + 1
            continue
        iso = parse_date(text)
        if iso is not None and date is None:
            date = iso
            date_source = DateSource.UNDER_TITLE if k == used else DateSource.HEADER
            header_end = k + 1
            continue
        hm = HEADER_DATE_RE.search(text)
        if hm is not None and date is None:
            date = _iso(hm.group("year"), hm.group("month"), hm.group("day"))
            date_source = DateSource.HEADER
            header_end = k + 1
            continue
        if k == header_end and not issuers and is_agency_line(text) and (
            len(split_agencies(text)) > 1
            or (k + 1 < len(lines) and is_agency_line(lines[k + 1].text))
        ):
            issuers = tuple(split_agencies(text))
            header_end = k + 1
            continue
        if "。" in text or display_width(text) >= 54:
            break
    url, url_line = _url(lines)
    sign_date, sign_issuers, sign_line = _sign_off(lines, max(header_end, used + 2))
    if sign_line is not None and (date is None or date_source is not DateSource.UNDER_TITLE):
        date = sign_date
        date_source = DateSource.SIGN_OFF
    if sign_issuers:
        issuers = sign_issuers
    if title_start is None:
        fields = _labelled_fields(lines)
        title = fields.get("title", title)
        if "doc_number" in fields:
            found = find_doc_number(fields["doc_number"])
            if found is not None:
                doc_number, number_year = found
        if "date" in fields:
            date, date_source = fields["date"], DateSource.HEADER
        if "issuers" in fields:
            issuers = tuple(split_agencies(fields["issuers"]))
    year = int(date[:4]) if date is not None else number_year
    return Header(
        title=title,
        title_lines=used,
        doc_number=doc_number,
        date=date,
        date_source=date_source,
        year=year,
        issuers=issuers,
        url=url,
        url_line=url_line,
        sign_off_line=sign_line,
    )
