"""Tests for loaders.numerals: Arabic, full-width and Chinese numerals, 万/亿."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policykg.loaders import numerals
from policykg.loaders.numerals import is_number, parse_number

_CN_DIGITS = "零一二三四五六七八九"


def _to_chinese(n: int) -> str:
    """Write a non-negative integer below 10**12 as a Chinese numeral (一百二十, 一万零五)."""
    if n == 0:
        return "零"

    def below_wan(k: int) -> str:
        out = ""
        zero = False
        for place, char in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d, k = divmod(k, place)
            if d:
                if zero and out:
                    out += "零"
                out += _CN_DIGITS[d] + char
                zero = False
            else:
                zero = True
        return out

    parts: list[str] = []
    for group, char in ((10**8, "亿"), (10**4, "万"), (1, "")):
        d, n = divmod(n, group)
        if d:
            if parts and d < 1000:
                parts.append("零")
            parts.append(below_wan(d) + char)
        elif parts and n:
            parts.append("零")
    text = "".join(parts)
    while "零零" in text:
        text = text.replace("零零", "零")
    return text.rstrip("零")


def test_doctests_pass() -> None:
    result = doctest.testmod(numerals)
    assert result.attempted > 5
    assert result.failed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("20", 20.0, id="arabic"),
        pytest.param("13.5", 13.5, id="decimal-line-4571"),
        pytest.param("１２", 12.0, id="full-width"),
        pytest.param("２．５", 2.5, id="full-width-decimal"),
        pytest.param("5,000", 5000.0, id="thousands-comma"),
        pytest.param("一百二十", 120.0, id="cn-120"),
        pytest.param("两千", 2000.0, id="cn-liang-qian"),
        pytest.param("十五", 15.0, id="cn-15-leading-shi"),
        pytest.param("一千零五", 1005.0, id="cn-ling"),
        pytest.param("二〇二五", 2025.0, id="cn-year-positional"),
        pytest.param("1.2万", 12000.0, id="wan-multiplier"),
        pytest.param("12亿", 1.2e9, id="yi-multiplier"),
        pytest.param("一亿二千万", 1.2e8, id="cn-yi-wan"),
        pytest.param("三分之一", 1 / 3, id="fraction"),
        pytest.param("百分之二十", 20.0, id="percent-written-out"),
    ],
)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("十四五", id="plan-period-14th-five-year"),
        pytest.param("五六", id="two-digits-no-place"),
        pytest.param("", id="empty"),
        pytest.param("千瓦", id="unit-not-number"),
        pytest.param("百千", id="places-out-of-order"),
    ],
)
def test_not_a_number(text: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_number(text)
    assert not is_number(text)


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_numeral_round_trip(n: int) -> None:
    assert parse_number(_to_chinese(n)) == n


@given(st.integers(min_value=0, max_value=10**9))
def test_full_width_round_trip(n: int) -> None:
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_number(full) == n
