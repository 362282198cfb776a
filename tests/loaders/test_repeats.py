"""A policy printed again in the same file: the first copy kept, each repeat reported (L006).

Issue 15: "425,000 copies of one policy in one file are reported as repeated documents, not
merged silently into one".  The timing of the large case is in ``bench/repeats.py``.
"""

from __future__ import annotations

from pathlib import Path

from policykg.loaders.documents import LoadedDocuments, load_documents
from policykg.loaders.repeats import Repeat, find_tandem_repeats
from policykg.records import BuildSummary


def _accounted(s: BuildSummary) -> int:
    return (s.blank_lines + s.artifact_lines + s.structure_lines + s.document_lines
            + s.unexplained_lines + s.repeated_lines)


def _load(tmp_path: Path, text: str) -> LoadedDocuments:
    path = tmp_path / "repeated.txt"
    path.write_text(text, encoding="utf-8")
    return load_documents([path])


def _notice(fixtures_dir: Path) -> str:
    return (fixtures_dir / "loader_single_notice.txt").read_text(encoding="utf-8")


def test_three_copies_keep_one_document_and_report_two(fixtures_dir: Path,
                                                       tmp_path: Path) -> None:
    loaded = _load(tmp_path, _notice(fixtures_dir) * 3)
    (doc,) = loaded.documents
    assert (doc.start_line, doc.end_line, doc.doc_number) == (1, 16, "国发〔2021〕4号")
    assert [(p.code, p.span.start_line, p.span.end_line) for p in loaded.problems] == [
        ("L006", 17, 32), ("L006", 33, 48)]
    assert loaded.problems[0].message == (
        "document repeated in this file: lines 17-32 repeat lines 1-16")
    assert loaded.problems[0].excerpt == "关于加快建立健全绿色低碳循环发展经济体系的指导意见"
    (s,) = loaded.summaries
    assert (s.total_lines, s.document_lines, s.repeated_lines) == (48, 16, 32)
    assert _accounted(s) == s.total_lines


def test_two_thousand_copies_are_two_thousand_minus_one_repeats(fixtures_dir: Path,
                                                                tmp_path: Path) -> None:
    loaded = _load(tmp_path, _notice(fixtures_dir) * 2000)
    assert len(loaded.documents) == 1
    repeats = [p for p in loaded.problems if p.code == "L006"]
    assert len(repeats) == len(loaded.problems) == 1999
    assert (repeats[-1].span.start_line, repeats[-1].span.end_line) == (31985, 32000)
    (s,) = loaded.summaries
    assert (s.document_lines, s.repeated_lines, _accounted(s)) == (16, 31984, 32000)


def test_blank_lines_between_copies_and_a_copy_cut_at_the_end(fixtures_dir: Path,
                                                              tmp_path: Path) -> None:
    notice = _notice(fixtures_dir)
    cut = "".join(notice.splitlines(keepends=True)[:5])
    loaded = _load(tmp_path, notice + "\n\n" + notice + "\n" + cut)
    (doc,) = loaded.documents
    assert (doc.start_line, doc.end_line) == (1, 16)
    assert [p.message for p in loaded.problems] == [
        "document repeated in this file: lines 19-34 repeat lines 1-16",
        "document repeated in this file: lines 36-40 repeat lines 1-5",
    ]
    (s,) = loaded.summaries
    assert (s.blank_lines, s.document_lines, s.repeated_lines) == (3, 16, 21)
    assert _accounted(s) == s.total_lines == 40


def test_a_notice_and_its_annex_printed_twice_are_one_repeat(fixtures_dir: Path,
                                                             tmp_path: Path) -> None:
    text = (fixtures_dir / "official_notice_with_annex.txt").read_text(encoding="utf-8")
    loaded = _load(tmp_path, text * 2)
    notice, annex = loaded.documents
    assert notice.notice_of == (annex.id,)
    assert (notice.start_line, annex.end_line) == (1, 14)
    assert [p.message for p in loaded.problems if p.code == "L006"] == [
        "document repeated in this file: lines 15-28 repeat lines 1-14"]


def test_a_policy_printed_twice_then_another_policy(fixtures_dir: Path,
                                                    tmp_path: Path) -> None:
    # the repeat is found, and 宁政发〔2021〕39号 after it is a document of its own (L007)
    folder = fixtures_dir / "loader_folder"
    a = (folder / "01-guofa-2021-4.txt").read_text(encoding="utf-8")
    b = (folder / "02-ningzhengfa-2021-39.txt").read_text(encoding="utf-8")
    loaded = _load(tmp_path, a + a + b)
    assert [p.message for p in loaded.problems if p.code == "L006"] == [
        "document repeated in this file: lines 17-32 repeat lines 1-16"]
    assert [(d.doc_number, d.start_line, d.end_line) for d in loaded.documents] == [
        ("国发〔2021〕4号", 1, 16), ("宁政发〔2021〕39号", 33, 41)]
    (s,) = loaded.summaries
    assert (s.total_lines, s.repeated_lines, _accounted(s)) == (41, 16, 41)


def test_a_title_printed_twice_is_not_a_repeated_document(fixtures_dir: Path,
                                                          tmp_path: Path) -> None:
    # as 140 包头, 17 and 39 of the dev corpus print their two-line title twice on page 1
    lines = (fixtures_dir / "official_notice_with_annex.txt").read_text(
        encoding="utf-8").splitlines(keepends=True)
    loaded = _load(tmp_path, "".join(lines[:2] + lines))
    assert [p.code for p in loaded.problems if p.code == "L006"] == []
    (s,) = loaded.summaries
    assert s.repeated_lines == 0


def test_a_copy_that_differs_in_one_line_is_not_a_repeat(fixtures_dir: Path,
                                                         tmp_path: Path) -> None:
    notice = _notice(fixtures_dir)
    loaded = _load(tmp_path, notice + notice.replace("2021年2月2日", "2021年2月3日"))
    assert [p for p in loaded.problems if p.code == "L006"] == []
    assert loaded.summaries[0].repeated_lines == 0


def test_the_compilation_has_no_repeated_document(compilation_docs: LoadedDocuments) -> None:
    # 附件 titles repeat their notice's 《X》 and sign-offs repeat: none is a document again
    assert len(compilation_docs.documents) == 133
    assert not [p for p in compilation_docs.problems if p.code == "L006"]
    (s,) = compilation_docs.summaries
    assert s.repeated_lines == 0
    assert _accounted(s) == s.total_lines


def test_tandem_repeats_need_a_whole_block_right_after_itself() -> None:
    assert find_tandem_repeats(list("TabTabTab")) == [Repeat(first=0, start=3, end=9)]
    assert find_tandem_repeats(list("xTabTabT")) == [Repeat(first=1, start=4, end=8)]
    # a partial copy followed by other text is left to the documents
    assert find_tandem_repeats(list("TabTabTaZ")) == [Repeat(first=0, start=3, end=6)]
    # one line twice (a heading, a table cell) is not a block
    assert find_tandem_repeats(list("aabb")) == []
    # a near-copy: compared once per block length, not once per line
    near = [str(i) for i in range(3000)]
    assert find_tandem_repeats(near + near[:-1] + ["end"]) == []


def test_text_shows_the_repeated_lines(fixtures_dir: Path, tmp_path: Path) -> None:
    from policykg import api

    path = tmp_path / "twice.txt"
    path.write_text(_notice(fixtures_dir) * 2, encoding="utf-8")
    views = api.text(path)
    assert [v.status for v in views] == [""] * 16 + ["repeated"] * 16
    assert views[16].text == "关于加快建立健全绿色低碳循环发展经济体系的指导意见"
    assert [v.number for v in api.text(path, kept=True)] == list(range(1, 17))
