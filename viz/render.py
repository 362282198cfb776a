"""Render one networkx graph of the attribute contract into one self-contained HTML page.

pyvis holds the nodes, edges and options and renders our template (``assets/view.html``);
vis-network (vendored from npm), the stylesheet and the page script are inlined, so a page
opens from a file with no network. Must not import ``graph`` or ``loaders``: it takes an
``nx.Graph[Any]`` whose attributes follow ARCHITECTURE.md.
"""

from __future__ import annotations

import html
import json
import logging
import math
import re
from collections import Counter, deque
from collections.abc import Hashable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykg.errors import Errors, GraphError
from policykg.viz.style import (
    AGENCY_LEVEL_STYLES,
    DOC_KIND_STYLES,
    EDGE_STYLES,
    FADED,
    FONT_FAMILY,
    KIND_STYLES,
    UNKNOWN_EDGE,
    UNKNOWN_NODE,
    legend,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "ASSETS",
    "DEFAULT_TITLES",
    "EXTERNAL_REF",
    "VIEWS",
    "VIEW_HINTS",
    "ego_centre",
    "graph_legend",
    "legend_html",
    "page_css",
    "render",
]

logger = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent / "assets"

#: The views ``render`` knows; each writes ``<view>.html``.
VIEWS = ("tree", "responsibility", "coresponsibility", "agency", "citations")

DEFAULT_TITLES: dict[str, str] = {
    "tree": "“1+N”政策体系",
    "responsibility": "谁负责：部门与任务",
    "coresponsibility": "部门协同：共同负责的任务",
    "agency": "部门视图",
    "citations": "政策引用与贯彻落实",
}

#: One paragraph per view: the page's 说明 and its line on the index.
VIEW_HINTS: dict[str, str] = {
    "tree": (
        "从“1”向下展开的政策体系，颜色表示文件类别。点击节点聚焦其上下级分支，"
        "悬停查看标题、文号、日期、发文机关和原文行号；地址后加 #文件名 可直接定位。"
    ),
    "responsibility": (
        "部门（圆点，大小表示任务数）与其牵头（实线）或参与（虚线）的任务。可按领域或部门筛选。"
    ),
    "coresponsibility": "两个部门共同负责任务时相连，线宽表示共同任务数。",
    "agency": "一个部门、它的任务、任务出自的文件和共同负责的部门。",
    "citations": "文件之间的引用（虚线）与贯彻落实（实线）关系；灰色为汇编未收录的外部政策。",
}

#: A ``src=``/``href=`` that would fetch from the network, as pyvis's in_line template still
#: writes: ``href="https://cdn.jsdelivr.net/npm/bootstrap@5.0.0-beta3/dist/css/bootstrap.min.css"``.
EXTERNAL_REF = re.compile(
    r"""
    \b(?P<attr>src|href) \s* = \s* ["']? \s*
    (?P<url>(?:https?:)?//[^"'\s>]*)
    """,
    re.IGNORECASE | re.VERBOSE,
)

#: The source-map comment closing the vendored bundle:
#: ``//# sourceMappingURL=vis-network.min.js.map``.
SOURCE_MAP = re.compile(r"""^ //\# \s* sourceMappingURL=\S+ \s* $""", re.MULTILINE | re.VERBOSE)

#: Template placeholders filled after pyvis renders, in one pass, so inlined code is never
#: rescanned: ``@@PKG_VIS_JS@@``.
PLACEHOLDER = re.compile(r"""@@ (?P<name>PKG_[A-Z_]+) @@""", re.VERBOSE)

#: Per-view changes to the force layout: agencies alone sit in dense cliques, so spread them.
_FORCES: dict[str, dict[str, float]] = {
    "coresponsibility": {"gravitationalConstant": -150, "springLength": 160, "avoidOverlap": 0.6},
}
_LARGE = 400  # nodes above which smoothing, hover and improvedLayout cost too much
#: a tree of more nodes opens on its root and first level, and expands on click
TREE_OPEN_ALL = 60
#: the smallest label size on screen (px) at the first zoom of every view
MIN_FONT_PX = 11
#: a dense view of more nodes than ``SLICE_MIN`` opens on a slice: the kinds of node it
#: ranks (by tasks or links), the widths offered (0: everything) and whether the chosen
#: nodes bring their neighbours (an agency its tasks)
SLICE_MIN = 60
SLICES: dict[str, dict[str, Any]] = {
    "coresponsibility": {"kinds": ["agency"], "sizes": [25, 60, 0], "neighbours": False},
    "responsibility": {"kinds": ["agency"], "sizes": [5, 15, 0], "neighbours": True},
    "citations": {"kinds": ["policy", "external_policy"], "sizes": [30, 80, 0],
                  "neighbours": False},
}
_LABEL_MAX = 18
_TASK_LABEL_MAX = 10
_TOOLTIP_MAX = 400
#: a task's text in its tooltip (thousands of tasks: the page's weight); its document has it all
_TASK_TOOLTIP_MAX = 160


@cache
def _asset(name: str) -> str:
    """Return the text of one file of ``viz/assets``."""
    return (ASSETS / name).read_text(encoding="utf-8")


def page_css() -> str:
    """Return the stylesheet shared by the views and the index, fonts filled in."""
    return _asset("view.css").replace("@@PKG_FONT@@", FONT_FAMILY)


def _script_json(value: Any) -> str:
    """Serialise ``value`` for a ``<script type="application/json">`` block."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _short(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_list(value: Any) -> list[str]:
    """Read a list attribute that may be missing, a string or a sequence."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _source(value: Any) -> str:
    """Format a ``file:start-end`` or ``file:pN:start-end`` source attribute for people.

    >>> _source("compilation-2022.txt:15683-16512")
    'compilation-2022.txt 第 15683-16512 行'
    >>> _source("关于印发方案的通知.pdf:p3:120-131")
    '关于印发方案的通知.pdf 第 3 页 第 120-131 行'
    """
    text = str(value)
    file, _, lines = text.rpartition(":")
    if not (file and lines):
        return text
    head, _, page = file.rpartition(":")
    if head and page[:1] == "p" and page[1:].isdigit():
        return f"{head} 第 {page[1:]} 页 第 {lines} 行"
    return f"{file} 第 {lines} 行"


def _tooltip(
    kind: str, attrs: Mapping[str, Any], node_id: str, sector_names: Mapping[str, str]
) -> str:
    """Return the plain-text tooltip of one node (vis-network shows strings as text)."""
    label = str(attrs.get("label") or node_id)
    head = _short(str(attrs.get("title") or label),
                  _TASK_TOOLTIP_MAX if kind == "task" else _TOOLTIP_MAX)
    rows: list[tuple[str, Any]] = []
    if kind in ("policy", "external_policy"):
        doc_kind = str(attrs.get("doc_kind", ""))
        kind_label = DOC_KIND_STYLES[doc_kind].label if doc_kind in DOC_KIND_STYLES else ""
        rows = [
            ("类别", kind_label or KIND_STYLES[kind].label),
            ("文号", attrs.get("doc_number")),
            ("日期", attrs.get("date")),
            ("发文机关", "、".join(_as_list(attrs.get("issuers")))),
            ("领域", "、".join(sector_names.get(s, s) for s in _as_list(attrs.get("sectors")))),
            ("来源", _source(attrs["source"]) if attrs.get("source") else ""),
        ]
    elif kind == "agency":
        level = str(attrs.get("level", ""))
        rows = [
            ("层级", AGENCY_LEVEL_STYLES[level].label if level in AGENCY_LEVEL_STYLES else level),
            ("辖区", attrs.get("jurisdiction")),
            ("任务", attrs.get("tasks")),
            ("其中牵头", attrs.get("lead_tasks")),
        ]
    elif kind == "task":
        rows = [
            ("出自", attrs.get("doc_id")),
            ("章节", attrs.get("section")),
            ("领域", "、".join(sector_names.get(s, s) for s in _as_list(attrs.get("sectors")))),
            ("来源", _source(attrs["source"]) if attrs.get("source") else ""),
        ]
    rows.append(("归入理由", attrs.get("reason")))  # why a tree node sits under its parent
    lines = [head] + [f"{name}：{value}" for name, value in rows if value not in (None, "")]
    return "\n".join(lines)


def _tree_levels(graph: nx.Graph[Any]) -> dict[Hashable, int]:
    """Return each node's depth below the roots along ``child`` edges (parent → child)."""
    children: dict[Hashable, list[Hashable]] = {n: [] for n in graph.nodes}
    has_parent: set[Hashable] = set()
    for u, v, rel in graph.edges(data="relation", default="child"):
        if rel == "child":
            children[u].append(v)
            has_parent.add(v)
    roots = [n for n in graph.nodes if n not in has_parent] or list(graph.nodes)[:1]
    depth: dict[Hashable, int] = {r: 0 for r in roots}
    queue = deque(roots)
    while queue:
        node = queue.popleft()
        for child in children[node]:
            if child not in depth:
                depth[child] = depth[node] + 1
                queue.append(child)
    return {n: depth.get(n, 0) for n in graph.nodes}


def ego_centre(graph: nx.Graph[Any]) -> Hashable | None:
    """Return the centre of an ego graph: the node with ``ego=True``, else the busiest agency."""
    for node, attrs in graph.nodes(data=True):
        if attrs.get("ego"):
            return node  # type: ignore[no-any-return]
    agencies = [n for n, a in graph.nodes(data=True) if a.get("kind") == "agency"]
    return max(agencies, key=lambda n: (graph.degree(n), str(n)), default=None)


def _vis_node(
    node_id: str,
    attrs: Mapping[str, Any],
    view: str,
    *,
    large: bool,
    sector_names: Mapping[str, str],
) -> dict[str, Any]:
    """Return the vis-network node of one networkx node."""
    kind = str(attrs.get("kind", ""))
    style = KIND_STYLES.get(kind, UNKNOWN_NODE)
    color, size = style.color, style.size
    doc_kind = str(attrs.get("doc_kind", ""))
    if kind == "policy" and doc_kind in DOC_KIND_STYLES:
        color, size = DOC_KIND_STYLES[doc_kind].color, DOC_KIND_STYLES[doc_kind].size
    level = str(attrs.get("level", ""))
    if kind == "agency" and level in AGENCY_LEVEL_STYLES:
        color = AGENCY_LEVEL_STYLES[level].color
    limit = _TASK_LABEL_MAX if kind == "task" else _LABEL_MAX
    node: dict[str, Any] = {
        "label": _short(str(attrs.get("label") or node_id), limit),
        "title": _tooltip(kind, attrs, node_id, sector_names),
        "color": color,
        "shape": style.shape,
        "size": size,
        "kind": kind,
    }
    sectors = _as_list(attrs.get("sectors"))
    if sectors:
        node["sectors"] = sectors
    if kind == "agency" and attrs.get("jurisdiction"):
        node["jurisdiction"] = str(attrs["jurisdiction"])
    for key in ("href", "ref"):  # the node's page in a site, and its record id
        if attrs.get(key):
            node[key] = str(attrs[key])
    if kind == "agency" and view != "tree":
        node["value"] = max(int(attrs.get("tasks") or 0), 1)
    if kind == "task":
        node["font"] = {"size": 12}
    elif kind == "external_policy":
        node["font"] = {"color": FADED}
    elif kind == "group":
        node["font"] = {"color": "#222", "size": 16}
        node["margin"] = 8
    if large and kind == "task" and view == "responsibility":
        node["label"] = " "  # thousands of task labels are unreadable; the tooltip keeps the text
    return node


def _vis_edge(attrs: Mapping[str, Any], *, directed: bool, faded: bool) -> dict[str, Any]:
    """Return the vis-network fields of one networkx edge."""
    relation = str(attrs.get("relation", ""))
    style = EDGE_STYLES.get(relation, UNKNOWN_EDGE)
    edge: dict[str, Any] = {
        "color": FADED if faded else style.color,
        "width": style.width,
        "dashes": style.dashes,
        "relation": relation,
        "title": style.label,
        "arrows": "to" if directed and style.arrows else "",
    }
    weight = attrs.get("weight")
    if weight is not None:
        edge["value"] = weight
        edge["title"] = f"{style.label}：{weight}"
    lines = attrs.get("lines")
    if lines:  # where the citing document mentions the cited one
        edge["title"] += f"（第 {'、'.join(str(n) for n in lines)} 行）"
    return edge


def _options(view: str, n_nodes: int) -> dict[str, Any]:
    """Return the vis-network options of a view with ``n_nodes`` nodes."""
    large = n_nodes > _LARGE
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {
            "font": {
                "face": FONT_FAMILY,
                "size": 14,
                "color": "#222222",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "borderWidth": 1,
            "scaling": {
                "min": 8,
                "max": 40,
                # vis-network skips labels under drawThreshold - 1 px on screen
                "label": {"enabled": True, "min": 12, "max": 22, "drawThreshold": MIN_FONT_PX},
            },
        },
        "edges": {
            "color": {"inherit": False},
            "smooth": False if large else {"enabled": True, "type": "continuous"},
            "arrows": {"to": {"scaleFactor": 0.5}},
            "scaling": {"min": 1, "max": 8},
        },
        "interaction": {
            "hover": not large,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "keyboard": False,
            "navigationButtons": False,
        },
        "layout": {"improvedLayout": not large, "randomSeed": 7},
    }
    if view == "tree":
        options["layout"]["hierarchical"] = {
            "enabled": True,
            "direction": "LR",
            "sortMethod": "directed",
            "levelSeparation": 280,
            "nodeSpacing": 38,
            "treeSpacing": 60,
            "parentCentralization": True,
        }
        options["edges"]["smooth"] = {
            "enabled": True,
            "type": "cubicBezier",
            "forceDirection": "horizontal",
            "roundness": 0.4,
        }
        options["physics"] = {"enabled": False}
    else:
        iterations = 600 if n_nodes < 300 else 300 if n_nodes < 1500 else 150
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "centralGravity": 0.02,
                "springLength": 70,
                "springConstant": 0.08,
                "avoidOverlap": 0.3,
                **_FORCES.get(view, {}),
            },
            "stabilization": {
                "enabled": True,
                "iterations": iterations,
                "updateInterval": 25,
                "fit": True,
            },
        }
    return options


def _filters_html(graph: nx.Graph[Any], view: str) -> str:
    """Return the sector and agency ``<select>`` controls of the responsibility view."""
    if view != "responsibility":
        return ""
    sector_names: Mapping[str, str] = graph.graph.get("sector_labels", {})
    sectors: Counter[str] = Counter()
    agencies: list[tuple[int, str, str]] = []
    for node, attrs in graph.nodes(data=True):
        if attrs.get("kind") == "agency":
            label = str(attrs.get("label") or node)
            agencies.append((-int(attrs.get("tasks") or 0), label, str(node)))
        elif attrs.get("kind") in ("task", "policy"):
            sectors.update(_as_list(attrs.get("sectors")))
    parts = []
    if sectors:
        options = "".join(
            f'<option value="{html.escape(s)}">'
            f"{html.escape(sector_names.get(s, s))}（{n}）</option>"
            for s, n in sorted(sectors.items(), key=lambda item: (-item[1], item[0]))
        )
        parts.append(
            '<label>领域 <select id="pkg-sector"><option value="">全部</option>'
            f"{options}</select></label>"
        )
    if agencies:
        options = "".join(
            f'<option value="{html.escape(node)}">{html.escape(_short(label, 24))}'
            f"（{-neg}）</option>"
            for neg, label, node in sorted(agencies)
        )
        parts.append(
            '<label>部门 <select id="pkg-agency"><option value="">全部</option>'
            f"{options}</select></label>"
        )
    return "\n    ".join(parts)


def _slice_html(graph: nx.Graph[Any], sliced: Mapping[str, Any] | None) -> str:
    """Return the controls that widen a sliced view: how many, or which jurisdiction."""
    if not sliced:
        return ""
    kinds = set(sliced["kinds"])
    noun = "个部门" if kinds == {"agency"} else "份文件"
    total = sum(1 for _, a in graph.nodes(data=True) if a.get("kind") in kinds)
    options = "".join(
        f'<option value="{n}">{"全部" if n == 0 else f"前 {n} {noun}"}'
        f"（共 {total}）</option>" if n == 0 else f'<option value="{n}">前 {n} {noun}</option>'
        for n in sliced["sizes"]
        if n == 0 or n < total
    )
    parts = [f'<label>显示 <select id="pkg-slice">{options}</select></label>']
    places = Counter(
        str(a["jurisdiction"])
        for _, a in graph.nodes(data=True)
        if a.get("kind") == "agency" and a.get("jurisdiction")
    )
    if "agency" in kinds and places:
        choices = "".join(
            f'<option value="{html.escape(j)}">{html.escape(j)}（{n}）</option>'
            for j, n in sorted(places.items(), key=lambda item: (-item[1], item[0]))
        )
        national = sum(
            1 for _, a in graph.nodes(data=True)
            if a.get("kind") == "agency" and not a.get("jurisdiction")
        )
        parts.append(
            '<label>辖区 <select id="pkg-jurisdiction"><option value="*">不限</option>'
            f'<option value="">全国（中央部门，{national}）</option>{choices}</select></label>'
        )
    return "\n    ".join(parts) + "\n    "


def legend_html(rows: list[tuple[str, str, str]]) -> str:
    """Return a legend list from ``viz.style.legend`` rows."""
    items = []
    for swatch, color, label in rows:
        if swatch == "node":
            mark = f'<span class="pkg-swatch" style="background:{html.escape(color)}"></span>'
        else:
            dashed = " dashed" if swatch == "dashed" else ""
            mark = (
                f'<span class="pkg-line{dashed}" style="border-color:{html.escape(color)}"></span>'
            )
        items.append(f"<li>{mark}{html.escape(label)}</li>")
    return f'<ul class="pkg-legend">{"".join(items)}</ul>'


def graph_legend(*graphs: nx.Graph[Any]) -> list[tuple[str, str, str]]:
    """Return the legend rows of what ``graphs`` contain, in the order of ``viz.style``."""
    kinds: set[str] = set()
    doc_kinds: set[str] = set()
    levels: set[str] = set()
    relations: set[str] = set()
    for graph in graphs:
        for _, attrs in graph.nodes(data=True):
            kinds.add(str(attrs.get("kind")))
            if attrs.get("doc_kind"):
                doc_kinds.add(str(attrs["doc_kind"]))
            if attrs.get("kind") == "agency" and attrs.get("level"):
                levels.add(str(attrs["level"]))
        relations |= {str(a["relation"]) for *_, a in graph.edges(data=True) if a.get("relation")}
    return legend(kinds, relations, doc_kinds=doc_kinds, levels=levels)


#: the first picture is laid out here, not by physics in the page, up to this many nodes
LAYOUT_MAX = 400
#: the median edge of the precomputed layout, in canvas units (labels are drawn at 12–22);
#: agencies alone sit in dense cliques with large dots, so spread them more
_EDGE_LENGTH: dict[str, float] = {"": 200.0}


def _weight(vis: Mapping[str, Any], degree: int) -> float:
    """A node's importance, as the page ranks it (``view.js``: value first, then links)."""
    return float(vis.get("value") or 0) * 1000 + degree


def initial_slice(
    graph: nx.Graph[Any], ids: Mapping[Hashable, str],
    vis_nodes: Mapping[str, Mapping[str, Any]], sliced: Mapping[str, Any] | None,
) -> tuple[list[str], str]:
    """The node ids a dense view opens on, and the jurisdiction of that slice (``*``: any).

    The busiest nodes of the slice's kinds, in the jurisdiction of the busiest agency when the
    slice ranks agencies (one connected community), with their neighbours if it says so.
    """
    degree = {ids[n]: d for n, d in graph.degree()}
    ranked = sorted(vis_nodes, key=lambda i: (-_weight(vis_nodes[i], degree[i]),
                                              str(vis_nodes[i].get("label", ""))))
    if not sliced:
        return ranked, "*"
    kinds = list(sliced["kinds"])
    jurisdiction = "*"
    if "agency" in kinds:
        top = next((i for i in ranked if vis_nodes[i].get("kind") == "agency"), None)
        jurisdiction = str(vis_nodes[top].get("jurisdiction") or "") if top else "*"
    primary = [i for i in ranked if vis_nodes[i].get("kind") in kinds
               and (jurisdiction == "*" or str(vis_nodes[i].get("jurisdiction") or "")
                    == jurisdiction)]
    size = int(sliced["sizes"][0])
    if size > 0:
        primary = primary[:size]
    keep = dict.fromkeys(primary)
    if sliced.get("neighbours"):
        by_id = {v: k for k, v in ids.items()}
        for i in primary:
            keep.update(dict.fromkeys(ids[m] for m in nx_neighbours(graph, by_id[i])))
    return list(keep), jurisdiction


def _page_ids(graph: nx.Graph[Any]) -> dict[Hashable, str]:
    """Node → its id on the page: its string less the folders all ids share (IRIs' namespace).

    >>> import networkx as nx
    >>> g = nx.Graph([("https://w3id.org/policykg/agency/ndrc", "https://w3id.org/policykg/task/t1")])
    >>> sorted(_page_ids(g).values())
    ['agency/ndrc', 'task/t1']
    """
    ids = {node: str(node) for node in graph.nodes}
    if len(ids) < 2:
        return ids
    lo, hi = min(ids.values()), max(ids.values())  # their common start is everyone's
    n = next((i for i, (a, b) in enumerate(zip(lo, hi, strict=False)) if a != b), len(lo))
    cut = lo.rfind("/", 0, n) + 1  # whole folders only: "…/agency/nd" + "rc" would read badly
    short = {node: text[cut:] for node, text in ids.items()}
    return ids if "" in short.values() else short


def nx_neighbours(graph: nx.Graph[Any], node: Hashable) -> list[Hashable]:
    """Every node linked to ``node``, either way."""
    if graph.is_directed():
        return [*graph.successors(node), *graph.predecessors(node)]  # type: ignore[attr-defined]
    return list(graph.neighbors(node))


def precomputed_layout(
    graph: nx.Graph[Any], ids: Mapping[Hashable, str], first: list[str],
    vis_nodes: Mapping[str, Mapping[str, Any]], view: str = "",
) -> dict[str, list[int]]:
    """Positions (canvas units) of the nodes ``first`` (page ids) for the first paint, or ``{}``.

    A seeded ForceAtlas2 layout (networkx, numpy) of the slice, scaled to a set median edge
    length, then shapes pushed apart: the page draws it at once instead of running physics
    while the reader waits.
    """
    if not 1 < len(first) <= LAYOUT_MAX:
        return {}
    import networkx as nx

    wanted = set(first)
    sub: nx.Graph[str] = nx.Graph()
    sub.add_nodes_from(sorted(wanted))
    sub.add_edges_from(sorted((ids[u], ids[v]) for u, v in graph.edges()
                              if ids[u] in wanted and ids[v] in wanted and u != v))
    # ForceAtlas2, as the page's physics: a node repels by its degree, so hubs stand apart
    pos = nx.forceatlas2_layout(sub, seed=7, max_iter=100)
    order = sorted(pos)
    lengths = sorted(math.dist(pos[u], pos[v]) for u, v in sub.edges())
    median = lengths[len(lengths) // 2] if lengths else 0.0
    scale = _EDGE_LENGTH.get(view, _EDGE_LENGTH[""]) / median if median > 0 else 1.0
    xy = _separate([[float(pos[i][0]) * scale, float(pos[i][1]) * scale] for i in order],
                   _radii([vis_nodes[i] for i in order]))
    return {i: [round(x), round(y)] for i, (x, y) in zip(order, xy, strict=True)}


def _radii(nodes: list[Mapping[str, Any]]) -> list[float]:
    """Each node's drawn radius (canvas units), as vis-network scales ``value`` over them."""
    values = [float(n["value"]) for n in nodes if n.get("value") is not None]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    lo_size, hi_size = 8.0, 40.0  # _options: nodes.scaling min and max
    out = []
    for n in nodes:
        if n.get("value") is None:
            out.append(float(n.get("size") or 10))
        else:
            share = 0.5 if high == low else (float(n["value"]) - low) / (high - low)
            out.append(lo_size + share * (hi_size - lo_size))
    return out


def _separate(xy: list[list[float]], radii: list[float], gap: float = 6.0,
              rounds: int = 60) -> list[list[float]]:
    """Push apart nodes whose shapes overlap (the layout knows points, not sizes)."""
    import numpy as np

    p = np.array(xy, dtype=float)
    r = np.array(radii, dtype=float)
    need = r[:, None] + r[None, :] + gap
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        d = p[:, None, :] - p[None, :, :]
        dist = np.sqrt((d ** 2).sum(axis=2))
        short = np.clip(need - dist, 0.0, None)
        np.fill_diagonal(short, 0.0)
        if not short.any():
            break
        # coincident points part along a fixed direction
        unit = np.where(dist[:, :, None] > 1e-9, d / np.maximum(dist, 1e-9)[:, :, None],
                        np.array([1.0, 0.0]))
        p += (unit * (short / 2)[:, :, None]).sum(axis=1)
    return [[float(x), float(y)] for x, y in p]


def render(graph: nx.Graph[Any], view: str, *, title: str, index_href: str | None = None) -> str:
    """Render ``graph`` as the self-contained HTML page of ``view``.

    Args:
        graph: a networkx graph following the attribute contract of ARCHITECTURE.md.
        view: one of ``VIEWS``.
        title: the page heading.
        index_href: a relative link back to the index page, if there is one.

    Returns:
        The HTML of one page that loads nothing from the network; the node data sits in
        ``<script id="pkg-data" type="application/json">`` and ``window.PKG_NODES``.

    Raises:
        ValueError: ``view`` is not one of ``VIEWS``.
        GraphError: two nodes would share one id on the page, or the page refers outside.
    """
    from pyvis.network import Network

    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
    n_nodes = graph.number_of_nodes()
    large = n_nodes > _LARGE
    ids = _page_ids(graph)
    if len(set(ids.values())) != len(ids):
        raise GraphError(Errors.H001.format(view=view))
    unknown = Counter(
        str(a.get("kind")) for _, a in graph.nodes(data=True) if a.get("kind") not in KIND_STYLES
    )
    if unknown:
        logger.warning("%s: nodes of unknown kind drawn grey: %s", view, dict(unknown))

    net = Network(
        height="100%",
        width="100%",
        directed=graph.is_directed(),
        heading=title,
        cdn_resources="in_line",
    )
    net.set_template_dir(str(ASSETS), "view.html")
    # Sector ids → Chinese names, if the graph carries them (``graph.graph["sector_labels"]``).
    sector_names: Mapping[str, str] = graph.graph.get("sector_labels", {})
    levels = _tree_levels(graph) if view == "tree" else {}
    centre = ego_centre(graph) if view == "agency" else None
    in_degree: Counter[Hashable] = Counter(v for _, v in graph.edges())
    for node, attrs in graph.nodes(data=True):
        vis = _vis_node(ids[node], attrs, view, large=large, sector_names=sector_names)
        if view == "tree":
            vis["level"] = levels[node]
            if vis["shape"] == "dot":  # boxes keep labels off the edges of a dense column
                vis.update(
                    shape="box", margin=5, font={"color": "#ffffff", "size": 13, "strokeWidth": 0}
                )
        if view == "citations" and attrs.get("kind") == "policy":
            vis["value"] = in_degree[node] + 1
        if node == centre:
            vis.pop("value", None)
            vis.update(size=36, borderWidth=4, font={"size": 22})
        label, shape, color = vis.pop("label"), vis.pop("shape"), vis.pop("color")
        net.add_node(ids[node], label=label, shape=shape, color=color, **vis)
    external = {n for n, a in graph.nodes(data=True) if a.get("kind") == "external_policy"}
    # pyvis's add_edge scans every node and edge per call (quadratic on thousands of edges),
    # so edges go straight into its edge list, in the same form add_edge would give them.
    for u, v, attrs in graph.edges(data=True):
        edge = _vis_edge(attrs, directed=graph.is_directed(), faded=u in external or v in external)
        net.edges.append({"from": ids[u], "to": ids[v], **edge})
    opts = _options(view, n_nodes)
    net.options = opts

    page = net.generate_html(name=f"{view}.html")
    sliced = SLICES.get(view) if n_nodes > SLICE_MIN else None
    first: list[str] = []
    jurisdiction = "*"
    positions: dict[str, list[int]] = {}
    if view != "tree" and n_nodes > 0:
        vis_nodes = {str(n["id"]): n for n in net.nodes}
        first, jurisdiction = initial_slice(graph, ids, vis_nodes, sliced)
        positions = precomputed_layout(graph, ids, first, vis_nodes, view)
    view_json = {
        "name": view,
        "physics": view != "tree" and n_nodes > 0,
        "faded": FADED,
        "nodes": n_nodes,
        "minFont": MIN_FONT_PX,
        "treeOpenAll": TREE_OPEN_ALL,
        "slice": sliced,
        "iterations": opts["physics"].get("stabilization", {}).get("iterations", 300),
        # the first picture: its nodes (null: every node), their jurisdiction and, when it is
        # small enough, their positions, so the page opens without running physics
        "initial": first if sliced else None,
        "jurisdiction": jurisdiction,
        "positions": positions or None,
    }
    nav = f'<a href="{html.escape(index_href)}">← 总览</a>' if index_href else ""
    fills = {
        "PKG_TITLE": html.escape(title),
        "PKG_VIEW_NAME": view,
        "PKG_NAV": nav,
        "PKG_FILTERS": _slice_html(graph, sliced) + _filters_html(graph, view),
        "PKG_HINT": html.escape(VIEW_HINTS[view]),
        "PKG_LEGEND": legend_html(graph_legend(graph)),
        "PKG_CSS": page_css(),
        "PKG_VIEW": _script_json(view_json),
        # UTF-8, not pyvis's \\u escapes: a third of the bytes for Chinese text
        "PKG_DATA": _script_json({"nodes": net.nodes, "edges": net.edges}),
        "PKG_VIS_JS": SOURCE_MAP.sub("", _asset("vis-network.min.js")),
        "PKG_APP_JS": _asset("view.js"),
    }
    page = PLACEHOLDER.sub(lambda m: fills.get(m.group("name"), m.group(0)), page)
    found = EXTERNAL_REF.search(page)
    if found is not None:
        raise GraphError(Errors.H002.format(view=view, url=found.group("url")))
    logger.info("%s: %d nodes, %d edges, %d bytes", view, n_nodes, len(net.edges), len(page))
    return str(page)
