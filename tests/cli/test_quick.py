"""The cold ``who`` (``policykg.quick``) prints what the full CLI prints, byte for byte, and
hands every other case to it."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policykg.loaders.nlp import word_table
from policykg.quick import quick_duties, quick_who
from tests.cli.conftest import Run

#: The repository: the subprocesses import its policykg.
ROOT = Path(__file__).resolve().parents[2]

#: Agency-free task phrases of the compilation's topics, and some of none (量子计算).
QUERIES = (
    "光伏", "氢能", "绿色建筑", "碳排放权交易", "新能源汽车", "量子计算", "储能", "节能降碳",
    "可再生能源", "充电桩", "海上风电", "整县推进", "煤电机组", "绿色金融", "碳汇", "甲烷排放",
    "循环经济", "超低能耗建筑", "绿色低碳技术", "碳足迹", "电动汽车充电基础设施", "钢铁行业",
    "水泥 熟料", "生物质能", "抽水蓄能", "塑料污染治理", "碳捕集利用与封存", "绿色消费",
    "公共机构节能", "新型储能", "农村能源革命", "减污降碳协同增效", "森林 草原 湿地",
)


@pytest.fixture(scope="module")
def store(built_store: tuple[Path, str, str]) -> Path:
    assert word_table() is not None  # the cold path reads the table the full one writes
    return built_store[0]


def _full(run: Run, *args: str | Path) -> tuple[int, str, str]:
    return run(*args)


@pytest.mark.parametrize("query", QUERIES)
def test_cold_who_prints_what_the_cli_prints(store: Path, run: Run,
                                             capsys: pytest.CaptureFixture[str],
                                             query: str) -> None:
    for extra in ((), ("--limit", "3"), ("--limit=0",)):
        args = ["who", *query.split(), "--store", str(store), *extra]
        assert quick_who(args) == 0
        fast = capsys.readouterr()
        code, out, _err = run(*args)
        assert (code, out) == (0, fast.out), (query, extra)
        assert fast.err == ""


def test_real_answers(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Read in the compilation: 量子计算 matches no task (计算 alone is not enough), and the
    best 碳排放权交易 task is the one the API's doctest names (p3-c3-3.7)."""
    assert quick_who(["who", "量子计算", "--store", str(store)]) == 0
    assert capsys.readouterr().out == "no task matches '量子计算'\n"
    assert quick_who(["who", "碳排放权交易", "--store", str(store), "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "[p3-c3-3.7]" in out
    assert "participants: 生态环境部、司法部" in out


@pytest.mark.parametrize("args", [
    ["who"], ["who", "--limit", "3"], ["who", "光伏", "--format", "jsonl"],
    ["who", "光伏", "--jurisdiction", "江西"], ["who", "光伏", "--lim", "3"],
    ["who", "光伏", "--limit", "-3"], ["who", "光伏", "--limit", "x"],
    ["who", "光伏", "--limit", "3", "整县"], ["who", "光伏", "--store"],
    ["who", "光伏", "--limit", "3", "--limit", "4"], ["who", "-h"], ["who", "--", "光伏"],
    ["-q", "who", "光伏"], ["search", "光伏"], [],
    ["who", "国家能源局"], ["who", "能源局", "储能"], ["who", "数据中心"],
    ["who", "江西省发改委", "节能"],
])
def test_other_cases_go_to_the_full_cli(store: Path, args: list[str]) -> None:
    assert quick_who([*args, "--store", str(store)] if args else args) is None


#: Names as users type them (issue 12): canonical, aliases with and without the place, former
#: names, bare national names; and a local body of the compilation's eight jurisdictions.
DUTY_NAMES = ("国家发展改革委", "发改委", "能源局", "交通部", "生态环境部", "工业和信息化部",
              "国家能源局", "银保监会", "江西省发改委", "江西省发展改革委", "宁波市发改委",
              "住房城乡建设部", "财政部", "科技部", "国管局", "湖北金融监管总局",
              "北京市发展改革委", "上海市经济信息化委", "浙江省能源局",
              "宁夏回族自治区住房城乡建设厅")


@pytest.mark.parametrize("name", DUTY_NAMES)
def test_cold_duties_prints_what_the_cli_prints(store: Path, run: Run,
                                                capsys: pytest.CaptureFixture[str],
                                                name: str) -> None:
    for extra in ((), ("--lead-only",), ("--jurisdiction", "江西"), ("--jurisdiction=宁波",)):
        args = ["duties", name, "--store", str(store), *extra]
        assert quick_duties(args) == 0
        fast = capsys.readouterr()
        code, out, _ = run(*args)
        assert (code, out) == (0, fast.out), (name, extra)
        assert fast.err == ""


def test_cold_duties_real_answer(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """交通部 is 交通运输部's former name: its tasks are 交通运输部's (the compilation's)."""
    assert quick_duties(["duties", "交通部", "--store", str(store)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("交通运输部: ")


@pytest.mark.parametrize("args", [
    ["duties"], ["duties", "能源局", "--level", "central"],
    ["duties", "能源局", "--jurisdiction", "湖北", "--jurisdiction", "江西"],
    ["duties", "能源局", "--format", "jsonl"], ["duties", "能源局", "交通部"],
    ["duties", "能源局", "--lead-only=1"], ["duties", "没有这个机构"], ["duties", "-h"],
    ["who", "能源局"],
])
def test_other_duties_go_to_the_full_cli(store: Path, args: list[str]) -> None:
    assert quick_duties([*args, "--store", str(store)]) is None


def test_stores_that_need_the_full_cli(store: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # no store there: the full CLI says why (a named store) or builds one (the default)
    assert quick_who(["who", "光伏", "--store", str(tmp_path / "none")]) is None
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("POLICYKG_STORE", raising=False)
    assert quick_who(["who", "光伏"]) is None
    # an interrupted swap beside the store: the full CLI recovers it first
    copy = tmp_path / "s"
    copy.mkdir()
    (copy / "manifest.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".s.old-123").mkdir()
    assert quick_who(["who", "光伏", "--store", str(copy)]) is None
    # a store without a lookup file (written before it): the records answer
    (tmp_path / ".s.old-123").rmdir()
    assert quick_who(["who", "光伏", "--store", str(copy)]) is None
    # $POLICYKG_STORE names the store, as for the full CLI
    monkeypatch.setenv("POLICYKG_STORE", str(store))
    assert quick_who(["who", "光伏"]) == 0


def test_cold_who_imports_little(store: Path) -> None:
    """A cold ``who`` reads no record class, no JSON, no argparse, no typing, no regular
    expressions, no collections, contextlib or functools (``python -m`` imports them, the
    ``policykg`` script does not), no jieba or RDF engine."""
    code = ("import sys; from policykg.quick import main; code = main(['who', '光伏', "
            f"'--store', {str(store)!r}]); "
            "print(code, sorted(m for m in sys.modules if m.split('.')[0] in {'policykg', "
            "'jieba', 'rdflib', 'pyoxigraph', 'spacy', 'networkx', 'json', 'argparse', "
            "'dataclasses', 'sqlite3', 'logging', 'typing', 're', 'enum', 'collections', "
            "'contextlib', 'functools'}), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    status, _, modules = done.stderr.strip().partition(" ")
    assert status == "0"
    assert "1. " in done.stdout
    assert ast.literal_eval(modules) == [
        "policykg", "policykg.display", "policykg.loaders", "policykg.loaders.shapes",
        "policykg.loaders.words", "policykg.lookupindex", "policykg.quick"]


def test_cold_duties_imports_no_engine(store: Path) -> None:
    """A cold ``duties`` reads the registry, but no JSON, argparse, CLI, API, jieba or RDF."""
    code = ("import sys; from policykg.quick import main; code = main(['duties', '能源局', "
            f"'--store', {str(store)!r}]); "
            "print(code, sorted(m for m in sys.modules if m.split('.')[0] in {'jieba', 'rdflib', "
            "'pyoxigraph', 'spacy', 'networkx', 'json', 'argparse', 'sqlite3'} or m in "
            "{'policykg.cli', 'policykg.api', 'policykg.pipeline'}), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stderr.strip() == "0 []"
    assert done.stdout.startswith("国家能源局: ")


def test_ctrl_c_in_the_cold_path_is_exit_130_and_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from policykg import quick

    def interrupted(args: list[str]) -> int | None:
        raise KeyboardInterrupt

    monkeypatch.setattr(quick, "quick_who", interrupted)
    monkeypatch.setattr(quick, "_silence_stdout", lambda: None)  # pytest's captured stdout
    assert quick.main(["who", "光伏"]) == 130
    assert capsys.readouterr().err == "policykg: interrupted\n"


def test_a_full_disk_is_one_line_and_exit_2(store: Path) -> None:
    """``policykg who … > /dev/full``: the CLI's message, no traceback, exit 2."""
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run([sys.executable, "-m", "policykg", "who", "光伏", "--store",
                               str(store)], stdout=full, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2
    assert done.stderr == ("policykg: error: [M001] cannot write the output "
                           "(No space left on device)\n")


def test_the_command_starts_in_quick() -> None:
    import tomllib

    root = ROOT
    scripts = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert scripts["project"]["scripts"]["policykg"] == "policykg.quick:main"
    assert "from policykg.quick import main" in (root / "policykg" / "__main__.py").read_text(
        encoding="utf-8")


def test_full_cli_still_answers(run: Run, store: Path) -> None:
    code, out, _ = _full(run, "who", "光伏", "--store", str(store), "--format", "jsonl")
    assert code == 0
    assert out.count("\n") == 10


def test_cold_who_sees_what_add_and_remove_wrote(tmp_path: Path, run: Run,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """``add`` and ``remove`` rewrite the lookup file with the records: a cold ``who`` finds
    the added file's tasks and loses the removed one's, as the full CLI does."""
    from policykg import api
    from policykg.lookupindex import search_text

    fixtures = Path(__file__).resolve().parents[1] / "data" / "fixtures"
    first, second = (fixtures / "tasks_ningbo_several.txt",
                     fixtures / "tasks_pdf_chongqing_by_function.txt")
    store = tmp_path / "store"
    assert run("build", first, "--store", store, "--no-validate")[0] == 0
    assert word_table() is not None
    assert run("add", second, "--store", store, "--no-validate")[0] in (0, 1)
    added = api.open_store(store).index()
    doc = next(d for d in added.documents if Path(d.file).name == second.name)
    task = next(t for t in added.tasks if t.doc_id == doc.id)
    query = search_text(task.text, ())[:6]
    args = ["who", query, "--store", str(store), "--limit", "0"]
    assert quick_who(args) == 0
    fast = capsys.readouterr().out
    assert f"[{doc.id}]" in fast
    assert (0, fast) == run(*args)[:2]
    assert run("remove", doc.id, "--store", store, "--no-validate")[0] in (0, 1)
    assert quick_who(args) == 0
    gone = capsys.readouterr().out
    assert f"[{doc.id}]" not in gone
    assert (0, gone) == run(*args)[:2]
