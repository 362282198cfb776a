"""A document that prints no title still gets one, from the evidence it prints, recorded as
not printed (``Document.inferred``, a D001 problem naming its basis), never silently and
never empty (an empty title breaks SHACL's eli:title minLength).

Fixtures (tests/data/README.md): the kept lines of pages 1–2 of
``117、繁昌区节能降碳若干支持措施.pdf`` (a notice with only its 文号, publishing a document that
prints no title either) and of page 1 of ``202、上海市公共机构绿色低碳循环发展行动方案.pdf`` (a
notice with no title before the plan's printed title).
"""

from __future__ import annotations

from pathlib import Path

from policykg.loaders.documents import load_documents
from policykg.records import DateSource, Genre

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures"
FANCHANG = FIXTURES / "official_untitled_notice_fanchang.txt"
SHANGHAI = FIXTURES / "official_untitled_notice_shanghai.txt"


def test_untitled_notice_and_untitled_document_it_publishes() -> None:
    loaded = load_documents([FANCHANG])
    notice, measures = loaded.documents
    # line 3: 现将《繁昌区节能降碳若干支持措施》印发给你们，请结合 / 实际认真贯彻执行。
    assert notice.title == "关于印发《繁昌区节能降碳若干支持措施》的通知"
    assert (notice.start_line, notice.end_line) == (1, 6)  # up to （此件公开发布）
    assert notice.doc_number == "繁政办〔2022〕3号"
    assert notice.notice_of == (measures.id,)
    assert notice.genre == Genre.NOTICE
    assert not notice.is_policy
    # line 7 opens the measures with their first paragraph: 实现碳达峰、碳中和，…
    assert measures.title == "繁昌区节能降碳若干支持措施"
    assert measures.start_line == 7
    assert measures.attached_to == notice.id
    assert (measures.doc_number, measures.date, measures.date_source) == (
        "繁政办〔2022〕3号", "2022-03-09", DateSource.COVERING_NOTICE)
    assert measures.genre == Genre.MEASURES
    assert measures.is_policy
    for doc in (notice, measures):
        (inferred,) = doc.inferred
        assert (inferred.field, inferred.value, inferred.doc_id, inferred.line) == (
            "title", doc.title, doc.id, 3)
        assert inferred.text == ("现将《繁昌区节能降碳若干支持措施》印发给你们，"
                                 "请结合实际认真贯彻执行")
    problems = [(p.code, p.span.start_line, p.message) for p in loaded.problems
                if p.code == "D001"]
    assert problems == [
        ("D001", 1,
         "title not printed: 关于印发《繁昌区节能降碳若干支持措施》的通知 taken from line 3"),
        ("D001", 7, "title not printed: 繁昌区节能降碳若干支持措施 taken from line 3"),
    ]


def test_untitled_notice_before_a_printed_title() -> None:
    loaded = load_documents([SHANGHAI])
    notice, plan = loaded.documents
    # line 2: 《上海市公共机构绿色低碳循环发展行动方案》已经过市政府常 /
    # 务会议审议批准，现印发给你们
    assert notice.title == "关于印发《上海市公共机构绿色低碳循环发展行动方案》的通知"
    assert [(i.field, i.line) for i in notice.inferred] == [("title", 2)]
    assert notice.date == "2022-01-14"
    # line 8 prints the plan's title: nothing inferred
    assert (plan.title, plan.start_line, plan.inferred) == (
        "上海市公共机构绿色低碳循环发展行动方案", 8, ())
    assert plan.attached_to == notice.id


def test_lone_untitled_document_takes_the_file_name(tmp_path: Path) -> None:
    """The measures alone (lines 7- of the fixture), as a collector names the file."""
    lines = FANCHANG.read_text(encoding="utf-8").splitlines()[6:]
    path = tmp_path / "117、繁昌区节能降碳若干支持措施.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = load_documents([path])
    (doc,) = loaded.documents
    assert doc.title == "繁昌区节能降碳若干支持措施"
    assert [(i.field, i.value, i.text) for i in doc.inferred] == [
        ("title", "繁昌区节能降碳若干支持措施", "117、繁昌区节能降碳若干支持措施.txt")]
    assert next(p.message for p in loaded.problems if p.code == "D001") == (
        "title not printed: 繁昌区节能降碳若干支持措施 taken from the file's name")


def test_a_notice_whose_sign_off_closes_nothing_more_is_not_split(tmp_path: Path) -> None:
    """The notice alone (lines 1-6): nothing follows its sign-off, so nothing is split off."""
    lines = FANCHANG.read_text(encoding="utf-8").splitlines()[:6]
    path = tmp_path / "notice.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (doc,) = load_documents([path]).documents
    assert doc.notice_of == ()
    assert doc.title == "关于印发《繁昌区节能降碳若干支持措施》的通知"
    assert [(i.field, i.line) for i in doc.inferred] == [("title", 3)]
