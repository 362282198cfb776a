"""Responsibility tables of a PDF: 分工表 / 任务清单 / indicator tables with a 牵头单位,
责任单位 or 配合单位 column, read from the table cells (pdfplumber's table finder), not from the
linearised text where the cells of a row are scattered over many lines.

Each data row becomes one ``TableRow``: the row's text (its non-role cells, in order) and the
names of each role column. A column headed 牵头单位 / 牵头部门 marks its names as lead; 配合单位
as participants; 责任单位 and other unit columns leave the role unknown. The header words are
those of ``lexicons/annotations.toml``.

Imports pdfplumber inside functions; must not import rdflib, networkx, pyvis, spaCy or jieba.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["TableRow", "candidate_pages", "find_table_rows", "header_roles", "pdf_tables"]

logger = logging.getLogger(__name__)

# a header cell naming a unit column: 牵头单位, 牵头部门, 责任单位, 配合单位, 牵头\n单位 …
UNIT_HEADER = re.compile(r"^(?P<word>[\u4e00-\u9fff]{1,6}(?:单位|部门)|牵头|配合|责任主体)$")
# a page worth handing to the table finder: it prints a unit column header
_PAGE_HINT = re.compile(r"牵\s*头|配\s*合|责\s*任\s*单\s*位|责\s*任\s*部\s*门")


# a line of a page's text that is (or ends) a unit column header, as PDF text gives a table:
# 三亚 438 p27 "牵头" / "单位" on lines of their own; 定西 360 p4 "重点任务 牵头单位"
_HEADER_LINE = re.compile(
    r"(?:^|\s)(?:牵头|配合|责任|牵头单位|配合单位|责任单位|牵头部门|配合部门|责任部门)$")


def candidate_pages(pages: Sequence[tuple[int, Sequence[str]]]) -> list[int]:
    """The pages (number, lines) that may hold a responsibility table: a line that is a unit
    column header.

    >>> candidate_pages([(1, ["（责任单位：市发改委）"]), (2, ["类别 序号 指标", "牵头", "单位"])])
    [2]
    """
    return [n for n, lines in pages if any(_HEADER_LINE.search(t.strip()) for t in lines)]


@dataclass(frozen=True, slots=True, kw_only=True)
class TableRow:
    """One data row of a responsibility table."""

    page: int
    row: int
    text: str
    #: (role, cell text) per unit column, in column order; role is "lead", "participant"
    #: or "unmarked"
    units: tuple[tuple[str, str], ...]


def _clean(cell: str | None) -> str:
    return re.sub(r"\s+", "", cell or "")


def header_roles(header: Sequence[str | None], label_roles: dict[str, str]) -> dict[int, str]:
    """Map the unit columns of a header row to their role.

    >>> header_roles(["序号", "重点任务", "牵头\\n单位", "配合单位"], {"牵头单位": "lead",
    ...     "配合单位": "participant"})
    {2: 'lead', 3: 'participant'}
    """
    out: dict[int, str] = {}
    for k, cell in enumerate(header):
        word = _clean(cell)
        m = UNIT_HEADER.match(word)
        if m is None:
            continue
        if word in label_roles and label_roles[word] != "other":
            out[k] = label_roles[word]
        elif "牵头" in word:
            out[k] = "lead"
        elif "配合" in word or "参与" in word:
            out[k] = "participant"
        else:
            out[k] = "unmarked"
    return out


def find_table_rows(
    path: Path, label_roles: dict[str, str], pages: Sequence[int] | None = None
) -> list[TableRow]:
    """Read the responsibility tables of a PDF file (1-based ``pages``, default: all pages
    whose text names a unit column)."""
    import pdfplumber  # heavy: only when a PDF has tables to read

    rows: list[TableRow] = []
    with pdfplumber.open(str(path)) as pdf:
        wanted = pages or range(1, len(pdf.pages) + 1)
        roles: dict[int, str] = {}  # a table continued on the next page keeps its header
        width = 0
        for number in wanted:
            page = pdf.pages[number - 1]
            if not _PAGE_HINT.search(page.extract_text() or ""):
                roles, width = {}, 0
                continue
            for table in page.extract_tables():
                rows += _table_rows(table, number, label_roles, roles, width)
                if table:
                    found = _header(table, label_roles)
                    if found is not None:
                        roles, width = found[1], len(table[found[0]])
    return rows


def _header(
    table: list[list[Any]], label_roles: dict[str, str]
) -> tuple[int, dict[int, str]] | None:
    for k, row in enumerate(table[:3]):
        roles = header_roles(row, label_roles)
        if roles:
            return k, roles
    return None


def _table_rows(
    table: list[list[Any]],
    page: int,
    label_roles: dict[str, str],
    carried: dict[int, str],
    carried_width: int,
) -> list[TableRow]:
    found = _header(table, label_roles)
    if found is not None:
        first, roles = found[0] + 1, found[1]
    elif carried and table and len(table[0]) == carried_width:
        first, roles = 0, carried  # the table goes on from the previous page, header not repeated
    else:
        return []
    out: list[TableRow] = []
    for k, row in enumerate(table[first:], start=first):
        cells = [_clean(c) for c in row]
        units = tuple((roles[i], cells[i]) for i in sorted(roles) if i < len(cells) and cells[i])
        if not units:
            continue
        text = " ".join(c for i, c in enumerate(cells) if i not in roles and c)
        out.append(TableRow(page=page, row=k, text=text, units=units))
    return out


def pdf_tables(
    path: Path, label_roles: dict[str, str]
) -> tuple[list[TableRow], dict[int, tuple[int, int]]]:
    """The responsibility-table rows of a PDF file and each page's first and last line
    (numbered through the file as ``loaders.pdf`` numbers them)."""
    from policykg.loaders.pdf import read_pdf

    text = read_pdf(path)
    page_lines: dict[int, tuple[int, int]] = {}
    for line in text.source_lines():
        if line.page is not None:
            first = page_lines.get(line.page, (line.number, line.number))[0]
            page_lines[line.page] = (first, line.number)
    pages = candidate_pages([(p.number, p.lines) for p in text.pages])
    rows = find_table_rows(path, label_roles, pages) if pages else []
    return rows, page_lines
