"""Write view pages to files and the ``index.html`` that links them.

Must not import ``graph`` or ``loaders``: the graphs arrive as ``nx.Graph[Any]`` objects.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykg.fsio import write_text
from policykg.viz.render import (
    DEFAULT_TITLES,
    EXTERNAL_REF,
    VIEW_HINTS,
    VIEWS,
    ego_centre,
    graph_legend,
    legend_html,
    page_css,
    render,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["FIGURE_LABELS", "render_index", "view_title", "write_all", "write_view"]

logger = logging.getLogger(__name__)

#: Headline figures of the index, in display order.
FIGURE_LABELS: dict[str, str] = {
    "documents": "政策文件",
    "tasks": "任务",
    "agencies": "责任部门",
    "targets": "量化目标",
}


def view_title(graph: nx.Graph[Any], view: str) -> str:
    """Return a view's title: ``graph.graph['title']``, else the default (with the ego agency)."""
    given = graph.graph.get("title")
    if given:
        return str(given)
    title = DEFAULT_TITLES.get(view, view)
    if view == "agency":
        centre = ego_centre(graph)
        if centre is not None:
            title += "：" + str(graph.nodes[centre].get("label") or centre)
    return title


def _write(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` (UTF-8) through a temporary file, creating its folder."""
    return write_text(path, text)


def write_view(
    graph: nx.Graph[Any],
    view: str,
    path: Path,
    *,
    title: str | None = None,
    index_href: str | None = None,
) -> Path:
    """Render one view of ``graph`` into the HTML file ``path`` and return the path.

    Raises:
        ValueError: ``view`` is not one of ``viz.render.VIEWS``.
        StoreError: the file cannot be written.
    """
    text = render(graph, view, title=title or view_title(graph, view), index_href=index_href)
    logger.info("wrote %s (%d nodes)", path, graph.number_of_nodes())
    return _write(Path(path), text)


def render_index(
    entries: list[tuple[str, str, int, int, str]],
    figures: Mapping[str, int],
    legend_rows: list[tuple[str, str, str]],
) -> str:
    """Return the index page: headline figures, links to the views and a legend.

    Args:
        entries: ``(href, title, nodes, edges, description)`` of each view page, in order.
        figures: headline counts; ``FIGURE_LABELS`` keys first, any others after.
        legend_rows: rows from ``viz.style.legend``.
    """
    keys = [k for k in FIGURE_LABELS if k in figures] + sorted(set(figures) - set(FIGURE_LABELS))
    figure_items = "".join(
        f"<li><b>{int(figures[k]):,}</b>{html.escape(FIGURE_LABELS.get(k, k))}</li>" for k in keys
    )
    links = "".join(
        f'<li><a href="{html.escape(href)}">{html.escape(title)}</a>'
        f"（{nodes:,} 个节点，{edges:,} 条边）<br><small>{html.escape(text)}</small></li>"
        for href, title, nodes, edges, text in entries
    )
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>双碳政策知识图谱 · policykg</title>
<style>{page_css()}</style>
</head>
<body>
<div class="pkg-index">
<h1>双碳政策知识图谱</h1>
<p>碳达峰碳中和“1+N”政策体系：文件、任务、责任部门与量化目标。每个视图是一个独立的 HTML
文件，离线即可打开。</p>
<h2>概况</h2>
<ul class="pkg-figures" id="pkg-figures">{figure_items}</ul>
<h2>视图</h2>
<ul class="pkg-views">{links}</ul>
<h2>图例</h2>
{legend_html(legend_rows)}
</div>
</body>
</html>
"""
    found = EXTERNAL_REF.search(page)
    if found is not None:
        raise ValueError(f"index would fetch {found.group('url')!r} from the network")
    return page


def write_all(
    graphs: Mapping[str, nx.Graph[Any]], out_dir: Path, figures: Mapping[str, int]
) -> list[Path]:
    """Write ``<view>.html`` for each graph and an ``index.html`` linking them.

    Args:
        graphs: view name (one of ``viz.render.VIEWS``) → graph.
        out_dir: the folder to write into (created if missing).
        figures: headline counts for the index (documents, tasks, agencies, targets).

    Returns:
        The written paths, the views in ``VIEWS`` order and then the index.

    Raises:
        ValueError: a key of ``graphs`` is not a view.
        StoreError: a file cannot be written.
    """
    unknown = sorted(set(graphs) - set(VIEWS))
    if unknown:
        raise ValueError(f"unknown views {unknown}; expected some of {', '.join(VIEWS)}")
    out_dir = Path(out_dir)
    written: list[Path] = []
    entries: list[tuple[str, str, int, int, str]] = []
    for view in (v for v in VIEWS if v in graphs):
        graph = graphs[view]
        title = view_title(graph, view)
        name = f"{view}.html"
        written.append(
            write_view(graph, view, out_dir / name, title=title, index_href="index.html")
        )
        n, m = graph.number_of_nodes(), graph.number_of_edges()
        entries.append((name, title, n, m, VIEW_HINTS[view]))
    rows = graph_legend(*graphs.values())
    written.append(_write(out_dir / "index.html", render_index(entries, figures, rows)))
    return written
