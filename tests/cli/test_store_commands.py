"""The store commands: the per-file cache, up-to-date builds, add/remove, --jobs, ids of any
file names, and a non-conforming graph that must not replace a conforming store."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import policykg
from policykg.ontology import ELI

Run = Callable[..., tuple[int, str, str]]

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures"
GUOFA = FIXTURES / "loader_folder" / "01-guofa-2021-4.txt"  # 国发〔2021〕4号
NINGXIA = FIXTURES / "loader_folder" / "02-ningzhengfa-2021-39.txt"  # implements 国发〔2021〕4号
GOALS = FIXTURES / "targets_main_goals_1n.txt"
COMPILATION = Path(__file__).resolve().parents[2] / "data" / "compilation-2022.txt"


def _manifest(store: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((store / "manifest.json").read_text("utf-8"))
    return data


def _rows(store: Path, kind: str) -> list[dict[str, Any]]:
    text = (store / "records" / f"{kind}.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line]


def _read_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("read: "))


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    for path in (GUOFA, NINGXIA, GOALS):
        shutil.copy(path, folder / path.name)
    return folder


def test_edit_one_file_rereads_only_it(run: Run, tmp_path: Path, inputs: Path) -> None:
    store = tmp_path / "store"
    code, out, _ = run("build", "--store", store, inputs, "--no-validate")
    assert code == 0
    assert _read_line(out).startswith("read: 3 of 3 input files")
    # the 宁夏 notice gets one more line: only it is read again
    edited = inputs / NINGXIA.name
    edited.write_text(edited.read_text("utf-8") + "宁夏回族自治区人民政府办公厅\n", "utf-8")
    code, out, _ = run("build", "--store", store, inputs, "--no-validate")
    assert code == 0
    assert _read_line(out).startswith("read: 1 of 3 input files")
    summary = {s["file"]: s["total_lines"] for s in _manifest(store)["summary"]}
    assert summary[NINGXIA.name] == 10
    # the old entry of the 宁夏 file is gone
    assert len(list((store / "cache").glob("*.jsonl"))) == 3


def test_nothing_changed_builds_nothing(run: Run, tmp_path: Path, inputs: Path) -> None:
    store = tmp_path / "store"
    assert run("build", "--store", store, inputs, "--no-validate")[0] == 0
    before = (store / "graph.nt").stat().st_ino
    code, out, err = run("build", "--store", store, inputs, "--no-validate")
    assert (code, err) == (0, "")
    assert out.startswith("store is up to date (no input changed): documents: 3")
    assert (store / "graph.nt").stat().st_ino == before
    # asking for validation is a change of its own
    code, out, _ = run("build", "--store", store, inputs)
    assert code == 0
    assert "SHACL: conforms" in out
    assert _read_line(out).startswith("read: 0 of 3 input files")


def test_a_new_version_rereads_everything(
    run: Run, tmp_path: Path, inputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    assert run("build", "--store", store, inputs, "--no-validate")[0] == 0
    monkeypatch.setattr(policykg, "__version__", "99.0.0")
    code, out, _ = run("build", "--store", store, inputs, "--no-validate")
    assert code == 0
    assert _read_line(out).startswith("read: 3 of 3 input files")
    assert _manifest(store)["extractor"].startswith("99.0.0+")


def test_add_resolves_citations_that_find_their_target(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run("build", "--store", store, NINGXIA, "--no-validate")[0] == 0
    (cite,) = _rows(store, "citations")
    assert (cite["cited_doc_id"], cite["relation"]) == (None, "implements")
    # the originals of the store's files are not needed: they come from its cache
    code, out, _ = run("add", "--store", store, GUOFA, "--no-validate")
    assert code == 0
    assert _read_line(out).startswith("read: 1 of 2 input files")
    (cite,) = _rows(store, "citations")
    assert cite["cited_doc_id"] == "01-guofa-2021-4"
    # the added file takes its place by name, as in a build of one folder holding both
    assert [d["id"] for d in _rows(store, "documents")] == [
        "01-guofa-2021-4", "02-ningzhengfa-2021-39"]
    # remove it again: the citation is external once more, the file leaves the manifest
    code, out, _ = run("remove", "--store", store, "01-guofa-2021-4", "--no-validate")
    assert code == 0
    assert _read_line(out).startswith("read: 0 of 1 input files")
    (cite,) = _rows(store, "citations")
    assert cite["cited_doc_id"] is None
    assert [f["name"] for f in _manifest(store)["files"]] == [NINGXIA.name]


def test_remove_one_document_of_a_compilation_keeps_the_rest(
    run: Run, tmp_path: Path
) -> None:
    excerpt = tmp_path / COMPILATION.name
    lines = COMPILATION.read_text("utf-8").split("\n")[:4400]
    excerpt.write_text("\n".join(lines) + "\n", "utf-8")
    store = tmp_path / "store"
    assert run("build", "--store", store, excerpt, "--no-validate")[0] == 0
    ids = [d["id"] for d in _rows(store, "documents")]
    assert "p2-1.1" in ids
    code, _, _ = run("remove", "--store", store, "p2-1.1", "--no-validate")
    assert code == 0
    assert [d["id"] for d in _rows(store, "documents")] == [i for i in ids if i != "p2-1.1"]
    assert not [t for t in _rows(store, "tasks") if t["doc_id"] == "p2-1.1"]
    assert _manifest(store)["excluded"] == ["p2-1.1"]
    # a later add keeps it removed
    assert run("add", "--store", store, GUOFA, "--no-validate")[0] == 0
    assert "p2-1.1" not in {d["id"] for d in _rows(store, "documents")}


def test_remove_an_unknown_id_and_add_to_no_store_are_errors(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    code, out, err = run("add", "--store", store, GUOFA)
    assert (code, out) == (2, "")
    assert "no policykg store here" in err
    assert run("build", "--store", store, GUOFA, "--no-validate")[0] == 0
    code, out, err = run("remove", "--store", store, "nope")
    assert (code, out) == (2, "")
    assert "no document with id 'nope'" in err


def test_jobs_do_not_change_a_byte(run: Run, tmp_path: Path, inputs: Path) -> None:
    excerpt = inputs / COMPILATION.name  # many documents: extraction runs in chunks
    lines = COMPILATION.read_text("utf-8").split("\n")[:6496]
    excerpt.write_text("\n".join(lines) + "\n", "utf-8")
    stores = []
    for jobs in ("1", "2"):
        store = tmp_path / f"store-{jobs}"
        assert run("build", "--store", store, inputs, "--jobs", jobs, "--no-validate")[0] == 0
        stores.append(store)
    one, two = stores

    def files(store: Path) -> Iterator[Path]:
        for path in sorted(store.rglob("*")):
            if path.is_file() and "oxigraph" not in path.relative_to(store).parts:
                yield path.relative_to(store)

    assert list(files(one)) == list(files(two))
    for rel in files(one):
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel
    assert len(_rows(one, "documents")) > 10


@pytest.mark.parametrize("pool_min_chars", [0, 10**9])
def test_one_file_over_the_pool_or_not_gives_the_same_bytes(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool_min_chars: int
) -> None:
    """One file's documents are extracted over the pool from ``POOL_MIN_CHARS`` characters
    on, in process below: the store is the same either way, and the same as with one job."""
    from policykg import pipeline

    excerpt = tmp_path / COMPILATION.name
    excerpt.write_text("\n".join(COMPILATION.read_text("utf-8").split("\n")[:6496]) + "\n",
                       "utf-8")
    stores = []
    for jobs, limit in (("1", 10**9), ("2", pool_min_chars)):
        monkeypatch.setattr(pipeline, "POOL_MIN_CHARS", limit)
        store = tmp_path / f"store-{jobs}"
        assert run("build", "--store", store, excerpt, "--jobs", jobs, "--no-validate")[0] == 0
        stores.append(store)
    one, two = stores
    for name in ("graph.nt", "records/tasks.jsonl", "records/targets.jsonl",
                 "records/problems.jsonl"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    assert len(_rows(one, "tasks")) > 10


def test_ids_of_any_file_names_are_unique_and_stable(run: Run, tmp_path: Path) -> None:
    # issue 15: three policies in x y.txt, x-y.txt, X_Y.txt collided (7 SHACL violations)
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name, source in (("x y.txt", GUOFA), ("x-y.txt", NINGXIA), ("X_Y.txt", GOALS)):
        shutil.copy(source, folder / name)
    store = tmp_path / "store"
    code, out, err = run("build", "--store", store, folder)
    assert code == 0, err
    assert "SHACL: conforms" in out
    ids = {d["title"][:6]: d["id"] for d in _rows(store, "documents")}
    assert sorted(ids.values()) == ["x-y", "x-y--b06b1656", "x-y--e3c8d72d"]
    sections = [s["id"] for s in _rows(store, "sections")]
    assert len(sections) == len(set(sections))
    # each file alone gets the id it has among the others
    alone = tmp_path / "alone"
    for name in ("x y.txt", "X_Y.txt"):
        assert run("build", "--store", alone, folder / name, "--no-validate")[0] == 0
        (doc,) = _rows(alone, "documents")
        assert ids[doc["title"][:6]] == doc["id"]


@pytest.fixture
def invalid_graph(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Make the next builds' graphs lose every title (a SHACL violation)."""

    def break_graphs() -> None:
        import policykg.graph.triples as triples

        real = triples.document_batch
        title = f"<{ELI.title}>"

        def untitled(*args: Any, **kwargs: Any) -> list[str]:
            return [line for line in real(*args, **kwargs) if title not in line]

        monkeypatch.setattr(triples, "document_batch", untitled)

    return break_graphs


def test_a_graph_that_does_not_conform_keeps_a_conforming_store(
    run: Run, tmp_path: Path, invalid_graph: Callable[[], None]
) -> None:
    store = tmp_path / "store"
    assert run("build", "--store", store, GUOFA)[0] == 0
    before = (store / "graph.nt").read_bytes()
    invalid_graph()
    code, out, err = run("build", "--store", store, GUOFA, NINGXIA)
    assert code == 1
    assert "SHACL: DOES NOT CONFORM" in out
    assert f"the store in {store} is kept as it was (--allow-invalid replaces it)" in err
    assert (store / "graph.nt").read_bytes() == before
    assert _manifest(store)["conforms"] is True
    # asked for: replaced, and the manifest says so
    code, out, err = run("build", "--store", store, GUOFA, NINGXIA, "--allow-invalid")
    assert code == 1
    assert (store / "graph.nt").read_bytes() != before
    assert _manifest(store)["conforms"] is False
