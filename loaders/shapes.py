"""What a printed name looks like: whether it ends as a body's name does.

One rule, read by the registry (``loaders.bureaus``: an open-world name is kept only if it
looks like a body's) and by ``who`` (a query naming an agency goes to the registry).
Standard library only, and no regex: a cold ``policykg who`` imports it.
"""

from __future__ import annotations

__all__ = ["AGENCY_TAILS", "looks_like_agency"]

# The last characters of a body's name (市城市管理监督局, 深圳排放权交易所, 天津港集团): a name
# ending so that no template knows is an agency all the same (open world), never dropped.
AGENCY_TAILS = (
    "局", "委", "厅", "办", "部", "署", "院", "会", "社", "行", "处", "所", "站", "段", "馆", "台",
    "队", "中心", "公司", "集团", "政府", "办公室", "委员会", "管委", "分局", "支行", "分行",
    "工作组", "领导小组", "联合会", "协会", "研究会", "学会", "交易所",
)
_PUNCTUATION = frozenset("，。；：:;,")


def looks_like_agency(name: str) -> bool:
    """Whether a printed name ends like a body's name (局, 委, 厅, 公司, 管委会 …), holding no
    punctuation or digit.

    >>> looks_like_agency("市发展改革委"), looks_like_agency("光伏"), looks_like_agency("第3局")
    (True, False, False)
    """
    return (2 <= len(name) <= 40 and name.endswith(AGENCY_TAILS)
            and _PUNCTUATION.isdisjoint(name) and not any(map(str.isdecimal, name)))
