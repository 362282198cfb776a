"""The command-line interface contract of issues 2 and 3, command by command.

``extract`` runs on an excerpt of the bundled compilation (its lines 1-6496: preface, part 1
and part 2, which ends before 第三部分 at line 6497). Commands that read the store use one
store of the whole compilation built per session (``built_store`` in ``conftest.py``) and are
marked slow. Expected values are read from ``data/compilation-2022.txt`` at the lines named.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., tuple[int, str, str]]

ROOT = Path(__file__).resolve().parents[2]
COMPILATION = ROOT / "data" / "compilation-2022.txt"
GOLD_DOCUMENTS = ROOT / "tests" / "data" / "gold" / "documents.jsonl"

#: The interface fields of each record kind, in order (issues 2, 3 and 4; issue 12 adds a
#: task's ``lead_basis`` at the end).
FIELDS: dict[str, tuple[str, ...]] = {
    "documents": ("id", "part", "chapter", "seq", "kind", "title", "doc_number", "date",
                  "date_source", "year", "issuers", "url", "start_line", "end_line",
                  # issue 11: the official-document model
                  "jurisdiction", "source_file", "genre", "official_type", "level", "notice_of",
                  "attached_to", "from_notice", "pages"),
    "tasks": ("id", "doc_id", "text", "section", "lead", "participants", "collective", "etc",
              "jurisdiction", "raw", "start_line", "end_line", "lead_basis"),
    "agencies": ("id", "name", "aliases", "level", "jurisdiction", "parent", "unresolved",
                 "predecessor"),
    "targets": ("id", "doc_id", "indicator", "value", "unit", "direction", "approx", "year",
                "base_year", "text", "line"),
    "citations": ("doc_id", "line", "cited_title", "cited_doc_id", "external_id", "relation"),
}

# 国发〔2021〕4号, part 2's 1.1 (lines 3154-3606; signed 国务院 2021年2月2日 at 3600-3602)
GUOFA_4: dict[str, Any] = {
    "id": "p2-1.1",
    "part": 2,
    "chapter": None,
    "seq": "1.1",
    "kind": "central_policy",
    "title": "关于加快建立健全绿色低碳循环发展经济体系的指导意见",
    "doc_number": "国发〔2021〕4号",
    "date": "2021-02-02",
    "date_source": "sign_off",
    "year": 2021,
    "issuers": ["国务院"],
    "url": "http://www.gov.cn/zhengce/content/2021-02/22/content_5588274.htm",
    "start_line": 3154,
    "end_line": 3606,
    "jurisdiction": None,
    "source_file": "compilation-2022.txt",
    "genre": "opinion",
    "official_type": "意见",
    "level": "central",
    "notice_of": [],
    "attached_to": None,
    "from_notice": [],
    "pages": None,
}
NDRC = "国家发展和改革委员会"
# the annotation of 1.6 （六）完善市场化机制, lines 6366-6385: no lead, six participants
MARKET_TASK_PARTICIPANTS = [NDRC, "生态环境部", "工业和信息化部", "财政部",
                            "国家市场监督管理总局", "国家能源局"]


def _jsonl(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _one_error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("policykg: error: ")
    return lines[0]


@pytest.fixture(scope="module")
def excerpt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Lines 1-6496 of the compilation, under the compilation's own file name."""
    path = tmp_path_factory.mktemp("excerpt") / COMPILATION.name
    lines = COMPILATION.read_text(encoding="utf-8").split("\n")[:6496]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- extract --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FIELDS))
def test_extract_jsonl_has_exactly_the_contract_fields(run: Run, excerpt: Path, kind: str) -> None:
    code, out, err = run("extract", excerpt, "--kind", kind, "--format", "jsonl")
    assert code == 0, err
    rows = _jsonl(out)
    assert rows
    assert {tuple(row) for row in rows} == {FIELDS[kind]}
    # UTF-8, not ASCII-escaped
    assert "\\u" not in out
    assert any("\u4e00" <= ch <= "\u9fff" for ch in out)


def test_extract_documents(run: Run, excerpt: Path) -> None:
    code, out, _ = run("extract", excerpt, "--kind", "documents")
    assert code == 0
    docs = {d["id"]: d for d in _jsonl(out)}
    assert docs["p2-1.1"] == GUOFA_4
    # line 72-74: " 1.1 习近平在第七十五届联合国大会一般性辩论 / 上的讲话 / 2020年9月22日"
    speech = docs["p1-1.1"]
    assert (speech["kind"], speech["title"], speech["date"], speech["date_source"]) == (
        "speech", "习近平在第七十五届联合国大会一般性辩论上的讲话", "2020-09-22", "under_title"
    )
    # 1.4 prints no 文号 and no date (lines 4544-5535)
    plan = docs["p2-1.4"]
    assert (plan["title"], plan["doc_number"], plan["date"]) == ("2030年前碳达峰行动方案",
                                                               None, None)
    assert [d for d in docs if d.startswith("p2-")] == [f"p2-1.{k}" for k in range(1, 7)]


def test_extract_tasks(run: Run, excerpt: Path) -> None:
    code, out, _ = run("extract", excerpt, "--kind", "tasks")
    assert code == 0
    tasks = {t["start_line"]: t for t in _jsonl(out)}
    # lines 6056-6096: （交通运输部、国家发展改革委牵头，工业和信息化部、…等按职责分工负责）
    transport = tasks[6056]
    assert transport["doc_id"] == "p2-1.6"
    assert transport["lead"] == ["交通运输部", NDRC]
    assert transport["participants"][:3] == ["工业和信息化部", "公安部", "财政部"]
    assert transport["participants"][-1] == "中国国家铁路集团有限公司"
    assert len(transport["participants"]) == 12
    assert transport["etc"] is True
    assert transport["section"] == ["三、实施节能减排重点工程", "（四）交通物流节能减排工程"]
    assert transport["raw"].startswith("（交通运输部、国家发展改革委牵头，工业")
    assert transport["text"].startswith("（四）交通物流节能减排工程。推动绿色铁路")
    market = tasks[6366]
    assert (market["lead"], market["participants"], market["end_line"]) == (
        [], MARKET_TASK_PARTICIPANTS, 6385
    )


def test_extract_agencies(run: Run, excerpt: Path) -> None:
    code, out, _ = run("extract", excerpt, "--kind", "agencies")
    assert code == 0
    agencies = {a["name"]: a for a in _jsonl(out)}
    ndrc = agencies[NDRC]
    assert "国家发展改革委" in ndrc["aliases"]
    assert (ndrc["level"], ndrc["jurisdiction"]) == ("central", None)
    assert agencies["国家能源局"]["parent"] == ndrc["id"]
    assert agencies["住房和城乡建设部"]["level"] == "central"


def test_extract_targets(run: Run, excerpt: Path) -> None:
    code, out, _ = run("extract", excerpt, "--kind", "targets")
    assert code == 0
    # line 4088: "单位国内生产总值能耗比 2020年下降 13.5%" (to 2025, in 1.3)
    (energy,) = [t for t in _jsonl(out) if t["line"] == 4088]
    assert {k: energy[k] for k in ("doc_id", "value", "unit", "direction", "year",
                                    "base_year", "approx")} == {
        "doc_id": "p2-1.3", "value": 13.5, "unit": "%", "direction": "reduce_by",
        "year": 2025, "base_year": 2020, "approx": False,
    }


def test_extract_citations(run: Run, excerpt: Path) -> None:
    code, out, _ = run("extract", excerpt, "--kind", "citations")
    assert code == 0
    # line 5382: "推动各方全面履行《联合国气候变化框架公约》及其《巴黎协定》"
    at_5382 = {(c["doc_id"], c["cited_title"], c["relation"]) for c in _jsonl(out)
               if c["line"] == 5382}
    assert at_5382 == {("p2-1.4", "联合国气候变化框架公约", "implements"),
                       ("p2-1.4", "巴黎协定", "implements")}


@pytest.mark.parametrize(
    ("kind", "header", "needle"),
    [
        pytest.param("documents", ["id", "kind", "date", "doc_number", "title"],
                     "国发〔2021〕4号", id="documents"),
        pytest.param("tasks", ["id", "lead", "participants", "text"], "交通运输部",
                     id="tasks"),
        pytest.param("agencies", ["id", "name", "level"], NDRC, id="agencies"),
        pytest.param("targets", ["doc_id", "indicator", "value", "unit"], "森林蓄积量",
                     id="targets"),
        pytest.param("citations", ["doc_id", "line", "cited_title"], "联合国气候变化框架公约",
                     id="citations"),
    ],
)
def test_extract_table(run: Run, excerpt: Path, kind: str, header: list[str],
                       needle: str) -> None:
    code, table, _ = run("extract", excerpt, "--kind", kind, "--format", "table")
    assert code == 0
    _, jsonl, _ = run("extract", excerpt, "--kind", kind)
    lines = table.splitlines()
    assert lines[0].split()[: len(header)] == header
    assert len(lines) == 1 + len(_jsonl(jsonl))
    assert needle in table
    assert not table.lstrip().startswith("{")


def test_extract_needs_an_existing_input(run: Run, tmp_path: Path) -> None:
    code, out, err = run("extract", tmp_path / "missing.txt", "--kind", "tasks")
    assert (code, out) == (2, "")
    assert "missing.txt" in _one_error_line(err)


def test_unknown_kind_is_a_usage_error(run: Run, excerpt: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("extract", excerpt, "--kind", "laws")
    assert exit_info.value.code == 2
    assert "invalid choice: 'laws'" in capsys.readouterr().err


# --- build and the commands that read the store ---------------------------------------------


@pytest.mark.slow
def test_build_summary(built_store: tuple[Path, str, str]) -> None:
    _, out, err = built_store
    gold = [json.loads(line) for line in GOLD_DOCUMENTS.read_text(encoding="utf-8").splitlines()]
    per_part = Counter(d["part"] for d in gold)
    per_kind = Counter(d["kind"] for d in gold)
    assert f"documents: {len(gold)}\n" in out
    assert "  by part: " + ", ".join(f"{p}: {n}" for p, n in sorted(per_part.items())) in out
    assert "  by kind: " + ", ".join(f"{k}: {n}" for k, n in sorted(per_kind.items())) in out
    (account,) = [ln for ln in out.splitlines() if ln.startswith("lines of ")]
    assert account.startswith("lines of compilation-2022.txt: 47808 = ")
    assert account.endswith(" + 0 not understood")
    parts = [int(w) for w in account.split(": 47808 = ")[1].split() if w.isdigit()]
    assert sum(parts) == 47808
    (problems,) = [ln for ln in out.splitlines() if ln.startswith("problems: ")]
    count = int(problems.split()[1])
    # the first problems are printed on stderr as "file:line: CODE message"
    printed = [ln for ln in err.splitlines() if ln.startswith("compilation-2022.txt:")]
    assert len(printed) == min(count, 20)
    assert "compilation-2022.txt:44278: L003 part 6 heading (第六部分) missing" in err
    assert "SHACL: conforms" in out


@pytest.mark.slow
def test_docs(run: Run, built_store: tuple[Path, str, str]) -> None:
    store = built_store[0]
    code, out, _ = run("docs", "--store", store)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "kind", "date", "文号", "title", "lines"]
    (row,) = [ln for ln in lines if ln.startswith("p2-1.1 ")]
    assert row.split() == ["p2-1.1", "central_policy", "2021-02-02", "国发〔2021〕4号",
                           GUOFA_4["title"], "3154-3606"]
    code, out, _ = run("docs", "--store", store, "--format", "jsonl")
    docs = _jsonl(out)
    assert len(docs) == len(lines) - 1
    assert next(d for d in docs if d["id"] == "p2-1.1") == GUOFA_4


@pytest.mark.slow
def test_show_prints_metadata_and_outline(run: Run, built_store: tuple[Path, str, str]) -> None:
    code, out, _ = run("show", "p2-1.1", "--store", built_store[0])
    assert code == 0
    lines = out.splitlines()
    assert "  doc_number: 国发〔2021〕4号" in lines
    assert "        date: 2021-02-02" in lines
    assert "      source: compilation-2022.txt:3154-3606" in lines
    outline = lines[lines.index("outline:") + 1 :]
    # line 3170 "一、总体要求", 3172 "（一）指导思想。…", 3559 "八、认真抓好组织实施"
    assert outline[:2] == ["    3170  一、总体要求", "    3172    （一）指导思想"]
    assert "    3559  八、认真抓好组织实施" in outline


@pytest.mark.slow
def test_show_outline_keeps_items_numbered_on_across_parts(
    run: Run, built_store: tuple[Path, str, str]
) -> None:
    code, out, _ = run("show", "p2-1.1", "--store", built_store[0])
    assert code == 0
    assert "    3233    （四）推进工业绿色升级" in out.splitlines()


@pytest.mark.slow
def test_show_json_and_unknown_id(run: Run, built_store: tuple[Path, str, str]) -> None:
    code, out, _ = run("show", "p2-1.1", "--store", built_store[0], "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {k: data[k] for k in GUOFA_4} == GUOFA_4
    assert data["sections"][0] == {"marker": "一、", "level": 1, "heading": "总体要求",
                                   "start_line": 3170, "end_line": 3230}
    code, out, err = run("show", "p9-9.9", "--store", built_store[0])
    assert (code, out) == (2, "")
    assert "p9-9.9" in _one_error_line(err)


@pytest.mark.slow
def test_who(run: Run, built_store: tuple[Path, str, str]) -> None:
    code, out, _ = run("who", "碳排放权交易", "--store", built_store[0], "--limit", "10")
    assert code == 0
    blocks = out.split("\n")
    # 1.6 （六）完善市场化机制 (lines 6366-6385): "加强用能权交易与碳排放权交易的统筹衔接"
    src = blocks.index("   source: compilation-2022.txt:6366-6385  （国家发展改革委、生态环境部、"
                       "工业和信息化部、财政部、市场监管总局、国家能源局等按职责分工负责）")
    assert blocks[src - 4] == "   lead: —"
    assert blocks[src - 3] == "   participants: " + "、".join(MARKET_TASK_PARTICIPANTS)
    assert blocks[src - 2] == "   document: “十四五”节能减排综合工作方案 [p2-1.6]"
    assert blocks[src - 1] == "   section: 四、健全节能减排政策机制 > （六）完善市场化机制"
    code, out, _ = run("who", "碳排放权交易", "--store", built_store[0], "--format", "jsonl")
    hits = _jsonl(out)
    assert hits
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert all("碳排放" in h["text"] or "交易" in h["text"] for h in hits)
    (market,) = [h for h in hits if h["start_line"] == 6366]
    assert market["title"] == "“十四五”节能减排综合工作方案"


def _store_tasks(store: Path) -> list[dict[str, Any]]:
    return _jsonl((store / "records" / "tasks.jsonl").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_duties(run: Run, built_store: tuple[Path, str, str]) -> None:
    store = built_store[0]
    tasks = _store_tasks(store)
    total = sum(NDRC in t["lead"] or NDRC in t["participants"] for t in tasks)
    leads = sum(NDRC in t["lead"] for t in tasks)
    docs = len({t["doc_id"] for t in tasks if NDRC in t["lead"] or NDRC in t["participants"]})
    code, out, _ = run("duties", "国家发展改革委", "--store", store)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{NDRC}: {total} tasks ({leads} as lead) in {docs} documents"
    assert total > leads > 0
    assert "“十四五”节能减排综合工作方案 [p2-1.6] — 18 tasks" in lines
    assert any(ln.startswith("  [牵头] compilation-2022.txt:6056-6096  （四）交通物流节能减排工程")
               for ln in lines)
    assert any(ln.startswith("  [参与] compilation-2022.txt:6366-6385  （六）完善市场化机制")
               for ln in lines)
    rows = [ln for ln in lines if ln.startswith("  [")]
    assert len(rows) == total
    # any alias gives the same answer
    assert run("duties", "发改委", "--store", store)[1] == out
    assert run("duties", NDRC, "--store", store)[1] == out


@pytest.mark.slow
def test_duties_lead_only(run: Run, built_store: tuple[Path, str, str]) -> None:
    store = built_store[0]
    leads = sum(NDRC in t["lead"] for t in _store_tasks(store))
    code, out, _ = run("duties", "国家发展改革委", "--lead-only", "--store", store)
    assert code == 0
    rows = [ln for ln in out.splitlines() if ln.startswith("  [")]
    assert len(rows) == leads
    assert all(ln.startswith("  [牵头] ") for ln in rows)
    assert any("6366-6385" in ln for ln in rows) is False
    code, out, _ = run("duties", "国家发展改革委", "--lead-only", "--format", "jsonl",
                       "--store", store)
    assert {r["role"] for r in _jsonl(out)} == {"lead"}


@pytest.mark.slow
def test_duties_unknown_agency(run: Run, built_store: tuple[Path, str, str]) -> None:
    code, out, err = run("duties", "不存在的委员会", "--store", built_store[0])
    assert (code, out) == (2, "")
    assert "不存在的委员会" in _one_error_line(err)


@pytest.mark.slow
def test_targets_by_year(run: Run, built_store: tuple[Path, str, str]) -> None:
    store = built_store[0]
    code, out, err = run("targets", "--year", "2025", "--store", store, "--format", "jsonl")
    assert code == 0
    rows = _jsonl(out)
    stored = _jsonl((store / "records" / "targets.jsonl").read_text(encoding="utf-8"))
    assert rows == [t for t in stored if t["year"] == 2025]
    assert err == ""
    code, out, err = run("targets", "--year", "2025", "--store", store)
    assert err.strip() == f"{len(rows)} targets"
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["year", "indicator", "direction"]
    assert len(lines) == 1 + len(rows)
    # line 4088 (1.3): 单位国内生产总值能耗比2020年下降13.5%; line 4092: 非化石能源 20%左右
    assert ["2025", "单位国内生产总值能耗", "reduce_by", "13.5", "%", "2020", "p2-1.3",
            "4088"] in [ln.split() for ln in lines]
    assert ["2025", "非化石能源消费比重", "reach", "20左右", "%", "p2-1.3",
            "4092"] in [ln.split() for ln in lines]


@pytest.mark.slow
def test_tree(run: Run, built_store: tuple[Path, str, str]) -> None:
    store = built_store[0]
    code, out, _ = run("tree", "--store", store)
    assert code == 0
    lines = out.splitlines()
    # the "1": 中共中央 国务院…意见 (1.3 of part 2), dated as p5-c3-3.2 prints it (line
    # 42816: the "1" prints no date); the action plan (1.4) first under it
    assert lines[0] == (
        "中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见"
        "  [p2-1.3 2021-09-22]"
    )
    assert lines[1] == "  2030年前碳达峰行动方案  [p2-1.4]"
    code, out, _ = run("tree", "--store", store, "--format", "json")
    root = json.loads(out)
    assert root["doc_id"] == "p2-1.3"
    assert root["children"][0]["doc_id"] == "p2-1.4"

    def doc_ids(node: dict[str, Any]) -> list[str]:
        own = [node["doc_id"]] if node.get("doc_id") else []
        return own + [d for child in node["children"] for d in doc_ids(child)]

    ids = doc_ids(root)
    assert "p2-1.1" in ids

    def nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
        return [node] + [n for child in node["children"] for n in nodes(child)]

    assert all(n["basis"] for n in nodes(root))
    # speeches are outside the system, and so is every speech, not only their group
    speeches = [n for n in nodes(root) if n.get("doc_id", "") and n["doc_id"].startswith("p1-")]
    assert speeches
    assert not any(n["in_system"] for n in speeches)
    code, out, _ = run("tree", "--store", store, "--jurisdiction", "江苏")
    assert code == 0
    # line 32629: 江苏's own "1", which implements the national one (line 32635)
    assert out.splitlines()[:2] == [
        "江苏省", "  关于推动高质量发展做好碳达峰碳中和工作的实施意见  [p4-c3-3.2 2022-01-15]"
    ]
    code, _, err = run("tree", "--store", store, "--jurisdiction", "广东省")
    assert code == 2
    assert "广东省" in err
    assert len(ids) == len(set(ids)), "a policy stands once in the tree"


_QUERY = 'SELECT ?doc ?title WHERE { ?doc eli:id_local "国发〔2021〕4号" ; eli:title ?title }'
_DOC_IRI = "https://w3id.org/policykg/doc/p2-1.1"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_sparql_formats(run: Run, built_store: tuple[Path, str, str], fmt: str) -> None:
    code, out, _ = run("sparql", _QUERY, "--format", fmt, "--store", built_store[0])
    assert code == 0
    title = GUOFA_4["title"]
    if fmt == "table":
        assert [c.strip() for c in out.splitlines()[2].split("|")] == [_DOC_IRI, title]
        assert out.splitlines()[-1] == "(1 row)"
    elif fmt == "csv":
        assert list(csv.reader(io.StringIO(out))) == [["doc", "title"], [_DOC_IRI, title]]
    elif fmt == "tsv":
        assert out.splitlines() == ["?doc\t?title", f'<{_DOC_IRI}>\t"{title}"@zh']
    else:
        data = json.loads(out)
        assert data["head"]["vars"] == ["doc", "title"]
        (binding,) = data["results"]["bindings"]
        assert binding["doc"] == {"type": "uri", "value": _DOC_IRI}
        assert binding["title"]["value"] == title


@pytest.mark.slow
def test_sparql_from_a_file_and_errors(run: Run, built_store: tuple[Path, str, str],
                                       tmp_path: Path) -> None:
    store = built_store[0]
    query = tmp_path / "q.rq"
    query.write_text(_QUERY, encoding="utf-8")
    code, out, _ = run("sparql", "--file", query, "--format", "csv", "--store", store)
    assert (code, out.splitlines()[1]) == (0, f"{_DOC_IRI},{GUOFA_4['title']}")
    for bad in ("SELEC ?x WHERE { ?x ?p ?o }", 'INSERT DATA { <http://x> <http://y> "z" }'):
        code, out, err = run("sparql", bad, "--store", store)
        assert (code, out) == (2, "")
        assert "SPARQL" in _one_error_line(err)
    code, _, err = run("sparql", "--store", store)
    assert code == 2
    assert "QUERY" in _one_error_line(err)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "graphml", "csv"])
def test_export(run: Run, built_store: tuple[Path, str, str], tmp_path: Path, fmt: str) -> None:
    store = built_store[0]
    target = tmp_path / f"graph.{fmt}"
    code, out, err = run("export", "--format", fmt, "-o", target, "--store", store)
    assert (code, out) == (0, "")
    assert f"wrote {target}" in err
    nt = (store / "graph.nt").read_text(encoding="utf-8")
    if fmt == "nt":
        assert target.read_text(encoding="utf-8") == nt
    elif fmt == "turtle":
        import rdflib

        rdf = rdflib.Graph().parse(target, format="turtle")
        assert len(rdf) == nt.count("\n")
        assert (rdflib.URIRef(_DOC_IRI), None, None) in rdf
    elif fmt == "jsonld":
        data = json.loads(target.read_text(encoding="utf-8"))
        assert _DOC_IRI in json.dumps(data, ensure_ascii=False)
    elif fmt == "graphml":
        import networkx as nx

        network = nx.read_graphml(target)
        assert _DOC_IRI in network or any(
            _DOC_IRI in str(d) for _, d in network.nodes(data=True)
        )
    else:
        nodes = target / "nodes.csv"
        edges = target / "edges.csv"
        assert f"wrote {nodes}" in err
        assert f"wrote {edges}" in err
        with nodes.open(encoding="utf-8", newline="") as f:
            assert any(GUOFA_4["title"] in ",".join(row) for row in csv.reader(f))
        assert edges.read_text(encoding="utf-8").count("\n") > 100


@pytest.mark.slow
def test_analyze(run: Run, built_store: tuple[Path, str, str]) -> None:
    store = built_store[0]
    tasks = _store_tasks(store)
    code, out, _ = run("analyze", "--store", store)
    assert code == 0
    # 133 documents, of which 3 standards (p3-c1-1.14, p3-c3-3.3, p3-c12-12.7) are not policies
    assert out.splitlines()[0].startswith("130 policies, ")
    assert out.splitlines()[0].endswith(f", {len(tasks)} tasks")
    busiest = Counter(a for t in tasks for a in {*t["lead"], *t["participants"]})
    top_name, top_count = busiest.most_common(1)[0]
    assert top_name == NDRC
    assert any(ln.split()[:1] == [str(top_count)] and ln.endswith(NDRC)
               for ln in out.splitlines())
    code, out, _ = run("analyze", "--store", store, "--format", "json")
    assert code == 0
    assert isinstance(json.loads(out), dict)


@pytest.mark.slow
def test_viz_tree(run: Run, built_store: tuple[Path, str, str], tmp_path: Path) -> None:
    page = tmp_path / "x.html"
    code, out, err = run("viz", "tree", "-o", page, "--store", built_store[0])
    assert (code, out) == (0, "")
    assert f"wrote {page}" in err
    html = page.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") or "<html" in html[:500].lower()
    data = html.split('<script id="pkg-data" type="application/json">', 1)[1]
    nodes = json.loads(data.split("</script>", 1)[0])["nodes"]
    assert "2030年前碳达峰行动方案" in {n["label"] for n in nodes}


@pytest.mark.slow
def test_a_command_with_no_store_builds_the_bundled_compilation_first(
    run: Run, built_store: tuple[Path, str, str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # only the default location (./.policykg, no --store, no $POLICYKG_STORE) gets it
    monkeypatch.delenv("POLICYKG_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    default = tmp_path / ".policykg"
    code, out, err = run("docs")
    assert code == 0
    assert f"policykg: no store found; built the bundled compilation into {default}" in err
    assert any(ln.startswith("p2-1.1 ") for ln in out.splitlines())
    assert (default / "manifest.json").is_file()
    # the second build of the session: byte-identical to the shared store
    assert (default / "graph.nt").read_bytes() == (built_store[0] / "graph.nt").read_bytes()
    # now the store is there: no second build
    code, _, err = run("docs")
    assert (code, err) == (0, "")
    # tests/test_determinism.py compares this second build with the shared store
    second = tmp_path_factory.getbasetemp() / "second-store"
    if not second.exists():
        shutil.move(default, second)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(("docs",), id="docs"),
        pytest.param(("who", "碳排放权交易"), id="who"),
        pytest.param(("sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"), id="sparql"),
        pytest.param(("export", "--format", "nt", "-o", "out.nt"), id="export"),
        pytest.param(("serve", "--port", "0"), id="serve"),
        pytest.param(("tree",), id="tree"),
    ],
)
@pytest.mark.parametrize("how", ["option", "env"])
def test_a_named_store_that_is_missing_is_an_error(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...],
    how: str,
) -> None:
    # issue 15: building the bundled compilation is only for the default location
    monkeypatch.chdir(tmp_path)
    named = tmp_path / "my-store"
    if how == "env":
        monkeypatch.setenv("POLICYKG_STORE", str(named))
        code, out, err = run(*command)
    else:
        monkeypatch.delenv("POLICYKG_STORE", raising=False)
        code, out, err = run(*command, "--store", named)
    assert (code, out) == (2, "")
    assert f"{named}: no policykg store here" in _one_error_line(err)
    assert not named.exists()
    assert not (tmp_path / ".policykg").exists()


def test_build_into_the_working_folder_is_one_line(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for target in (".", "./", "sub/.."):
        code, out, err = run("build", "--store", target)
        assert (code, out) == (2, "")
        assert "not a policykg store; refusing to replace it" in _one_error_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.slow
def test_a_folder_that_is_not_a_store_is_refused(run: Run, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    code, out, err = run("docs", "--store", tmp_path)
    assert (code, out) == (2, "")
    assert "not a policykg store" in _one_error_line(err)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("who", "碳排放权交易"), id="who"),
        pytest.param(("who", "碳排放权交易", "--format", "jsonl"), id="who-jsonl"),
        pytest.param(("duties", "国家发展改革委"), id="duties"),
        pytest.param(("duties", "发改委", "--lead-only", "--format", "jsonl"), id="duties-jsonl"),
        pytest.param(("docs",), id="docs"),
        pytest.param(("show", "p2-1.1"), id="show"),
        pytest.param(("show", "p2-1.6", "--format", "json"), id="show-json"),
    ],
)
def test_query_commands_read_the_index_not_corpus_json(
    run: Run, built_store: tuple[Path, str, str], tmp_path: Path, args: tuple[str, ...]
) -> None:
    # issue 3: a cold who/duties must not read the 4.5 MB corpus.json (paragraphs and all)
    store = built_store[0]
    light = tmp_path / "light-store"
    shutil.copytree(store / "records", light / "records",
                    ignore=shutil.ignore_patterns("corpus.json"))
    shutil.copy(store / "manifest.json", light / "manifest.json")
    code, out, _ = run(*args, "--store", store)
    assert code == 0
    assert out
    assert run(*args, "--store", light) == (0, out, "")
