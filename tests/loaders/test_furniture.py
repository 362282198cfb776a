"""loaders.furniture: page furniture set aside on real PDF pages, nothing else dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.loaders.furniture import clean_pdf, is_page_number, strip_page_number
from policykg.loaders.lines import FurnitureKind
from policykg.loaders.pdf import PdfPage, PdfText, read_pdf

PDF = Path(__file__).parent.parent / "data" / "fixtures" / "pdf"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("— 3 —", True, id="em-dashes"),
        pytest.param("- 3 -", True, id="hyphens"),
        pytest.param("―3―", True, id="bars"),
        pytest.param("－１２－", True, id="full-width"),
        pytest.param("—— 5 ——", True, id="double-dashes"),
        pytest.param("— 5 —— 6 —", True, id="two-numbers"),
        pytest.param("第 1页 共 28 页", True, id="page-of-pages"),
        pytest.param("第3页", True, id="page-n"),
        pytest.param("共12页 第3页", True, id="pages-then-page"),
        pytest.param("12", True, id="bare-number"),
        pytest.param("IV", True, id="roman"),
        pytest.param("二、总体要求", False, id="heading"),
        pytest.param("2030年前碳达峰", False, id="text"),
        pytest.param("—", False, id="lone-dash"),
    ],
)
def test_page_number_shapes(text: str, expected: bool) -> None:
    assert is_page_number(text) is expected


def test_bare_number_only_at_a_page_edge() -> None:
    assert not is_page_number("12", at_edge=False)
    assert is_page_number("— 12 —", at_edge=False)


@pytest.mark.parametrize(
    ("line", "max_page", "kept", "cut"),
    [
        pytest.param("— 1 —碳中和目标具有重要意义。", 18, "碳中和目标具有重要意义。", "— 1 —",
                     id="before-text-400"),
        pytest.param("注册登记机构依申请为登记主体在注册登记系统中开— 4 —", 18,
                     "注册登记机构依申请为登记主体在注册登记系统中开", "— 4 —",
                     id="after-text-402"),
        pytest.param("—1— 福州市人民政府文件", 9, "福州市人民政府文件", "—1—",
                     id="before-letterhead-404"),
        pytest.param("抽水蓄能 万千瓦 ０ ０ — ４２０ —", 49, "抽水蓄能 万千瓦 ０ ０ — ４２０ —", "",
                     id="table-value-not-a-page-108"),
        pytest.param("需求响应负荷占比（%） —— 5 —— 预期性", 36,
                     "需求响应负荷占比（%） —— 5 —— 预期性", "", id="inside-a-table-row-213"),
    ],
)
def test_glued_page_numbers(line: str, max_page: int, kept: str, cut: str) -> None:
    rest, removed = strip_page_number(line, max_page)
    assert (rest.strip(), removed) == (kept, cut)


def _furniture(name: str) -> dict[int, tuple[FurnitureKind, str, bool]]:
    cleaned = clean_pdf(read_pdf(PDF / name))
    return {f.line: (f.kind, f.text, f.partial) for f in cleaned.furniture}


def test_watermark_with_glued_page_number_tianjin() -> None:
    cleaned = clean_pdf(read_pdf(PDF / "tianjin_watermark.pdf"))
    assert [(f.line, f.page, f.kind, f.text, f.partial) for f in cleaned.furniture] == [
        (n, page, kind, text, partial)
        for n, page in ((1, 1), (23, 2), (46, 3))
        for kind, text, partial in (
            (FurnitureKind.WATERMARK, "资料整理：碳中和资料库公众号", False),
            (FurnitureKind.PAGE_NUMBER, f"— {page} —", True),
        )
    ]
    assert cleaned.lines[0].text == "市生态环境局关于天津市2021年度碳排放配"
    assert cleaned.artifacts == (1, 23, 46)


def test_page_numbers_glued_inside_wrapped_sentences_coal() -> None:
    cleaned = clean_pdf(read_pdf(PDF / "coal_glued_page_numbers.pdf"))
    texts = {s.number: s.text for s in cleaned.lines}
    assert texts[9] == "碳中和目标具有重要意义。"
    assert texts[31] == "坚持分类施策、分企施策、一厂一策、一机一策，指导企业"
    cuts = [(f.line, f.text) for f in cleaned.furniture if f.partial]
    assert cuts == [(9, "— 1 —"), (31, "— 2 —")]
    assert cleaned.artifacts == ()


def test_running_head_and_roman_page_numbers_sanya() -> None:
    found = _furniture("sanya_running_head_roman.pdf")
    heads = sorted(n for n, (k, _, _) in found.items() if k is FurnitureKind.RUNNING_HEAD)
    assert heads == [1, 5, 25, 46, 71]
    assert {found[n][1] for n in heads} == {"三亚市“十四五”海洋生态环境保护规划"}
    romans = [found[n][1] for n in sorted(found) if found[n][0] is FurnitureKind.PAGE_NUMBER]
    assert romans == ["I", "II", "III", "IV"]
    cleaned = clean_pdf(read_pdf(PDF / "sanya_running_head_roman.pdf"))
    # the cover keeps its own title, printed over two lines under the running head
    assert [s.text for s in cleaned.lines[:2]] == ["三亚市“十四五”海洋生态", "环境保护规划"]


def test_page_of_pages_and_letterhead_guizhou() -> None:
    found = _furniture("guizhou_page_of_pages.pdf")
    assert found[2] == (FurnitureKind.LETTERHEAD, "贵州省住房和城乡建设厅文件", False)
    assert [found[n][1] for n in (12, 34, 58)] == [
        "第 1页 共 28 页", "第 2页 共 28 页", "第 3页 共 28 页"]


def test_letterhead_over_several_lines_qinghai() -> None:
    found = _furniture("qinghai_letterhead_lines.pdf")
    letterhead = [found[n][1] for n in sorted(found) if found[n][0] is FurnitureKind.LETTERHEAD]
    assert letterhead == ["青 海 省 人 民 政 府", "国 家 能 源 局", "文件"]
    assert found[17] == (FurnitureKind.PAGE_NUMBER, "— １ —", False)


def test_web_metadata_chrome_goes_header_fields_stay_jilin() -> None:
    found = _furniture("jilin_web_metadata.pdf")
    chrome = [found[n][1] for n in sorted(found) if found[n][0] is FurnitureKind.WEB_METADATA]
    assert chrome == [
        "索引号：", "11220000013544357T/2021-", "04230 分类： 环境监测、保护与治理;意见"]
    cleaned = clean_pdf(read_pdf(PDF / "jilin_web_metadata.pdf"))
    assert cleaned.lines[0].text == "发文机关： 吉林省人民政府 成文日期： 2021 年 09 月 01 日"


def test_bar_page_numbers_chengyu() -> None:
    found = _furniture("chengyu_bar_dashes.pdf")
    assert [v[1] for v in found.values()] == ["― 1 ―", "― 2 ―", "― 3 ―"]


@pytest.mark.parametrize("name", sorted(p.name for p in PDF.glob("*.pdf")
                                        if not p.name.startswith("bad_")))
def test_every_line_accounted_for(name: str) -> None:
    pdf = read_pdf(PDF / name)
    cleaned = clean_pdf(pdf, f"sub/{name}")
    whole = [f for f in cleaned.furniture if not f.partial]
    assert cleaned.total_lines == sum(len(p.lines) for p in pdf.pages)
    assert cleaned.total_lines == len(cleaned.lines) + cleaned.blank_lines + len(whole)
    assert sorted(f.line for f in whole) == list(cleaned.artifacts)
    assert cleaned.pages == len(pdf.pages)
    assert cleaned.source_file == f"sub/{name}"
    # every kept line knows its page, and page_of agrees
    assert all(cleaned.page_of(s.number) == s.page for s in cleaned.lines)


def test_bare_table_numbers_off_the_page_sequence_stay() -> None:
    # pages whose last line is a table value that does not follow the page numbering
    pages = tuple(
        PdfPage(number=i, lines=(f"— {i} —", "一、项目清单", "序号 项目 投资", f"{i + 40}"))
        for i in range(1, 5)
    )
    cleaned = clean_pdf(PdfText(file="t.pdf", pages=pages))
    assert [s.text for s in cleaned.lines if s.text.isdigit()] == ["41", "42", "43", "44"]
    assert len(cleaned.artifacts) == 4


def test_paragraphs_of_a_pdf_know_their_page() -> None:
    from policykg.loaders.documents import load_documents

    (doc,) = load_documents([PDF / "coal_glued_page_numbers.pdf"]).documents
    # page 1 holds lines 1-18; the paragraph 12-19 runs over the page break and is given
    # the page of its first line, as a span is
    assert [(p.start_line, p.end_line, p.page) for p in doc.paragraphs[3:6]] == [
        (11, 11, 1), (12, 19, 1), (20, 20, 2)]
    assert all(p.page == (1 if p.start_line <= 18 else 2) for p in doc.paragraphs)


def test_normative_letterhead_with_its_issued_by_line_chongqing() -> None:
    """557 (渝府办发〔2022〕79号), page 1 as pypdfium2 reads it: both 版头 lines go."""
    page = PdfPage(number=1, lines=(
        "", "重庆市人民政府办公厅行政规范性文件", "重庆市人民政府办公厅发布", "", "",
        "- 1 -", "重庆市人民政府办公厅关于", "推动城乡建设绿色发展的实施意见",
        "渝府办发〔2022〕79 号", "各区县（自治县）人民政府，市政府各部门，有关单位：",
    ))
    cleaned = clean_pdf(PdfText(file="557.pdf", pages=(page,)))
    gone = {f.line: (f.kind, f.text) for f in cleaned.furniture}
    assert gone == {2: (FurnitureKind.LETTERHEAD, "重庆市人民政府办公厅行政规范性文件"),
                    3: (FurnitureKind.LETTERHEAD, "重庆市人民政府办公厅发布"),
                    6: (FurnitureKind.PAGE_NUMBER, "- 1 -")}
    assert [ln.text for ln in cleaned.lines][:2] == ["重庆市人民政府办公厅关于",
                                                   "推动城乡建设绿色发展的实施意见"]


def test_a_title_ending_in_fabu_under_a_letterhead_stays() -> None:
    """``关于…发布`` has words a letterhead never has: it is not taken for the issued-by line."""
    page = PdfPage(number=1, lines=(
        "重庆市人民政府办公厅行政规范性文件", "关于碳排放数据质量管理有关事项的发布",
        "渝府办发〔2022〕1 号",
    ))
    cleaned = clean_pdf(PdfText(file="x.pdf", pages=(page,)))
    assert [f.line for f in cleaned.furniture] == [1]
