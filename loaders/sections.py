"""Build a document's heading tree (第X章 / 第X节 / 第X条 / 一、 / （一） / 1. / （1）).

Works on joined paragraphs, so a heading keeps its source lines. Standard library and
``policykg`` only: must not import rdflib, networkx, pyvis, spaCy or jieba.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from policykg.records import Paragraph, Section

__all__ = ["RANKS", "parse_sections", "split_marker"]

logger = logging.getLogger(__name__)

_CN = "一二三四五六七八九十百零\u3007两"

# A heading marker opening a paragraph, by kind.
# line 6672: "第一章 总则"; line 6674: "第一条 为加强和规范…"; line 5548: "一、总体要求";
# line 5550: "（一）指导思想。"; line 4934: "1．推进城乡建设绿色低碳转型。";
# line 30907: "(一)统筹部署与综合协调". Not line 34870 "2.5。制取" (a decimal).
SECTION_MARKER_RE = re.compile(
    rf"""^(?:
        (?P<zhang>第(?P<n_zhang>[{_CN}]+)章)
      | (?P<jie>第(?P<n_jie>[{_CN}]+)节)
      | (?P<tiao>第(?P<n_tiao>[{_CN}]+)条)
      | (?P<cn>(?P<n_cn>[{_CN}]+)、)
      | (?P<pcn>[（(](?P<n_pcn>[{_CN}]+)[）)])
      | (?P<num>(?P<n_num>\d{{1,2}})[.．、](?![0-9]))
      | (?P<pnum>[（(](?P<n_pnum>\d{{1,2}})[）)])
    )\s*""",
    re.VERBOSE,
)

#: Nesting rank of each marker kind (smaller encloses larger).
RANKS: dict[str, int] = {
    "zhang": 1,
    "jie": 2,
    "tiao": 3,
    "cn": 4,
    "pcn": 5,
    "num": 6,
    "pnum": 7,
}

_CN_VALUES = {"零": 0, "\u3007": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}

# A heading runs to its first sentence or clause end: "（一）指导思想。以习近平…" (line 4552)
# → "指导思想"; "第一条 为加强和规范…项目管理，保障…" (line 6674) → its first clause.
_HEADING_END_RE = re.compile(r"[。；;！？：:，,]")
_MAX_HEADING = 40


def _cn_value(text: str) -> int:
    """Parse a Chinese numeral below 1000 (一, 十二, 二十三, 一百零五)."""
    total = 0
    current = 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_VALUES.get(ch, 0)
    return total + current


def split_marker(text: str) -> tuple[str, str, int, str] | None:
    """Split a heading paragraph into (kind, marker, number, rest), or None.

    >>> split_marker("（二十三）推动督促落实。将生态产品…")
    ('pcn', '（二十三）', 23, '推动督促落实。将生态产品…')
    >>> split_marker("1．推进城乡建设绿色低碳转型。"), split_marker("1.2亿千瓦左右")
    (('num', '1．', 1, '推进城乡建设绿色低碳转型。'), None)
    """
    m = SECTION_MARKER_RE.match(text)
    if m is None:
        return None
    kind = m.lastgroup
    for name in RANKS:
        if m.group(name):
            kind = name
            break
    if kind is None:
        return None
    raw = m.group(f"n_{kind}")
    number = int(raw) if raw.isdigit() else _cn_value(raw)
    return kind, m.group(kind).strip(), number, text[m.end():]


def _heading(rest: str) -> str:
    m = _HEADING_END_RE.search(rest)
    head = rest[: m.start()] if m else rest
    return head[:_MAX_HEADING].strip()


@dataclass(slots=True)
class _Draft:
    marker: str
    heading: str
    level: int
    parent: int
    path: tuple[str, ...]
    start: int
    end: int


@dataclass(slots=True)
class _Open:
    kind: str
    number: int
    section_index: int


def parse_sections(
    doc_id: str, paragraphs: Sequence[Paragraph], end_line: int
) -> tuple[Section, ...]:
    """Return the heading tree of a document, in reading order.

    A marker is taken as a heading only when it continues its siblings' numbering (1
    under a new parent, else a little above the previous sibling's number; 第X条 count
    through the whole document), so a stray "3." in a table does not open a section.
    Levels are nesting depths (1 = outermost); each section spans from its heading to
    the line before the next heading of the same or an enclosing rank, or to the
    document's end.

    Args:
        doc_id: the document id (section ids are ``{doc_id}/s{n}``).
        paragraphs: the document's paragraphs.
        end_line: the document's last line.

    Returns:
        The sections, each with marker, level, heading text, path and line span.
    """
    stack: list[_Open] = []
    # the last number of each kind, per parent section index (-1 = document)
    last_number: dict[tuple[int, str], int] = {}
    drafts: list[_Draft] = []
    for para in paragraphs:
        found = split_marker(para.text)
        if found is None:
            continue
        kind, marker, number, rest = found
        rank = RANKS[kind]
        # find where this marker would nest
        depth = len(stack)
        while depth > 0 and RANKS[stack[depth - 1].kind] >= rank:
            depth -= 1
        parent = stack[depth - 1].section_index if depth > 0 else -1
        # articles (第X条) are numbered through the whole document, across chapters
        scope = -1 if kind == "tiao" else parent
        previous = last_number.get((scope, kind))
        # the next sibling, allowing items the source itself skipped (line 33953: "5." after
        # "1." — items 2-4 are not printed); the first sibling must be 1
        if previous is None and number != 1:
            continue
        if previous is not None and not previous < number <= previous + 4:
            continue
        # close the sections this heading ends
        for closed in stack[depth:]:
            drafts[closed.section_index].end = para.start_line - 1
        del stack[depth:]
        last_number[(scope, kind)] = number
        heading = _heading(rest)
        parent_path = drafts[parent].path if parent >= 0 else ()
        stack.append(_Open(kind=kind, number=number, section_index=len(drafts)))
        drafts.append(
            _Draft(marker=marker, heading=heading, level=depth + 1, parent=parent,
                   path=(*parent_path, f"{marker}{heading}"), start=para.start_line,
                   end=end_line)
        )
    return tuple(
        Section(
            id=f"{doc_id}/s{index + 1}",
            doc_id=doc_id,
            marker=d.marker,
            level=d.level,
            heading=d.heading,
            path=d.path,
            start_line=d.start,
            end_line=max(d.start, d.end),
            parent_id=f"{doc_id}/s{d.parent + 1}" if d.parent >= 0 else None,
        )
        for index, d in enumerate(drafts)
    )
