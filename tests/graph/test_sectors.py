"""Tests for ontology/sectors.ttl and graph.sectors: the SKOS scheme and sector tagging."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from policykg.errors import RegistryError
from policykg.graph.iris import sector_iri
from policykg.graph.sectors import (
    SECTOR_BASE,
    Sector,
    load_sectors,
    match_sectors,
    match_terms,
    tag_document,
    tag_sectors,
    tag_text,
)
from policykg.loaders.documents import LoadedDocuments
from policykg.ontology import SECTORS_PATH
from policykg.records import Corpus, Direction, DocKind, Document, Paragraph, Target, Task

SCHEME = URIRef(SECTOR_BASE)


@pytest.fixture(scope="module")
def scheme() -> Graph:
    return Graph().parse(SECTORS_PATH, format="turtle")


def _doc(title: str, body: str = "", doc_id: str = "p3-c4-4.5") -> Document:
    paragraphs = (
        (Paragraph(text=body, start_line=21260, end_line=21260, offsets=((0, 21260),)),)
        if body
        else ()
    )
    return Document(
        id=doc_id, part=3, chapter=None, seq=None, kind=DocKind.MINISTRY_POLICY, title=title,
        doc_number=None, date=None, date_source=None, year=None, issuers=(), url=None,
        start_line=21252, end_line=21628, file="compilation-2022.txt", paragraphs=paragraphs,
    )


def test_scheme_is_skos(scheme: Graph) -> None:
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in scheme
    concepts = set(scheme.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 20
    for concept in concepts:
        assert (concept, SKOS.inScheme, SCHEME) in scheme, concept
        langs = {lit.language for lit in scheme.objects(concept, SKOS.prefLabel)
                 if isinstance(lit, Literal)}
        assert langs == {"zh", "en"}, concept
        assert scheme.value(concept, SKOS.definition) is not None, concept
        assert any(True for _ in scheme.objects(concept, SKOS.hiddenLabel)), concept
        top = (concept, SKOS.topConceptOf, SCHEME) in scheme
        assert top != (scheme.value(concept, SKOS.broader) is not None), concept


@pytest.mark.parametrize(
    ("slug", "broader"),
    [
        pytest.param("steel", "industry", id="steel-under-industry"),
        pytest.param("nonferrous-metals", "industry", id="nonferrous-under-industry"),
        pytest.param("building-materials", "industry", id="building-materials-under-industry"),
        pytest.param("petrochemicals", "industry", id="petrochemicals-under-industry"),
        pytest.param("carbon-market", "pricing-markets", id="carbon-trading-under-markets"),
        pytest.param("renewable-energy", "energy", id="renewables-under-energy"),
        pytest.param("finance", None, id="finance-top"),
    ],
)
def test_broader(slug: str, broader: str | None) -> None:
    by_slug = {s.slug: s for s in load_sectors()}
    assert by_slug[slug].broader == broader


def test_sector_iris_match_graph_iris() -> None:
    for sector in load_sectors():
        assert str(sector_iri(sector.slug)) == SECTOR_BASE + sector.slug


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "推进钢铁、水泥、焦化行业及燃煤锅炉超低排放改造",  # line 5993
            {"steel", "building-materials", "industry", "coal", "energy", "pollution-reduction"},
            id="task-line-5993",
        ),
        pytest.param("非化石能源消费比重", {"energy"}, id="indicator-energy"),
        pytest.param("森林蓄积量", {"carbon-sinks"}, id="indicator-forest"),
        pytest.param("新能源汽车新车销售量", {"transport", "renewable-energy", "energy"},
                     id="indicator-new-energy-vehicles"),
        pytest.param("全国碳排放权交易市场", {"carbon-market", "pricing-markets"},
                     id="carbon-market-broader"),
        pytest.param("二氧化碳排放达峰", set(), id="no-sector"),
    ],
)
def test_tag_text(text: str, expected: set[str]) -> None:
    tags = tag_text("t", text, load_sectors())
    assert {t.sector for t in tags} == expected
    assert all(t.terms for t in tags)


def test_longest_term_wins() -> None:
    tags = {t.sector: t.terms for t in tag_text("t", "新能源汽车", load_sectors())}
    assert tags["transport"] == ("新能源汽车",)


def test_document_title_is_evidence() -> None:
    tags = {t.sector: t.terms for t in tag_document(_doc("关于促进钢铁工业高质量发展的指导意见"),
                                                    load_sectors())}
    assert tags["steel"] == ("钢铁",)
    assert tags["industry"] == ("工业", "钢铁")


def test_document_body_needs_enough_evidence() -> None:
    once = _doc("关于促进制造业有序转移的指导意见", "推动能源资源节约集约利用。")
    assert "energy" not in {t.sector for t in tag_document(once, load_sectors())}
    dense = _doc("关于促进制造业有序转移的指导意见", "能源、电力、节能。" * 10)
    assert "energy" in {t.sector for t in tag_document(dense, load_sectors())}


def test_tag_sectors_covers_documents_tasks_targets() -> None:
    task = Task(
        id="p2-1.4-t1", doc_id="p2-1.4", text="大力发展新能源", section=(), lead=(),
        participants=(), collective=(), etc=False, jurisdiction=None, raw="", start_line=4660,
        end_line=4660,
    )
    target = Target(
        id="p2-1.4-g1", doc_id="p2-1.4", indicator="森林覆盖率", value=25.0, unit="%",
        direction=Direction.REACH, approx=True, year=2030, base_year=None, text="", line=4687,
    )
    corpus = Corpus(documents=(_doc("2030年前碳达峰行动方案", doc_id="p2-1.4"),), tasks=(task,),
                    targets=(target,))
    subjects = {(t.subject_id, t.sector) for t in tag_sectors(corpus)}
    assert ("p2-1.4-t1", "renewable-energy") in subjects
    assert ("p2-1.4-g1", "carbon-sinks") in subjects
    assert not any(s == "p2-1.4" for s, _ in subjects)  # no sector term in that title, no body


def test_bad_scheme_raises_registry_error(tmp_path: Path) -> None:
    bad = tmp_path / "sectors.ttl"
    bad.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\nthis is not turtle",
                   encoding="utf-8")
    with pytest.raises(RegistryError, match="not valid Turtle"):
        load_sectors(bad)


@pytest.mark.slow
def test_every_national_policy_has_a_sector(compilation_docs: LoadedDocuments) -> None:
    corpus = Corpus(documents=compilation_docs.documents)
    tagged = {t.subject_id for t in tag_sectors(corpus)}
    national = [d for d in corpus.documents
                if d.kind in (DocKind.CENTRAL_POLICY, DocKind.MINISTRY_POLICY)]
    assert len(national) > 50
    missing = [d.title for d in national if d.id not in tagged]
    assert missing == []


def _per_sector(text: str, sectors: tuple[Sector, ...]) -> dict[str, dict[str, int]]:
    """The reference: each sector's own scan."""
    return {s.slug: counts for s in sectors if (counts := match_terms(text, s))}


def test_match_sectors_is_each_sectors_own_scan_on_the_compilation() -> None:
    sectors = load_sectors()
    lines = (Path(__file__).parents[2] / "data" / "compilation-2022.txt").read_text(
        encoding="utf-8").split("\n")
    blocks = ["".join(lines[k:k + 400]) for k in range(0, len(lines), 400)]
    found = [match_sectors(block, sectors) for block in blocks]
    assert found == [_per_sector(block, sectors) for block in blocks]
    # the blocks hold terms of most sectors, and terms inside longer ones (新能源汽车)
    assert len({slug for f in found for slug in f}) >= 25
    assert sum(f.get("transport", {}).get("新能源汽车", 0) for f in found) > 20


_ALPHABET = "新能源汽车电池氢"


def _sector(slug: str, terms: list[str]) -> Sector:
    return Sector(slug=slug, label_zh=slug, label_en=slug, broader=None,
                  terms=tuple(sorted(set(terms), key=lambda t: (-len(t), t))))


@given(
    st.lists(st.lists(st.text(_ALPHABET, min_size=1, max_size=4), min_size=1, max_size=5),
             min_size=1, max_size=4),
    st.text(_ALPHABET + "，。", max_size=60),
)
def test_match_sectors_is_each_sectors_own_scan(terms: list[list[str]], text: str) -> None:
    # few characters: terms of different sectors nest, overlap and prefix one another
    sectors = tuple(_sector(f"s{k}", t) for k, t in enumerate(terms))
    assert match_sectors(text, sectors) == _per_sector(text, sectors)


def test_match_sectors_counts_a_term_inside_another_sectors_match() -> None:
    sectors = (_sector("car", ["新能源汽车", "汽车"]), _sector("energy", ["能源", "新能源"]))
    assert match_sectors("新能源汽车和汽车", sectors) == {
        "car": {"新能源汽车": 1, "汽车": 1}, "energy": {"新能源": 1}}
    assert match_sectors("无关文本", sectors) == {}
    assert match_sectors("新能源", ()) == {}
