"""Numbers as printed in policy texts: Arabic, full-width and Chinese numerals, 万/亿.

Pure functions over strings; imports only the standard library.  Must not import
rdflib, networkx, spaCy, jieba or anything from ``graph``/``viz``.
"""

from __future__ import annotations

import logging
import re

__all__ = [
    "CHINESE_NUMBER",
    "NUMBER",
    "is_number",
    "normalise_digits",
    "parse_cn_int",
    "parse_number",
]

logger = logging.getLogger(__name__)

# full-width digits U+FF10-FF19, full stop, comma, percent sign
_FULL_WIDTH = str.maketrans(
    "".join(chr(0xFF10 + i) for i in range(10)) + "\uff0e\uff0c\uff05", "0123456789.,%"
)
_FULL_WIDTH_PAIRS: tuple[tuple[str, str], ...] = tuple(
    (chr(wide), chr(narrow)) for wide, narrow in _FULL_WIDTH.items() if isinstance(narrow, int)
)

_DIGITS: dict[str, int] = {
    "\u3007": 0,  # ideographic zero
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_PLACES: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
_GROUPS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}

#: An Arabic number, optionally followed by 万/亿 multipliers.
#: line 4575: "风电、太阳能发电总装机容量达到12亿千瓦以上" (the number part "12")
NUMBER = re.compile(
    r"""
    (?P<digits> \d+ (?: [,，]\d{3} )* (?: [.．]\d+ )? )   # 12 / 13.5 / 5,000
    (?P<mult> [万亿]* )                                   # 1.2万 / 12亿
    """,
    re.VERBOSE,
)

#: A Chinese numeral (at least one digit or place character).
#: line 4013 ff.: "一百二十", "两千", "三分之一"; not "十四五" (a plan period).
CHINESE_NUMBER = re.compile(
    r"""
    (?P<cn> [\u3007零一二两三四五六七八九十百千万亿]+ )
    """,
    re.VERBOSE,
)

#: A fraction written out: 三分之一, 百分之二十.
#: line 8455-ish wording "非化石能源占比提高到三分之一" style.
_FRACTION = re.compile(
    r"""
    ^ (?P<den> [\u3007零一二两三四五六七八九十百千万]+ ) 分之 (?P<num> .+ ) $
    """,
    re.VERBOSE,
)


def normalise_digits(text: str) -> str:
    """Return ``text`` with full-width digits and punctuation made half-width.

    >>> normalise_digits("\uff11\uff12\uff0e\uff15\uff05")
    '12.5%'
    """
    # str.replace per character present is ~40x faster than str.translate on CJK text
    for wide, narrow in _FULL_WIDTH_PAIRS:
        if wide in text:
            text = text.replace(wide, narrow)
    return text


def _chinese_int(text: str) -> int:
    """Parse a Chinese integer numeral such as 一百二十 or 两千三百万."""
    if len(text) == 4 and all(ch in _DIGITS for ch in text):
        # positional digits are only written for years: 二〇二五
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = 0  # sum of whole 亿 groups
    wan = 0  # sum of whole 万 groups below the current 亿
    section = 0  # value below 万
    num: int | None = None  # pending digit
    last_place = 10**9
    for ch in text:
        if ch in _DIGITS:
            if num is not None and num != 0 and _DIGITS[ch] != 0:
                # two digits in a row with no place between them: 十四五, 五六
                raise ValueError(f"not a number: {text!r}")
            num = _DIGITS[ch]
        elif ch in _PLACES:
            place = _PLACES[ch]
            if place >= last_place:
                raise ValueError(f"not a number: {text!r}")
            section += (1 if num is None else num) * place
            if num == 0:
                raise ValueError(f"not a number: {text!r}")
            last_place = place
            num = None
        elif ch == "万":
            wan += (section + (num or 0)) * _GROUPS["万"] or _GROUPS["万"]
            section, num, last_place = 0, None, 10**9
        elif ch == "亿":
            total = (total + wan + section + (num or 0)) * _GROUPS["亿"] or _GROUPS["亿"]
            wan, section, num, last_place = 0, 0, None, 10**9
        else:
            raise ValueError(f"not a number: {text!r}")
    return total + wan + section + (num or 0)


def parse_cn_int(text: str) -> int:
    """Parse a Chinese integer numeral: the project's one parser of them.

    Headings (第十二章, （二十三）, 一百零五), amounts (两千三百万) and years written digit by
    digit (二〇二五).

    >>> parse_cn_int("十二"), parse_cn_int("二十三"), parse_cn_int("一百零五")
    (12, 23, 105)
    >>> parse_cn_int("两千三百万"), parse_cn_int("二〇二五")
    (23000000, 2025)

    Raises:
        ValueError: not a Chinese numeral (十四五 names a plan period, not a number).
    """
    return _chinese_int(text)


def parse_number(text: str) -> float:
    """Return the value of a number written in Arabic, full-width or Chinese numerals.

    万 and 亿 written after a number multiply it; a unit such as 亿千瓦 is not
    part of the number and must be split off by the caller (see ``loaders.targets``).

    Args:
        text: the number alone, e.g. ``"13.5"``, ``"\uff11\uff12"``, ``"一百二十"``, ``"1.2万"``.

    Returns:
        The value as a float.

    Raises:
        ValueError: ``text`` is not a number (as ``float()`` does), e.g. ``"十四五"``.

    >>> parse_number("13.5")
    13.5
    >>> parse_number("\uff11\uff12")
    12.0
    >>> parse_number("一百二十")
    120.0
    >>> parse_number("两千")
    2000.0
    >>> parse_number("十五")
    15.0
    >>> parse_number("1.2万")
    12000.0
    >>> parse_number("3亿")
    300000000.0
    >>> parse_number("5,000")
    5000.0
    >>> parse_number("三分之一")
    0.3333333333333333
    >>> parse_number("百分之二十")
    20.0
    >>> parse_number("十四五")
    Traceback (most recent call last):
    ...
    ValueError: not a number: '十四五'
    """
    s = normalise_digits(text).strip().replace(" ", "")
    if not s:
        raise ValueError(f"not a number: {text!r}")
    m = NUMBER.fullmatch(s)
    if m is not None:
        value = float(m.group("digits").replace(",", "").replace("，", "").replace("．", "."))
        for ch in m.group("mult"):
            value *= _GROUPS[ch]
        return value
    frac = _FRACTION.match(s)
    if frac is not None:
        den = _chinese_int(frac.group("den"))
        numerator = parse_number(frac.group("num"))
        if den == 100:
            return numerator  # 百分之二十 is a percentage: 20
        if den == 0:
            raise ValueError(f"not a number: {text!r}")
        return numerator / den
    if CHINESE_NUMBER.fullmatch(s) is None:
        raise ValueError(f"not a number: {text!r}")
    return float(_chinese_int(s))


def is_number(text: str) -> bool:
    """Return whether ``text`` parses as a number.

    >>> is_number("十四五"), is_number("二十")
    (False, True)
    """
    try:
        parse_number(text)
    except ValueError:
        return False
    return True
