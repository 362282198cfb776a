"""Build a document's heading tree (第X章 / 第X节 / 第X条 / 一、 / （一） / 1. / （1）).

Works on joined paragraphs, so a heading keeps its source lines. Standard library and
``policykg`` only: must not import rdflib, networkx, pyvis, spaCy or jieba.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from policykg.loaders.numerals import parse_cn_int
from policykg.records import Paragraph, Section, SourceLine

__all__ = ["ANNEX_RE", "CLAUSE_CHAPTER_RE", "CLAUSE_RE", "RANKS", "parse_outline",
           "parse_sections", "split_marker"]

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
# Not a box's item numbered with a leading zero: 564 内蒙古 可再生能源规划 line 293
# "01 蒙西新能源基地" (in 专栏 2, inside 第三章's 一、).
CLAUSE_CHAPTER_RE = re.compile(
    r"""^(?P<n>[1-9]\d?)[.．]?(?![\d.．])\s*(?=[\u4e00-\u9fff])""",
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


# A heading the text layer glued onto the end of the line before it, after that line's last
# sentence: 425 内江 生态环境保护规划 line 347 "迈出新步伐。 第二章 总体要求"; 16 现代能源
# 体系规划 line 443 "改造。十一、减少能源产业碳足迹". The places: a full stop (。！？, not
# a list item's ；), then a Chinese-numbered marker and two characters of words; ``_glued``
# checks each. ``_glued_candidates`` finds them in one scan of a document's joined
# paragraphs, by a pattern for each stop that opens with it (a literal the regex engine
# searches for fast: 1 ms for 。 on the compilation's 0.6 M characters, where a class of the
# three takes 5 ms), the ones for ！ and ？ only where the text holds one.
_GLUED_TAIL = (rf"[”’）)」』】]*(?=(?:第[{_CN}]+[章节]|[{_CN}]+、|[（(][{_CN}]+[）)])"
               rf"[ ]?[^。！？；;!?：:\n]{{2}})")
_GLUED_RE = re.compile(f"[。！？]{_GLUED_TAIL}")
_GLUED_STOP_RES = {stop: re.compile(f"{stop}{_GLUED_TAIL}") for stop in "。！？"}
#: The markers a glued heading may have (a glued "1." or "第三条" is too often a sentence).
_GLUED_KINDS = frozenset({"zhang", "jie", "cn", "pcn"})
# What a glued heading's words never hold: a sentence or clause end (a comma they may:
# 433 眉山 line 632 "…机场：洪雅通用机场。 四、应对气候变化，减缓与适应齐头并进").
_GLUED_END_RE = re.compile(r"[。；;！？!?：:]")
#: The most characters of words a glued heading has after its marker.
_MAX_GLUED = 30
_SPACES = " \t\u3000"


@dataclass(slots=True)
class _Tree:
    """The heading tree being read: open sections, the numbers taken, the drafts."""

    clause_document: bool
    stack: list[_Open]
    # the last number of each kind, per parent section index (-1 = document)
    last_number: dict[tuple[int, str], int]
    # the last number taken of each kind anywhere in the document
    last_of_kind: dict[str, int]
    drafts: list[_Draft]
    #: the document's last line, where a section no later heading closes ends
    end_line: int

    def nest(self, kind: str) -> tuple[int, int, int]:
        """Where a marker of ``kind`` would nest: (depth, parent index, numbering scope)."""
        rank = _rank(kind)
        depth = len(self.stack)
        while depth > 0 and _rank(self.stack[depth - 1].kind) >= rank:
            depth -= 1
        parent = self.stack[depth - 1].section_index if depth > 0 else -1
        # articles (第X条) are numbered through the whole document, across chapters
        return depth, parent, -1 if kind == "tiao" else parent

    def expects(self, kind: str, number: int) -> bool:
        """Whether a marker is exactly the one the outline expects next: the sibling after
        the last heading of its level, or a first child (1, or on from the last of its kind
        as ``take`` allows)."""
        _, _, scope = self.nest(kind)
        previous = self.last_number.get((scope, kind))
        if previous is None:
            return number in (1, self.last_of_kind.get(kind, -1) + 1)
        return number == previous + 1

    def take(self, para: Paragraph, glued: bool = False) -> None:
        """Read one paragraph: a heading opens a section (a ``glued`` one shares its first
        line with the end of the sections it closes)."""
        stack, last_number, drafts = self.stack, self.last_number, self.drafts
        if ANNEX_RE.match(para.text):
            # an annex numbers its items afresh: line 29239 "附：1.绿色金融评价定量指标
            # 体系…" then "（一）绿色金融业务总额占比。" (29242) under no heading of the body
            for closed in stack:
                drafts[closed.section_index].end = para.start_line - 1
            stack.clear()
            last_number.clear()
            self.last_of_kind.clear()
            return
        place = (_place_clause(para.text, stack, last_number) if self.clause_document
                 else None)
        if place is None:
            found = split_marker(para.text)
            if found is None:
                return
            kind, marker, number, rest = found
            depth, parent, scope = self.nest(kind)
            previous = last_number.get((scope, kind))
            # the next sibling, allowing items the source itself skipped (line 33953: "5."
            # after "1." — items 2-4 are not printed); the first sibling must be 1, or go
            # on from the last of its kind: 国发〔2021〕4号 numbers its （N） on through
            # 二、…八、 (line 3233 "（四）推进工业绿色升级" opens 二、)
            if (previous is None and number != 1
                    and number != self.last_of_kind.get(kind, -1) + 1):
                return
            if previous is not None and not previous < number <= previous + 4:
                return
            clause_number: tuple[int, ...] = ()
        else:
            clause_number, marker, rest, depth = place
            kind, number = "clause", clause_number[-1]
            parent = scope = stack[depth - 1].section_index if depth > 0 else -1
        # close the sections this heading ends
        end = para.start_line if glued else para.start_line - 1
        for closed in stack[depth:]:
            drafts[closed.section_index].end = end
        del stack[depth:]
        last_number[(scope, kind)] = number
        self.last_of_kind[kind] = number
        heading = _heading(rest)
        parent_path = drafts[parent].path if parent >= 0 else ()
        stack.append(
            _Open(kind=kind, number=number, section_index=len(drafts), clause=clause_number)
        )
        drafts.append(
            _Draft(marker=marker, heading=heading, level=depth + 1, parent=parent,
                   path=(*parent_path, f"{marker}{heading}"), start=para.start_line,
                   end=self.end_line)
        )


def _first(pair: tuple[int, int]) -> int:
    return pair[0]


def _glued(para: Paragraph, tree: _Tree, lines: Mapping[int, SourceLine]
           ) -> tuple[int, int, int] | None:
    """Where a heading glued after a sentence sits in ``para``: (start offset, end offset,
    the index in ``para.offsets`` of its line), or None.

    The place: a full stop (。！？), then a marker of 第X章, 第X节, 一、 or （一） that
    is the one the outline expects next (``_Tree.expects``), then the heading's words, which
    run to the end of that source line: 2 to 30 characters, no sentence or clause end but a
    last 。 (572 合肥 line 526 "…项目。 （二）加强电网支撑能力。"; a comma is allowed). The
    marker does not open its line (the heading is glued, not wrapped), and either the
    heading ends the paragraph (a short last line: 16 line 443 "改造。十一、减少能源产业碳
    足迹"), or the source line has a space before the marker (425 line 347 "迈出新步伐。
    第二章 总体要求"), or the marker is a 第X章 or 第X节 (68 line 324 "…目标。第四节 强化
    能源节约源头控制"). So a sentence that names 第二章 or lists items (一、…；二、…) inline
    is not split. The words may go on to the paragraph's one more line when that is all
    that follows, opens with no marker and holds no sentence end (360 定西 lines 58-59
    "…制度体系。 三、" "完善绿色循环流通体系"; not 528 深圳 line 253 "1．申报主体").
    """
    text = para.text
    offsets = para.offsets
    for m in _GLUED_RE.finditer(text):
        at = m.end()
        found = split_marker(text[at:])
        if found is None or found[0] not in _GLUED_KINDS:
            continue
        kind, marker, number, rest = found
        k = bisect.bisect_right(offsets, at, key=_first) - 1
        words_at = len(text) - len(rest)
        if offsets[k][0] == at or (k + 1 < len(offsets) and offsets[k + 1][0] < words_at):
            continue  # the marker opens its line, or is cut by a line end
        end = offsets[k + 1][0] if k + 1 < len(offsets) else len(text)
        if end < len(text):
            if kind not in ("zhang", "jie"):
                source = lines.get(offsets[k][1])
                raw = source.text.rstrip() if source is not None else ""
                i = raw.rfind(marker)
                if i <= 0 or raw[i - 1] not in _SPACES:
                    continue
            if (k + 2 == len(offsets) and len(text) - at <= _MAX_HEADING
                    and split_marker(text[end:]) is None
                    and _heading_words(text[words_at:])):
                end = len(text)  # the heading's words go on to the last line
        if _heading_words(text[words_at:end]) and tree.expects(kind, number):
            return at, end, k
    return None


def _heading_words(words: str) -> bool:
    """Whether the words after a glued marker read as a heading's (``_glued``)."""
    if words.endswith("。"):
        words = words[:-1]
    return 2 <= len(words) <= _MAX_GLUED and _GLUED_END_RE.search(words) is None


def _cut(para: Paragraph, at: int, end: int, k: int, lines: Mapping[int, SourceLine]
         ) -> tuple[Paragraph, Paragraph, Paragraph | None]:
    """Split ``para`` into the text before a glued heading, the heading (``at`` to ``end``,
    from the line of offset ``k``) and the rest (None when the heading ends the
    paragraph); each keeps its characters' source lines."""
    text, offsets = para.text, para.offsets
    line = offsets[k][1]
    source = lines.get(line)
    before = Paragraph(text=text[:at], start_line=para.start_line, end_line=line,
                       offsets=offsets[:k + 1], page=para.page)
    inside = [(o - at, n) for o, n in offsets[k + 1:] if o < end]
    heading = Paragraph(text=text[at:end], start_line=line,
                        end_line=inside[-1][1] if inside else line,
                        offsets=((0, line), *inside),
                        page=source.page if source is not None else para.page)
    if end == len(text):
        return before, heading, None
    tail = tuple((o - end, n) for o, n in offsets[k + 1 + len(inside):])
    nxt = lines.get(tail[0][1])
    rest = Paragraph(text=text[end:], start_line=tail[0][1], end_line=para.end_line,
                     offsets=tail, page=nxt.page if nxt is not None else para.page)
    return before, heading, rest


def _glued_candidates(paragraphs: Sequence[Paragraph]) -> set[int]:
    """The indices of the paragraphs where ``_GLUED_RE`` finds a place, in one scan."""
    texts = [p.text for p in paragraphs]
    joined = "\n".join(texts)
    hits = [m.start() for stop, pattern in _GLUED_STOP_RES.items()
            if stop == "。" or stop in joined for m in pattern.finditer(joined)]
    if not hits:
        return set()
    starts = []
    n = 0
    for t in texts:
        starts.append(n)
        n += len(t) + 1
    return {bisect.bisect_right(starts, at) - 1 for at in hits}


def parse_outline(
    doc_id: str, paragraphs: Sequence[Paragraph], end_line: int,
    lines: Sequence[SourceLine] = (),
) -> tuple[tuple[Paragraph, ...], tuple[Section, ...]]:
    """Return a document's paragraphs, split where a heading was glued onto the end of a
    line, and its heading tree, in reading order.

    A marker is taken as a heading only when it continues its siblings' numbering (1
    under a new parent, or one more than the last of its kind when a document numbers its
    items on across parts; else a little above the previous sibling's number; 第X条 count
    through the whole document), so a stray "3." in a table does not open a section.
    A standard numbered by clause (4.1, 4.1.1) nests its clauses by their numbers.
    Levels are nesting depths (1 = outermost); each section spans from its heading to
    the line before the next heading of the same or an enclosing rank, or to the
    document's end.

    With the document's source ``lines``, a heading the text layer glued after the last
    sentence of a line (``_glued``: only the marker the outline expects next) becomes a
    paragraph of its own, on its source line; the paragraph it was glued to ends on that
    line, and so do the sections it closes. What follows it on later lines is a new
    paragraph. No character or line is dropped.

    Args:
        doc_id: the document id (section ids are ``{doc_id}/s{n}``).
        paragraphs: the document's paragraphs.
        end_line: the document's last line.
        lines: the document's source lines (raw text and page); none: nothing is split.

    Returns:
        The paragraphs and the sections, each with marker, level, heading text, path and
        line span.
    """
    tree = _Tree(clause_document=_is_clause_document(paragraphs), stack=[], last_number={},
                 last_of_kind={}, drafts=[], end_line=end_line)
    candidates = _glued_candidates(paragraphs) if lines else set()
    if not candidates:
        for para in paragraphs:
            tree.take(para)
        out = tuple(paragraphs)
    else:
        source = {s.number: s for s in lines}  # the document's lines by number
        kept: list[Paragraph] = []
        for index, para in enumerate(paragraphs):
            tree.take(para)
            while index in candidates and (place := _glued(para, tree, source)) is not None:
                before, heading, rest = _cut(para, *place, source)
                kept.append(before)
                tree.take(heading, glued=True)
                para = heading
                if rest is None:
                    break
                kept.append(heading)
                para = rest
                tree.take(para)
            kept.append(para)
        out = tuple(kept)
    return out, _sections(doc_id, tree.drafts)


def parse_sections(
    doc_id: str, paragraphs: Sequence[Paragraph], end_line: int,
    lines: Sequence[SourceLine] = (),
) -> tuple[Section, ...]:
    """Return the heading tree of a document, in reading order (``parse_outline``'s)."""
    return parse_outline(doc_id, paragraphs, end_line, lines)[1]


def _sections(doc_id: str, drafts: Sequence[_Draft]) -> tuple[Section, ...]:
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
