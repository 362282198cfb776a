"""The synthetic ×N corpus generator: distinct documents, same shapes, deterministic."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synth import (
    DOC_NUMBER,
    copy_text,
    make_corpus,
    number_map,
    title_lines,
    titles_of,
)
from policykg.loaders.corpus import load
from policykg.loaders.documents import load_documents

ROOT = Path(__file__).resolve().parent.parent.parent
EXCERPT = ROOT / "tests" / "data" / "fixtures" / "loader_compilation_parts.txt"
COMPILATION = ROOT / "data" / "compilation-2022.txt"


@pytest.fixture(scope="module")
def excerpt_x3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three copies of the loader's compilation excerpt (5 documents, one 文号)."""
    out = tmp_path_factory.mktemp("synth")
    return make_corpus(3, source=EXCERPT, out=out).folder


@pytest.mark.parametrize(
    ("line", "k", "expected"),
    [
        pytest.param(" 1.1 关于加快建立健全绿色低碳循环发展经济体系的\n", 2,
                     " 1.1 样本2关于加快建立健全绿色低碳循环发展经济体系的\n",
                     id="page-break-space"),
        pytest.param(" 1.12与世界相交 与时代相通\n", 1, " 1.12样本1与世界相交 与时代相通\n",
                     id="number-without-space"),
        pytest.param("1.4 2030年前碳达峰行动方案\n", 5, "1.4 样本52030年前碳达峰行动方案\n",
                     id="title-opening-with-a-year"),
    ],
)
def test_copy_marks_the_title_after_its_number(line: str, k: int, expected: str) -> None:
    assert copy_text([line], k, [1], {}) == expected


@pytest.mark.parametrize(
    ("text", "k", "expected"),
    [
        pytest.param("国发〔2021〕4号", 1, "国发〔2021〕2000号", id="first-copy"),
        pytest.param("国发〔2021〕4号", 3, "国发〔2021〕2004号", id="third-copy"),
        pytest.param("发改产业〔2021〕1464 号", 1, "发改产业〔2021〕2001 号", id="space-before-号"),
        pytest.param("（苏政发〔2022〕8号）", 0, "（苏政发〔2022〕8号）", id="copy-0-verbatim"),
    ],
)
def test_copy_renumbers_doc_numbers(text: str, k: int, expected: str) -> None:
    ranks = number_map("国发〔2021〕4号 发改产业〔2021〕1464 号", 100)
    assert copy_text([text], k, [], ranks) == expected


def test_number_map_refuses_serials_beyond_four_digits() -> None:
    text = " ".join(f"国发〔2021〕{n}号" for n in range(1, 201))
    with pytest.raises(ValueError, match="four digits"):
        number_map(text, 100)


def test_copy_keeps_line_count_and_only_touches_titles_and_numbers() -> None:
    lines = EXCERPT.read_text(encoding="utf-8").splitlines(keepends=True)
    titles = title_lines(EXCERPT)
    quoted = titles_of(EXCERPT)
    copied = copy_text(lines, 7, titles, number_map("".join(lines), 10), quoted).splitlines(True)
    assert len(copied) == len(lines)
    changed = [i + 1 for i, (a, b) in enumerate(zip(lines, copied, strict=True)) if a != b]
    numbered = [i + 1 for i, line in enumerate(lines) if DOC_NUMBER.search(line)]
    quoting = [i + 1 for i, line in enumerate(lines) if any(f"《{t}》" in line for t in quoted)]
    assert changed == sorted(set(titles) | set(numbered) | set(quoting))
    assert all("《样本7" in copied[i - 1] for i in quoting)


def test_copies_load_as_distinct_documents(excerpt_x3: Path) -> None:
    one = load_documents([EXCERPT]).documents
    three = load_documents([excerpt_x3]).documents
    assert len(three) == 3 * len(one) == 15
    assert len({d.title for d in three}) == 15
    assert len({d.id for d in three}) == 15
    assert [d.doc_number for d in three if d.doc_number] == [
        "国发〔2021〕4号", "国发〔2021〕1000号", "国发〔2021〕1001号",
    ]
    assert [d.title for d in three[5:8]] == [f"样本1{d.title}" for d in one[:3]]
    assert [(d.start_line, d.end_line) for d in three[10:]] == [
        (d.start_line, d.end_line) for d in one
    ]


def test_copy_0_is_the_source_verbatim(excerpt_x3: Path) -> None:
    assert (excerpt_x3 / "compilation-000.txt").read_bytes() == EXCERPT.read_bytes()


def test_output_is_deterministic(excerpt_x3: Path, tmp_path: Path) -> None:
    again = make_corpus(3, source=EXCERPT, out=tmp_path).folder
    for k in range(3):
        name = f"compilation-{k:03d}.txt"
        assert (again / name).read_bytes() == (excerpt_x3 / name).read_bytes()


@pytest.mark.slow
def test_whole_compilation_x2_doubles_documents_tasks_and_targets(tmp_path: Path) -> None:
    one = load([COMPILATION])
    two = load([make_corpus(2, out=tmp_path).folder])
    assert len(two.documents) == 2 * len(one.documents) == 266
    assert len({d.title for d in two.documents}) == 266
    assert len(two.tasks) == 2 * len(one.tasks)
    assert len(two.targets) == 2 * len(one.targets)
    assert sum(s.unexplained_lines for s in two.summary) == 0
    # every copy a corpus of its own: sections re-keyed, citations inside the copy
    sections = [s for d in two.documents for s in d.sections]
    assert len({s.id for s in sections}) == len(sections) == 2 * sum(
        len(d.sections) for d in one.documents)
    assert all(s.id.startswith(f"{d.id}/") for d in two.documents for s in d.sections)
    resolved = [c for c in two.citations if c.cited_doc_id]
    assert 1.98 <= len(resolved) / len([c for c in one.citations if c.cited_doc_id]) <= 2.05
    # a quote of copy 1's exact title (on one line) names copy 1's document
    copy_of = {d.id: d.file for d in two.documents}
    own = [c for c in resolved if c.cited_title.startswith("样本1")]
    assert own
    assert all(copy_of[c.doc_id] == copy_of[c.cited_doc_id] == "compilation-001.txt"
               for c in own)
