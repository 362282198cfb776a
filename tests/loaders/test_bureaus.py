"""Agencies of every jurisdiction: bureau templates, branches, zones, renames, open world.

Every name is printed in a dev-corpus PDF's annotations (file named in the id).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.loaders.agencies import Registry, load_registry
from policykg.records import Level


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry()


@pytest.mark.parametrize(
    ("name", "jurisdiction", "canonical", "level"),
    [
        # 557/100 重庆市…: bare and relative names in a Chongqing plan
        pytest.param("发展改革委", "重庆市", "重庆市发展和改革委员会", Level.PROVINCIAL,
                     id="bare-chongqing"),
        pytest.param("市生态环境局", "重庆市", "重庆市生态环境局", Level.PROVINCIAL,
                     id="relative-chongqing"),
        pytest.param("市经济信息委", "重庆市", "重庆市经济和信息化委员会", Level.PROVINCIAL,
                     id="municipality-form"),
        # 80 湖北省…实施意见: 省发展改革委, 省能源局
        pytest.param("省发展改革委", "湖北省", "湖北省发展和改革委员会", Level.PROVINCIAL,
                     id="relative-hubei"),
        pytest.param("省能源局", "湖北省", "湖北省能源局", Level.PROVINCIAL, id="energy-local"),
        # explicit names anywhere (issue 12's examples)
        pytest.param("重庆市生态环境局", None, "重庆市生态环境局", Level.PROVINCIAL,
                     id="explicit-chongqing"),
        pytest.param("福建省工业和信息化厅", None, "福建省工业和信息化厅", Level.PROVINCIAL,
                     id="explicit-fujian"),
        pytest.param("江西省发改委", None, "江西省发展和改革委员会", Level.PROVINCIAL,
                     id="explicit-jiangxi-short"),
        pytest.param("宁波市发改委", None, "宁波市发展和改革委员会", Level.MUNICIPAL,
                     id="explicit-ningbo"),
        # 235 广西…实施意见: a prefix carries the region
        pytest.param("自治区住房城乡建设厅", "广西壮族自治区", "广西壮族自治区住房和城乡建设厅",
                     Level.PROVINCIAL, id="region-prefix"),
        # 80 湖北: vertical branches printed with the place inside or before
        pytest.param("人行武汉分行", "湖北省", "中国人民银行武汉分行", Level.MUNICIPAL,
                     id="pbc-branch"),
        pytest.param("湖北证监局", "湖北省", "中国证券监督管理委员会湖北监管局",
                     Level.PROVINCIAL, id="csrc-branch"),
        # 57 成渝…联合行动方案
        pytest.param("人行重庆营管部", "重庆市", "中国人民银行重庆营业管理部", Level.PROVINCIAL,
                     id="pbc-business-dept"),
        pytest.param("经济和信息化厅", "四川省", "四川省经济和信息化厅", Level.PROVINCIAL,
                     id="override-sichuan"),
        pytest.param("重庆市交通局", None, "重庆市交通局", Level.PROVINCIAL, id="override-cq"),
        # 186 成都市…行动方案: a province's naming followed by its cities (经济和信息化局)
        pytest.param("市经信局", "成都市", "成都市经济和信息化局", Level.MUNICIPAL,
                     id="override-below"),
        # 451 德州市…规划
        pytest.param("人民银行德州市中心支行", "德州市", "中国人民银行德州市中心支行",
                     Level.MUNICIPAL, id="pbc-city-suffix"),
        # 347 山东省绿色低碳转型2022年行动计划
        pytest.param("国网山东省电力公司", "山东省", "国网山东省电力公司", Level.PROVINCIAL,
                     id="state-grid"),
        pytest.param("宁夏税务局", None, "国家税务总局宁夏回族自治区税务局", Level.PROVINCIAL,
                     id="tax-short-name"),
        # 357 辽源市…实施方案: a zone's management committee
        pytest.param("辽源高新区管委会", "辽源市", "辽源高新技术产业开发区管理委员会",
                     Level.MUNICIPAL, id="zone"),
        pytest.param("市辽源高新区管委会", "辽源市", "辽源高新技术产业开发区管理委员会",
                     Level.MUNICIPAL, id="zone-after-carried-prefix"),
        # 500 青岛市…三年行动计划: 西海岸新区管委 after 市…、
        pytest.param("市西海岸新区管委", "青岛市", "青岛西海岸新区管理委员会", Level.MUNICIPAL,
                     id="zone-named-without-place"),
        # 185/186 成都市…: counties named in a city's list are their governments
        pytest.param("金堂县", "成都市", "金堂县人民政府", Level.COUNTY, id="county-gov"),
        pytest.param("大邑县政府", "成都市", "大邑县人民政府", Level.COUNTY,
                     id="county-gov-short"),
        pytest.param("区发展改革局", "杭州市余杭区", "杭州市余杭区发展和改革局", Level.COUNTY,
                     id="district-bureau"),
        pytest.param("市生态环境局", "杭州市余杭区", "杭州市生态环境局", Level.MUNICIPAL,
                     id="city-prefix-in-district"),
        pytest.param("省委宣传部", "湖北省", "中共湖北省委员会宣传部", Level.PROVINCIAL,
                     id="party-department"),
        # national names stay national in a local document
        pytest.param("国家发展改革委", "重庆市", "国家发展和改革委员会", Level.CENTRAL,
                     id="national-in-local"),
        pytest.param("能源局", None, "国家能源局", Level.CENTRAL, id="energy-national"),
        # a national plan's bare short names are national bodies; a province's are its own
        pytest.param("乡村振兴局", None, "国家乡村振兴局", Level.CENTRAL, id="rural-national"),
        pytest.param("乡村振兴局", "湖北省", "湖北省乡村振兴局", Level.PROVINCIAL,
                     id="rural-local"),
        pytest.param("粮食和储备局", None, "国家粮食和物资储备局", Level.CENTRAL,
                     id="grain-national"),
        pytest.param("粮食和储备局", "湖北省", "湖北省粮食和物资储备局", Level.PROVINCIAL,
                     id="grain-local"),
        pytest.param("应急部", None, "应急管理部", Level.CENTRAL, id="emergency-short"),
        # 哈尔滨's plans: 市市场监督局, 市资源规划局
        pytest.param("市市场监督局", "哈尔滨市", "哈尔滨市市场监督管理局", Level.MUNICIPAL,
                     id="market-short"),
        pytest.param("市资源规划局", "哈尔滨市", "哈尔滨市自然资源局", Level.MUNICIPAL,
                     id="resources-planning-short"),
    ],
)
def test_resolve(registry: Registry, name: str, jurisdiction: str | None, canonical: str,
                 level: Level) -> None:
    a = registry.resolve(name, jurisdiction)
    assert a is not None
    assert (a.name, a.level, a.unresolved) == (canonical, level, False)


def test_prefix_character_is_not_a_prefix(registry: Registry) -> None:
    # 市场监管局 after 市科技局、 is the market regulator, not 市 + 场监管局
    a = registry.resolve("市场监管局", "重庆市")
    assert a is not None
    assert a.name == "重庆市市场监督管理局"
    assert registry.resolve("场监管局", "重庆市") is None


def test_curated_ids_kept(registry: Registry) -> None:
    a = registry.resolve("江苏工信厅", "江苏省")
    assert a is not None
    assert a.id == "jiangsu-miit"
    b = registry.resolve("省发改委", "江苏省")
    assert b is not None
    assert b.id == "jiangsu-drc"


@pytest.mark.parametrize(
    ("name", "date", "expected", "predecessor"),
    [
        pytest.param("银保监会", "2022-03-01", "中国银行保险监督管理委员会", "cbrc",
                     id="cbirc-2022"),
        pytest.param("银保监会", "2023-06", "国家金融监督管理总局", "cbirc", id="nfra-2023"),
        pytest.param("银保监会", "2023", "中国银行保险监督管理委员会", "cbrc",
                     id="year-only-stays"),
        pytest.param("交通部", "2021-10-24", "交通运输部", "mocomm", id="former-name"),
        pytest.param("交通部", "2005", "交通部", None, id="before-rename"),
    ],
)
def test_renames_by_date(registry: Registry, name: str, date: str, expected: str,
                         predecessor: str | None) -> None:
    a = registry.resolve(name, None, date)
    assert a is not None
    assert (a.name, a.predecessor) == (expected, predecessor)


def test_local_branch_renamed(registry: Registry) -> None:
    a = registry.resolve("重庆银保监局", None, "2023-06-01")
    assert a is not None
    assert a.name == "国家金融监督管理总局重庆监管局"
    old = registry.get(a.predecessor or "")
    assert old is not None
    assert old.name == "中国银行保险监督管理委员会重庆监管局"


# A financial regulator's office printed with the place inside the national body's name is
# the office, not the national body: printed issuers of the dev corpus (湖南, 黑龙江, 三明, 邯郸
# in tests/data/fixtures/issuers_unresolved.tsv) and the same forms of the NFRA and the CSRC.
@pytest.mark.parametrize(
    ("name", "jurisdiction", "date", "canonical", "level", "place", "national"),
    [
        pytest.param("中国银行保险监督管理委员会湖南监管局", None, None,
                     "中国银行保险监督管理委员会湖南监管局", Level.PROVINCIAL, "湖南省", "cbirc",
                     id="cbirc-full"),
        pytest.param("中国银行保险监督管理委员会湖南监管局", "长沙市", None,
                     "中国银行保险监督管理委员会湖南监管局", Level.PROVINCIAL, "湖南省", "cbirc",
                     id="cbirc-full-in-changsha"),
        pytest.param("中国银保监会黑龙江监管局", "哈尔滨市", None,
                     "中国银行保险监督管理委员会黑龙江监管局", Level.PROVINCIAL, "黑龙江省",
                     "cbirc", id="cbirc-short"),
        pytest.param("中国银保监会三明监管分局", "三明市", None,
                     "中国银行保险监督管理委员会三明监管分局", Level.MUNICIPAL, "三明市", "cbirc",
                     id="cbirc-prefecture-short"),
        pytest.param("中国银行保险监督管理委员会邯郸监管分局", "邯郸市", None,
                     "中国银行保险监督管理委员会邯郸监管分局", Level.MUNICIPAL, "邯郸市", "cbirc",
                     id="cbirc-prefecture-full"),
        pytest.param("中国银保监会岳阳监管分局", None, None,
                     "中国银行保险监督管理委员会岳阳监管分局", Level.MUNICIPAL, "岳阳市", "cbirc",
                     id="cbirc-prefecture-national-doc"),
        # renamed by date as the short form is (湖南银保监局 in 2023-06 -> 金融监管总局湖南监管局)
        pytest.param("中国银保监会湖南监管局", None, "2023-06-01",
                     "国家金融监督管理总局湖南监管局", Level.PROVINCIAL, "湖南省", "nfra",
                     id="cbirc-renamed-nfra"),
        pytest.param("国家金融监督管理总局湖北监管局", None, None,
                     "国家金融监督管理总局湖北监管局", Level.PROVINCIAL, "湖北省", "nfra",
                     id="nfra-full"),
        pytest.param("金融监管总局湖北监管局", "湖北省", None,
                     "国家金融监督管理总局湖北监管局", Level.PROVINCIAL, "湖北省", "nfra",
                     id="nfra-short"),
        pytest.param("国家金融监督管理总局岳阳监管分局", None, None,
                     "国家金融监督管理总局岳阳监管分局", Level.MUNICIPAL, "岳阳市", "nfra",
                     id="nfra-prefecture"),
        pytest.param("中国证券监督管理委员会湖南监管局", None, None,
                     "中国证券监督管理委员会湖南监管局", Level.PROVINCIAL, "湖南省", "csrc",
                     id="csrc-full"),
        pytest.param("中国证监会湖南监管局", "湖南省", None,
                     "中国证券监督管理委员会湖南监管局", Level.PROVINCIAL, "湖南省", "csrc",
                     id="csrc-short"),
    ],
)
def test_regulator_office_printed_in_full(
    registry: Registry, name: str, jurisdiction: str | None, date: str | None, canonical: str,
    level: Level, place: str, national: str,
) -> None:
    a = registry.resolve(name, jurisdiction, date)
    assert a is not None
    assert (a.name, a.level, a.jurisdiction, a.unresolved) == (canonical, level, place, False)
    assert a.id != national
    assert a.parent == national


@pytest.mark.parametrize(
    ("national_name", "office_name", "national"),
    [
        pytest.param("中国银行保险监督管理委员会", "中国银行保险监督管理委员会湖南监管局", "cbirc",
                     id="cbirc-full"),
        pytest.param("银保监会", "中国银保监会黑龙江监管局", "cbirc", id="cbirc-short"),
        pytest.param("国家金融监督管理总局", "国家金融监督管理总局湖北监管局", "nfra", id="nfra"),
        pytest.param("中国证监会", "中国证监会湖南监管局", "csrc", id="csrc"),
    ],
)
def test_national_regulator_and_its_office_are_two_bodies(
    registry: Registry, national_name: str, office_name: str, national: str
) -> None:
    for jurisdiction in (None, "湖南省"):
        body = registry.resolve(national_name, jurisdiction)
        office = registry.resolve(office_name, jurisdiction)
        assert body is not None
        assert office is not None
        assert (body.id, body.level) == (national, Level.CENTRAL)
        assert office.id != body.id
        assert office.level != Level.CENTRAL


@pytest.mark.parametrize(
    ("full", "short", "date"),
    [
        pytest.param("中国银行保险监督管理委员会湖南监管局", "湖南银保监局", None, id="cbirc"),
        pytest.param("中国银保监会湖南监管局", "湖南银保监局", "2023-06-01", id="cbirc-renamed"),
        pytest.param("中国银行保险监督管理委员会达州监管分局", "达州银保监分局", None,
                     id="cbirc-prefecture"),
        # a jurisdiction the registry lists: its template's id (beijing-cbirc)
        pytest.param("中国银保监会北京监管局", "北京银保监局", None, id="cbirc-listed"),
        pytest.param("中国证券监督管理委员会重庆监管局", "重庆证监局", None, id="csrc"),
    ],
)
def test_full_and_short_forms_are_one_office(
    registry: Registry, full: str, short: str, date: str | None
) -> None:
    a = registry.resolve(full, None, date)
    b = registry.resolve(short, None, date)
    assert a is not None
    assert b is not None
    assert (a.id, a.name) == (b.id, b.name)


def test_regulator_office_issuer_is_the_office(registry: Registry) -> None:
    # the printed issuer 中国银保监会黑龙江监管局 of a Harbin plan went to the entity ruler,
    # which found 中国银保监会 in it: the national body
    from policykg.loaders.issuers import resolve_issuers
    from policykg.records import DocKind, Document

    doc = Document(id="d", part=None, chapter=None, seq=None, kind=DocKind.CENTRAL_POLICY,
                   title="", doc_number=None, date=None, date_source=None, year=None,
                   issuers=("中国银保监会黑龙江监管局", "中国证监会湖南监管局"), url=None,
                   start_line=1, end_line=1, file="x.txt")
    ids, problems = resolve_issuers(doc, registry)
    office = registry.resolve("黑龙江银保监局")
    csrc = registry.resolve("湖南证监局")
    assert office is not None
    assert csrc is not None
    assert (ids, problems) == ([office.id, csrc.id], [])


def test_open_world(registry: Registry) -> None:
    # 378 深圳碳普惠体系建设工作方案: a body no template knows
    assert registry.resolve("深圳排放权交易所", "深圳市") is None
    a = registry.resolve("深圳排放权交易所", "深圳市", open_world=True)
    assert a is not None
    assert (a.name, a.jurisdiction, a.level, a.unresolved) == (
        "深圳排放权交易所", "深圳市", Level.MUNICIPAL, True)
    assert registry.get(a.id) == a
    # in its jurisdiction, never a national body or the one entry with a similar name
    b = registry.resolve("市公路事业发展中心", "上饶市", open_world=True)
    assert b is not None
    assert b.name == "上饶市公路事业发展中心"
    assert b.unresolved
    # not a body's name: nothing
    assert registry.resolve("完成时限", "上饶市", open_world=True) is None


def test_branch_kinds_are_distinct_bodies(registry: Registry) -> None:
    # 113 武汉市…工作方案 prints 人民银行武汉分行营管部; 80 湖北省… prints 人行武汉分行
    ops = registry.resolve("人民银行武汉分行营管部", "武汉市")
    branch = registry.resolve("人行武汉分行", "湖北省")
    assert ops is not None
    assert branch is not None
    assert (ops.name, branch.name) == ("中国人民银行武汉分行营业管理部", "中国人民银行武汉分行")
    assert ops.id != branch.id


def test_shared_suffix_and_lower_level_groups(fixtures_dir: Path) -> None:
    # 202 上海市公共机构绿色低碳循环发展行动方案 p4-5: （责任单位：市、区机管局，市、区财政局，…）
    from policykg.loaders.corpus import load

    corpus = load([fixtures_dir / "agencies_shanghai_shared_suffix.txt"])
    last = corpus.tasks[-1]
    assert last.raw == "（责任单位：市、区机管局，市、区财政局，公共机构节能主管部门）"
    assert last.participants == ("上海市机关事务管理局", "上海市财政局")
    # the districts' bureaus are each district's: a group, not one body
    assert last.collective[:2] == ("区机管局", "区财政局")
    assert [t.jurisdiction for t in corpus.tasks] == ["上海市"] * 3


def test_a_hall_is_a_province_s(registry: Registry) -> None:
    # 57 成渝…: 经济和信息化厅 after 四川省能源局 is Sichuan's; Chongqing has no 厅
    assert registry.resolve("经济和信息化厅", "重庆市") is None
    a = registry.resolve("经济和信息化厅", "四川省")
    assert a is not None
    assert a.name == "四川省经济和信息化厅"


# The five 计划单列市 have a financial regulator's 监管局 of their own, not a prefecture's
# 监管分局 (深圳银保监局 = 中国银行保险监督管理委员会深圳监管局, since 2023-05-18
# 国家金融监督管理总局深圳监管局); Ningbo's was right only before the rename, as a listed body.
@pytest.mark.parametrize(
    ("name", "jurisdiction", "date", "canonical", "place", "national"),
    [
        pytest.param("深圳银保监局", None, None,
                     "中国银行保险监督管理委员会深圳监管局", "深圳市", "cbirc",
                     id="shenzhen-cbirc-short"),
        pytest.param("深圳银保监局", "深圳市", None,
                     "中国银行保险监督管理委员会深圳监管局", "深圳市", "cbirc",
                     id="shenzhen-cbirc-short-own-doc"),
        pytest.param("银保监局", "深圳市", None,
                     "中国银行保险监督管理委员会深圳监管局", "深圳市", "cbirc",
                     id="shenzhen-cbirc-bare"),
        pytest.param("中国银保监会深圳监管局", None, None,
                     "中国银行保险监督管理委员会深圳监管局", "深圳市", "cbirc",
                     id="shenzhen-cbirc-full-short"),
        pytest.param("中国银行保险监督管理委员会深圳监管局", "广东省", None,
                     "中国银行保险监督管理委员会深圳监管局", "深圳市", "cbirc",
                     id="shenzhen-cbirc-full"),
        pytest.param("国家金融监督管理总局深圳监管局", None, "2023-06-01",
                     "国家金融监督管理总局深圳监管局", "深圳市", "nfra",
                     id="shenzhen-nfra-full"),
        pytest.param("金融监管总局深圳监管局", "深圳市", "2024-01-01",
                     "国家金融监督管理总局深圳监管局", "深圳市", "nfra",
                     id="shenzhen-nfra-short"),
        pytest.param("深圳银保监局", None, "2023-06-01",
                     "国家金融监督管理总局深圳监管局", "深圳市", "nfra",
                     id="shenzhen-cbirc-renamed"),
        pytest.param("厦门银保监局", None, None,
                     "中国银行保险监督管理委员会厦门监管局", "厦门市", "cbirc",
                     id="xiamen-cbirc-short"),
        pytest.param("中国银保监会厦门监管局", "福建省", None,
                     "中国银行保险监督管理委员会厦门监管局", "厦门市", "cbirc",
                     id="xiamen-cbirc-full-short"),
        pytest.param("国家金融监督管理总局厦门监管局", None, "2023-06-01",
                     "国家金融监督管理总局厦门监管局", "厦门市", "nfra", id="xiamen-nfra-full"),
        pytest.param("青岛银保监局", None, None,
                     "中国银行保险监督管理委员会青岛监管局", "青岛市", "cbirc",
                     id="qingdao-cbirc-short"),
        pytest.param("大连银保监局", None, "2023-05-18",
                     "国家金融监督管理总局大连监管局", "大连市", "nfra",
                     id="dalian-cbirc-renamed-on-the-day"),
        # Ningbo's is a listed body (agencies.toml): right before the rename, not after it
        pytest.param("宁波银保监局", None, "2023-06-01",
                     "国家金融监督管理总局宁波监管局", "宁波市", "nfra", id="ningbo-renamed"),
        pytest.param("国家金融监督管理总局宁波监管局", None, "2023-06-01",
                     "国家金融监督管理总局宁波监管局", "宁波市", "nfra", id="ningbo-nfra-full"),
    ],
)
def test_plan_city_regulator_office_is_a_bureau(
    registry: Registry, name: str, jurisdiction: str | None, date: str | None, canonical: str,
    place: str, national: str,
) -> None:
    a = registry.resolve(name, jurisdiction, date)
    assert a is not None
    assert (a.name, a.level, a.jurisdiction, a.parent, a.unresolved) == (
        canonical, Level.MUNICIPAL, place, national, False)


@pytest.mark.parametrize("city", [
    pytest.param("大连", id="dalian"), pytest.param("青岛", id="qingdao"),
    pytest.param("宁波", id="ningbo"), pytest.param("厦门", id="xiamen"),
    pytest.param("深圳", id="shenzhen"),
])
def test_plan_city_offices_of_the_three_regulators(registry: Registry, city: str) -> None:
    # the short form, the full one and the relative one in the city's own document name one
    # 监管局 of each regulator (the CSRC's was right already)
    offices = {
        "中国银行保险监督管理委员会{}监管局": [(f"{city}银保监局", None, None),
                                            (f"中国银保监会{city}监管局", None, None),
                                            ("市银保监局", f"{city}市", None)],
        "国家金融监督管理总局{}监管局": [(f"{city}银保监局", None, "2023-06-01"),
                                      (f"国家金融监督管理总局{city}监管局", None, "2023-06-01"),
                                      (f"金融监管总局{city}监管局", f"{city}市", "2024-01-01")],
        "中国证券监督管理委员会{}监管局": [(f"{city}证监局", None, None),
                                        (f"中国证监会{city}监管局", None, None),
                                        ("证监局", f"{city}市", None)],
    }
    for pattern, forms in offices.items():
        found = {registry.resolve(n, j, d) for n, j, d in forms}
        assert len(found) == 1, (pattern, found)
        a = found.pop()
        assert a is not None
        assert (a.name, a.level, a.jurisdiction) == (pattern.format(city), Level.MUNICIPAL,
                                                     f"{city}市")


# 金融监管总局 alone is the national body (总局: the head office) in any document, dated or not;
# only after a place or a prefix is it a division's office (loaders/lexicons/bureaus.toml:
# the nfra bureau's `prefixed`).
@pytest.mark.parametrize(
    ("jurisdiction", "date"),
    [
        pytest.param("湖北省", None, id="hubei-undated"),
        pytest.param("湖北省", "2023-06-01", id="hubei-after-rename"),
        pytest.param("武汉市", "2024-03-01", id="wuhan"),
        pytest.param("宁波市", "2023-06-01", id="ningbo-listed"),
        pytest.param("深圳市", "2023-05-18", id="shenzhen-on-the-day"),
        pytest.param("北京市", "2023-06", id="beijing-month"),
    ],
)
def test_national_financial_regulator_stays_national(
    registry: Registry, jurisdiction: str, date: str | None
) -> None:
    forms = ["金融监管总局", "国家金融监督管理总局", "国家金融监管总局"]
    if date is not None:
        # the CBIRC's names in a document after the rename: its successor, the same body
        forms += ["银保监会", "中国银行保险监督管理委员会"]
    for form in forms:
        a = registry.resolve(form, jurisdiction, date)
        assert a is not None
        assert (a.id, a.name, a.level, a.jurisdiction) == (
            "nfra", "国家金融监督管理总局", Level.CENTRAL, None), form


@pytest.mark.parametrize(
    ("jurisdiction", "date", "office", "canonical", "level", "place"),
    [
        pytest.param("湖北省", "2023-06-01", "省金融监管总局",
                     "国家金融监督管理总局湖北监管局", Level.PROVINCIAL, "湖北省",
                     id="relative"),
        # the query of bench/lookup.py and tests/cli/test_quick.py: still the Hubei office
        pytest.param("湖北省", None, "湖北金融监管总局",
                     "国家金融监督管理总局湖北监管局", Level.PROVINCIAL, "湖北省",
                     id="place-before"),
        pytest.param("湖北省", "2023-06-01", "金融监管总局湖北监管局",
                     "国家金融监督管理总局湖北监管局", Level.PROVINCIAL, "湖北省",
                     id="place-inside"),
        pytest.param("湖北省", "2023-06-01", "银保监局",
                     "国家金融监督管理总局湖北监管局", Level.PROVINCIAL, "湖北省",
                     id="cbirc-bare-renamed"),
        # a 分局 is never the national body: alone in a city's document, the city's
        pytest.param("武汉市", "2023-06-01", "金融监管分局",
                     "国家金融监督管理总局武汉监管分局", Level.MUNICIPAL, "武汉市",
                     id="prefecture-bare"),
        pytest.param("武汉市", "2024-03-01", "武汉金融监管分局",
                     "国家金融监督管理总局武汉监管分局", Level.MUNICIPAL, "武汉市",
                     id="prefecture-short"),
        pytest.param("深圳市", "2023-06-01", "金融监管总局深圳监管局",
                     "国家金融监督管理总局深圳监管局", Level.MUNICIPAL, "深圳市",
                     id="plan-city"),
    ],
)
def test_national_financial_regulator_and_its_office_in_one_document(
    registry: Registry, jurisdiction: str, date: str | None, office: str, canonical: str,
    level: Level, place: str,
) -> None:
    body = registry.resolve("金融监管总局", jurisdiction, date)
    assert body is not None
    assert (body.id, body.level) == ("nfra", Level.CENTRAL)
    a = registry.resolve(office, jurisdiction, date)
    assert a is not None
    assert (a.name, a.level, a.jurisdiction, a.parent) == (canonical, level, place, "nfra")


def _load_lexicon(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Load a bureaus.toml of ``text`` instead of the packaged one."""
    from types import SimpleNamespace

    from policykg.loaders import bureaus

    (tmp_path / "lexicons").mkdir()
    (tmp_path / "lexicons" / "bureaus.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(bureaus, "resources", SimpleNamespace(files=lambda _: tmp_path))
    bureaus.load_bureaus()


def test_prefixed_names_only_aliases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policykg.errors import RegistryError

    with pytest.raises(RegistryError, match=r"'prefixed' names \['金融监管总局'\], which are not"):
        _load_lexicon('[[bureau]]\nid = "nfra"\n'
                      'name = { province = "国家金融监督管理总局{stem}监管局" }\n'
                      'aliases = ["金融监管分局"]\nprefixed = ["金融监管总局"]\n',
                      tmp_path, monkeypatch)


# The CSRC has offices (证监局) in the 31 provinces, regions and municipalities and in the five
# 计划单列市 only: a prefecture's or county's 证监局 is its province's office (the csrc bureau's
# `lowest`), never a 中国证券监督管理委员会岳阳监管局, which does not exist.
_PLAN_CITIES = {"210200": "大连", "370200": "青岛", "330200": "宁波", "350200": "厦门",
                "440300": "深圳"}


@pytest.mark.parametrize(
    ("name", "jurisdiction", "province"),
    [
        pytest.param("证监局", "岳阳市", "湖南", id="yueyang-bare"),
        pytest.param("市证监局", "岳阳市", "湖南", id="yueyang-relative"),
        pytest.param("岳阳证监局", "岳阳市", "湖南", id="yueyang-explicit-own-doc"),
        pytest.param("岳阳证监局", None, "湖南", id="yueyang-explicit"),
        pytest.param("岳阳市证监局", "湖南省", "湖南", id="yueyang-explicit-full-place"),
        pytest.param("中国证监会岳阳监管局", None, "湖南", id="yueyang-branch-short"),
        pytest.param("中国证券监督管理委员会岳阳监管局", "岳阳市", "湖南",
                     id="yueyang-branch-full"),
        pytest.param("证监局", "苏州市", "江苏", id="suzhou-bare"),
        pytest.param("市证监局", "苏州市", "江苏", id="suzhou-relative"),
        pytest.param("苏州证监局", None, "江苏", id="suzhou-explicit"),
        pytest.param("中国证监会苏州监管局", "苏州市", "江苏", id="suzhou-branch"),
        pytest.param("证监局", "武汉市", "湖北", id="wuhan-bare"),
        pytest.param("市证监局", "武汉市", "湖北", id="wuhan-relative"),
        pytest.param("证监局", "银川市", "宁夏", id="yinchuan-bare"),
        pytest.param("证监局", "杭州市", "浙江", id="hangzhou-bare"),
        # county-level: the province's office as well
        pytest.param("证监局", "平江县", "湖南", id="county-bare"),
        pytest.param("县证监局", "平江县", "湖南", id="county-relative"),
        pytest.param("市证监局", "昆山市", "江苏", id="county-city-relative"),
        pytest.param("区证监局", "苏州市姑苏区", "江苏", id="district-relative"),
        pytest.param("证监局", "仙桃市", "湖北", id="province-administered-county"),
        pytest.param("证监局", "北京市海淀区", "北京", id="municipality-district"),
        pytest.param("证监局", "上海市浦东新区", "上海", id="municipality-new-area"),
    ],
)
def test_prefecture_securities_office_is_the_province_s(
    registry: Registry, name: str, jurisdiction: str | None, province: str
) -> None:
    a = registry.resolve(name, jurisdiction, open_world=True)
    office = registry.resolve(f"{province}证监局")
    assert a is not None
    assert office is not None
    assert a.name == f"中国证券监督管理委员会{province}监管局"
    assert (a.id, a.level, a.jurisdiction, a.parent, a.unresolved) == (
        office.id, Level.PROVINCIAL, office.jurisdiction, "csrc", False)


# One office per area, whatever document names it: a province's (or municipality's) from its
# own documents and those of every division inside it; a 计划单列市's from the city's and its
# districts' documents (the province's own office stays the province's there).
@pytest.mark.parametrize(
    ("canonical", "level", "place", "forms"),
    [
        pytest.param("中国证券监督管理委员会湖南监管局", Level.PROVINCIAL, "湖南省",
                     [("湖南证监局", None), ("省证监局", "湖南省"), ("证监局", "湖南省"),
                      ("湖南证监局", "岳阳市"), ("省证监局", "岳阳市"), ("证监局", "岳阳市"),
                      ("证监局", "平江县")], id="hunan"),
        pytest.param("中国证券监督管理委员会北京监管局", Level.PROVINCIAL, "北京市",
                     [("北京证监局", None), ("证监局", "北京市"), ("市证监局", "北京市"),
                      ("证监局", "北京市海淀区"), ("市证监局", "北京市海淀区")], id="beijing"),
        pytest.param("中国证券监督管理委员会重庆监管局", Level.PROVINCIAL, "重庆市",
                     [("重庆证监局", None), ("中国证券监督管理委员会重庆监管局", None),
                      ("证监局", "重庆市"), ("证监局", "重庆市渝中区")], id="chongqing"),
        pytest.param("中国证券监督管理委员会广东监管局", Level.PROVINCIAL, "广东省",
                     [("广东证监局", None), ("证监局", "广东省"), ("广东证监局", "深圳市"),
                      ("省证监局", "深圳市"), ("证监局", "广州市")], id="guangdong"),
        pytest.param("中国证券监督管理委员会深圳监管局", Level.MUNICIPAL, "深圳市",
                     [("深圳证监局", None), ("证监局", "深圳市"), ("市证监局", "深圳市"),
                      ("中国证监会深圳监管局", "广东省"), ("证监局", "深圳市南山区")],
                     id="shenzhen"),
        pytest.param("中国证券监督管理委员会宁波监管局", Level.MUNICIPAL, "宁波市",
                     [("宁波证监局", None), ("证监局", "宁波市"), ("证监局", "宁波市鄞州区")],
                     id="ningbo"),
        pytest.param("中国证券监督管理委员会大连监管局", Level.MUNICIPAL, "大连市",
                     [("大连证监局", "辽宁省"), ("市证监局", "大连市"), ("证监局", "大连市中山区")],
                     id="dalian"),
        pytest.param("中国证券监督管理委员会青岛监管局", Level.MUNICIPAL, "青岛市",
                     [("青岛证监局", None), ("证监局", "青岛市"), ("证监局", "青岛市市南区")],
                     id="qingdao"),
        pytest.param("中国证券监督管理委员会厦门监管局", Level.MUNICIPAL, "厦门市",
                     [("中国证监会厦门监管局", None), ("证监局", "厦门市"),
                      ("证监局", "厦门市思明区")], id="xiamen"),
    ],
)
def test_one_securities_office_per_area(
    registry: Registry, canonical: str, level: Level, place: str,
    forms: list[tuple[str, str | None]],
) -> None:
    found = {(n, j): registry.resolve(n, j) for n, j in forms}
    assert all(a is not None for a in found.values()), found
    assert len({a.id for a in found.values() if a is not None}) == 1, found
    a = found[forms[0]]
    assert a is not None
    assert (a.name, a.level, a.jurisdiction, a.parent) == (canonical, level, place, "csrc")


def test_no_securities_office_of_an_ordinary_prefecture() -> None:
    from policykg.loaders.jurisdictions import admin_map

    registry = load_registry()
    amap = admin_map()
    places = ["岳阳", "苏州", "武汉", "三明", "邯郸", "达州", "银川", "杭州", "成都", "赣州"]
    for stem in places:
        d = amap.lookup(f"{stem}市")
        assert d is not None, stem
        assert d.rank == "prefecture", stem
        county = amap.children(d)[0]
        forms = [(f"{stem}证监局", None), (f"{stem}市证监局", None), (f"{stem}证监局", d.label),
                 ("证监局", d.label), ("市证监局", d.label), ("证监局", county.label),
                 (f"中国证监会{stem}监管局", None), (f"证监会{stem}监管局", d.label),
                 (f"中国证券监督管理委员会{stem}监管局", None)]
        for name, jurisdiction in forms:
            for date in (None, "2023-06-01"):
                a = registry.resolve(name, jurisdiction, date, open_world=True)
                assert a is not None
                assert a.level == Level.PROVINCIAL, (name, jurisdiction, a)
                assert a.name == f"中国证券监督管理委员会{amap.province(d).stems[0]}监管局"
    # every division's csrc body: its province's, or a plan city's for the city and its districts
    bureaus = registry.bureaus
    csrc = bureaus.bureaus["csrc"]
    for d in amap.divisions:
        a = bureaus.agency(d, csrc)
        plan = next((c for c in (d, *amap.ancestors(d)) if c.code in _PLAN_CITIES), None)
        home = plan if plan is not None else amap.province(d)
        assert (a.jurisdiction, a.level) == (home.label, home.level), d.label
    # and nothing made on the way is a prefecture's or county's office
    holders = {d.label for d in amap.divisions if d.rank == "province" or d.code in _PLAN_CITIES}
    offices = {a.name: a.jurisdiction for a in registry.made() if a.parent == "csrc"}
    assert offices
    assert set(offices.values()) <= holders
    assert "中国证券监督管理委员会岳阳监管局" not in offices


def test_lowest_is_a_rank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policykg.errors import RegistryError

    with pytest.raises(RegistryError, match=r"'lowest' must be one of \('province', 'prefec"):
        _load_lexicon('[[bureau]]\nid = "csrc"\n'
                      'name = { province = "中国证券监督管理委员会{stem}监管局" }\n'
                      'aliases = ["证监局"]\nlowest = "municipality"\n', tmp_path, monkeypatch)


# 香港, 澳门 and 台湾 are province rank on the map, but no template is a body there
# (bureaus.toml's [outside]): the two special administrative regions have their own governments
# and regulators (Hong Kong's securities regulator is the independent 证券及期货事务监察委员会,
# not a CSRC office) and no mainland local government sits in Taiwan.  A name that would read
# as such a body is unknown: reported as printed, in that division, never invented.
@pytest.mark.parametrize(
    ("name", "jurisdiction", "printed", "place"),
    [
        pytest.param("香港证监局", None, "香港证监局", "香港特别行政区", id="hk-csrc"),
        pytest.param("中国证监会香港监管局", None, "中国证监会香港监管局", None,
                     id="hk-csrc-full"),
        pytest.param("香港银保监局", None, "香港银保监局", "香港特别行政区", id="hk-cbirc"),
        pytest.param("香港发改委", None, "香港发改委", "香港特别行政区", id="hk-drc"),
        pytest.param("香港特别行政区政府", None, "香港特别行政区政府", "香港特别行政区",
                     id="hk-government"),
        # not a shape the open world takes (as 海关 alone): nothing, not 中华人民共和国香港海关
        pytest.param("香港海关", None, None, None, id="hk-customs"),
        pytest.param("人行香港分行", None, "人行香港分行", None, id="hk-pbc"),
        pytest.param("证监局", "香港特别行政区", "香港特别行政区证监局", "香港特别行政区",
                     id="hk-doc-bare"),
        pytest.param("澳门生态环境厅", None, "澳门生态环境厅", "澳门特别行政区", id="macao-eco"),
        pytest.param("澳门特别行政区政府", None, "澳门特别行政区政府", "澳门特别行政区",
                     id="macao-government"),
        pytest.param("特区政府", "澳门特别行政区", "澳门特别行政区政府", "澳门特别行政区",
                     id="macao-doc-relative"),
        pytest.param("台湾省人民政府", None, "台湾省人民政府", "台湾省", id="taiwan-government"),
        pytest.param("台湾省发展改革委", None, "台湾省发展改革委", "台湾省", id="taiwan-drc"),
    ],
)
def test_no_template_body_outside_the_mainland_system(
    registry: Registry, name: str, jurisdiction: str | None, printed: str | None,
    place: str | None,
) -> None:
    assert registry.resolve(name, jurisdiction) is None
    a = registry.resolve(name, jurisdiction, open_world=True)
    if printed is None:
        assert a is None
        return
    assert a is not None
    assert (a.name, a.jurisdiction, a.unresolved, a.parent) == (printed, place, True, None)


def test_no_template_body_made_outside_the_mainland_system() -> None:
    # every bureau alias and every branch form, after a place, in a place's document and alone
    registry = load_registry()
    bureaus = registry.bureaus
    amap = bureaus.amap
    for code in ("810000", "820000", "710000"):
        d = amap.get(code)
        assert d is not None
        stem = d.stems[0] if d.stems else d.name
        names = [(p + a, None) for a in bureaus.by_alias for p in (d.name, stem)]
        names += [(a, d.label) for a in bureaus.by_alias]
        names += [(p + a, d.label) for a in bureaus.by_alias for p in d.prefixes]
        names += [(f"{before}{stem}{after}", None) for br in bureaus.branches
                  for before in br.before for after in br.after]
        for name, jurisdiction in names:
            a = registry.resolve(name, jurisdiction)
            assert a is None or a.jurisdiction != d.label, (name, jurisdiction, a)
    assert not [a for a in bureaus.made.values() if a.id.startswith(("cn81", "cn82", "cn71"))]


def test_outside_names_divisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policykg.errors import RegistryError

    with pytest.raises(RegistryError, match=r"\[outside\]: 'divisions' names \['990000'\], "
                                            r"which are not divisions of the map"):
        _load_lexicon('[outside]\ndivisions = ["810000", "990000"]\n', tmp_path, monkeypatch)


# The CBIRC (from 2023-05-18 the NFRA) had a 监管局 per province and 计划单列市 and a 监管分局 per
# prefecture-level city, none of a county's own (the 监管组 in counties were parts of their
# prefecture's 分局): a county's 银保监局 is its prefecture's 分局 (the bureaus' `lowest`), never a
# 中国银行保险监督管理委员会平江监管分局, which did not exist.
@pytest.mark.parametrize(
    ("name", "jurisdiction", "date", "canonical", "level", "place"),
    [
        pytest.param("县银保监局", "平江县", None, "中国银行保险监督管理委员会岳阳监管分局",
                     Level.MUNICIPAL, "岳阳市", id="county-relative"),
        pytest.param("银保监局", "平江县", None, "中国银行保险监督管理委员会岳阳监管分局",
                     Level.MUNICIPAL, "岳阳市", id="county-bare"),
        pytest.param("平江县银保监局", None, None, "中国银行保险监督管理委员会岳阳监管分局",
                     Level.MUNICIPAL, "岳阳市", id="county-explicit"),
        pytest.param("平江县银保监局", "岳阳市", None, "中国银行保险监督管理委员会岳阳监管分局",
                     Level.MUNICIPAL, "岳阳市", id="county-explicit-city-doc"),
        pytest.param("银保监分局", "平江县", None, "中国银行保险监督管理委员会岳阳监管分局",
                     Level.MUNICIPAL, "岳阳市", id="county-bare-sub-office"),
        pytest.param("市银保监局", "汨罗市", None, "中国银行保险监督管理委员会岳阳监管分局",
                     Level.MUNICIPAL, "岳阳市", id="county-level-city"),
        pytest.param("区银保监局", "苏州市姑苏区", None, "中国银行保险监督管理委员会苏州监管分局",
                     Level.MUNICIPAL, "苏州市", id="district"),
        # renamed by date as the prefecture's 分局 is
        pytest.param("县银保监局", "平江县", "2023-06-01", "国家金融监督管理总局岳阳监管分局",
                     Level.MUNICIPAL, "岳阳市", id="county-renamed"),
        pytest.param("平江县银保监局", None, "2023-06-01", "国家金融监督管理总局岳阳监管分局",
                     Level.MUNICIPAL, "岳阳市", id="county-explicit-renamed"),
        pytest.param("县金融监管分局", "平江县", "2023-06-01", "国家金融监督管理总局岳阳监管分局",
                     Level.MUNICIPAL, "岳阳市", id="county-nfra"),
        # a municipality's districts and a 计划单列市's: the 监管局 of the city
        pytest.param("银保监局", "北京市海淀区", None, "中国银行保险监督管理委员会北京监管局",
                     Level.PROVINCIAL, "北京市", id="municipality-district"),
        pytest.param("区银保监局", "深圳市南山区", None, "中国银行保险监督管理委员会深圳监管局",
                     Level.MUNICIPAL, "深圳市", id="plan-city-district"),
        pytest.param("区金融监管分局", "宁波市鄞州区", "2023-06-01",
                     "国家金融监督管理总局宁波监管局", Level.MUNICIPAL, "宁波市",
                     id="plan-city-district-listed"),
    ],
)
def test_county_financial_regulator_is_the_prefecture_s(
    registry: Registry, name: str, jurisdiction: str | None, date: str | None, canonical: str,
    level: Level, place: str,
) -> None:
    a = registry.resolve(name, jurisdiction, date, open_world=True)
    assert a is not None
    assert (a.name, a.level, a.jurisdiction, a.unresolved) == (canonical, level, place, False)
    assert a.parent in ("cbirc", "nfra")


def test_no_financial_regulator_office_of_a_county() -> None:
    registry = load_registry()
    bureaus = registry.bureaus
    amap = bureaus.amap
    for bid in ("cbirc", "nfra"):
        for d in amap.divisions:
            if d.code in bureaus.outside:
                continue
            a = bureaus.agency(d, bureaus.bureaus[bid])
            assert a.level != Level.COUNTY, (bid, d.label, a)
    made = [a for a in registry.made() if a.parent in ("cbirc", "nfra")]
    assert made
    assert not [a for a in made if a.level == Level.COUNTY]
    assert "中国银行保险监督管理委员会平江监管分局" not in {a.name for a in made}


def test_plan_cities_have_the_three_regulators_offices() -> None:
    # bureaus.toml's [plan_cities] and the bureaus' `plan_cities = true`: the five codes, each
    # with a 监管局 of the cbirc, the nfra and the csrc named as a province's
    from policykg.loaders.bureaus import load_bureaus

    bureaus = load_bureaus()
    plan = {(code, bid): name for (code, bid), name in bureaus.overrides.items()
            if bid in ("cbirc", "nfra", "csrc")}
    assert plan == {(code, bid): bureaus.bureaus[bid].names["province"]
                    for code in _PLAN_CITIES for bid in ("cbirc", "nfra", "csrc")}
    for code, stem in _PLAN_CITIES.items():
        d = bureaus.amap.get(code)
        assert d is not None
        assert d.rank == "prefecture"
        assert bureaus.agency(d, bureaus.bureaus["csrc"]).name == (
            f"中国证券监督管理委员会{stem}监管局")


def test_plan_cities_names_divisions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policykg.errors import RegistryError

    with pytest.raises(RegistryError, match=r"\[plan_cities\]: 'divisions' names \['990200'\], "
                                            r"which are not divisions of the map"):
        _load_lexicon('[plan_cities]\ndivisions = ["440300", "990200"]\n', tmp_path,
                      monkeypatch)


def test_plan_city_rule_and_override_twice(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from policykg.errors import RegistryError

    with pytest.raises(RegistryError, match=r"is overridden twice"):
        _load_lexicon('[[bureau]]\nid = "csrc"\n'
                      'name = { province = "中国证券监督管理委员会{stem}监管局" }\n'
                      'aliases = ["证监局"]\nlowest = "province"\nplan_cities = true\n'
                      '[plan_cities]\ndivisions = ["440300"]\n'
                      '[[override]]\ndivision = "440300"\nbureau = "csrc"\n'
                      'name = "中国证券监督管理委员会{stem}监管局"\n', tmp_path, monkeypatch)
