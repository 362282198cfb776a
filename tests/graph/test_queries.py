"""Competency questions: each ``queries/*.rq`` answers as its ``.expected.tsv`` on the compilation.

Expected files were generated once from the real pipeline and checked against the text by
reading (each query's ``# checked:`` lines name the source lines read).  To rewrite them
after a deliberate change, run with ``POLICYKG_UPDATE_QUERIES=1`` and review the diff: they
are never rewritten otherwise.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

from policykg.graph.build import build_graph
from policykg.graph.sparql import QueryResult, format_result, run_query
from policykg.graph.store import OpenStore, open_store, write_store
from policykg.recordio import read_corpus

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "queries"
RQ = sorted(QUERIES.glob("*.rq"))
MINI = ROOT / "tests" / "data" / "fixtures" / "graph_mini"
UPDATE = os.environ.get("POLICYKG_UPDATE_QUERIES") == "1"


# a TSV literal cell: "text", "text"@zh or "text"^^<datatype> (GROUP_CONCAT keeps a language its
# parts share)
_QUOTED = re.compile(r"""^"(?P<text>.*)"(?P<tag>@[A-Za-z0-9-]+|\^\^<[^<>]*>)?$""")


def _expected_path(rq: Path) -> Path:
    return rq.with_suffix(".expected.tsv")


def _canonical(tsv: str) -> list[str]:
    """TSV rows with every term in one spelling (``65`` and ``"65"^^xsd:integer`` alike)."""
    import pyoxigraph

    solutions = pyoxigraph.parse_query_results(
        tsv.encode("utf-8"), format=pyoxigraph.QueryResultsFormat.TSV)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    names = [v.value for v in solutions.variables]
    lines = ["\t".join(f"?{n}" for n in names)]
    for row in solutions:
        lines.append("\t".join("" if row[n] is None else str(row[n]) for n in names))
    return lines


def _normalise(tsv: str) -> list[str]:
    """TSV lines with GROUP_CONCAT cells (" | "-separated) sorted: their order is not defined."""
    out = []
    for line in _canonical(tsv):
        cells = []
        for cell in line.split("\t"):
            m = _QUOTED.match(cell)
            if m and " | " in m["text"]:
                cell = '"' + " | ".join(sorted(m["text"].split(" | "))) + '"' + (m["tag"] or "")
            cells.append(cell)
        out.append("\t".join(cells))
    return out


def test_at_least_twelve_competency_questions() -> None:
    assert len(RQ) >= 12


@pytest.mark.parametrize("rq", RQ, ids=[p.stem for p in RQ])
def test_each_query_states_its_question_and_has_an_expected_answer(rq: Path) -> None:
    first = rq.read_text("utf-8").splitlines()[0]
    assert first.startswith("# ")
    assert len(first) > 20
    assert _expected_path(rq).is_file()


@pytest.fixture(scope="module")
def mini_store(tmp_path_factory: pytest.TempPathFactory) -> OpenStore:
    corpus = read_corpus(MINI)
    path = tmp_path_factory.mktemp("queries") / "store"
    return open_store(write_store(path, corpus, build_graph(corpus)))


@pytest.mark.parametrize("rq", RQ, ids=[p.stem for p in RQ])
def test_each_query_parses_and_runs(mini_store: OpenStore, rq: Path) -> None:
    result = run_query(mini_store, rq.read_text("utf-8"))
    assert result.kind == "select"


def test_lead_agencies_query_on_the_mini_corpus(mini_store: OpenStore) -> None:
    result = run_query(mini_store, (QUERIES / "01-lead-agencies-of-document.rq").read_text("utf-8"))
    assert [(str(r["agency"]), str(r["lines"])) for r in result.dicts()] == [
        ("交通运输部", "6056-6096"),
        ("国家发展和改革委员会", "6056-6096"),
    ]


@pytest.fixture(scope="session")
def compiled_store(tmp_path_factory: pytest.TempPathFactory) -> OpenStore:
    from policykg.pipeline import build, bundled_input

    result = build([bundled_input()], validate=False)
    path = tmp_path_factory.mktemp("compilation") / "store"
    return open_store(write_store(path, result.corpus, result.graph))


@pytest.mark.slow
@pytest.mark.parametrize("rq", RQ, ids=[p.stem for p in RQ])
def test_competency_answer_on_the_compilation(compiled_store: OpenStore, rq: Path) -> None:
    actual = format_result(run_query(compiled_store, rq.read_text("utf-8")), "tsv")
    expected_path = _expected_path(rq)
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8")
    expected = expected_path.read_text("utf-8")
    got, want = _normalise(actual), _normalise(expected)
    if got != want:
        diff = "\n".join(difflib.unified_diff(want, got, "expected", "actual", lineterm=""))
        pytest.fail(f"{rq.name} answers differently:\n{diff}")


def _rows(result: QueryResult) -> list[tuple[str, ...]]:
    """A result's rows as text, GROUP_CONCAT parts sorted; a decimal's ``.0`` dropped, since
    rdflib's STR keeps the N-Triples lexical form (``80.0``) where Oxigraph and Virtuoso give
    the canonical one (``80``)."""
    return [tuple(" | ".join(sorted(_DECIMAL_ZERO.sub(r"\1", str(v)).split(" | ")))
                  if v is not None else "" for v in row) for row in result.rows]


_DECIMAL_ZERO = re.compile(r"(\d)\.0(?!\d)")


@pytest.mark.parametrize("rq", RQ, ids=[p.stem for p in RQ])
def test_rdflib_and_oxigraph_give_the_same_rows(mini_store: OpenStore, rq: Path) -> None:
    """The rewrites for Oxigraph's plans keep the SPARQL meaning: rdflib's own engine agrees."""
    text = rq.read_text("utf-8")
    ours = run_query(mini_store, text)
    theirs = run_query(mini_store.memory_graph(), text)
    assert ours.variables == theirs.variables
    assert _rows(ours) == _rows(theirs)
