"""The Python API over the bundled compilation's store, and the CLI commands that wrap it.

Each user-facing failure of issue 10 has a test here: ``who 量子计算``, ``show`` by title and
文号 (and a fragment that fits several documents), cites / cited-by in ``show``, filters,
``targets --sector 交通``, full-text ``search``.  Values are read from the compilation's text
(line numbers in the comments).
"""

from __future__ import annotations

import doctest
import inspect
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from policykg import api, cli
from policykg.errors import AmbiguousError, QueryError

Run = Callable[..., tuple[int, str, str]]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(built_store: tuple[Path, str, str]) -> api.Store:
    return api.open_store(built_store[0])


def test_api_doc_examples_run(store: api.Store) -> None:
    result = doctest.testmod(api, extraglobs={"STORE": store.path},
                             optionflags=doctest.ELLIPSIS)
    assert (result.attempted, result.failed) >= (3, 0)
    assert result.failed == 0


def test_every_command_wraps_the_api_function_of_its_name() -> None:
    parser = cli._parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    commands = set(sub.choices)  # type: ignore[attr-defined]
    assert {"docs", "show", "who", "duties", "search", "targets", "tree", "sparql"} <= commands
    for name in commands:
        func = getattr(api, name, None)
        assert callable(func), f"no api.{name} for 'policykg {name}'"
        params = set(inspect.signature(func).parameters)
        options = {a.dest for a in sub.choices[name]._actions  # type: ignore[attr-defined]
                   if a.dest not in ("help", "format", "func")}
        cli_only = {"strict", "show_problems", "no_validate", "width", "inputs"}
        missing = options - params - cli_only
        assert not missing, f"'policykg {name}' options not in api.{name}: {missing}"


# ---------------------------------------------------------------- who and search


def test_who_quantum_computing_matches_nothing(run: Run, store: api.Store) -> None:
    # issue 10: 量子计算 matched three 节能减排 tasks on 计算 alone
    assert api.who("量子计算", store=store) == []
    code, out, _ = run("who", "量子计算", "--store", store.path)
    assert (code, out) == (0, "no task matches '量子计算'\n")


def test_who_filters_by_the_tasks_document(store: api.Store) -> None:
    every = api.who("碳排放权交易", store=store, limit=0)
    local = api.who("碳排放权交易", store=store, limit=0, kind="local_policy")
    kinds = {d.id: str(d.kind) for d in api.docs(store=store)}
    assert {kinds[h.task.doc_id] for h in local} == {"local_policy"}
    assert {h.task.id for h in local} < {h.task.id for h in every}
    one = api.who("碳排放权交易", store=store, doc="减污降碳协同增效实施方案")
    assert {h.task.doc_id for h in one} == {"p3-c3-3.7"}


def test_search_finds_paragraphs_with_section_and_line(run: Run, store: api.Store) -> None:
    # line 28170 (高等学校碳中和科技创新行动计划): “…互联网、量子科技等前沿方向深度融合…”
    hits = api.search("量子科技", store=store)
    assert [(h.doc_id, h.line) for h in hits] == [("p3-c11-11.1", 28170)]
    hit = hits[0]
    assert hit.section == ("二、主要举措", "1.碳中和人才培养提质行动")
    assert [hit.text[s:e] for s, e in hit.matches] == ["量子科技"]
    assert api.search("量子计算", store=store) == []
    code, out, _ = run("search", "量子科技", "--store", store.path)
    assert code == 0
    assert "【量子科技】" in out.splitlines()[0]
    assert "   source: compilation-2022.txt:28170" in out.splitlines()


def test_search_ranks_phrase_matches_first_and_filters(store: api.Store) -> None:
    hits = api.search("碳排放权交易市场", store=store, limit=0)
    phrases = [h.phrase for h in hits]
    assert phrases[0]
    assert phrases == sorted(phrases, reverse=True)
    assert any(not p for p in phrases)
    local = api.search("碳排放权交易市场", store=store, limit=0, jurisdiction="上海")
    assert {h.doc_id for h in local} == {"p4-c2-2.2"}  # 上海市碳普惠体系建设工作方案, line 31866
    dated = api.search("碳排放权交易市场", store=store, limit=0, since="2022", until="2022-06")
    docs = {d.id: d for d in api.docs(store=store)}
    assert dated
    assert all((docs[h.doc_id].date or "") >= "2022" for h in dated)


def test_search_with_nothing_to_search_for_is_a_user_error(run: Run, store: api.Store) -> None:
    code, out, err = run("search", "，。", "--store", store.path)
    assert (code, out) == (2, "")
    assert err.startswith("policykg: error: [Q008] nothing to search for")


def test_search_jsonl(run: Run, store: api.Store) -> None:
    code, out, _ = run("search", "量子科技", "--format", "jsonl", "--store", store.path)
    row = json.loads(out.splitlines()[0])
    assert (code, row["doc_id"], row["line"]) == (0, "p3-c11-11.1", 28170)
    start, end = row["matches"][0]
    assert row["text"][start:end] == "量子科技"


# ---------------------------------------------------------------- documents


@pytest.mark.parametrize(
    ("ref", "doc_id"),
    [
        pytest.param("p2-1.4", "p2-1.4", id="id"),
        pytest.param("2030年前碳达峰行动方案", "p2-1.4", id="title"),
        pytest.param("《2030年前碳达峰行动方案》", "p2-1.4", id="title-in-quotes"),
        pytest.param("国发〔2021〕4号", "p2-1.1", id="doc-number"),
        pytest.param("国发[2021]4号", "p2-1.1", id="doc-number-square-brackets"),
        pytest.param("促进绿色消费", "p3-c1-1.12", id="title-fragment"),
    ],
)
def test_show_names_a_document_by_id_number_or_title(run: Run, store: api.Store, ref: str,
                                                      doc_id: str) -> None:
    assert api.show(ref, store=store).document.id == doc_id
    code, out, _ = run("show", ref, "--store", store.path)
    assert code == 0
    assert out.splitlines()[0].split() == ["id:", doc_id]


def test_show_never_guesses_between_several_documents(run: Run, store: api.Store) -> None:
    with pytest.raises(AmbiguousError) as caught:
        api.show("实施方案", store=store)
    ids = [c[0] for c in caught.value.candidates]
    assert "p3-c1-1.12" in ids
    assert len(ids) == 10
    code, out, err = run("show", "实施方案", "--store", store.path)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0].startswith("policykg: error: [Q002] '实施方案' matches 10 documents")
    assert "  p3-c1-1.12  促进绿色消费实施方案" in lines[1:]
    with pytest.raises(QueryError, match="Q001"):
        api.show("不存在的文件", store=store)


def test_show_lists_what_a_document_cites_and_what_cites_it(run: Run,
                                                            store: api.Store) -> None:
    info = api.show("2030年前碳达峰行动方案", store=store)
    # line 5507: 贯彻落实《中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见》
    assert ("p2-1.3", 5507) in [(x.doc_id, x.line) for x in info.implements]
    # line 10846 (促进绿色消费实施方案): 根据《2030年前碳达峰行动方案》…
    assert ("p3-c1-1.12", 10846) in [(x.doc_id, x.line) for x in info.implemented_by]
    cites_it = {x.doc_id for x in info.cited_by} | {x.doc_id for x in info.implemented_by}
    assert len(cites_it) >= 8
    code, out, _ = run("show", "p2-1.4", "--store", store.path)
    assert code == 0
    assert "implemented by (" in out
    assert "    促进绿色消费实施方案 [p3-c1-1.12]  (line 10846)" in out.splitlines()
    _code, out, _ = run("show", "p2-1.4", "--format", "json", "--store", store.path)
    data = json.loads(out)
    assert {"doc_id": "p2-1.3", "title": data["implements"][-1]["title"], "line": 5507,
            "count": 1} in data["implements"]


def test_show_says_which_metadata_is_inferred_and_from_where(run: Run,
                                                             store: api.Store) -> None:
    # issue 10: the "1" showed no 文号 although p4-c6-6.4 cites it as 中发〔2021〕36号 (39302-4)
    one = api.show("p2-1.3", store=store).document
    assert (one.doc_number, one.date) == ("中发〔2021〕36号", "2021-09-22")
    assert [(i.field, i.doc_id, i.line) for i in one.inferred] == [
        ("doc_number", "p4-c6-6.4", 39302), ("date", "p5-c3-3.2", 42816)]
    assert api.show("中发〔2021〕36号", store=store).document.id == "p2-1.3"
    code, out, _ = run("show", "p2-1.3", "--store", store.path)
    line = next(x for x in out.splitlines() if x.strip().startswith("doc_number:"))
    assert code == 0
    assert line.startswith(
        "  doc_number: 中发〔2021〕36号  (inferred: cited so by p4-c6-6.4 line 39302:")
    code, out, _ = run("show", "p2-1.3", "--format", "json", "--store", store.path)
    assert json.loads(out)["inferred"]["doc_number"]["line"] == 39302
    printed = api.show("p2-1.1", store=store).document
    assert (printed.doc_number, printed.inferred) == ("国发〔2021〕4号", ())


def test_docs_filters(run: Run, store: api.Store) -> None:
    ningxia = api.docs(store=store, jurisdiction="宁夏")
    assert ningxia
    assert {d.jurisdiction for d in ningxia} == {"宁夏回族自治区"}
    spring = api.docs(store=store, since="2022-03", until="2022-04")
    assert {d.id for d in spring} >= {"p3-c4-4.7", "p4-c5-5.4"}  # 2022-03-28, 2022-04-15
    assert all("2022-03" <= (d.date or "")[:7] <= "2022-04" for d in spring)
    assert [d.id for d in api.docs(store=store, text="国发〔2021〕4号")] == ["p2-1.1"]
    assert all(str(d.kind) == "speech" for d in api.docs(store=store, kind="speech"))
    assert api.docs(store=store, genre="no-such-genre") == []
    code, out, _ = run("docs", "--jurisdiction", "宁夏", "--format", "jsonl",
                       "--store", store.path)
    assert [json.loads(x)["id"] for x in out.splitlines()] == [d.id for d in ningxia]
    code, _, err = run("docs", "--since", "last spring", "--store", store.path)
    assert code == 2
    assert "Q005" in err


# ---------------------------------------------------------------- targets and sparql


@pytest.mark.parametrize("sector", ["交通", "交通运输", "transport", "Transport", "TRANSPORT"])
def test_targets_sector_by_label_or_slug(store: api.Store, sector: str) -> None:
    # issue 10: --sector 交通 found 0 targets; only the slug worked
    found = api.targets(store=store, sector=sector)
    assert len(found) == len(api.targets(store=store, sector="transport")) > 0
    # line 41261: 银川市新增及更换的公交车中新能源公交车比例 …达到80%
    assert any(t.doc_id == "p4-c7-7.4" and t.line == 41261 for t in found)


def test_targets_sector_includes_narrower_sectors(store: api.Store) -> None:
    energy = {t.id for t in api.targets(store=store, sector="能源电力")}
    hydrogen = {t.id for t in api.targets(store=store, sector="hydrogen")}
    assert hydrogen
    assert hydrogen <= energy


def test_targets_unknown_sector_is_a_user_error(run: Run, store: api.Store) -> None:
    code, out, err = run("targets", "--sector", "航天", "--store", store.path)
    assert (code, out) == (2, "")
    assert "Q003" in err


def test_sparql_rows_as_python_values_and_as_an_rdflib_result(store: api.Store) -> None:
    query = ('SELECT ?title ?n WHERE { ?d eli:id_local "国发〔2021〕4号" ; eli:title ?title '
             'BIND(1 + 1 AS ?n) }')
    result = api.sparql(query, store=store)
    assert result.values() == [("关于加快建立健全绿色低碳循环发展经济体系的指导意见", 2)]
    rows = list(api.sparql_rdflib(query, store=store))
    assert [str(r[0]) for r in rows] == ["关于加快建立健全绿色低碳循环发展经济体系的指导意见"]


def test_graph_as_rdflib_and_networkx(store: api.Store) -> None:
    import networkx as nx
    from rdflib import URIRef

    g = api.rdf_graph(store=store)
    assert (URIRef("https://w3id.org/policykg/doc/p2-1.4"), None, None) in g
    citations = api.networkx_graph("citations", store=store)
    assert isinstance(citations, nx.DiGraph)
    assert citations.has_edge("https://w3id.org/policykg/doc/p3-c1-1.12",
                              "https://w3id.org/policykg/doc/p2-1.4")
    ego = api.networkx_graph("agency", agency="国家能源局", store=store)
    assert any(d.get("ego") for _, d in ego.nodes(data=True))
