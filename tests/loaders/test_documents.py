"""Tests for loaders.documents: compilation and single-document inputs, ids, line accounting."""

from __future__ import annotations

import tempfile
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.errors import EmptyInputError, InputError, PolicyKGError
from policykg.loaders.documents import (
    LoadedDocuments,
    RepeatIndex,
    find_repeats,
    iter_input_files,
    load_documents,
)
from policykg.records import DateSource, DocKind, Document


def test_single_web_copied_notice(fixtures_dir: Path) -> None:
    loaded = load_documents([fixtures_dir / "loader_single_notice.txt"])
    (doc,) = loaded.documents
    # built from compilation lines 3154-3606 (国发〔2021〕4号), one paragraph per line
    assert doc.id == "loader-single-notice--c1fabd6f"  # "_" is not in a slug: the name's hash
    assert (doc.part, doc.chapter, doc.seq) == (None, None, None)
    assert doc.title == "关于加快建立健全绿色低碳循环发展经济体系的指导意见"
    assert doc.doc_number == "国发〔2021〕4号"
    assert (doc.date, doc.date_source, doc.year) == ("2021-02-02", DateSource.SIGN_OFF, 2021)
    assert doc.issuers == ("国务院",)
    assert doc.kind is DocKind.CENTRAL_POLICY
    assert (doc.start_line, doc.end_line) == (1, 16)
    assert [s.marker for s in doc.sections][:3] == ["一、", "（一）", "（二）"]
    assert doc.paragraphs[2].text == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
    assert loaded.problems == ()


def test_folder_loads_files_in_name_order(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "loader_folder"
    loaded = load_documents([folder])
    assert [d.id for d in loaded.documents] == ["01-guofa-2021-4", "02-ningzhengfa-2021-39"]
    second = loaded.documents[1]
    # built from compilation lines 41030-41658 (宁政发〔2021〕39号)
    assert (second.kind, second.jurisdiction) == (DocKind.LOCAL_POLICY, "宁夏回族自治区")
    assert second.issuers == ("宁夏回族自治区人民政府",)
    assert [s.file for s in loaded.summaries] == [
        "01-guofa-2021-4.txt", "02-ningzhengfa-2021-39.txt",
    ]


def test_gbk_file_loads_and_is_reported(fixtures_dir: Path) -> None:
    loaded = load_documents([fixtures_dir / "loader_gbk_notice.txt"])
    (doc,) = loaded.documents
    assert doc.doc_number == "宁政发〔2021〕39号"
    assert [p.code for p in loaded.problems] == ["E001"]


def test_same_names_get_distinct_ids(fixtures_dir: Path) -> None:
    path = fixtures_dir / "loader_single_notice.txt"
    loaded = load_documents([path, path])
    first = "loader-single-notice--c1fabd6f"
    assert [d.id for d in loaded.documents] == [first, f"{first}-2"]
    # the second copy's sections follow its id: no section IRI is shared
    assert [s.id for s in loaded.documents[1].sections][:2] == [f"{first}-2/s1", f"{first}-2/s2"]
    assert {s.doc_id for s in loaded.documents[1].sections} == {f"{first}-2"}


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        iter_input_files([tmp_path / "nowhere"])


def test_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EmptyInputError, match="folder holds no file"):
        load_documents([tmp_path])


@pytest.mark.parametrize(
    ("name", "documents", "unexplained"),
    [
        pytest.param("loader_compilation_parts.txt", 5, 0, id="parts"),
        pytest.param("loader_chapters_clauses.txt", 5, 0, id="chapters"),
        pytest.param("loader_part6_no_heading.txt", 4, 0, id="part6"),
        pytest.param("loader_unnumbered_document.txt", 2, 0, id="unnumbered"),
    ],
)
def test_fixture_lines_are_all_accounted_for(
    fixtures_dir: Path, name: str, documents: int, unexplained: int
) -> None:
    loaded = load_documents([fixtures_dir / name])
    (summary,) = loaded.summaries
    assert len(loaded.documents) == documents
    assert summary.unexplained_lines == unexplained
    assert (
        summary.blank_lines + summary.artifact_lines + summary.structure_lines
        + summary.document_lines + summary.unexplained_lines + summary.repeated_lines
    ) == summary.total_lines


@pytest.mark.slow
def test_compilation_lines_are_all_accounted_for(compilation_docs: LoadedDocuments) -> None:
    (summary,) = compilation_docs.summaries
    assert summary.total_lines == 47808
    assert summary.unexplained_lines == 0
    assert not [p for p in compilation_docs.problems if p.code == "L001"]
    assert (
        summary.blank_lines + summary.artifact_lines + summary.structure_lines
        + summary.document_lines
    ) == summary.total_lines
    # every kept line of a document is in exactly one of its paragraphs
    kept = sum(
        len({n for p in d.paragraphs for _, n in p.offsets}) for d in compilation_docs.documents
    )
    assert kept == summary.document_lines


@pytest.mark.slow
def test_documents_do_not_overlap(compilation_docs: LoadedDocuments) -> None:
    spans = [(d.start_line, d.end_line) for d in compilation_docs.documents]
    assert spans == sorted(spans)
    assert all(a[1] < b[0] for a, b in pairwise(spans))


@pytest.mark.slow
def test_ids_are_unique_and_stable(compilation_docs: LoadedDocuments) -> None:
    ids = [d.id for d in compilation_docs.documents]
    assert len(ids) == len(set(ids))
    assert ids[:2] == ["p1-1.1", "p1-1.2"]
    assert "p3-c1-1.9a" in ids  # the unnumbered notice at line 10299
    assert "p3-c5-5.1" in ids
    assert ids[-1] == "p6-5"
    again = load_documents([Path(__file__).parents[2] / "data" / "compilation-2022.txt"])
    assert [d.id for d in again.documents] == ids


@pytest.mark.slow
@pytest.mark.parametrize(
    ("doc_id", "kind", "jurisdiction"),
    [
        pytest.param("p1-1.16", DocKind.EXCERPT, None, id="excerpt"),
        pytest.param("p2-1.4", DocKind.CENTRAL_POLICY, None, id="central"),
        pytest.param("p3-c12-12.7", DocKind.MINISTRY_POLICY, None, id="ministry"),
        pytest.param("p4-c6-6.2", DocKind.LOCAL_POLICY, "内蒙古自治区", id="local-short-chapter"),
        pytest.param("p4-c7-7.4", DocKind.LOCAL_POLICY, "宁夏回族自治区", id="local"),
        pytest.param("p5-c5-5.3", DocKind.ENTERPRISE_PLAN, None, id="enterprise"),
        pytest.param("p6-3", DocKind.INTERNATIONAL_AGREEMENT, None, id="agreement"),
    ],
)
def test_kinds_and_jurisdictions(
    compilation_docs: LoadedDocuments, doc_id: str, kind: DocKind, jurisdiction: str | None
) -> None:
    doc = next(d for d in compilation_docs.documents if d.id == doc_id)
    assert (doc.kind, doc.jurisdiction) == (kind, jurisdiction)


_TOKENS = [
    *"碳达峰中和国务院关于的意见通知方案一、（）。，：2025年 5G—\u3000\t〔〕号第部分章条",
    "1.1 ", "第一部分 ", "第一章 ", "\n", "\n\n\n", " ", "16", "201 —", "2021年2月2日",
    "（http://www.gov.cn/a.htm）", "国务院", "发改产业〔2021〕1464号", "附件 1", "各省、自治区：",
]
# lines of compilation-like tokens: numbers, headings, footers, dates, addresses
_LINE = st.lists(st.sampled_from(_TOKENS), max_size=12).map("".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(_LINE, max_size=40))
def test_any_text_loads_or_raises_a_policykg_error(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.txt"
        path.write_text("\n".join(texts), encoding="utf-8")
        try:
            loaded = load_documents([path])
        except PolicyKGError:
            return
        (summary,) = loaded.summaries
        assert (
            summary.blank_lines + summary.artifact_lines + summary.structure_lines
            + summary.document_lines + summary.unexplained_lines + summary.repeated_lines
        ) == summary.total_lines
        assert len({d.id for d in loaded.documents}) == len(loaded.documents)


def test_gov_cn_metadata_table(fixtures_dir: Path) -> None:
    loaded = load_documents([fixtures_dir / "loader_govcn_metadata.txt"])
    (doc,) = loaded.documents
    assert doc.title == "国务院关于印发2030年前碳达峰行动方案的通知"
    assert (doc.doc_number, doc.date, doc.date_source) == (
        "国发〔2021〕23号", "2021-10-24", DateSource.HEADER,
    )
    assert (doc.issuers, doc.kind) == (("国务院",), DocKind.CENTRAL_POLICY)


def test_single_text_without_title_or_date_is_reported(tmp_path: Path) -> None:
    # a body paragraph of 1.5 (line 5538-5546) on its own
    path = tmp_path / "body.txt"
    path.write_text(
        "城乡建设是推动绿色发展、建设美丽中国的重要载体。为推动城乡建设绿色发展，现提出如下意见。\n",
        encoding="utf-8",
    )
    loaded = load_documents([path])
    # never an empty title (SHACL): the file's name, reported as not printed
    assert [(p.code, p.message) for p in loaded.problems] == [
        ("D001", "title not printed: body taken from the file's name"),
        ("D001", "date not found"),
    ]
    (doc,) = loaded.documents
    assert doc.title == "body"
    assert [(i.field, i.text) for i in doc.inferred] == [("title", "body.txt")]


_COMPILATION = Path(__file__).resolve().parents[2] / "data" / "compilation-2022.txt"


def _compilation_excerpt(tmp_path: Path, *ranges: tuple[int, int]) -> Path:
    """Write the compilation's lines ``start``..``end`` (1-based, inclusive) of each range."""
    lines = _COMPILATION.read_text(encoding="utf-8").split("\n")
    picked = [line for start, end in ranges for line in lines[start - 1 : end]]
    path = tmp_path / "excerpt.txt"
    path.write_text("\n".join(picked) + "\n", encoding="utf-8")
    return path


def test_the_same_notice_in_two_files_is_reported(fixtures_dir: Path, tmp_path: Path) -> None:
    for name in ("a-notice.txt", "b-notice-copy.txt"):
        (tmp_path / name).write_bytes((fixtures_dir / "loader_single_notice.txt").read_bytes())
    loaded = load_documents([tmp_path])
    assert len(loaded.documents) == 2
    twice = [p for p in loaded.problems if p.code == "L005"]
    assert [p.span.file for p in twice] == ["b-notice-copy.txt"]
    assert "a-notice.txt" in twice[0].message


def test_a_compilation_cut_inside_a_document_is_reported(tmp_path: Path) -> None:
    # lines 1-4300: 1.3 (from line 4013) stops mid-sentence at 4299 with no source address
    loaded = load_documents([_compilation_excerpt(tmp_path, (1, 4300))])
    cut = [p for p in loaded.problems if p.code == "L004"]
    assert [(p.span.start_line, p.span.end_line) for p in cut] == [(4013, 4299)]
    assert loaded.documents[-1].id == "p2-1.3"


def test_a_compilation_ending_with_an_address_is_not_cut(tmp_path: Path) -> None:
    # lines 1-4543: 1.3 ends with its source address at 4543
    loaded = load_documents([_compilation_excerpt(tmp_path, (1, 4543))])
    assert [p.code for p in loaded.problems if p.code == "L004"] == []


def test_a_document_printed_twice_is_reported_as_repeated(tmp_path: Path) -> None:
    # 1.3 (lines 4013-4543) printed again right after its source address, then 1.4 …
    path = _compilation_excerpt(tmp_path, (1, 4543), (4013, 4543), (4544, 6496))
    loaded = load_documents([path])
    docs = {d.id: d for d in loaded.documents}
    assert (docs["p2-1.3"].start_line, docs["p2-1.3"].end_line) == (4013, 4543)
    assert "p2-1.3-2" not in docs
    assert docs["p2-1.4"].start_line == 5075
    repeated = [p for p in loaded.problems if p.code in ("L002", "L006")]
    assert [(p.code, p.span.start_line, p.span.end_line) for p in repeated] == [
        ("L006", 4544, 5074)]
    assert repeated[0].message == (
        "document repeated in this file: lines 4544-5074 repeat lines 4013-4543")


def test_a_different_document_under_a_used_number_is_l002(tmp_path: Path) -> None:
    # 1.3 (lines 4013-4543) printed again with its last line cut: not the same document
    path = _compilation_excerpt(tmp_path, (1, 4543), (4013, 4542), (4544, 6496))
    loaded = load_documents([path])
    repeated = [p for p in loaded.problems if p.code in ("L002", "L006")]
    assert [(p.code, p.span.start_line) for p in repeated] == [("L002", 4544)]
    assert loaded.problems[[p.code for p in loaded.problems].index("L002")].message == (
        "document number 1.3 repeated")


def test_a_compilation_without_a_part_finds_the_parts_after_it(tmp_path: Path) -> None:
    # 第三部分 (lines 6497-30297) left out: 第四部分 follows 第二部分
    loaded = load_documents([_compilation_excerpt(tmp_path, (1, 6496), (30298, 47808))])
    per_part = Counter(d.part for d in loaded.documents)
    assert (per_part[2], per_part[3], per_part[4], per_part[5], per_part[6]) == (6, 0, 25, 22, 5)
    missing = [p for p in loaded.problems if p.code == "L003" and "part 3" in p.message]
    assert len(missing) == 1
    assert "第三部分" in missing[0].message


def _repeats_reference(docs: list[Document], earlier: list[Document]) -> list[tuple[str, int, str]]:
    """L005 as ``find_repeats`` gave it before ``RepeatIndex``: every earlier document indexed
    anew for each file (quadratic over a corpus), the last of a key winning."""
    known = {(d.title, d.doc_number, d.jurisdiction): d for d in earlier if d.title}
    out = []
    for doc in docs:
        first = known.get((doc.title, doc.doc_number, doc.jurisdiction))
        if first is not None and first.file != doc.file:
            out.append((doc.file, doc.start_line, f"{first.file}:{first.start_line}"))
    return out


def test_repeat_index_gives_find_repeats_file_by_file() -> None:
    def doc(file: str, line: int, title: str, number: str | None = None,
            jurisdiction: str | None = None) -> Document:
        return Document(id=f"{file}-{line}", part=None, chapter=None, seq=None,
                        kind=DocKind.LOCAL_POLICY, title=title, doc_number=number, date=None,
                        date_source=None, year=None, issuers=(), url=None, start_line=line,
                        end_line=line + 1, file=file, jurisdiction=jurisdiction)

    files = [
        [doc("a.pdf", 1, "方案", "甲发〔2021〕1号"), doc("a.pdf", 5, "办法")],
        [doc("b.pdf", 1, "方案", "甲发〔2021〕1号"), doc("b.pdf", 9, "方案", None, "梧州市")],
        [doc("c.pdf", 1, "方案", None, "天水市"), doc("c.pdf", 3, "方案", None, "梧州市"),
         doc("c.pdf", 7, "")],
        # a file of another folder with a name seen before: the last earlier document of a
        # key is the one compared, so its 办法 is not reported (a.pdf gave it), its 方案 is
        # (b.pdf gave it last)
        [doc("a.pdf", 2, "方案", "甲发〔2021〕1号"), doc("a.pdf", 4, "办法")],
        [doc("d.pdf", 1, "方案", "甲发〔2021〕1号"), doc("d.pdf", 2, ""), doc("d.pdf", 3, "办法")],
    ]
    index = RepeatIndex()
    earlier: list[Document] = []
    reported = []
    for docs in files:
        found = [(p.span.file, p.span.start_line, p.message.split(": ")[1].split(" ")[0])
                 for p in index.repeats(docs)]
        assert found == _repeats_reference(docs, earlier)
        assert list(index.repeats(docs)) == list(find_repeats(docs, earlier))
        reported.append(found)
        index.add(docs)
        earlier += docs
    assert reported == [[], [("b.pdf", 1, "a.pdf:1")], [("c.pdf", 3, "b.pdf:9")],
                        [("a.pdf", 2, "b.pdf:1")],
                        [("d.pdf", 1, "a.pdf:2"), ("d.pdf", 3, "a.pdf:4")]]
