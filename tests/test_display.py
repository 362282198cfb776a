"""The display-width rule: the compiled class is exactly the wide ranges, at every code point."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policykg.display import WIDE_RANGES, char_width, cut, width


def _wide(cp: int) -> bool:
    return any(low <= cp <= high for low, high in WIDE_RANGES)


def test_every_code_point_is_as_wide_as_the_ranges_say() -> None:
    # the class is compiled as the ranges' complement, negated: one slip and a range edge moves
    every = "".join(map(chr, range(0x110000)))  # lone surrogates included
    assert width(every) == 0x110000 + sum(high - low + 1 for low, high in WIDE_RANGES)
    edges = sorted({cp + d for low, high in WIDE_RANGES for cp in (low, high) for d in (-1, 0, 1)})
    assert [width(chr(cp)) for cp in edges] == [2 if _wide(cp) else 1 for cp in edges]
    assert width("\U0010ffff") == 1
    assert width("\x00") == 1


@pytest.mark.parametrize(("text", "cells"), [
    ("碳达峰 2030", 11), ("“十四五”", 10), ("\u2003α", 3), ("ｱ", 1), ("１２％", 6), ("한국", 4),
    ("🌍", 2), ("𠀀", 2), ("é", 1), ("ﾃ", 1),
])
def test_width_of_printed_text(text: str, cells: int) -> None:
    assert width(text) == cells


def test_cut_keeps_whole_wide_characters() -> None:
    assert cut("推动能源绿色低碳转型", 9) == "推动能源…"
    assert cut("a推动", 4) == "a推…"


def test_one_character_is_as_wide_as_the_class_says() -> None:
    # ``cut`` measures character by character without the class (a cold ``who`` imports no re)
    every = range(0x110000)
    assert [cp for cp in every if char_width(chr(cp)) == 2] == [cp for cp in every if _wide(cp)]


def _cut_before(text: str, cells: int) -> str:
    """``cut`` as it was written until 2026-12-07: the whole width first, then the prefix."""
    text = text.replace("\n", " ")
    if width(text) <= cells:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


@given(text=st.lists(st.sampled_from(["碳", "a", " ", "\n", "“", "ｱ", "🌍", "é", "推动能源"]),
                     max_size=12).map("".join) | st.text(max_size=30),
       cells=st.integers(min_value=0, max_value=25))
def test_cut_is_what_it_was(text: str, cells: int) -> None:
    assert cut(text, cells) == _cut_before(text, cells)
