"""A file holding several unrelated documents is split, each split reported (L007).

Issue 11: "A file holding several documents is split"; issue 15: nothing merged silently.
The texts are real: two single-policy fixtures printed one after the other (as a user
concatenates notices copied from government websites), and two real PDF fixtures merged into
one PDF (a bundle of two separate documents). The dev corpus holds no such file: its 482
documents do not change (README, "Several documents in one file").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.loaders.documents import LoadedDocuments, load_documents
from policykg.loaders.official import document_starts
from policykg.records import BuildSummary, SourceLine


def _accounted(s: BuildSummary) -> int:
    return (s.blank_lines + s.artifact_lines + s.structure_lines + s.document_lines
            + s.unexplained_lines + s.repeated_lines)


def _text(fixtures_dir: Path, name: str) -> str:
    return (fixtures_dir / name).read_text(encoding="utf-8")


@pytest.fixture
def guofa(fixtures_dir: Path) -> str:
    """国发〔2021〕4号, 16 lines, signed 国务院 2021年2月2日, then its 附注."""
    return _text(fixtures_dir, "loader_folder/01-guofa-2021-4.txt")


@pytest.fixture
def ningxia(fixtures_dir: Path) -> str:
    """宁政发〔2021〕39号, 9 lines: its body quotes 国发〔2021〕4号's title and 文号."""
    return _text(fixtures_dir, "loader_folder/02-ningzhengfa-2021-39.txt")


def _load(tmp_path: Path, text: str, name: str = "two.txt") -> LoadedDocuments:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_documents([path])


def _heads(loaded: LoadedDocuments) -> list[tuple[str, str, str | None, str | None, int, int]]:
    return [(d.id, d.title, d.doc_number, d.date, d.start_line, d.end_line)
            for d in loaded.documents]


def test_two_policies_one_after_the_other_are_two_documents(guofa: str, ningxia: str,
                                                            tmp_path: Path) -> None:
    loaded = _load(tmp_path, guofa + ningxia)
    assert _heads(loaded) == [
        ("two", "关于加快建立健全绿色低碳循环发展经济体系的指导意见", "国发〔2021〕4号",
         "2021-02-02", 1, 16),
        ("two-2", "自治区人民政府关于加快建立健全绿色低碳循环发展经济体系的实施意见",
         "宁政发〔2021〕39号", "2021-12-31", 17, 25),
    ]
    first, second = loaded.documents
    assert (first.issuers, second.issuers) == (("国务院",), ("宁夏回族自治区人民政府",))
    assert (first.jurisdiction, second.jurisdiction) == (None, "宁夏回族自治区")
    assert second.official is not None
    assert second.official.addressees == "各市、县（区）人民政府，自治区政府各部门、各直属机构："
    # B's title, 文号 and body are no longer A's: A's sections stop at its sign-off
    assert all(s.end_line <= 16 for s in first.sections)
    assert first.paragraphs[-1].text == "（此件公开发布）"
    (split,) = loaded.problems
    assert (split.code, split.span.start_line, split.span.end_line) == ("L007", 17, 25)
    assert split.message == "file holds several documents: document 2 starts at line 17"
    assert split.excerpt == second.title
    (s,) = loaded.summaries
    assert (s.total_lines, s.document_lines, _accounted(s)) == (25, 25, 25)


def test_a_b_a_keeps_a_once_and_reports_the_copy_as_repeated(guofa: str, ningxia: str,
                                                             tmp_path: Path) -> None:
    loaded = _load(tmp_path, guofa + ningxia + guofa)
    assert [(d.doc_number, d.start_line, d.end_line) for d in loaded.documents] == [
        ("国发〔2021〕4号", 1, 16), ("宁政发〔2021〕39号", 17, 25)]
    assert sorted((p.code, p.message) for p in loaded.problems) == [
        ("L006", "document repeated in this file: lines 26-41 repeat lines 1-16"),
        ("L007", "file holds several documents: document 2 starts at line 17"),
    ]
    (s,) = loaded.summaries
    assert (s.total_lines, s.document_lines, s.repeated_lines, _accounted(s)) == (41, 25, 16, 41)


def test_a_b_and_a_differing_copy_is_a_third_document_reported_as_loaded_twice(
        guofa: str, ningxia: str, tmp_path: Path) -> None:
    # not line for line the same (another date): kept, and its title and 文号 reported (L005)
    other = guofa.replace("2021年2月2日", "2021年2月3日")
    loaded = _load(tmp_path, guofa + ningxia + other)
    assert [(d.id, d.date, d.start_line) for d in loaded.documents] == [
        ("two", "2021-02-02", 1), ("two-2", "2021-12-31", 17), ("two-3", "2021-02-03", 26)]
    assert [(p.code, p.span.start_line, p.message) for p in loaded.problems] == [
        ("L007", 17, "file holds several documents: document 2 starts at line 17"),
        ("L007", 26, "file holds several documents: document 3 starts at line 26"),
        ("L005", 26, "document loaded twice: two.txt:1 has the same title and 文号"),
    ]


def test_a_a_b_is_one_repeat_and_two_documents(guofa: str, ningxia: str,
                                               tmp_path: Path) -> None:
    loaded = _load(tmp_path, guofa + guofa + ningxia)
    assert [(d.doc_number, d.start_line, d.end_line) for d in loaded.documents] == [
        ("国发〔2021〕4号", 1, 16), ("宁政发〔2021〕39号", 33, 41)]
    assert sorted(p.message for p in loaded.problems) == [
        "document repeated in this file: lines 17-32 repeat lines 1-16",
        "file holds several documents: document 2 starts at line 33",
    ]


@pytest.fixture
def hubei(fixtures_dir: Path) -> str:
    """331: letterhead, 鄂环发〔2022〕12号, a covering notice and the 办法 it publishes, whose
    last article ends the file (a 附件 has no sign-off of its own)."""
    return _text(fixtures_dir, "split_hubei_notice_measures.txt")


def test_a_notice_and_its_annex_stay_linked_and_a_policy_after_them_is_split(
        hubei: str, ningxia: str, tmp_path: Path) -> None:
    alone = _load(tmp_path, hubei, "hubei.txt")
    assert [(d.id, d.start_line, d.end_line) for d in alone.documents] == [
        ("hubei-notice", 1, 8), ("hubei", 9, 66)]
    assert not [p for p in alone.problems if p.code == "L007"]
    # B after the 附件's last article: its title has both its 文号 and its 主送机关
    loaded = _load(tmp_path, hubei + ningxia, "hubei.txt")
    notice, measures, policy = loaded.documents
    assert (notice.id, measures.id, policy.id) == ("hubei-notice", "hubei", "hubei-2")
    assert (notice.notice_of, measures.attached_to) == (("hubei",), "hubei-notice")
    assert (measures.title, measures.doc_number, measures.end_line) == (
        "湖北省碳排放第三方核查机构管理办法", "鄂环发〔2022〕12号", 66)
    assert (policy.doc_number, policy.start_line, policy.end_line) == ("宁政发〔2021〕39号", 67, 75)
    assert policy.attached_to is None
    assert [p.message for p in loaded.problems if p.code == "L007"] == [
        "file holds several documents: document 3 starts at line 67"]


def test_a_letterhead_after_a_sign_off_starts_a_document(hubei: str, ningxia: str,
                                                         tmp_path: Path) -> None:
    loaded = _load(tmp_path, ningxia + hubei, "hubei.txt")
    assert [(d.id, d.doc_number, d.start_line, d.end_line) for d in loaded.documents] == [
        ("hubei", "宁政发〔2021〕39号", 1, 9),
        ("hubei-2-notice", "鄂环发〔2022〕12号", 10, 17),
        ("hubei-2", "鄂环发〔2022〕12号", 18, 75),
    ]
    assert loaded.documents[1].official is not None
    assert loaded.documents[1].official.letterhead == "湖北省生态环境厅"
    assert [p.message for p in loaded.problems if p.code == "L007"] == [
        "file holds several documents: document 2 starts at line 10"]


def test_a_published_title_after_the_notice_is_not_an_unrelated_document(
        fixtures_dir: Path, tmp_path: Path) -> None:
    # 333 of the dev corpus (国办函〔2022〕39号) forwards the plan printed after its sign-off;
    # here the plan also prints its addressees, as a forwarded 通知 keeps them: it stays the
    # document the notice publishes
    text = _text(fixtures_dir, "split_forwarded_plan.txt")
    lines = text.splitlines()
    assert lines[12] == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
    loaded = _load(tmp_path, text, "forwarded.txt")
    notice, plan = loaded.documents
    assert plan.title == "关于促进新时代新能源高质量发展的实施方案"
    assert (notice.notice_of, plan.attached_to) == ((plan.id,), notice.id)
    assert not [p for p in loaded.problems if p.code == "L007"]


def test_a_title_and_number_inside_a_body_do_not_split(guofa: str, ningxia: str,
                                                       tmp_path: Path) -> None:
    # B's title and 文号 on lines of their own inside A's body (as a list of the documents a
    # policy follows prints them), with no sign-off over them and no 主送机关 under them, are
    # quoted, not a new document; B's own body quotes A's title and 文号 in a sentence
    a = guofa.splitlines(keepends=True)
    b = ningxia.splitlines(keepends=True)
    loaded = _load(tmp_path, "".join(a[:6] + b[:2] + a[6:]))
    (doc,) = loaded.documents
    assert (doc.doc_number, doc.start_line, doc.end_line) == ("国发〔2021〕4号", 1, 18)
    assert not loaded.problems
    assert len(_load(tmp_path, ningxia).documents) == 1


def test_document_starts_needs_a_closed_document_or_a_whole_head(guofa: str,
                                                                 ningxia: str) -> None:
    def lines(text: str) -> list[SourceLine]:
        return [SourceLine(number=k, text=t) for k, t in enumerate(text.splitlines(), 1)]

    b = ningxia.splitlines(keepends=True)
    assert document_starts(lines(guofa + ningxia)) == [0, 16]
    # after A's sign-off (国务院, 2021年2月2日, 附注) B's title and 主送机关 are enough
    assert document_starts(lines(guofa + "".join(b[:1] + b[2:]))) == [0, 16]
    # with A cut before its sign-off, B needs its 文号 and its 主送机关
    cut = "".join(guofa.splitlines(keepends=True)[:13])
    assert document_starts(lines(cut + ningxia)) == [0, 13]
    assert document_starts(lines(cut + "".join(b[:1] + b[2:]))) == [0]
    # a 附件 label over B makes B an attachment, left to the notice's linking
    assert document_starts(lines(guofa + "附件\n" + ningxia)) == [0]


def test_a_pdf_of_two_documents_gives_each_its_pages(fixtures_dir: Path,
                                                     tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    # 218 (天津, 3 pages, signed with the date alone: the seal is an image) then 107 (甘肃,
    # letterhead set aside as page furniture, 文号 first; a covering notice and its plan)
    merged = pdfium.PdfDocument.new()
    for name in ("tianjin_watermark.pdf", "gansu_letterhead_fullwidth.pdf"):
        merged.import_pages(pdfium.PdfDocument(fixtures_dir / "pdf" / name))
    path = tmp_path / "bundle.pdf"
    merged.save(path)
    loaded = load_documents([path])
    assert [(d.id, d.doc_number, d.date, d.pages, d.notice_of, d.attached_to)
            for d in loaded.documents] == [
        ("bundle", None, "2021-12-29", (1, 3), (), None),
        ("bundle-2-notice", "甘政发〔2021〕62号", "2021-08-12", (4, 4), ("bundle-2",), None),
        ("bundle-2", "甘政发〔2021〕62号", "2021-08-12", (5, 6), (), "bundle-2-notice"),
    ]
    assert loaded.documents[0].title == "市生态环境局关于天津市2021年度碳排放配额安排的通知"
    assert loaded.documents[1].jurisdiction == "甘肃省"
    (split,) = [p for p in loaded.problems if p.code == "L007"]
    assert (split.span.page, split.span.start_line) == (4, loaded.documents[1].start_line)
    (s,) = loaded.summaries
    assert _accounted(s) == s.total_lines


def test_a_news_agency_line_after_the_last_sentence_stays_with_the_document_it_ends(
        hubei: str, ningxia: str, tmp_path: Path) -> None:
    # the last line of 1 of the dev corpus (中发〔2021〕36号 as a web copy prints it) after the
    # 办法's last article: a note in brackets, not the start of 宁政发〔2021〕39号
    note = "（新华社北京 2021 年 10 月 24 日电）\n"
    loaded = _load(tmp_path, hubei + note + ningxia, "hubei.txt")
    assert [(d.id, d.start_line, d.end_line) for d in loaded.documents] == [
        ("hubei-notice", 1, 8), ("hubei", 9, 67), ("hubei-2", 68, 76)]
    assert loaded.documents[2].title == (
        "自治区人民政府关于加快建立健全绿色低碳循环发展经济体系的实施意见")
