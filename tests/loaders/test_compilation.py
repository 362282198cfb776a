"""Tests for loaders.compilation: parts, chapters and document boundaries, and their traps."""

from __future__ import annotations

import dataclasses
import doctest
import functools
import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from policykg.loaders import compilation
from policykg.loaders.compilation import DOC_START_RE, Structure, find_structure, is_compilation
from policykg.loaders.documents import LoadedDocuments
from policykg.loaders.lines import CleanedLines, clean_lines


def _structure(fixtures_dir: Path, name: str) -> tuple[CleanedLines, Structure]:
    path = fixtures_dir / name
    cleaned = clean_lines(path.read_text(encoding="utf-8"), path.name)
    return cleaned, find_structure(cleaned)


def _starts(structure: Structure) -> list[tuple[int | None, str | None, str | None, int]]:
    return [(b.part, b.chapter, b.seq, b.start_line) for b in structure.blocks]


def test_doctests() -> None:
    assert doctest.testmod(compilation).failed == 0


@pytest.mark.parametrize(
    ("line", "seq", "title"),
    [
        pytest.param(" 1.1 习近平在第七十五届联合国大会一般性辩论", "1.1",
                     "习近平在第七十五届联合国大会一般性辩论", id="line-72"),
        pytest.param("1.12与世界相交 与时代相通", "1.12", "与世界相交 与时代相通",
                     id="no-space-line-1873"),
        pytest.param(" 1.4 2030年前碳达峰行动方案", "1.4", "2030年前碳达峰行动方案",
                     id="year-title-line-4544"),
        pytest.param("6.1绿色建造技术导则", "6.1", "绿色建造技术导则", id="no-space-line-23913"),
    ],
)
def test_doc_start_pattern_reads_number_and_title(line: str, seq: str, title: str) -> None:
    m = DOC_START_RE.match(line.strip())
    assert m is not None
    assert f"{m.group('chapter')}.{m.group('num')}" == seq
    assert m.group("title") == title


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("8.5 7.5 GB 30251", id="table-row-line-9184"),
        pytest.param("2.5。制取 1kW 热量用电", id="decimal-line-34870"),
        pytest.param("4.1.1核查安排", id="three-levels-line-17394"),
        pytest.param("13.5%，能源消费总量得到合理控制", id="percent-line-5976"),
    ],
)
def test_doc_start_pattern_rejects_numbers_in_body(line: str) -> None:
    assert DOC_START_RE.match(line) is None


def test_parts_and_titles_without_page_space(fixtures_dir: Path) -> None:
    cleaned, structure = _structure(fixtures_dir, "loader_compilation_parts.txt")
    assert is_compilation(cleaned)
    # excerpt of lines 62-71, 1737-1750, 1865-1885, 2005-2016, 3139-3170, 3590-3612
    assert [(p, s) for p, _c, s, _l in _starts(structure)] == [
        (1, "1.11"), (1, "1.12"), (1, "1.13"), (2, "1.1"), (2, "1.2"),
    ]
    parts = [h for h in structure.headings if h.kind == "part"]
    # line 3151-3153: the part 2 heading wraps over two lines
    assert [h.text for h in parts] == [
        "第一部分 习近平总书记重要指示",
        "第二部分 党中央、国务院关于碳达峰碳中和政策",
    ]
    assert structure.headings[0].kind == "preface"
    assert structure.unexplained == ()


def test_chapters_clauses_and_missing_chapter(fixtures_dir: Path) -> None:
    _cleaned, structure = _structure(fixtures_dir, "loader_chapters_clauses.txt")
    assert _starts(structure) == [
        (3, "生态环境部", "3.1", 9),  # has its own "第一章 总 则" (line 16517)
        (3, "工业和信息化部", "4.9", 43),
        (3, None, "5.1", 67),  # 第五章 heading missing (line 23477)
        (3, "住房和城乡建设部", "6.1", 94),  # "4.1 一般规定", " 4.2 …", "6.2 协同与优化" inside
        (3, "住房和城乡建设部", "6.2", 176),
    ]
    assert [(p.code, p.span.start_line) for p in structure.problems] == [("L003", 67)]


def test_part6_inferred_from_its_first_agreement(fixtures_dir: Path) -> None:
    _cleaned, structure = _structure(fixtures_dir, "loader_part6_no_heading.txt")
    assert [(p, s) for p, _c, s, _l in _starts(structure)] == [
        (5, "1.1"), (5, "5.1"), (6, None), (6, None),
    ]
    assert [p.code for p in structure.problems] == ["L003"]
    assert "第六部分" in structure.problems[0].message


def test_unnumbered_document_inside_a_chapter(fixtures_dir: Path) -> None:
    _cleaned, structure = _structure(fixtures_dir, "loader_unnumbered_document.txt")
    # compilation line 10299 (no number, between 1.9 and 1.10) opens a document
    assert [(c, s) for _p, c, s, _l in _starts(structure)] == [
        ("国家发展和改革委员会", "1.1"), ("国家发展和改革委员会", None),
    ]


def test_a_single_policy_is_not_a_compilation(fixtures_dir: Path) -> None:
    path = fixtures_dir / "loader_single_notice.txt"
    assert not is_compilation(clean_lines(path.read_text(encoding="utf-8"), path.name))


@pytest.mark.slow
@pytest.mark.parametrize(
    "line",
    [
        pytest.param(17324, id="2.1重点排放单位-inside-3.3"),
        pytest.param(17387, id="4.1核查程序-inside-3.3"),
        pytest.param(17652, id="4.2核查要点-inside-3.3"),
        pytest.param(24029, id="4.1一般规定-inside-6.1"),
        pytest.param(24070, id="page-start-4.2绿色设计策划-inside-6.1"),
        pytest.param(24309, id="6.2协同与优化-in-sequence-inside-6.1"),
        pytest.param(29933, id="4.1真实-inside-12.7"),
        pytest.param(30293, id="6.11其他环境相关信息-inside-12.7"),
        pytest.param(34870, id="2.5。制取-table"),
        pytest.param(9184, id="8.5-7.5-table-row"),
        pytest.param(6672, id="第一章总则-of-1.2"),
    ],
)
def test_no_document_starts_at_a_trap(compilation_docs: LoadedDocuments, line: int) -> None:
    assert line not in {d.start_line for d in compilation_docs.documents}


@pytest.mark.slow
def test_compilation_structure_counts(compilation_docs: LoadedDocuments) -> None:
    per_part: dict[int | None, int] = {}
    for doc in compilation_docs.documents:
        per_part[doc.part] = per_part.get(doc.part, 0) + 1
    assert per_part == {1: 16, 2: 6, 3: 59, 4: 25, 5: 22, 6: 5}
    l003 = sorted(p.span.start_line for p in compilation_docs.problems if p.code == "L003")
    assert l003 == [23477, 44278]


@pytest.mark.slow
def test_chapters_are_named_as_printed(compilation_docs: LoadedDocuments) -> None:
    chapters = []
    for doc in compilation_docs.documents:
        if doc.part == 4 and doc.chapter not in chapters:
            chapters.append(doc.chapter)
    assert chapters == [
        "北京市", "上海市", "江苏省", "浙江省", "江西省", "内蒙古", "宁夏回族自治区",
    ]


def test_skipped_number_after_an_address_is_reported(fixtures_dir: Path) -> None:
    # the parts fixture with 1.12 misprinted as 1.13 (and 1.13 as 1.14): the title still
    # follows the previous document's address, so it opens a document, with L002
    text = (fixtures_dir / "loader_compilation_parts.txt").read_text(encoding="utf-8")
    text = text.replace("1.12与世界相交", "1.13与世界相交").replace("1.13共同开创", "1.14共同开创")
    structure = find_structure(clean_lines(text, "misnumbered.txt"))
    assert [b.seq for b in structure.blocks] == ["1.11", "1.13", "1.14", "1.1", "1.2"]
    assert [(p.code, p.span.start_line) for p in structure.problems] == [("L002", 33)]


@functools.cache
def _compilation_lines() -> CleanedLines:
    path = Path(__file__).parents[2] / "data" / "compilation-2022.txt"
    return clean_lines(path.read_text(encoding="utf-8"), path.name)


@settings(max_examples=40)
@given(st.integers(0, 24_000), st.integers(30, 24_500), st.integers(0, 50), st.randoms())
@example(0, 24_500, 0, random.Random(0))  # the whole compilation
@example(3_000, 4_000, 20, random.Random(1))  # parts 2 and 3, a few lines missing
def test_every_line_of_an_excerpt_is_in_one_heading_block_or_the_unexplained(
        start: int, length: int, drop_per_mille: int, rng: random.Random) -> None:
    # excerpts of the compilation's kept lines, some with lines missing: each line is
    # accounted once
    every = _compilation_lines()
    kept = tuple(s for s in every.lines[start:start + length]
                 if rng.randrange(1000) >= drop_per_mille)
    assume(kept)
    structure = find_structure(dataclasses.replace(every, lines=kept))
    counted = Counter(s.number for b in structure.blocks for s in b.lines)
    counted.update(structure.unexplained)
    for h in structure.headings:
        if not h.inferred:
            counted.update(s.number for s in kept if h.start_line <= s.number <= h.end_line)
    assert counted == Counter(s.number for s in kept)
