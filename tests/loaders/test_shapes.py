"""``looks_like_agency`` against the regular expressions it replaced (same verdict on any text)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policykg.loaders.shapes import AGENCY_TAILS, looks_like_agency

# the rule as it was written before (loaders/shapes.py until 2026-12-07)
_TAIL = re.compile(r"(?:局|委|厅|办|部|署|院|会|社|行|处|所|站|段|馆|台|队|中心|公司|集团|政府|"
                   r"办公室|委员会|管委|分局|支行|分行|工作组|领导小组|联合会|协会|研究会|学会|"
                   r"交易所)$")
_NOT_A_NAME = re.compile(r"[，。；：:;,]|\d")


def _reference(name: str) -> bool:
    return 2 <= len(name) <= 40 and bool(_TAIL.search(name)) and not _NOT_A_NAME.search(name)


@pytest.mark.parametrize(("name", "expected"), [
    ("市发展改革委", True), ("深圳排放权交易所", True), ("天津港集团", True), ("光伏", False),
    ("第3局", False), ("第３局", False), ("第٣局", False), ("局", False), ("各区、县政府", True),
    ("省发展改革委，省能源局", False), ("国家能源局:", False), ("领导小组", True),
])
def test_examples(name: str, expected: bool) -> None:
    assert looks_like_agency(name) is expected is _reference(name)


_PIECES = st.sampled_from([*AGENCY_TAILS, "发展改革", "市", "3", "٣", "，", ";", " ", "x",
                           "管委会"])


@given(st.lists(_PIECES, max_size=12).map("".join) | st.text(max_size=45))
def test_same_verdict_as_the_regular_expressions(name: str) -> None:
    if name.endswith("\n"):  # `$` also matched before a final newline; a name never ends so
        name = name.rstrip("\n")
    assert looks_like_agency(name) is _reference(name)
