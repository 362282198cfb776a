"""Tests for loaders.source: UTF-8 / BOM / GB18030 decoding, and refusing bad input."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from policykg.errors import EmptyInputError, EncodingError, NotAPolicyTextError
from policykg.loaders import source
from policykg.loaders.documents import load_documents
from policykg.loaders.source import check_policy_text, decode_bytes, read_text

# line 41030-41034 of the compilation: a title and its 发文字号
NOTICE = "自治区人民政府关于加快建立健全绿色低碳循环发展经济体系的实施意见\n宁政发〔2021〕39号\n"


def test_doctests() -> None:
    assert doctest.testmod(source).failed == 0


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(NOTICE.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + NOTICE.encode("utf-8"), "utf-8-sig", id="utf-8-bom"),
        pytest.param(NOTICE.encode("gb18030"), "gb18030", id="gb18030"),
        pytest.param(NOTICE.encode("gbk"), "gb18030", id="gbk-read-as-gb18030"),
        pytest.param(NOTICE.encode("utf-16"), "utf-16", id="utf-16-bom"),
    ],
)
def test_decode_bytes_detects_the_encoding(data: bytes, encoding: str) -> None:
    text, found = decode_bytes(data, "x.txt")
    assert (text, found) == (NOTICE, encoding)


def test_gbk_fixture_is_decoded_and_reported(fixtures_dir: Path) -> None:
    decoded = read_text(fixtures_dir / "loader_gbk_notice.txt")
    assert decoded.encoding == "gb18030"
    assert decoded.text.startswith("自治区人民政府关于加快建立健全绿色低碳循环发展经济体系")
    assert [p.code for p in decoded.problems] == ["E001"]
    assert decoded.problems[0].span.file == "loader_gbk_notice.txt"


def test_bom_fixture_loses_its_bom(fixtures_dir: Path) -> None:
    decoded = read_text(fixtures_dir / "loader_bom_notice.txt")
    assert decoded.encoding == "utf-8-sig"
    assert not decoded.text.startswith("\ufeff")
    assert decoded.problems == ()


@pytest.mark.parametrize("end", ["\r", "\r\n"], ids=["CR", "CRLF"])
def test_cr_and_crlf_line_ends_are_line_ends(fixtures_dir: Path, tmp_path: Path,
                                             end: str) -> None:
    # a lone CR (old Mac) used to leave the notice one 3,000-character line, no title
    notice = (fixtures_dir / "loader_single_notice.txt").read_text(encoding="utf-8")
    path = tmp_path / "cr.txt"
    path.write_bytes(notice.replace("\n", end).encode("utf-8"))
    (doc,) = load_documents([path]).documents
    assert doc.title == "关于加快建立健全绿色低碳循环发展经济体系的指导意见"
    assert (doc.doc_number, doc.date, doc.start_line, doc.end_line) == (
        "国发〔2021〕4号", "2021-02-02", 1, 16)


@pytest.mark.parametrize(
    "data",
    [pytest.param(b"", id="empty"), pytest.param(b"  \n\n\t\n", id="blank-lines-only")],
)
def test_empty_input_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(EmptyInputError, match="empty input"):
        read_text(path)


def test_binary_input_names_file_byte_and_line(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf.txt"
    path.write_bytes(NOTICE.encode("utf-8") + b"\x00\x01binary")
    with pytest.raises(EncodingError) as info:
        read_text(path)
    offset = len(NOTICE.encode("utf-8"))
    assert info.value.span is not None
    assert (info.value.span.file, info.value.span.start_line) == ("scan.pdf.txt", 3)
    assert f"byte {offset}" in str(info.value)
    assert str(info.value).startswith("scan.pdf.txt:3: ")


def test_undecodable_input_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    # 0x80 alone is invalid in UTF-8 and in GB18030
    path.write_bytes("碳达峰\n".encode() + b"\x80")
    with pytest.raises(EncodingError, match=r"0x80 at byte 10"):
        read_text(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(EncodingError, match="cannot read"):
        read_text(tmp_path / "nowhere.txt")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Minutes of the meeting.\nNothing to report.\n" * 5, id="english"),
        pytest.param("静夜思\n床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n", id="poem"),
    ],
)
def test_text_that_is_not_a_policy_is_refused(text: str) -> None:
    with pytest.raises(NotAPolicyTextError, match="not a Chinese policy text"):
        check_policy_text(text, "x.txt")


def test_not_policy_fixture_is_refused_by_the_loader(fixtures_dir: Path) -> None:
    with pytest.raises(NotAPolicyTextError) as info:
        load_documents([fixtures_dir / "loader_not_policy.txt"])
    assert info.value.span is not None
    assert info.value.span.file == "loader_not_policy.txt"
    assert info.value.excerpt == "静夜思"


@pytest.mark.parametrize(
    ("text", "cjk"),
    [
        # 19 CJK characters and two policy words: too short
        pytest.param("关于推进工作的通知" + "碳" * 10, 19, id="19-cjk"),
        # plenty of CJK text, one policy word only, far into a long text
        pytest.param("床前明月光" * 30_000 + "通知", 150_002, id="one-word"),
    ],
)
def test_refusal_counts_the_cjk_characters_of_the_sample(text: str, cjk: int) -> None:
    with pytest.raises(NotAPolicyTextError, match=f"\\({cjk} CJK characters"):
        check_policy_text(text, "x.txt")


def test_twenty_cjk_characters_and_two_policy_words_are_enough() -> None:
    check_policy_text("关于推进工作的通知" + "碳" * 11, "x.txt")
    # the words may come late, after 200,000 characters they are not looked for
    check_policy_text("床前明月光" * 30_000 + "通知" + "意见", "x.txt")
    with pytest.raises(NotAPolicyTextError, match="200000 CJK"):
        check_policy_text("床前明月光" * 40_000 + "通知意见", "x.txt")
