"""Recognise a compilation's structure: preface, parts, chapters and document boundaries.

Works on ``CleanedLines`` and yields line blocks; the metadata of each block is read by
``loaders.header``. Standard library and ``policykg`` only: must not import rdflib,
networkx, pyvis, spaCy or jieba.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field

from policykg.errors import Errors
from policykg.loaders.header import find_doc_number
from policykg.loaders.lines import CleanedLines, display_width
from policykg.loaders.numerals import parse_cn_int
from policykg.records import Problem, SourceLine, Span

__all__ = [
    "Block",
    "Heading",
    "Structure",
    "find_structure",
    "is_compilation",
]

logger = logging.getLogger(__name__)

# A part heading of the compilation, wrapped over two lines.
# line 3151: "第二部分 党中央、国务院关于碳达" (+ line 3153 "峰碳中和政策").
# Not line 42836 "第一部分：我们的责任" (a speech's own part: the colon, and out of sequence).
PART_RE = re.compile(
    r"""^第(?P<num>[一二三四五六七八九十]+)部分\s+(?P<title>[^：:\s].*)$""",
    re.VERBOSE,
)

# A chapter heading of parts 3-5. line 6503: "第一章 国家发展和改革委员会".
# A regulation's own "第一章 总则" (line 6672) matches too; it is rejected because the next
# line is not a numbered title of that chapter (N.k).
CHAPTER_RE = re.compile(
    r"""^第(?P<num>[一二三四五六七八九十]+)章\s*(?P<name>\S.*)$""",
    re.VERBOSE,
)

# The printed number and title of a document.
# line 72: " 1.1 习近平在第七十五届联合国大会一般性辩论" ; line 1873: "1.12与世界相交 与时代相通"
# (no space) ; line 4544: " 1.4 2030年前碳达峰行动方案" (title opens with a year).
# Rejects line 9184 "8.5 7.5 GB 30251" and line 34870 "2.5。制取" (no title after the number),
# and line 17394 "4.1.1核查安排" (three levels).
DOC_START_RE = re.compile(
    r"""^(?P<chapter>\d{1,2})[.．](?P<num>\d{1,2})(?![\d.．%])\s*
        (?P<title>(?:[\u3400-\u9fff《“"（(]|\d{4}\s*年).*)$""",
    re.VERBOSE,
)

# The title of an international agreement or white paper in part 6, which has no number:
# it is followed by "（1992年5月9日 纽约）" (line 44280) or "（目录）" (line 47628).
AGREEMENT_NEXT_RE = re.compile(
    r"""^[（(](?:\d{4}\s*年.*|目录)[）)]$""",
    re.VERBOSE,
)

# The end of a document's source address, after which a new document starts.
# line 6664: "ml?code=&state=123）"; line 278: "（http://jhsjk.people.cn/article/31871241）".
URL_END_RE = re.compile(r"""(?:https?://\S+|\.s?html?|\.pdf|\d)[）)]$""", re.VERBOSE)

# Titles that announce part 6 when its heading is missing. line 44278:
# " 《联合国气候变化框架公约》".
AGREEMENT_TITLE_RE = re.compile(r"""(?:公约|协定|议定书)""", re.VERBOSE)


def _cn_number(text: str) -> int | None:
    """The number of 第X部分 / 第X章, or None for digits that make no number (第二二章)."""
    try:
        return parse_cn_int(text)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Heading:
    """A preface, part or chapter heading of the compilation."""

    kind: str
    number: int | None
    text: str
    start_line: int
    end_line: int
    inferred: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """The lines of one document of a compilation, with its place in the structure."""

    part: int | None
    chapter_number: int | None
    chapter: str | None
    seq: str | None
    ordinal: int
    lines: tuple[SourceLine, ...]

    @property
    def start_line(self) -> int:
        """First source line of the block."""
        return self.lines[0].number

    @property
    def end_line(self) -> int:
        """Last source line of the block."""
        return self.lines[-1].number


@dataclass(frozen=True, slots=True, kw_only=True)
class Structure:
    """Headings, document blocks and problems of one compilation."""

    headings: tuple[Heading, ...]
    blocks: tuple[Block, ...]
    problems: tuple[Problem, ...] = field(default=())
    unexplained: tuple[int, ...] = field(default=())


_PART_NAMES = "零一二三四五六七八九十"


def _part_at(lines: tuple[SourceLine, ...], i: int, cleaned: CleanedLines) -> int | None:
    m = PART_RE.match(lines[i].text)
    if not m:
        return None
    number = lines[i].number
    if number not in cleaned.fresh and number not in cleaned.page_starts:
        return None
    return _cn_number(m.group("num"))


def is_compilation(cleaned: CleanedLines) -> bool:
    """Return True when the text holds a compilation part heading (第一部分 …).

    The heading must stand at a page start and be followed within a few lines by a
    chapter heading or a numbered document title (line 71-72: " 第一部分 习近平总书记重要
    指示" then " 1.1 习近平在…"), so a policy's own "第一部分" does not count.
    """
    lines = cleaned.lines
    return any(
        _part_at(lines, i, cleaned) is not None and _opens_documents(lines, i)
        for i in range(len(lines))
    )


def _opens_documents(lines: tuple[SourceLine, ...], i: int) -> bool:
    """Return whether a chapter heading or a numbered title follows line ``i`` closely."""
    return any(
        CHAPTER_RE.match(follower.text) or DOC_START_RE.match(follower.text)
        for follower in lines[i + 1 : i + 5]
    )


@dataclass(slots=True)
class _State:
    part: int | None = None
    chapter_number: int | None = None
    chapter: str | None = None
    last_seq: tuple[int, int] | None = None
    ordinal: int = 0


def _heading_tail(lines: tuple[SourceLine, ...], i: int, limit: int) -> int:
    """Return the index after a wrapped part heading (at most ``limit`` more lines)."""
    j = i + 1
    while j < len(lines) and j <= i + limit:
        text = lines[j].text
        if (
            CHAPTER_RE.match(text)
            or DOC_START_RE.match(text)
            or display_width(text) > 30
            or text[-1] in "。；，："
        ):
            break
        j += 1
    return j


def find_structure(cleaned: CleanedLines) -> Structure:
    """Split a compilation into its preface, part and chapter headings and document blocks.

    A numbered title (``1.1 …``) starts a document only at a page start (a leading space,
    or after a footer or a heading gap) and only when its number continues the sequence
    of its chapter (``c.k`` after ``c.(k-1)``, or ``(c+1).1`` for a new chapter), so a
    standard's clause ``4.1 一般规定`` inside document 6.1 (line 24029) is body text.
    A missing chapter heading (before line 23477 ``5.1``) and the missing 第六部分
    heading (before line 44278) are inferred and reported as L003.

    Args:
        cleaned: the cleaned lines of one compilation file.

    Returns:
        The structure; every kept line is in one heading or one block.
    """
    lines = cleaned.lines
    file = cleaned.file
    headings: list[Heading] = []
    problems: list[Problem] = []
    starts: list[tuple[int, _State, str | None]] = []  # (line index, state, seq)
    state = _State()
    structural: set[int] = set()
    first_part_index: int | None = None

    def fresh(idx: int) -> bool:
        n = lines[idx].number
        return n in cleaned.fresh or n in cleaned.page_starts or (idx - 1) in structural

    i = 0
    n_lines = len(lines)
    while i < n_lines:
        line = lines[i]
        text = line.text
        if text[:1] != "第" and not text[:1].isdecimal() and line.number not in cleaned.fresh \
                and line.number not in cleaned.page_starts and (i - 1) not in structural:
            # body text (``fresh`` is false): each heading or title below opens with 第 or a
            # digit, or on a fresh line
            i += 1
            continue
        part = _part_at(lines, i, cleaned)
        expected_part = part if state.part is None else state.part + 1
        # a part left out (第三部分 missing: 第四部分 follows 第二部分) is reported (L003)
        skipped = (
            part is not None
            and state.part is not None
            and part == state.part + 2
            and _opens_documents(lines, i)
        )
        if skipped and state.part is not None:
            missing = state.part + 1
            problems.append(
                Errors.L003.at(
                    Span(file=file, start_line=line.number, end_line=line.number),
                    excerpt=text, part=missing, name=_PART_NAMES[missing], next=part,
                    previous=state.part,
                )
            )
        if part is not None and (part == expected_part or skipped):
            end = _heading_tail(lines, i, 2)
            heading_text = "".join(s.text for s in lines[i:end])
            headings.append(
                Heading(kind="part", number=part, text=heading_text,
                        start_line=line.number, end_line=lines[end - 1].number)
            )
            structural.update(range(i, end))
            if first_part_index is None:
                first_part_index = i
            state = _State(part=part)
            i = end
            continue
        if state.part is not None and 3 <= state.part <= 5:
            cm = CHAPTER_RE.match(text)
            if cm and fresh(i) and i + 1 < n_lines:
                num = _cn_number(cm.group("num"))
                nxt = DOC_START_RE.match(lines[i + 1].text)
                if (
                    nxt
                    and num is not None
                    and int(nxt.group("chapter")) == num
                    and (state.chapter_number or 0) < num
                ):
                    headings.append(
                        Heading(kind="chapter", number=num, text=text,
                                start_line=line.number, end_line=line.number)
                    )
                    structural.add(i)
                    state.chapter_number = num
                    state.chapter = cm.group("name").strip()
                    state.last_seq = None
                    i += 1
                    continue
        dm = DOC_START_RE.match(text)
        if dm and state.part is not None and fresh(i):
            c, k = int(dm.group("chapter")), int(dm.group("num"))
            accept = False
            if state.last_seq is None:
                # the first document after a part or chapter heading (an excerpt of a
                # compilation may start anywhere in a chapter)
                if state.chapter_number is None and state.part in (3, 4, 5):
                    accept = True
                    _infer_chapter(state, c, line, headings, problems, file)
                else:
                    accept = (state.chapter_number is None and c == 1) or (
                        state.chapter_number == c
                    )
            else:
                lc, lk = state.last_seq
                if c == lc and k == lk + 1:
                    accept = True
                elif state.part in (3, 4, 5) and c == lc + 1 and k == 1:
                    # the chapter heading is missing (before line 23477): infer it (L003)
                    accept = True
                    _infer_chapter(state, c, line, headings, problems, file)
                elif c == lc and k == lk and i > 0 and URL_END_RE.search(lines[i - 1].text):
                    # the same number again after a source address: a document printed
                    # twice (a copy of 1.3 after its "（http://…5644613.htm）", line 4543)
                    accept = True
                    problems.append(
                        Errors.L002.at(
                            Span(file=file, start_line=line.number, end_line=line.number),
                            excerpt=text, number=f"{c}.{k}",
                        )
                    )
                elif c == lc and lk + 1 < k <= lk + 3 and i > 0 and URL_END_RE.search(
                    lines[i - 1].text
                ):
                    # a number skipped in print: the previous document ended with its
                    # source address, so this title opens the next one (L002)
                    accept = True
                    problems.append(
                        Errors.L002_ORDER.at(
                            Span(file=file, start_line=line.number, end_line=line.number),
                            excerpt=text, number=f"{c}.{k}", previous=f"{lc}.{lk}",
                        )
                    )
            if accept:
                state.last_seq = (c, k)
                state.ordinal += 1
                starts.append((i, _copy(state), f"{c}.{k}"))
                i += 1
                continue
        if (
            state.part is not None
            and 2 <= state.part <= 5
            and state.last_seq is not None
            and _unnumbered_start(lines, i, fresh(i))
        ):
            state.ordinal += 1
            starts.append((i, _copy(state), None))
            i += 1
            continue
        if (
            state.part is not None
            and state.part >= 5
            and fresh(i)
            and i + 1 < n_lines
            and AGREEMENT_NEXT_RE.match(lines[i + 1].text)
            and display_width(text) <= 60
        ):
            if state.part == 5 and AGREEMENT_TITLE_RE.search(text):
                headings.append(
                    Heading(kind="part", number=6, text="", start_line=line.number,
                            end_line=line.number, inferred=True)
                )
                problems.append(
                    Errors.L003_AGREEMENTS.at(
                        Span(file=file, start_line=line.number, end_line=line.number),
                        excerpt=text,
                    )
                )
                state = _State(part=6)
            if state.part == 6:
                state.ordinal += 1
                starts.append((i, _copy(state), None))
                i += 1
                continue
        i += 1

    if first_part_index is None:
        first_part_index = n_lines
    if first_part_index > 0:
        headings.insert(
            0,
            Heading(kind="preface", number=None,
                    text=lines[0].text, start_line=lines[0].number,
                    end_line=lines[first_part_index - 1].number),
        )
    blocks: list[Block] = []
    unexplained: list[int] = []
    ordered = sorted(structural)
    for pos, (idx, st, seq) in enumerate(starts):
        end = starts[pos + 1][0] if pos + 1 < len(starts) else n_lines
        # structural lines (next part/chapter headings) end the block early
        after = bisect.bisect_right(ordered, idx)
        stop = min(ordered[after], end) if after < len(ordered) else end
        blocks.append(
            Block(part=st.part, chapter_number=st.chapter_number, chapter=st.chapter,
                  seq=seq, ordinal=st.ordinal, lines=lines[idx:stop])
        )
        unexplained.extend(
            lines[j].number for j in range(stop, end) if j not in structural
        )
    # lines between a part heading and its first document (the blocks and the lines after
    # them cover the rest)
    first_start = starts[0][0] if starts else n_lines
    unexplained.extend(lines[j].number for j in range(first_part_index, first_start)
                       if j not in structural)
    unexplained = sorted(set(unexplained))
    for number in unexplained:
        problems.append(
            Errors.L001.at(Span(file=file, start_line=number, end_line=number))
        )
    return Structure(headings=tuple(headings), blocks=tuple(blocks),
                     problems=tuple(problems), unexplained=tuple(unexplained))


def _infer_chapter(
    state: _State,
    number: int,
    line: SourceLine,
    headings: list[Heading],
    problems: list[Problem],
    file: str,
) -> None:
    """Open chapter ``number`` whose heading is not printed, reporting L003."""
    state.chapter_number = number
    state.chapter = None
    headings.append(
        Heading(kind="chapter", number=number, text="", start_line=line.number,
                end_line=line.number, inferred=True)
    )
    problems.append(
        Errors.L003_CHAPTER.at(
            Span(file=file, start_line=line.number, end_line=line.number),
            excerpt=line.text, chapter=number, part=state.part,
        )
    )


def _unnumbered_start(lines: tuple[SourceLine, ...], i: int, fresh: bool) -> bool:
    """Return True when line ``i`` opens a document printed without a number.

    line 10299: " 国家发展改革委等部门关于发布《高耗能行业重点领域能效标杆水平…" starts a
    page after document 1.9 ends, and its 发文字号 follows within a few lines.
    """
    if not fresh or i == 0:
        return False
    text = lines[i].text
    prev = lines[i - 1].text
    if (
        DOC_START_RE.match(text)
        or text.startswith(("附", "（", "(", "第"))
        or not re.match(r"[\u4e00-\u9fff《“]", text)
        or "。" in text
        or prev[-1] not in "。）)！"
    ):
        return False
    return any(find_doc_number(s.text) is not None for s in lines[i + 1 : i + 5])


def _copy(state: _State) -> _State:
    return _State(part=state.part, chapter_number=state.chapter_number, chapter=state.chapter,
                  last_seq=state.last_seq, ordinal=state.ordinal)
