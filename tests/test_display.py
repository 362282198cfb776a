"""The display-width rule: the compiled class is exactly the wide ranges, at every code point."""

from __future__ import annotations

import pytest

from policykg.display import WIDE_RANGES, cut, width


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
