"""The views of the whole bundled compilation, opened in headless Chromium."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from policykg.viz import write_all

pytestmark = [pytest.mark.slow, pytest.mark.browser]

COMPILATION = Path(__file__).resolve().parents[2] / "data" / "compilation-2022.txt"
EGO = "国家发展改革委"  # most tasks; line 3575: 国家发展改革委要会同有关部门…


@pytest.fixture(scope="session")
def compilation_graphs() -> dict[str, nx.Graph[Any]]:
    """Every view's graph of the whole compilation, built once per session."""
    from policykg.graph.views import agency_ego, to_networkx
    from policykg.loaders.corpus import load

    corpus = load([COMPILATION])
    graphs: dict[str, nx.Graph[Any]] = {
        kind: to_networkx(corpus, kind)
        for kind in ("responsibility", "coresponsibility", "citations")
    }
    graphs["agency"] = agency_ego(corpus, EGO)
    try:
        graphs["tree"] = to_networkx(corpus, "tree")
    except ModuleNotFoundError as e:  # graph.tree is another engineer's module
        if e.name != "policykg.graph.tree":
            raise
    return graphs


@pytest.fixture(scope="module")
def compilation_pages(compilation_graphs: dict[str, nx.Graph[Any]]) -> Iterator[dict[str, Path]]:
    """The compilation's pages written by ``write_all`` into a private folder."""
    figures = {"documents": 133}
    with tempfile.TemporaryDirectory(prefix="policykg-viz-compilation-") as name:
        yield {p.stem: p for p in write_all(compilation_graphs, Path(name), figures)}


@pytest.mark.parametrize(
    "view", ["tree", "responsibility", "coresponsibility", "agency", "citations"]
)
def test_compilation_view_draws_offline(
    view: str,
    compilation_graphs: dict[str, nx.Graph[Any]],
    compilation_pages: dict[str, Path],
    open_page: Callable[[Path], Any],
    assert_drawn: Callable[[bytes], None],
) -> None:
    if view not in compilation_graphs:
        pytest.skip("graph.tree (the curated 1+N tree) is not in the tree yet")
    graph = compilation_graphs[view]
    assert graph.number_of_nodes() > 50
    page = open_page(compilation_pages[view])
    assert page.wait_until("window.PKG_READY === true"), "layout never finished"
    assert page.evaluate("window.PKG_NODES.length") == graph.number_of_nodes()
    assert page.evaluate("window.PKG_NETWORK.physics.options.enabled") is False
    assert_drawn(page.screenshot("#pkg-network canvas"))
    assert page.requests() == []
    assert page.errors() == []
