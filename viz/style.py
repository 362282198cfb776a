"""Colours, shapes, fonts and legend labels of the views, kept as data.

Imports only the standard library; must not import ``graph`` or ``loaders``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

__all__ = [
    "AGENCY_LEVEL_STYLES",
    "DOC_KIND_STYLES",
    "EDGE_STYLES",
    "FADED",
    "FONT_FAMILY",
    "KIND_STYLES",
    "UNKNOWN_EDGE",
    "UNKNOWN_NODE",
    "EdgeStyle",
    "NodeStyle",
    "legend",
]

#: CJK-capable fonts first, so Chinese labels never fall back to tofu boxes.
FONT_FAMILY = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
)

#: Colour of what a view pushes into the background (external policies, filtered-out nodes).
FADED = "rgba(160,160,160,0.35)"


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeStyle:
    """How one kind of node is drawn, and its legend label."""

    color: str
    shape: str
    label: str
    size: int = 12


@dataclass(frozen=True, slots=True, kw_only=True)
class EdgeStyle:
    """How one relation is drawn, and its legend label."""

    color: str
    label: str
    dashes: bool = False
    width: float = 1.0
    arrows: bool = True


#: Node ``kind`` of the networkx attribute contract (ARCHITECTURE.md) → style.
KIND_STYLES: dict[str, NodeStyle] = {
    "policy": NodeStyle(color="#1f77b4", shape="dot", label="政策文件", size=14),
    "external_policy": NodeStyle(color=FADED, shape="dot", label="外部政策（未收录）", size=8),
    "agency": NodeStyle(color="#ff7f0e", shape="dot", label="部门", size=16),
    "task": NodeStyle(color="#8c8c8c", shape="square", label="任务", size=5),
    "target": NodeStyle(color="#2ca02c", shape="triangle", label="目标", size=8),
    "sector": NodeStyle(color="#9467bd", shape="diamond", label="领域", size=12),
    "group": NodeStyle(color="#bcbd22", shape="box", label="分组", size=14),
}

UNKNOWN_NODE = NodeStyle(color="#cccccc", shape="dot", label="其他", size=8)

#: Policy ``doc_kind`` (``policykg.records.DocKind`` values) → style; the tree colours by it.
DOC_KIND_STYLES: dict[str, NodeStyle] = {
    "speech": NodeStyle(color="#e377c2", shape="dot", label="讲话"),
    "central_policy": NodeStyle(color="#c0392b", shape="dot", label="中央政策", size=22),
    "ministry_policy": NodeStyle(color="#1f77b4", shape="dot", label="部委政策", size=14),
    "local_policy": NodeStyle(color="#2ca02c", shape="dot", label="地方政策", size=11),
    "enterprise_plan": NodeStyle(color="#8c564b", shape="dot", label="企业方案", size=11),
    "international_agreement": NodeStyle(color="#17becf", shape="dot", label="国际协定"),
    "excerpt": NodeStyle(color="#7f7f7f", shape="dot", label="摘编"),
}

#: Agency ``level`` (``policykg.records.Level`` values) → style.
AGENCY_LEVEL_STYLES: dict[str, NodeStyle] = {
    "central": NodeStyle(color="#ff7f0e", shape="dot", label="中央部门", size=16),
    "provincial": NodeStyle(color="#f0b400", shape="dot", label="省级部门", size=16),
    "municipal": NodeStyle(color="#ffd966", shape="dot", label="市级部门", size=16),
    "enterprise": NodeStyle(color="#a0522d", shape="dot", label="企业", size=16),
    "other": NodeStyle(color="#c49c94", shape="dot", label="其他机构", size=16),
}

#: Edge ``relation`` of the contract → style: lead solid and red, participation dashed and blue.
EDGE_STYLES: dict[str, EdgeStyle] = {
    "lead": EdgeStyle(color="#d62728", label="牵头", width=2.0),
    "participant": EdgeStyle(color="#4a90d9", label="参与", dashes=True, width=1.0),
    "co_responsible": EdgeStyle(color="#9467bd", label="共同负责", arrows=False),
    "cites": EdgeStyle(color="#8c8c8c", label="引用", dashes=True),
    "implements": EdgeStyle(color="#1f77b4", label="贯彻落实", width=1.5),
    "child": EdgeStyle(color="#9e9e9e", label="“1+N”下级"),
    "assigned_by": EdgeStyle(color="#c7c7c7", label="出自", width=0.5),
}

UNKNOWN_EDGE = EdgeStyle(color="#cccccc", label="其他")


def legend(
    kinds: Collection[str],
    relations: Collection[str],
    *,
    doc_kinds: Collection[str] = (),
    levels: Collection[str] = (),
) -> list[tuple[str, str, str]]:
    """Return ``(swatch, colour, label)`` legend rows for what a graph actually shows.

    ``swatch`` is ``"node"``, ``"edge"`` or ``"dashed"``; rows follow the order of the style
    tables, so legends read the same in every view. Policies coloured by ``doc_kind`` and
    agencies coloured by ``level`` replace the generic row of their kind.

    >>> legend({"agency", "task"}, {"participant"})
    [('node', '#ff7f0e', '部门'), ('node', '#8c8c8c', '任务'), ('dashed', '#4a90d9', '参与')]
    """
    rows: list[tuple[str, str, str]] = []
    rows += [("node", s.color, s.label) for k, s in DOC_KIND_STYLES.items() if k in doc_kinds]
    rows += [("node", s.color, s.label) for k, s in AGENCY_LEVEL_STYLES.items() if k in levels]
    rows += [
        ("node", s.color, s.label)
        for k, s in KIND_STYLES.items()
        if k in kinds and not (k == "policy" and doc_kinds) and not (k == "agency" and levels)
    ]
    rows += [
        ("dashed" if s.dashes else "edge", s.color, s.label)
        for k, s in EDGE_STYLES.items()
        if k in relations
    ]
    return rows
