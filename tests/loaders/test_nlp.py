"""Segmentation and agency mentions (the spaCy + jieba pipeline, offline)."""

from __future__ import annotations

import pytest

from loaders.agencies import Registry, load_registry
from loaders.nlp import build_pipeline, domain_words, find_agency_mentions, segment


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The packaged registry."""
    return load_registry()


@pytest.fixture(scope="session")
def zh_nlp(registry: Registry) -> object:
    """The blank zh pipeline with jieba, built once (as spaCy's zh_tokenizer_jieba)."""
    return build_pipeline(registry)


def test_pipeline_is_blank_zh_with_jieba_and_a_ruler(zh_nlp: object, registry: Registry) -> None:
    assert build_pipeline(registry) is zh_nlp
    assert zh_nlp.lang == "zh"  # type: ignore[attr-defined]
    assert zh_nlp.pipe_names == ["entity_ruler"]  # type: ignore[attr-defined]
    assert zh_nlp.tokenizer.segmenter == "jieba"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "word",
    [
        pytest.param("碳达峰", id="碳达峰"),
        pytest.param("碳中和", id="碳中和"),
        pytest.param("减污降碳", id="减污降碳"),
        pytest.param("非化石能源", id="非化石能源"),
    ],
)
def test_domain_words_stay_whole(zh_nlp: object, word: str) -> None:
    assert word in domain_words()
    # line 19056: 减污降碳协同增效实施方案
    assert word in segment(f"推进{word}协同增效工作")


@pytest.mark.parametrize(
    "name",
    ["国家发展改革委", "住房城乡建设部", "国管局", "宁东能源化工基地管委会", "人行南昌中心支行"],
)
def test_registry_names_stay_whole(zh_nlp: object, name: str) -> None:
    assert name in segment(f"由{name}负责")


def test_segment_drops_punctuation(zh_nlp: object) -> None:
    assert segment("碳达峰、碳中和。") == ["碳达峰", "碳中和"]


@pytest.mark.parametrize(
    ("text", "jurisdiction", "ids"),
    [
        pytest.param("由国家发展改革委、国家能源局负责牵头", None, ["ndrc", "nea"],
                     id="line8011-running-text"),
        pytest.param("浙江省经济和信息化厅 浙江省发展和改革委员会", None,
                     ["zhejiang-econ-it", "zhejiang-drc"], id="line36284-sign-off"),
        pytest.param("省发展改革委要会同有关部门强化统筹协调和督促指导", "jiangxi",
                     ["jiangxi-drc"], id="line36779-relative-in-jurisdiction"),
        pytest.param("联合省应急管理厅、能源局加强煤炭开采", "jiangsu",
                     ["jiangsu-emergency", "jiangsu-energy"], id="line33288-relative-names"),
        pytest.param("省发展改革委要会同有关部门强化统筹协调", None, [],
                     id="relative-without-jurisdiction-left-out"),
    ],
)
def test_find_agency_mentions(
    zh_nlp: object, registry: Registry, text: str, jurisdiction: str | None, ids: list[str]
) -> None:
    mentions = find_agency_mentions(text, registry, jurisdiction)
    assert [m.agency_id for m in mentions] == ids
    for m in mentions:
        assert text[m.start:m.end] == m.text


def test_segment_agrees_with_the_pipeline_tokenizer(zh_nlp: object) -> None:
    # line 6011: the 节能减排 plan's first annotation, as running text
    text = "工业和信息化部、国家发展改革委、生态环境部等按职责分工负责，推进减污降碳。"
    tokens = [t.text for t in zh_nlp.make_doc(text)]  # type: ignore[attr-defined]
    assert segment(text) == [t for t in tokens if t not in "、，。"]
