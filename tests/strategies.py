"""Shared hypothesis strategies: PDF-extracted CJK policy text and numbers as printed.

The shapes copy the bundled compilation's extraction damage (``data/compilation-2022.txt``):
every printed line is followed by a blank line (lines 270-278), a page footer such as ``16``
(line 282) or ``—`` / ``201 —`` (lines 7576-7577) stands after three blank lines, and the
first line of a new page starts with one space (line 284 `` 1.2 …``).

Importing this module registers the hypothesis profile ``ci`` (no deadline, derandomized,
modest example counts) and loads it when the ``CI`` environment variable is set; otherwise
hypothesis keeps its defaults (``--hypothesis-profile ci`` selects it by hand).
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

__all__ = [
    "FULL_WIDTH",
    "PdfText",
    "chinese_numeral",
    "cjk_line",
    "cjk_text",
    "full_width_digits",
    "numbers_as_printed",
    "page_footer",
    "pdf_text",
    "policy_like_text",
    "to_chinese",
]

# The hypothesis profiles (fixed for developers, explore in CI) live in tests/conftest.py.

#: Half-width digits → full-width (U+FF10-FF19), as in some web copies of notices.
FULL_WIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")

# Characters of the compilation's running text: policy words, CJK punctuation, brackets.
_WORDS = (
    "碳达峰", "碳中和", "国务院", "关于", "加快", "建立健全", "绿色低碳", "循环发展",
    "经济体系", "指导意见", "能源", "非化石", "消费比重", "推进", "工业", "领域",
    "节能减排", "综合工作方案", "各地区", "各部门", "国家发展改革委", "生态环境部",
    "中共中央 国务院", "按职责分工负责", "牵头", "责任单位", "左右", "以上", "亿千瓦",
    "万吨标准煤", "5G", "LEI", "GB 30251", "http://www.gov.cn/zhengce/content_5588274.htm",
)
_PUNCT = ("，", "。", "、", "；", "：", "（", "）", "《", "》", "“", "”", "——", "…", "〔", "〕")
_CJK_RANGE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_MARKERS = ("一、", "（二）", "3．", "（4）", "第五章 ", "第六条 ", "——", "①", "附件 1")

_DIGITS = "零一二三四五六七八九"
_UNITS = ((10**8, "亿"), (10**4, "万"))


def _below_wan(n: int) -> str:
    """Write 0 < n < 10000 in Chinese numerals (一千零五, 二十, 三百一十)."""
    out = ""
    zero = False
    for value, place in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + place
    return out


def to_chinese(n: int) -> str:
    """Write a non-negative integer in Chinese numerals (一亿零五十万 = 100500000).

    >>> to_chinese(120), to_chinese(100500000), to_chinese(15), to_chinese(0)
    ('一百二十', '一亿零五十万', '一十五', '零')
    """
    if n == 0:
        return "零"
    out = ""
    rest = n
    for value, unit in _UNITS:
        if rest >= value:
            head = rest // value
            out += (to_chinese(head) if head >= 10**4 else _below_wan(head)) + unit
            rest %= value
            if 0 < rest < value // 10:
                out += "零"
    if rest:
        out += _below_wan(rest)
    return out.replace("零零", "零")


def chinese_numeral(max_value: int = 10**12 - 1) -> st.SearchStrategy[tuple[int, str]]:
    """An integer and its Chinese numeral (``(120, "一百二十")``)."""
    return st.integers(min_value=0, max_value=max_value).map(lambda n: (n, to_chinese(n)))


def full_width_digits() -> st.SearchStrategy[tuple[str, str]]:
    """A decimal number as half-width and as full-width text (``("13.5", "１３．５")``)."""
    number = st.builds(
        lambda whole, frac: f"{whole}.{frac}" if frac is not None else str(whole),
        st.integers(min_value=0, max_value=10**9),
        st.none() | st.integers(min_value=0, max_value=999),
    )
    return number.map(lambda s: (s, s.translate(FULL_WIDTH)))


def numbers_as_printed() -> st.SearchStrategy[str]:
    """A number the way policy texts print it: Arabic, full-width or Chinese, maybe 万/亿."""
    arabic = st.integers(min_value=0, max_value=99_999).map(str)
    return st.one_of(
        arabic,
        arabic.map(lambda s: s.translate(FULL_WIDTH)),
        chinese_numeral(99_999).map(lambda p: p[1]),
        st.tuples(arabic, st.sampled_from(("万", "亿", "%", "％"))).map("".join),
    )


def cjk_text(min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    """Running policy text: policy words, CJK ideographs, punctuation and numbers."""
    piece = st.one_of(
        st.sampled_from(_WORDS),
        st.sampled_from(_PUNCT),
        st.text(alphabet=_CJK_RANGE, min_size=1, max_size=4),
        numbers_as_printed(),
        st.just(" "),
    )
    return st.lists(piece, min_size=min_size, max_size=max_size).map("".join)


def cjk_line() -> st.SearchStrategy[str]:
    """One printed line: text holding at least one ideograph, maybe opening with a marker."""
    body = cjk_text(1, 16).filter(lambda s: any("\u4e00" <= ch <= "\u9fa5" for ch in s))
    return st.tuples(st.sampled_from(("",) * 4 + _MARKERS), body).map(
        lambda p: (p[0] + p[1]).strip()
    ).filter(lambda s: any("\u4e00" <= ch <= "\u9fa5" for ch in s))


def page_footer() -> st.SearchStrategy[list[str]]:
    """A page footer in one of the compilation's shapes, as its lines."""
    number = st.integers(min_value=1, max_value=999).map(str)
    return st.one_of(
        number.map(lambda n: [n]),  # line 282: "16"
        number.map(lambda n: ["—", f"{n} —"]),  # lines 7576-7577
        number.map(lambda n: [f"— {n} —"]),
        st.just(["—"]),  # line 35510: the number lost
    )


@dataclass(frozen=True, slots=True)
class PdfText:
    """Generated extraction text with what the cleaner must find in it."""

    text: str
    content: tuple[tuple[int, str], ...]  # (1-based line number, line as printed, stripped)
    footers: tuple[int, ...]  # line numbers of page-footer lines


@st.composite
def pdf_text(draw: st.DrawFn, max_lines: int = 30) -> PdfText:
    """Printed lines as the PDF extraction leaves them: blank lines, footers, page spaces."""
    lines = draw(st.lists(cjk_line(), min_size=1, max_size=max_lines))
    out: list[str] = []
    content: list[tuple[int, str]] = []
    footers: list[int] = []
    for i, line in enumerate(lines):
        page_break = i > 0 and draw(st.integers(min_value=0, max_value=3)) == 0
        if page_break:
            out += ["", ""]  # with the blank after the last line: three blank lines
            for footer_line in draw(page_footer()):
                out.append(footer_line)
                footers.append(len(out))
            out.append("")
        extra_blank = draw(st.sampled_from((0, 0, 0, 1)))
        out += [""] * extra_blank
        out.append((" " if page_break else "") + line)
        content.append((len(out), line))
        out.append("")
    return PdfText(text="\n".join(out) + "\n", content=tuple(content), footers=tuple(footers))


# Lines with the shapes the structure and header parsers look for (real examples).
_SHAPED_LINES = (
    " 第一部分 习近平总书记重要指示",  # line 71
    "第二部分 党中央、国务院关于碳达",  # line 3151
    "峰碳中和政策",  # line 3153
    "第一章 国家发展和改革委员会",  # line 6503
    " 1.1 关于加快建立健全绿色低碳循环发展经济体系的",  # line 3154
    "1.2 关于建立健全生态产品价值实现机制的意见",
    "1.4 2030年前碳达峰行动方案",  # line 4544
    "2.1 北京市碳达峰实施方案",
    "4.1 一般规定",  # a standard's clause, line 24029
    "8.5 7.5 GB 30251",  # a table row, line 9184
    "国发〔2021〕4号",  # line 3158
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",  # line 3160
    "（国家发展改革委、工业和信息化部等按职责分工负责）",
    "（责任单位：市发展改革委，市科委、中关村管委会等）",  # line 7251
    "到2025年，非化石能源消费比重达到20%左右。",
    "单位国内生产总值二氧化碳排放比2020年下降18%。",
    "贯彻落实《2030年前碳达峰行动方案》（国发〔2021〕23号）。",
    "国务院",
    "2021年2月2日",
    "（此件公开发布）",
    "（http://www.gov.cn/zhengce/content/2021-02/22/content_5588274.htm）",
    "《联合国气候变化框架公约》",  # line 44278
    "（1992年5月9日 纽约）",  # line 44280
    "附件 1",
    "第一章 总则",  # line 6672
    "第三条 本办法所称碳排放权交易",
)


_PART_TITLES = (
    "习近平总书记重要指示",  # line 71
    "党中央、国务院关于碳达峰碳中和政策",  # lines 3151-3153
    "各部委关于碳达峰碳中和政策",  # line 6497
    "重点地方政府关于碳达峰碳中和政策",  # line 30298
    "部分重点企业关于碳达峰碳中和行动方案",  # line 41662
)
_CN = "一二三四五六七八九"


def _body_line() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(_SHAPED_LINES),
        cjk_line(),
        cjk_line(),
        page_footer().map("\n\n".join),
        st.just(""),
        # anything at all, now and then (control characters make it binary)
        st.text(max_size=20).filter(lambda s: "\n" not in s),
    )


@st.composite
def _compilation(draw: st.DrawFn) -> list[str]:
    """A small compilation: preface, parts, chapters, numbered documents, damaged now and then."""
    lines = ["碳达峰碳中和政策汇编", "前言", "本汇编共分六部分。"]
    parts = sorted(draw(st.sets(st.integers(min_value=1, max_value=5), min_size=1, max_size=3)))
    for part in parts:
        lines.append(f" 第{_CN[part - 1]}部分 {_PART_TITLES[part - 1]}")
        chapters = draw(st.integers(min_value=1, max_value=2)) if 3 <= part <= 5 else 1
        for c in range(1, chapters + 1):
            if 3 <= part <= 5 and draw(st.integers(min_value=0, max_value=4)) > 0:
                lines.append(f"第{_CN[c - 1]}章 国家发展和改革委员会")
            for k in range(1, draw(st.integers(min_value=1, max_value=3)) + 1):
                lines.append(f" {c}.{k} 关于{draw(cjk_line())}的通知")
                lines += draw(st.lists(_body_line(), min_size=0, max_size=6))
                lines.append("（http://www.gov.cn/zhengce/content_5588274.htm）")
    # damage: a line dropped or repeated
    if len(lines) > 4 and draw(st.booleans()):
        i = draw(st.integers(min_value=3, max_value=len(lines) - 1))
        lines = lines[:i] + lines[i + 1 :] if draw(st.booleans()) else lines[: i + 1] + lines[i:]
    return lines


@st.composite
def policy_like_text(draw: st.DrawFn, max_lines: int = 40) -> str:
    """Policy-shaped text: a small compilation (parts, chapters, numbered titles) or a mix of
    文号, annotations, targets, citations, sign-offs, addresses and running text, with page
    damage and now and then arbitrary characters."""
    if draw(st.booleans()):
        lines = draw(_compilation())
    else:
        lines = draw(st.lists(_body_line(), min_size=0, max_size=max_lines))
    spaced = [(" " + ln if ln and draw(st.integers(min_value=0, max_value=3)) == 0 else ln)
              for ln in lines]
    return "\n\n".join(spaced) + draw(st.sampled_from(("", "\n", "\n ")))
