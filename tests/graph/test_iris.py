"""IRIs come from record identity, are readable, and parse back to the ids."""

from __future__ import annotations

import pytest
import rdflib
from hypothesis import given
from hypothesis import strategies as st
from rdflib.namespace import RDF

from policykg.graph import iris
from policykg.records import Section, Span


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        pytest.param(iris.doc_iri("p2-01"), "doc/p2-01", id="doc"),
        pytest.param(iris.section_iri("p2-01", 3), "doc/p2-01/section/3", id="section"),
        pytest.param(iris.task_iri("p2-01-t7"), "task/p2-01-t7", id="task"),
        pytest.param(iris.agency_iri("国家能源局"), "agency/国家能源局", id="agency-cjk-kept"),
        pytest.param(iris.target_iri("p2-01-g1"), "target/p2-01-g1", id="target"),
        pytest.param(iris.external_iri("ext-1"), "external/ext-1", id="external"),
        pytest.param(iris.sector_iri("energy"), "sector/energy", id="sector"),
        pytest.param(iris.jurisdiction_iri("宁夏"), "jurisdiction/宁夏", id="jurisdiction"),
        pytest.param(
            iris.span_iri(Span(file="compilation-2022.txt", start_line=31052, end_line=31054)),
            "source/compilation-2022.txt/31052-31054",
            id="span",
        ),
    ],
)
def test_iri_shapes(iri: object, expected: str) -> None:
    assert str(iri) == iris.BASE + expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("a/b", "a%2Fb", id="slash-escaped"),
        pytest.param("国发〔2021〕4号", "国发〔2021〕4号", id="doc-number-cjk-brackets-kept"),
        pytest.param("x y", "x%20y", id="space"),
        pytest.param("a\u3000b", "a%E3%80%80b", id="ideographic-space"),
        pytest.param('a"<b>', "a%22%3Cb%3E", id="turtle-unsafe"),
    ],
)
def test_segment_escapes_unsafe_characters(raw: str, expected: str) -> None:
    assert iris.segment(raw) == expected


def test_empty_segment_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        iris.segment("")


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        pytest.param(iris.doc_iri("a/b"), ("doc", "a/b"), id="doc-with-slash"),
        pytest.param(iris.agency_iri("北京市 发改委"), ("agency", "北京市 发改委"), id="agency"),
        pytest.param(iris.section_iri("d1", "2.1"), ("section", "d1/2.1"), id="section"),
        pytest.param(iris.citation_iri("d1", 40, 2), ("citation", "d1/40-2"), id="citation"),
    ],
)
def test_parse_iri_round_trip(iri: str, expected: tuple[str, str]) -> None:
    assert iris.parse_iri(iri) == expected


@pytest.mark.parametrize("bad", ["http://example.org/doc/x", iris.BASE + "nope/x", iris.BASE])
def test_parse_iri_refuses_foreign(bad: str) -> None:
    with pytest.raises(ValueError, match="policykg"):
        iris.parse_iri(bad)


def test_section_iri_of_strips_doc_prefix() -> None:
    sec = Section(
        id="p2-01-s3", doc_id="p2-01", marker="三、", level=1, heading="三、重点任务",
        path=("三、重点任务",), start_line=10, end_line=20,
    )
    assert iris.section_iri_of(sec) == iris.section_iri("p2-01", "s3")


@given(st.text(min_size=1, max_size=30))
def test_any_id_round_trips_and_makes_a_valid_ntriples_iri(raw: str) -> None:
    iri = iris.doc_iri(raw)
    assert iris.parse_iri(iri) == ("doc", raw)
    g = rdflib.Graph()
    g.add((iri, RDF.type, iri))
    back = rdflib.Graph().parse(data=g.serialize(format="nt"), format="nt")
    assert set(back) == set(g)


@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
def test_distinct_ids_give_distinct_iris(a: str, b: str) -> None:
    assert (iris.agency_iri(a) == iris.agency_iri(b)) == (a == b)
