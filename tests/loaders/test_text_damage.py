"""Text that PDFs damage: full-width digits for values and 文号, ASCII punctuation and
punctuation given as Yi syllables restored."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.loaders.lines import (
    ascii_punctuation_damage,
    halfwidth,
    normalise_doc_number,
    restore_punctuation,
    restore_yi_punctuation,
    yi_punctuation_damage,
)


@pytest.mark.parametrize(
    ("printed", "normal"),
    [
        pytest.param("甘政发〔２０２１〕６２号", "甘政发〔2021〕62号", id="full-width-107"),
        pytest.param("甘政发 〔２０２１〕６２号", "甘政发〔2021〕62号", id="space-107"),
        pytest.param("青政 〔２０２１〕 ３６ 号", "青政〔2021〕36号", id="spaced-108"),
        pytest.param("吉政发〔2021〕18 号", "吉政发〔2021〕18号", id="space-before-hao-243"),
        pytest.param("京技管[2021]115号", "京技管〔2021〕115号", id="square-brackets-120"),
        pytest.param("桂政发〔2021〕27号", "桂政发〔2021〕27号", id="already-normal"),
    ],
)
def test_normalise_doc_number(printed: str, normal: str) -> None:
    assert normalise_doc_number(printed) == normal


def test_halfwidth_keeps_chinese_and_punctuation() -> None:
    assert halfwidth("到２０２５年，单位地区生产总值能耗较２０２０年下降１３％") == (
        "到2025年，单位地区生产总值能耗较2020年下降13％")
    assert halfwidth("\uff27\uff24\uff30") == "GDP"


def test_ascii_punctuation_restored_only_in_a_damaged_file() -> None:
    # 107 甘肃 p1-p2 as its text layer gives them
    damaged = [
        "各市、自治州人民政府,兰州新区管委会,省政府各部门,中央",
        "在甘各单位:",
        "现将 «关于加快建立健全绿色低碳循环发展经济体系的实施",
        "方案»印发你们,请认真贯彻执行.",
        "济体系的指导意见» (国发 〔２０２１〕４号),结合实际,制定本",
    ]
    assert ascii_punctuation_damage(damaged * 2)  # a file: ten marks at least
    assert [restore_punctuation(t) for t in damaged] == [
        "各市、自治州人民政府，兰州新区管委会，省政府各部门，中央",
        "在甘各单位：",
        "现将 《关于加快建立健全绿色低碳循环发展经济体系的实施",
        "方案》印发你们，请认真贯彻执行。",
        "济体系的指导意见》 （国发 〔２０２１〕４号），结合实际，制定本",
    ]
    # a sound file that uses ASCII in numbers and lists is left alone
    sound = ["到2025年，PM2.5浓度下降10%，", "1.构建长江生态绿色廊道。", "3.5亿千瓦，2:1"] * 5
    assert not ascii_punctuation_damage(sound)


# 108 青海 as its text layer gives it (``policykg text``): ꎬ ꎮ ꎻ are GB2312's ， ． ； codes
# taken as code points, which land in the Yi Syllables block
QINGHAI_108 = [
    "各市、 自治州人民政府ꎬ 省政府各委、 办、 厅、 局ꎬ 国家能源局",
    "们ꎬ 请结合实际ꎬ 认真抓好贯彻落实ꎮ",
    "(一 ) 指导思想ꎮ",
    "２０３０ 年并网规模达到 ４０００ 万千瓦左右ꎻ 在海西州格尔木、 茫崖、",
    "年并网规模达到 ６０００ 万千瓦左右ꎻ 在海北州刚察、 祁连、 海晏",
    "实践ꎻ 在 ２０３０ 年前完成存量煤电转调相机或紧急备用电源改造ꎬ",
]


def test_yi_punctuation_restored_in_a_damaged_file() -> None:
    assert yi_punctuation_damage(QINGHAI_108 * 2) == 20
    restored = [restore_yi_punctuation(t) for t in QINGHAI_108]
    assert restored == [
        "各市、 自治州人民政府， 省政府各委、 办、 厅、 局， 国家能源局",
        "们， 请结合实际， 认真抓好贯彻落实。",
        "(一 ) 指导思想。",
        "２０３０ 年并网规模达到 ４０００ 万千瓦左右； 在海西州格尔木、 茫崖、",
        "年并网规模达到 ６０００ 万千瓦左右； 在海北州刚察、 祁连、 海晏",
        "实践； 在 ２０３０ 年前完成存量煤电转调相机或紧急备用电源改造，",
    ]
    # one character for one: every offset into a line (its provenance) is kept
    assert [len(t) for t in restored] == [len(t) for t in QINGHAI_108]
    # the rest of GB2312's row-3 punctuation as its full-width mark
    assert restore_yi_punctuation("ꎨꎺꎿꎡꎩ") == "（：？！）"


def test_yi_punctuation_needs_enough_marks() -> None:
    assert not yi_punctuation_damage(QINGHAI_108[:2])  # five marks: not a file's damage
    assert not yi_punctuation_damage(["到２０２５年，细颗粒物下降１０％。"] * 20)


def test_a_text_in_yi_is_left_alone() -> None:
    # Nuosu (Liangshan Yi) text uses syllables all over the block, among them row-3 codes
    yi = ["ꆈꌠꁱꂷ ꎬꏂꉬ ꄮꈐ ꎮ", "ꆃꆹ ꑳꌦ ꎻꀕꁧ ꎬ ꐥꇁ ꎮ", "凉山彝族自治州ꎬ ꆃꆹꎮ"] * 5
    assert not yi_punctuation_damage(yi)
    # Yi radicals too
    assert not yi_punctuation_damage(["人民政府ꎬ 局ꎮ ꒐"] * 10)


def test_a_pdf_with_yi_punctuation_reads_its_sentences_and_targets(
        fixtures_dir: Path) -> None:
    # pages 1 and 9 of 108 青海 (tests/data/README.md): the notice, and the targets of (七)
    from policykg.loaders.corpus import load

    name = "qinghai_yi_punctuation.pdf"
    corpus = load([fixtures_dir / "pdf" / name])
    p004 = [p for p in corpus.problems if p.code == "P004"]
    assert [(p.span.file, p.span.page) for p in p004] == [(name, 1)]
    assert "35 full-width punctuation marks" in p004[0].message
    targets = sorted(corpus.targets, key=lambda t: t.line)
    assert [(t.value, t.unit, t.year, t.line, t.page) for t in targets] == [
        (4000.0, "万千瓦", 2030, 33, 2), (6000.0, "万千瓦", 2030, 35, 2)]
    # each target is its own clause, cut at ；, no longer the whole of (七) with ꎻ inside
    assert targets[1].text == ("在海西州格尔木、茫崖、德令哈、大柴旦、乌兰、都兰积极建设清洁能源"
                               "基地，到２０３０年并网规模达到６０００万千瓦左右；")
    assert not any(ch in t.indicator + t.text for t in targets for ch in "ꎬꎮꎻ")
