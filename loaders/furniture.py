"""Page furniture: what a printed page adds that is not the document, found and set aside.

Page numbers in every printed shape (``— 3 —``, ``- 3 -``, ``―3―``, ``第3页 共12页``, a bare
number or Roman numeral at the top or bottom of a page), also glued to a line of text
(``— 1 —碳中和目标…``: PDFium puts a page's number wherever its content stream has it);
running heads and footers repeated across pages; letterheads (``…人民政府文件``); aggregator
watermarks (``资料整理：…公众号``); web metadata (``索引号``, ``浏览次数``, ``打印本页``). Every
removed line is kept as a ``Furniture`` record (the letterhead is header evidence) and counted.
The rules were learned from the 364 PDFs of the development corpus; the words are data
(``lexicons/furniture.toml``). Standard library and ``policykg`` only: must not import
rdflib, networkx, pyvis, spaCy or jieba.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from policykg.loaders.lines import (
    MARKER_RE,
    CleanedLines,
    Furniture,
    FurnitureKind,
    ascii_punctuation_damage,
    restore_punctuation,
    restore_yi_punctuation,
    yi_punctuation_damage,
)
from policykg.loaders.pdf import PdfText
from policykg.records import SourceLine

__all__ = ["clean_pdf", "is_page_number", "strip_page_number"]

_DASH = "\u2014\u2013\\-\uff0d\u2015\u2012~\uff5e_"
_NUM = "[0-9０-９]{1,3}"

# A whole line that is a page number. 107: "— １ —"; 446: "- 2 -"; 400: "— 5 —— 6 —";
# 534: "第 1页 共 28 页"; 108: "—— 5 ——"; "第3页" ; "3/12".
PAGE_NUMBER_RE = re.compile(
    rf"""^(?:
        (?:[{_DASH}]{{1,2}}\s*{_NUM}\s*[{_DASH}]{{1,2}}\s*)+     # — 3 — (twice: 400 p8)
      | [{_DASH}]{{1,2}}\s*{_NUM} | {_NUM}\s*[{_DASH}]{{1,2}}    # — 3   /  3 —
      | 第\s*{_NUM}\s*页\s*[,，/]?\s*(?:共\s*{_NUM}\s*页)?        # 第 1页 共 28 页
      | 共\s*{_NUM}\s*页\s*[,，]?\s*第\s*{_NUM}\s*页              # 共12页 第3页
      | [-—]?\s*(?:Page|page|PAGE)\s*{_NUM}(?:\s*(?:of|/)\s*{_NUM})?
    )$""",
    re.VERBOSE,
)

# A bare number, "3/12" or a Roman numeral: a page number only at a page's edge.
EDGE_NUMBER_RE = re.compile(
    rf"""^(?:{_NUM}(?:\s*/\s*{_NUM})? | [IVXivx]{{1,5}} | [ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ])$""", re.VERBOSE
)

# A page number glued before or after text on one line. 404: "—1— 福州市人民政府文件";
# 400: "— 1 —碳中和目标具有重要意义。"; 402: "…中开— 4 —"; 218: "资料整理：…公众号 — 1 —".
LEADING_NUMBER_RE = re.compile(rf"""^[{_DASH}]{{1,2}}\s*(?P<n>{_NUM})\s*[{_DASH}]{{1,2}}\s*""")
TRAILING_NUMBER_RE = re.compile(rf"""\s*[{_DASH}]{{1,2}}\s*(?P<n>{_NUM})\s*[{_DASH}]{{1,2}}$""")

# Punctuation a running head (a title, an agency) never ends or holds.
_NOT_IN_HEAD = "。；：:，,！？"
_DIGITS_RE = re.compile(r"[0-9０-９]+")
_SPACE_RE = re.compile(r"[\s\u3000]+")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
# A run of letterhead lines: agency names, short, no punctuation. 108: "青 海 省 人 民 政 府" /
# "国 家 能 源 局" / "文件".
_NAME_LINE_RE = re.compile(r"^[\u3400-\u9fff（）()\s]{2,40}$")

#: How many lines at a page's top and bottom hold running heads and edge page numbers.
_EDGE = 2
#: How many lines at the top of page 1 hold the letterhead and web metadata.
_TOP = 12


@dataclass(frozen=True, slots=True)
class _Lexicon:
    chrome_label_re: re.Pattern[str]
    chrome_lines: frozenset[str]
    header_label_re: re.Pattern[str]
    watermark_re: re.Pattern[str]
    letterhead_suffix: str
    issued_by_suffix: str
    not_in_letterhead: tuple[str, ...]


@functools.cache
def _lexicon() -> _Lexicon:
    data = tomllib.loads(
        resources.files("policykg.loaders").joinpath("lexicons", "furniture.toml")
        .read_text(encoding="utf-8")
    )
    web, mark, head = data["web_metadata"], data["watermark"], data["letterhead"]

    def labels(names: Sequence[str]) -> re.Pattern[str]:
        alt = "|".join(sorted((re.escape(n).replace(r"\ ", r"\s*") for n in names),
                              key=len, reverse=True))
        # a label opens the line or follows a space or a value's last character
        return re.compile(rf"(?:^|(?<=[\s0-9A-Za-z）)]))(?:{alt})\s*[：:]")

    return _Lexicon(
        chrome_label_re=labels(web["chrome_labels"]),
        chrome_lines=frozenset(_SPACE_RE.sub("", s) for s in web["chrome_lines"]),
        header_label_re=labels(web["header_labels"]),
        watermark_re=re.compile("|".join(mark["patterns"])),
        letterhead_suffix=head["suffix"],
        issued_by_suffix=head["issued_by_suffix"],
        not_in_letterhead=tuple(head["not_in_letterhead"]),
    )


def is_page_number(text: str, *, at_edge: bool = True) -> bool:
    """Return True when a whole line is a printed page number.

    A bare number or Roman numeral counts only at a page's top or bottom (``at_edge``).

    >>> [is_page_number(s) for s in ("— 3 —", "- 3 -", "―3―", "第3页 共12页", "12", "碳达峰")]
    [True, True, True, True, True, False]
    >>> is_page_number("12", at_edge=False)
    False
    """
    t = text.strip()
    if not t:
        return False
    if PAGE_NUMBER_RE.match(t):
        return True
    return at_edge and EDGE_NUMBER_RE.match(t) is not None


def strip_page_number(text: str, max_page: int = 999) -> tuple[str, str]:
    """Cut a page number glued to the start or end of a line of text.

    Only ``— N —`` shapes (a dash on both sides) with ``N <= max_page`` are cut: a table row
    ending ``— ４２０ —`` in a 49-page file (108 p8) keeps its value.

    Returns:
        The text without the page number, and the cut-off part ("" when none).

    >>> strip_page_number("— 1 —碳中和目标具有重要意义。", 18)
    ('碳中和目标具有重要意义。', '— 1 —')
    >>> strip_page_number("储能工厂 万千瓦 ０ ０ — ５００ —", 49)
    ('储能工厂 万千瓦 ０ ０ — ５００ —', '')
    """
    cut = []
    for regex in (LEADING_NUMBER_RE, TRAILING_NUMBER_RE):
        m = regex.search(text)
        if m is not None and m.group(0).strip() != text.strip():
            value = int(m.group("n").translate(_FULL_DIGITS))
            if 1 <= value <= max_page:
                cut.append(m.group(0).strip())
                text = text[: m.start()] + text[m.end():]
    return text, " ".join(cut)


_FULL_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _key(text: str) -> str:
    """A line's text for comparing across pages: no spaces, digits as 9."""
    return _DIGITS_RE.sub("9", _SPACE_RE.sub("", text))


def _is_chrome(text: str, lex: _Lexicon) -> bool:
    compact = _SPACE_RE.sub("", text)
    if compact in lex.chrome_lines:
        return True
    return (lex.chrome_label_re.search(text) is not None
            and lex.header_label_re.search(text) is None)


def _is_letterhead_line(text: str, lex: _Lexicon) -> bool:
    compact = _SPACE_RE.sub("", text)
    return (
        compact.endswith(lex.letterhead_suffix)
        and _NAME_LINE_RE.match(text) is not None
        and not any(w in compact for w in lex.not_in_letterhead)
    )


def _is_issued_by_line(text: str, lex: _Lexicon) -> bool:
    """``重庆市人民政府办公厅发布`` under a 规范性文件 letterhead: the issuer's name, then 发布."""
    compact = _SPACE_RE.sub("", text)
    name = compact.removesuffix(lex.issued_by_suffix)
    return (
        name != compact
        and _NAME_LINE_RE.match(name) is not None
        and not any(w in compact for w in lex.not_in_letterhead)
    )


def _running_heads(pages: Sequence[Sequence[tuple[int, str]]]) -> set[str]:
    """Keys of lines at a page's edge repeated on at least 3 pages and half of them."""
    counts: Counter[str] = Counter()
    for page in pages:
        edge = [t for _, t in page[:_EDGE]] + [t for _, t in page[-_EDGE:]]
        # a table's header row repeated on each page has cells apart: "序号 项目 投资"
        counts.update({_key(t) for t in edge if not _SPACE_RE.search(t.strip())})
    need = max(3, (len(pages) + 1) // 2)
    return {
        key for key, n in counts.items()
        if n >= need
        and len(key) >= 6
        and _CJK_RE.search(key)
        and not any(ch in key for ch in _NOT_IN_HEAD)
        and MARKER_RE.match(key) is None
        and not key.startswith("附")
    }


def clean_pdf(pdf: PdfText, source_file: str = "") -> CleanedLines:
    """Number a PDF's lines through the file and set page furniture aside.

    Args:
        pdf: the text layer from ``loaders.pdf.read_pdf``.
        source_file: the file's path relative to the input root (``Document.source_file``).

    Returns:
        The kept lines (each with its page; glued page numbers cut off), the numbers of the
        furniture lines (``artifacts``) and each piece of furniture with its kind, the blank
        line count and the page count.
    """
    lex = _lexicon()
    lines = pdf.source_lines()
    max_page = len(pdf.pages) + 10
    by_page: dict[int, list[tuple[int, str]]] = defaultdict(list)
    furniture: list[Furniture] = []
    blank = 0
    texts: dict[int, str] = {}
    pages_of: dict[int, int] = {}

    def drop(line: SourceLine, kind: FurnitureKind, text: str | None = None) -> None:
        furniture.append(Furniture(kind=kind, line=line.number, page=line.page or 0,
                                   text=line.text.strip() if text is None else text))

    # pass 1: page numbers wherever they stand, glued ones cut off the line
    for line in lines:
        text = line.text.strip()
        if not text:
            blank += 1
            continue
        if PAGE_NUMBER_RE.match(text):
            drop(line, FurnitureKind.PAGE_NUMBER)
            continue
        rest, cut = strip_page_number(text, max_page)
        if cut:
            furniture.append(Furniture(kind=FurnitureKind.PAGE_NUMBER, line=line.number,
                                       page=line.page or 0, text=cut, partial=True))
            text = rest.strip()
        texts[line.number] = text
        pages_of[line.number] = line.page or 0
        by_page[line.page or 0].append((line.number, text))

    removed: dict[int, FurnitureKind] = {}
    # pass 2: page edges: bare numbers that follow the file's numbering, running heads
    heads = _running_heads(list(by_page.values()))
    first_page = min(by_page) if by_page else 0
    offsets: Counter[int] = Counter(
        o for f in furniture if (o := _offset(f.text, f.page)) is not None
    )
    bare: list[tuple[int, int | None]] = []
    for page, items in by_page.items():
        edge = {n for n, _ in items[:_EDGE]} | {n for n, _ in items[-_EDGE:]}
        for number, text in items:
            if number not in edge:
                continue
            if is_page_number(text) and _edge_number_ok(text, max_page):
                offset = _offset(text, page)
                if offset is not None:
                    offsets[offset] += 1
                bare.append((number, offset))
            elif _key(text) in heads and (page != first_page
                                         or _repeated_on_page(number, text, items)):
                removed[number] = FurnitureKind.RUNNING_HEAD
    for number, offset in bare:
        # a number in a table cell at a page's edge does not follow the page sequence
        if offset is None or offset == 0 or offsets[offset] >= 2:
            removed[number] = FurnitureKind.PAGE_NUMBER
    # pass 3: watermarks and web chrome anywhere; the letterhead at the top of page 1
    for number, text in texts.items():
        if number in removed:
            continue
        if lex.watermark_re.search(text):
            removed[number] = FurnitureKind.WATERMARK
        elif _is_chrome(text, lex):
            removed[number] = FurnitureKind.WEB_METADATA
    _mark_letterhead(by_page.get(first_page, []), removed, lex)
    _mark_chrome_continuations(by_page, removed)

    for number, kind in removed.items():
        furniture.append(Furniture(kind=kind, line=number, page=pages_of[number],
                                   text=texts[number]))
    furniture.sort(key=lambda f: (f.line, f.partial))
    whole = {f.line for f in furniture if not f.partial}
    kept = [
        SourceLine(number=n, text=t, page=pages_of[n])
        for n, t in texts.items() if n not in whole and t
    ]
    # Yi syllables first: the marks they restore count as full-width in the ASCII test
    yi_marks = yi_punctuation_damage([s.text for s in kept])
    if yi_marks:
        kept = [dataclasses.replace(s, text=restore_yi_punctuation(s.text)) for s in kept]
    damaged = ascii_punctuation_damage([s.text for s in kept])
    if damaged:
        kept = [dataclasses.replace(s, text=restore_punctuation(s.text)) for s in kept]
    page_starts: set[int] = set()
    seen_pages: set[int] = set()
    for s in kept:
        if s.page not in seen_pages:
            seen_pages.add(s.page or 0)
            page_starts.add(s.number)
    return CleanedLines(
        file=pdf.file,
        total_lines=len(lines),
        lines=tuple(kept),
        artifacts=tuple(sorted(whole)),
        blank_lines=blank,
        page_starts=frozenset(page_starts),
        fresh=frozenset({kept[0].number} if kept else set()),
        furniture=tuple(furniture),
        pages=len(pdf.pages),
        source_file=source_file or pdf.file,
        page_lines=tuple(itertools.accumulate(
            (len(p.lines) for p in pdf.pages[:-1]), initial=1)),
        restored_punctuation=damaged,
        yi_punctuation=yi_marks,
    )


def _offset(text: str, page: int) -> int | None:
    """The printed number minus the page index (None: no Arabic number in ``text``)."""
    m = re.search(r"[0-9０-９]+", text)
    return None if m is None else int(m.group(0).translate(_FULL_DIGITS)) - page


def _edge_number_ok(text: str, max_page: int) -> bool:
    """A bare edge number is a page number only if it could be one (not "2030")."""
    m = re.match(r"[0-9０-９]+", text)
    return m is None or 1 <= int(m.group(0).translate(_FULL_DIGITS)) <= max_page


def _repeated_on_page(number: int, text: str, items: Sequence[tuple[int, str]]) -> bool:
    """On page 1, a running head is furniture only if the page prints its text again.

    438 三亚: the head "三亚市“十四五”海洋生态环境保护规划" stands above the cover's title,
    printed over two lines; a title that only matches the heads of later pages is kept.
    """
    key = _SPACE_RE.sub("", text)
    rest = "".join(_SPACE_RE.sub("", t) for n, t in items if n > number)
    return key in rest


def _mark_letterhead(items: Sequence[tuple[int, str]], removed: dict[int, FurnitureKind],
                     lex: _Lexicon) -> None:
    """Mark the letterhead lines at the top of the first page (with the name lines above)."""
    top = [(n, t) for n, t in items[:_TOP] if n not in removed]
    for i, (number, text) in enumerate(top):
        if not _is_letterhead_line(text, lex):
            continue
        removed[number] = FurnitureKind.LETTERHEAD
        if i + 1 < len(top) and _is_issued_by_line(top[i + 1][1], lex):
            removed[top[i + 1][0]] = FurnitureKind.LETTERHEAD
        # 108: the issuers' names stand on their own lines above a lone "文件"
        j = i - 1
        while j >= 0 and _NAME_LINE_RE.match(top[j][1]) and top[j][0] not in removed:
            removed[top[j][0]] = FurnitureKind.LETTERHEAD
            j -= 1
        return


_CODE_RE = re.compile(r"^[0-9A-Za-z/\-_.]+$")


def _mark_chrome_continuations(by_page: dict[int, list[tuple[int, str]]],
                               removed: dict[int, FurnitureKind]) -> None:
    """A code wrapped onto the next line of a chrome field is chrome too (243: 索引号)."""
    for items in by_page.values():
        for (prev, _), (number, text) in itertools.pairwise(items):
            if (removed.get(prev) is FurnitureKind.WEB_METADATA and number not in removed
                    and _CODE_RE.match(text)):
                removed[number] = FurnitureKind.WEB_METADATA
