"""Static checks of the rendered pages: embedded data, styling, offline references, escaping."""

from __future__ import annotations

import json
import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from policykg.errors import GraphError, StoreError
from policykg.viz import VIEWS, render, write_all, write_view
from policykg.viz.render import EXTERNAL_REF
from policykg.viz.style import EDGE_STYLES, FADED, FONT_FAMILY

FIGURES = {"documents": 133, "tasks": 4, "agencies": 13, "targets": 52}
SCRIPT_BLOCK = r'<script id="{}" type="application/json">(.*?)</script>'


def _block(page: str, block: str) -> Any:
    found = re.search(SCRIPT_BLOCK.format(block), page, re.DOTALL)
    assert found is not None, f"no #{block} block"
    return json.loads(found.group(1))


def _nodes(page: str) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in _block(page, "pkg-data")["nodes"]}


@pytest.fixture(scope="module")
def pages(
    viz_graphs: dict[str, nx.Graph[Any]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    """Every view and the index written by ``write_all``, by file stem."""
    out = tmp_path_factory.mktemp("views")
    paths = write_all(viz_graphs, out, FIGURES)
    return {p.stem: p.read_text(encoding="utf-8") for p in paths}


def test_write_all_writes_every_view_and_the_index(pages: dict[str, str]) -> None:
    assert sorted(pages) == sorted([*VIEWS, "index"])


@pytest.mark.parametrize("view", VIEWS)
def test_page_embeds_every_node_and_edge(
    view: str, pages: dict[str, str], viz_graphs: dict[str, nx.Graph[Any]]
) -> None:
    graph = viz_graphs[view]
    data = _block(pages[view], "pkg-data")
    assert {n["id"] for n in data["nodes"]} == {str(n) for n in graph.nodes}
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert len(data["edges"]) == graph.number_of_edges()


@pytest.mark.parametrize("name", [*VIEWS, "index"])
def test_page_refers_to_nothing_outside_itself(name: str, pages: dict[str, str]) -> None:
    page = pages[name]
    assert EXTERNAL_REF.search(page) is None
    assert "<link" not in page
    assert re.search(r"<script[^>]*\bsrc\s*=", page) is None
    assert "sourceMappingURL" not in page


def test_external_ref_catches_what_pyvis_in_line_still_links(tmp_path: Path) -> None:
    # WestHealth/pyvis#229: cdn_resources="in_line" still links Bootstrap from jsDelivr.
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    net.add_node("p2-04", label="2030年前碳达峰行动方案")
    found = EXTERNAL_REF.search(net.generate_html(name=str(tmp_path / "pyvis.html")))
    assert found is not None
    assert found.group("url").startswith("https://cdn.jsdelivr.net/npm/bootstrap")


@pytest.mark.parametrize("view", VIEWS)
def test_labels_use_a_cjk_font_stack(view: str, pages: dict[str, str]) -> None:
    options = _block(pages[view], "pkg-options")
    assert options["nodes"]["font"]["face"] == FONT_FAMILY
    assert FONT_FAMILY.startswith('"Noto Sans CJK SC"')
    assert f"font-family: {FONT_FAMILY}" in pages[view]


def test_tree_is_hierarchical_from_the_one_with_physics_off(pages: dict[str, str]) -> None:
    options = _block(pages["tree"], "pkg-options")
    assert options["physics"] == {"enabled": False}
    assert options["layout"]["hierarchical"]["enabled"] is True
    levels = {i: n["level"] for i, n in _nodes(pages["tree"]).items()}
    assert levels["p2-03"] == 0  # the "1": 中共中央 国务院关于完整准确全面贯彻新发展理念…的意见
    assert levels["p2-04"] == 1  # 2030年前碳达峰行动方案
    assert levels["group/重点领域和行业"] == 2
    assert levels["p3-02-04"] == 3
    assert _block(pages["tree"], "pkg-view")["physics"] is False


@pytest.mark.parametrize("view", [v for v in VIEWS if v != "tree"])
def test_other_views_stabilise_once(view: str, pages: dict[str, str]) -> None:
    options = _block(pages[view], "pkg-options")
    assert options["physics"]["enabled"] is True
    assert options["physics"]["stabilization"]["enabled"] is True
    assert _block(pages[view], "pkg-view")["physics"] is True


@pytest.mark.parametrize(
    ("view", "node", "expected"),
    [
        pytest.param(
            "tree", "p3-02-04", "关于完善能源绿色低碳转型体制机制和政策措施的意见", id="tree-title"
        ),
        pytest.param("tree", "p3-02-04", "文号：发改能源〔2022〕206号", id="tree-文号"),
        pytest.param("tree", "p3-02-04", "日期：2022-01-30", id="tree-date"),
        pytest.param("tree", "p3-02-04", "发文机关：国家发展改革委、国家能源局", id="tree-issuers"),
        pytest.param(
            "tree",
            "p3-02-04",
            "来源：compilation-2022.txt 第 15683-16512 行",
            id="tree-source-lines",
        ),
        pytest.param("responsibility", "nrra", "任务：1", id="agency-task-count"),
        pytest.param(
            "responsibility",
            "p2-06-t04",
            "章节：三、实施节能减排重点工程 / （四）交通物流节能减排工程",
            id="task-section",
        ),
        pytest.param(
            "citations", "ext/联合国气候变化框架公约", "联合国气候变化框架公约", id="external"
        ),
    ],
)
def test_tooltip_shows_the_record(
    view: str, node: str, expected: str, pages: dict[str, str]
) -> None:
    assert expected in _nodes(pages[view])[node]["title"].split("\n")


@pytest.mark.parametrize(
    ("source", "target", "relation"),
    [
        pytest.param("mot", "p2-06-t04", "lead", id="交通运输部-牵头"),
        pytest.param("mps", "p2-06-t04", "participant", id="公安部-按职责分工负责"),
    ],
)
def test_lead_and_participant_edges_look_different(
    source: str, target: str, relation: str, pages: dict[str, str]
) -> None:
    edges = _block(pages["responsibility"], "pkg-data")["edges"]
    (edge,) = [e for e in edges if e["from"] == source and e["to"] == target]
    style = EDGE_STYLES[relation]
    assert (edge["relation"], edge["color"], edge["dashes"]) == (
        relation,
        style.color,
        style.dashes,
    )
    assert EDGE_STYLES["lead"].dashes != EDGE_STYLES["participant"].dashes
    assert EDGE_STYLES["lead"].color != EDGE_STYLES["participant"].color


def test_agencies_are_sized_by_task_count(pages: dict[str, str]) -> None:
    nodes = _nodes(pages["responsibility"])
    assert nodes["ndrc"]["value"] == 4  # in all four tasks of 1.6
    assert nodes["nrra"]["value"] == 1  # 国家乡村振兴局: only （五）
    assert "value" not in nodes["p2-06-t01"]


def test_external_policies_are_faded(pages: dict[str, str]) -> None:
    data = _block(pages["citations"], "pkg-data")
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["ext/一带一路绿色投资原则"]["color"] == FADED
    assert nodes["p2-04"]["color"] != FADED
    faded = {(e["from"], e["to"]) for e in data["edges"] if e["color"] == FADED}
    assert faded == {("p2-04", "ext/联合国气候变化框架公约"), ("p2-04", "ext/一带一路绿色投资原则")}


def test_responsibility_has_sector_and_agency_filters(pages: dict[str, str]) -> None:
    page = pages["responsibility"]
    sectors = re.findall(
        r'<option value="(\w+)">', page.split('id="pkg-sector"')[1].split("</select>")[0]
    )
    assert sorted(sectors) == ["agriculture", "energy", "industry", "transport"]
    agencies = page.split('id="pkg-agency"')[1].split("</select>")[0]
    assert agencies.count("<option value=") == 1 + 13
    assert '<option value="nrra">国家乡村振兴局（1）</option>' in agencies
    assert 'id="pkg-sector"' not in pages["citations"]


def test_agency_view_marks_its_centre(pages: dict[str, str]) -> None:
    nodes = _nodes(pages["agency"])
    assert nodes["ndrc"]["borderWidth"] == 4
    assert "<title>部门视图：国家发展改革委</title>" in pages["agency"]


def test_index_shows_figures_links_and_legend(pages: dict[str, str]) -> None:
    index = pages["index"]
    for figure, label in [
        ("133", "政策文件"),
        ("4", "任务"),
        ("13", "责任部门"),
        ("52", "量化目标"),
    ]:
        assert f"<li><b>{figure}</b>{label}</li>" in index
    for view in VIEWS:
        assert f'href="{view}.html"' in index
    for label in ("中央政策", "牵头", "参与", "外部政策（未收录）"):
        assert label in index
    assert 'href="index.html"' in pages["tree"]


def test_markup_in_labels_stays_text(tmp_path: Path) -> None:
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_node("a</script><script>alert(1)</script>", kind="policy", label="</script>《方案》&")
    page = write_view(graph, "citations", tmp_path / "x.html", title="<b>标题</b>").read_text(
        "utf-8"
    )
    assert "<title>&lt;b&gt;标题&lt;/b&gt;</title>" in page
    assert page.count("</script>") == page.count("<script")
    (node,) = _block(page, "pkg-data")["nodes"]
    assert node["label"] == "</script>《方案》&"


def test_unknown_view_is_refused(viz_graphs: dict[str, nx.Graph[Any]]) -> None:
    with pytest.raises(ValueError, match="unknown view 'map'"):
        render(viz_graphs["tree"], "map", title="地图")


def test_node_ids_must_stay_distinct_as_strings() -> None:
    graph: nx.Graph[Any] = nx.Graph()
    graph.add_nodes_from([1, "1"], kind="agency")
    with pytest.raises(GraphError, match="same string id"):
        render(graph, "coresponsibility", title="部门协同")


def test_large_graphs_drop_smoothing_and_improved_layout() -> None:
    graph: nx.DiGraph[str] = nx.DiGraph()
    for i in range(600):
        graph.add_node(f"t{i}", kind="task", label=f"任务{i}")
        graph.add_edge("ndrc", f"t{i}", relation="lead" if i % 3 == 0 else "participant")
    graph.nodes["ndrc"].update(kind="agency", label="国家发展改革委", tasks=600, lead_tasks=200)
    page = render(graph, "responsibility", title="谁负责")
    options = _block(page, "pkg-options")
    assert options["edges"]["smooth"] is False
    assert options["layout"]["improvedLayout"] is False
    assert options["physics"]["stabilization"]["iterations"] <= 300
    assert len(_block(page, "pkg-data")["nodes"]) == 601


def test_a_dense_view_opens_on_a_slice_laid_out_without_overlaps() -> None:
    from policykg.viz.render import LAYOUT_MAX

    graph: nx.DiGraph[str] = nx.DiGraph()
    for a in range(40):  # 40 agencies, in two jurisdictions, with 1–40 tasks each
        graph.add_node(f"https://w3id.org/policykg/agency/a{a}", kind="agency", label=f"部门{a}",
                       tasks=a + 1, jurisdiction="浙江省" if a % 2 else "江西省")
        for t in range(a + 1):
            task = f"https://w3id.org/policykg/task/a{a}-t{t}"
            graph.add_node(task, kind="task", label=f"任务{t}")
            graph.add_edge(f"https://w3id.org/policykg/agency/a{a}", task, relation="lead")
    page = render(graph, "responsibility", title="谁负责")
    view = _block(page, "pkg-view")
    nodes = _nodes(page)
    assert "agency/a39" in nodes  # ids less their shared namespace
    # the slice: the five busiest agencies of the busiest one's jurisdiction, with their tasks
    assert view["jurisdiction"] == "浙江省"
    agencies = [i for i in view["initial"] if nodes[i]["kind"] == "agency"]
    assert agencies == ["agency/a39", "agency/a37", "agency/a35", "agency/a33", "agency/a31"]
    assert len(view["initial"]) == 5 + 40 + 38 + 36 + 34 + 32 <= LAYOUT_MAX
    positions = view["positions"]
    assert set(positions) == set(view["initial"])
    # no two shapes overlap: a task's square (5) never sits on another shape
    points = [(positions[i], 5 if nodes[i]["kind"] == "task" else 8) for i in positions]
    for k, ((x1, y1), r1) in enumerate(points):
        for (x2, y2), r2 in points[k + 1:]:
            assert (x1 - x2) ** 2 + (y1 - y2) ** 2 >= (r1 + r2) ** 2
    assert render(graph, "responsibility", title="谁负责") == page  # the same page every time


def _png(width: int, height: int, pixel: Callable[[int, int], bytes]) -> bytes:
    """Encode an RGB PNG, rows alternating filter 0 (none) and 1 (sub)."""
    raw = bytearray()
    for y in range(height):
        row = b"".join(pixel(x, y) for x in range(width))
        if y % 2:
            sub = bytes((row[i] - (row[i - 3] if i >= 3 else 0)) & 0xFF for i in range(len(row)))
            raw += b"\x01" + sub
        else:
            raw += b"\x00" + row

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack("!I", len(body)) + kind + body + struct.pack("!I", zlib.crc32(kind + body))
        )

    header = struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw)))
        + chunk(b"IEND", b"")
    )


def test_a_blank_screenshot_is_not_a_drawing(assert_drawn: Callable[[bytes], None]) -> None:
    blank = _png(400, 300, lambda x, y: b"\xff\xff\xff")
    with pytest.raises(AssertionError, match="colours"):
        assert_drawn(blank)


def test_a_screenshot_with_shapes_is_a_drawing(assert_drawn: Callable[[bytes], None]) -> None:
    def pixel(x: int, y: int) -> bytes:
        inside = (x - 200) ** 2 + (y - 150) ** 2 < 40**2
        return bytes((200, x % 256, y % 256)) if inside else b"\xff\xff\xff"

    assert_drawn(_png(400, 300, pixel))


def test_sector_ids_read_as_names_when_the_graph_has_them(
    viz_graphs: dict[str, nx.Graph[Any]],
) -> None:
    graph = viz_graphs["responsibility"].copy()
    graph.graph["sector_labels"] = {"transport": "交通运输", "agriculture": "农业农村"}
    page = render(graph, "responsibility", title="谁负责")
    assert '<option value="transport">交通运输（1）</option>' in page
    assert "领域：农业农村、energy" in _nodes(page)["p2-06-t05"]["title"].split("\n")


def test_citation_edges_name_their_source_lines(pages: dict[str, str]) -> None:
    edges = _block(pages["citations"], "pkg-data")["edges"]
    titles = {(e["from"], e["to"]): e["title"] for e in edges}
    # line 15707: 为深入贯彻落实《中共中央、国务院关于完整准确全面贯彻新发展理念…意见》
    assert titles["p3-02-04", "p2-03"] == "贯彻落实（第 15707 行）"
    assert titles["p2-04", "ext/联合国气候变化框架公约"] == "引用（第 5382 行）"


def test_tree_tooltip_gives_the_placement_reason(viz_graphs: dict[str, nx.Graph[Any]]) -> None:
    graph = viz_graphs["tree"].copy()
    graph.nodes["p3-01-04"]["reason"] = "its title names the sector (储能)"
    title = _nodes(render(graph, "tree", title="1+N"))["p3-01-04"]["title"]
    assert title.split("\n")[-1] == "归入理由：its title names the sector (储能)"


def test_an_unwritable_path_is_a_store_error(
    viz_graphs: dict[str, nx.Graph[Any]], tmp_path: Path
) -> None:
    blocker = tmp_path / "build"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot write"):
        write_view(viz_graphs["tree"], "tree", blocker / "tree.html")
