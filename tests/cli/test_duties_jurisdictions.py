"""``duties`` over documents of new jurisdictions: any alias, with or without the place,
former names, and the --jurisdiction / --level filters.

The store is built from two PDF fixtures cut from the dev corpus (tests/data/README.md):
甘肃省“十四五”节能减排综合工作方案 pages 1 and 5, 辽源市…实施方案 pages 1 and 3.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from policykg import api
from policykg.cli import main
from policykg.errors import QueryError

Run = Callable[..., tuple[int, str, str]]

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "pdf"
GANSU = FIXTURES / "gansu_energy_saving_p1_p5.pdf"
LIAOYUAN = FIXTURES / "liaoyuan_zones_p1_p3.pdf"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("local") / "store"
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["build", str(GANSU), str(LIAOYUAN), "--store", str(path)])
    assert code == 0, err.getvalue()
    return path


def _rows(run: Run, store: Path, *args: str) -> list[dict[str, Any]]:
    code, out, err = run("duties", *args, "--format", "jsonl", "--store", str(store))
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


@pytest.mark.parametrize(
    "name",
    ["甘肃省发展改革委", "甘肃省发改委", "甘肃省发展和改革委员会", "甘肃发改委"],
)
def test_any_alias_with_its_place(run: Run, store: Path, name: str) -> None:
    rows = _rows(run, store, name)
    # gansu p5 (fixture p2) lines 20-22: （省交通运输厅、省发展改革委牵头，…）
    assert {r["agency"] for r in rows} == {"甘肃省发展和改革委员会"}
    lead = [r for r in rows if r["role"] == "lead"]
    assert [(r["start_line"], r["end_line"]) for r in lead] == [(15, 22)]
    assert "铁路货运量占比进一步提升" in lead[0]["text"]


def test_bare_alias_with_jurisdiction(run: Run, store: Path) -> None:
    assert _rows(run, store, "发改委", "--jurisdiction", "甘肃") == _rows(
        run, store, "甘肃省发改委")


def test_bare_alias_is_national(store: Path) -> None:
    result = api.duties("发改委", store=store)
    assert result.agency.name == "国家发展和改革委员会"
    assert result.total == 0


@pytest.mark.slow
def test_former_name(run: Run, built_store: tuple[Path, str, str]) -> None:
    # 交通部 is 交通运输部's name before 2008: the same duties in the compilation
    code, out, _ = run("duties", "交通部", "--store", built_store[0])
    assert code == 0
    assert out == run("duties", "交通运输部", "--store", built_store[0])[1]
    assert out.startswith("交通运输部: ")


def test_level_filter(run: Run, store: Path) -> None:
    everything = _rows(run, store, "辽源市生态环境局")
    assert everything
    assert _rows(run, store, "辽源市生态环境局", "--level", "municipal") == everything
    assert _rows(run, store, "辽源市生态环境局", "--level", "provincial") == []


def test_jurisdiction_filter(run: Run, store: Path) -> None:
    assert _rows(run, store, "甘肃省生态环境厅", "--jurisdiction", "辽源") == []
    assert _rows(run, store, "甘肃省生态环境厅", "--jurisdiction", "甘肃")


def test_unknown_name_still_fails(store: Path) -> None:
    with pytest.raises(QueryError):
        api.duties("不存在的委员会", store=store)


def test_open_world_agency_listed(run: Run, store: Path) -> None:
    code, out, _ = run("extract", str(GANSU), "--kind", "agencies")
    assert code == 0
    agencies = {a["name"]: a for a in map(json.loads, out.splitlines())}
    # 中铁兰州局集团公司 (gansu p5 line 21) is in no list: kept as printed, flagged
    rail = agencies["中铁兰州局集团公司"]
    assert rail["unresolved"] is True
    assert agencies["甘肃省发展和改革委员会"]["unresolved"] is False


def test_who_with_an_agency_in_the_query(store: Path) -> None:
    # the agency by an alias with its place, the other words rank its tasks
    hits = api.who("甘肃省发改委 铁路货运", store=store)
    assert [(h.task.start_line, h.task.end_line) for h in hits] == [(15, 22)]
    assert "甘肃省发展和改革委员会" in hits[0].task.lead
    # a jurisdiction filter reads the task's place
    assert api.who("铁路货运", store=store, jurisdiction="辽源") == []
    assert api.who("铁路货运", store=store, level="provincial")
