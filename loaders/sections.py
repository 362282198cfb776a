"""Build a document's heading tree (第X章 / 第X节 / 第X条 / 一、 / （一） / 1. / （1）).

Works on joined paragraphs, so a heading keeps its source lines. Standard library and
``policykg`` only: must not import rdflib, networkx, pyvis, spaCy or jieba.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from policykg.loaders.numerals import parse_cn_int
from policykg.records import Paragraph, Section

__all__ = ["ANNEX_RE", "CLAUSE_CHAPTER_RE", "CLAUSE_RE", "RANKS", "parse_sections", "split_marker"]

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

# A numbered clause of a standard or guideline, with its heading or first words.
# line 24029: "4.1一般规定"; line 23919: "1.0.1为贯彻落实绿色发展理念，…"; line 17707:
# "4.2.1.4.1活动数据". Not "1.2亿千瓦左右" (only in a clause document, see below).
CLAUSE_RE = re.compile(
    r"""^(?P<n>\d{1,2}(?:\.\d{1,2}){1,4})(?![\d.．])\s*(?=[\u4e00-\u9fff])""",
    re.VERBOSE,
)

# A chapter of a clause document: line 23917 "1总则" (no dot), line 17306 "1.适用范围".
CLAUSE_CHAPTER_RE = re.compile(
    r"""^(?P<n>\d{1,2})[.．]?(?![\d.．])\s*(?=[\u4e00-\u9fff])""",
    re.VERBOSE,
)

# An annex opens: line 29239 "附：1.绿色金融评价…"; "附件 1", "附件2：…" opening a paragraph.
ANNEX_RE = re.compile(r"""^(?:附件\s*\d*\s*(?:[：:].*)?$|附\s*[：:])""", re.VERBOSE)

#: How many numbered clauses make a document a clause document (a standard or guideline).
_MIN_CLAUSES = 5
#: Clauses nest in each other by number; items 1. and （1） nest inside a clause.
_CLAUSE_RANK = 5.5

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


# A heading runs to its first sentence or clause end: "（一）指导思想。以习近平…" (line 4552)
# → "指导思想"; "第一条 为加强和规范…项目管理，保障…" (line 6674) → its first clause.
_HEADING_END_RE = re.compile(r"[。；;！？：:，,]")
_MAX_HEADING = 40


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
    try:
        number = int(raw) if raw.isdigit() else parse_cn_int(raw)
    except ValueError:  # digits with no place between them (二二): not a heading number
        return None
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
    clause: tuple[int, ...] = ()


def _rank(kind: str) -> float:
    return RANKS.get(kind, _CLAUSE_RANK)


def _is_clause_document(paragraphs: Sequence[Paragraph]) -> bool:
    """Return whether a document is numbered by clause (4.1, 4.1.1) like a standard."""
    return sum(1 for p in paragraphs if CLAUSE_RE.match(p.text)) >= _MIN_CLAUSES


def _place_clause(
    text: str, stack: Sequence[_Open], last_number: dict[tuple[int, str], int]
) -> tuple[tuple[int, ...], str, str, int] | None:
    """Return (number, marker, rest, depth) of a clause that continues the open clauses.

    A clause nests in the clause its number extends (4.1.1 in 4.1; 1.0.1 in chapter 1);
    a clause whose parent is not open (line 17826 "4.2.1.6.1") is none. The first clause
    under a parent may be 1 to 4, as the source skips some (line 17676 "4.2.1.2" after
    "4.2.1"); the next one continues its siblings as other markers do.
    """
    clause = _split_clause(text)
    if clause is None:
        return None
    number, marker, rest = clause
    parent_number = number[:-1]
    while parent_number and parent_number[-1] == 0:
        parent_number = parent_number[:-1]
    depth = 0
    if parent_number:
        depth = next(
            (k + 1 for k in range(len(stack) - 1, -1, -1) if stack[k].clause == parent_number),
            -1,
        )
        if depth < 0:
            return None
    parent = stack[depth - 1].section_index if depth > 0 else -1
    previous = last_number.get((parent, "clause"))
    n = number[-1]
    if (previous is None and not 1 <= n <= 4) or (
        previous is not None and not previous < n <= previous + 4
    ):
        return None
    return number, marker, rest, depth


def _split_clause(text: str) -> tuple[tuple[int, ...], str, str] | None:
    """Split a clause or chapter paragraph of a clause document into (number, marker, rest)."""
    m = CLAUSE_RE.match(text)
    if m is None:
        m = CLAUSE_CHAPTER_RE.match(text)
        # a chapter is a heading alone: "4披露原则" (line 29931), not "1亿千瓦…，…"
        if m is None or len(text) > 20 or _HEADING_END_RE.search(text):
            return None
    number = tuple(int(x) for x in m.group("n").split("."))
    return number, m.group(0).strip(), text[m.end():]


def parse_sections(
    doc_id: str, paragraphs: Sequence[Paragraph], end_line: int
) -> tuple[Section, ...]:
    """Return the heading tree of a document, in reading order.

    A marker is taken as a heading only when it continues its siblings' numbering (1
    under a new parent, or one more than the last of its kind when a document numbers its
    items on across parts; else a little above the previous sibling's number; 第X条 count
    through the whole document), so a stray "3." in a table does not open a section.
    A standard numbered by clause (4.1, 4.1.1) nests its clauses by their numbers.
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
    clause_document = _is_clause_document(paragraphs)
    # the last number taken of each kind anywhere in the document
    last_of_kind: dict[str, int] = {}
    for para in paragraphs:
        if ANNEX_RE.match(para.text):
            # an annex numbers its items afresh: line 29239 "附：1.绿色金融评价定量指标
            # 体系…" then "（一）绿色金融业务总额占比。" (29242) under no heading of the body
            for closed in stack:
                drafts[closed.section_index].end = para.start_line - 1
            stack.clear()
            last_number.clear()
            last_of_kind.clear()
            continue
        place = _place_clause(para.text, stack, last_number) if clause_document else None
        if place is None:
            found = split_marker(para.text)
            if found is None:
                continue
            kind, marker, number, rest = found
            rank = _rank(kind)
            # find where this marker would nest
            depth = len(stack)
            while depth > 0 and _rank(stack[depth - 1].kind) >= rank:
                depth -= 1
            parent = stack[depth - 1].section_index if depth > 0 else -1
            # articles (第X条) are numbered through the whole document, across chapters
            scope = -1 if kind == "tiao" else parent
            previous = last_number.get((scope, kind))
            # the next sibling, allowing items the source itself skipped (line 33953: "5."
            # after "1." — items 2-4 are not printed); the first sibling must be 1, or go
            # on from the last of its kind: 国发〔2021〕4号 numbers its （N） on through
            # 二、…八、 (line 3233 "（四）推进工业绿色升级" opens 二、)
            if previous is None and number != 1 and number != last_of_kind.get(kind, -1) + 1:
                continue
            if previous is not None and not previous < number <= previous + 4:
                continue
            clause_number: tuple[int, ...] = ()
        else:
            clause_number, marker, rest, depth = place
            kind, number = "clause", clause_number[-1]
            parent = scope = stack[depth - 1].section_index if depth > 0 else -1
        # close the sections this heading ends
        for closed in stack[depth:]:
            drafts[closed.section_index].end = para.start_line - 1
        del stack[depth:]
        last_number[(scope, kind)] = number
        last_of_kind[kind] = number
        heading = _heading(rest)
        parent_path = drafts[parent].path if parent >= 0 else ()
        stack.append(
            _Open(kind=kind, number=number, section_index=len(drafts), clause=clause_number)
        )
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
