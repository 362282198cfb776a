"""loaders.pdf: PDF bytes -> pages of text lines; bad PDFs raise the right InputError."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.errors import (
    DamagedPdfError,
    EmptyInputError,
    EncryptedPdfError,
    InputError,
    ScannedPdfError,
)
from policykg.loaders.pdf import is_pdf, parse_pdf, read_pdf

PDF = Path(__file__).parent.parent / "data" / "fixtures" / "pdf"
GANSU = PDF / "gansu_letterhead_fullwidth.pdf"


def test_gansu_pages_and_lines_in_reading_order() -> None:
    text = read_pdf(GANSU)
    assert [p.number for p in text.pages] == [1, 2, 3]
    first = text.pages[0].lines
    assert first[:4] == (
        "甘肃省人民政府文件",
        "甘政发 〔２０２１〕６２号",
        "甘肃省人民政府印发关于加快建立健全",
        "绿色低碳循环发展经济体系实施方案的通知",
    )
    assert first[-1] == "— １ —"
    assert text.pages[1].lines[0] == "关于加快建立健全绿色低碳循环发展"
    assert text.problems == ()


def test_lines_numbered_through_the_file_with_their_page() -> None:
    text = read_pdf(GANSU)
    lines = text.source_lines()
    assert [s.number for s in lines] == list(range(1, len(lines) + 1))
    first_p2 = next(s for s in lines if s.page == 2)
    assert first_p2.number == len(text.pages[0].lines) + 1
    assert first_p2.text == "关于加快建立健全绿色低碳循环发展"


def test_deterministic() -> None:
    data = GANSU.read_bytes()
    assert parse_pdf(data, "g.pdf") == parse_pdf(data, "g.pdf")


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        pytest.param("bad_encrypted.pdf", EncryptedPdfError, "encrypted PDF", id="encrypted"),
        pytest.param("bad_scan_no_text.pdf", ScannedPdfError, "no text layer", id="scan"),
        pytest.param("bad_truncated.pdf", DamagedPdfError, "damaged PDF", id="truncated"),
    ],
)
def test_bad_pdfs(name: str, error: type[InputError], message: str) -> None:
    with pytest.raises(error, match=message) as info:
        read_pdf(PDF / name)
    assert str(info.value).startswith(f"{name}:")
    assert "\n" not in str(info.value)


def test_empty_and_not_pdf() -> None:
    with pytest.raises(EmptyInputError):
        parse_pdf(b"", "e.pdf")
    with pytest.raises(DamagedPdfError, match="not a PDF"):
        parse_pdf("碳达峰".encode(), "t.pdf")
    assert is_pdf(GANSU.read_bytes()[:1024])


def test_private_use_glyphs_reported_with_page_qinghai() -> None:
    # 108 青海 p4 (the table of contents): the leader dots are a private-use glyph
    text = read_pdf(PDF / "qinghai_letterhead_lines.pdf")
    (problem,) = text.problems
    assert problem.code == "P001"
    assert str(problem).startswith("qinghai_letterhead_lines.pdf:p2:19-30: P001 page 2: 151 ")
    assert "U+1001BA×151" in problem.message
    assert text.pages[1].lines[1].startswith("一、 总体要求 \U001001ba")
