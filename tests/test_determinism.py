"""Builds are deterministic, round-trip, keep stable IRIs, survive interruption and never run
user text as SPARQL (issue 7, reliability).

Slow: two builds of the bundled compilation. The first is the session's shared store
(``<basetemp>/bundled-store``, also used by ``tests/cli``); the second is the store the CLI's
auto-build test leaves in ``<basetemp>/second-store``, or a build of its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import policykg.graph.incremental
import policykg.graph.store
from policykg.cli import main

ROOT = Path(__file__).resolve().parent.parent
COMPILATION = ROOT / "data" / "compilation-2022.txt"
DOC = "https://w3id.org/policykg/doc/"

Run = Callable[..., tuple[int, str, str]]

pytestmark = pytest.mark.slow


def _build(store: Path, *inputs: Path, validate: bool = True) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    args = ["build", *(str(p) for p in inputs), "--store", str(store)]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args if validate else [*args, "--no-validate"])
    assert code == 0, err.getvalue()
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def first_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's shared store of the bundled compilation (see ``tests/cli/conftest.py``)."""
    base = tmp_path_factory.getbasetemp()
    store = base / "bundled-store"
    if not (store / "manifest.json").is_file():
        out, err = _build(store)
        (base / "bundled-store.stdout").write_text(out, encoding="utf-8")
        (base / "bundled-store.stderr").write_text(err, encoding="utf-8")
    return store


@pytest.fixture(scope="session")
def second_store(tmp_path_factory: pytest.TempPathFactory, first_store: Path) -> Path:
    """A second, separate build of the bundled compilation."""
    store = tmp_path_factory.getbasetemp() / "second-store"
    if not (store / "manifest.json").is_file():
        _build(store)
    assert store != first_store
    return store



def _files(store: Path) -> dict[str, str]:
    """Every file of a store with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(store)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(store.rglob("*")) if p.is_file()
    }


# --- two builds -----------------------------------------------------------------------------


def test_two_builds_give_byte_identical_sorted_ntriples(first_store: Path,
                                                         second_store: Path) -> None:
    first = (first_store / "graph.nt").read_bytes()
    second = (second_store / "graph.nt").read_bytes()
    assert first == second
    lines = first.decode("utf-8").splitlines()
    assert lines == sorted(lines)
    assert len(lines) == len(set(lines)) > 50_000


@pytest.mark.parametrize(
    "name",
    ["manifest.json", "tree.json", "records/documents.jsonl", "records/sections.jsonl",
     "records/tasks.jsonl", "records/agencies.jsonl", "records/targets.jsonl",
     "records/citations.jsonl", "records/sectors.jsonl", "records/problems.jsonl",
     "records/corpus.json"],
)
def test_two_builds_give_identical_records(first_store: Path, second_store: Path,
                                           name: str) -> None:
    assert (first_store / name).read_bytes() == (second_store / name).read_bytes()


def test_nt_export_of_two_builds_is_byte_identical(
    run: Run, first_store: Path, second_store: Path, tmp_path: Path
) -> None:
    exports = []
    for store in (first_store, second_store):
        target = tmp_path / f"{store.name}.nt"
        assert run("export", "--format", "nt", "-o", target, "--store", store)[0] == 0
        exports.append(target.read_bytes())
    assert exports[0] == exports[1] == (first_store / "graph.nt").read_bytes()


def _diff_text(expected: rdflib.Graph, got: rdflib.Graph, limit: int = 20) -> str:
    _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
    lines = [f"only in the store: {t}" for t in sorted(only_expected)[:limit]]
    lines += [f"only in the export: {t}" for t in sorted(only_got)[:limit]]
    return "\n".join(lines)


def test_turtle_export_round_trips(run: Run, first_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    assert run("export", "--format", "turtle", "-o", target, "--store", first_store)[0] == 0
    exported = rdflib.Graph().parse(target, format="turtle")
    built = rdflib.Graph().parse(first_store / "graph.nt", format="nt")
    assert len(exported) == len(built)
    assert isomorphic(exported, built), _diff_text(built, exported)


# --- IRIs ---------------------------------------------------------------------------------


def _subjects(store: Path) -> set[str]:
    text = (store / "graph.nt").read_text(encoding="utf-8")
    return set(re.findall(r"^<([^>]+)>", text, flags=re.MULTILINE))


def test_iris_come_from_record_ids(first_store: Path) -> None:
    subjects = _subjects(first_store)
    docs = (first_store / "records" / "documents.jsonl").read_text(encoding="utf-8")
    ids = re.findall(r'^\{"id": "([^"]+)"', docs, flags=re.MULTILINE)
    assert len(ids) == 133
    assert {f"{DOC}{i}" for i in ids} <= subjects
    nt = (first_store / "graph.nt").read_text(encoding="utf-8")
    assert (f"<{DOC}p2-1.1> <http://data.europa.eu/eli/ontology#id_local> "
            '"国发〔2021〕4号" .') in nt.splitlines()
    # nothing named after run order or Python object hashes
    assert not any(re.search(r"/(?:n|node|b)\d{6,}$|0x[0-9a-f]{8,}", s) for s in subjects)


def test_iris_do_not_depend_on_the_rest_of_the_input(first_store: Path, tmp_path: Path) -> None:
    # parts 1 and 2 alone (lines 1-6496): their documents, sections and tasks keep their IRIs
    excerpt = tmp_path / COMPILATION.name
    lines = COMPILATION.read_text(encoding="utf-8").split("\n")[:6496]
    excerpt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    small = tmp_path / "small-store"
    _build(small, excerpt, validate=False)
    small_docs = {s for s in _subjects(small) if s.startswith(DOC)}
    full_docs = {s for s in _subjects(first_store) if s.startswith(DOC)}
    assert f"{DOC}p2-1.6" in small_docs
    assert small_docs <= full_docs

    def titles(store: Path) -> dict[str, str]:
        nt = (store / "graph.nt").read_text(encoding="utf-8")
        pattern = r'^<([^>]+)> <http://data\.europa\.eu/eli/ontology#title> "([^"]*)"'
        return dict(re.findall(pattern, nt, flags=re.MULTILINE))

    # (an external policy such as 《巴黎协定》 is a document of the full compilation's part 6)
    small_titles = {i: t for i, t in titles(small).items() if i.startswith(DOC)}
    full_titles = titles(first_store)
    assert small_titles
    assert all(full_titles[iri] == title for iri, title in small_titles.items())


# --- an interrupted build -------------------------------------------------------------------


@pytest.fixture
def small_store(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A store of part 2's 1.1 notice (fixture) and the input of a different, second build."""
    notice = ROOT / "tests" / "data" / "fixtures" / "loader_single_notice.txt"
    store = tmp_path / "store"
    _build(store, notice, validate=False)
    other = ROOT / "tests" / "data" / "fixtures" / "loader_folder"
    return store, other, _files(store)


def _leftovers(store: Path) -> list[str]:
    """Temporary folders beside the store (the writer lock's file is meant to stay)."""
    return sorted(p.name for p in store.parent.iterdir()
                  if p.name.startswith(f".{store.name}.") and p.name != f".{store.name}.lock")


def test_interrupted_oxigraph_load_leaves_the_previous_store(
    run: Run, small_store: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, other, before = small_store
    real_load = policykg.graph.store.load_oxigraph
    real_apply = policykg.graph.incremental.apply_to_oxigraph

    def interrupted(source: Path, oxigraph_dir: Path, *delta: Any, **options: Any) -> int:
        oxigraph_dir.mkdir(parents=True, exist_ok=True)
        (oxigraph_dir / "000001.sst").write_bytes(b"half-written")
        raise KeyboardInterrupt

    # a bulk load (a whole graph) or the delta applied to a backup (a store changed)
    monkeypatch.setattr(policykg.graph.store, "load_oxigraph", interrupted)
    monkeypatch.setattr(policykg.graph.incremental, "apply_to_oxigraph", interrupted)
    # Ctrl-C: the CLI says "interrupted" and exits 130
    assert main(["build", str(other), "--store", str(store), "--no-validate"]) == 130
    monkeypatch.setattr(policykg.graph.store, "load_oxigraph", real_load)
    monkeypatch.setattr(policykg.graph.incremental, "apply_to_oxigraph", real_apply)
    assert _files(store) == before
    assert _leftovers(store) == []
    code, out, err = run("docs", "--store", store, "--format", "jsonl")
    assert (code, err) == (0, "")
    assert [line.count('"doc_number": "国发〔2021〕4号"') for line in out.splitlines()] == [1]
    assert len(policykg.graph.store.open_store(store)) > 0


def test_interrupted_swap_leaves_the_previous_store(
    small_store: tuple[Path, Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, other, before = small_store
    calls: list[tuple[Any, Any]] = []

    def replace(src: Any, dst: Any) -> None:
        calls.append((src, dst))
        if len(calls) == 2:  # the old store is aside, the new one not yet in
            raise KeyboardInterrupt
        os.replace(src, dst)

    fake_os = SimpleNamespace(**{**vars(os), "replace": replace})
    monkeypatch.setattr(policykg.graph.store, "os", fake_os)
    # Ctrl-C: the CLI says "interrupted" and exits 130
    assert main(["build", str(other), "--store", str(store), "--no-validate"]) == 130
    monkeypatch.undo()
    try:
        assert store.is_dir()
        assert _files(store) == before
    finally:
        for name in _leftovers(store):
            shutil.rmtree(store.parent / name, ignore_errors=True)


# --- user text is never SPARQL --------------------------------------------------------------

INJECTIONS = [
    pytest.param('"} ; DROP ALL ; #', id="close-and-drop-all"),
    pytest.param("'} ; DELETE WHERE { ?s ?p ?o } ; #", id="single-quote-delete-where"),
    pytest.param("<http://x> <http://y> <http://z> .", id="iri-triple"),
    pytest.param('碳排放权交易"} UNION { ?s ?p ?o }', id="real-words-then-union"),
    pytest.param('国家发展改革委" . } INSERT DATA { <http://x> <http://y> "z" } #',
                 id="agency-then-insert"),
    pytest.param("\\u0022 ) ; CLEAR DEFAULT", id="escaped-quote-clear"),
]


@pytest.fixture(scope="module")
def store_files(first_store: Path) -> dict[str, str]:
    """The shared store's files before any injection attempt."""
    return _files(first_store)


@pytest.mark.parametrize("text", INJECTIONS)
def test_who_takes_injections_as_plain_words(
    run: Run, first_store: Path, store_files: dict[str, str], text: str
) -> None:
    code, out, err = run("who", text, "--store", first_store, "--format", "jsonl")
    assert (code, err) == (0, "")
    hits = [line for line in out.splitlines() if line]
    if text.startswith("碳排放权交易"):
        # the query's other words count too (most must match: issue 10's min-match rule),
        # so any hit holds the real words; the real words alone find the task of line 6366
        assert all("碳排放权交易" in h for h in hits)
        _, plain, _ = run("who", "碳排放权交易", "--store", first_store, "--format", "jsonl")
        assert any('"start_line": 6366' in h for h in plain.splitlines())
    code, out, err = run("who", text, "--store", first_store)
    assert (code, err) == (0, "")
    assert _files(first_store) == store_files


@pytest.mark.parametrize("text", INJECTIONS)
@pytest.mark.parametrize("lead_only", [False, True], ids=["all", "lead-only"])
def test_duties_takes_injections_as_a_name(
    run: Run, first_store: Path, store_files: dict[str, str], text: str, lead_only: bool
) -> None:
    args: list[str | Path] = ["duties", text, "--store", first_store]
    code, out, err = run(*([*args, "--lead-only"] if lead_only else args))
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0] == f"policykg: error: [Q022] no agency is called {text!r}"
    assert _files(first_store) == store_files


def test_store_still_answers_after_injections(run: Run, first_store: Path) -> None:
    code, out, _ = run("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv",
                       "--store", first_store)
    assert code == 0
    expected = (first_store / "graph.nt").read_text(encoding="utf-8").count("\n")
    assert out.splitlines() == ["n", str(expected)]
