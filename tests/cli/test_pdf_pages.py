"""Every fact read from a PDF names its page (issue 11): records, JSON rows, RDF spans and
what ``who``, ``duties``, ``targets`` and ``show`` print.

Each page is checked against the PDF's own text as ``policykg text FILE`` shows it. The
store is built from two PDF fixtures cut from the dev corpus (tests/data/README.md):
甘肃省“十四五”节能减排综合工作方案 pages 1 and 5, 辽源市…实施方案 pages 1 and 3.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from policykg import api
from policykg.cli import main

Run = Callable[..., tuple[int, str, str]]

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures"
GANSU = FIXTURES / "pdf" / "gansu_energy_saving_p1_p5.pdf"
LIAOYUAN = FIXTURES / "pdf" / "liaoyuan_zones_p1_p3.pdf"
NOTICE = FIXTURES / "tasks_ningbo_several.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pages") / "store"
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["build", str(GANSU), str(LIAOYUAN), "--store", str(path)])
    assert code == 0, err.getvalue()
    return path


@pytest.fixture(scope="module")
def printed_pages() -> dict[str, dict[int, int]]:
    """Per file name, the page of each line number as ``policykg text`` prints it."""
    out: dict[str, dict[int, int]] = {}
    for pdf in (GANSU, LIAOYUAN):
        out[pdf.name] = {v.number: v.page for v in api.text(pdf, all=True)
                         if v.page is not None}
    return out


def test_every_fact_names_the_page_of_its_first_line(
        store: Path, printed_pages: dict[str, dict[int, int]]) -> None:
    corpus = api.open_store(store).corpus()
    files = {d.id: d.file for d in corpus.documents}
    facts = [(t.doc_id, t.start_line, t.page) for t in corpus.tasks]
    facts += [(t.doc_id, t.line, t.page) for t in corpus.targets]
    facts += [(c.doc_id, c.line, c.page) for c in corpus.citations]
    facts += [(s.doc_id, s.start_line, s.page) for d in corpus.documents for s in d.sections]
    assert len(facts) > 20
    pages = {page for _, _, page in facts}
    assert {1, 2} <= pages  # both pages of each fixture hold facts
    for doc_id, line, page in facts:
        assert page == printed_pages[files[doc_id]][line], (doc_id, line)
    for d in corpus.documents:
        assert d.pages is not None
        assert d.span.page == d.pages[0]


def test_duties_print_the_page(run: Run, store: Path) -> None:
    # gansu fixture page 1 line 15 to page 2 line 22: （省交通运输厅、省发展改革委牵头，…）
    code, out, err = run("duties", "甘肃省发改委", "--lead-only", "--store", store)
    assert code == 0, err
    assert "[牵头] gansu_energy_saving_p1_p5.pdf:p1:15-22  " in out
    code, out, err = run("duties", "甘肃省发改委", "--format", "jsonl", "--store", store)
    rows = [json.loads(line) for line in out.splitlines()]
    assert {(r["start_line"], r["page"]) for r in rows} >= {(15, 1), (23, 2)}


def test_who_prints_the_page(run: Run, store: Path) -> None:
    # fixture page 2 lines 23-33: （五）推动农业农村节能减排 … （省农业农村厅…按职责分工负责）
    code, out, err = run("who", "秸秆综合利用", "--limit", "1", "--store", store)
    assert code == 0, err
    assert "source: gansu_energy_saving_p1_p5.pdf:p2:23-33  （省农业农村厅" in out
    code, out, _ = run("who", "秸秆综合利用", "--limit", "1", "--format", "jsonl",
                       "--store", store)
    assert json.loads(out)["page"] == 2


def test_api_results_carry_the_page(store: Path) -> None:
    hit = api.who("秸秆综合利用", store=store, limit=1)[0]
    assert (hit.task.start_line, hit.task.page) == (23, 2)
    straw = [t for t in api.targets(store=store) if t.indicator == "秸秆综合利用率"]
    # fixture page 2 line 29: 到 2025 年，秸秆综合利用率稳定在 86%以上
    assert [(t.line, t.page, t.value) for t in straw] == [(29, 2, 86.0)]


def test_targets_table_prints_page_and_line(run: Run, store: Path) -> None:
    code, out, err = run("targets", "--indicator", "秸秆综合利用率", "--store", store)
    assert code == 0, err
    assert "p2:29" in out


def test_show_prints_pages_of_sections_and_citations(run: Run, store: Path) -> None:
    code, out, err = run("show", "甘肃省“十四五”节能减排综合工作方案", "--format", "json",
                         "--store", store)
    assert code == 0, err
    data = json.loads(out)
    assert data["sections"]
    assert all(s["page"] in (1, 2) for s in data["sections"])
    # fixture page 1 line 12: 根据国务院《“十四五”节能减排综合工作方案》…
    assert [(x["line"], x["page"]) for x in data["implements"]] == [(12, 1)]


def test_rdf_spans_name_the_page(store: Path) -> None:
    rows = api.sparql(
        "PREFIX pkg: <https://w3id.org/policykg/ontology#>\n"
        "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
        "SELECT ?start ?page WHERE { ?t a pkg:Task ; prov:wasDerivedFrom ?s . "
        "?s pkg:startLine ?start ; pkg:page ?page } ORDER BY ?start",
        store=store).values()
    assert (15, 1) in rows
    assert (23, 2) in rows


def test_text_files_name_no_page(run: Run, tmp_path: Path) -> None:
    """A text file has no pages: its JSON rows keep exactly their fields."""
    code, out, err = run("extract", NOTICE, "--kind", "tasks", "--format", "jsonl")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows
    assert all("page" not in r for r in rows)
    corpus = api.extract(NOTICE, kind="sections").corpus
    assert all(s.page is None for d in corpus.documents for s in d.sections)


def test_show_prints_the_page_range_and_the_source_page(run: Run, store: Path) -> None:
    code, out, _ = run("show", "甘肃省“十四五”节能减排综合工作方案", "--store", store)
    assert code == 0
    fields = {k.strip(): v.strip() for k, _, v in
              (line.partition(": ") for line in out.splitlines()[:30]) if v}
    # the plan starts on page 1, line 10, after its covering notice, and runs to page 2
    assert fields["pages"] == "1–2"
    assert fields["source"] == "gansu_energy_saving_p1_p5.pdf:p1:10-40"
