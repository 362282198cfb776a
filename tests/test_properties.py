"""Property tests of the normalisation and the loaders on generated PDF-damaged policy text.

The Chinese-numeral round trip (int → 一百二十 → int) lives in ``tests/loaders/test_numerals.py``;
here numbers are checked as they appear with units and multipliers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from strategies import (
    PdfText,
    chinese_numeral,
    cjk_line,
    full_width_digits,
    pdf_text,
    policy_like_text,
)

from policykg.errors import PolicyKGError
from policykg.loaders.corpus import load
from policykg.loaders.documents import load_documents
from policykg.loaders.lines import clean_lines, join_paragraphs, join_text
from policykg.loaders.numerals import parse_number
from policykg.records import Corpus

_SPACE = re.compile(r"\s")


def _solid(text: str) -> str:
    """The non-space characters of ``text``, in order."""
    return _SPACE.sub("", text)


@given(pdf_text())
@example(PdfText(text="碳达峰\n\n\n\n16\n\n 碳中和\n", content=((1, "碳达峰"), (7, "碳中和")),
                 footers=(5,)))
def test_cleaning_keeps_printed_lines_and_drops_only_footers(pdf: PdfText) -> None:
    cleaned = clean_lines(pdf.text, "generated.txt")
    assert [(s.number, s.text) for s in cleaned.lines] == list(pdf.content)
    assert cleaned.artifacts == pdf.footers
    page_lines = {n for n, _ in pdf.content}
    assert cleaned.page_starts <= page_lines


@given(pdf_text())
def test_joining_never_drops_or_reorders_characters(pdf: PdfText) -> None:
    paragraphs = join_paragraphs(clean_lines(pdf.text, "generated.txt").lines)
    assert _solid("".join(p.text for p in paragraphs)) == _solid("".join(t for _, t in pdf.content))


@given(st.lists(cjk_line(), min_size=1, max_size=12))
@example(["LegalEntity", "Identifier（LEI）"])
@example(["中共中央 国务院关于完整准确全面贯彻新发展", "理念做好碳达峰碳中和工作的意见"])
def test_join_text_never_drops_or_reorders_characters(parts: list[str]) -> None:
    joined = join_text(parts)
    assert _solid(joined) == _solid("".join(parts))
    assert len(joined) >= len("".join(parts))


@given(pdf_text())
def test_every_character_maps_back_to_its_own_source_line(pdf: PdfText) -> None:
    printed = dict(pdf.content)
    numbers = sorted(printed)
    for para in join_paragraphs(clean_lines(pdf.text, "generated.txt").lines):
        starts = [o for o, _ in para.offsets]
        lines = [n for _, n in para.offsets]
        assert starts[0] == 0
        assert starts == sorted(set(starts)), "offsets must strictly increase"
        assert lines == sorted(set(lines)), "line numbers must strictly increase"
        assert all(0 <= o < len(para.text) for o in starts)
        assert (para.start_line, para.end_line) == (lines[0], lines[-1])
        assert set(lines) <= set(numbers)
        # each stretch of the paragraph holds exactly the characters of its source line
        bounds = [*starts, len(para.text)]
        for k, number in enumerate(lines):
            stretch = para.text[bounds[k] : bounds[k + 1]]
            assert _solid(stretch) == _solid(printed[number])
            assert all(para.line_at(i) == number for i in range(bounds[k], bounds[k + 1]))
        assert para.line_at(len(para.text) + 5) == lines[-1]


@given(full_width_digits())
def test_full_width_decimal_parses_as_half_width(pair: tuple[str, str]) -> None:
    half, full = pair
    assert parse_number(full) == parse_number(half) == pytest.approx(float(half))


@given(st.integers(min_value=0, max_value=99_999), st.sampled_from(("万", "亿")))
def test_multiplier_after_a_number(n: int, unit: str) -> None:
    factor = 10_000 if unit == "万" else 100_000_000
    assert parse_number(f"{n}{unit}") == n * factor
    assert parse_number(str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
                        + unit) == n * factor


@given(chinese_numeral(9999), st.sampled_from(("万", "亿")))
def test_chinese_numeral_with_a_group_unit(pair: tuple[int, str], unit: str) -> None:
    n, text = pair
    factor = 10_000 if unit == "万" else 100_000_000
    if n == 0:
        return  # 零万 is not written
    assert parse_number(text + unit) == n * factor


_LOADER_SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


def _assert_names_the_file(error: PolicyKGError) -> None:
    """A loader error's first line names the input file."""
    assert "input.txt" in str(error).splitlines()[0]


def _write(folder: Path, data: bytes) -> Path:
    path = folder / "input.txt"
    path.write_bytes(data)
    return path


@_LOADER_SETTINGS
@given(text=policy_like_text())
# found by the exploring profile: headings and no document said "nothing could be read"
@example(text="  第一部分 习近平总书记重要指示\n\n 第一章 国家发展和改革委员会")
def test_any_text_gives_documents_or_a_project_error(
    text: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = _write(tmp_path_factory.mktemp("fuzz"), text.encode("utf-8"))
    try:
        loaded = load_documents([path])
    except PolicyKGError as e:
        _assert_names_the_file(e)
        return
    total = text.count("\n") + 1
    for doc in loaded.documents:
        assert 1 <= doc.start_line <= doc.end_line <= total
        for para in doc.paragraphs:
            assert doc.start_line <= para.start_line <= para.end_line <= doc.end_line
    for summary in loaded.summaries:
        accounted = (summary.blank_lines + summary.artifact_lines + summary.structure_lines
                     + summary.document_lines + summary.unexplained_lines + summary.repeated_lines)
        assert accounted == summary.total_lines


@_LOADER_SETTINGS
@given(text=policy_like_text(), encoding=st.sampled_from(("utf-8", "utf-8-sig", "gb18030")))
def test_any_text_gives_a_corpus_or_a_project_error(
    text: str, encoding: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    path = _write(tmp_path_factory.mktemp("fuzz"), data)
    try:
        corpus = load([path])
    except PolicyKGError:
        return
    assert isinstance(corpus, Corpus)
    ids = [d.id for d in corpus.documents]
    assert len(ids) == len(set(ids))
    doc_ids = set(ids)
    assert all(t.doc_id in doc_ids for t in corpus.tasks)
    assert all(t.doc_id in doc_ids for t in corpus.targets)
    assert all(c.doc_id in doc_ids for c in corpus.citations)


@_LOADER_SETTINGS
@given(data=st.binary(max_size=400))
def test_any_bytes_give_documents_or_a_project_error(
    data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = _write(tmp_path_factory.mktemp("fuzz"), data)
    try:
        load_documents([path])
    except PolicyKGError as e:
        _assert_names_the_file(e)
