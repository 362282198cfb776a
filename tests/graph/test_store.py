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


@pytest.fixture(params=[True, False], ids=["beside", "alone"])
def beside(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Oxigraph loaded beside the records' writing (a small graph), or first and alone (a
    graph over ``LOAD_BESIDE_MAX``)."""
    import policykg.graph.store

    monkeypatch.setattr(policykg.graph.store, "LOAD_BESIDE_MAX",
                        (1 << 40) if request.param else 0)
    return bool(request.param)


def test_a_failed_oxigraph_load_keeps_the_current_store(
    store_dir: Path, corpus: Corpus, g: rdflib.Graph, monkeypatch: pytest.MonkeyPatch,
    beside: bool,
) -> None:
    # the load runs in a thread beside the records' writing (a big graph alone, first): its
    # error is the write's
    import policykg.graph.store

    def broken(nt_path: Path, oxigraph_dir: Path, *, checked: bool = False) -> int:
        oxigraph_dir.mkdir()
        (oxigraph_dir / "000001.sst").write_bytes(b"half-written")
        raise RuntimeError("Corruption: bad block")

    before = (store_dir / "graph.nt").read_bytes()
    monkeypatch.setattr(policykg.graph.store, "load_oxigraph", broken)
    with pytest.raises(RuntimeError, match="bad block"):
        write_store(store_dir, corpus, g)
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


_NT = (
    '<https://example.org/doc/p2-1.6> <http://data.europa.eu/eli/ontology#title> '
    '"关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见"@zh .\n'
    '<https://example.org/doc/p2-1.6> <http://data.europa.eu/eli/ontology#date_document> '
    '"2021-09-22"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
    '<https://example.org/target/p2-1.6-g1> <https://example.org/pkg#value> '
    '"0020.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
)


@pytest.mark.parametrize("checked", [False, True])
def test_a_checked_load_holds_the_quads_a_strict_load_holds(tmp_path: Path, checked: bool) -> None:
    import pyoxigraph

    from policykg.graph.store import load_oxigraph

    nt = tmp_path / "graph.nt"
    nt.write_text(_NT, encoding="utf-8")
    assert load_oxigraph(nt, tmp_path / f"ox-{checked}", checked=checked) == 3
    store = pyoxigraph.Store.read_only(str(tmp_path / f"ox-{checked}"))
    strict = pyoxigraph.Store()
    strict.load(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert set(store) == set(strict)


@pytest.mark.parametrize("line", [
    '<https://example.org/a b> <https://example.org/p> "x" .\n',  # a space in an IRI
    '<doc/p2-1.6> <https://example.org/p> "x" .\n',  # a relative IRI
    '<https://example.org/a> <https://example.org/p> "x"@-zh .\n',  # a bad language tag
])
def test_the_builds_validator_refuses_what_a_checked_load_would_let_through(
    tmp_path: Path, line: str
) -> None:
    # the build loads graph.nt without the load's own checks only after this parse
    from policykg.errors import GraphError
    from policykg.graph.validate import validate

    nt = tmp_path / "graph.nt"
    nt.write_text(_NT + line, encoding="utf-8")
    with pytest.raises(GraphError):
        validate(nt)


@pytest.mark.parametrize(("flags", "checked"), [((), True), (("--no-validate",), False)])
def test_the_load_skips_its_checks_only_after_a_validation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: tuple[str, ...], checked: bool
) -> None:
    import policykg.graph.store
    from policykg.cli import main

    real_load = policykg.graph.store.load_oxigraph
    seen: list[bool] = []

    def load(nt_path: Path, oxigraph_dir: Path, *, checked: bool = False) -> int:
        seen.append(checked)
        return real_load(nt_path, oxigraph_dir, checked=checked)

    monkeypatch.setattr(policykg.graph.store, "load_oxigraph", load)
    notice = Path(__file__).parents[1] / "data" / "fixtures" / "loader_single_notice.txt"
    assert main(["-q", "build", str(notice), "--store", str(tmp_path / "s"), *flags]) == 0
    assert seen == [checked]


def test_a_graph_loaded_beside_the_records_or_alone_is_the_same_store(
    tmp_path: Path, corpus: Corpus, g: rdflib.Graph, monkeypatch: pytest.MonkeyPatch,
    beside: bool,
) -> None:
    import policykg.graph.store

    threads: list[str] = []
    real = policykg.graph.store.load_oxigraph

    def load(nt_path: Path, oxigraph_dir: Path, *, checked: bool = False) -> int:
        import threading

        threads.append(threading.current_thread().name)
        return real(nt_path, oxigraph_dir, checked=checked)

    monkeypatch.setattr(policykg.graph.store, "load_oxigraph", load)
    store = write_store(tmp_path / "store", corpus, g)
    assert (threads[0] == "MainThread") is not beside
    assert len(open_store(store)) == len(g)
    assert isomorphic(open_store(store).memory_graph(), g)
