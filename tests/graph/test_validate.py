"""SHACL: a valid graph conforms; for each shape, a broken Turtle snippet is caught."""
# ruff: noqa: E501  (inline Turtle snippets and their one-place edits read best unwrapped)

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from policykg.errors import ShapeViolation
from policykg.graph import iris
from policykg.graph.build import build_graph
from policykg.graph.validate import validate
from policykg.recordio import read_corpus

MINI = Path(__file__).resolve().parent.parent / "data" / "fixtures" / "graph_mini"

PREFIXES = """
@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix doc: <https://w3id.org/policykg/doc/> .
@prefix agency: <https://w3id.org/policykg/agency/> .
@prefix src: <https://w3id.org/policykg/source/compilation-2022.txt/> .
"""

# One resource of every class, valid (values from compilation lines 5942-6096 and 15683-16508).
VALID = """
doc:p2-1.6 a eli:LegalResource ; eli:title "“十四五”节能减排综合工作方案"@zh ;
    pkg:kind "central_policy" ; pkg:part 2 ; pkg:seq "1.6" ;
    eli:passed_by agency:国务院 ; prov:wasDerivedFrom src:5942-6493 .
doc:p3-2.4 a eli:LegalResource ; eli:title "关于完善能源绿色低碳转型体制机制和政策措施的意见"@zh ;
    pkg:kind "ministry_policy" ; eli:id_local "发改能源〔2022〕206号" ;
    eli:date_document "2022-01-30"^^xsd:date ; eli:based_on doc:p2-1.6 ;
    eli:cites <https://w3id.org/policykg/external/x> ; prov:wasDerivedFrom src:15683-16508 .
<https://w3id.org/policykg/external/x> a pkg:ExternalPolicy ; eli:title "联合国气候变化框架公约"@zh .
<https://w3id.org/policykg/doc/p2-1.6/section/s3> a pkg:Section ; eli:is_part_of doc:p2-1.6 ;
    eli:title "三、实施节能减排重点工程"@zh ; eli:number "三、" ; pkg:depth 1 ;
    prov:wasDerivedFrom src:5985-6200 .
agency:国务院 a org:Organization ; skos:prefLabel "国务院"@zh ; pkg:level "central" .
agency:交通运输部 a org:Organization ; skos:prefLabel "交通运输部"@zh ; pkg:level "central" ;
    org:subOrganizationOf agency:国务院 ;
    pkg:jurisdiction <https://w3id.org/policykg/jurisdiction/全国> .
<https://w3id.org/policykg/jurisdiction/全国> a dcterms:Jurisdiction ; rdfs:label "全国"@zh .
<https://w3id.org/policykg/task/t1> a pkg:Task ; pkg:assignedBy doc:p2-1.6 ;
    pkg:statedIn <https://w3id.org/policykg/doc/p2-1.6/section/s3> ;
    dcterms:description "推动绿色铁路、绿色公路、绿色港口、绿色航道、绿色机场建设。"@zh ;
    pkg:leadAgency agency:交通运输部 ; pkg:etAl true ; pkg:leadBasis "marked" ;
    pkg:sector <https://w3id.org/policykg/sector/transport> ; prov:wasDerivedFrom src:6056-6096 .
<https://w3id.org/policykg/sector/transport> a skos:Concept ; skos:prefLabel "交通运输"@zh .
<https://w3id.org/policykg/target/g1> a pkg:Target ; pkg:assignedBy doc:p2-1.6 ;
    pkg:indicator "新能源汽车新车销售量占比"@zh ; pkg:value 20.0 ; pkg:unit "%" ;
    pkg:direction "reach" ; pkg:approx true ; pkg:targetYear "2025"^^xsd:gYear ;
    dcterms:description "到2025年，新能源汽车新车销售量达到汽车新车销售总量的20%左右"@zh ;
    prov:wasDerivedFrom src:6088-6088 .
<https://w3id.org/policykg/doc/p3-2.4/citation/15709-0> a rdf:Statement ;
    rdf:subject doc:p3-2.4 ; rdf:predicate eli:based_on ; rdf:object doc:p2-1.6 ;
    oa:hasSelector <https://w3id.org/policykg/doc/p3-2.4/citation/15709-0#quote> ;
    prov:wasDerivedFrom src:15709-15709 .
<https://w3id.org/policykg/doc/p3-2.4/citation/15709-0#quote> a oa:TextQuoteSelector ;
    oa:exact "2030年前碳达峰行动方案"@zh .
src:5942-6493 a pkg:SourceSpan ; pkg:sourceFile "compilation-2022.txt" ; pkg:startLine 5942 ; pkg:endLine 6493 .
src:15683-16508 a pkg:SourceSpan ; pkg:sourceFile "compilation-2022.txt" ; pkg:startLine 15683 ; pkg:endLine 16508 .
src:5985-6200 a pkg:SourceSpan ; pkg:sourceFile "compilation-2022.txt" ; pkg:startLine 5985 ; pkg:endLine 6200 .
src:6056-6096 a pkg:SourceSpan ; pkg:sourceFile "compilation-2022.txt" ; pkg:startLine 6056 ; pkg:endLine 6096 .
src:6088-6088 a pkg:SourceSpan ; pkg:sourceFile "compilation-2022.txt" ; pkg:startLine 6088 ; pkg:endLine 6088 .
src:15709-15709 a pkg:SourceSpan ; pkg:sourceFile "compilation-2022.txt" ; pkg:startLine 15709 ; pkg:endLine 15709 .
"""


def _graph(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + text, format="turtle")


def test_valid_snippet_conforms() -> None:
    report = validate(_graph(VALID))
    assert report.conforms, report.text
    assert report.violations == ()


# (old, new): a one-place edit of VALID that breaks exactly one shape
BROKEN = [
    pytest.param('pkg:kind "central_policy" ;', "", "DocumentShape", id="document-without-kind"),
    pytest.param('pkg:kind "central_policy"', 'pkg:kind "law"', "DocumentShape", id="document-bad-kind"),
    pytest.param('"2022-01-30"^^xsd:date', '"2022-01-30"', "DocumentShape", id="document-date-as-string"),
    pytest.param("eli:passed_by agency:国务院 ;", "eli:passed_by agency:国务院 , agency:不存在 ;",
                 "DocumentShape", id="document-issuer-not-an-agency"),
    pytest.param("pkg:part 2 ;", "pkg:part 7 ;", "DocumentShape", id="document-part-out-of-range"),
    pytest.param("eli:passed_by agency:国务院 ;", "eli:responsibility_of agency:国务院 ;",
                 "DocumentShape", id="document-uses-responsibility_of"),
    pytest.param("pkg:seq \"1.6\" ;\n    eli:passed_by agency:国务院 ; prov:wasDerivedFrom src:5942-6493 .",
                 "pkg:seq \"1.6\" ;\n    eli:passed_by agency:国务院 .",
                 "provenance", id="document-without-provenance"),
    pytest.param('a pkg:ExternalPolicy ; eli:title "联合国气候变化框架公约"@zh .',
                 "a pkg:ExternalPolicy .", "ExternalPolicyShape", id="external-without-title"),
    pytest.param("eli:is_part_of doc:p2-1.6 ;", "", "SectionShape", id="section-orphan"),
    pytest.param("pkg:depth 1 ;", "pkg:depth 0 ;", "SectionShape", id="section-depth-zero"),
    pytest.param('eli:title "三、实施节能减排重点工程"@zh ; eli:number "三、" ;', "",
                 "SectionShape", id="section-without-heading-or-marker"),
    pytest.param('eli:title "三、实施节能减排重点工程"@zh ;', 'eli:title ""@zh ;',
                 "SectionShape", id="section-empty-heading"),
    pytest.param('skos:prefLabel "国务院"@zh ;', "", "AgencyShape", id="agency-without-name"),
    pytest.param('pkg:level "central" ;\n    org:subOrganizationOf', 'pkg:level "national" ;\n    org:subOrganizationOf',
                 "AgencyShape", id="agency-bad-level"),
    pytest.param("org:subOrganizationOf agency:国务院 ;", "org:subOrganizationOf agency:国务 ;",
                 "AgencyShape", id="agency-parent-unknown"),
    pytest.param('a dcterms:Jurisdiction ; rdfs:label "全国"@zh .', "a dcterms:Jurisdiction .",
                 "JurisdictionShape", id="jurisdiction-without-label"),
    pytest.param("pkg:assignedBy doc:p2-1.6 ;\n    pkg:statedIn", "pkg:statedIn",
                 "TaskShape", id="task-without-policy"),
    pytest.param("pkg:leadAgency agency:交通运输部 ; pkg:etAl true ;", "pkg:etAl true ;",
                 "TaskShape", id="task-names-nobody"),
    pytest.param("pkg:leadAgency agency:交通运输部 ;", 'pkg:leadAgency "交通运输部" ;',
                 "TaskShape", id="task-lead-is-a-literal"),
    pytest.param('pkg:leadBasis "marked"', 'pkg:leadBasis "comma"',
                 "TaskShape", id="task-lead-basis-not-marked-nor-convention"),
    pytest.param('pkg:targetYear "2025"^^xsd:gYear', 'pkg:targetYear "2025-01-01"^^xsd:date',
                 "TargetShape", id="target-year-invented-day"),
    pytest.param('pkg:direction "reach"', 'pkg:direction "up"', "TargetShape", id="target-bad-direction"),
    pytest.param("pkg:approx true ; pkg:targetYear", "pkg:targetYear", "TargetShape",
                 id="target-without-approx"),
    pytest.param("rdf:predicate eli:based_on", "rdf:predicate pkg:leadAgency", "CitationShape",
                 id="citation-bad-predicate"),
    pytest.param('oa:exact "2030年前碳达峰行动方案"@zh', 'oa:exact ""@zh', "QuoteSelectorShape",
                 id="quote-selector-empty"),
    pytest.param("pkg:startLine 6088 ; pkg:endLine 6088", "pkg:startLine 6089 ; pkg:endLine 6088",
                 "SourceSpanShape", id="span-ends-before-start"),
    pytest.param("pkg:startLine 5942 ;", 'pkg:startLine "5942" ;', "SourceSpanShape",
                 id="span-line-as-string"),
    pytest.param("pkg:statedIn <https://w3id.org/policykg/doc/p2-1.6/section/s3> ;",
                 "pkg:statedIn <https://w3id.org/policykg/doc/p2-1.6/section/s3> ;\n    pkg:assignedBy doc:p3-2.4 ;",
                 "TaskShape", id="task-two-policies"),
    pytest.param("pkg:assignedBy doc:p2-1.6 ;\n    pkg:statedIn", "pkg:assignedBy doc:p3-2.4 ;\n    pkg:statedIn",
                 "StatedInOwnPolicy", id="task-section-of-another-policy"),
    pytest.param('skos:prefLabel "国务院"@zh ; pkg:level "central" .',
                 'skos:prefLabel "国务院"@zh ; pkg:level "central" ; org:subOrganizationOf agency:交通运输部 .',
                 "AcyclicAgency", id="agency-parent-cycle"),
    pytest.param('a skos:Concept ; skos:prefLabel "交通运输"@zh .', "a skos:Concept .",
                 "SectorShape", id="sector-without-label"),
    pytest.param('<https://w3id.org/policykg/sector/transport> a skos:Concept ; skos:prefLabel "交通运输"@zh .',
                 "", "sector", id="sector-not-in-scheme"),
]


@pytest.mark.parametrize(("old", "new", "shape"), BROKEN)
def test_each_shape_catches_its_broken_snippet(old: str, new: str, shape: str) -> None:
    assert VALID.count(old) == 1, "the edit must apply at exactly one place"
    report = validate(_graph(VALID.replace(old, new)))
    assert not report.conforms
    assert shape in {v.shape.rsplit("#", 1)[-1] for v in report.violations}, report.text


def test_empty_indicator_is_a_warning_not_a_violation() -> None:
    report = validate(_graph(VALID.replace('"新能源汽车新车销售量占比"@zh', '""@zh')))
    assert report.conforms, report.text
    (w,) = report.warnings
    assert (w.severity, str(w.span)) == ("Warning", "compilation-2022.txt:6088")


def test_violation_carries_the_source_span_of_its_focus() -> None:
    report = validate(_graph(VALID.replace('pkg:direction "reach"', 'pkg:direction "up"')))
    (v,) = report.violations
    assert v.focus == "https://w3id.org/policykg/target/g1"
    assert str(v.span) == "compilation-2022.txt:6088"


def test_strict_raises_shape_violation_with_span() -> None:
    broken = _graph(VALID.replace("pkg:depth 1 ;", "pkg:depth 0 ;"))
    with pytest.raises(ShapeViolation, match="1 violation") as info:
        validate(broken, strict=True)
    assert str(info.value.span) == "compilation-2022.txt:5985-6200"


def test_mini_corpus_graph_conforms_once_sectors_are_in_the_scheme() -> None:
    g = build_graph(read_corpus(MINI))
    for slug, label in (("transport", "交通运输"), ("energy", "能源")):
        g.add((iris.sector_iri(slug), RDF.type, SKOS.Concept))
        g.add((iris.sector_iri(slug), SKOS.prefLabel, Literal(label, lang="zh")))
    report = validate(g)
    assert report.conforms, report.text


@pytest.mark.slow
def test_bundled_compilation_has_zero_violations() -> None:
    from policykg.pipeline import build, bundled_input

    result = build([bundled_input()], validate=False)
    report = validate(result.graph)
    assert report.violations == (), "\n".join(str(v) for v in report.violations[:20])
    assert report.conforms


@pytest.mark.parametrize(("edit", "shapes"), [
    (("pkg:assignedBy doc:p2-1.6 ;\n    pkg:statedIn", "pkg:assignedBy doc:p3-2.4 ;\n    pkg:statedIn"),
     {"StatedInOwnPolicy"}),
    (('skos:prefLabel "国务院"@zh ; pkg:level "central" .',
      'skos:prefLabel "国务院"@zh ; pkg:level "central" ; org:subOrganizationOf agency:交通运输部 .'),
     {"AcyclicAgency"}),
    # a literal that spells a checked property's IRI is not a triple of it
    (('skos:prefLabel "国务院"@zh ;',
      'skos:prefLabel "国务院"@zh ; rdfs:comment "<https://w3id.org/policykg/ontology#statedIn>" ;'),
     set()),
])
@pytest.mark.parametrize("newline", ["\n", ""])
def test_a_file_is_checked_as_its_lines_are(tmp_path: Path, edit: tuple[str, str],
                                            shapes: set[str], newline: str) -> None:
    # the whole-graph checks find a file's lines by a byte search, not line by line
    from policykg.graph.export import sorted_ntriples

    old, new = edit
    assert VALID.count(old) == 1
    text = sorted_ntriples(_graph(VALID.replace(old, new)))
    path = tmp_path / "graph.nt"
    path.write_text(text.rstrip("\n") + newline, encoding="utf-8")
    by_lines = validate(text.splitlines())
    by_file = validate(path)
    assert [(v.focus, v.path, v.shape) for v in by_file.violations] == [
        (v.focus, v.path, v.shape) for v in by_lines.violations]
    assert {v.shape.rsplit("#", 1)[-1] for v in by_file.violations} == shapes


@pytest.mark.parametrize("block", [1, 7, 64, 1 << 24])
def test_the_lines_naming_a_property_are_found_whatever_the_block(
    tmp_path: Path, block: int
) -> None:
    from policykg.graph.validate import _lines_naming

    lines = ['<a> <p> "x" .', "<b> <https://w3id.org/policykg/ontology#statedIn> <c> .",
             '<c> <q> "<https://w3id.org/policykg/ontology#statedIn>" .', "<d> <p> <e> ."]
    for end in ("\n", ""):
        path = tmp_path / "graph.nt"
        path.write_text("\n".join(lines) + end, encoding="utf-8")
        found = list(_lines_naming(path, ["<https://w3id.org/policykg/ontology#statedIn>",
                                          "<q>", "<e>"], block))
        assert found == lines[1:]
