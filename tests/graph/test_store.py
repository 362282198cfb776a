"""The store directory: written whole then swapped in, opened read-only, damage reported."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from policykg.errors import StoreError
from policykg.graph import iris
from policykg.graph.store import open_store, write_store
from policykg.ontology import PKG
from policykg.records import Corpus


@pytest.fixture
def store_dir(tmp_path: Path, corpus: Corpus, g: rdflib.Graph) -> Path:
    return write_store(
        tmp_path / "store", corpus, g, tree_json={"doc_id": "p2-1.3", "children": []},
        inputs=["/anywhere/data/compilation-2022.txt"],
    )


def test_layout_follows_architecture(store_dir: Path) -> None:
    names = {p.name for p in store_dir.iterdir()}
    assert names == {"manifest.json", "records", "oxigraph", "graph.nt", "tree.json"}
    assert {p.name for p in store_dir.parent.iterdir()} == {"store", ".store.lock"}
    manifest = json.loads((store_dir / "manifest.json").read_text("utf-8"))
    assert manifest["inputs"] == ["compilation-2022.txt"]
    assert manifest["counts"]["documents"] == 4
    assert manifest["summary"][0]["total_lines"] == 47808
    assert "time" not in json.dumps(manifest)


def test_open_store_gives_records_and_graph(
    store_dir: Path, corpus: Corpus, g: rdflib.Graph
) -> None:
    store = open_store(store_dir)
    assert len(store) == len(g)
    assert store.corpus() == corpus
    assert [r["id"] for r in store.records("tasks")] == ["p2-1.6-t4"]
    assert isomorphic(store.memory_graph(), g)
    view = store.graph()  # rdflib API over the on-disk Oxigraph store
    assert view.value(iris.task_iri("p2-1.6-t4"), PKG.assignedBy) == iris.doc_iri("p2-1.6")


def test_store_opens_twice_read_only(store_dir: Path) -> None:
    first, second = open_store(store_dir), open_store(store_dir)
    assert len(first) == len(second) > 0


def test_rebuild_replaces_store_and_leaves_no_sibling(
    store_dir: Path, corpus: Corpus, g: rdflib.Graph
) -> None:
    smaller = rdflib.Graph()
    for t in g.triples((None, PKG.assignedBy, None)):
        smaller.add(t)
    write_store(store_dir, corpus, smaller)
    assert len(open_store(store_dir)) == len(smaller)
    assert sorted(p.name for p in store_dir.parent.iterdir()) == [".store.lock", "store"]


def test_failed_build_keeps_the_current_store(
    store_dir: Path, corpus: Corpus, g: rdflib.Graph
) -> None:
    before = (store_dir / "graph.nt").read_bytes()
    with pytest.raises(TypeError):  # the tree is not JSON: the build stops after the graph
        write_store(store_dir, corpus, g, tree_json={"bad": object()})
    assert (store_dir / "graph.nt").read_bytes() == before
    assert len(open_store(store_dir)) == len(g)
    assert sorted(p.name for p in store_dir.parent.iterdir()) == [".store.lock", "store"]


def test_interrupt_between_the_renames_puts_the_old_store_back(
    store_dir: Path, corpus: Corpus, g: rdflib.Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    import policykg.graph.store

    before = (store_dir / "graph.nt").read_bytes()
    real_replace = os.replace
    calls: list[object] = []

    def replace(src: Path, dst: Path) -> None:
        calls.append(src)
        if len(calls) == 2:  # the old store is aside, the new one not yet in place
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(policykg.graph.store.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        write_store(store_dir, corpus, rdflib.Graph())
    monkeypatch.undo()
    assert (store_dir / "graph.nt").read_bytes() == before
    assert sorted(p.name for p in store_dir.parent.iterdir()) == [".store.lock", "store"]


def test_refuses_to_replace_a_folder_that_is_not_a_store(
    tmp_path: Path, corpus: Corpus, g: rdflib.Graph
) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me", "utf-8")
    with pytest.raises(StoreError, match="not a policykg store"):
        write_store(tmp_path / "notes", corpus, g)
    assert (tmp_path / "notes" / "mine.txt").exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        pytest.param(lambda d: (d / "manifest.json").unlink(), "no policykg store",
                     id="no-manifest"),
        pytest.param(lambda d: (d / "manifest.json").write_text("{", "utf-8"), "damaged manifest",
                     id="bad-manifest"),
        pytest.param(lambda d: (d / "manifest.json").write_text('{"format": 0}', "utf-8"),
                     "format 1", id="old-format"),
        pytest.param(lambda d: shutil.rmtree(d / "oxigraph"), "Oxigraph store is missing",
                     id="no-oxigraph"),
    ],
)
def test_damaged_store_is_a_store_error(
    store_dir: Path, damage: Callable[[Path], object], message: str
) -> None:
    damage(store_dir)
    with pytest.raises(StoreError, match=message):
        open_store(store_dir)


def test_missing_directory_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run 'policykg build'"):
        open_store(tmp_path / "nowhere")
