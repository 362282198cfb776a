"""A name resolves to the same body whatever the registry was asked before.

Bodies made from the bureau templates are kept once made; a renamed bureau's successor used
to name its predecessor only when a dated document had made it first, and a body's
successor was found only among the listed agencies.  So ``duties 湖北金融监管总局`` in a cold
process missed the tasks of the 湖北银保监局 it was renamed from, while the same query after
a build found them.  A cold process (a fresh registry per query) and a warm one must agree.
"""

from __future__ import annotations

import pytest

from policykg.loaders.agencies import Registry, load_registry

#: (query, jurisdiction): the names of issue 12 and the renamed local bureaus.
QUERIES: tuple[tuple[str, str | None], ...] = (
    ("江西省发改委", None), ("江西省发展改革委", None), ("宁波市发改委", None), ("交通部", None),
    ("能源局", None), ("能源局", "湖北"), ("发改委", "江西"), ("国家发展改革委", None),
    ("湖北银保监局", None), ("湖北金融监管总局", None), ("江西银保监局", None),
    ("江西金融监管总局", None), ("金融监管总局", None), ("银保监会", None),
    ("宁波银保监分局", None), ("市生态环境局", "辽源"), ("重庆市生态环境局", None),
    ("人行南昌中心支行", None), ("南昌高新区管委会", None),
)

#: What a build asks first: dated names of documents after the 2023 rename, zones, branches.
WARM_UP: tuple[tuple[str, str | None, str | None], ...] = (
    ("银保监局", "江西", "2023-06-01"), ("省银保监局", "湖北", "2023-07-01"),
    ("银保监分局", "宁波", "2024-01-01"), ("金融监管总局", "湖北", "2024-03-01"),
    ("高新区管委会", "南昌", None), ("生态环境局", "辽源", "2022-01-01"),
    ("人民银行南昌中心支行", "江西", "2021-05-01"), ("发展改革委", "江西", "2022-01-01"),
)


def _answer(registry: Registry, query: str, where: str | None) -> tuple[object, ...] | None:
    found = registry.query(query, where)
    if found is None:
        return None
    return found, tuple(registry.lineage(found))


@pytest.fixture(scope="module")
def warm() -> Registry:
    registry = load_registry()
    for name, where, date in WARM_UP:
        registry.resolve(name, where, date)
    for query, where in reversed(QUERIES):
        registry.query(query, where)
    return registry


@pytest.mark.parametrize(("query", "where"), QUERIES)
def test_cold_and_warm_registries_agree(warm: Registry, query: str, where: str | None) -> None:
    assert _answer(load_registry(), query, where) == _answer(warm, query, where)


def test_real_answers(warm: Registry) -> None:
    for registry in (load_registry(), warm):
        names = {q: registry.query(q) for q in ("江西省发改委", "宁波市发改委", "交通部",
                                                "能源局", "湖北银保监局", "湖北金融监管总局")}
        assert {q: a.name if a else None for q, a in names.items()} == {
            "江西省发改委": "江西省发展和改革委员会", "宁波市发改委": "宁波市发展和改革委员会",
            "交通部": "交通运输部", "能源局": "国家能源局",
            # renamed 2023-05-18: the query names today's body, which keeps the old name
            "湖北银保监局": "国家金融监督管理总局湖北监管局",
            "湖北金融监管总局": "国家金融监督管理总局湖北监管局"}
        hubei = names["湖北金融监管总局"]
        assert hubei is not None
        assert [a.name for a in registry.lineage(hubei)] == [
            "中国银行保险监督管理委员会湖北监管局", "国家金融监督管理总局湖北监管局"]
        assert hubei.since == "2023-05-18"
        mot = names["交通部"]
        assert mot is not None
        assert [a.name for a in registry.lineage(mot)] == ["交通部", "交通运输部"]


def test_a_dated_name_before_the_rename_stays_the_old_body() -> None:
    registry = load_registry()
    old = registry.resolve("银保监局", "湖北", "2022-06-01")
    assert old is not None
    assert old.name == "中国银行保险监督管理委员会湖北监管局"
    new = registry.resolve("银保监局", "湖北", "2023-06-01")
    assert new is not None
    assert (new.name, new.predecessor) == ("国家金融监督管理总局湖北监管局", old.id)
