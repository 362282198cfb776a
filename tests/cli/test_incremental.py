"""``add`` and ``remove`` are incremental and give the store a cold build gives.

Build A+B and build A then add B must agree byte for byte (sorted N-Triples, records, tree,
manifest, the validation results); so must build A+B then remove B and build A.  Only the
documents whose triples change get new ones, and the incremental validation gives what a
full validation of the new graph gives.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from policykg.graph.validate import report_to_json, validate

Run = Callable[..., tuple[int, str, str]]

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures"
SITE = FIXTURES / "site_corpus"
#: the "1" (中发〔2021〕36号): 03, 04 and 08 cite it, the tree hangs from it
ONE = "01-zhongfa-2021-36"
PDF = FIXTURES / "pdf" / "gansu_energy_saving_p1_p5.pdf"
FOLDER = FIXTURES / "loader_folder"


def _files(store: Path) -> dict[str, bytes]:
    """Every file of a store that a cold build determines (the Oxigraph folder aside)."""
    out = {p.relative_to(store).as_posix(): p.read_bytes()
           for p in sorted(store.rglob("*")) if p.is_file() and "oxigraph" not in p.parts}
    assert {"graph.nt", "records/corpus.json", "graph-state.json"} <= set(out)
    return out


def _same(a: Path, b: Path) -> None:
    fa, fb = _files(a), _files(b)
    assert sorted(fa) == sorted(fb)
    for name in fa:
        assert fa[name] == fb[name], name


def _folder(tmp_path: Path, name: str, sources: list[Path]) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for src in sources:
        shutil.copy(src, folder / src.name)
    return folder


def _triples(store: Path) -> list[str]:
    import pyoxigraph

    from policykg.graph.triples import _t, _term

    ox = pyoxigraph.Store.read_only(str(store / "oxigraph"))
    return sorted(_t(_term(q.subject), _term(q.predicate), _term(q.object)) for q in ox)


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str,
                 who: Callable[..., str]) -> list[str]:
    """Wrap ``module.name`` so that each call adds ``who(*args)`` to the list returned."""
    seen: list[str] = []
    real = getattr(module, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        seen.append(who(*args))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return seen


def _count_batches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import policykg.graph.triples as triples

    return _count_calls(monkeypatch, triples, "document_batch",
                        lambda doc, *_: "#" if doc is None else doc.id)


def _count_citation_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import policykg.loaders.citations as citations

    return _count_calls(monkeypatch, citations, "_doc_citations", lambda doc, _index: doc.id)


@pytest.mark.parametrize("added", [f"{ONE}.txt", "10-ningxia-buildings.txt"])
def test_add_gives_the_store_a_build_of_all_gives(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, added: str
) -> None:
    sources = sorted(SITE.glob("*.txt"))
    full = tmp_path / "full"
    assert run("build", "--store", full, _folder(tmp_path, "all", sources))[0] == 0
    part = tmp_path / "part"
    rest = [s for s in sources if s.name != added]
    assert run("build", "--store", part, _folder(tmp_path, "rest", rest))[0] == 0
    before = json.loads((part / "graph-state.json").read_text("utf-8"))["batches"]
    made = _count_batches(monkeypatch)
    read = _count_citation_reads(monkeypatch)
    code, _, err = run("add", "--store", part, SITE / added)
    assert code == 0, err
    _same(full, part)
    # only the new document and those whose citations now find it got new triples
    after = json.loads((part / "graph-state.json").read_text("utf-8"))["batches"]
    changed = sorted(d for d in after if before.get(d) != after[d])
    assert sorted(d for d in made if d != "#") == changed
    assert len(changed) < len(after)
    if added.startswith(ONE):
        assert changed == ["01-zhongfa-2021-36", "03-buildings-peak", "04-zhejiang-one",
                           "08-jiangxi-one"]
        assert read == changed  # the "1" and the three plans that cite it
    # the citations read again: the new document's, and those that looked up its title
    assert added[:-4] in read
    assert sorted(read) == sorted(d for d in changed if d in read)
    assert len(read) < len(after)
    # the Oxigraph store, changed by the delta, holds what a bulk load of the build holds
    assert _triples(part) == _triples(full)
    # and the incremental validation is a full one's
    report = validate(part / "graph.nt")
    assert json.loads((part / "validation.json").read_text("utf-8")) == report_to_json(report)


def test_remove_gives_the_store_a_build_without_it_gives(run: Run, tmp_path: Path) -> None:
    sources = sorted(SITE.glob("*.txt"))
    full = tmp_path / "full"
    assert run("build", "--store", full, _folder(tmp_path, "all", sources))[0] == 0
    rest = tmp_path / "rest"
    assert run("build", "--store", rest,
               _folder(tmp_path, "rest-in", [s for s in sources if s.stem != ONE]))[0] == 0
    code, _, err = run("remove", "--store", full, ONE)
    assert code == 0, err
    _same(rest, full)
    assert _triples(full) == _triples(rest)


def test_add_of_a_pdf_and_a_second_file_in_one_command(run: Run, tmp_path: Path) -> None:
    sources = [*sorted(FOLDER.glob("*.txt")), PDF]
    full = tmp_path / "full"
    assert run("build", "--store", full, _folder(tmp_path, "all", sources))[0] == 0
    part = tmp_path / "part"
    assert run("build", "--store", part, _folder(tmp_path, "one", sources[1:2]))[0] == 0
    code, _, err = run("add", "--store", part, sources[0], PDF)
    assert code == 0, err
    _same(full, part)


def test_a_violation_kept_for_an_unchanged_document(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import policykg.graph.triples as triples

    title = "<http://data.europa.eu/eli/ontology#title>"
    real = triples.document_batch

    def untitled(doc: Any, *args: Any, **kwargs: Any) -> list[str]:
        lines = real(doc, *args, **kwargs)
        if doc is not None and doc.id == "09-yufubanfa-2022-79":
            return [line for line in lines if not (line.startswith("<https://w3id.org/"
                    "policykg/doc/09-") and title in line)]
        return lines

    monkeypatch.setattr(triples, "document_batch", untitled)
    sources = sorted(SITE.glob("*.txt"))
    part = tmp_path / "part"
    rest = _folder(tmp_path, "rest", [s for s in sources if s.stem != ONE])
    code, _, _ = run("build", "--store", part, rest)
    assert code == 1  # 09 has no title: a violation
    code, _, _ = run("add", "--store", part, SITE / f"{ONE}.txt")
    assert code == 1
    kept = json.loads((part / "validation.json").read_text("utf-8"))
    assert [v["focus"].rsplit("/", 1)[1] for v in kept["violations"]] == [
        "09-yufubanfa-2022-79"]
    assert kept == report_to_json(validate(part / "graph.nt"))


def test_add_validates_again_only_what_it_changed(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new document's lines are validated again, but not the agencies (shared lines,
    made anew at every change) whose lines did not change."""
    import policykg.graph.validate as validation

    added = "10-ningxia-buildings.txt"
    sources = sorted(SITE.glob("*.txt"))
    part = tmp_path / "part"
    assert run("build", "--store", part,
               _folder(tmp_path, "rest", [s for s in sources if s.name != added]))[0] == 0
    looked: list[str] = []
    real = validation.validate

    def watched(graph: Any, **kwargs: Any) -> Any:
        if isinstance(graph, list):
            looked.extend(graph)
        return real(graph, **kwargs)

    monkeypatch.setattr(validation, "validate", watched)
    code, _, err = run("add", "--store", part, SITE / added)
    assert code == 0, err
    state = json.loads((part / "graph-state.json").read_text("utf-8"))
    key = state["batches"]["10-ningxia-buildings"][0]
    new_lines = (part / "cache" / f"{key}.nt").read_text("utf-8").splitlines(keepends=True)
    assert new_lines
    assert set(new_lines) <= set(looked)
    agencies = {line.split(" ", 1)[0] for line in (part / "graph.nt").read_text("utf-8")
                .splitlines() if line.startswith("<https://w3id.org/policykg/agency/")}
    untouched = agencies - {line.split(" ", 1)[0] for line in looked}
    assert untouched, "every agency was validated again"
    # and the result is a full validation's
    report = validate(part / "graph.nt")
    assert json.loads((part / "validation.json").read_text("utf-8")) == report_to_json(report)


def test_add_reads_no_paragraphs_for_the_evidence_of_known_citations(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 文号 and dates the documents print beside the titles they cite come from the
    store for the documents it holds: only the new document's paragraphs are read."""
    import policykg.loaders.inference as inference

    added = "10-ningxia-buildings.txt"
    sources = sorted(SITE.glob("*.txt"))
    part = tmp_path / "part"
    assert run("build", "--store", part,
               _folder(tmp_path, "rest", [s for s in sources if s.name != added]))[0] == 0
    held = json.loads((part / "graph-state.json").read_text("utf-8"))["evidence"]
    assert held  # the citing documents' evidence is kept
    read = _count_calls(monkeypatch, inference, "citation_evidence",
                        lambda _citation, citing: citing.id)
    code, _, err = run("add", "--store", part, SITE / added)
    assert code == 0, err
    assert set(read) <= {added[:-4]}
    after = json.loads((part / "graph-state.json").read_text("utf-8"))["evidence"]
    assert {k: v for k, v in after.items() if k != added[:-4]} == held
    full = tmp_path / "full"
    assert run("build", "--store", full, _folder(tmp_path, "all", sources))[0] == 0
    _same(full, part)
