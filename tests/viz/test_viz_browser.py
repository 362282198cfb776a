"""Open each view in headless Chromium: no request, no console error, a drawing, every node."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from policykg.viz import VIEWS, write_all, write_view
from policykg.viz.style import FADED

pytestmark = pytest.mark.browser

FIGURES = {"documents": 133, "tasks": 4, "agencies": 13, "targets": 52}


@pytest.fixture(scope="module")
def written(viz_graphs: dict[str, nx.Graph[Any]]) -> Iterator[dict[str, Path]]:
    """Every view and the index written by ``write_all``, by file stem (see ``private_dir``)."""
    with tempfile.TemporaryDirectory(prefix="policykg-viz-pages-") as name:
        yield {p.stem: p for p in write_all(viz_graphs, Path(name), FIGURES)}


@pytest.mark.parametrize("view", VIEWS)
def test_view_draws_offline(
    view: str,
    written: dict[str, Path],
    viz_graphs: dict[str, nx.Graph[Any]],
    open_page: Callable[[Path], Any],
    assert_drawn: Callable[[bytes], None],
) -> None:
    page = open_page(written[view])
    assert page.wait_until("window.PKG_READY === true"), "layout never finished"
    n = viz_graphs[view].number_of_nodes()
    assert page.evaluate("window.PKG_NODES.length") == n
    assert page.evaluate("window.PKG_NETWORK.body.data.nodes.length") == n
    assert page.evaluate("window.PKG_NETWORK.physics.options.enabled") is False
    assert_drawn(page.screenshot("#pkg-network canvas"))
    assert page.requests() == []
    assert page.errors() == []


def test_index_opens_offline(written: dict[str, Path], open_page: Callable[[Path], Any]) -> None:
    page = open_page(written["index"])
    figures = page.evaluate("document.getElementById('pkg-figures').innerText")
    assert "133\n政策文件" in figures
    links = page.evaluate("Array.from(document.links).map(a => a.getAttribute('href'))")
    assert sorted(links) == sorted(f"{v}.html" for v in VIEWS)
    assert page.requests() == []
    assert page.errors() == []


def _choose(page: Any, select: str, value: str) -> int:
    """Pick ``value`` in a ``<select>`` as a user would; return the nodes then shown."""
    page.evaluate(
        f"(function(){{var s=document.getElementById('{select}');s.value='{value}';"
        "s.dispatchEvent(new Event('change'));})()"
    )
    return int(page.evaluate("window.PKG_NETWORK.body.data.nodes.length"))


def test_responsibility_filters_by_sector_and_agency(
    written: dict[str, Path], open_page: Callable[[Path], Any]
) -> None:
    page = open_page(written["responsibility"])
    assert page.wait_until("window.PKG_READY === true")
    # transport: only （四）交通物流节能减排工程, 2 lead and 8 participating agencies (6094-6096)
    assert _choose(page, "pkg-sector", "transport") == 11
    assert (
        page.evaluate("document.getElementById('pkg-status').textContent") == "显示 11 / 17 个节点"
    )
    assert _choose(page, "pkg-sector", "") == 17
    # 国家乡村振兴局 leads only （五）农业农村节能减排工程, with 8 other agencies (6120-6123)
    assert _choose(page, "pkg-agency", "nrra") == 10
    assert _choose(page, "pkg-sector", "industry") == 1  # no industry task: the agency alone
    page.evaluate("document.getElementById('pkg-reset').click()")
    assert page.evaluate("window.PKG_NETWORK.body.data.nodes.length") == 17
    assert page.errors() == []


def test_find_focuses_a_node(written: dict[str, Path], open_page: Callable[[Path], Any]) -> None:
    page = open_page(written["tree"])
    assert page.wait_until("window.PKG_READY === true")
    page.evaluate(
        "(function(){var f=document.getElementById('pkg-find');f.value='2030年前碳达峰行动方案';"
        "f.dispatchEvent(new Event('change'));})()"
    )
    assert page.evaluate("window.PKG_NETWORK.getSelectedNodes()") == ["p2-04"]
    info = page.evaluate("document.getElementById('pkg-info').innerText")
    assert "国发〔2021〕23号" in info
    assert page.errors() == []


def _large(view: str) -> nx.DiGraph[str]:
    """A deterministic graph of a few thousand nodes shaped like the compilation's views."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    names = [
        "国家发展改革委",
        "工业和信息化部",
        "生态环境部",
        "国家能源局",
        "住房城乡建设部",
        "交通运输部",
    ]
    if view == "tree":
        graph.add_node("p2-03", kind="policy", doc_kind="central_policy", label="意见")
        for i in range(3000):
            parent = "p2-03" if i < 30 else f"d{(i * 7919) % min(i, 500)}"
            graph.add_node(f"d{i}", kind="policy", doc_kind="local_policy", label=f"实施方案{i}")
            graph.add_edge(parent, f"d{i}", relation="child")
        return graph
    for a in range(300):
        graph.add_node(f"a{a}", kind="agency", label=f"{names[a % 6]}{a}", tasks=a % 50 + 1)
    for t in range(2700):
        graph.add_node(f"t{t}", kind="task", label=f"（{t}）任务", sectors=["energy"])
        for k in range(1 + t % 4):
            graph.add_edge(
                f"a{(t * 31 + k * 97) % 300}", f"t{t}", relation=("lead", "participant")[k > 0]
            )
    return graph


@pytest.mark.parametrize(
    "view",
    [
        pytest.param("tree", id="3001-documents-tree-physics-off"),
        pytest.param("responsibility", id="3000-nodes-stabilised-then-frozen"),
    ],
)
def test_a_few_thousand_nodes_settle(
    view: str,
    open_page: Callable[[Path], Any],
    assert_drawn: Callable[[bytes], None],
) -> None:
    graph = _large(view)
    with tempfile.TemporaryDirectory(prefix="policykg-viz-large-") as name:
        page = open_page(write_view(graph, view, Path(name) / f"{view}.html"))
        assert page.wait_until("window.PKG_READY === true"), "layout never finished"
        assert page.evaluate("window.PKG_NODES.length") == graph.number_of_nodes()
        # it opens on a slice: the tree's root and first level, the busiest agencies' tasks
        shown = page.evaluate("window.PKG_NETWORK.body.data.nodes.length")
        assert shown == page.evaluate("window.PKG_VISIBLE.size")
        assert 20 < shown < 500
        assert page.evaluate("window.PKG_NETWORK.physics.options.enabled") is False
        if view == "responsibility":  # drawn where render.py laid it out: no physics at paint
            preset = page.evaluate("JSON.parse(document.getElementById('pkg-view')"
                                   ".textContent).positions")
            drawn = page.evaluate("window.PKG_NETWORK.getPositions()")
            assert set(drawn) == set(preset)
            assert all([round(drawn[i]["x"]), round(drawn[i]["y"])] == preset[i] for i in preset)
        assert_drawn(page.screenshot("#pkg-network canvas"))
        assert page.errors() == []


def test_the_harness_sees_requests_and_console_errors(
    open_page: Callable[[Path], Any], private_dir: Path
) -> None:
    # What pyvis's in_line page does offline: a CDN stylesheet, and a script that logs an error.
    bad = private_dir / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/bootstrap.min.css"></head>'
        "<body><script>console.error('vis is not defined')</script></body></html>",
        encoding="utf-8",
    )
    page = open_page(bad)
    assert page.wait_until("document.readyState === 'complete'")
    assert page.requests() == ["http://127.0.0.1:9/bootstrap.min.css"]
    assert "vis is not defined" in page.errors()


def test_chromium_keeps_its_temporary_files_in_the_test_folder(
    open_page: Callable[[Path], Any], private_dir: Path
) -> None:
    # Chromium leaves an org.chromium.Chromium.XXXXXX folder in $TMPDIR at every launch;
    # the tests point $TMPDIR into private_dir, which is removed after the test.
    page_file = private_dir / "blank.html"
    page_file.write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    page = open_page(page_file)
    assert page.wait_until("document.readyState === 'complete'")
    assert list((private_dir / "tmp").glob("org.chromium.Chromium.*"))


def test_a_link_fragment_opens_on_its_node(
    written: dict[str, Path], open_page: Callable[..., Any]
) -> None:
    page = open_page(written["tree"], "新型储能发展指导意见")
    assert page.wait_until("window.PKG_READY === true")
    assert page.evaluate("window.PKG_NETWORK.getSelectedNodes()") == ["p3-01-04"]
    lit = page.evaluate(
        "window.PKG_NETWORK.body.data.nodes.get()"
        f".filter(n => n.color !== '{FADED}').map(n => n.id)"
    )
    # its branch, up to the 1; the other sector plans fade
    assert sorted(lit) == ["group/保障方案", "p2-03", "p2-04", "p3-01-04"]
    assert page.errors() == []


def test_hovering_a_document_shows_its_record(
    written: dict[str, Path], open_page: Callable[..., Any]
) -> None:
    page = open_page(written["tree"])
    assert page.wait_until("window.PKG_READY === true")
    x, y = page.evaluate(
        "(function(){var n=window.PKG_NETWORK, p=n.getPositions(['p3-02-04'])['p3-02-04'];"
        "var d=n.canvasToDOM(p), r=document.querySelector('#pkg-network canvas')"
        ".getBoundingClientRect(); return [r.left + d.x, r.top + d.y];})()"
    )
    for dx in (-3, 0):  # vis-network shows a popup after the pointer rests on a node
        page.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x + dx, "y": y})
    assert page.wait_until(
        "(function(){var t=document.querySelector('div.vis-tooltip');"
        "return !!t && t.style.visibility === 'visible';})()",
        timeout=10,
    )
    text = page.evaluate("document.querySelector('div.vis-tooltip').innerText")
    assert text.splitlines() == [
        "关于完善能源绿色低碳转型体制机制和政策措施的意见",
        "类别：部委政策",
        "文号：发改能源〔2022〕206号",
        "日期：2022-01-30",
        "发文机关：国家发展改革委、国家能源局",
        "领域：energy",
        "来源：compilation-2022.txt 第 15683-16512 行",
    ]
    style = "getComputedStyle(document.querySelector('div.vis-tooltip'))"
    assert page.evaluate(f"{style}.whiteSpace") == "pre-wrap"
    assert "Noto Sans CJK SC" in page.evaluate(f"{style}.fontFamily")
