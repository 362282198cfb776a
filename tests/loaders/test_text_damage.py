"""Text that PDFs damage: full-width digits for values and 文号, ASCII punctuation restored."""

from __future__ import annotations

import pytest

from policykg.loaders.lines import (
    ascii_punctuation_damage,
    halfwidth,
    normalise_doc_number,
    restore_punctuation,
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
