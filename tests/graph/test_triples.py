"""graph.triples: N-Triples lines written as rdflib writes them, per document, sorted on disk."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.plugins.serializers.nt import _quoteLiteral

from policykg.graph import triples
from policykg.graph.build import build_graph
from policykg.graph.export import sorted_ntriples
from policykg.records import Corpus


@pytest.mark.parametrize("x", [0.1, 20.0, 100.0, 1e-7, 2.5e10, 1e21, 3.0, 12345678.9, 0.00012,
                               -1.5, 65.0, 1.0e-3])
def test_decimal_is_rdflib_lexical_form(x: float) -> None:
    assert triples._decimal(x) == _quoteLiteral(Literal(Decimal(repr(x)), datatype=XSD.decimal))


@pytest.mark.parametrize(("ours", "theirs"), [
    (triples._bool(True), Literal(True)),
    (triples._bool(False), Literal(False)),
    (triples._int(7), Literal(7, datatype=XSD.integer)),
    (triples._gyear(2030), Literal("2030", datatype=XSD.gYear)),
    (triples.date_term("2022-01-30"), Literal("2022-01-30", datatype=XSD.date)),
    (triples.date_term("2021-10"), Literal("2021-10", datatype=XSD.gYearMonth)),
    (triples.literal('国发〔2021〕23号 "x" \\ \n \r'), Literal('国发〔2021〕23号 "x" \\ \n \r')),
    (triples.lang_literal("碳达峰\t行动"), Literal("碳达峰\t行动", lang="zh")),
    (triples.typed_literal("https://x.cn/a b", triples.XSD_ANYURI),
     Literal("https://x.cn/a b", datatype=XSD.anyURI)),
])
def test_literals_are_written_as_rdflib_writes_them(ours: str, theirs: Literal) -> None:
    assert ours == _quoteLiteral(theirs)


def test_text_round_trips_through_rdflib_byte_for_byte(corpus: Corpus) -> None:
    text = triples.ntriples_text(corpus)
    assert text.endswith(" .\n")
    again = sorted_ntriples(rdflib.Graph().parse(data=text, format="nt"))
    assert again == text


def test_build_graph_holds_exactly_the_lines(corpus: Corpus) -> None:
    g = build_graph(corpus)
    assert len(g) == len(triples.ntriples_text(corpus).splitlines())


def test_batches_cover_the_graph_and_each_document_holds_its_tasks(corpus: Corpus) -> None:
    batches = dict(triples.corpus_batches(corpus))
    assert set(batches) >= {d.id for d in corpus.documents} | {"#shared"}
    union = {line for lines in batches.values() for line in lines}
    assert "".join(sorted(union)) == triples.ntriples_text(corpus)
    task = corpus.tasks[0]
    subject = f"<https://w3id.org/policykg/task/{task.id}> "
    assert any(line.startswith(subject) for line in batches[task.doc_id])
    others = (lines for key, lines in batches.items() if key != task.doc_id)
    assert not any(line.startswith(subject) for lines in others for line in lines)


def test_write_sorted_merges_runs_like_one_sort(tmp_path: Path, corpus: Corpus) -> None:
    lines = list(triples.corpus_lines(corpus))
    one, runs = tmp_path / "one.nt", tmp_path / "runs.nt"
    n = triples.write_sorted(lines, one)
    m = triples.write_sorted(lines, runs, chunk=50)  # many runs, duplicates across them
    assert n == m == len(set(lines))
    assert one.read_bytes() == runs.read_bytes() == triples.ntriples_text(corpus).encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.nt", "runs.nt"]  # runs removed


def test_sector_scheme_lines_match_rdflib_parse_of_the_turtle() -> None:
    from policykg.ontology import SECTORS_PATH

    ours = "".join(sorted(set(triples.sector_scheme_lines())))
    theirs = sorted_ntriples(rdflib.Graph().parse(SECTORS_PATH, format="turtle"))
    assert ours == theirs


def test_an_inferred_doc_number_is_in_the_graph_with_its_citing_line(
    compilation_corpus: Corpus,
) -> None:
    """The "1" prints no 文号: the graph says 中发〔2021〕36号 was quoted from the citing line."""
    one = next(d for d in compilation_corpus.documents if d.id == "p2-1.3")
    taken = next(i for i in one.inferred if i.field == "doc_number")
    g = rdflib.Graph()
    g.parse(data="".join(triples.document_triples(one)), format="nt")
    rows = list(g.query(
        """SELECT ?fills ?value ?from ?file ?line WHERE {
             ?doc pkg:inferredValue ?n . ?n pkg:fills ?fills ; rdf:value ?value ;
               prov:wasQuotedFrom ?from ; prov:wasDerivedFrom ?span .
             ?span pkg:sourceFile ?file ; pkg:startLine ?line }""",
        initNs={"pkg": "https://w3id.org/policykg/ontology#",
                "prov": "http://www.w3.org/ns/prov#"},
    ))
    by_fill = {str(r[0]).rsplit("#", 1)[1]: r for r in rows}
    _fills, value, quoted, file, line = by_fill["id_local"]
    assert str(value) == "中发〔2021〕36号" == one.doc_number
    assert str(quoted) == f"https://w3id.org/policykg/doc/{taken.doc_id}"
    assert (str(file), int(line)) == ("compilation-2022.txt", taken.line)
    assert "中发〔2021〕36号" in taken.text


def test_an_untitled_document_says_so_in_rdf() -> None:
    # official_untitled_notice_fanchang.txt: 117 繁昌区, whose measures print no title
    from policykg.loaders.documents import load_documents

    fanchang = Path(__file__).resolve().parents[1] / "data" / "fixtures" / (
        "official_untitled_notice_fanchang.txt")
    _, measures = load_documents([fanchang]).documents
    lines = "".join(triples.inferred_triples(measures))
    node = f"<https://w3id.org/policykg/doc/{measures.id}/inferred/title>"
    assert f"{node} <https://w3id.org/policykg/ontology#fills> " \
           "<http://data.europa.eu/eli/ontology#title> ." in lines
    assert f'{node} <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ' \
           '"繁昌区节能降碳若干支持措施"@zh .' in lines
