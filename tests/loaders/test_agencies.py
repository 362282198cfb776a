"""The agency registry: the data file's validity, canonical names, relative names, issuers."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from policykg.errors import RegistryError
from policykg.loaders.agencies import Registry, document_jurisdiction, load_registry
from policykg.loaders.documents import LoadedDocuments
from policykg.loaders.issuers import resolve_issuers
from policykg.records import DocKind, Document

REGISTRY_FILE = Path(__file__).resolve().parents[2] / "loaders" / "lexicons" / "agencies.toml"


@pytest.fixture(scope="module")
def registry() -> Registry:
    """The packaged registry."""
    return load_registry()


# ---------------------------------------------------------------- the data file


def test_registry_file_loads_from_a_path_too() -> None:
    assert len(load_registry(REGISTRY_FILE).agencies) == len(load_registry().agencies)


def test_ids_are_unique_ascii_slugs(registry: Registry) -> None:
    ids = [a.id for a in registry.agencies]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", i) for i in ids)


def test_canonical_names_are_unique(registry: Registry) -> None:
    names = [a.name for a in registry.agencies]
    assert len(names) == len(set(names))


def test_every_parent_exists(registry: Registry) -> None:
    ids = {a.id for a in registry.agencies}
    assert {a.parent for a in registry.agencies if a.parent} <= ids


def test_every_alias_is_unique_per_jurisdiction(registry: Registry) -> None:
    owners: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    for a in registry.agencies:
        for alias in (a.name, *a.aliases):
            owners[(a.jurisdiction, alias)].add(a.id)
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert not shared


def test_every_alias_resolves_to_its_agency_in_its_jurisdiction(registry: Registry) -> None:
    wrong = []
    for a in registry.agencies:
        for alias in (a.name, *a.aliases):
            found = registry.resolve(alias, a.jurisdiction)
            if found is None or found.id != a.id:
                wrong.append((alias, a.id, found.id if found else None))
    assert not wrong


@pytest.mark.parametrize(
    ("name", "jurisdiction", "canonical"),
    [
        pytest.param("国家发展改革委", None, "国家发展和改革委员会", id="issue-国家发展改革委"),
        pytest.param("住房城乡建设部", None, "住房和城乡建设部", id="issue-住房城乡建设部"),
        pytest.param("人民银行", None, "中国人民银行", id="issue-人民银行"),
        pytest.param("市场监管总局", None, "国家市场监督管理总局", id="issue-市场监管总局"),
        pytest.param("国管局", None, "国家机关事务管理局", id="issue-国管局"),
        pytest.param("中直管理局", None, "中共中央直属机关事务管理局", id="line6137-中直管理局"),
        pytest.param("国家粮食和储备局", None, "国家粮食和物资储备局", id="line10946-粮食"),
        pytest.param("生态环境厅", "ningxia", "宁夏回族自治区生态环境厅",
                     id="issue-宁夏-生态环境厅"),
        pytest.param("市发展改革委", "beijing", "北京市发展和改革委员会",
                     id="issue-北京-市发展改革委"),
        pytest.param("市发改委", "宁波市", "宁波市发展和改革委员会", id="line33837-宁波-市发改委"),
        pytest.param("省发展改革委", "ningbo", "浙江省发展和改革委员会",
                     id="city-names-its-province"),
        pytest.param("省经信厅", "zhejiang", "浙江省经济和信息化厅", id="line36196-浙江-省经信厅"),
        pytest.param("省工业和信息化厅", "jiangxi", "江西省工业和信息化厅", id="line36362-江西"),
        pytest.param("自治区市场监管厅", "ningxia", "宁夏回族自治区市场监督管理厅",
                     id="line41607-宁夏-市场监管厅"),
        pytest.param("市场监管局", "inner-mongolia", "内蒙古自治区市场监督管理局",
                     id="line39162-内蒙古-市场监管局"),
        pytest.param("市市场监管局", "beijing", "北京市市场监督管理局", id="line31142-市-prefix"),
        pytest.param("国资委", "ningxia", "宁夏回族自治区人民政府国有资产监督管理委员会",
                     id="line41326-local-国资委"),
        pytest.param("国资委", None, "国务院国有资产监督管理委员会", id="national-国资委"),
        pytest.param("省委宣传部", "jiangxi", "中共江西省委宣传部", id="line36795-省委宣传部"),
        pytest.param("宁夏税务局", None, "国家税务总局宁夏回族自治区税务局", id="line41578-branch"),
        pytest.param("人行南昌中心支行", "jiangxi", "中国人民银行南昌中心支行",
                     id="line36713-人行"),
        pytest.param("江西银保监局", "jiangxi", "中国银行保险监督管理委员会江西监管局",
                     id="line36715-银保监局"),
        pytest.param("内蒙古电力（集团）公司", "inner-mongolia", "内蒙古电力（集团）有限责任公司",
                     id="line39186-brackets-in-name"),
        pytest.param("浙江省经济和信息化厅", None, "浙江省经济和信息化厅",
                     id="line36284-full-name"),
        pytest.param("省政府", "jiangsu", "江苏省人民政府", id="line32063-省政府"),
    ],
)
def test_resolve(registry: Registry, name: str, jurisdiction: str | None, canonical: str) -> None:
    agency = registry.resolve(name, jurisdiction)
    assert agency is not None
    assert agency.name == canonical


@pytest.mark.parametrize(
    ("name", "jurisdiction"),
    [
        pytest.param("生态环境厅", None, id="relative-name-without-jurisdiction"),
        pytest.param("市发展改革", "beijing", id="line31099-misprint"),
        pytest.param("各有关部门", None, id="group-phrase"),
    ],
)
def test_resolve_none(registry: Registry, name: str, jurisdiction: str | None) -> None:
    assert registry.resolve(name, jurisdiction) is None


def test_parents(registry: Registry) -> None:
    nea = registry.resolve("国家能源局")
    ningxia_eco = registry.resolve("生态环境厅", "ningxia")
    assert nea is not None
    assert nea.parent == "ndrc"
    assert registry.get("mee") is not None
    assert registry.get("mee").parent == "state-council"
    assert ningxia_eco is not None
    assert ningxia_eco.parent == "ningxia-gov"
    assert ningxia_eco.jurisdiction == "宁夏回族自治区"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param('[[agency]]\nid = "x"\nname = "某局"\naliases = []\nlevel = "galactic"\n',
                     "level", id="bad-level"),
        pytest.param('[[agency]]\nid = "a"\nname = "甲局"\naliases = []\nlevel = "central"\n'
                     '\n[[agency]]\nid = "b"\nname = "乙局"\naliases = []\nlevel = "central"\n'
                     'parent = "nowhere"\n', "parent", id="unknown-parent"),
        pytest.param('[[agency]]\nid = "a"\nname = "甲局"\naliases = ["局"]\nlevel = "central"\n'
                     '\n[[agency]]\nid = "b"\nname = "乙局"\naliases = ["局"]\nlevel = "central"\n',
                     "alias", id="duplicate-alias"),
        pytest.param('[[agency]]\nid = "A B"\nname = "甲局"\nlevel = "central"\n', "slug",
                     id="non-ascii-id"),
    ],
)
def test_bad_entry_raises_with_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError, match=message) as info:
        load_registry(path)
    span = info.value.span
    assert span is not None
    assert span.file == str(path)
    header_lines = [n for n, line in enumerate(text.splitlines(), 1) if line == "[[agency]]"]
    assert span.start_line == header_lines[-1]
    assert str(span.start_line) in str(info.value)


def test_bad_toml_raises_with_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('[[agency]]\nid = "a"\nname = "甲局\n', encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        load_registry(path)
    assert info.value.span is not None
    assert info.value.span.start_line == 3


# ---------------------------------------------------------------- documents


def _doc(issuers: tuple[str, ...], part: int | None = 2, chapter: str | None = None) -> Document:
    return Document(id="d", part=part, chapter=chapter, seq=None, kind=DocKind.CENTRAL_POLICY,
                    title="", doc_number=None, date=None, date_source=None, year=None,
                    issuers=issuers, url=None, start_line=1, end_line=1, file="x.txt")


@pytest.mark.parametrize(
    ("issuers", "chapter", "expected"),
    [
        pytest.param(("中共中央 国务院",), None, ["cpc-central", "state-council"],
                     id="line4013-joint-on-one-line"),
        pytest.param(("浙江省经济和信息化厅", "浙江省发展和改革委员会"), "第四章 浙江省",
                     ["zhejiang-econ-it", "zhejiang-drc"], id="line36284-sign-off"),
        pytest.param(("省政府",), "第三章 江苏省", ["jiangsu-gov"], id="line32063-relative"),
        pytest.param(("国家发展改革委等五部门",), None, ["ndrc"], id="line33757-等五部门"),
    ],
)
def test_resolve_issuers(
    registry: Registry, issuers: tuple[str, ...], chapter: str | None, expected: list[str]
) -> None:
    ids, problems = resolve_issuers(_doc(issuers, 4 if chapter else 2, chapter), registry)
    assert ids == expected
    assert problems == []


def test_unresolved_issuer_is_reported(registry: Registry) -> None:
    ids, problems = resolve_issuers(_doc(("编写组",)), registry)
    assert ids == []
    assert [p.code for p in problems] == ["A002"]
    assert "编写组" in problems[0].message


def test_issuers_run_together_fall_back_to_the_entity_ruler(registry: Registry) -> None:
    # no separator to split on: only the jieba + EntityRuler mentions find both names
    ids, problems = resolve_issuers(_doc(("国家发展改革委国家能源局",)), registry)
    assert ids == ["ndrc", "nea"]
    assert problems == []


@pytest.mark.slow
def test_compilation_issuers_never_need_spacy(
    compilation_docs: LoadedDocuments, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a build loads spaCy and jieba only for an issuer the registry cannot resolve or split
    import policykg.loaders.issuers

    def refuse(*args: object) -> None:
        raise AssertionError(f"EntityRuler fallback for {args[0]!r}")

    monkeypatch.setattr(policykg.loaders.issuers, "find_agency_mentions", refuse)
    for doc in compilation_docs.documents:
        resolve_issuers(doc, registry)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("doc_id", "jurisdiction"),
    [
        pytest.param("p2-1.6", None, id="national"),
        pytest.param("p4-c1-1.3", "北京市", id="beijing"),
        pytest.param("p4-c4-4.1", "宁波市", id="ningbo-plan-in-zhejiang-chapter"),
        pytest.param("p4-c4-4.4", "浙江省", id="zhejiang"),
        pytest.param("p4-c6-6.3", "内蒙古自治区", id="inner-mongolia-short-chapter"),
        pytest.param("p4-c7-7.4", "宁夏回族自治区", id="ningxia"),
    ],
)
def test_document_jurisdiction(
    compilation_docs: LoadedDocuments, registry: Registry, doc_id: str, jurisdiction: str | None
) -> None:
    doc = next(d for d in compilation_docs.documents if d.id == doc_id)
    found = document_jurisdiction(doc, registry)
    assert (found.name if found else None) == jurisdiction
