"""Metadata completed from the corpus: 文号 and dates a citing document prints (issue 10).

The paragraphs are the compilation's own text (line numbers in each record); the whole
compilation is checked by ``test_the_compilation_completes_the_one`` (slow).
"""

from __future__ import annotations

import dataclasses

import pytest

from policykg.loaders.inference import infer_metadata
from policykg.records import Citation, Corpus, DateSource, DocKind, Document, Paragraph, Relation

THE_ONE = "中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见"


def _doc(doc_id: str, title: str, *, number: str | None = None, date: str | None = None,
         paragraphs: tuple[Paragraph, ...] = ()) -> Document:
    return Document(id=doc_id, part=None, chapter=None, seq=None, kind=DocKind.CENTRAL_POLICY,
                    title=title, doc_number=number, date=date,
                    date_source=None if date is None else DateSource.HEADER,
                    year=None if date is None else int(date[:4]), issuers=(), url=None,
                    start_line=1, end_line=2, file="compilation-2022.txt",
                    paragraphs=paragraphs)


def _para(lines: list[tuple[int, str]]) -> Paragraph:
    offsets, text = [], ""
    for number, part in lines:
        offsets.append((len(text), number))
        text += part
    return Paragraph(text=text, start_line=lines[0][0], end_line=lines[-1][0],
                     offsets=tuple(offsets))


# lines 39302-39304 (p4-c6-6.4, 2022-03-04), wrapped as printed
NEIMENGGU = _para([
    (39302, "为深入贯彻落实《中共中央 国务院关于完整准确全面贯彻新发"),
    (39304, "展理念做好碳达峰碳中和工作的意见》（中发〔2021〕36号）、《国务"),
])
# lines 42816-42818 (p5-c3-3.2): the date before the verb that issued it
ENTERPRISE = _para([
    (42816, "年，2021年 9月 22日，中国发布了《关于完整准确全面贯彻新发展"),
    (42818, "理念，做好碳达峰碳中和工作的意见》和《2030年前碳达峰行动方"),
])


def _cites(doc_id: str, line: int, title: str, cited: str) -> Citation:
    return Citation(doc_id=doc_id, line=line, cited_title=title, cited_doc_id=cited,
                    external_id=None, relation=Relation.IMPLEMENTS)


def test_the_one_takes_its_number_and_date_from_the_documents_citing_it() -> None:
    one = _doc("p2-1.3", THE_ONE)
    citing = _doc("p4-c6-6.4", "内蒙古…意见", date="2022-03-04", paragraphs=(NEIMENGGU,))
    plan = _doc("p5-c3-3.2", "企业方案", date="2022-06-01", paragraphs=(ENTERPRISE,))
    citations = [
        _cites("p4-c6-6.4", 39302, THE_ONE, "p2-1.3"),
        _cites("p5-c3-3.2", 42816, "关于完整准确全面贯彻新发展理念，做好碳达峰碳中和工作的意见",
               "p2-1.3"),
    ]
    out = infer_metadata([one, citing, plan], citations)[0]
    assert (out.doc_number, out.date, out.year, out.date_source) == (
        "中发〔2021〕36号", "2021-09-22", 2021, DateSource.CITED)
    number, date = out.inferred
    assert (number.field, number.doc_id, number.line) == ("doc_number", "p4-c6-6.4", 39302)
    assert number.text == f"《{THE_ONE}》（中发〔2021〕36号）"
    assert (date.field, date.doc_id, date.line) == ("date", "p5-c3-3.2", 42816)
    assert date.text.startswith("2021年 9月 22日，中国发布了《")


def test_a_printed_value_always_wins() -> None:
    one = _doc("p2-1.3", THE_ONE, number="中发〔2021〕99号")
    citing = _doc("p4-c6-6.4", "x", date="2022-03-04", paragraphs=(NEIMENGGU,))
    out = infer_metadata([one, citing], [_cites("p4-c6-6.4", 39302, THE_ONE, "p2-1.3")])[0]
    assert (out.doc_number, out.inferred) == ("中发〔2021〕99号", ())


def test_a_value_newer_than_the_citing_document_is_refused() -> None:
    one = _doc("p2-1.3", THE_ONE)
    citing = _doc("p4-c6-6.4", "x", date="2020-12-01", paragraphs=(NEIMENGGU,))
    out = infer_metadata([one, citing], [_cites("p4-c6-6.4", 39302, THE_ONE, "p2-1.3")])[0]
    assert out.doc_number is None


def test_citing_documents_that_disagree_evenly_decide_nothing() -> None:
    one = _doc("p2-1.3", THE_ONE)
    other = dataclasses.replace(
        NEIMENGGU, text=NEIMENGGU.text.replace("36号", "37号"))
    a = _doc("a", "x", date="2022-03-04", paragraphs=(NEIMENGGU,))
    b = _doc("b", "y", date="2022-03-04", paragraphs=(other,))
    citations = [_cites("a", 39302, THE_ONE, "p2-1.3"), _cites("b", 39302, THE_ONE, "p2-1.3")]
    assert infer_metadata([one, a, b], citations)[0].inferred == ()


def test_an_unresolved_citation_gives_nothing() -> None:
    one = _doc("p2-1.3", THE_ONE)
    citing = _doc("p4-c6-6.4", "x", date="2022-03-04", paragraphs=(NEIMENGGU,))
    unresolved = dataclasses.replace(_cites("p4-c6-6.4", 39302, THE_ONE, "p2-1.3"),
                                     cited_doc_id=None, external_id="ext-1")
    assert [d.inferred for d in infer_metadata([one, citing], [unresolved])] == [(), ()]


def test_a_title_resolved_to_a_document_gives_it_the_number_printed_after_it() -> None:
    # line 39304: 《国务院关于印发2030年前碳达峰行动方案的通知》（国发〔2021〕23号） resolves to
    # the plan the notice publishes, which takes the notice's 文号 (as issue 11's 附件 do)
    plan = _doc("p2-1.4", "2030年前碳达峰行动方案")
    para = _para([(39304, "《国务院关于印发 2030年前碳达峰行动方案的通知》（国发〔2021〕23号）")])
    citing = _doc("p4-c6-6.4", "x", date="2022-03-04", paragraphs=(para,))
    out = infer_metadata([plan, citing], [_cites(
        "p4-c6-6.4", 39304, "国务院关于印发2030年前碳达峰行动方案的通知", "p2-1.4")])
    assert out[0].doc_number == "国发〔2021〕23号"


@pytest.mark.slow
def test_the_compilation_completes_the_one(compilation_corpus: Corpus) -> None:
    docs = {d.id: d for d in compilation_corpus.documents}
    assert (docs["p2-1.3"].doc_number, docs["p2-1.3"].date) == ("中发〔2021〕36号", "2021-09-22")
    # line 27197 (p3-c9-9.2): 《2030年前碳达峰行动方案》（国发〔2021〕23号）
    assert docs["p2-1.4"].doc_number == "国发〔2021〕23号"
    assert [(i.doc_id, i.line) for i in docs["p2-1.4"].inferred] == [("p3-c9-9.2", 27197)]
    # where a document prints its 文号 and is cited with one, the two agree
    for doc in compilation_corpus.documents:
        assert all(i.field not in ("doc_number", "date") or i.value for i in doc.inferred)


def _title_regex_spans(title: str, text: str) -> list[tuple[int, int]]:
    """The regex the scan replaced: the cited title with any spaces between its characters."""
    import re

    chars = re.sub(r"\s+", "", title)
    pattern = re.compile(r"《\s*" + r"\s*".join(re.escape(ch) for ch in chars) + r"\s*》")
    return [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize(("title", "text"), [
    # line 39304: 《中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见》
    ("中共中央国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见",
     "根据《中共中央 国务院关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的意见》"
     "（中发〔2021〕36号）"),
    ("2030年前碳达峰行动方案", "《2030年前碳达峰 行动方案》和《 2030年前碳达峰行动方案 》"),
    ("行动方案", "《行动》《行动方案《行动方案》》"),
    ("", "《》《 》"),
])
def test_title_spans_are_the_regexs(title: str, text: str) -> None:
    from policykg.loaders.inference import _title_spans

    assert list(_title_spans(title, text)) == _title_regex_spans(title, text)
    assert _title_regex_spans(title, text)


def test_title_spans_are_the_regexs_on_any_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from policykg.loaders.inference import _title_spans

    chars = st.sampled_from("《》 \u3000\n碳达峰方案")

    @settings(max_examples=500, deadline=None)
    @given(st.text(chars, max_size=6), st.text(chars, max_size=40))
    def same(title: str, text: str) -> None:
        assert list(_title_spans(title, text)) == _title_regex_spans(title, text)

    same()
